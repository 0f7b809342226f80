//! The Monte Carlo results and the uncertainty analysis, when asked: sections after the table
//! or the Markdown, a block of the JSON, columns of the CSV. Only prints: the figures come from
//! [`crate::monte_carlo`] and [`crate::uncertainty_analysis`].

use super::{human, percent, plus_minus, rounded_f64, tonnes};
use crate::analysed::Analysed;
use crate::monte_carlo::{MonteCarlo, RNG, Stats};
use crate::post::Lang;
use crate::report::{Figure, Report, to_f64};
use crate::uncertainty::quality_class;
use crate::uncertainty_analysis::{Advice, Analysis};
use rust_decimal::Decimal;

/// A section: a title, a grid (header, rows; columns from `right` on are right-aligned), notes.
struct Section {
    title: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    right: usize,
    notes: Vec<String>,
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_string()).collect()
}

/// kgCO2e (f64) as tCO2e for people.
fn t(kg: f64, lang: Lang) -> String {
    human(
        tonnes(Decimal::from_f64_retain(kg).unwrap_or_default()),
        2,
        lang,
    )
}

fn interval(low: f64, high: f64, lang: Lang) -> String {
    format!("{} – {}", t(low, lang), t(high, lang))
}

fn share(value: f64, lang: Lang) -> String {
    percent(Decimal::from_f64_retain(value).unwrap_or_default(), lang)
}

fn ratio(value: f64, lang: Lang) -> String {
    human(Decimal::from_f64_retain(value).unwrap_or_default(), 2, lang)
}

/// The quality class of a k in words: `moyenne (3/5)`.
pub fn quality(k: f64, lang: Lang) -> String {
    let class = quality_class(k);
    let word = match (class, lang) {
        (5, Lang::Fr) => "très bonne",
        (4, Lang::Fr) => "bonne",
        (3, Lang::Fr) => "moyenne",
        (2, Lang::Fr) => "mauvaise",
        (_, Lang::Fr) => "très mauvaise",
        (5, Lang::En) => "very good",
        (4, Lang::En) => "good",
        (3, Lang::En) => "average",
        (2, Lang::En) => "poor",
        (_, Lang::En) => "very poor",
    };
    format!("{word} ({class}/5)")
}

/// One line of advice.
pub fn advice_text(advice: Advice, lang: Lang) -> &'static str {
    match (advice, lang) {
        (Advice::DeclareQuality, Lang::Fr) => {
            "déclarer l'incertitude ou la qualité de la donnée d'activité (comptée au pire cas de la méthode)"
        }
        (Advice::DeclareQuality, Lang::En) => {
            "declare the activity data's uncertainty or quality (it counts at the method's worst case)"
        }
        (Advice::ImproveActivity, Lang::Fr) => {
            "améliorer la donnée d'activité : relevés, compteurs ou factures plutôt qu'estimations"
        }
        (Advice::ImproveActivity, Lang::En) => {
            "improve the activity data: readings, meters or invoices rather than estimates"
        }
        (Advice::PhysicalData, Lang::Fr) => {
            "remplacer le ratio monétaire par des quantités physiques (kg, kWh, km) et un facteur physique"
        }
        (Advice::PhysicalData, Lang::En) => {
            "replace the monetary ratio by physical quantities (kg, kWh, km) and a physical factor"
        }
        (Advice::SpecificFactor, Lang::Fr) => {
            "utiliser un facteur d'émission plus spécifique (fournisseur, produit, procédé)"
        }
        (Advice::SpecificFactor, Lang::En) => {
            "use a more specific emission factor (supplier, product or process data)"
        }
    }
}

fn mc_cells(figure: &Figure, stats: &Stats, lang: Lang) -> [String; 6] {
    let (low, high) = figure.interval();
    [
        t(to_f64(figure.kgco2e), lang),
        interval(low, high, lang),
        t(stats.mean, lang),
        t(stats.median, lang),
        t(stats.p2_5, lang),
        t(stats.p97_5, lang),
    ]
}

