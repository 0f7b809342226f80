//! Lines from a table (CSV file or spreadsheet sheet): a header row naming the keys of a YAML
//! line, one line per row. Each cell becomes the value of its key, positioned at its row and
//! column, and goes through the same checks as a YAML line ([`Checker::line`]).
//!
//! Nested keys are written with a dot: `amortization.acquired`, `amortization.years`,
//! `quality.reliability` … `quality.completeness`, `factor_quality.…`. `tags` holds the tags
//! separated by `|`. An empty cell is a key left out; an empty row is skipped. Inline factors
//! (`factor: { … }`) have no columns: put such factors in an own factor CSV (`factors:`).

use super::{Checker, RawAmortization, RawFactorRef, RawLine, RawQuality, Text};
use crate::error::{InputError, InputErrors, Position};
use crate::inventory::Line;
use crate::load::yaml::{Location, Spanned, location, spanned};
use rayon::prelude::*;
use std::sync::Arc;

/// The keys a header may name, in the order of the collection workbook's columns.
pub const KEYS: [&str; 29] = [
    "id",
    "label",
    "factor",
    "quantity",
    "unit",
    "uncertainty",
    "post",
    "purpose",
    "direction",
    "mobile",
    "amortization.acquired",
    "amortization.years",
    "sold_products",
    "ets",
    "pci_per_pcs",
    "factor_uncertainty",
    "market_factor",
    "site",
    "tags",
    "comment",
    "quality.reliability",
    "quality.technical",
    "quality.geographic",
    "quality.temporal",
    "quality.completeness",
    "factor_quality.reliability",
    "factor_quality.technical",
    "factor_quality.geographic",
    "factor_quality.temporal",
];

/// `factor_quality.completeness` completes [`KEYS`] (kept apart to keep the array readable).
pub const LAST_KEY: &str = "factor_quality.completeness";

/// A key a header may name that the collection workbook leaves out: `intragroup` concerns the
/// group that consolidates the entity, not the colleagues who collect its data.
pub const GROUP_KEY: &str = "intragroup";

/// The keys a row must fill.
const REQUIRED: [&str; 4] = ["label", "factor", "quantity", "unit"];

/// Keys read as numbers, where a `;`-separated CSV or a spreadsheet's text cell may use a
/// decimal comma.
const NUMERIC: [&str; 4] = [
    "quantity",
    "uncertainty",
    "pci_per_pcs",
    "factor_uncertainty",
];

/// Keys holding a percentage: a spreadsheet's number there is ambiguous (5 or 0.05 for 5 %).
const PERCENT: [&str; 2] = ["uncertainty", "factor_uncertainty"];

/// One cell: its text, 1-based row and column.
pub struct Cell<'a> {
    /// The text (a numeric spreadsheet cell already turned into its shortest exact text).
    pub text: &'a str,
    /// 1-based row.
    pub row: u64,
    /// 1-based column.
    pub column: u64,
    /// The cell held a number (a spreadsheet's numeric cell), not text.
    pub number: bool,
}

/// The header row, checked: the key of each column (`None` for a column with an empty
/// header, which must stay empty).
struct Header {
    keys: Vec<Option<&'static str>>,
    /// The column of the first key.
    first_column: u64,
    decimal_comma: bool,
}

