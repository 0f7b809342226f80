//! Charts drawn as inline SVG: real text (readable by screen readers and in print), a title per
//! chart, shapes and labels distinct in grey print. Escaping by maud.

use super::{human, percent, tonnes};
use crate::post::Lang;
use crate::report::Report;
use maud::{Markup, html};
use rust_decimal::Decimal;

/// Fill per scope: dark, middle and light, so they stay apart in grey print.
pub const SCOPE_FILLS: [&str; 3] = ["#1f4e79", "#c55a11", "#9dc3e6"];

fn fill(scope: u8) -> &'static str {
    SCOPE_FILLS
        .get(usize::from(scope.saturating_sub(1)))
        .copied()
        .unwrap_or("#777777")
}

fn f(value: f64) -> String {
    format!("{value:.1}")
}

/// Horizontal bars of the posts with emissions, largest first, with their 95 % interval as
/// whiskers, full labels wrapped and a tCO2e axis; the posts without emissions are listed
/// apart (by the HTML report, by status).
pub fn posts_chart(report: &Report, lang: Lang) -> Markup {
    let mut posts: Vec<_> = report.posts.iter().filter(|p| emits(p)).collect();
    posts.sort_by(|a, b| {
        b.figure
            .kgco2e
            .cmp(&a.figure.kgco2e)
            .then(a.post.cmp(&b.post))
    });
    let max = posts
        .iter()
        .map(|p| p.figure.interval().1)
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let (bar_x, bar_w, line_h) = (300.0, 330.0, 13.0);
    let labels: Vec<Vec<String>> = posts
        .iter()
        .map(|p| wrap(&format!("{} {}", p.post.code(), p.post.name(lang)), 46))
        .collect();
    let heights: Vec<f64> = labels
        .iter()
        .map(|l| (line_h * l.len() as f64 + 8.0).max(22.0))
        .collect();
    let top = 8.0;
    let bottom = top + heights.iter().sum::<f64>();
    let height = bottom + 50.0;
    let mut rows = Vec::new();
    let mut y = top;
    for ((p, l), h) in posts.iter().zip(&labels).zip(&heights) {
        rows.push((p, l, y, *h));
        y += h;
    }
    let (title, desc) = match lang {
        Lang::Fr => (
            "Émissions par poste (tCO2e)",
            "Barres horizontales des postes du Bilan Carbone qui émettent, du plus émetteur au moins émetteur ; les moustaches montrent l'intervalle de confiance à 95 %.",
        ),
        Lang::En => (
            "Emissions by post (tCO2e)",
            "Horizontal bars of the Bilan Carbone posts with emissions, largest first; whiskers show the 95% confidence interval.",
        ),
    };
    let at = |kg: f64| bar_x + bar_w * kg / max;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 720 " (f(height))} role="img" aria-labelledby="posts-title posts-desc" {
            title #posts-title { (title) }
            desc #posts-desc { (desc) }
            (x_axis(bar_x, bar_w, max, top, bottom, lang))
            @for (p, lines, y, h) in &rows {
                @let mid = y + h / 2.0;
                @let value = crate::report::to_f64(p.figure.kgco2e);
                @let (low, high) = p.figure.interval();
                @let first = y + (h - line_h * lines.len() as f64) / 2.0 + 10.0;
                g {
                    title { (p.post.code()) " " (p.post.name(lang)) " : " (human(tonnes(p.figure.kgco2e), 2, lang)) " tCO2e" }
                    text x="0" y=(f(first)) font-size="11" {
                        @for (i, l) in lines.iter().enumerate() {
                            tspan x="0" y=(f(first + line_h * i as f64)) { (l) }
                        }
                    }
                    rect x=(f(bar_x)) y=(f(mid - 7.0)) width=(f((at(value) - bar_x).max(0.5))) height="14" fill=(fill(p.post.scope().number())) stroke="#000" stroke-width="0.5" {}
                    line x1=(f(at(low))) x2=(f(at(high))) y1=(f(mid)) y2=(f(mid)) stroke="#000" stroke-width="1" {}
                    line x1=(f(at(low))) x2=(f(at(low))) y1=(f(mid - 4.0)) y2=(f(mid + 4.0)) stroke="#000" stroke-width="1" {}
                    line x1=(f(at(high))) x2=(f(at(high))) y1=(f(mid - 4.0)) y2=(f(mid + 4.0)) stroke="#000" stroke-width="1" {}
                    text x=(f(at(high) + 4.0)) y=(f(mid + 4.0)) font-size="10.5" { (human(tonnes(p.figure.kgco2e), 2, lang)) }
                }
            }
            text x="0" y=(f(bottom + 27.0)) font-size="10" fill="#333" {
                @if lang == Lang::Fr { "Moustaches : intervalle de confiance à 95 %" } @else { "Whiskers: 95% confidence interval" }
            }
        }
    }
}