fn monte_carlo_section(report: &Report, mc: &MonteCarlo, lang: Lang) -> Section {
    let s = &mc.settings;
    let draws = human(Decimal::from(s.draws), 0, lang);
    let (title, model) = match lang {
        Lang::Fr => (
            format!(
                "Monte Carlo : {draws} tirages, graine {}, générateur {RNG}",
                s.seed
            ),
            match s.correlation {
                crate::monte_carlo::Correlation::Independent => "lignes indépendantes",
                crate::monte_carlo::Correlation::SharedFactors => {
                    "facteurs partagés (un tirage par facteur, commun aux lignes qui l'utilisent)"
                }
            },
        ),
        Lang::En => (
            format!(
                "Monte Carlo: {draws} draws, seed {}, {RNG} generator",
                s.seed
            ),
            match s.correlation {
                crate::monte_carlo::Correlation::Independent => "independent lines",
                crate::monte_carlo::Correlation::SharedFactors => {
                    "shared factors (one draw per factor, common to the lines using it)"
                }
            },
        ),
    };
    let header = match lang {
        Lang::Fr => strings(&[
            "Poste",
            "Intitulé",
            "tCO2e",
            "Intervalle 95 % (méthode)",
            "Moyenne MC",
            "Médiane MC",
            "MC 2,5 %",
            "MC 97,5 %",
        ]),
        Lang::En => strings(&[
            "Post",
            "Name",
            "tCO2e",
            "95% interval (method)",
            "MC mean",
            "MC median",
            "MC 2.5%",
            "MC 97.5%",
        ]),
    };
    let mut rows = Vec::new();
    for scope in &report.scopes {
        for post in report
            .posts
            .iter()
            .filter(|p| p.post.scope() == scope.scope)
        {
            if let Some(stats) = mc.post(post.post) {
                let mut row = vec![
                    post.post.code().to_string(),
                    post.post.name(lang).to_string(),
                ];
                row.extend(mc_cells(&post.figure, stats, lang));
                rows.push(row);
            }
        }
        let simulated = mc.posts.iter().any(|(p, _)| p.scope() == scope.scope);
        if let Some(stats) = mc.scope(scope.scope).filter(|_| simulated) {
            let mut row = vec![
                format!("Scope {}", scope.scope.number()),
                scope.scope.name(lang).to_string(),
            ];
            row.extend(mc_cells(&scope.figure, stats, lang));
            rows.push(row);
        }
    }
    let mut row = vec!["Total".to_string(), String::new()];
    row.extend(mc_cells(&report.total, &mc.total, lang));
    rows.push(row);
    let mut notes = vec![match lang {
        Lang::Fr => format!("Modèle : {model} ; émissions évitées et absorptions non simulées."),
        Lang::En => format!("Model: {model}; avoided emissions and removals not simulated."),
    }];
    if let (Some(independent), Some(r)) = (mc.independent_total, mc.width_ratio()) {
        notes.push(match lang {
            Lang::Fr => format!(
                "Avec des facteurs partagés, l'intervalle à 95 % du total est {} fois plus large qu'avec des lignes indépendantes ({} tCO2e).",
                ratio(r, lang),
                interval(independent.p2_5, independent.p97_5, lang)
            ),
            Lang::En => format!(
                "With shared factors the total's 95% interval is {} times as wide as with independent lines ({} tCO2e).",
                ratio(r, lang),
                interval(independent.p2_5, independent.p97_5, lang)
            ),
        });
    }
    Section {
        title,
        header,
        rows,
        right: 2,
        notes,
    }
}

