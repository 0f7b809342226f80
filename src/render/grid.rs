//! A grid of text cells, printed as a terminal table (comfy-table), GitHub Markdown or CSV: the
//! one place that knows those formats' details.
//!
//! Tables are the same bytes anywhere unless the command line says it prints to a terminal
//! ([`set_terminal`]): then they fit its width (labels wrapped, numbers never cut) and, in
//! colour, totals and scopes are bold and rows without figures dim.

use comfy_table::{
    Attribute, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};
use std::sync::OnceLock;

/// How tables are laid out for a terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Terminal {
    /// The width to fit, in columns; `None` keeps every table at its natural width.
    pub width: Option<u16>,
    /// Bold totals and scope rows, dim rows without figures.
    pub color: bool,
}

static TERMINAL: OnceLock<Terminal> = OnceLock::new();

/// Sets, once for the process, how tables are laid out (the command line does it when it
/// prints to a terminal or is given `--width` / `--color always`). Without it, tables are the
/// same bytes anywhere.
pub fn set_terminal(terminal: Terminal) {
    // A second call is ignored: the first, made at start, decides.
    let _ = TERMINAL.set(terminal);
}

/// True when tables are coloured (only then may an output hold colour sequences).
pub fn colour_enabled() -> bool {
    terminal().color
}

fn terminal() -> Terminal {
    TERMINAL.get().copied().unwrap_or_default()
}

/// A table: its header, its rows, and the columns aligned right (numbers).
pub struct Grid {
    /// Column titles.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
    /// The columns aligned right.
    pub right: Vec<usize>,
}

impl Grid {
    /// A grid whose columns from `first_number` on are numbers.
    pub fn new<S: Into<String>>(
        header: impl IntoIterator<Item = S>,
        rows: Vec<Vec<String>>,
        first_number: usize,
    ) -> Grid {
        let header: Vec<String> = header.into_iter().map(Into::into).collect();
        let right = (first_number..header.len()).collect();
        Grid {
            header,
            rows,
            right,
        }
    }

    /// A terminal table: at its natural width and without styling (the same bytes anywhere),
    /// unless [`set_terminal`] said otherwise.
    pub fn table(&self) -> String {
        self.table_for(terminal())
    }

    /// The table laid out for `terminal`.
    pub fn table_for(&self, terminal: Terminal) -> String {
        let mut table = Table::new();
        table
            .force_no_tty()
            .load_style(presets::UTF8_FULL_CONDENSED);
        if terminal.color {
            table.enforce_styling();
        }
        table.set_header(
            self.header
                .iter()
                .map(|h| crate::text::printable(h, true).into_owned()),
        );
        for row in &self.rows {
            let style = if terminal.color {
                self.style(row)
            } else {
                None
            };
            table.add_row(row.iter().enumerate().map(|(i, text)| {
                // Text from input files never drives the terminal.
                let mut cell = Cell::new(crate::text::printable(text, true));
                if self.right.contains(&i) {
                    cell = cell.set_alignment(CellAlignment::Right);
                }
                match style {
                    Some(attribute) => cell.add_attribute(attribute),
                    None => cell,
                }
            }));
        }
        if let Some(width) = terminal.width {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width);
            // Numbers are never wrapped: a number column is at least as wide as its widest
            // figure (its title may wrap).
            for &i in &self.right {
                let widest = self
                    .rows
                    .iter()
                    .filter_map(|row| row.get(i))
                    .map(|text| text.chars().count())
                    .max()
                    .unwrap_or(0);
                if let Some(column) = table.column_mut(i) {
                    column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                        u16::try_from(widest).unwrap_or(u16::MAX),
                    )));
                }
            }
        }
        table.to_string()
    }

    /// Bold for totals and scopes, dim for a row whose figures are all empty or `–`.
    fn style(&self, row: &[String]) -> Option<Attribute> {
        let first = row.first().map(String::as_str).unwrap_or_default();
        if first == "Total" || first.starts_with("Scope") || first.starts_with("Total ") {
            return Some(Attribute::Bold);
        }
        let figures: Vec<&str> = self
            .right
            .iter()
            .filter_map(|&i| row.get(i))
            .map(|t| t.trim())
            .collect();
        (!figures.is_empty() && figures.iter().all(|t| t.is_empty() || *t == "–"))
            .then_some(Attribute::Dim)
    }

    /// A GitHub-flavoured Markdown table (`|` escaped, line breaks as spaces).
    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| escape_markdown(c)).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        let align: Vec<&str> = (0..self.header.len())
            .map(|i| {
                if self.right.contains(&i) {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        let mut out = line(&self.header);
        out.push_str(&format!("|{}|\n", align.join("|")));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// Text safe in a Markdown table cell.
pub fn escape_markdown(text: &str) -> String {
    crate::text::printable(text, true)
        .replace('|', "\\|")
        .replace('\n', " ")
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first) gets a
/// leading `'` (OWASP's rule), unless it is a number (`-260`, `1e-5`): a label from a client's
/// file must never become `=HYPERLINK(…)` in someone's Excel.
fn neutralise(cell: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let risky = matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && !is_number(cell) {
        let mut safe = Vec::with_capacity(cell.len() + 1);
        safe.push(b'\'');
        safe.extend_from_slice(cell);
        std::borrow::Cow::Owned(safe)
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `-12.5`, `+3`, `1e-5`: a plain decimal number, optionally signed, with an exponent.
fn is_number(cell: &[u8]) -> bool {
    let text = std::str::from_utf8(cell).unwrap_or("");
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (body, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

/// Rows as CSV (`,`, `\n`, quoting where needed; formula-like cells neutralised).
pub fn csv<R, C>(rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<[u8]>,
{
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in rows {
        let cells: Vec<C::Item> = row.into_iter().collect();
        let row = cells.iter().map(|cell| neutralise(cell.as_ref()));
        // Writing to memory cannot fail but for a bug; an empty output would show it.
        if writer.write_record(row).is_err() {
            return String::new();
        }
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}