/// True when a post has lines and emissions: drawn in the posts chart.
pub fn emits(p: &crate::report::PostResult) -> bool {
    p.lines > 0 && !p.figure.kgco2e.is_zero()
}

/// The split by scope as a donut: each arc labelled with its share, a legend with the scope's
/// name, tonnes and share.
pub fn scopes_donut(report: &Report, lang: Lang) -> Markup {
    let (cx, cy, r, inner) = (95.0, 95.0, 85.0, 50.0);
    let total = crate::report::to_f64(report.total.kgco2e);
    let mut start = 0.0_f64;
    let mut arcs = Vec::new();
    for s in &report.scopes {
        let value = crate::report::to_f64(s.figure.kgco2e).max(0.0);
        let sweep = if total > 0.0 {
            value / total * std::f64::consts::TAU
        } else {
            0.0
        };
        arcs.push((s, start, sweep));
        start += sweep;
    }
    let point = |radius: f64, angle: f64| (cx + radius * angle.sin(), cy - radius * angle.cos());
    let arc_path = |from: f64, sweep: f64| -> String {
        let to = from + sweep;
        let large = u8::from(sweep > std::f64::consts::PI);
        let (x1, y1) = point(r, from);
        let (x2, y2) = point(r, to);
        let (x3, y3) = point(inner, to);
        let (x4, y4) = point(inner, from);
        format!(
            "M{} {} A{r} {r} 0 {large} 1 {} {} L{} {} A{inner} {inner} 0 {large} 0 {} {} Z",
            f(x1),
            f(y1),
            f(x2),
            f(y2),
            f(x3),
            f(y3),
            f(x4),
            f(y4)
        )
    };
    let (title, desc) = match lang {
        Lang::Fr => (
            "Répartition par scope",
            "Anneau : part de chaque scope dans le total, en tCO2e et en pourcentage.",
        ),
        Lang::En => (
            "Split by scope",
            "Donut: each scope's share of the total, in tCO2e and as a percentage.",
        ),
    };
    html! {
        svg.chart.donut xmlns="http://www.w3.org/2000/svg" viewBox="0 0 420 190" role="img" aria-labelledby="donut-title donut-desc" {
            title #donut-title { (title) }
            desc #donut-desc { (desc) }
            @for (s, from, sweep) in &arcs {
                @if *sweep >= std::f64::consts::TAU - 1e-9 {
                    circle cx=(f(cx)) cy=(f(cy)) r=(f((r + inner) / 2.0)) fill="none" stroke=(fill(s.scope.number())) stroke-width=(f(r - inner)) {}
                } @else if *sweep > 0.0 {
                    path d=(arc_path(*from, *sweep)) fill=(fill(s.scope.number())) stroke="#fff" stroke-width="1.5" {
                        title { "Scope " (s.scope.number()) " : " (percent(s.share, lang)) }
                    }
                }
                @if *sweep > 0.6 {
                    @let (lx, ly) = point((r + inner) / 2.0, from + sweep / 2.0);
                    text x=(f(lx)) y=(f(ly + 4.0)) font-size="11" font-weight="bold" text-anchor="middle" fill=(if s.scope.number() == 3 { "#000" } else { "#fff" }) { (percent(s.share, lang)) }
                }
            }
            text x=(f(cx)) y=(f(cy - 2.0)) font-size="13" font-weight="bold" text-anchor="middle" { (human(tonnes(report.total.kgco2e), 1, lang)) }
            text x=(f(cx)) y=(f(cy + 13.0)) font-size="10" text-anchor="middle" { "tCO2e" }
            @for (i, (s, _, _)) in arcs.iter().enumerate() {
                @let ly = 45.0 + 42.0 * i as f64;
                rect x="205" y=(f(ly - 11.0)) width="13" height="13" fill=(fill(s.scope.number())) stroke="#000" stroke-width="0.5" {}
                text x="225" y=(f(ly)) font-size="12" font-weight="bold" { "Scope " (s.scope.number()) " · " (percent(s.share, lang)) }
                text x="225" y=(f(ly + 15.0)) font-size="11" { (human(tonnes(s.figure.kgco2e), 1, lang)) " tCO2e" }
            }
        }
    }
}

