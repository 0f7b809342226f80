//! The report for people who receive a Bilan Carbone®: one self-contained HTML file (inline
//! CSS and SVG, no script), printable on A4. Templating and escaping by maud.

use super::{human, percent, plus_minus, status_label, svg, tonnes};
use crate::analysed::Analysed;
use crate::breakdown::Breakdown;
use crate::diff::Diff;
use crate::post::Lang;
use crate::post::{Post, Scope};
use crate::post_lines::PostLines;
use crate::report::{Figure, PostResult, PostStatus, Report};
use crate::trajectory::Trajectory;
use crate::uncertainty_analysis::Analysis;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use rust_decimal::Decimal;

const STYLE: &str = r#"
@page { size: A4; margin: 14mm 14mm 16mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; background: #fff;
       max-width: 190mm; margin: 0 auto; padding: 8mm 0; font-size: 10pt; line-height: 1.4; }
h1 { font-size: 19pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 3mm; border-bottom: 1.5px solid #1f4e79; padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; }
header.cover { display: flex; gap: 6mm; align-items: center; }
header.cover img.logo { max-height: 22mm; max-width: 45mm; }
.meta { color: #333; margin: 0; }
.summary-top { display: flex; gap: 6mm; align-items: center; margin-top: 4mm; }
.headline { flex: 0 0 76mm; border: 1.5px solid #1f4e79; padding: 4mm; }
.headline .total { font-size: 20pt; font-weight: bold; white-space: nowrap; }
.headline .interval { color: #333; }
.headline ul { margin: 1mm 0 0; padding-left: 5mm; }
.summary-top .donut { flex: 1 1 auto; }
ul.messages li { margin-bottom: 1.5mm; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border-bottom: 1px solid #bbb; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.scope td { font-weight: bold; background: #f3f3f3; }
tr.total td { font-weight: bold; border-top: 2px solid #111; }
tr.quiet td { color: #555; }
.chart { width: 100%; height: auto; display: block; break-inside: avoid; }
.keep { break-inside: avoid; }
.nowrap { white-space: nowrap; }
#posts-table td:nth-child(2) { width: 38%; }
table.change th { white-space: normal; }
table.change td:first-child { width: 34%; }
table.matrix { table-layout: fixed; }
table.matrix td { text-align: left; font-size: 8pt; overflow-wrap: break-word; hyphens: auto; }
table.matrix th { text-align: center; }
table.matrix th:first-child { width: 16%; }
table.matrix ul { margin: 0; padding-left: 3mm; }
.note { color: #333; font-size: 9pt; }
code { font-size: 8.5pt; word-break: break-all; }
#summary { break-after: page; }
footer.colophon { margin-top: 8mm; border-top: 1px solid #bbb; color: #555; font-size: 8pt; }
@media print { body { padding: 0; max-width: none; } footer.colophon { display: none; } }
"#;

struct Labels {
    period: &'static str,
    perimeter: &'static str,
    sites: &'static str,
    exclusions: &'static str,
    total: &'static str,
    interval: &'static str,
    ratios: &'static str,
    posts: &'static str,
    table: &'static str,
    gases: &'static str,
    method: &'static str,
    apart: &'static str,
    uncertainty: &'static str,
    trajectory: &'static str,
    actions: &'static str,
}

const FR: Labels = Labels {
    period: "Période",
    perimeter: "Périmètre",
    sites: "Sites",
    exclusions: "Exclusions",
    total: "Total des émissions",
    interval: "intervalle de confiance à 95 %",
    ratios: "Ratios d'intensité",
    posts: "Émissions par poste",
    table: "Tableau des postes",
    gases: "Gaz à effet de serre et CO2 biogénique",
    method: "Méthodologie",
    apart: "Hors total",
    uncertainty: "Principales sources d'incertitude",
    trajectory: "Trajectoire bas carbone",
    actions: "Plan d'actions",
};

const EN: Labels = Labels {
    period: "Period",
    perimeter: "Perimeter",
    sites: "Sites",
    exclusions: "Exclusions",
    total: "Total emissions",
    interval: "95% confidence interval",
    ratios: "Intensity ratios",
    posts: "Emissions by post",
    table: "Posts",
    gases: "Greenhouse gases and biogenic CO2",
    method: "Methodology",
    apart: "Not in the total",
    uncertainty: "Largest sources of uncertainty",
    trajectory: "Low-carbon trajectory",
    actions: "Action plan",
};

fn t(kg: rust_decimal::Decimal, lang: Lang) -> String {
    human(tonnes(kg), 2, lang)
}

/// What the report shows beyond the inventory and its analyses (the uncertainty analysis,
/// the trajectory when the inventory has actions or history was given).
pub struct Extras<'a> {
    /// The change from the latest earlier inventory (`--history`), with its effects.
    pub change: Option<&'a Diff>,
    /// Each inventory's label (year) and 22 posts' kgCO2e, oldest first, this one last; empty
    /// without history.
    pub years: &'a [(String, Vec<Decimal>)],
    /// What the printed pages' footer says.
    pub footer: &'a Footer,
    /// The organisation's logo as a `data:` URI.
    pub logo: Option<&'a str>,
    /// The posts by the lines' `site:`.
    pub sites: Breakdown,
    /// The posts by the lines' `tags:`.
    pub tags: Breakdown,
    /// Each post's largest lines (at least [`ZOOM_LINES`]) and the assignment rules used.
    pub lines: PostLines,
}

/// The printed pages' footer.
pub struct Footer {
    /// Generation date (`2026-01-31`).
    pub generated: String,
    /// `bilan`'s version.
    pub version: &'static str,
}

/// The whole report as an HTML document.
pub fn render(analysed: &Analysed<'_>, extras: &Extras<'_>, lang: Lang) -> String {
    let report = analysed.report;
    let l = if lang == Lang::Fr { &FR } else { &EN };
    let fr = lang == Lang::Fr;
    let org = &report.organisation;
    let year = report.period.year();
    let colophon = colophon(report, extras.footer, lang);
    let style = format!(
        "{STYLE}@page {{ @bottom-left {{ content: {}; font-family: \"DejaVu Sans\", Arial, sans-serif; font-size: 7pt; color: #555; }} @bottom-right {{ content: counter(page) \" / \" counter(pages); width: 22mm; white-space: nowrap; font-family: \"DejaVu Sans\", Arial, sans-serif; font-size: 8pt; color: #555; }} }}\n",
        css_string(&colophon)
    );
    let doc: Markup = html! {
        (DOCTYPE)
        html lang=(if fr { "fr" } else { "en" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Bilan Carbone® " (year) " — " (org.name) }
                style { (PreEscaped(style)) }
            }
            body {
                section #summary {
                    header.cover {
                        @if let Some(logo) = extras.logo { img.logo src=(logo) alt=(org.name); }
                        div {
                            h1 { "Bilan Carbone® " (year) " — " (org.name) }
                            (identity(report, lang, l))
                        }
                    }
                    (summary(analysed, extras, lang, l))
                }
                section #posts-chart {
                    h2 { (l.posts) }
                    (svg::posts_chart(report, lang))
                    (not_emitting(report, lang))
                }
                (zoom(report, &extras.lines, lang))
                @if let Some(change) = extras.change {
                    section #years {
                        h2 { @if fr { "Évolution depuis l'inventaire précédent" } @else { "Year over year" } }
                        (svg::years_chart(extras.years, &Post::all().collect::<Vec<_>>(), lang))
                        (change_table(change, extras.years, lang))
                    }
                }
                (by_key(&extras.sites, lang))
                (by_key(&extras.tags, lang))
                section #posts-table {
                    h2 { (l.table) }
                    (posts_table(report, lang))
                }
                (super::consolidation::html(report, lang))
                @if let Some(analysis) = &analysed.analysis {
                    section #uncertainty { h2 { (l.uncertainty) } (uncertainty(analysis, lang)) }
                }
                section #gases { h2 { (l.gases) } (gases(report, lang, l)) }
                @if let Some(trajectory) = &analysed.trajectory {
                    section #trajectory {
                        h2 { (l.trajectory) }
                        (svg::trajectory_chart(trajectory, lang))
                        @if let Some(rates) = super::trajectory::rates(trajectory, lang) { p { (rates) } }
                    }
                    @if !trajectory.actions.is_empty() {
                        section #actions { h2 { (l.actions) } (actions(trajectory, lang)) }
                    }
                }
                section #method { h2 { (l.method) } (method(report, &extras.lines, lang)) }
                footer.colophon { (colophon) }
            }
        }
    };
    let mut text = one_block_per_line(&doc.into_string());
    text.push('\n');
    text
}

/// The footer's words: generation date, `bilan`'s version, the factor bases (name and the
/// start of their SHA-256).
fn colophon(report: &Report, footer: &Footer, lang: Lang) -> String {
    let bases = report
        .bases
        .iter()
        .map(|b| {
            // The file's name, not where it sits on the machine that made the report.
            let name = b.name.strip_prefix("embedded:").unwrap_or(&b.name);
            let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
            format!("{name} ({})", b.sha256.get(..12).unwrap_or(&b.sha256))
        })
        .collect::<Vec<_>>()
        .join(", ");
    match lang {
        Lang::Fr => format!(
            "Généré le {} par bilan {} · facteurs : {bases}",
            footer.generated, footer.version
        ),
        Lang::En => format!(
            "Generated on {} by bilan {} · factors: {bases}",
            footer.generated, footer.version
        ),
    }
}

/// A CSS string literal for `text`: everything but plain ASCII letters, digits and a few
/// signs escaped as `\HEX `, so no text can close the string or the `<style>` element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || " .,:;()-_/+@".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out.push('"');
    out
}

/// Base64 (RFC 4648, padded), for `data:` URIs.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol = |v: u32| char::from(ALPHABET.get((v & 63) as usize).copied().unwrap_or(b'A'));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let v = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(symbol(v >> 18));
        out.push(symbol(v >> 12));
        out.push(if chunk.len() > 1 { symbol(v >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { symbol(v) } else { '=' });
    }
    out
}

/// A date in words: `1er juillet 2024` / `1 July 2024`.
fn date_words(date: &crate::inventory::Date, lang: Lang) -> String {
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = usize::from(date.month).saturating_sub(1);
    match lang {
        Lang::Fr => {
            let day = if date.day == 1 {
                "1er".to_string()
            } else {
                date.day.to_string()
            };
            format!("{day} {} {}", MOIS.get(month).unwrap_or(&""), date.year)
        }
        Lang::En => format!(
            "{} {} {}",
            date.day,
            MONTHS.get(month).unwrap_or(&""),
            date.year
        ),
    }
}

/// Organisation, period and perimeter in plain words.
fn identity(report: &Report, lang: Lang, l: &Labels) -> Markup {
    let fr = lang == Lang::Fr;
    let period = &report.period;
    let calendar = period.start.month == 1 && period.start.day == 1 && period.is_twelve_months();
    // The approach in words, with what it takes in.
    let consolidation = report.perimeter.consolidation.as_deref().map(|c| {
        let scope = match (c, lang) {
            ("operational-control", Lang::Fr) => " (les activités que l'organisation opère)",
            ("operational-control", Lang::En) => " (the activities the organisation operates)",
            ("financial-control", Lang::Fr) => {
                " (les entités que l'organisation contrôle financièrement)"
            }
            ("financial-control", Lang::En) => {
                " (the entities the organisation controls financially)"
            }
            ("equity-share", Lang::Fr) => " (au prorata des participations)",
            ("equity-share", Lang::En) => " (in proportion to holdings)",
            _ => "",
        };
        format!("{}{scope}", super::consolidation_label(c, lang))
    });
    html! {
        @if let Some(id) = &report.organisation.id { p.meta { (report.organisation.name) " · " (id) } }
        p.meta {
            (l.period) (colon(lang))
            @if calendar {
                @if fr { "année civile " (period.year()) } @else { "calendar year " (period.year()) }
            } @else {
                @if fr { "du " } @else { "from " } (date_words(&period.start, lang)) @if fr { " au " } @else { " to " } (date_words(&period.end, lang))
            }
        }
        @if let Some(c) = consolidation { p.meta { (l.perimeter) (colon(lang)) (c) } }
        @if !report.perimeter.sites.is_empty() { p.meta { (l.sites) (colon(lang)) (report.perimeter.sites.join(semicolon(lang))) } }
        @if !report.perimeter.exclusions.is_empty() {
            p.meta { (l.exclusions) (colon(lang)) (report.perimeter.exclusions.join(semicolon(lang))) }
        }
    }
}

/// The posts with emissions, largest first.
fn largest_posts(report: &Report) -> Vec<&PostResult> {
    let mut posts: Vec<&PostResult> = report.posts.iter().filter(|p| svg::emits(p)).collect();
    posts.sort_by(|a, b| {
        b.figure
            .kgco2e
            .cmp(&a.figure.kgco2e)
            .then(a.post.cmp(&b.post))
    });
    posts
}

/// `part / whole` as a share, 0 when `whole` is 0.
fn share_of(part: Decimal, whole: Decimal) -> Decimal {
    part.checked_div(whole).unwrap_or_default()
}

/// The first page: total and interval, ratios, the scope donut, the three largest posts and
/// three messages drawn from the figures.
fn summary(analysed: &Analysed<'_>, extras: &Extras<'_>, lang: Lang, l: &Labels) -> Markup {
    let report = analysed.report;
    let fr = lang == Lang::Fr;
    let top = largest_posts(report);
    html! {
        div.summary-top {
            div.headline #headline {
                div { (l.total) }
                div.total { (t(report.total.kgco2e, lang)) " tCO2e" }
                div.interval { (l.interval) (colon(lang)) span.nowrap { (interval_t(&report.total, lang)) " tCO2e" } " (" (plus_minus(&report.total, lang)) ")" }
                @if !report.ratios.is_empty() {
                    div { strong { (l.ratios) } }
                    ul {
                        @for r in &report.ratios {
                            li { (ratio(r, lang)) }
                        }
                    }
                }
            }
            div.donut { (svg::scopes_donut(report, lang)) }
        }
        h2 { @if fr { "Les trois postes principaux" } @else { "The three largest posts" } }
        table.keep {
            thead { tr { th { @if fr { "Poste" } @else { "Post" } } th.num { "tCO2e" } th.num { @if fr { "Part du total" } @else { "Share of the total" } } } }
            tbody {
                @for p in top.iter().take(3) {
                    tr { td { (p.post.code()) " " (p.post.name(lang)) } td.num { (t(p.figure.kgco2e, lang)) } td.num { (percent(p.share, lang)) } }
                }
                @let three: Decimal = top.iter().take(3).map(|p| p.share).sum();
                tr.total { td { @if fr { "Ensemble" } @else { "Together" } } td.num { (t(top.iter().take(3).map(|p| p.figure.kgco2e).sum(), lang)) } td.num { (percent(three, lang)) } }
            }
        }
        h2 { @if fr { "À retenir" } @else { "Key messages" } }
        ul.messages {
            @if let Some(first) = top.first() {
                @let lines = extras.lines.largest(first.post);
                li {
                    @if fr { "Le premier poste est " } @else { "The largest post is " }
                    strong { (first.post.code()) " " (first.post.name(lang)) }
                    (colon(lang)) (t(first.figure.kgco2e, lang)) " tCO2e, " (percent(first.share, lang))
                    @if fr { " du total" } @else { " of the total" }
                    @if let Some((label, kg)) = lines.first() {
                        @if fr { " ; il vient d'abord de « " (label) " » (" (t(*kg, lang)) " tCO2e, " (percent(share_of(*kg, first.figure.kgco2e), lang)) " du poste)." }
                        @else { "; it comes first from “" (label) "” (" (t(*kg, lang)) " tCO2e, " (percent(share_of(*kg, first.figure.kgco2e), lang)) " of the post)." }
                    } @else { "." }
                }
            }
            @if let Some(change) = extras.change {
                @let before = extras.years.get(extras.years.len().saturating_sub(2)).map_or("", |y| y.0.as_str());
                @let e = &change.total.effects;
                li {
                    @if fr { "Depuis " (before) " : " } @else { "Since " (before) ": " }
                    strong { (t(change.total.before, lang)) " → " (t(change.total.after, lang)) " tCO2e" }
                    @if let Some(share) = change.total.share() { " (" (signed_percent(share, lang)) ")" }
                    @if fr { " ; effet activité " } @else { "; activity effect " } (signed_t(e.activity, lang)) " t, "
                    @if fr { "effet facteur " } @else { "factor effect " } (signed_t(e.factor, lang)) " t, "
                    @if fr { "effet périmètre " } @else { "perimeter effect " } (signed_t(e.perimeter, lang)) " t."
                }
            } @else {
                @if let Some(s3) = report.scopes.iter().max_by(|a, b| a.figure.kgco2e.cmp(&b.figure.kgco2e)) {
                    li {
                        @if fr { "Le scope " (s3.scope.number()) " (" (s3.scope.name(lang)) ") fait " } @else { "Scope " (s3.scope.number()) " (" (s3.scope.name(lang)) ") makes " }
                        strong { (percent(s3.share, lang)) } @if fr { " du total." } @else { " of the total." }
                        @if fr { " Aucun inventaire antérieur n'est donné (--history) : pas d'évolution." } @else { " No earlier inventory given (--history): no change shown." }
                    }
                }
            }
            @if let Some(u) = analysed.analysis.as_ref().and_then(|a| a.posts.first()) {
                li {
                    @if fr { "L'incertitude vient d'abord du poste " } @else { "Uncertainty comes first from post " }
                    strong { (u.post.code()) " " (u.post.name(lang)) }
                    " (" (share_f64(u.share, lang)) @if fr { " de la variance du total) : de meilleures données y resserrent le plus l'intervalle (" } @else { " of the total's variance): better data there narrows the interval most (" }
                    (plus_minus(&report.total, lang)) @if fr { " aujourd'hui)." } @else { " today)." }
                }
            }
        }
    }
}

/// A colon as each language writes it: `Période : …`, `Period: …`.
fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => " : ",
        Lang::En => ": ",
    }
}

