//! A grid of text cells, printed as a terminal table (comfy-table), GitHub Markdown or CSV: the
//! one place that knows those formats' details.

use comfy_table::{Cell, CellAlignment, Table, presets};

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

    /// A terminal table, no styling and no width detection: the same bytes anywhere.
    pub fn table(&self) -> String {
        let mut table = Table::new();
        table
            .force_no_tty()
            .load_style(presets::UTF8_FULL_CONDENSED);
        table.set_header(self.header.clone());
        for row in &self.rows {
            table.add_row(row.iter().enumerate().map(|(i, text)| {
                let cell = Cell::new(text);
                if self.right.contains(&i) {
                    cell.set_alignment(CellAlignment::Right)
                } else {
                    cell
                }
            }));
        }
        table.to_string()
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
    text.replace('|', "\\|").replace('\n', " ")
}

/// Rows as CSV (`,`, `\n`, quoting where needed).
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