/// The trajectory: the target path (dashed), the inventory with its actions (solid) and the
/// measured inventories (squares), year by year.
pub fn trajectory_chart(trajectory: &crate::trajectory::Trajectory, lang: Lang) -> Markup {
    let years = &trajectory.years;
    let value = |v: Option<Decimal>| v.map(crate::report::to_f64);
    let max = years
        .iter()
        .flat_map(|r| [value(r.target), value(r.with_actions), value(r.measured)])
        .flatten()
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    // A round scale: the top is the first round step (in tonnes) at or above the largest value.
    let step_t = nice_step(max / 1000.0, 5.0);
    let steps = (max / 1000.0 / step_t - 1e-9).ceil().max(1.0);
    let max = steps * step_t * 1000.0;
    let (first, last) = match (years.first(), years.last()) {
        (Some(a), Some(b)) => (a.year, b.year.max(a.year + 1)),
        _ => (0, 1),
    };
    let (left, right, top, bottom) = (70.0, 700.0, 20.0, 250.0);
    let x = |year: i32| left + (right - left) * f64::from(year - first) / f64::from(last - first);
    let y = |kg: f64| bottom - (bottom - top) * kg / max;
    let path = |pick: &dyn Fn(&crate::trajectory::YearRow) -> Option<Decimal>| -> String {
        let mut d = String::new();
        for row in years {
            if let Some(v) = pick(row) {
                let command = if d.is_empty() { 'M' } else { 'L' };
                d.push_str(&format!(
                    "{command}{} {} ",
                    f(x(row.year)),
                    f(y(crate::report::to_f64(v)))
                ));
            }
        }
        d
    };
    let target = path(&|r| r.target);
    let actions = path(&|r| r.with_actions);
    let (title, desc, l_target, l_actions, l_measured) = match lang {
        Lang::Fr => (
            "Trajectoire bas carbone (tCO2e)",
            "Courbes par année : la trajectoire cible en tirets, les émissions avec le plan d'actions en trait plein, les inventaires mesurés en carrés.",
            "Trajectoire cible",
            "Avec le plan d'actions",
            "Inventaires",
        ),
        Lang::En => (
            "Low-carbon trajectory (tCO2e)",
            "Lines by year: the target path dashed, emissions with the action plan solid, measured inventories as squares.",
            "Target path",
            "With the action plan",
            "Inventories",
        ),
    };
    let ticks: Vec<i32> = (first..=last)
        .filter(|y| (y - first) % 5 == 0 || *y == last)
        .collect();
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 310" role="img" aria-labelledby="trajectory-title trajectory-desc" {
            title #trajectory-title { (title) }
            desc #trajectory-desc { (desc) }
            line x1=(f(left)) y1=(f(bottom)) x2=(f(right)) y2=(f(bottom)) stroke="#000" {}
            line x1=(f(left)) y1=(f(top)) x2=(f(left)) y2=(f(bottom)) stroke="#000" {}
            @for i in 0..=(steps as u32) {
                @let v = f64::from(i) * step_t * 1000.0;
                text x=(f(left - 6.0)) y=(f(y(v) + 4.0)) font-size="10" text-anchor="end" {
                    (axis_label(v / 1000.0, step_t, lang))
                }
                line x1=(f(left)) y1=(f(y(v))) x2=(f(right)) y2=(f(y(v))) stroke="#ddd" {}
            }
            @for year in &ticks {
                text x=(f(x(*year))) y=(f(bottom + 16.0)) font-size="10" text-anchor="middle" { (year) }
            }
            text x=(f(left - 6.0)) y=(f(top - 8.0)) font-size="10" text-anchor="end" fill="#333" { "tCO2e" }
            path d=(target) fill="none" stroke="#1f4e79" stroke-width="2" stroke-dasharray="6 4" {}
            path d=(actions) fill="none" stroke="#c55a11" stroke-width="2.5" {}
            @for row in years {
                @if let Some(m) = row.measured {
                    rect x=(f(x(row.year) - 4.0)) y=(f(y(crate::report::to_f64(m)) - 4.0)) width="8" height="8" fill="#000" {
                        title { (row.year) " : " (human(tonnes(m), 2, lang)) " tCO2e" }
                    }
                }
            }
            line x1="80" y1="290" x2="110" y2="290" stroke="#1f4e79" stroke-width="2" stroke-dasharray="6 4" {}
            text x="116" y="294" font-size="11" { (l_target) }
            line x1="270" y1="290" x2="300" y2="290" stroke="#c55a11" stroke-width="2.5" {}
            text x="306" y="294" font-size="11" { (l_actions) }
            rect x="486" y="286" width="8" height="8" fill="#000" {}
            text x="500" y="294" font-size="11" { (l_measured) }
        }
    }
}