/// A semicolon between items, as each language writes it.
fn semicolon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => " ; ",
        Lang::En => "; ",
    }
}

/// An intensity ratio for people: t, kg or gCO2e per unit of the indicator, three significant digits.
fn ratio(r: &crate::report::Ratio, lang: Lang) -> Markup {
    html! { (super::intensity(r.kgco2e_per_unit, lang)) " / " (r.indicator.unit.as_deref().unwrap_or(&r.indicator.label)) " (" (r.indicator.label) " = " (super::quantity(r.indicator.value, lang)) ")" }
}

/// The posts without emissions, by status: not applicable with their reasons, in progress,
/// not collected, collected at zero.
fn not_emitting(report: &Report, lang: Lang) -> Markup {
    let fr = lang == Lang::Fr;
    let quiet: Vec<&PostResult> = report.posts.iter().filter(|p| !svg::emits(p)).collect();
    let of = |pick: &dyn Fn(&PostResult) -> bool| {
        quiet
            .iter()
            .copied()
            .filter(|p| pick(p))
            .collect::<Vec<_>>()
    };
    let na = of(&|p| matches!(p.status, PostStatus::NotApplicable(_)));
    let in_progress = of(&|p| p.status == PostStatus::InProgress && p.lines == 0);
    let not_collected = of(&|p| p.status == PostStatus::NotCollected);
    let zero = of(&|p| p.lines > 0);
    let name = |p: &PostResult| format!("{} {}", p.post.code(), p.post.name(lang));
    html! {
        @if !quiet.is_empty() {
            div.keep {
                h3 { @if fr { "Postes sans émissions" } @else { "Posts without emissions" } }
                ul {
                    @if !na.is_empty() {
                        li { strong { @if fr { "Non applicables : " } @else { "Not applicable: " } }
                            @for (i, p) in na.iter().enumerate() {
                                @if i > 0 { (semicolon(lang)) }
                                (name(p))
                                @if let PostStatus::NotApplicable(reason) = &p.status { " (" em { (reason) } ")" }
                            }
                        }
                    }
                    @if !in_progress.is_empty() {
                        li { strong { @if fr { "En cours : " } @else { "In progress: " } } (in_progress.iter().map(|p| name(p)).collect::<Vec<_>>().join(semicolon(lang))) }
                    }
                    @if !not_collected.is_empty() {
                        li { strong { @if fr { "Non collectés : " } @else { "Not collected: " } } (not_collected.iter().map(|p| name(p)).collect::<Vec<_>>().join(semicolon(lang))) }
                    }
                    @if !zero.is_empty() {
                        li { strong { @if fr { "Collectés, à zéro : " } @else { "Collected, zero: " } } (zero.iter().map(|p| name(p)).collect::<Vec<_>>().join(semicolon(lang))) }
                    }
                }
            }
        }
    }
}

