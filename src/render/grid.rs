//! A grid of text cells, printed as a terminal table (comfy-table), GitHub Markdown or CSV: the
//! one place that knows those formats' details.
//!
//! Tables are the same bytes anywhere unless the command line says it prints to a terminal
//! ([`set_terminal`]): then they fit its width (labels wrapped, numbers never cut) and, in
//! colour, totals and scopes are bold and rows without figures dim.

use comfy_table::{
    Attribute, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};
use std::io::{self, Write};
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
        let mut table = self.comfy(terminal, true);
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

    /// The cells as a comfy-table, with or without the header, not yet fitted to a width.
    fn comfy(&self, terminal: Terminal, header: bool) -> Table {
        let mut table = Table::new();
        table
            .force_no_tty()
            .load_style(presets::UTF8_FULL_CONDENSED);
        if terminal.color {
            table.enforce_styling();
        }
        if header {
            table.set_header(
                self.header
                    .iter()
                    .map(|h| crate::text::printable(h, true).into_owned()),
            );
        }
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
        table
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

/// Rows laid out together by [`write_long_table`].
const CHUNK: usize = 4096;

/// Writes a terminal table whose rows `rows` makes (it is called twice): the same bytes as
/// [`Grid::table`] of every row, but at its natural width the rows are laid out [`CHUNK`] at a
/// time, each column at the width measured over all of them, and written as they are laid
/// out, so that a table of a million rows is never held whole. Fitted to a terminal's width,
/// the layout weighs every cell together, and the rows are held as [`Grid::table`] holds them.
pub fn write_long_table<I>(
    out: &mut dyn Write,
    header: Vec<String>,
    first_number: usize,
    rows: impl Fn() -> I,
) -> io::Result<()>
where
    I: Iterator<Item = Vec<String>>,
{
    write_long_table_for(out, terminal(), CHUNK, header, first_number, rows)
}

fn write_long_table_for<I>(
    out: &mut dyn Write,
    terminal: Terminal,
    chunk: usize,
    header: Vec<String>,
    first_number: usize,
    rows: impl Fn() -> I,
) -> io::Result<()>
where
    I: Iterator<Item = Vec<String>>,
{
    let chunk = chunk.max(1);
    let grid = |header: &[String], rows| Grid::new(header.iter().cloned(), rows, first_number);
    let mut all = rows().peekable();
    let first: Vec<Vec<String>> = all.by_ref().take(chunk).collect();
    if all.peek().is_none() || terminal.width.is_some() {
        let mut first = first;
        first.extend(all);
        return out.write_all(grid(&header, first).table_for(terminal).as_bytes());
    }
    // The widths comfy-table would give the whole table: each column's widest cell.
    let mut widths = grid(&header, first)
        .comfy(terminal, true)
        .column_max_content_widths();
    loop {
        let rows: Vec<Vec<String>> = all.by_ref().take(chunk).collect();
        if rows.is_empty() {
            break;
        }
        let measured = grid(&header, rows)
            .comfy(terminal, false)
            .column_max_content_widths();
        for (width, more) in widths.iter_mut().zip(measured) {
            *width = (*width).max(more);
        }
    }
    let mut all = rows().peekable();
    let mut first = true;
    let mut started = false;
    while all.peek().is_some() {
        let rows: Vec<Vec<String>> = all.by_ref().take(chunk).collect();
        let last = all.peek().is_none();
        let mut table = grid(&header, rows).comfy(terminal, first);
        for (i, width) in widths.iter().enumerate() {
            if let Some(column) = table.column_mut(i) {
                let padded = width.saturating_add(column.padding_width());
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(padded)));
            }
        }
        let mut lines = table.lines().peekable();
        // Each chunk is a whole table: only the first keeps its top border (and header), only
        // the last its bottom border.
        if !first {
            lines.next();
        }
        while let Some(line) = lines.next() {
            if lines.peek().is_none() && !last {
                break;
            }
            if started {
                out.write_all(b"\n")?;
            }
            out.write_all(line.as_bytes())?;
            started = true;
        }
        first = false;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn long(
        terminal: Terminal,
        chunk: usize,
        header: Vec<String>,
        first_number: usize,
        rows: &[Vec<String>],
    ) -> String {
        let mut out = Vec::new();
        write_long_table_for(&mut out, terminal, chunk, header, first_number, || {
            rows.iter().cloned()
        })
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-z ]{0,12}",
            "[0-9 ,.±%–-]{0,9}",
            // Wide, combining and control characters, and lines of their own.
            "[a-zé漢字🌍\u{301}\u{1b}\t\n]{0,6}",
        ]
    }

    fn rows() -> impl Strategy<Value = Vec<Vec<String>>> {
        prop::collection::vec(prop::collection::vec(cell(), 4), 0..14)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        /// Laid out a chunk at a time, a table is the bytes of the whole table laid out at once.
        #[test]
        fn long_tables_are_the_whole_table(
            rows in rows(),
            header in prop::collection::vec(cell(), 4),
            chunk in 1usize..6,
            color in any::<bool>(),
            first_number in 0usize..5,
        ) {
            let terminal = Terminal { width: None, color };
            let whole = Grid::new(header.clone(), rows.clone(), first_number).table_for(terminal);
            let chunked = long(terminal, chunk, header, first_number, &rows);
            prop_assert_eq!(chunked, whole);
        }
    }

    #[test]
    fn long_tables_fitted_to_a_terminal_are_the_whole_table() {
        let terminal = Terminal {
            width: Some(40),
            color: false,
        };
        let rows: Vec<Vec<String>> = (0..10)
            .map(|i| {
                vec![
                    format!("line-{i}"),
                    "a label long enough to wrap ".repeat(i % 3 + 1),
                    format!("{}", i * 1000),
                ]
            })
            .collect();
        let header = ["Line", "Label", "kgCO2e"].map(String::from).to_vec();
        let whole = Grid::new(header.clone(), rows.clone(), 2).table_for(terminal);
        assert!(whole.lines().count() > 14, "the labels wrap:\n{whole}");
        assert_eq!(long(terminal, 3, header, 2, &rows), whole);
    }

    #[test]
    fn chunks_share_one_set_of_widths() {
        // The widest label is in the last chunk: every row is laid out at its width.
        let rows: Vec<Vec<String>> = ["a", "bb", "a much wider label"]
            .iter()
            .map(|l| vec![(*l).to_string(), "1".to_string()])
            .collect();
        let table = long(
            Terminal::default(),
            1,
            vec!["L".into(), "N".into()],
            1,
            &rows,
        );
        let widths: Vec<usize> = table.lines().map(|l| l.chars().count()).collect();
        assert_eq!(widths, vec![26; 7], "{table}");
        assert!(table.starts_with("┌") && table.ends_with("┘"), "{table}");
        assert_eq!(table.matches('┌').count(), 1);
    }
}
