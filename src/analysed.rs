//! An inventory's report with what was worked out from it on request: the Monte Carlo
//! simulation, the ranking of the uncertainty's sources, the trajectory. The one value the
//! renderers of a result take.

use crate::monte_carlo::MonteCarlo;
use crate::report::Report;
use crate::trajectory::Trajectory;
use crate::uncertainty_analysis::Analysis;

/// A report and its analyses.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysed<'a> {
    /// The computed inventory.
    pub report: &'a Report,
    /// The Monte Carlo simulation (`--monte-carlo`).
    pub monte_carlo: Option<MonteCarlo>,
    /// The lines and posts that weigh most in the total's uncertainty
    /// (`--uncertainty-report`, the report for people).
    pub analysis: Option<Analysis>,
    /// The low-carbon trajectory (the report for people, when it has one).
    pub trajectory: Option<Trajectory>,
}

impl<'a> Analysed<'a> {
    /// The report alone, nothing worked out beyond it.
    pub fn of(report: &'a Report) -> Analysed<'a> {
        Analysed {
            report,
            monte_carlo: None,
            analysis: None,
            trajectory: None,
        }
    }
}
