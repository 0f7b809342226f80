//! `compute --monte-carlo` and `--uncertainty-report`: which outputs take them, and running the
//! simulation with a progress bar on a terminal when it is long.

use crate::analysed::Analysed;
use crate::cli::{ComputeFormat as Format, UncertaintyArgs};
use crate::monte_carlo::{self, MonteCarlo, Settings};
use crate::report::Report;
use crate::uncertainty_analysis;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// Line draws above which a terminal shows a progress bar (about half a second on 2 cores).
const PROGRESS_WORK: u64 = 50_000_000;

/// Refuses the options where they do not apply.
pub(crate) fn check(
    args: &UncertaintyArgs,
    format: Format,
    lines: bool,
    by: bool,
    inventories: usize,
) -> Result<()> {
    if !args.monte_carlo && !args.uncertainty_report {
        return Ok(());
    }
    let (flags, verb) = match (args.monte_carlo, args.uncertainty_report) {
        (true, true) => ("--monte-carlo and --uncertainty-report", "apply"),
        (true, false) => ("--monte-carlo", "applies"),
        _ => ("--uncertainty-report", "applies"),
    };
    if inventories > 1 {
        crate::usage!("{flags} {verb} to one inventory, not to a trend of several");
    }
    if by {
        crate::usage!("{flags} {verb} to the posts, not to --by site or tag");
    }
    if lines {
        crate::usage!("{flags} {verb} to the posts, not to --lines");
    }
    if args.uncertainty_report && format == Format::Csv {
        crate::usage!("--uncertainty-report applies to --format table, md or json");
    }
    Ok(())
}

/// Computes what was asked.
pub(crate) fn analysed<'a>(report: &'a Report, args: &UncertaintyArgs) -> Result<Analysed<'a>> {
    let monte_carlo = if args.monte_carlo {
        let settings = Settings {
            draws: args.draws,
            seed: args.seed,
            correlation: args.correlation.into(),
        };
        Some(simulate(report, &settings)?)
    } else {
        None
    };
    let analysis = args
        .uncertainty_report
        .then(|| uncertainty_analysis::analyse(report, uncertainty_analysis::TOP_LINES));
    Ok(Analysed {
        monte_carlo,
        analysis,
        ..Analysed::of(report)
    })
}

/// Runs the simulation; a long one on a terminal shows its progress on stderr.
fn simulate(report: &Report, settings: &Settings) -> Result<MonteCarlo> {
    let long = monte_carlo::work(report, settings) >= PROGRESS_WORK;
    if !long || !std::io::stderr().is_terminal() {
        return Ok(monte_carlo::simulate(report, settings)?);
    }
    let bar = ProgressBar::new((settings.draws as u64).saturating_mul(settings.passes()));
    if let Ok(style) =
        ProgressStyle::with_template("Monte Carlo {bar:40} {human_pos}/{human_len} draws, {eta}")
    {
        bar.set_style(style);
    }
    let result = monte_carlo::simulate_with_progress(report, settings, &|n| bar.inc(n));
    bar.finish_and_clear();
    Ok(result?)
}
