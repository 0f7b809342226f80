//! The trend of several periods: table, Markdown, CSV and JSON.

use super::grid::Grid;
use super::{exact, human, num_rounded, percent, rounded, tonnes};
use crate::contract::trend as doc;
use crate::contract::{Num, texts};
use crate::post::Lang;
use crate::trend::{RowKind, Trend};

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

/// `2023 → 2025`: from the first period to the last.
fn span(trend: &Trend) -> String {
    match (trend.periods.first(), trend.periods.last()) {
        (Some(first), Some(last)) => format!("{first} → {last}"),
        _ => String::new(),
    }
}

/// A figure in tonnes, or `–` when unknown (a post not collected that period).
fn figure(value: Option<rust_decimal::Decimal>, lang: Lang) -> String {
    value.map_or_else(|| "–".to_string(), |v| human(tonnes(v), 2, lang))
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
            cells.extend(row.values.iter().map(|v| figure(*v, lang)));
            cells.push(figure(row.change, lang));
            cells.push(
                row.change_share
                    .map_or_else(|| "–".to_string(), |s| percent(s, lang)),
            );
            cells
        })
        .collect()
}

fn grid(trend: &Trend, lang: Lang) -> Grid {
    Grid::new(header(trend, lang), cells(trend, lang), 2)
}

fn title(trend: &Trend) -> String {
    format!(
        "Bilan Carbone® — {}, {}",
        trend.organisations.join(" / "),
        span(trend)
    )
}

/// The trend as a table.
pub fn table(trend: &Trend, lang: Lang) -> String {
    format!("{}\n\n{}\n", title(trend), grid(trend, lang).table())
}

/// The trend as Markdown.
pub fn markdown(trend: &Trend, lang: Lang) -> String {
    format!("## {}\n\n{}", title(trend), grid(trend, lang).markdown())
}

/// The trend as CSV: `code,name,<period>…,change,change_share` (kgCO2e; empty when unknown).
pub fn csv(trend: &Trend, lang: Lang) -> String {
    let mut header = vec!["code".to_string(), "name".to_string()];
    header.extend(trend.periods.iter().cloned());
    header.extend(["change".to_string(), "change_share".to_string()]);
    let rows = trend.rows.iter().map(|row| {
        let mut record = vec![row.code(), row.name(lang).to_string()];
        record.extend(row.values.iter().map(|v| v.map_or_else(String::new, exact)));
        record.push(row.change.map_or_else(String::new, exact));
        record.push(row.change_share.map_or_else(String::new, |s| rounded(s, 6)));
        record
    });
    super::grid::csv(std::iter::once(header).chain(rows))
}

/// The trend as its JSON document (`bilan.trend/1`).
pub fn document(trend: &Trend, lang: Lang) -> doc::Document<'_> {
    doc::Document {
        schema: crate::contract::TREND.into(),
        unit: "kgCO2e".into(),
        periods: texts(&trend.periods),
        organisations: texts(&trend.organisations),
        rows: trend
            .rows
            .iter()
            .map(|row| doc::Row {
                code: row.code().into(),
                name: row.name(lang).into(),
                kgco2e: row.values.iter().map(|v| v.map(Num)).collect(),
                change_kgco2e: row.change.map(Num),
                change_share: row.change_share.map(|s| num_rounded(s, 6)),
            })
            .collect(),
    }
}

/// The trend as JSON (`bilan.trend/1`).
pub fn json(trend: &Trend, lang: Lang) -> String {
    let mut text = serde_json::to_string_pretty(&document(trend, lang)).unwrap_or_default();
    text.push('\n');
    text
}