fn analysis_sections(report: &Report, analysis: &Analysis, lang: Lang) -> [Section; 2] {
    let (post_title, post_header) = match lang {
        Lang::Fr => (
            "Analyse d'incertitude : part de chaque poste dans la variance (méthode analytique)",
            strings(&[
                "Poste",
                "Intitulé",
                "tCO2e",
                "Incertitude",
                "Qualité",
                "Part de la variance",
            ]),
        ),
        Lang::En => (
            "Uncertainty analysis: each post's share of the variance (analytic method)",
            strings(&[
                "Post",
                "Name",
                "tCO2e",
                "Uncertainty",
                "Quality",
                "Share of variance",
            ]),
        ),
    };
    let figure_cells = |figure: &Figure| {
        [
            human(tonnes(figure.kgco2e), 2, lang),
            plus_minus(figure, lang),
            quality(figure.k, lang),
        ]
    };
    let posts = analysis
        .posts
        .iter()
        .filter_map(|c| {
            let p = report.posts.iter().find(|p| p.post == c.post)?;
            let mut row = vec![p.post.code().to_string(), p.post.name(lang).to_string()];
            row.extend(figure_cells(&p.figure));
            row.push(share(c.share, lang));
            Some(row)
        })
        .collect();
    let (line_title, line_header) = match lang {
        Lang::Fr => (
            "Les lignes qui pèsent le plus dans la variance du total",
            strings(&[
                "Rang",
                "Ligne",
                "Intitulé",
                "Poste",
                "tCO2e",
                "Incertitude",
                "Qualité",
                "Part de la variance",
            ]),
        ),
        Lang::En => (
            "The lines that weigh most in the total's variance",
            strings(&[
                "Rank",
                "Line",
                "Label",
                "Post",
                "tCO2e",
                "Uncertainty",
                "Quality",
                "Share of variance",
            ]),
        ),
    };
    let mut lines = Vec::new();
    let mut advice = Vec::new();
    for (rank, c) in analysis.lines.iter().enumerate() {
        let line = &c.result;
        let mut row = vec![
            (rank + 1).to_string(),
            line.id.to_string(),
            line.label.to_string(),
            line.post.code().to_string(),
        ];
        row.extend(figure_cells(&line.figure));
        row.push(share(c.share, lang));
        lines.push(row);
        if let Some(a) = c.advice {
            advice.push(format!(
                "  {}. {} : {}",
                rank + 1,
                line.id,
                advice_text(a, lang)
            ));
        }
    }
    let mut notes = vec![match lang {
        Lang::Fr => format!(
            "Ces {} lignes expliquent {} de la variance du total ({} lignes incertaines en tout).",
            analysis.lines.len(),
            share(analysis.listed_share(), lang),
            analysis.contributing_lines
        ),
        Lang::En => format!(
            "These {} lines explain {} of the total's variance ({} uncertain lines in all).",
            analysis.lines.len(),
            share(analysis.listed_share(), lang),
            analysis.contributing_lines
        ),
    }];
    if !advice.is_empty() {
        notes.push(
            match lang {
                Lang::Fr => "À faire en priorité :",
                Lang::En => "What to do first:",
            }
            .to_string(),
        );
        if lang == Lang::En {
            for a in &mut advice {
                *a = a.replacen(" : ", ": ", 1);
            }
        }
        notes.extend(advice);
    }
    [
        Section {
            title: post_title.to_string(),
            header: post_header,
            rows: posts,
            right: 2,
            notes: Vec::new(),
        },
        Section {
            title: line_title.to_string(),
            header: line_header,
            rows: lines,
            right: 4,
            notes,
        },
    ]
}

fn sections(analysed: &Analysed<'_>, lang: Lang) -> Vec<Section> {
    let (report, extras) = (analysed.report, analysed);
    let mut sections = Vec::new();
    if let Some(mc) = &extras.monte_carlo {
        sections.push(monte_carlo_section(report, mc, lang));
    }
    if let Some(analysis) = &extras.analysis {
        sections.extend(analysis_sections(report, analysis, lang));
    }
    sections
}

