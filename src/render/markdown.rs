//! GitHub-flavoured Markdown: the table, readable in a pull request.

use super::table::{RowKind, footer, heading, rows};
use crate::post::Lang;
use crate::report::Report;

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The report as Markdown, ending with a newline.
pub fn render(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let mut head = heading(report, lang).into_iter();
    if let Some(title) = head.next() {
        out.push_str(&format!("## {}\n\n", escape(&title)));
    }
    for line in head {
        out.push_str(&format!("- {}\n", escape(&line)));
    }
    let (header, rows) = rows(report, lang);
    out.push('\n');
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    let align: Vec<&str> = (0..header.len())
        .map(|i| if i >= 3 { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("|{}|\n", align.join("|")));
    for (kind, cells) in rows {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| match (kind, c.is_empty()) {
                (RowKind::Post, _) | (_, true) => escape(c),
                _ => format!("**{}**", escape(c)),
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
    for line in footer(report, lang) {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&escape(&line));
            out.push_str("  \n");
        }
    }
    out
}
