//! Lines from spreadsheets, for `include:`: a CSV file (`,` or `;`, UTF-8 or Windows-1252) or an
//! xlsx workbook (the sheet named `lines`, else the first), whose header row names the keys of
//! a YAML line. The cells are checked as YAML values are ([`super::inventory::TableLines`]).
//!
//! Numbers stay exact: a CSV cell is text; an xlsx number cell is a binary double, read as the
//! shortest text that gives back that double (what Excel shows and wrote: `0.1` is 0.1). A
//! decimal comma is read in a `;`-separated CSV and in an xlsx text cell; in a `,`-separated
//! CSV `1,5` is an error (thousands or decimal?).

use super::encoding;
use super::inventory::{Cell, LineIds, TableLines};
use crate::error::{InputError, InputErrors, Position};
use crate::inventory::Line;
use std::sync::Arc;

/// Rows read at once, then checked on every core.
const BATCH: usize = 16_384;

/// Rows read at once per core when the lines are given a batch at a time and dropped: fewer,
/// so that a batch's rows, cells and lines weigh a few megabytes, yet a chunk of lines to
/// compute for every core.
const STREAMED_BATCH: usize = crate::inventory::LINE_CHUNK;

/// The lines of a CSV file named `file`.
pub fn csv_lines(
    file: &str,
    bytes: &[u8],
    lines_before: usize,
    ids: &mut LineIds,
) -> Result<Vec<Line>, InputErrors> {
    read_csv(file, bytes, lines_before, ids, None)
}

/// Gives the lines of a CSV file named `file` to `each`, a batch of rows at a time, and
/// returns true; or stops and returns false at the first error or when `each` says so (the
/// file must then be read whole, [`csv_lines`], for its errors). Only the ids within a batch
/// are checked against each other: `each` checks them across batches.
pub fn csv_batches(
    file: &str,
    bytes: &[u8],
    lines_before: usize,
    each: &mut dyn FnMut(&[Line]) -> bool,
) -> bool {
    let mut ids = LineIds::default();
    read_csv(file, bytes, lines_before, &mut ids, Some(each)).is_ok()
}

/// What takes a batch of lines ([`csv_batches`]); false stops the reading.
type Each<'a> = dyn FnMut(&[Line]) -> bool + 'a;

