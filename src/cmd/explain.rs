//! `bilan explain INVENTORY ID`: the audit trail of one line, or of one post (`3.9`).

use super::print_warnings;
use crate::cli::FactorFiles;
use crate::cli::Format;
use crate::explain::{Found, Search};
use crate::output::{self, Sink};
use crate::post::Lang;
use crate::render;
use crate::report::LinesKept;
use crate::session::compute_totals_seeing;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// `bilan explain`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The inventory (YAML).
    #[arg(value_name = "INVENTORY.yaml")]
    pub inventory: PathBuf,
    /// A line id, or a post code such as 3.9.
    #[arg(value_name = "LINE|POST")]
    pub id: String,
    #[command(flatten)]
    pub factors: FactorFiles,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

impl Args {
    /// Runs the command.
    pub(crate) fn run(self, globals: &super::Globals) -> Result<u8> {
        run(Options {
            inventory: &self.inventory,
            id: &self.id,
            factors: &self.factors.factors,
            format: self.format,
            lang: globals.lang,
        })
    }
}

pub(crate) struct Options<'a> {
    pub(crate) inventory: &'a Path,
    pub(crate) id: &'a str,
    pub(crate) factors: &'a [PathBuf],
    pub(crate) format: Format,
    pub(crate) lang: Lang,
}

pub(crate) fn run(options: Options<'_>) -> Result<u8> {
    if matches!(options.format, Format::Csv | Format::Md | Format::Xlsx) {
        crate::usage!("explain writes --format table or json");
    }
    let bases = super::bases(options.factors)?;
    // The line (or the post's lines) kept as the lines are made: a million lines are never
    // held at once. A group's report keeps every line: it is searched after.
    let mut search = Search::new(options.id);
    let computed = std::mem::ManuallyDrop::new(compute_totals_seeing(
        options.inventory,
        &bases,
        Some(&mut search),
    )?);
    let report = &computed.report;
    print_warnings(&report.warnings);
    let found = match report.lines_kept {
        LinesKept::Apart => search.finish(),
        LinesKept::All => crate::explain::search(report, options.id),
    };
    let json = options.format == Format::Json;
    let text = match found {
        Found::Line(found) => {
            let at = found
                .at
                .clone()
                .or_else(|| {
                    computed
                        .inventory
                        .lines
                        .iter()
                        .find(|l| *l.id == *options.id)
                        .map(|l| l.at.line())
                })
                .map(|at| at.to_string());
            let explanation = found.explanation();
            if json {
                render::explain::line_json(&explanation, at.as_deref())
            } else {
                let note = render::consolidation::explain_note(report, options.id, options.lang);
                note.unwrap_or_default()
                    + &render::explain::line_table(&explanation, at.as_deref(), options.lang)
            }
        }
        Found::Post(found) => {
            // A post may list a million lines: written as they are laid out.
            let explanation = found.explanation();
            output::write_with(&Sink::Stdout, |out| {
                if json {
                    render::explain::write_post_json(out, report, &explanation)
                } else {
                    render::explain::write_post_table(out, report, &explanation, options.lang)
                }
            })?;
            return Ok(0);
        }
        Found::Nothing(closest) => bail!(
            "{}: no line `{}` and no post of that code{}",
            crate::load::files::display(options.inventory),
            options.id,
            if closest.is_empty() {
                String::new()
            } else {
                format!("; closest line ids: {}", closest.join(", "))
            }
        ),
    };
    output::write(&Sink::Stdout, &text)?;
    Ok(0)
}