/// The lines drawn per zoomed post; the others are summed in one bar.
pub const ZOOM_LINES: usize = 6;

/// The two or three largest posts (three when the third weighs at least 10 %), each with its
/// largest lines as bars.
fn zoom(report: &Report, lines: &PostLines, lang: Lang) -> Markup {
    let fr = lang == Lang::Fr;
    let posts: Vec<&PostResult> = largest_posts(report)
        .into_iter()
        .enumerate()
        .filter(|(i, p)| *i < 2 || (*i == 2 && p.share >= Decimal::new(1, 1)))
        .map(|(_, p)| p)
        .collect();
    html! {
        @if !posts.is_empty() {
            section #zoom {
                h2 { @if fr { "Zoom sur les principaux postes" } @else { "Zoom on the main posts" } }
                @for p in &posts {
                    @let rows = zoom_rows(lines, p, lang);
                    div.keep {
                        h3 { (p.post.code()) " " (p.post.name(lang)) " — " (t(p.figure.kgco2e, lang)) " tCO2e (" (percent(p.share, lang)) ")" }
                        @let id = format!("zoom-{}", p.post.code().replace('.', "-"));
                        @let title = if fr { format!("Principales lignes du poste {} (tCO2e)", p.post.code()) } else { format!("Largest lines of post {} (tCO2e)", p.post.code()) };
                        @let desc = if fr { "Barres horizontales : les lignes qui pèsent le plus dans le poste, en tCO2e et en part du poste." } else { "Horizontal bars: the lines that weigh most in the post, in tCO2e and as a share of the post." };
                        (svg::bars(&id, &title, desc, &rows, &[], lang))
                    }
                }
            }
        }
    }
}