impl Header {
    /// Reads the header `cells`. `decimal_comma` says whether numbers may use a decimal comma.
    fn new(
        checker: &mut Checker,
        cells: &[Cell<'_>],
        decimal_comma: bool,
    ) -> Result<Header, InputError> {
        let mut keys = Vec::with_capacity(cells.len());
        for cell in cells {
            let name = cell.text.trim();
            if name.is_empty() {
                keys.push(None);
                continue;
            }
            let Some(key) = KEYS
                .iter()
                .chain([&LAST_KEY, &GROUP_KEY])
                .find(|k| k.eq_ignore_ascii_case(name))
            else {
                return Err(InputError::new(
                    checker.cell_at(cell.row, cell.column),
                    format!("unknown column `{name}`"),
                )
                .help(format!(
                    "the header names the keys of a line: {}, {LAST_KEY}, {GROUP_KEY}",
                    KEYS.join(", ")
                )));
            };
            if keys.contains(&Some(*key)) {
                return Err(InputError::new(
                    checker.cell_at(cell.row, cell.column),
                    format!("column `{key}` appears twice"),
                )
                .help("keep one column per key"));
            }
            keys.push(Some(*key));
        }
        let first = cells.first().map_or(0, |c| c.row);
        for required in REQUIRED {
            if !keys.contains(&Some(required)) {
                return Err(InputError::new(
                    checker.cell_at(first, 0),
                    format!("the header has no column `{required}`"),
                )
                .help(format!(
                    "the first row names the columns; each line needs {}",
                    REQUIRED.join(", ")
                )));
            }
        }
        Ok(Header {
            keys,
            first_column: cells.first().map_or(1, |c| c.column),
            decimal_comma,
        })
    }
}

/// True for a row with nothing in it (skipped, not counted).
fn is_empty(cells: &[Cell<'_>]) -> bool {
    cells.iter().all(|c| c.text.trim().is_empty())
}

impl Checker {
    /// Checks one row of cells: `None` for an empty row or a line with errors (recorded).
    fn row(&mut self, header: &Header, row: u64, cells: &[Cell<'_>]) -> Option<Line> {
        if is_empty(cells) {
            return None;
        }
        let mut raw = RawRow::default();
        let mut ok = true;
        for cell in cells {
            let text = cell.text.trim();
            if text.is_empty() {
                continue;
            }
            let index = cell
                .column
                .checked_sub(header.first_column)
                .and_then(|i| usize::try_from(i).ok())
                .unwrap_or(usize::MAX);
            let Some(Some(key)) = header.keys.get(index) else {
                self.error(
                    self.cell_at(cell.row, cell.column),
                    format!("a value in a column without a header: `{text}`"),
                    "name the column in the header row, or empty the cell",
                );
                ok = false;
                continue;
            };
            if cell.number && PERCENT.contains(key) {
                self.error(
                    self.cell_at(cell.row, cell.column),
                    format!("`{key}` is a number cell (`{text}`): 5% or 5?"),
                    "write the percentage as text, such as 5% (format the cell as text)",
                );
                ok = false;
                continue;
            }
            let mut text = text.to_string();
            if header.decimal_comma && NUMERIC.contains(key) && !text.contains('.') {
                text = text.replace(',', ".");
            }
            ok &= raw.set(self, key, spanned(text, cell.row, cell.column));
        }
        let line_at = location(row, 1);
        let mut missing = false;
        for (key, value) in [
            ("label", &raw.label),
            ("factor", &raw.factor),
            ("quantity", &raw.quantity),
            ("unit", &raw.unit),
        ] {
            if value.is_none() {
                let column = header
                    .keys
                    .iter()
                    .position(|k| *k == Some(key))
                    .map_or(0, |i| i as u64 + header.first_column);
                self.error(
                    self.cell_at(row, column),
                    format!("the line has no `{key}`"),
                    format!("each line needs {}", REQUIRED.join(", ")),
                );
                missing = true;
            }
        }
        let (Some(label), Some(factor), Some(quantity), Some(unit), false) =
            (raw.label, raw.factor, raw.quantity, raw.unit, missing)
        else {
            self.next_line += 1;
            return None;
        };
        let line = RawLine {
            id: raw.id,
            label,
            factor: Spanned::new(
                RawFactorRef::Id(factor.value),
                factor.referenced,
                factor.defined,
            ),
            quantity,
            unit,
            uncertainty: raw.uncertainty,
            quality: raw.quality.map(|(q, at)| Spanned::new(q, at, at)),
            post: raw.post,
            purpose: raw.purpose,
            direction: raw.direction,
            mobile: raw.mobile,
            amortization: match (raw.acquired, raw.years) {
                (None, None) => None,
                (Some(acquired), Some(years)) => {
                    let at = acquired.referenced;
                    Some(Spanned::new(RawAmortization { acquired, years }, at, at))
                }
                (Some(one), None) | (None, Some(one)) => {
                    let at = self.at(&one);
                    self.error(
                        at,
                        "`amortization.acquired` and `amortization.years` go together",
                        "fill both cells, or neither",
                    );
                    ok = false;
                    None
                }
            },
            sold_products: raw.sold_products,
            ets: raw.ets,
            intragroup: raw.intragroup,
            pci_per_pcs: raw.pci_per_pcs,
            factor_uncertainty: raw.factor_uncertainty,
            factor_quality: raw.factor_quality.map(|(q, at)| Spanned::new(q, at, at)),
            site: raw.site,
            tags: raw.tags,
            comment: raw.comment,
            market_factor: raw
                .market_factor
                .map(|m| Spanned::new(RawFactorRef::Id(m.value), m.referenced, m.defined)),
        };
        let line = self.line(Spanned::new(line, line_at, line_at));
        if ok { line } else { None }
    }
}

/// The cells of one row, by key.
#[derive(Default)]
struct RawRow {
    id: Option<Text>,
    label: Option<Text>,
    factor: Option<Text>,
    quantity: Option<Text>,
    unit: Option<Text>,
    uncertainty: Option<Text>,
    quality: Option<(RawQuality, Location)>,
    post: Option<Text>,
    purpose: Option<Text>,
    direction: Option<Text>,
    mobile: Option<Spanned<bool>>,
    acquired: Option<Text>,
    years: Option<Text>,
    sold_products: Option<bool>,
    ets: Option<bool>,
    intragroup: Option<bool>,
    pci_per_pcs: Option<Text>,
    factor_uncertainty: Option<Text>,
    factor_quality: Option<(RawQuality, Location)>,
    site: Option<String>,
    tags: Vec<String>,
    comment: Option<String>,
    market_factor: Option<Text>,
}

impl RawRow {
    /// Sets `key` to `text`; false (an error recorded) when the text cannot be that key's.
    fn set(&mut self, checker: &mut Checker, key: &str, text: Text) -> bool {
        let quality = |slot: &mut Option<(RawQuality, Location)>, field: &str, text: Text| {
            let (q, _) = slot.get_or_insert_with(|| (RawQuality::default(), text.referenced));
            match field {
                "reliability" => q.reliability = Some(text),
                "technical" => q.technical = Some(text),
                "geographic" => q.geographic = Some(text),
                "temporal" => q.temporal = Some(text),
                _ => q.completeness = Some(text),
            }
        };
        match key {
            "id" => self.id = Some(text),
            "label" => self.label = Some(text),
            "factor" => self.factor = Some(text),
            "quantity" => self.quantity = Some(text),
            "unit" => self.unit = Some(text),
            "uncertainty" => self.uncertainty = Some(text),
            "post" => self.post = Some(text),
            "purpose" => self.purpose = Some(text),
            "direction" => self.direction = Some(text),
            "mobile" | "sold_products" | "ets" | "intragroup" => {
                let value = match text.value.to_ascii_lowercase().as_str() {
                    "true" | "vrai" | "yes" | "oui" | "1" => true,
                    "false" | "faux" | "no" | "non" | "0" => false,
                    _ => {
                        let at = checker.at(&text);
                        checker.error(
                            at,
                            format!("`{key}` is not true or false: `{}`", text.value),
                            "write true or false (or leave the cell empty for false)",
                        );
                        return false;
                    }
                };
                if key == "mobile" {
                    self.mobile = Some(Spanned::new(value, text.referenced, text.defined));
                } else if key == "ets" {
                    self.ets = Some(value);
                } else if key == "intragroup" {
                    self.intragroup = Some(value);
                } else {
                    self.sold_products = Some(value);
                }
            }
            "amortization.acquired" => self.acquired = Some(text),
            "amortization.years" => self.years = Some(text),
            "pci_per_pcs" => self.pci_per_pcs = Some(text),
            "factor_uncertainty" => self.factor_uncertainty = Some(text),
            "market_factor" => self.market_factor = Some(text),
            "site" => self.site = Some(text.value),
            "tags" => {
                self.tags = text
                    .value
                    .split('|')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect();
            }
            "comment" => self.comment = Some(text.value),
            other => match (
                other.strip_prefix("quality."),
                other.strip_prefix("factor_quality."),
            ) {
                (Some(field), _) => quality(&mut self.quality, field, text),
                (_, Some(field)) => quality(&mut self.factor_quality, field, text),
                _ => {}
            },
        }
        true
    }
}

/// Reads the lines of one table: its header, then its rows, collecting every error.
pub struct TableLines {
    checker: Checker,
    header: Option<Header>,
    lines: Vec<Line>,
}

impl TableLines {
    /// Lines of `file` (in `sheet` of a workbook); default ids continue after `lines_before`
    /// lines and `ids` are taken (give them back with [`TableLines::finish`]).
    pub fn new(
        file: &str,
        sheet: Option<&str>,
        lines_before: usize,
        ids: &mut super::LineIds,
    ) -> TableLines {
        TableLines {
            checker: Checker {
                sheet: sheet.map(Arc::from),
                ..Checker::new(&Arc::from(file), std::mem::take(ids), lines_before)
            },
            header: None,
            lines: Vec::new(),
        }
    }

    /// Lines of `file` whose ids the caller checks, every one against every other (lines read
    /// a batch at a time and given away, [`TableLines::take_lines`]); default ids continue
    /// after `lines_before` lines.
    pub fn unchecked_ids(file: &str, lines_before: usize) -> TableLines {
        let mut table = TableLines::new(file, None, lines_before, &mut super::LineIds::default());
        table.checker.check_ids = false;
        table
    }

    /// Room for `rows` lines at once: a million lines are not grown by doubling (which holds
    /// the old and the new buffer together).
    pub fn reserve(&mut self, rows: usize) {
        self.lines.reserve_exact(rows);
        self.checker.seen.reserve(rows);
    }

    /// Reads the header row; `decimal_comma` says whether numbers may use a decimal comma.
    pub fn header(&mut self, cells: &[Cell<'_>], decimal_comma: bool) -> Result<(), InputError> {
        self.header = Some(Header::new(&mut self.checker, cells, decimal_comma)?);
        Ok(())
    }

    /// Reads one row (after the header).
    pub fn row(&mut self, row: u64, cells: &[Cell<'_>]) {
        if let Some(header) = &self.header {
            let line = self.checker.row(header, row, cells);
            self.lines.extend(line);
        }
    }

    /// Reads `rows` (after the header, with their row numbers) on every core, several parts
    /// at once. Returns false, keeping nothing, when a row has an error or a line id is taken:
    /// read them with [`TableLines::row`] then, which gives the errors in their usual form and
    /// order.
    pub fn rows_in_parallel(&mut self, rows: &[(u64, Vec<Cell<'_>>)]) -> bool {
        const PART: usize = 1024;
        let Some(header) = &self.header else {
            return false;
        };
        // Default ids count the rows that hold something (empty rows are skipped).
        let mut starts = Vec::with_capacity(rows.len() / PART + 1);
        let mut next = self.checker.next_line;
        for part in rows.chunks(PART) {
            starts.push(next);
            next += part.iter().filter(|(_, cells)| !is_empty(cells)).count();
        }
        let checker = &self.checker;
        let parts: Option<Vec<Vec<Line>>> = rows
            .par_chunks(PART)
            .zip(starts.par_iter())
            .map(|(part, start)| {
                let mut checker = checker.fork(*start);
                let mut lines = Vec::with_capacity(part.len());
                for (row, cells) in part {
                    lines.extend(checker.row(header, *row, cells));
                }
                checker.errors.is_empty().then_some(lines)
            })
            .collect();
        let Some(parts) = parts else {
            return false;
        };
        if !self.checker.check_ids {
            self.checker.next_line = next;
            self.lines.reserve(parts.iter().map(Vec::len).sum());
            for part in parts {
                self.lines.extend(part);
            }
            return true;
        }
        let mut taken: foldhash::HashSet<&str> = foldhash::HashSet::default();
        let fresh = parts
            .iter()
            .flatten()
            .all(|line| !self.checker.seen.contains(&line.id) && taken.insert(&line.id));
        drop(taken);
        if !fresh {
            return false;
        }
        let lines = parts.iter().flatten();
        self.checker.seen.extend(lines.map(|line| line.id.clone()));
        self.checker.next_line = next;
        for part in parts {
            self.lines.extend(part);
        }
        true
    }

    /// The lines read so far, taken out (of a table whose caller checks the ids,
    /// [`TableLines::unchecked_ids`]).
    pub fn take_lines(&mut self) -> Vec<Line> {
        std::mem::take(&mut self.lines)
    }

    /// The position of a cell, as errors give it.
    pub fn at(&self, row: u64, column: u64) -> Position {
        self.checker.cell_at(row, column)
    }

    /// Records an error found while reading the file.
    pub fn error(&mut self, error: InputError) {
        self.checker.errors.push(error);
    }

    /// The lines, or every error; gives back the ids taken by [`TableLines::new`].
    pub fn finish(self, ids: &mut super::LineIds) -> Result<Vec<Line>, InputErrors> {
        let at = self.checker.cell_at(0, 0);
        *ids = self.checker.seen;
        if self.header.is_none() && self.checker.errors.is_empty() {
            return Err(InputError::new(at, "the file has no header row")
                .help("the first row names the columns: id, label, factor, quantity, unit, …")
                .into());
        }
        InputErrors::or_ok(self.checker.errors, "", self.lines)
    }
}

/// The letters of a 1-based spreadsheet column: 1 → A, 27 → AA.
pub fn column_letters(mut column: u64) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let rest = (column - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        column = (column - 1) / 26;
    }
    letters.iter().rev().collect()
}

impl Checker {
    /// A checker of the same file with no error and no id yet, its default ids counting from
    /// `next_line`: for rows read beside others.
    fn fork(&self, next_line: usize) -> Checker {
        Checker {
            sheet: self.sheet.clone(),
            line_offset: self.line_offset,
            group: self.group,
            check_ids: self.check_ids,
            ..Checker::new(&self.file, super::LineIds::default(), next_line)
        }
    }

    /// The position of a cell: `file:row:column`, or `file!sheet!C12` in a workbook.
    pub(super) fn cell_at(&self, row: u64, column: u64) -> Position {
        match &self.sheet {
            None => Position::new(&self.file, row, column),
            Some(sheet) => {
                let cell = if row == 0 {
                    format!("{}!{sheet}", self.file)
                } else if column == 0 {
                    format!("{}!{sheet}!{row}:{row}", self.file)
                } else {
                    format!("{}!{sheet}!{}{row}", self.file, column_letters(column))
                };
                Position::file(&Arc::from(cell))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_like_a_spreadsheet() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(3), "C");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(28), "AB");
        assert_eq!(column_letters(52), "AZ");
        assert_eq!(column_letters(53), "BA");
    }

    #[test]
    fn locations_keep_row_and_column() {
        let at = location(12, 3);
        assert_eq!((at.line(), at.column()), (12, 3));
    }
}
