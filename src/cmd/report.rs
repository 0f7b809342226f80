//! `bilan report`: the HTML report of one inventory.

use super::{Bases, compute_one, print_warnings};
use crate::output::{self, Sink};
use crate::post::Lang;
use anyhow::Result;
use std::path::{Path, PathBuf};

pub(crate) fn run(inventory: &Path, output: &Path, factors: &[PathBuf], lang: Lang) -> Result<u8> {
    let sink = Sink::new(Some(output));
    let mut inputs = vec![inventory];
    inputs.extend(factors.iter().map(PathBuf::as_path));
    output::refuse_inputs(&sink, &inputs)?;
    let bases = Bases::load(factors)?;
    print_warnings(&bases.defects());
    let report = compute_one(inventory, &bases)?;
    print_warnings(&report.warnings);
    output::write(&sink, &crate::render::html::render(&report, lang))?;
    Ok(0)
}