/// A zoomed post's bars: its largest lines, then the others in one bar.
fn zoom_rows(lines: &PostLines, p: &PostResult, lang: Lang) -> Vec<svg::Row> {
    let fill = svg::SCOPE_FILLS
        .get(p.post.scope().index())
        .copied()
        .unwrap_or("#777");
    let value = |kg: Decimal| {
        format!(
            "{} ({})",
            t(kg, lang),
            percent(share_of(kg, p.figure.kgco2e), lang)
        )
    };
    let mut rows: Vec<svg::Row> = lines
        .largest(p.post)
        .iter()
        .take(ZOOM_LINES)
        .map(|(label, kg)| svg::Row {
            label: label.to_string(),
            segments: vec![(fill, *kg)],
            value: value(*kg),
        })
        .collect();
    let (others, kg) = lines.others(p.post);
    if others > 0 {
        rows.push(svg::Row {
            label: match lang {
                Lang::Fr => format!("{others} autres lignes"),
                Lang::En => format!("{others} other lines"),
            },
            segments: vec![("#bbbbbb", kg)],
            value: value(kg),
        });
    }
    rows
}

/// Year over year: each post's change from the latest earlier inventory and its activity,
/// factor and perimeter effects (`bilan diff`).
fn change_table(change: &Diff, years: &[(String, Vec<Decimal>)], lang: Lang) -> Markup {
    let fr = lang == Lang::Fr;
    let label = |i: usize| years.get(i).map_or("", |y| y.0.as_str());
    let (before, after) = (
        label(years.len().saturating_sub(2)),
        label(years.len().saturating_sub(1)),
    );
    let header = if fr {
        [
            "Poste",
            before,
            after,
            "Écart",
            "Écart %",
            "Effet activité",
            "Effet facteur",
            "Effet périmètre",
        ]
    } else {
        [
            "Post",
            before,
            after,
            "Change",
            "Change %",
            "Activity effect",
            "Factor effect",
            "Perimeter effect",
        ]
    };
    let row = |c: &crate::diff::Change| {
        html! {
            td.num { (t(c.before, lang)) } td.num { (t(c.after, lang)) } td.num { (signed_t(c.delta(), lang)) }
            td.num { @match c.share() { Some(s) => (signed_percent(s, lang)), None => "–" } }
            td.num { (signed_t(c.effects.activity, lang)) } td.num { (signed_t(c.effects.factor, lang)) } td.num { (signed_t(c.effects.perimeter, lang)) }
        }
    };
    html! {
        table.change {
            thead { tr { @for (i, h) in header.iter().enumerate() { th.num[i > 0] { (h) } } } }
            tbody {
                @for p in change.posts.iter().filter(|p| !(p.change.before.is_zero() && p.change.after.is_zero())) {
                    tr { td { (p.post.code()) " " (p.post.name(lang)) } (row(&p.change)) }
                }
                tr.total { td { "Total" } (row(&change.total)) }
            }
        }
        p.note {
            @if fr { "En tCO2e. Effet activité : même facteur, quantité différente ; effet facteur : même activité, valeur du facteur différente ; effet périmètre : lignes ajoutées ou retirées. Les trois effets s'additionnent exactement à l'écart." }
            @else { "In tCO2e. Activity effect: same factor, different quantity; factor effect: same activity, different factor value; perimeter effect: lines added or removed. The three effects add up exactly to the change." }
        }
    }
}

