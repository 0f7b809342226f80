//! Tables for spreadsheets: the rows of the CSV renderers, typed (numbers as numbers, codes
//! and ids as text), written as CSV in French Excel's dialect or as sheets of a workbook
//! ([`super::xlsx`]).

use crate::post::Lang;
use rust_decimal::Decimal;
use std::str::FromStr;

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text, as written.
    Text(String),
    /// A number, exact.
    Number(Decimal),
    /// A fraction shown as a percentage, whatever its column.
    Fraction(Decimal),
}

/// A table: a name (the sheet's), a header and rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// The sheet's name (at most 31 characters in a workbook).
    pub name: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows, as long as the header or shorter.
    pub rows: Vec<Vec<Cell>>,
}

/// Columns holding codes or ids written with digits (`3.9`, `42513`, `2023`-like ids): text,
/// never numbers, whatever they look like.
const TEXT_COLUMNS: [&str; 20] = [
    "code",
    "post",
    "largest_post",
    "factor",
    "factor_id",
    "market_factor",
    "line_id",
    "id",
    "path",
    "client",
    "organisation",
    "name",
    "label",
    "unit",
    "status",
    "kind",
    "message",
    "siren",
    "naf",
    "file",
];

/// Which CSV to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    /// `,`, decimal point, no byte-order mark: the contract for programs.
    #[default]
    Standard,
    /// What French Excel opens by double-click: `;`, decimal comma, UTF-8 byte-order mark.
    ExcelFr,
}

impl Sheet {
    /// The table of a CSV text written by a renderer: a column is numbers when each of its
    /// cells is one (or empty) and it is not a code or id column (`code`, `post`, `factor`…); `numeric` names columns
    /// that are numbers all the same (`factor` in a diff is an effect).
    pub fn from_csv(name: &str, csv_text: &str, numeric: &[&str]) -> Sheet {
        let (header, rows) = split_header(csv_text);
        let mut kinds = ColumnKinds::new(&header, numeric);
        kinds.add(rows);
        let rows = typed_rows(rows, &kinds.numeric()).collect();
        Sheet {
            name: name.to_string(),
            header,
            rows,
        }
    }
}

/// The cells of CSV rows (without their header): the cells of the `numeric` columns that are
/// numbers as numbers, the others as texts.
pub fn typed_rows<'a>(rows: &'a str, numeric: &'a [bool]) -> impl Iterator<Item = Vec<Cell>> + 'a {
    rows_reader(rows)
        .into_records()
        .filter_map(Result::ok)
        .map(move |row| {
            row.iter()
                .enumerate()
                .map(|(i, cell)| {
                    if cell.is_empty() {
                        Cell::Empty
                    } else if numeric.get(i).copied().unwrap_or(false)
                        && let Some(n) = number(cell)
                    {
                        Cell::Number(n)
                    } else {
                        Cell::Text(cell.to_string())
                    }
                })
                .collect()
        })
}

/// A number as the renderers write them (`-12.5`, `1e-5`).
fn number(text: &str) -> Option<Decimal> {
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    if plain {
        Decimal::from_str_exact(text).ok()
    } else if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        None
    }
}

/// `csv_text` (written by a renderer) in `dialect`; numbers columns as in
/// [`Sheet::from_csv`].
pub fn in_dialect(csv_text: String, dialect: Dialect, numeric: &[&str]) -> String {
    if dialect == Dialect::Standard {
        return csv_text;
    }
    let (header, rows) = split_header(&csv_text);
    let mut kinds = ColumnKinds::new(&header, numeric);
    kinds.add(rows);
    header_in_excel(&header) + &rows_in_excel(rows, &kinds.numeric())
}

/// Which columns of a CSV table are numbers, told a batch of rows at a time as
/// [`Sheet::from_csv`] tells them from all: a column is numbers when it may be (not a code or
/// id column, or named numeric), has a cell, and each of its cells is a number or empty.
#[derive(Clone, Debug)]
pub struct ColumnKinds {
    may_be: Vec<bool>,
    has_a_cell: Vec<bool>,
    all_numbers: Vec<bool>,
    /// Each column's longest cell, in characters, at most [`WIDEST_TEXT`].
    longest: Vec<usize>,
    rows: usize,
}

/// The widest a text cell counts for a column's width, in characters.
pub const WIDEST_TEXT: usize = 60;

/// The width a number cell counts for, in characters.
pub const NUMBER_WIDTH: usize = 12;

impl ColumnKinds {
    /// No row yet, for the columns of `header` (`numeric`: columns that are numbers all the
    /// same).
    pub fn new(header: &[String], numeric: &[&str]) -> ColumnKinds {
        ColumnKinds {
            may_be: header
                .iter()
                .map(|c| numeric.contains(&c.as_str()) || !TEXT_COLUMNS.contains(&c.as_str()))
                .collect(),
            has_a_cell: vec![false; header.len()],
            all_numbers: vec![true; header.len()],
            longest: vec![0; header.len()],
            rows: 0,
        }
    }

