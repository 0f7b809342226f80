//! The table for people (comfy-table): header, the 22 posts with scope subtotals, the total
//! with its 95 % interval, then ratios.

use super::grid::Grid;
use super::{human, intensity, percent, plus_minus, quantity, status_label, tonnes};
use crate::post::Lang;
use crate::report::{Figure, Report};

/// What a row of the posts table is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// One post.
    Post,
    /// A scope subtotal.
    Scope,
    /// The total.
    Total,
}

/// The posts table as text cells, shared by the table and Markdown renderers.
pub fn rows(report: &Report, lang: Lang) -> (Vec<&'static str>, Vec<(RowKind, Vec<String>)>) {
    let header = match lang {
        Lang::Fr => vec![
            "Poste",
            "Intitulé",
            "Statut",
            "tCO2e",
            "Part",
            "Incertitude",
        ],
        Lang::En => vec!["Post", "Name", "Status", "tCO2e", "Share", "Uncertainty"],
    };
    let mut rows = Vec::new();
    let figure_cells = |figure: &Figure, share| {
        [
            human(tonnes(figure.kgco2e), 2, lang),
            percent(share, lang),
            plus_minus(figure, lang),
        ]
    };
    for scope in &report.scopes {
        for post in report
            .posts
            .iter()
            .filter(|p| p.post.scope() == scope.scope)
        {
            let mut cells = vec![
                post.post.code().to_string(),
                post.post.name(lang).to_string(),
                status_label(&post.status, lang).to_string(),
            ];
            if post.lines > 0 {
                cells.extend(figure_cells(&post.figure, post.share));
            } else {
                cells.extend(["–".to_string(), "–".to_string(), "–".to_string()]);
            }
            rows.push((RowKind::Post, cells));
        }
        let mut cells = vec![
            format!("Scope {}", scope.scope.number()),
            scope.scope.name(lang).to_string(),
            String::new(),
        ];
        cells.extend(figure_cells(&scope.figure, scope.share));
        rows.push((RowKind::Scope, cells));
    }
    let total_share = if report.total.kgco2e.is_zero() {
        rust_decimal::Decimal::ZERO
    } else {
        rust_decimal::Decimal::ONE
    };
    let mut cells = vec!["Total".to_string(), String::new(), String::new()];
    cells.extend(figure_cells(&report.total, total_share));
    rows.push((RowKind::Total, cells));
    (header, rows)
}

/// The lines before the table: organisation, period, perimeter.
pub fn heading(report: &Report, lang: Lang) -> Vec<String> {
    let org = &report.organisation;
    let mut lines = vec![match &org.id {
        Some(id) => format!("Bilan Carbone® — {} ({id})", org.name),
        None => format!("Bilan Carbone® — {}", org.name),
    }];
    // French puts a space before the colon.
    let (period, perimeter, sites, exclusions) = match lang {
        Lang::Fr => ("Période :", "Périmètre :", "Sites :", "Exclusions :"),
        Lang::En => ("Period:", "Perimeter:", "Sites:", "Exclusions:"),
    };
    lines.push(format!(
        "{period} {} – {}",
        report.period.start, report.period.end
    ));
    let p = &report.perimeter;
    if let Some(c) = &p.consolidation {
        lines.push(format!(
            "{perimeter} {}",
            super::consolidation_label(c, lang)
        ));
    }
    if !p.sites.is_empty() {
        lines.push(format!("{sites} {}", p.sites.join(", ")));
    }
    if !p.exclusions.is_empty() {
        let separator = match lang {
            Lang::Fr => " ; ",
            Lang::En => "; ",
        };
        lines.push(format!("{exclusions} {}", p.exclusions.join(separator)));
    }
    // Names and sites come from the input file: shown, never sent to the terminal.
    lines
        .into_iter()
        .map(|l| crate::text::printable(&l, false).into_owned())
        .collect()
}