/// Splits `text` into lines of at most `width` characters at spaces (a word longer than
/// `width` stays whole on its own line): labels are wrapped, never cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if !current.is_empty() && needed > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// A round step for an axis from 0 to `max` in about `ticks` steps: 1, 2 or 5 × 10ⁿ.
pub fn nice_step(max: f64, ticks: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let raw = max / ticks;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
}

/// A tonnes figure on an axis: whole when the step is whole, else one or two decimals.
fn axis_label(tonnes_value: f64, step: f64, lang: Lang) -> String {
    let places = if step >= 1.0 {
        0
    } else if step >= 0.1 {
        1
    } else {
        2
    };
    human(
        Decimal::from_f64_retain(tonnes_value).unwrap_or_default(),
        places,
        lang,
    )
}

/// The x axis of a horizontal bar chart in tCO2e: ticks, grid lines and the unit.
fn x_axis(x0: f64, width: f64, max_kg: f64, top: f64, bottom: f64, lang: Lang) -> Markup {
    let max_t = max_kg / 1000.0;
    let step = nice_step(max_t, 4.0);
    let ticks: Vec<f64> = (0..=20)
        .map(|i| f64::from(i) * step)
        .take_while(|v| *v <= max_t * 1.000_001)
        .collect();
    html! {
        @for v in &ticks {
            @let x = x0 + width * v / max_t.max(1e-12);
            line x1=(f(x)) x2=(f(x)) y1=(f(top)) y2=(f(bottom)) stroke="#ddd" stroke-width="0.7" {}
            text x=(f(x)) y=(f(bottom + 13.0)) font-size="10" text-anchor="middle" fill="#333" { (axis_label(*v, step, lang)) }
        }
        line x1=(f(x0)) x2=(f(x0 + width)) y1=(f(bottom)) y2=(f(bottom)) stroke="#000" stroke-width="0.8" {}
        text x=(f(x0 + width)) y=(f(bottom + 27.0)) font-size="10" text-anchor="end" fill="#333" { "tCO2e" }
    }
}