    /// Takes the next rows (CSV text without its header).
    pub fn add(&mut self, rows: &str) {
        for row in rows_reader(rows).records().filter_map(Result::ok) {
            self.rows += 1;
            for (i, cell) in row.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                if let Some(has) = self.has_a_cell.get_mut(i) {
                    *has = true;
                }
                if let Some(longest) = self.longest.get_mut(i) {
                    *longest = (*longest).max(cell.chars().count().min(WIDEST_TEXT));
                }
                if let Some(all) = self.all_numbers.get_mut(i)
                    && *all
                    && number(cell).is_none()
                {
                    *all = false;
                }
            }
        }
    }

    /// Whether each column is numbers, after every row.
    pub fn numeric(&self) -> Vec<bool> {
        self.may_be
            .iter()
            .zip(&self.has_a_cell)
            .zip(&self.all_numbers)
            .map(|((may, has), all)| *may && *has && *all)
            .collect()
    }

    /// The rows taken so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Each column's widest cell in characters, as a sheet shows it after every row: a number
    /// [`NUMBER_WIDTH`], a text its length up to [`WIDEST_TEXT`], 0 for a column without a
    /// cell.
    pub fn widest(&self) -> Vec<usize> {
        self.numeric()
            .iter()
            .zip(&self.longest)
            .map(|(numeric, longest)| if *numeric { NUMBER_WIDTH } else { *longest })
            .collect()
    }
}

/// The column names of a CSV header row.
pub fn header(csv_text: &str) -> Vec<String> {
    split_header(csv_text).0
}

/// The column names of a CSV text's header row, and the text of its rows.
fn split_header(csv_text: &str) -> (Vec<String>, &str) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(String::from).collect())
        .unwrap_or_default();
    let rows = csv_text
        .get(usize::try_from(reader.position().byte()).unwrap_or(usize::MAX)..)
        .unwrap_or_default();
    (header, rows)
}

/// A reader of CSV rows without their header (of any length).
fn rows_reader(rows: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(rows.as_bytes())
}

/// A header in French Excel's dialect, after the byte-order mark.
pub fn header_in_excel(header: &[String]) -> String {
    let mut writer = excel_writer();
    let _ = writer.write_record(header);
    format!("\u{feff}{}", written(writer))
}

/// CSV rows (without their header) in French Excel's dialect: the cells of the `numeric`
/// columns that are numbers with a decimal comma.
pub fn rows_in_excel(rows: &str, numeric: &[bool]) -> String {
    let mut writer = excel_writer();
    for row in rows_reader(rows).records().filter_map(Result::ok) {
        let cells = row.iter().enumerate().map(|(i, cell)| {
            if !cell.is_empty()
                && numeric.get(i).copied().unwrap_or(false)
                && let Some(n) = number(cell)
            {
                n.to_string().replace('.', ",")
            } else {
                cell.to_string()
            }
        });
        let _ = writer.write_record(cells);
    }
    written(writer)
}

fn excel_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn written(writer: csv::Writer<Vec<u8>>) -> String {
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// A sheet name in `lang`.
pub fn name(fr: &str, en: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => fr.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Parses a number as [`super::human`] prints it in `lang` (`1 234,5`, `12,3 %`): for tables
/// made for people, turned into sheets. A percentage comes back as a fraction.
pub fn human_number(text: &str, lang: Lang) -> Option<(Decimal, bool)> {
    let trimmed = text.trim();
    let (body, percent) = match trimmed.strip_suffix('%') {
        Some(body) => (body.trim_end_matches([' ', '\u{a0}', '\u{202f}']), true),
        None => (trimmed, false),
    };
    let body: String = body
        .chars()
        .filter(|c| !matches!(c, '\u{202f}' | '\u{a0}' | ' '))
        .collect();
    let body = match lang {
        Lang::Fr => body.replace(',', "."),
        Lang::En => body.replace(',', ""),
    };
    let body = body.replace('\u{2212}', "-");
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return None;
    }
    let value = Decimal::from_str(&body).ok()?;
    Some(if percent {
        (value / Decimal::ONE_HUNDRED, true)
    } else {
        (value, false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_stay_text_and_figures_become_numbers() {
        let csv =
            "code,scope,name,kgco2e,share\n3.9,3,Achats,1109.68,0.25\n3.10,3,Immobilisations,,0\n";
        let sheet = Sheet::from_csv("posts", csv, &[]);
        assert_eq!(sheet.header, ["code", "scope", "name", "kgco2e", "share"]);
        let first = sheet.rows.first().unwrap();
        assert_eq!(first.first(), Some(&Cell::Text("3.9".into())));
        assert_eq!(first.get(1), Some(&Cell::Number(Decimal::from(3))));
        assert_eq!(
            first.get(3),
            Some(&Cell::Number(Decimal::from_str("1109.68").unwrap()))
        );
        let second = sheet.rows.get(1).unwrap();
        assert_eq!(second.first(), Some(&Cell::Text("3.10".into())));
        assert_eq!(second.get(3), Some(&Cell::Empty));
    }

    #[test]
    fn excel_fr_has_semicolons_decimal_commas_and_a_bom() {
        let csv = "code,name,kgco2e\n3.9,\"Achats; services\",1109.68\n".to_string();
        assert_eq!(
            in_dialect(csv, Dialect::ExcelFr, &[]),
            "\u{feff}code;name;kgco2e\r\n3.9;\"Achats; services\";1109,68\r\n"
        );
    }

    #[test]
    fn numbers_printed_for_people_read_back() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(
            human_number("1\u{202f}234,5", Lang::Fr),
            Some((d("1234.5"), false))
        );
        assert_eq!(
            human_number("12,5\u{a0}%", Lang::Fr),
            Some((d("0.125"), true))
        );
        assert_eq!(
            human_number("1,234.5", Lang::En),
            Some((d("1234.5"), false))
        );
        assert_eq!(human_number("±15 %", Lang::Fr), None);
        assert_eq!(human_number("3.9 Achats", Lang::En), None);
    }
}
