//! `bilan batch`'s summary: as CSV (`summary.csv`), as a table for people, and the one-line
//! tally for stderr.

use super::{exact, human, rounded, rounded_f64, tonnes};
use crate::batch::Outcome;
use crate::post::Lang;

/// The fixed columns of the summary CSV before the ratios.
pub const CSV_HEAD: [&str; 10] = [
    "path",
    "client",
    "organisation",
    "year",
    "total_tco2e",
    "scope1_tco2e",
    "scope2_tco2e",
    "scope3_tco2e",
    "largest_post",
    "uncertainty",
];

/// The fixed columns of the summary CSV after the ratios.
pub const CSV_TAIL: [&str; 3] = ["warnings", "status", "message"];

/// The summary as CSV: [`CSV_HEAD`], `tco2e_per_<key>` for each ratio key, [`CSV_TAIL`].
/// Figures in tCO2e, exact; uncertainty as α to 6 decimals; ratios to the gram.
pub fn csv(outcome: &Outcome) -> String {
    let mut header: Vec<String> = CSV_HEAD.iter().map(|h| (*h).to_string()).collect();
    header.extend(outcome.ratio_keys.iter().map(|k| format!("tco2e_per_{k}")));
    header.extend(CSV_TAIL.iter().map(|h| (*h).to_string()));
    let mut records = vec![header];
    for row in &outcome.rows {
        let mut cells = vec![
            row.path.clone(),
            row.client.clone(),
            row.organisation.clone(),
            row.year.map(|y| y.to_string()).unwrap_or_default(),
        ];
        match &row.result {
            Ok(f) => {
                cells.push(exact(tonnes(f.total_kgco2e)));
                cells.extend(f.scopes_kgco2e.iter().map(|kg| exact(tonnes(*kg))));
                cells.push(f.largest_post.unwrap_or_default().to_string());
                cells.push(rounded_f64(f.uncertainty, 6));
                cells.extend(outcome.ratio_keys.iter().map(|key| {
                    f.ratio(key)
                        .map_or_else(String::new, |kg| rounded(tonnes(kg), 6))
                }));
                cells.extend([f.warnings.to_string(), "ok".to_string(), String::new()]);
            }
            Err(message) => {
                cells.extend(std::iter::repeat_n(
                    String::new(),
                    6 + outcome.ratio_keys.len(),
                ));
                cells.extend([String::new(), "error".to_string(), message.clone()]);
            }
        }
        records.push(cells);
    }
    super::grid::csv(&records)
}

/// The summary as a table for people.
pub fn table(outcome: &Outcome, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let mut header: Vec<String> = if fr {
        [
            "Inventaire",
            "Client",
            "Année",
            "tCO2e",
            "Scope 1",
            "Scope 2",
            "Scope 3",
            "Poste principal",
            "Incertitude",
        ]
    } else {
        [
            "Inventory",
            "Client",
            "Year",
            "tCO2e",
            "Scope 1",
            "Scope 2",
            "Scope 3",
            "Largest post",
            "Uncertainty",
        ]
    }
    .iter()
    .map(|h| (*h).to_string())
    .collect();
    header.extend(outcome.ratio_keys.iter().map(|k| format!("tCO2e/{k}")));
    header.push(if fr { "Avert." } else { "Warnings" }.to_string());
    header.push(if fr { "Statut" } else { "Status" }.to_string());
    // Numbers from the total to the warnings count; path, client, year and status left.
    let right = (3..header.len() - 1).collect();
    let mut rows = Vec::with_capacity(outcome.rows.len());
    for row in &outcome.rows {
        let mut cells = vec![
            row.path.clone(),
            row.client.clone(),
            row.year.map(|y| y.to_string()).unwrap_or_default(),
        ];
        match &row.result {
            Ok(f) => {
                cells.push(human(tonnes(f.total_kgco2e), 2, lang));
                cells.extend(f.scopes_kgco2e.iter().map(|kg| human(tonnes(*kg), 2, lang)));
                cells.push(f.largest_post.unwrap_or("–").to_string());
                cells.push(super::plus_minus(
                    &crate::report::Figure {
                        kgco2e: f.total_kgco2e,
                        k: f.uncertainty + 1.0,
                    },
                    lang,
                ));
                cells.extend(outcome.ratio_keys.iter().map(|key| {
                    f.ratio(key)
                        .map_or_else(String::new, |kg| human(tonnes(kg), 2, lang))
                }));
                cells.push(f.warnings.to_string());
                cells.push("ok".to_string());
            }
            Err(message) => {
                cells.extend(std::iter::repeat_n(
                    String::new(),
                    7 + outcome.ratio_keys.len(),
                ));
                let label = if fr { "erreur" } else { "error" };
                cells.push(format!("{label}: {message}"));
            }
        }
        rows.push(cells);
    }
    let mut out = super::grid::Grid {
        header,
        rows,
        right,
    }
    .table();
    out.push('\n');
    out
}

/// One line for stderr: `12 inventories: 11 ok, 1 error, 3.2 s`.
pub fn tally(outcome: &Outcome) -> String {
    let n = outcome.rows.len();
    let failed = outcome.failed();
    let mut line = format!(
        "{n} {}: {} ok, {failed} {}",
        if n == 1 { "inventory" } else { "inventories" },
        n - failed,
        if failed == 1 { "error" } else { "errors" },
    );
    if !outcome.skipped.is_empty() {
        line.push_str(&format!(
            ", {} skipped (YAML without `bilan: 1`)",
            outcome.skipped.len()
        ));
    }
    if outcome.unreadable > 0 {
        line.push_str(&format!(
            ", {} {} not searched",
            outcome.unreadable,
            if outcome.unreadable == 1 {
                "folder"
            } else {
                "folders"
            }
        ));
    }
    line.push_str(&format!(", {:.1} s", outcome.elapsed.as_secs_f64()));
    line
}