/// The sections for a terminal, each after an empty line; empty when nothing was asked.
pub fn table(analysed: &Analysed<'_>, lang: Lang) -> String {
    let mut out = String::new();
    for section in sections(analysed, lang) {
        let table = super::grid::Grid::new(section.header, section.rows, section.right).table();
        out.push('\n');
        out.push_str(&section.title);
        out.push('\n');
        out.push_str(&table);
        out.push('\n');
        for note in section.notes {
            out.push_str(&note);
            out.push('\n');
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The sections in Markdown, each after an empty line; empty when nothing was asked.
pub fn markdown(analysed: &Analysed<'_>, lang: Lang) -> String {
    let mut out = String::new();
    for section in sections(analysed, lang) {
        out.push_str(&format!("\n### {}\n\n", escape(&section.title)));
        out.push_str(&format!("| {} |\n", section.header.join(" | ")));
        let align: Vec<&str> = (0..section.header.len())
            .map(|i| if i >= section.right { "---:" } else { "---" })
            .collect();
        out.push_str(&format!("|{}|\n", align.join("|")));
        for row in &section.rows {
            let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        if !section.notes.is_empty() {
            out.push('\n');
        }
        for note in &section.notes {
            match note.strip_prefix("  ") {
                Some(item) => out.push_str(&format!("{}\n", escape(item))),
                None => out.push_str(&format!("{}  \n", escape(note))),
            }
        }
    }
    out
}

/// The CSV header cells Monte Carlo adds to the posts CSV.
pub const CSV_HEADER: [&str; 4] = ["mc_mean", "mc_median", "mc_p2_5", "mc_p97_5"];

/// A post's Monte Carlo cells (kgCO2e to the gram; empty for a post without lines).
pub fn csv_cells(stats: Option<&Stats>) -> [String; 4] {
    match stats {
        Some(s) => [s.mean, s.median, s.p2_5, s.p97_5].map(|v| rounded_f64(v, 3)),
        None => Default::default(),
    }
}

// ---- JSON -------------------------------------------------------------------------------------

use crate::contract::Num;
use crate::contract::result::{
    LineShare, McFigure, McPost, McScope, McStats, MonteCarlo as McBlock, PostShare,
    UncertaintyAnalysis,
};

fn kg(value: f64) -> Num {
    super::num_rounded_f64(value, 3)
}

fn fraction(value: f64) -> Num {
    super::num_rounded_f64(value, 6)
}

fn mc_figure(figure: &Figure, stats: &Stats) -> McFigure {
    let (low, high) = figure.interval();
    McFigure {
        kgco2e: Num(figure.kgco2e),
        low: kg(low),
        high: kg(high),
        mean: kg(stats.mean),
        median: kg(stats.median),
        p2_5: kg(stats.p2_5),
        p97_5: kg(stats.p97_5),
    }
}

/// The `monte_carlo` block of the result document.
pub fn monte_carlo_json(report: &Report, mc: &MonteCarlo) -> McBlock<'static> {
    McBlock {
        draws: mc.settings.draws,
        seed: mc.settings.seed,
        rng: RNG.into(),
        correlation: mc.settings.correlation.code().into(),
        total: mc_figure(&report.total, &mc.total),
        independent_total: mc.independent_total.map(|s| McStats {
            mean: kg(s.mean),
            median: kg(s.median),
            p2_5: kg(s.p2_5),
            p97_5: kg(s.p97_5),
        }),
        width_ratio: mc.width_ratio().map(fraction),
        scopes: report
            .scopes
            .iter()
            .filter_map(|s| {
                Some(McScope {
                    scope: s.scope.number(),
                    figure: mc_figure(&s.figure, mc.scope(s.scope)?),
                })
            })
            .collect(),
        posts: report
            .posts
            .iter()
            .filter_map(|p| {
                Some(McPost {
                    code: p.post.code().into(),
                    figure: mc_figure(&p.figure, mc.post(p.post)?),
                })
            })
            .collect(),
    }
}

/// The `uncertainty_analysis` block of the result document.
pub fn analysis_json<'a>(
    report: &'a Report,
    analysis: &'a Analysis,
    lang: Lang,
) -> UncertaintyAnalysis<'a> {
    UncertaintyAnalysis {
        method: "share of the total's variance: (E_i/E)^2 (ln sqrt k_i)^2, normalised (uncertainty.md §4)".into(),
        contributing_lines: analysis.contributing_lines,
        listed_share: fraction(analysis.listed_share()),
        posts: analysis
            .posts
            .iter()
            .filter_map(|c| {
                let p = report.posts.iter().find(|p| p.post == c.post)?;
                Some(PostShare {
                    code: p.post.code().into(),
                    name: p.post.name(lang).into(),
                    kgco2e: Num(p.figure.kgco2e),
                    uncertainty: fraction(p.figure.alpha()),
                    quality: quality_class(p.figure.k),
                    share_of_variance: fraction(c.share),
                })
            })
            .collect(),
        lines: analysis
            .lines
            .iter()
            .enumerate()
            .map(|(rank, c)| {
                let l = &c.result;
                LineShare {
                    rank: rank + 1,
                    id: (&*l.id).into(),
                    label: (&*l.label).into(),
                    post: l.post.code().into(),
                    kgco2e: Num(l.figure.kgco2e),
                    uncertainty: fraction(l.figure.alpha()),
                    quality: quality_class(l.figure.k),
                    activity_part: fraction(c.activity_part),
                    share_of_variance: fraction(c.share),
                    advice: c.advice.map(|a| a.code().into()),
                }
            })
            .collect(),
    }
}

/// The sections as sheets of a workbook (one each, its title under the table), numbers read back
/// from their display (tCO2e to the hundredth, percentages as fractions).
pub fn sheets(analysed: &Analysed<'_>, lang: Lang) -> Vec<super::sheet::Sheet> {
    use super::sheet::{Cell, Sheet, human_number};
    sections(analysed, lang)
        .into_iter()
        .map(|section| {
            let right = section.right;
            let mut rows: Vec<Vec<Cell>> = section
                .rows
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .enumerate()
                        .map(|(i, text)| match human_number(&text, lang) {
                            Some((n, false)) if i >= right => Cell::Number(n),
                            Some((n, true)) if i >= right => Cell::Fraction(n),
                            _ if text.is_empty() => Cell::Empty,
                            _ => Cell::Text(text),
                        })
                        .collect()
                })
                .collect();
            // The title under the table, with the notes: the sheet's name is short.
            rows.push(Vec::new());
            rows.push(vec![Cell::Text(section.title)]);
            rows.extend(
                section
                    .notes
                    .into_iter()
                    .map(|note| vec![Cell::Text(note.trim().to_string())]),
            );
            Sheet {
                name: super::sheet::name("Incertitude", "Uncertainty", lang),
                header: section.header,
                rows,
            }
        })
        .collect()
}
