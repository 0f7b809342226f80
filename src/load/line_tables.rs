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
use rayon::prelude::*;
use std::io::Read;
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
    let name: Arc<str> = Arc::from(file);
    let text = encoding::decode(&name, bytes)?;
    let separator = separator(text.lines().next().unwrap_or("").as_bytes());
    // At most one line per row after the header (a quoted cell may span rows: fewer), and a
    // line takes at least 16 bytes of CSV: a file of empty rows reserves nothing in proportion.
    let rows = text.lines().count().saturating_sub(1);
    let reserve = rows.min(text.len() / 16);
    let reader = csv_reader(text.as_bytes(), separator);
    read_csv(&name, reader, separator, lines_before, ids, reserve, None)
}

/// Gives the lines of the CSV file named `file`, read from `stream`, to `each`, a batch of
/// rows at a time, and returns true; or stops and returns false at the first error or when
/// `each` says so (the file must then be read whole, [`csv_lines`], for its errors). What the
/// whole reading refuses or reads otherwise (an empty file, UTF-16, a NUL byte, text not
/// UTF-8, read as Windows-1252) stops it too. The ids are not checked here: `each` checks
/// every one against every other, across batches and within one.
pub fn csv_batches(
    file: &str,
    stream: impl Read + Send,
    lines_before: usize,
    each: &mut dyn FnMut(&[Line]) -> bool,
) -> bool {
    // The first line, for the separator.
    let mut stream = std::io::BufReader::new(stream);
    let mut head = Vec::new();
    if std::io::BufRead::read_until(&mut stream, b'\n', &mut head).is_err()
        || encoding::starts_utf16(&head)
    {
        return false;
    }
    if head.starts_with(encoding::UTF8_BOM) {
        head.drain(..encoding::UTF8_BOM.len());
    }
    if head.is_empty() {
        return false;
    }
    let separator = separator(&head);
    let name: Arc<str> = Arc::from(file);
    let reader = csv_reader(std::io::Cursor::new(head).chain(stream), separator);
    let mut ids = LineIds::default();
    read_csv(
        &name,
        reader,
        separator,
        lines_before,
        &mut ids,
        0,
        Some(each),
    )
    .is_ok()
}

/// The separator of a CSV file whose first line is `line`: `;` when it has one, else `,`.
fn separator(line: &[u8]) -> u8 {
    if line.contains(&b';') { b';' } else { b',' }
}

/// A CSV reader of rows of any length, without a header row.
fn csv_reader<R: Read>(reader: R, separator: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .buffer_capacity(1 << 16)
        .from_reader(reader)
}

/// What takes a batch of lines ([`csv_batches`]); false stops the reading.
type Each<'a> = dyn FnMut(&[Line]) -> bool + 'a;

