//! Charts drawn as inline SVG: real text (readable by screen readers and in print), a title per
//! chart, shapes and labels distinct in grey print. Escaping by maud.

use super::{human, percent, tonnes};
use crate::post::Lang;
use crate::report::{PostStatus, Report};
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

fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let cut: String = name.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Horizontal bars of the 22 posts, largest first, with their 95 % interval as whiskers; posts
/// without emissions are listed below with their status.
pub fn posts_chart(report: &Report, lang: Lang) -> Markup {
    let drawn = |p: &&crate::report::PostResult| p.lines > 0 && !p.figure.kgco2e.is_zero();
    let mut posts: Vec<_> = report.posts.iter().filter(drawn).collect();
    posts.sort_by(|a, b| {
        b.figure
            .kgco2e
            .cmp(&a.figure.kgco2e)
            .then(a.post.cmp(&b.post))
    });
    let others: Vec<_> = report.posts.iter().filter(|p| !drawn(p)).collect();
    let max = posts
        .iter()
        .map(|p| p.figure.interval().1)
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let (label_w, bar_x, bar_w, row_h) = (330.0, 340.0, 300.0, 22.0);
    let height = row_h * (posts.len() + others.len()) as f64 + 40.0;
    let (title, desc) = match lang {
        Lang::Fr => (
            "Émissions par poste (tCO2e)",
            "Barres horizontales des postes du Bilan Carbone, du plus émetteur au moins émetteur ; les moustaches montrent l'intervalle de confiance à 95 %.",
        ),
        Lang::En => (
            "Emissions by post (tCO2e)",
            "Horizontal bars of the Bilan Carbone posts, largest first; whiskers show the 95% confidence interval.",
        ),
    };
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 720 " (f(height))} role="img" aria-labelledby="posts-title posts-desc" {
            title #posts-title { (title) }
            desc #posts-desc { (desc) }
            @for (i, p) in posts.iter().enumerate() {
                @let y = 10.0 + row_h * i as f64;
                @let value = crate::report::to_f64(p.figure.kgco2e);
                @let (low, high) = p.figure.interval();
                @let w = bar_w * value / max;
                @let name = p.post.name(lang);
                g {
                    title { (p.post.code()) " " (name) " : " (human(tonnes(p.figure.kgco2e), 2, lang)) " tCO2e" }
                    text x="0" y=(f(y + 14.0)) font-size="11" { (p.post.code()) " " (shorten(name, 44)) }
                    rect x=(f(bar_x)) y=(f(y + 3.0)) width=(f(w.max(0.5))) height="14" fill=(fill(p.post.scope().0)) stroke="#000" stroke-width="0.5" {}
                    line x1=(f(bar_x + bar_w * low / max)) x2=(f(bar_x + bar_w * high / max)) y1=(f(y + 10.0)) y2=(f(y + 10.0)) stroke="#000" stroke-width="1" {}
                    line x1=(f(bar_x + bar_w * low / max)) x2=(f(bar_x + bar_w * low / max)) y1=(f(y + 6.0)) y2=(f(y + 14.0)) stroke="#000" stroke-width="1" {}
                    line x1=(f(bar_x + bar_w * high / max)) x2=(f(bar_x + bar_w * high / max)) y1=(f(y + 6.0)) y2=(f(y + 14.0)) stroke="#000" stroke-width="1" {}
                    text x=(f(bar_x + bar_w * high / max + 4.0)) y=(f(y + 14.0)) font-size="11" { (human(tonnes(p.figure.kgco2e), 2, lang)) }
                }
            }
            @for (j, p) in others.iter().enumerate() {
                @let y = 10.0 + row_h * (posts.len() + j) as f64;
                @let status = match (&p.status, p.lines > 0) {
                    (_, true) => if lang == Lang::Fr { "0 (collecté)" } else { "0 (collected)" },
                    (PostStatus::NotApplicable(_), _) => if lang == Lang::Fr { "non applicable" } else { "not applicable" },
                    (PostStatus::InProgress, _) => if lang == Lang::Fr { "en cours" } else { "in progress" },
                    _ => if lang == Lang::Fr { "non collecté" } else { "not collected" },
                };
                text x="0" y=(f(y + 14.0)) font-size="11" fill="#444" { (p.post.code()) " " (shorten(p.post.name(lang), 44)) }
                text x=(f(bar_x)) y=(f(y + 14.0)) font-size="11" font-style="italic" fill="#444" { (status) }
            }
            text x=(f(label_w)) y=(f(height - 6.0)) font-size="10" fill="#444" {
                @if lang == Lang::Fr { "Moustaches : intervalle de confiance à 95 %" } @else { "Whiskers: 95% confidence interval" }
            }
        }
    }
}

/// One bar split by scope (100 %), each segment labelled with its scope and share.
pub fn scopes_chart(report: &Report, lang: Lang) -> Markup {
    let total = report.total.kgco2e;
    let (title, desc) = match lang {
        Lang::Fr => (
            "Répartition par scope",
            "Barre empilée : part de chaque scope dans le total.",
        ),
        Lang::En => (
            "Split by scope",
            "Stacked bar: each scope's share of the total.",
        ),
    };
    let mut x = 20.0;
    let mut segments = Vec::new();
    for s in &report.scopes {
        let share = if total.is_zero() {
            Decimal::ZERO
        } else {
            s.share
        };
        let w = 680.0 * crate::report::to_f64(share);
        segments.push((s.scope.0, x, w, share, s.figure.kgco2e));
        x += w;
    }
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 120" role="img" aria-labelledby="scopes-title scopes-desc" {
            title #scopes-title { (title) }
            desc #scopes-desc { (desc) }
            @for (scope, x, w, _, kg) in &segments {
                @if *w > 0.0 {
                    rect x=(f(*x)) y="20" width=(f(*w)) height="40" fill=(fill(*scope)) stroke="#000" stroke-width="0.5" {
                        title { "Scope " (scope) " : " (human(tonnes(*kg), 2, lang)) " tCO2e" }
                    }
                }
            }
            @for (i, (scope, _, _, share, kg)) in segments.iter().enumerate() {
                @let lx = 20.0 + 230.0 * i as f64;
                rect x=(f(lx)) y="80" width="14" height="14" fill=(fill(*scope)) stroke="#000" stroke-width="0.5" {}
                text x=(f(lx + 20.0)) y="92" font-size="12" {
                    "Scope " (scope) " : " (percent(*share, lang)) " (" (human(tonnes(*kg), 2, lang)) " t)"
                }
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
            @for i in 0..=4 {
                @let v = max * f64::from(i) / 4.0;
                text x=(f(left - 6.0)) y=(f(y(v) + 4.0)) font-size="10" text-anchor="end" {
                    (human(tonnes(Decimal::from_f64_retain(v).unwrap_or_default()), 1, lang))
                }
                line x1=(f(left)) y1=(f(y(v))) x2=(f(right)) y2=(f(y(v))) stroke="#ddd" {}
            }
            @for year in &ticks {
                text x=(f(x(*year))) y=(f(bottom + 16.0)) font-size="10" text-anchor="middle" { (year) }
            }
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
