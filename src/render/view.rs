//! A framework's view (BEGES v5, GHG Protocol, ESRS E1-6): table, Markdown, CSV, JSON.

use super::grid::{Grid, escape_markdown};
use super::{
    bounds, exact, human, num_rounded, num_rounded_f64, percent, plus_minus, rounded, rounded_f64,
    significant, tonnes,
};
use crate::contract::view as doc;
use crate::contract::{Num, Period};
use crate::post::Lang;
use crate::report::{Figure, Report};
use crate::view::{Framework, RowKind, View};
use rust_decimal::Decimal;

fn title(view: &View, report: &Report, lang: Lang) -> String {
    let name = match (view.framework, lang) {
        (Framework::BegesV5, Lang::Fr) => "BEGES v5 (ISO 14064-1:2018)",
        (Framework::BegesV5, Lang::En) => "BEGES v5 (ISO 14064-1:2018)",
        (Framework::GhgProtocol, _) => "GHG Protocol",
        (Framework::EsrsE1, _) => "ESRS E1-6",
    };
    format!(
        "{name} — {} ({} – {})",
        report.organisation.name, report.period.start, report.period.end
    )
}

fn share(figure: &Figure, total: Decimal) -> Decimal {
    if total.is_zero() {
        Decimal::ZERO
    } else {
        figure.kgco2e.checked_div(total).unwrap_or_default()
    }
}

fn rows(view: &View, lang: Lang) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = view
        .rows
        .iter()
        .map(|r| {
            let name = if lang == Lang::Fr { r.fr } else { r.en };
            let empty = r.kind == RowKind::Item && r.lines == 0;
            let mut row = vec![r.code.to_string(), name.to_string()];
            if empty {
                row.extend(["–".to_string(), "–".to_string(), "–".to_string()]);
            } else {
                let share = if r.kind == RowKind::Memo {
                    "–".to_string()
                } else {
                    percent(share(&r.figure, view.total.kgco2e), lang)
                };
                row.extend([
                    human(tonnes(r.figure.kgco2e), 2, lang),
                    share,
                    plus_minus(&r.figure, lang),
                ]);
            }
            row
        })
        .collect();
    let mut total = vec!["Total".to_string(), String::new()];
    total.extend([
        human(tonnes(view.total.kgco2e), 2, lang),
        percent(
            if view.total.kgco2e.is_zero() {
                Decimal::ZERO
            } else {
                Decimal::ONE
            },
            lang,
        ),
        plus_minus(&view.total, lang),
    ]);
    rows.push(total);
    rows
}

fn header(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Fr => ["Code", "Catégorie", "tCO2e", "Part", "Incertitude"],
        Lang::En => ["Code", "Category", "tCO2e", "Share", "Uncertainty"],
    }
}

fn notes(view: &View, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((label, location, market)) = &view.intensity {
        out.push(match lang {
            Lang::Fr => format!(
                "Intensité GES par chiffre d'affaires net ({label}) : {} tCO2e/M€ (location-based), {} tCO2e/M€ (market-based)",
                significant(*location, lang),
                significant(*market, lang)
            ),
            Lang::En => format!(
                "GHG intensity per net revenue ({label}): {} tCO2e/M€ (location-based), {} tCO2e/M€ (market-based)",
                significant(*location, lang),
                significant(*market, lang)
            ),
        });
    }
    if let Some((ets, share)) = view.scope1_ets {
        out.push(match lang {
            Lang::Fr => format!(
                "Part du scope 1 sous un système d'échange de quotas réglementé (lignes `ets: true`) : {} ({} tCO2e)",
                percent(share, lang),
                human(tonnes(ets), 2, lang)
            ),
            Lang::En => format!(
                "Share of scope 1 under a regulated emission trading scheme (lines with `ets: true`): {} ({} tCO2e)",
                percent(share, lang),
                human(tonnes(ets), 2, lang)
            ),
        });
    }
    if let Some(co2b) = view.co2_biogenic {
        out.push(match lang {
            Lang::Fr => format!(
                "Émissions de CO2 biogénique (hors scopes, non comprises dans les totaux) : {} tCO2",
                human(tonnes(co2b), 2, lang)
            ),
            Lang::En => format!(
                "Biogenic CO2 emissions (outside the scopes, not in the totals): {} tCO2",
                human(tonnes(co2b), 2, lang)
            ),
        });
    }
    if matches!(view.framework, Framework::GhgProtocol | Framework::EsrsE1) {
        out.push(match lang {
            Lang::Fr => "Biens d'équipement comptés en entier l'année d'acquisition (pas d'amortissement), d'où un total qui peut différer de celui du Bilan Carbone.".to_string(),
            Lang::En => "Capital goods counted whole in their acquisition year (no amortisation), so the total may differ from the Bilan Carbone one.".to_string(),
        });
    }
    out
}

fn grid(view: &View, lang: Lang) -> Grid {
    Grid::new(header(lang), rows(view, lang), 2)
}

