//! The BEGES publication sheet (`compute --view beges-v5 --format beges|beges-md`): the
//! identification of the organisation and the BEGES v5 figures in the order and numbering of
//! the regulatory form (categories 1–6, postes 1.1 … 6.1), in tCO2e, to type or paste into
//! ADEME's platform. The figures are the `beges-v5` view's, never mapped again here.

use super::grid::{self, escape_markdown};
use super::{consolidation_label, exact_for, rounded, tonnes};
use crate::post::Lang;
use crate::report::Report;
use crate::view::{RowKind, View, ViewRow};
use rust_decimal::{Decimal, RoundingStrategy};

/// One field of the identification block: code, French and English labels, value.
struct Field {
    code: &'static str,
    fr: &'static str,
    en: &'static str,
    value: Option<String>,
    /// The inventory key that holds it, said when it is missing.
    key: &'static str,
}

fn identification(report: &Report, lang: Lang) -> Vec<Field> {
    let organisation = &report.organisation;
    vec![
        Field {
            code: "name",
            fr: "Raison sociale",
            en: "Organisation name",
            value: Some(organisation.name.clone()),
            key: "organisation.name",
        },
        Field {
            code: "siren",
            fr: "SIREN",
            en: "SIREN",
            value: organisation.siren.clone(),
            key: "organisation.siren",
        },
        Field {
            code: "naf",
            fr: "Code NAF (APE)",
            en: "NAF (APE) code",
            value: organisation.naf.clone(),
            key: "organisation.naf",
        },
        Field {
            code: "year",
            fr: "Année de reporting",
            en: "Reporting year",
            value: Some(report.period.year().to_string()),
            key: "period",
        },
        Field {
            code: "period",
            fr: "Période",
            en: "Period",
            value: Some(format!("{}/{}", report.period.start, report.period.end)),
            key: "period",
        },
        Field {
            code: "consolidation",
            fr: "Mode de consolidation",
            en: "Consolidation approach",
            value: report
                .perimeter
                .consolidation
                .as_deref()
                .map(|c| consolidation_label(c, lang)),
            key: "perimeter.consolidation",
        },
    ]
}

/// A row's figure in tCO2e to the kilogram; `None` when no line goes to it (an item without
/// lines, a subtotal none of whose items has one): unknown, not zero.
fn tco2e(row: &ViewRow, view: &View) -> Option<Decimal> {
    let has_lines = match row.kind {
        RowKind::Item => row.lines > 0,
        RowKind::Subtotal(prefix) => view
            .rows
            .iter()
            .any(|r| r.kind == RowKind::Item && r.code.starts_with(prefix) && r.lines > 0),
        RowKind::Memo => false,
    };
    has_lines.then(|| to_tonnes(row.figure.kgco2e))
}

fn to_tonnes(kgco2e: Decimal) -> Decimal {
    tonnes(kgco2e).round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
}

/// The category a row belongs to (`1` for `1.1` and for `1`).
fn category(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
}

/// Biogenic CO2, reported apart from the postes and the total.
fn biogenic_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "CO2 biogénique (hors postes et total)",
        Lang::En => "Biogenic CO2 (outside the postes and the total)",
    }
}

fn name(row: &ViewRow, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => row.fr,
        Lang::En => row.en,
    }
}