/// A stacked bar per site or tag (by scope), when lines carry `site:` or `tags:`.
fn by_key(breakdown: &Breakdown, lang: Lang) -> Markup {
    let fr = lang == Lang::Fr;
    let site = breakdown.by == crate::breakdown::By::Site;
    let named = breakdown.keys.iter().any(|k| k != crate::breakdown::NONE);
    let rows: Vec<svg::Row> = breakdown
        .keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let by_scope: Vec<(&'static str, Decimal)> = Scope::ALL
                .iter()
                .map(|s| {
                    let kg: Decimal = breakdown
                        .posts
                        .iter()
                        .filter(|(p, _)| p.scope() == *s)
                        .filter_map(|(_, v)| v.get(i).copied())
                        .sum();
                    (
                        svg::SCOPE_FILLS.get(s.index()).copied().unwrap_or("#777"),
                        kg,
                    )
                })
                .collect();
            let total = breakdown.totals.get(i).copied().unwrap_or_default();
            let label = if key == crate::breakdown::NONE {
                match (site, fr) {
                    (true, true) => "Sans site".to_string(),
                    (true, false) => "No site".to_string(),
                    (false, true) => "Sans étiquette".to_string(),
                    (false, false) => "No tag".to_string(),
                }
            } else {
                key.clone()
            };
            svg::Row {
                label,
                segments: by_scope,
                value: t(total, lang),
            }
        })
        .collect();
    let legend: Vec<(&'static str, String)> = Scope::ALL
        .iter()
        .map(|s| {
            (
                svg::SCOPE_FILLS.get(s.index()).copied().unwrap_or("#777"),
                format!("Scope {s}"),
            )
        })
        .collect();
    let (id, heading, title, desc, note) = match (site, fr) {
        (true, true) => (
            "sites",
            "Répartition par site",
            "Émissions par site (tCO2e)",
            "Barres empilées : pour chaque site, ses émissions par scope.",
            "Selon le champ « site » des lignes d'activité ; « Sans site » regroupe les lignes qui n'en donnent pas.",
        ),
        (true, false) => (
            "sites",
            "Breakdown by site",
            "Emissions by site (tCO2e)",
            "Stacked bars: each site's emissions by scope.",
            "From the activity lines' “site” field; “No site” gathers the lines that give none.",
        ),
        (false, true) => (
            "tags",
            "Répartition par étiquette",
            "Émissions par étiquette (tCO2e)",
            "Barres empilées : pour chaque étiquette, ses émissions par scope.",
            "Selon le champ « tags » des lignes d'activité ; « Sans étiquette » regroupe les lignes qui n'en donnent pas.",
        ),
        (false, false) => (
            "tags",
            "Breakdown by tag",
            "Emissions by tag (tCO2e)",
            "Stacked bars: each tag's emissions by scope.",
            "From the activity lines' “tags” field; “No tag” gathers the lines that give none.",
        ),
    };
    html! {
        @if named {
            section id=(id) {
                h2 { (heading) }
                div.keep { (svg::bars(id, title, desc, &rows, &legend, lang)) }
                p.note {
                    (note)
                    @if breakdown.overlapping {
                        @if fr { " Une ligne à plusieurs étiquettes compte dans chacune : les barres s'additionnent à plus que le total." }
                        @else { " A line with several tags counts in each: the bars add up to more than the total." }
                    }
                }
            }
        }
    }
}

