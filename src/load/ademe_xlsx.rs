//! Reads the Base Carbone `.xlsx` export (the CSV opened and saved by Excel), with calamine.
//!
//! The first sheet whose first row is a Base Carbone header is read; its rows become rows of
//! the export's CSV layout, read by the same loader, so the factors are the CSV's. Excel keeps
//! numbers as binary floats (`0.24299999999999999` for the CSV's `0,243`): each is written
//! back as the shortest decimal that reads as the same float, with a decimal comma — the text
//! the CSV had, also where French Excel turned a name such as `0,335` into a number.
//! Positions are the sheet's rows (`file.xlsx:12` is row 12).

use super::ademe;
use crate::error::{InputError, Position};
use crate::factor_base::LoadedBase;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use std::sync::Arc;

/// True when the bytes are a zip archive (as every `.xlsx` is).
pub fn looks_like(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads a Base Carbone `.xlsx` export.
pub fn load(file: &Arc<str>, bytes: &[u8]) -> Result<LoadedBase, InputError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        InputError::new(Position::file(file), format!("unreadable .xlsx file: {e}"))
            .help("save the workbook again from Excel or LibreOffice as .xlsx")
    };
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| unreadable(&e))?;
        let header: Vec<String> = range
            .rows()
            .next()
            .map(|row| row.iter().map(text).collect())
            .unwrap_or_default();
        if ademe::looks_like(&header.join(";")) {
            let first_row = range.start().map_or(0, |(row, _)| row);
            // Saved from the CSV, the sheet is named after it: `Base_Carbone_V23.6`.
            let version = ademe::version_in(&name);
            return load_range(file, bytes, &range, first_row, version);
        }
        sheets.push(name);
    }
    Err(InputError::new(
        Position::file(file),
        format!(
            "no sheet with a Base Carbone header (sheets: {})",
            sheets.join(", ")
        ),
    )
    .help("the first row of the sheet must name the export's columns (\"Type Ligne\", \"Identifiant de l'élément\", …)"))
}

fn load_range(
    file: &Arc<str>,
    bytes: &[u8],
    range: &calamine::Range<Data>,
    first_row: u32,
    version: Option<String>,
) -> Result<LoadedBase, InputError> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let csv_error =
        |e: &dyn std::fmt::Display| InputError::new(Position::file(file), e.to_string());
    let mut lines = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(text).collect();
        if i > 0 {
            let row_number = u64::from(first_row) + u64::try_from(i).unwrap_or(u64::MAX) + 1;
            lines.push(row_number);
        }
        writer.write_record(&cells).map_err(|e| csv_error(&e))?;
    }
    let csv = writer.into_inner().map_err(|e| csv_error(&e))?;
    let csv = String::from_utf8(csv).map_err(|e| csv_error(&e))?;
    ademe::load_text(file, &csv, bytes, Some(&lines), version)
}

/// A cell as the CSV export writes it: numbers as their shortest exact decimal.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Rust prints the shortest decimal that reads back as the same float, never in
        // exponent form: 0.00474, 2935, 1.0E-7 → 0.0000001.
        Data::Float(f) => f.to_string().replace('.', ","),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => e.to_string(),
    }
}