/// The view as a table.
pub fn table(view: &View, report: &Report, lang: Lang) -> String {
    let mut out = format!(
        "{}\n\n{}\n",
        title(view, report, lang),
        grid(view, lang).table()
    );
    for note in notes(view, lang) {
        out.push_str(&note);
        out.push('\n');
    }
    out
}

/// The view as Markdown.
pub fn markdown(view: &View, report: &Report, lang: Lang) -> String {
    let mut out = format!(
        "## {}\n\n{}",
        escape_markdown(&title(view, report, lang)),
        grid(view, lang).markdown()
    );
    for note in notes(view, lang) {
        out.push_str(&format!("\n{}\n", escape_markdown(&note)));
    }
    out
}

/// The view as CSV: `code,name,kind,kgco2e,share,uncertainty,low,high`; ESRS ends with a
/// `S1-ETS` memo row when lines say `ets: true` (kgco2e and share of scope 1) and a `co2b`
/// memo row (biogenic CO2, kgco2e only).
pub fn csv(view: &View, lang: Lang) -> String {
    let header = [
        "code",
        "name",
        "kind",
        "kgco2e",
        "share",
        "uncertainty",
        "low",
        "high",
    ]
    .map(String::from)
    .to_vec();
    let row = |code: &str, name: &str, kind: &str, figure: &Figure, share: String| {
        let (low, high) = bounds(figure);
        vec![
            code.to_string(),
            name.to_string(),
            kind.to_string(),
            exact(figure.kgco2e),
            share,
            rounded_f64(figure.alpha(), 6),
            low,
            high,
        ]
    };
    let mut rows = vec![header];
    for r in &view.rows {
        let name = if lang == Lang::Fr { r.fr } else { r.en };
        rows.push(row(
            r.code,
            name,
            r.kind.code(),
            &r.figure,
            rounded(share(&r.figure, view.total.kgco2e), 6),
        ));
    }
    rows.push(row("total", "Total", "total", &view.total, "1".to_string()));
    if let Some((ets, ets_share)) = view.scope1_ets {
        let name = match lang {
            Lang::Fr => "Scope 1 sous système d'échange de quotas (part du scope 1)",
            Lang::En => "Scope 1 under an emission trading scheme (share of scope 1)",
        };
        let mut r = vec!["S1-ETS".to_string(), name.to_string(), "memo".to_string()];
        r.push(exact(ets));
        r.push(rounded(ets_share, 6));
        r.extend(std::iter::repeat_n(String::new(), 3));
        rows.push(r);
    }
    if let Some(co2b) = view.co2_biogenic {
        let name = match lang {
            Lang::Fr => "CO2 biogénique (hors scopes)",
            Lang::En => "Biogenic CO2 (outside the scopes)",
        };
        let mut r = vec!["co2b".to_string(), name.to_string(), "memo".to_string()];
        r.push(exact(co2b));
        r.extend(std::iter::repeat_n(String::new(), 4));
        rows.push(r);
    }
    super::grid::csv(rows)
}

fn figure_json(figure: &Figure) -> doc::Figure {
    let (low, high) = figure.interval();
    doc::Figure {
        kgco2e: Num(figure.kgco2e),
        uncertainty: num_rounded_f64(figure.alpha(), 6),
        low: num_rounded_f64(low, 3),
        high: num_rounded_f64(high, 3),
    }
}

/// The view as its JSON document (`bilan.view/1`).
pub fn document<'a>(view: &'a View, report: &'a Report, lang: Lang) -> doc::Document<'a> {
    doc::Document {
        schema: crate::contract::VIEW.into(),
        view: view.framework.code().into(),
        organisation: report.organisation.name.as_str().into(),
        period: Period {
            start: report.period.start.to_string().into(),
            end: report.period.end.to_string().into(),
        },
        unit: "kgCO2e".into(),
        total: figure_json(&view.total),
        rows: view
            .rows
            .iter()
            .map(|r| doc::Row {
                figure: figure_json(&r.figure),
                code: r.code.into(),
                name: if lang == Lang::Fr { r.fr } else { r.en }.into(),
                kind: r.kind.code().into(),
                share: num_rounded(share(&r.figure, view.total.kgco2e), 6),
            })
            .collect(),
        intensity_per_net_revenue: view.intensity.as_ref().map(|(label, location, market)| {
            doc::Intensity {
                indicator: label.as_str().into(),
                unit: "tCO2e/M€".into(),
                location_based: num_rounded(*location, 6),
                market_based: num_rounded(*market, 6),
            }
        }),
        scope1_ets: view.scope1_ets.map(|(ets, share)| doc::Scope1Ets {
            kgco2e: Num(ets),
            share_of_scope1: num_rounded(share, 6),
        }),
        co2_biogenic: view.co2_biogenic.map(|co2b| doc::Biogenic {
            kgco2e: Num(co2b),
            in_totals: false,
        }),
    }
}

/// The view as JSON (`bilan.view/1`).
pub fn json(view: &View, report: &Report, lang: Lang) -> String {
    let mut text = serde_json::to_string_pretty(&document(view, report, lang)).unwrap_or_default();
    text.push('\n');
    text
}
