//! The report for people who receive a Bilan Carbone®: one self-contained HTML file (inline
//! CSS and SVG, no script), printable on A4. Templating and escaping by maud.

use super::{exact, human, percent, plus_minus, status_label, svg, tonnes};
use crate::post::Lang;
use crate::report::{Figure, PostStatus, Report};
use crate::trajectory::Trajectory;
use crate::uncertainty_analysis::Analysis;
use maud::{DOCTYPE, Markup, PreEscaped, html};

const STYLE: &str = r#"
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; background: #fff;
       max-width: 190mm; margin: 0 auto; padding: 8mm 0; font-size: 10.5pt; line-height: 1.4; }
h1 { font-size: 20pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 8mm 0 3mm; border-bottom: 1.5px solid #1f4e79; padding-bottom: 1mm; }
.meta { color: #333; margin: 0; }
.headline { display: flex; gap: 8mm; align-items: baseline; border: 1.5px solid #1f4e79; padding: 4mm; margin-top: 5mm; }
.headline .total { font-size: 24pt; font-weight: bold; }
.headline .interval { color: #333; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border-bottom: 1px solid #bbb; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.scope td { font-weight: bold; background: #f3f3f3; }
tr.total td { font-weight: bold; border-top: 2px solid #111; }
tr.quiet td { color: #555; }
.chart { width: 100%; height: auto; }
table.matrix { table-layout: fixed; }
table.matrix td, table.matrix th { text-align: center; overflow-wrap: anywhere; }
.note { color: #333; font-size: 9pt; }
code { font-size: 8.5pt; word-break: break-all; }
section { break-inside: avoid-page; }
@media print { h2 { break-after: avoid; } }
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
    scopes: &'static str,
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
    scopes: "Répartition par scope",
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
    scopes: "Split by scope",
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

/// What the report shows beyond the computed inventory.
pub struct Extras<'a> {
    /// The lines and posts that weigh most in the total's uncertainty.
    pub analysis: &'a Analysis,
    /// The trajectory, when the inventory has actions or history was given.
    pub trajectory: Option<&'a Trajectory>,
}

/// The whole report as an HTML document.
pub fn render(report: &Report, extras: &Extras<'_>, lang: Lang) -> String {
    let l = if lang == Lang::Fr { &FR } else { &EN };
    let org = &report.organisation;
    let year = report.period.year();
    let doc: Markup = html! {
        (DOCTYPE)
        html lang=(if lang == Lang::Fr { "fr" } else { "en" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Bilan Carbone® " (year) " — " (org.name) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "Bilan Carbone® " (year) " — " (org.name) }
                    @if let Some(id) = &org.id { p.meta { (id) } }
                    p.meta { (l.period) " : " (report.period.start) " – " (report.period.end) }
                    @if let Some(c) = &report.perimeter.consolidation { p.meta { (l.perimeter) " : " (super::consolidation_label(c, lang)) } }
                    @if !report.perimeter.sites.is_empty() { p.meta { (l.sites) " : " (report.perimeter.sites.join(", ")) } }
                    @if !report.perimeter.exclusions.is_empty() {
                        p.meta { (l.exclusions) " :" }
                        ul { @for e in &report.perimeter.exclusions { li { (e) } } }
                    }
                }
                section.headline #headline {
                    div {
                        div { (l.total) }
                        div.total { (t(report.total.kgco2e, lang)) " tCO2e" }
                        div.interval { (l.interval) " : " (interval_t(&report.total, lang)) " tCO2e (" (plus_minus(&report.total, lang)) ")" }
                    }
                    @if !report.ratios.is_empty() {
                        div {
                            div { (l.ratios) }
                            ul {
                                @for r in &report.ratios {
                                    li { (t(r.kgco2e_per_unit, lang)) " tCO2e / " (r.indicator.unit.as_deref().unwrap_or(&r.indicator.label)) " (" (r.indicator.label) " = " (exact(r.indicator.value)) ")" }
                                }
                            }
                        }
                    }
                }
                section #posts-chart { h2 { (l.posts) } (svg::posts_chart(report, lang)) }
                section #scopes-chart { h2 { (l.scopes) } (svg::scopes_chart(report, lang)) }
                section #posts-table {
                    h2 { (l.table) }
                    (posts_table(report, lang))
                }
                section #uncertainty { h2 { (l.uncertainty) } (uncertainty(report, extras.analysis, lang)) }
                section #gases { h2 { (l.gases) } (gases(report, lang, l)) }
                @if let Some(trajectory) = extras.trajectory {
                    section #trajectory {
                        h2 { (l.trajectory) }
                        (svg::trajectory_chart(trajectory, lang))
                        @if let Some(rates) = super::trajectory::rates(trajectory, lang) { p { (rates) } }
                    }
                    @if !trajectory.actions.is_empty() {
                        section #actions { h2 { (l.actions) } (actions(trajectory, lang)) }
                    }
                }
                section #method { h2 { (l.method) } (method(report, lang)) }
            }
        }
    };
    let mut text = one_block_per_line(&doc.into_string());
    text.push('\n');
    text
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
                        td { "Scope " (scope.scope.0) }
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

fn uncertainty(report: &Report, analysis: &Analysis, lang: Lang) -> Markup {
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
                        @if let Some(line) = report.lines.get(c.line) {
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
        h3 { @if lang == Lang::Fr { "Matrice impact × facilité" } @else { "Impact × ease matrix" } }
        table.matrix {
            thead {
                tr {
                    th { @if lang == Lang::Fr { "Impact ↓ / facilité →" } @else { "Impact ↓ / ease →" } }
                    @for ease in 1..=5u8 { th.num { (ease) } }
                }
            }
            tbody {
                @for impact in (1..=5u8).rev() {
                    tr {
                        th { (impact) }
                        @for ease in 1..=5u8 {
                            td.num {
                                @if let Some(cell) = trajectory.matrix.iter().find(|c| c.impact == impact && c.ease == ease) {
                                    (cell.actions.join(", "))
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

fn method(report: &Report, lang: Lang) -> Markup {
    let mut rules: Vec<(String, usize)> = Vec::new();
    for line in &report.lines {
        let rule = line.rule.to_string();
        match rules.iter_mut().find(|(r, _)| *r == rule) {
            Some((_, n)) => *n += 1,
            None => rules.push((rule, 1)),
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
