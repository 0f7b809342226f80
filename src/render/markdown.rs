//! GitHub-flavoured Markdown: the table, readable in a pull request.

use super::grid::{Grid, escape_markdown};
use super::table::{RowKind, footer, heading, rows};
use crate::post::Lang;
use crate::report::Report;

/// The report as Markdown, ending with a newline.
pub fn render(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let mut head = heading(report, lang).into_iter();
    if let Some(title) = head.next() {
        out.push_str(&format!("## {}\n\n", escape_markdown(&title)));
    }
    for line in head {
        out.push_str(&format!("- {}\n", escape_markdown(&line)));
    }
    let (header, rows) = rows(report, lang);
    // Subtotals and the total in bold.
    let rows = rows
        .into_iter()
        .map(|(kind, cells)| {
            cells
                .into_iter()
                .map(|c| {
                    if kind == RowKind::Post || c.is_empty() {
                        c
                    } else {
                        format!("**{c}**")
                    }
                })
                .collect()
        })
        .collect();
    out.push('\n');
    out.push_str(&Grid::new(header, rows, 3).markdown());
    out.push('\n');
    for line in footer(report, lang) {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&escape_markdown(&line));
            out.push_str("  \n");
        }
    }
    out.push_str(&super::consolidation::markdown(report, lang));
    out
}