/// The lines after the table: interval, apart blocks, ratios, warnings count.
pub fn footer(report: &Report, lang: Lang) -> Vec<String> {
    let (low, high) = report.total.interval();
    let t = |v: f64| {
        human(
            tonnes(rust_decimal::Decimal::from_f64_retain(v).unwrap_or_default()),
            2,
            lang,
        )
    };
    let mut lines = vec![match lang {
        Lang::Fr => format!(
            "Total : {} tCO2e, intervalle de confiance à 95 % : {} – {} tCO2e",
            human(tonnes(report.total.kgco2e), 2, lang),
            t(low),
            t(high)
        ),
        Lang::En => format!(
            "Total: {} tCO2e, 95% confidence interval: {} – {} tCO2e",
            human(tonnes(report.total.kgco2e), 2, lang),
            t(low),
            t(high)
        ),
    }];
    let apart = [
        (
            &report.avoided,
            "Émissions évitées (hors total)",
            "Avoided emissions (not in the total)",
        ),
        (
            &report.removals,
            "Absorptions (hors total)",
            "Removals (not in the total)",
        ),
    ];
    for (block, fr, en) in apart {
        if !block.lines.is_empty() {
            let label = if lang == Lang::Fr {
                format!("{fr} :")
            } else {
                format!("{en}:")
            };
            lines.push(format!(
                "{label} {} tCO2e {}",
                human(tonnes(block.figure.kgco2e), 2, lang),
                plus_minus(&block.figure, lang)
            ));
        }
    }
    if report.market_lines > 0 {
        let location = report
            .scopes
            .iter()
            .find(|s| s.scope.number() == 2)
            .map(|s| s.figure.kgco2e)
            .unwrap_or_default();
        lines.push(match lang {
            Lang::Fr => format!(
                "Scope 2 « market-based » : {} tCO2e {} (« location-based », retenu au total : {} tCO2e)",
                human(tonnes(report.scope2_market.kgco2e), 2, lang),
                plus_minus(&report.scope2_market, lang),
                human(tonnes(location), 2, lang)
            ),
            Lang::En => format!(
                "Scope 2 market-based: {} tCO2e {} (location-based, in the total: {} tCO2e)",
                human(tonnes(report.scope2_market.kgco2e), 2, lang),
                plus_minus(&report.scope2_market, lang),
                human(tonnes(location), 2, lang)
            ),
        });
    }
    if !report.co2_biogenic.is_zero() {
        let label = if lang == Lang::Fr {
            "CO2 biogénique (hors total) :"
        } else {
            "Biogenic CO2 (not in the total):"
        };
        lines.push(format!(
            "{label} {} tCO2",
            human(tonnes(report.co2_biogenic), 2, lang)
        ));
    }
    if !report.ratios.is_empty() {
        lines.push(String::new());
        lines.push(
            if lang == Lang::Fr {
                "Ratios d'intensité :"
            } else {
                "Intensity ratios:"
            }
            .to_string(),
        );
        for ratio in &report.ratios {
            let i = &ratio.indicator;
            let unit = i
                .unit
                .as_deref()
                .map_or_else(|| i.label.clone(), |u| format!("{u} ({})", i.label));
            lines.push(format!(
                "  {} / {unit}  ({} = {})",
                intensity(ratio.kgco2e_per_unit, lang),
                i.label,
                quantity(i.value, lang)
            ));
        }
    }
    if !report.warnings.is_empty() {
        lines.push(String::new());
        lines.push(match lang {
            Lang::Fr => format!(
                "Avertissements : {} (détail sur la sortie d'erreur, et dans le JSON)",
                report.warnings.len()
            ),
            Lang::En => format!(
                "Warnings: {} (listed on stderr, and in the JSON)",
                report.warnings.len()
            ),
        });
    }
    lines
}

/// The report as a table for a terminal, ending with a newline.
pub fn render(report: &Report, lang: Lang) -> String {
    let (header, rows) = rows(report, lang);
    let rows = rows.into_iter().map(|(_, cells)| cells).collect();
    let mut out = heading(report, lang).join("\n");
    out.push_str("\n\n");
    out.push_str(&Grid::new(header, rows, 3).table());
    out.push('\n');
    for line in footer(report, lang) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&super::consolidation::table(report, lang));
    out
}