/// One row of a horizontal bar chart: a label and its segments (fill, kgCO2e), stacked.
pub struct Row {
    /// The label, wrapped to fit.
    pub label: String,
    /// Segments left to right.
    pub segments: Vec<(&'static str, Decimal)>,
    /// Text after the bar (the value), or nothing.
    pub value: String,
}

/// Horizontal bars (stacked when a row has several segments), labels wrapped at the left, a
/// tCO2e axis below; `legend` names the fills.
pub fn bars(
    id: &str,
    title: &str,
    desc: &str,
    rows: &[Row],
    legend: &[(&'static str, String)],
    lang: Lang,
) -> Markup {
    let (bar_x, bar_w, line_h) = (300.0, 290.0, 13.0);
    let wrapped: Vec<Vec<String>> = rows.iter().map(|r| wrap(&r.label, 46)).collect();
    let heights: Vec<f64> = wrapped
        .iter()
        .map(|w| (line_h * w.len() as f64 + 8.0).max(22.0))
        .collect();
    let max = rows
        .iter()
        .map(|r| {
            r.segments
                .iter()
                .map(|(_, kg)| crate::report::to_f64(*kg).max(0.0))
                .sum::<f64>()
        })
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let top = 8.0;
    let bottom = top + heights.iter().sum::<f64>();
    let legend_y = bottom + 46.0;
    let height = if legend.is_empty() {
        bottom + 36.0
    } else {
        legend_y + 10.0
    };
    let mut y = top;
    let mut placed = Vec::new();
    for (row, h) in rows.iter().zip(&heights) {
        let mut x = bar_x;
        let mut segments = Vec::new();
        for (fill, kg) in &row.segments {
            let w = bar_w * crate::report::to_f64(*kg).max(0.0) / max;
            segments.push((*fill, x, w));
            x += w;
        }
        placed.push((row, y, *h, segments, x));
        y += h;
    }
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 720 " (f(height))} role="img" aria-labelledby={(id) "-title " (id) "-desc"} {
            title id={(id) "-title"} { (title) }
            desc id={(id) "-desc"} { (desc) }
            (x_axis(bar_x, bar_w, max, top, bottom, lang))
            @for ((row, y, h, segments, end), lines) in placed.iter().zip(&wrapped) {
                @let first = y + (h - line_h * lines.len() as f64) / 2.0 + 10.0;
                text x="0" y=(f(first)) font-size="11" {
                    @for (i, l) in lines.iter().enumerate() {
                        tspan x="0" y=(f(first + line_h * i as f64)) { (l) }
                    }
                }
                @for (fill, x, w) in segments {
                    @if *w > 0.0 {
                        rect x=(f(*x)) y=(f(y + h / 2.0 - 7.0)) width=(f(w.max(0.5))) height="14" fill=(fill) stroke="#000" stroke-width="0.5" {}
                    }
                }
                text x=(f(end + 4.0)) y=(f(y + h / 2.0 + 4.0)) font-size="10.5" { (row.value) }
            }
            @for (i, (fill, name)) in legend.iter().enumerate() {
                @let lx = 20.0 + 230.0 * i as f64;
                rect x=(f(lx)) y=(f(legend_y - 10.0)) width="12" height="12" fill=(fill) stroke="#000" stroke-width="0.5" {}
                text x=(f(lx + 18.0)) y=(f(legend_y)) font-size="11" { (name) }
            }
        }
    }
}

/// Fills of the years, oldest lightest: the inventory itself is the darkest.
const YEAR_FILLS: [&str; 5] = ["#e3e9f0", "#c9d6e3", "#8fa9c4", "#4f7aa5", "#1f4e79"];

/// Year over year: for each post with emissions in some year, one bar per year side by side
/// (oldest on top), largest post of the last year first, a tCO2e axis.
pub fn years_chart(
    years: &[(String, Vec<Decimal>)],
    posts: &[crate::post::Post],
    lang: Lang,
) -> Markup {
    let n = years.len();
    let fills: Vec<&str> = YEAR_FILLS
        .iter()
        .copied()
        .skip(YEAR_FILLS.len().saturating_sub(n))
        .collect();
    let value = |y: &(String, Vec<Decimal>), p: &crate::post::Post| {
        y.1.get(p.index()).copied().unwrap_or_default()
    };
    let shown: Vec<&crate::post::Post> = posts
        .iter()
        .filter(|p| years.iter().any(|y| !value(y, p).is_zero()))
        .collect();
    let max = years
        .iter()
        .flat_map(|y| y.1.iter().map(|v| crate::report::to_f64(*v)))
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let (bar_x, bar_w, bar_h, line_h) = (300.0, 330.0, 9.0, 13.0);
    let labels: Vec<Vec<String>> = shown
        .iter()
        .map(|p| wrap(&format!("{} {}", p.code(), p.name(lang)), 46))
        .collect();
    let heights: Vec<f64> = labels
        .iter()
        .map(|l| (line_h * l.len() as f64).max(bar_h * n as f64) + 10.0)
        .collect();
    let top = 8.0;
    let bottom = top + heights.iter().sum::<f64>();
    let legend_y = bottom + 48.0;
    let height = legend_y + 10.0;
    let mut rows = Vec::new();
    let mut y = top;
    for ((p, l), h) in shown.iter().zip(&labels).zip(&heights) {
        rows.push((*p, l, y, *h));
        y += h;
    }
    let (title, desc) = match lang {
        Lang::Fr => (
            "Évolution par poste (tCO2e)",
            "Barres groupées : pour chaque poste, une barre par inventaire, du plus ancien (en haut, plus clair) au plus récent.",
        ),
        Lang::En => (
            "Change by post (tCO2e)",
            "Grouped bars: for each post, one bar per inventory, oldest (top, lightest) to latest.",
        ),
    };
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 720 " (f(height))} role="img" aria-labelledby="years-title years-desc" {
            title #years-title { (title) }
            desc #years-desc { (desc) }
            (x_axis(bar_x, bar_w, max, top, bottom, lang))
            @for (p, lines, y, h) in &rows {
                @let first = y + (h - line_h * lines.len() as f64) / 2.0 + 10.0;
                text x="0" y=(f(first)) font-size="11" {
                    @for (i, l) in lines.iter().enumerate() {
                        tspan x="0" y=(f(first + line_h * i as f64)) { (l) }
                    }
                }
                @let group_top = y + (h - bar_h * n as f64) / 2.0;
                @for (i, (year, fill)) in years.iter().zip(&fills).enumerate() {
                    @let kg = value(year, p);
                    @let w = bar_w * crate::report::to_f64(kg).max(0.0) / max;
                    @let by = group_top + bar_h * i as f64;
                    rect x=(f(bar_x)) y=(f(by + 0.5)) width=(f(w.max(0.5))) height=(f(bar_h - 1.0)) fill=(fill) stroke="#000" stroke-width="0.4" {
                        title { (year.0) " : " (human(tonnes(kg), 2, lang)) " tCO2e" }
                    }
                    @if i + 1 == n {
                        text x=(f(bar_x + w + 4.0)) y=(f(by + bar_h - 1.0)) font-size="9.5" { (human(tonnes(kg), 1, lang)) }
                    }
                }
            }
            @for (i, (year, fill)) in years.iter().zip(&fills).enumerate() {
                @let lx = 20.0 + 120.0 * i as f64;
                rect x=(f(lx)) y=(f(legend_y - 10.0)) width="12" height="12" fill=(fill) stroke="#000" stroke-width="0.5" {}
                text x=(f(lx + 18.0)) y=(f(legend_y)) font-size="11" { (year.0) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_at_spaces_and_are_never_cut() {
        assert_eq!(
            wrap(
                "Émissions indirectes liées à la consommation d'électricité",
                30
            ),
            [
                "Émissions indirectes liées à",
                "la consommation d'électricité"
            ]
        );
        assert_eq!(
            wrap("anticonstitutionnellement", 10),
            ["anticonstitutionnellement"]
        );
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn axis_steps_are_round() {
        // 42.96 / 4 = 10.74 → 20; 1 585 / 4 = 396 → 500; 0.72 / 4 = 0.18 → 0.2.
        assert_eq!(nice_step(42.96, 4.0), 20.0);
        assert_eq!(nice_step(1585.42, 4.0), 500.0);
        assert!((nice_step(0.72, 4.0) - 0.2).abs() < 1e-12);
        assert_eq!(nice_step(0.0, 4.0), 1.0);
    }
}