/// The lines of the CSV file `name` read by `reader` (`reserve`: room for that many lines),
/// or, when `each` is given, the lines given to it a batch at a time and none kept.
fn read_csv<R: Read + Send>(
    name: &Arc<str>,
    reader: csv::Reader<R>,
    separator: u8,
    lines_before: usize,
    ids: &mut LineIds,
    reserve: usize,
    mut each: Option<&mut Each<'_>>,
) -> Result<Vec<Line>, InputErrors> {
    let file: &str = name;
    let mut table = if each.is_some() {
        TableLines::unchecked_ids(file, lines_before)
    } else {
        TableLines::new(file, None, lines_before, ids)
    };
    table.reserve(reserve);
    // Rows are read in batches checked on every core; after a batch with an error, one by
    // one (the errors then come in their usual order).
    let batch = if each.is_some() {
        STREAMED_BATCH * rayon::current_num_threads().clamp(1, 4)
    } else {
        BATCH
    };
    let mut header = true;
    let mut parallel = true;
    // A record that cannot be read ends the file, after the rows before it.
    let mut unreadable = None;
    let mut stopped = false;
    each_batch(name, reader, batch, &mut |filled| {
        let records = filled.records.get(..filled.count).unwrap_or_default();
        let mut rows: Vec<(u64, Vec<Cell<'_>>)> = records
            .par_iter()
            .with_min_len(1024)
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
        unreadable = filled.unreadable.take();
        if header && !rows.is_empty() {
            header = false;
            let (_, cells) = rows.remove(0);
            if let Err(e) = table.header(&cells, separator == b';') {
                table.error(e);
                unreadable = None;
                return false;
            }
        }
        if parallel && table.rows_in_parallel(&rows) {
            if let Some(each) = each.as_mut() {
                // The batch's lines are given and dropped: `each` checks their ids.
                let mut lines = table.take_lines();
                let given = each(&lines);
                // Dropped on every core, as they were made.
                lines.par_drain(..).with_min_len(1024).for_each(drop);
                if !given {
                    stopped = true;
                    return false;
                }
            }
            return true;
        }
        if each.is_some() {
            stopped = true;
            return false;
        }
        parallel = false;
        for (row, cells) in &rows {
            table.row(*row, cells);
        }
        true
    });
    if stopped {
        return Err(InputErrors(Vec::new()));
    }
    if let Some(error) = unreadable {
        table.error(error);
    }
    table.finish(ids)
}

/// Records read from a CSV file: the first `count` of `records`, then the error that ended
/// the file, if one did.
struct Filled {
    records: Vec<csv::StringRecord>,
    count: usize,
    unreadable: Option<InputError>,
}

/// Gives `each` the records of `reader` a batch at a time (the first batch one record more,
/// for the header), until the end of the file or `each` says to stop. The next batch is read
/// on a thread of its own while `each` works on one (inline when no thread can be made).
fn each_batch<R: Read + Send>(
    name: &Arc<str>,
    mut reader: csv::Reader<R>,
    batch: usize,
    each: &mut dyn FnMut(&mut Filled) -> bool,
) {
    let fill = move |mut records: Vec<csv::StringRecord>, first: bool| {
        let wanted = batch + usize::from(first);
        records.resize_with(wanted, csv::StringRecord::new);
        let mut filled = Filled {
            records,
            count: 0,
            unreadable: None,
        };
        let mut end = false;
        while filled.count < wanted && !end {
            let Some(record) = filled.records.get_mut(filled.count) else {
                break;
            };
            match reader.read_record(record) {
                // Read whole, such a file is refused (UTF-16?).
                Ok(true) if record.as_slice().contains('\0') => {
                    let line = record.position().map_or(0, csv::Position::line);
                    filled.unreadable = Some(InputError::new(
                        Position::new(name, line, 0),
                        "a NUL byte: the file is not text",
                    ));
                    end = true;
                }
                Ok(true) => filled.count += 1,
                Ok(false) => end = true,
                Err(e) => {
                    let line = e.position().map_or(0, csv::Position::line);
                    filled.unreadable = Some(InputError::new(
                        Position::new(name, line, 0),
                        format!("unreadable CSV: {e}"),
                    ));
                    end = true;
                }
            }
        }
        (filled, end)
    };
    // The reading thread's, or this thread's when none can be made.
    let fill = std::sync::Mutex::new(fill);
    let fill = |records, first| {
        let mut fill = fill
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        fill(records, first)
    };
    std::thread::scope(|scope| {
        let (full, filled) = std::sync::mpsc::sync_channel::<(Filled, bool)>(1);
        let (done, empty) = std::sync::mpsc::channel::<Vec<csv::StringRecord>>();
        let fill = &fill;
        let reading = std::thread::Builder::new().spawn_scoped(scope, move || {
            let mut first = true;
            loop {
                let records = empty.try_recv().unwrap_or_default();
                let (filled, end) = fill(records, first);
                first = false;
                // The receiver gone: `each` stopped.
                if full.send((filled, end)).is_err() || end {
                    break;
                }
            }
        });
        match reading {
            Ok(_) => {
                for (mut batch, end) in filled {
                    if !each(&mut batch) || end {
                        break;
                    }
                    // Its records' buffers serve again.
                    let _ = done.send(batch.records);
                }
            }
            Err(_) => {
                let mut first = true;
                let mut records = Vec::new();
                loop {
                    let (mut batch, end) = fill(std::mem::take(&mut records), first);
                    first = false;
                    if !each(&mut batch) || end {
                        break;
                    }
                    records = batch.records;
                }
            }
        }
    });
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