/// A kgCO2e change in tonnes with its sign (`+1,23`, `−0,50`).
fn signed_t(kg: Decimal, lang: Lang) -> String {
    let text = t(kg, lang);
    match text.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None if text.chars().any(|c| c.is_ascii_digit() && c != '0') => format!("+{text}"),
        None => text,
    }
}

/// A relative change with its sign (`+12,5 %`).
fn signed_percent(share: Decimal, lang: Lang) -> String {
    let text = percent(share, lang);
    match text.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None if text.chars().any(|c| c.is_ascii_digit() && c != '0') => format!("+{text}"),
        None => text,
    }
}

/// Block-level tags open on a new line, so the file reads (and diffs) line by line; a line
/// break before a block element changes nothing on the page.
fn one_block_per_line(html: &str) -> String {
    const BLOCKS: [&str; 24] = [
        "<head", "<body", "<meta", "<title", "<style", "<header", "<section", "<h1", "<h2", "<h3",
        "<p", "<ul", "<li", "<table", "<thead", "<tbody", "<tr", "<div", "<svg", "<g>", "<rect",
        "<line", "<path", "<text",
    ];
    let mut out = String::with_capacity(html.len() + html.len() / 20);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let (before, tag) = rest.split_at(at);
        out.push_str(before);
        let block = BLOCKS.iter().any(|b| {
            tag.strip_prefix(b)
                .is_some_and(|after| b.ends_with('>') || after.starts_with([' ', '>', '/']))
        });
        if block && !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('<');
        rest = tag.get(1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn posts_table(report: &Report, lang: Lang) -> Markup {
    let header = match lang {
        Lang::Fr => [
            "Poste",
            "Intitulé",
            "Statut",
            "tCO2e",
            "Part",
            "Incertitude",
            "Intervalle à 95 % (t)",
        ],
        Lang::En => [
            "Post",
            "Name",
            "Status",
            "tCO2e",
            "Share",
            "Uncertainty",
            "95% interval (t)",
        ],
    };
    html! {
        table {
            thead { tr { @for (i, h) in header.iter().enumerate() { th.num[i >= 3] { (h) } } } }
            tbody {
                @for scope in &report.scopes {
                    @for p in report.posts.iter().filter(|p| p.post.scope() == scope.scope) {
                        tr.quiet[p.lines == 0] {
                            td { (p.post.code()) }
                            td {
                                (p.post.name(lang))
                                @if let PostStatus::NotApplicable(reason) = &p.status { br; small { (reason) } }
                            }
                            td { (status_label(&p.status, lang)) }
                            @if p.lines > 0 {
                                td.num { (t(p.figure.kgco2e, lang)) }
                                td.num { (percent(p.share, lang)) }
                                td.num { (plus_minus(&p.figure, lang)) }
                                td.num { (interval_t(&p.figure, lang)) }
                            } @else {
                                td.num { "–" } td.num { "–" } td.num { "–" } td.num { "–" }
                            }
                        }
                    }
                    tr.scope {
                        td { "Scope " (scope.scope.number()) }
                        td { (scope.scope.name(lang)) }
                        td {}
                        td.num { (t(scope.figure.kgco2e, lang)) }
                        td.num { (percent(scope.share, lang)) }
                        td.num { (plus_minus(&scope.figure, lang)) }
                        td {}
                    }
                }
                tr.total {
                    td { "Total" } td {} td {}
                    td.num { (t(report.total.kgco2e, lang)) }
                    td.num { "100 %" }
                    td.num { (plus_minus(&report.total, lang)) }
                    td.num { (interval_t(&report.total, lang)) }
                }
            }
        }
    }
}

/// The 95 % interval in tonnes, for people.
fn interval_t(figure: &Figure, lang: Lang) -> String {
    let (low, high) = figure.interval();
    let tonnes_of = |kg: f64| {
        t(
            rust_decimal::Decimal::from_f64_retain(kg).unwrap_or_default(),
            lang,
        )
    };
    format!("{} – {}", tonnes_of(low), tonnes_of(high))
}

fn uncertainty(analysis: &Analysis, lang: Lang) -> Markup {
    let header = match lang {
        Lang::Fr => [
            "Ligne",
            "Poste",
            "tCO2e",
            "Incertitude",
            "Qualité",
            "Part de la variance",
            "Que faire",
        ],
        Lang::En => [
            "Line",
            "Post",
            "tCO2e",
            "Uncertainty",
            "Quality",
            "Share of variance",
            "What to do",
        ],
    };
    html! {
        @if analysis.lines.is_empty() {
            p.note { @if lang == Lang::Fr { "Aucune ligne incertaine." } @else { "No uncertain line." } }
        } @else {
            table {
                thead { tr { @for (i, h) in header.iter().enumerate() { th.num[(2..=5).contains(&i)] { (h) } } } }
                tbody {
                    @for c in &analysis.lines {
                        @let line = &c.result;
                        tr {
                            td { (line.label) br; small { code { (line.id) } } }
                            td { (line.post.code()) }
                            td.num { (t(line.figure.kgco2e, lang)) }
                            td.num { (plus_minus(&line.figure, lang)) }
                            td.num { (super::uncertainty::quality(line.figure.k, lang)) }
                            td.num { (share_f64(c.share, lang)) }
                            td { @if let Some(advice) = c.advice { (super::uncertainty::advice_text(advice, lang)) } }
                        }
                    }
                }
            }
            p.note {
                @if lang == Lang::Fr {
                    "Ces " (analysis.lines.len()) " lignes font " (share_f64(analysis.listed_share(), lang)) " de la variance du total (" (analysis.contributing_lines) " lignes incertaines en tout). Réduire leur incertitude resserre le plus l'intervalle du total."
                } @else {
                    "These " (analysis.lines.len()) " lines make " (share_f64(analysis.listed_share(), lang)) " of the total's variance (" (analysis.contributing_lines) " uncertain lines in all). Reducing their uncertainty narrows the total's interval most."
                }
            }
        }
    }
}

fn share_f64(share: f64, lang: Lang) -> String {
    percent(
        rust_decimal::Decimal::from_f64_retain(share).unwrap_or_default(),
        lang,
    )
}

fn actions(trajectory: &Trajectory, lang: Lang) -> Markup {
    let header = match lang {
        Lang::Fr => [
            "Action",
            "Postes",
            "Réduction",
            "Période",
            "Impact",
            "Facilité",
            "Statut",
            "Porteur",
        ],
        Lang::En => [
            "Action",
            "Posts",
            "Reduction",
            "Period",
            "Impact",
            "Ease",
            "Status",
            "Owner",
        ],
    };
    let score = |v: Option<u8>| v.map_or_else(|| "–".to_string(), |v| v.to_string());
    html! {
        table {
            thead { tr { @for h in header { th { (h) } } } }
            tbody {
                @for plan in &trajectory.actions {
                    @let a = &plan.action;
                    tr.quiet[!plan.projected] {
                        td { (a.label) br; small { code { (a.id) } } }
                        td { (a.posts.iter().map(|p| p.code()).collect::<Vec<_>>().join(", ")) }
                        td.num {
                            @match a.reduction {
                                Some(crate::action::Reduction::Kgco2e(kg)) => { (t(kg, lang)) " t/" @if lang == Lang::Fr { "an" } @else { "yr" } }
                                Some(crate::action::Reduction::Share(s)) => { (percent(s, lang)) }
                                None => { "–" }
                            }
                        }
                        td {
                            (a.start) " → "
                            @match a.end {
                                crate::action::End::At(when) => { (when) }
                                crate::action::End::After(years) => { "+" (years.normalize()) @if lang == Lang::Fr { " an(s)" } @else { " yr" } }
                                crate::action::End::StartYear => { (a.start.year) }
                            }
                        }
                        td.num { (score(a.impact)) }
                        td.num { (score(a.ease)) }
                        td { (a.status.label(lang)) }
                        td { (a.owner.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
        // The matrix is read whole: its title and table stay on one page.
        div.keep {
        h3 { @if lang == Lang::Fr { "Matrice impact × facilité" } @else { "Impact × ease matrix" } }
        table.matrix {
            thead {
                tr {
                    th { @if lang == Lang::Fr { "Impact ↓ / facilité →" } @else { "Impact ↓ / ease →" } }
                    @for ease in 1..=5u8 { th { (ease) } }
                }
            }
            tbody {
                @for impact in (1..=5u8).rev() {
                    tr {
                        th { (impact) }
                        @for ease in 1..=5u8 {
                            td {
                                @if let Some(cell) = trajectory.matrix.iter().find(|c| c.impact == impact && c.ease == ease) {
                                    ul {
                                        @for id in &cell.actions {
                                            li { (trajectory.actions.iter().find(|p| p.action.id == *id).map_or(id.as_str(), |p| p.action.label.as_str())) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        }
    }
}

fn gases(report: &Report, lang: Lang, l: &Labels) -> Markup {
    let g = &report.gases;
    let names = match lang {
        Lang::Fr => [
            "CO2 fossile",
            "CH4 fossile",
            "CH4 biogénique",
            "N2O",
            "Autres gaz",
        ],
        Lang::En => [
            "Fossil CO2",
            "Fossil CH4",
            "Biogenic CH4",
            "N2O",
            "Other gases",
        ],
    };
    let values = [
        g.amounts.co2f,
        g.amounts.ch4f,
        g.amounts.ch4b,
        g.amounts.n2o,
        g.amounts.other,
    ];
    html! {
        @if g.covered_kgco2e.is_zero() {
            p.note { @if lang == Lang::Fr { "Les facteurs utilisés ne détaillent pas les gaz." } @else { "The factors used give no gas breakdown." } }
        } @else {
            table {
                thead { tr { th { @if lang == Lang::Fr { "Gaz" } @else { "Gas" } } th.num { "tCO2e" } } }
                tbody { @for (name, value) in names.iter().zip(values) { tr { td { (name) } td.num { (t(value, lang)) } } } }
            }
            p.note {
                @if lang == Lang::Fr {
                    "Détail disponible pour " (t(g.covered_kgco2e, lang)) " tCO2e sur " (t(report.total.kgco2e, lang)) " (les autres facteurs ne donnent pas leurs gaz)."
                } @else {
                    "Breakdown available for " (t(g.covered_kgco2e, lang)) " tCO2e of " (t(report.total.kgco2e, lang)) " (the other factors give no gases)."
                }
            }
        }
        h3 { (l.apart) }
        ul {
            li { @if lang == Lang::Fr { "CO2 biogénique : " } @else { "Biogenic CO2: " } (t(report.co2_biogenic, lang)) " tCO2" }
            @if !report.avoided.lines.is_empty() {
                li { @if lang == Lang::Fr { "Émissions évitées : " } @else { "Avoided emissions: " } (t(report.avoided.figure.kgco2e, lang)) " tCO2e" }
            }
            @if !report.removals.lines.is_empty() {
                li { @if lang == Lang::Fr { "Absorptions : " } @else { "Removals: " } (t(report.removals.figure.kgco2e, lang)) " tCO2e" }
            }
            @if report.market_lines > 0 {
                li { "Scope 2 market-based : " (t(report.scope2_market.kgco2e, lang)) " tCO2e" }
            }
        }
    }
}

fn method(report: &Report, lines: &PostLines, lang: Lang) -> Markup {
    let mut rules: Vec<(String, usize)> = Vec::new();
    for (used, count) in lines.rules() {
        let post = used.post;
        let rule = match (used.reason, lang) {
            (crate::assignment::EXPLICIT, Lang::Fr) => {
                format!("poste donné par la ligne (post:) → {post}")
            }
            (crate::assignment::EXPLICIT, Lang::En) => {
                format!("post given by the line (post:) → {post}")
            }
            (crate::assignment::AMORTIZATION, Lang::Fr) => {
                format!("immobilisation amortie (amortization:) → {post}")
            }
            (crate::assignment::AMORTIZATION, Lang::En) => {
                format!("amortised capital good (amortization:) → {post}")
            }
            _ => used.to_string(),
        };
        match rules.iter_mut().find(|(r, _)| *r == rule) {
            Some((_, n)) => *n += count,
            None => rules.push((rule, *count)),
        }
    }
    rules.sort();
    html! {
        @if lang == Lang::Fr {
            p { "Méthode Bilan Carbone® (ADEME / ABC) : chaque ligne d'activité (quantité × facteur d'émission) est affectée à l'un des 22 postes ; les émissions amont de l'énergie vont au poste 3.8 ; les immobilisations sont amorties. Incertitudes log-normales combinées selon les formules de la méthode (intervalle de confiance à 95 %). Émissions évitées, absorptions et CO2 biogénique sont rapportés hors total." }
        } @else {
            p { "Bilan Carbone® method (ADEME / ABC): each activity line (quantity × emission factor) is assigned to one of the 22 posts; upstream energy emissions go to post 3.8; capital goods are amortised. Log-normal uncertainties combined with the method's formulas (95% confidence interval). Avoided emissions, removals and biogenic CO2 are reported outside the total." }
        }
        h3 { @if lang == Lang::Fr { "Bases de facteurs" } @else { "Factor bases" } }
        table {
            thead { tr { th { "Base" } th { @if lang == Lang::Fr { "Type" } @else { "Kind" } } th.num { @if lang == Lang::Fr { "Facteurs" } @else { "Factors" } } th { "SHA-256" } } }
            tbody {
                @for b in &report.bases {
                    tr { td { (b.name) } td { (b.kind.label()) } td.num { (b.factors) } td { code { (b.sha256) } } }
                }
            }
        }
        h3 { @if lang == Lang::Fr { "Règles d'affectation utilisées" } @else { "Assignment rules used" } }
        ul { @for (rule, n) in &rules { li { (rule) " (" (n) ")" } } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_rfc_4648() {
        // RFC 4648 §10 test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn css_strings_cannot_close_the_string_or_the_style() {
        assert_eq!(
            css_string("a \"b\" </style>é"),
            "\"a \\22 b\\22  \\3c /style\\3e \\e9 \""
        );
    }
}
