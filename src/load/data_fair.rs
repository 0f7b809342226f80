//! Reads the Base Carbone as ADEME's data-fair API serves it in JSON: one object per line
//! (JSON lines), or one page of `lines` (`{"results": [...]}`) or an array of objects.
//!
//! Keys are the export's column names with `_` for spaces (`Type_Ligne`,
//! `Identifiant_de_l'élément`, …), as Bilan Carbone+'s `getEmissionFactorsFromAPI.ts` selects
//! them. The objects become rows of the export's CSV layout, read by the same loader (so the
//! factors are the same); positions give the JSON line of each object.

use super::ademe;
use crate::error::{InputError, Position};
use crate::factor_base::LoadedBase;
use crate::load::encoding::decode;
use serde_json::{Map, Value};
use std::sync::Arc;

/// True when the file's first non-blank byte opens a JSON object or array.
pub fn looks_like(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    matches!(
        bytes.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// Reads a data-fair JSON file of Base Carbone rows.
pub fn load(file: &Arc<str>, bytes: &[u8]) -> Result<LoadedBase, InputError> {
    let text = decode(file, bytes)?;
    let rows = objects(file, &text)?;
    let mut columns: Vec<&str> = Vec::new();
    for (_, object) in &rows {
        for key in object.keys() {
            // data-fair's own fields (`_i`, `_id`, `_rand`, `_score`) are not columns.
            if !key.starts_with('_') && !columns.contains(&key.as_str()) {
                columns.push(key);
            }
        }
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let csv_error = |e: csv::Error| InputError::new(Position::file(file), e.to_string());
    writer.write_record(&columns).map_err(csv_error)?;
    let mut lines = Vec::with_capacity(rows.len());
    for (line, object) in &rows {
        let mut cells = Vec::with_capacity(columns.len());
        for column in &columns {
            cells.push(cell(object.get(*column)));
        }
        writer.write_record(&cells).map_err(csv_error)?;
        lines.push(*line);
    }
    let csv = writer
        .into_inner()
        .map_err(|e| InputError::new(Position::file(file), e.to_string()))?;
    let csv =
        String::from_utf8(csv).map_err(|e| InputError::new(Position::file(file), e.to_string()))?;
    ademe::load_text(file, &csv, bytes, Some(&lines), None)
}

/// A cell's text: strings as they are, numbers as written (exact), nothing for null.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// A JSON object and the line it is on.
type Row = (u64, Map<String, Value>);

/// The objects of the file with their line: one per line, or those of one document.
fn objects(file: &Arc<str>, text: &str) -> Result<Vec<Row>, InputError> {
    let error = |line: u64, e: &serde_json::Error| {
        InputError::new(
            Position::new(file, line, u64::try_from(e.column()).unwrap_or(0)),
            format!("invalid JSON: {e}"),
        )
        .help("give the data-fair export as downloaded: JSON lines, or one page of `lines`")
    };
    // One document (a page, or an array), which may span lines.
    if let Ok(document) = serde_json::from_str::<Value>(text) {
        let first_line = first_line(text);
        let items = match document {
            Value::Object(mut page) => match page.remove("results") {
                Some(Value::Array(items)) => items,
                // A single object is a one-line JSON lines file.
                _ => vec![Value::Object(page)],
            },
            Value::Array(items) => items,
            _ => Vec::new(),
        };
        return items
            .into_iter()
            .map(|item| match item {
                Value::Object(object) => Ok((first_line, object)),
                _ => Err(InputError::new(
                    Position::new(file, first_line, 0),
                    "expected JSON objects, one per Base Carbone row",
                )),
            })
            .collect();
    }
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let number = u64::try_from(n + 1).unwrap_or(u64::MAX);
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(object)) => rows.push((number, object)),
            Ok(_) => {
                return Err(InputError::new(
                    Position::new(file, number, 1),
                    "expected a JSON object, one Base Carbone row per line",
                ));
            }
            Err(e) => return Err(error(number, &e)),
        }
    }
    Ok(rows)
}

/// The line of the first non-blank character.
fn first_line(text: &str) -> u64 {
    let blank = text.len() - text.trim_start().len();
    let newlines = text.get(..blank).map_or(0, |t| t.matches('\n').count());
    u64::try_from(newlines + 1).unwrap_or(u64::MAX)
}
