//! `bilan report`: the HTML report of one inventory, with its uncertainty analysis and, when it
//! has actions or history, its trajectory.

use super::{Bases, compute_with_inventory, print_warnings, trajectory::history};
use crate::output::{self, Sink};
use crate::post::Lang;
use crate::render::html::Extras;
use crate::trajectory::{self, Baseline, Request, TargetKind};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// The lines listed among the largest sources of uncertainty.
const TOP_LINES: usize = 10;

/// The last year of the trajectory chart.
const UNTIL: i32 = 2050;

pub(crate) struct Options<'a> {
    pub(crate) inventory: &'a Path,
    pub(crate) output: &'a Path,
    pub(crate) factors: &'a [PathBuf],
    pub(crate) history: &'a [PathBuf],
    pub(crate) target: TargetKind,
    pub(crate) lang: Lang,
}

pub(crate) fn run(options: Options<'_>) -> Result<u8> {
    let extension = options
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    if let Some(other @ ("pdf" | "png" | "svg" | "docx" | "odt" | "xlsx" | "md" | "json" | "csv")) =
        extension.as_deref()
    {
        crate::usage!(
            "--output {}: the report is HTML, not {}; write it to a .html file, then print it to PDF from a browser (A4, it is laid out for print)",
            options.output.display(),
            other.to_uppercase()
        );
    }
    let sink = Sink::new(Some(options.output));
    let mut inputs = vec![options.inventory];
    inputs.extend(options.factors.iter().map(PathBuf::as_path));
    inputs.extend(options.history.iter().map(PathBuf::as_path));
    output::refuse_inputs(&sink, &inputs)?;
    let bases = Bases::load(options.factors)?;
    print_warnings(&bases.defects());
    let (inventory, report) = compute_with_inventory(options.inventory, &bases)?;
    print_warnings(&report.warnings);
    let history = history(options.history, &bases)?;
    let trajectory = if inventory.actions.is_empty() && history.is_empty() {
        None
    } else {
        let baseline =
            Baseline::from_report(&crate::load::files::display(options.inventory), &report);
        let trajectory = trajectory::trajectory(&Request {
            baseline: &baseline,
            history: &history,
            actions: &inventory.actions,
            target: options.target,
            until: UNTIL,
        })?;
        print_warnings(&trajectory.warnings);
        Some(trajectory)
    };
    let analysis = crate::uncertainty_analysis::analyse(&report, TOP_LINES);
    let extras = Extras {
        analysis: &analysis,
        trajectory: trajectory.as_ref(),
    };
    output::write(
        &sink,
        &crate::render::html::render(&report, &extras, options.lang),
    )?;
    Ok(0)
}