/// The sheet as CSV: `section,code,label,value,unit`, one row per field of the form in its
/// order — the identification, then each category's subtotal and postes, then the total and
/// the biogenic CO2 reported apart.
/// Figures in tCO2e rounded to the kilogram, with a decimal point; a field the inventory does
/// not hold and a poste no line goes to are empty.
pub fn csv(view: &View, report: &Report, lang: Lang) -> String {
    let mut rows: Vec<Vec<String>> = vec![
        ["section", "code", "label", "value", "unit"]
            .map(str::to_string)
            .to_vec(),
    ];
    for field in identification(report, lang) {
        let label = if lang == Lang::Fr { field.fr } else { field.en };
        rows.push(vec![
            "identification".to_string(),
            field.code.to_string(),
            label.to_string(),
            field.value.unwrap_or_default(),
            String::new(),
        ]);
    }
    for row in view.rows.iter().filter(|r| r.kind != RowKind::Memo) {
        rows.push(vec![
            category(row.code).to_string(),
            row.code.to_string(),
            name(row, lang).to_string(),
            tco2e(row, view).map(|t| rounded(t, 3)).unwrap_or_default(),
            "tCO2e".to_string(),
        ]);
    }
    rows.push(vec![
        "total".to_string(),
        "total".to_string(),
        "Total".to_string(),
        rounded(to_tonnes(view.total.kgco2e), 3),
        "tCO2e".to_string(),
    ]);
    rows.push(vec![
        "memo".to_string(),
        "co2b".to_string(),
        biogenic_label(lang).to_string(),
        rounded(to_tonnes(report.co2_biogenic), 3),
        "tCO2".to_string(),
    ]);
    grid::csv(rows)
}

/// The sheet as Markdown: the identification, then the postes with their subtotals in bold.
/// Figures in tCO2e to the kilogram, decimal comma in French and no thousands separator, so
/// that they paste into a form as they are.
pub fn markdown(view: &View, report: &Report, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let mut out = String::new();
    out.push_str(if fr {
        "## Bilan d'émissions de GES — fiche de publication (BEGES v5)\n\n"
    } else {
        "## GHG emissions report — publication sheet (BEGES v5)\n\n"
    });
    out.push_str(if fr {
        "| Rubrique | Valeur |\n|---|---|\n"
    } else {
        "| Field | Value |\n|---|---|\n"
    });
    let mut missing = Vec::new();
    for field in identification(report, lang) {
        let label = if fr { field.fr } else { field.en };
        let value = match field.value {
            Some(v) => escape_markdown(&v),
            None => {
                missing.push(field.key);
                "–".to_string()
            }
        };
        out.push_str(&format!("| {label} | {value} |\n"));
    }
    out.push('\n');
    out.push_str(if fr {
        "| Poste | Libellé | Émissions (tCO2e) |\n|---|---|---:|\n"
    } else {
        "| Item | Name | Emissions (tCO2e) |\n|---|---|---:|\n"
    });
    let number = |t: Decimal| exact_for(t, lang);
    for row in view.rows.iter().filter(|r| r.kind != RowKind::Memo) {
        let value = tco2e(row, view).map_or_else(|| "–".to_string(), number);
        let label = escape_markdown(name(row, lang));
        if matches!(row.kind, RowKind::Subtotal(_)) {
            out.push_str(&format!(
                "| **{}** | **{label}** | **{value}** |\n",
                row.code
            ));
        } else {
            out.push_str(&format!("| {} | {label} | {value} |\n", row.code));
        }
    }
    out.push_str(&format!(
        "| **Total** |  | **{}** |\n",
        number(to_tonnes(view.total.kgco2e))
    ));
    out.push_str(&format!(
        "|  | {} | {} tCO2 |\n\n",
        biogenic_label(lang),
        number(to_tonnes(report.co2_biogenic))
    ));
    out.push_str(if fr {
        "Émissions en tCO2e arrondies au kilogramme, chacune pour elle-même. `–` : aucune ligne de l'inventaire dans ce poste ; indiquez sur le formulaire s'il est non applicable ou non évalué.\n"
    } else {
        "Emissions in tCO2e rounded to the kilogram, each on its own. `–`: no line of the inventory in this poste; say on the form whether it is not applicable or not assessed.\n"
    });
    if !missing.is_empty() {
        let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
        out.push_str(&if fr {
            format!(
                "Non renseigné dans l'inventaire : {} (à saisir sur le formulaire).\n",
                keys.join(", ")
            )
        } else {
            format!(
                "Not in the inventory: {} (to fill in on the form).\n",
                keys.join(", ")
            )
        });
    }
    out
}
