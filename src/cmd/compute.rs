//! `bilan compute`: one inventory → table, CSV, JSON or Markdown; several → a trend.

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
    if lines && format != Format::Csv {
        bail!("--lines applies to --format csv; JSON always lists the lines");
    }
    let bases = Bases::load(factors)?;
    print_warnings(&bases.defects());
    let [inventory] = inventories else {
        if lines {
            bail!("--lines applies to one inventory, not to a trend of several");
        }
        return trend(inventories, &bases, format, &sink, lang);
    };
    let report = compute_one(inventory, &bases)?;
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

/// Several inventories: one column per period.
fn trend(
    inventories: &[PathBuf],
    bases: &Bases,
    format: Format,
    sink: &Sink<'_>,
    lang: Lang,
) -> Result<u8> {
    let mut reports = Vec::with_capacity(inventories.len());
    let mut errors = Vec::new();
    for path in inventories {
        match compute_one(path, bases) {
            Ok(report) => {
                print_warnings(&report.warnings);
                reports.push(report);
            }
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(crate::error::InputErrors(errors).into());
    }
    let trend = crate::trend::trend(&reports);
    let text = match format {
        Format::Table => render::trend::table(&trend, lang),
        Format::Md => render::trend::markdown(&trend, lang),
        Format::Csv => render::trend::csv(&trend, lang),
        Format::Json => render::trend::json(&trend, lang),
    };
    output::write(sink, &text)?;
    Ok(0)
}
