//! `bilan compute`: one inventory → table, CSV, JSON or Markdown.

use super::{Bases, compute_one, print_warnings};
use crate::cli::Format;
use crate::output::{self, Sink};
use crate::post::Lang;
use crate::render;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

pub(crate) fn run(
    inventories: &[PathBuf],
    factors: &[PathBuf],
    format: Format,
    output: Option<&Path>,
    lang: Lang,
    lines: bool,
) -> Result<u8> {
    let sink = Sink::new(output);
    let inputs: Vec<&Path> = inventories
        .iter()
        .chain(factors)
        .map(PathBuf::as_path)
        .collect();
    output::refuse_inputs(&sink, &inputs)?;
    let [inventory] = inventories else {
        bail!(
            "several inventories in one `compute` (a trend table) are not supported yet: give one inventory"
        );
    };
    if lines && format != Format::Csv {
        bail!("--lines applies to --format csv; JSON always lists the lines");
    }
    let bases = Bases::load(factors)?;
    print_warnings(&bases.defects());
    let report = compute_one(inventory, &bases)?;
    // The inventory's own `factors:` files are inputs too (known once it is read).
    let used: Vec<PathBuf> = report
        .bases
        .iter()
        .filter(|b| b.kind != crate::factor::BaseKind::Embedded)
        .map(|b| PathBuf::from(&b.name))
        .collect();
    output::refuse_inputs(
        &sink,
        &used.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    )?;
    print_warnings(&report.warnings);
    let text = match format {
        Format::Table => render::table::render(&report, lang),
        Format::Json => render::json::render(&report, lang),
        Format::Md => render::markdown::render(&report, lang),
        Format::Csv if lines => render::csv::lines(&report),
        Format::Csv => render::csv::posts(&report, lang),
    };
    output::write(&sink, &text)?;
    Ok(0)
}
