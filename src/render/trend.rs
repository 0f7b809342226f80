//! The trend of several periods: table, Markdown, CSV and JSON.

use super::{exact, human, percent, rounded, tonnes};
use crate::post::Lang;
use crate::trend::{RowKind, Trend};
use comfy_table::{Cell, CellAlignment, Table, presets};
use serde_json::json;

fn header(trend: &Trend, lang: Lang) -> Vec<String> {
    let mut header = match lang {
        Lang::Fr => vec!["Poste".to_string(), "Intitulé".to_string()],
        Lang::En => vec!["Post".to_string(), "Name".to_string()],
    };
    header.extend(trend.periods.iter().map(|p| format!("{p} (tCO2e)")));
    header.extend(match lang {
        Lang::Fr => ["Évolution (tCO2e)".to_string(), "Évolution".to_string()],
        Lang::En => ["Change (tCO2e)".to_string(), "Change".to_string()],
    });
    header
}

fn cells(trend: &Trend, lang: Lang) -> Vec<Vec<String>> {
    trend
        .rows
        .iter()
        .map(|row| {
            let code = match row.kind {
                RowKind::Post(p) => p.code().to_string(),
                RowKind::Scope(s) => format!("Scope {s}"),
                RowKind::Total => "Total".to_string(),
            };
            let name = match row.kind {
                RowKind::Total => String::new(),
                _ => row.name(lang).to_string(),
            };
            let mut cells = vec![code, name];
            cells.extend(row.values.iter().map(|v| human(tonnes(*v), 2, lang)));
            cells.push(human(tonnes(row.change), 2, lang));
            cells.push(
                row.change_share
                    .map_or_else(|| "–".to_string(), |s| percent(s, lang)),
            );
            cells
        })
        .collect()
}

/// The trend as a table.
pub fn table(trend: &Trend, lang: Lang) -> String {
    let mut table = Table::new();
    table
        .force_no_tty()
        .load_style(presets::UTF8_FULL_CONDENSED);
    table.set_header(header(trend, lang));
    for row in cells(trend, lang) {
        table.add_row(row.into_iter().enumerate().map(|(i, text)| {
            let cell = Cell::new(text);
            if i >= 2 {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
    }
    let title = format!("Bilan Carbone® — {}", trend.organisations.join(" / "));
    format!("{title}\n\n{table}\n")
}

/// The trend as Markdown.
pub fn markdown(trend: &Trend, lang: Lang) -> String {
    let header = header(trend, lang);
    let mut out = format!(
        "## Bilan Carbone® — {}\n\n",
        trend.organisations.join(" / ")
    );
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    let align: Vec<&str> = (0..header.len())
        .map(|i| if i >= 2 { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("|{}|\n", align.join("|")));
    for row in cells(trend, lang) {
        out.push_str(&format!("| {} |\n", row.join(" | ").replace('\n', " ")));
    }
    out
}

/// The trend as CSV: `code,name,<period>…,change,change_share` (kgCO2e).
pub fn csv(trend: &Trend, lang: Lang) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut header = vec!["code".to_string(), "name".to_string()];
    header.extend(trend.periods.iter().cloned());
    header.extend(["change".to_string(), "change_share".to_string()]);
    let mut ok = writer.write_record(&header).is_ok();
    for row in &trend.rows {
        let mut record = vec![row.code(), row.name(lang).to_string()];
        record.extend(row.values.iter().map(|v| exact(*v)));
        record.push(exact(row.change));
        record.push(row.change_share.map_or_else(String::new, |s| rounded(s, 6)));
        ok &= writer.write_record(&record).is_ok();
    }
    match (ok, writer.into_inner()) {
        (true, Ok(bytes)) => String::from_utf8(bytes).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The trend as JSON (`bilan.trend/1`).
pub fn json(trend: &Trend, lang: Lang) -> String {
    // Numbers formatted by us always parse; `null` would show a bug.
    let number = |text: String| {
        text.parse::<serde_json::Number>()
            .map_or(serde_json::Value::Null, serde_json::Value::Number)
    };
    let rows: Vec<serde_json::Value> = trend
        .rows
        .iter()
        .map(|row| {
            json!({
                "code": row.code(),
                "name": row.name(lang),
                "kgco2e": row.values.iter().map(|v| number(exact(*v))).collect::<Vec<_>>(),
                "change_kgco2e": number(exact(row.change)),
                "change_share": row.change_share.map(|s| number(rounded(s, 6))),
            })
        })
        .collect();
    let value = json!({
        "schema": "bilan.trend/1",
        "unit": "kgCO2e",
        "periods": trend.periods,
        "organisations": trend.organisations,
        "rows": rows,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
