//! `compute --monte-carlo` and `--uncertainty-report`: which outputs take them, and running the
//! simulation with a progress bar on a terminal when it is long.

use crate::analysed::Analysed;
use crate::cli::{ComputeFormat as Format, UncertaintyArgs};
use crate::compute::SeeResults;
use crate::inventory::Inventory;
use crate::monte_carlo::{self, MonteCarlo, Settings};
use crate::report::{LineResult, Report};
use crate::uncertainty_analysis::{self, Ranking};
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

/// Computes what was asked from the report's lines.
pub(crate) fn analysed<'a>(report: &'a Report, args: &UncertaintyArgs) -> Result<Analysed<'a>> {
    let mut sums = Sums::of(args);
    report.lines.iter().for_each(|line| sums.see(line));
    sums.finish(report, args)
}

/// What the options asked take from each line's result, as the lines are made: the draws'
/// model for `--monte-carlo`, the lines that weigh most for `--uncertainty-report`.
pub(crate) struct Sums {
    monte_carlo: Option<monte_carlo::Lines>,
    ranking: Option<Ranking>,
}

impl Sums {
    /// Nothing seen yet; `None` when nothing is asked.
    pub(crate) fn new(args: &UncertaintyArgs) -> Option<Sums> {
        (args.monte_carlo || args.uncertainty_report).then(|| Sums::of(args))
    }

    fn of(args: &UncertaintyArgs) -> Sums {
        Sums {
            monte_carlo: args
                .monte_carlo
                .then(|| monte_carlo::Lines::new(args.correlation.into())),
            ranking: args
                .uncertainty_report
                .then(|| Ranking::new(uncertainty_analysis::TOP_LINES)),
        }
    }

    /// What was asked, for `report` (its totals) and the lines seen.
    pub(crate) fn finish<'a>(
        self,
        report: &'a Report,
        args: &UncertaintyArgs,
    ) -> Result<Analysed<'a>> {
        let monte_carlo = match self.monte_carlo {
            Some(lines) => {
                let settings = Settings {
                    draws: args.draws,
                    seed: args.seed,
                    correlation: args.correlation.into(),
                };
                Some(simulate(lines, &settings)?)
            }
            None => None,
        };
        let analysis = self.ranking.map(|ranking| ranking.finish(report));
        Ok(Analysed {
            monte_carlo,
            analysis,
            ..Analysed::of(report)
        })
    }
}

impl SeeResults for Sums {
    fn start(&mut self, inventory: &Inventory) {
        if let Some(lines) = &mut self.monte_carlo {
            lines.start(inventory);
        }
        if let Some(ranking) = &mut self.ranking {
            ranking.start(inventory);
        }
    }

    fn see(&mut self, line: &LineResult) {
        if let Some(lines) = &mut self.monte_carlo {
            lines.add(line);
        }
        if let Some(ranking) = &mut self.ranking {
            ranking.add(line);
        }
    }
}

/// Runs the simulation; a long one on a terminal shows its progress on stderr.
fn simulate(lines: monte_carlo::Lines, settings: &Settings) -> Result<MonteCarlo> {
    let long = lines.work(settings) >= PROGRESS_WORK;
    if !long || !std::io::stderr().is_terminal() {
        return Ok(lines.simulate(settings, &|_| {})?);
    }
    let bar = ProgressBar::new((settings.draws as u64).saturating_mul(settings.passes()));
    if let Ok(style) =
        ProgressStyle::with_template("Monte Carlo {bar:40} {human_pos}/{human_len} draws, {eta}")
    {
        bar.set_style(style);
    }
    let result = lines.simulate(settings, &|n| bar.inc(n));
    bar.finish_and_clear();
    Ok(result?)
}