/// [`csv_lines`], or [`csv_batches`] when `each` is given (the lines are then given to it
/// and none is kept).
fn read_csv(
    file: &str,
    bytes: &[u8],
    lines_before: usize,
    ids: &mut LineIds,
    mut each: Option<&mut Each<'_>>,
) -> Result<Vec<Line>, InputErrors> {
    let name: Arc<str> = Arc::from(file);
    let text = encoding::decode(&name, bytes)?;
    let first_line = text.lines().next().unwrap_or("");
    let separator = if first_line.contains(';') { b';' } else { b',' };
    let mut table = TableLines::new(file, None, lines_before, ids);
    // At most one line per row after the header (a quoted cell may span rows: fewer), and a
    // line takes at least 16 bytes of CSV: a file of empty rows reserves nothing in proportion.
    if each.is_none() {
        let rows = text.lines().count().saturating_sub(1);
        table.reserve(rows.min(text.len() / 16));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    // Rows are read in batches checked on every core; after a batch with an error, one by
    // one (the errors then come in their usual order).
    let batch = if each.is_some() {
        STREAMED_BATCH * rayon::current_num_threads().clamp(1, 4)
    } else {
        BATCH
    };
    // The first batch has the header too: the batches of lines are whole chunks of the
    // computation ([`crate::inventory::LINE_CHUNK`]).
    let mut records = vec![csv::StringRecord::new(); batch + 1];
    let mut header = true;
    let mut parallel = true;
    let mut end = false;
    // A record that cannot be read ends the file, after the rows before it.
    let mut unreadable = None;
    while !end {
        let mut count = 0;
        while count < batch + usize::from(header) {
            let Some(record) = records.get_mut(count) else {
                break;
            };
            match reader.read_record(record) {
                Ok(true) => count += 1,
                Ok(false) => {
                    end = true;
                    break;
                }
                Err(e) => {
                    let line = e.position().map_or(0, csv::Position::line);
                    unreadable = Some(InputError::new(
                        Position::new(&name, line, 0),
                        format!("unreadable CSV: {e}"),
                    ));
                    end = true;
                    break;
                }
            }
        }
        let mut rows: Vec<(u64, Vec<Cell<'_>>)> = records
            .iter()
            .take(count)
            .map(|record| {
                let row = record.position().map_or(0, csv::Position::line);
                let cells = record
                    .iter()
                    .zip(1..)
                    .map(|(text, column)| Cell {
                        text,
                        row,
                        column,
                        number: false,
                    })
                    .collect();
                (row, cells)
            })
            .collect();
        if header && !rows.is_empty() {
            header = false;
            let (_, cells) = rows.remove(0);
            if let Err(e) = table.header(&cells, separator == b';') {
                table.error(e);
                unreadable = None;
                break;
            }
        }
        if parallel && table.rows_in_parallel(&rows) {
            if let Some(each) = each.as_mut() {
                // The batch's lines are given and dropped, and its ids forgotten: `each`
                // checks them across batches.
                let lines = table.take_lines();
                if !each(&lines) {
                    return Err(InputErrors(Vec::new()));
                }
            }
            continue;
        }
        if each.is_some() {
            return Err(InputErrors(Vec::new()));
        }
        parallel = false;
        for (row, cells) in &rows {
            table.row(*row, cells);
        }
    }
    if let Some(error) = unreadable {
        table.error(error);
    }
    table.finish(ids)
}

/// The lines of an xlsx workbook named `file`: its sheet `lines`, else its first sheet.
pub fn xlsx_lines(
    file: &str,
    bytes: &[u8],
    lines_before: usize,
    ids: &mut LineIds,
) -> Result<Vec<Line>, InputErrors> {
    use calamine::{Data, Reader, Xlsx};
    let name: Arc<str> = Arc::from(file);
    let unreadable = |e: &dyn std::fmt::Display| {
        InputError::new(
            Position::file(&name),
            format!("not a readable xlsx workbook: {e}"),
        )
        .help("save the file from Excel or LibreOffice as .xlsx (Excel workbook)")
    };
    let mut workbook: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let names = workbook.sheet_names();
    let Some(sheet) = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case("lines"))
        .or(names.first())
        .cloned()
    else {
        return Err(unreadable(&"no sheet").into());
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| unreadable(&e))?;
    let mut table = TableLines::new(file, Some(&sheet), lines_before, ids);
    table.reserve(range.height().saturating_sub(1));
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut header = true;
    for (cells, row) in range.rows().zip(u64::from(first_row) + 1..) {
        let mut texts = Vec::with_capacity(cells.len());
        for (cell, column) in cells.iter().zip(u64::from(first_column) + 1..) {
            let text = match cell {
                Data::Empty => Ok((String::new(), false)),
                Data::String(s) => Ok((s.clone(), false)),
                Data::Int(i) => Ok((i.to_string(), true)),
                // Rust prints a double as the shortest text that reads back to it.
                Data::Float(f) if f.is_finite() => Ok((f.to_string(), true)),
                Data::Float(f) => Err(format!("a number out of range (`{f}`)")),
                Data::Bool(b) => Ok((b.to_string(), false)),
                Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
                    Err("a date or a duration".to_string())
                }
                Data::Error(e) => Err(format!("the Excel error `{e}`")),
            };
            match text {
                Ok((text, number)) => texts.push((text, column, number)),
                Err(what) => {
                    let at = table.at(row, column);
                    table.error(
                        InputError::new(at, format!("the cell holds {what}"))
                            .help("write the value itself (a number, or text)"),
                    );
                    texts.push((String::new(), column, false));
                }
            }
        }
        let cells: Vec<Cell<'_>> = texts
            .iter()
            .map(|(text, column, number)| Cell {
                text,
                row,
                column: *column,
                number: *number,
            })
            .collect();
        if header {
            header = false;
            if let Err(e) = table.header(&cells, true) {
                table.error(e);
                break;
            }
        } else {
            table.row(row, &cells);
        }
    }
    table.finish(ids)
}
