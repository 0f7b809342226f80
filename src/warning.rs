//! Warnings: what the user should know that never changes a figure. Each has a stable code
//! (listed in the README) that `--allow CODE` or the inventory's `allow: [CODE]` silences, a
//! position or file, and its message in French and in English.

use crate::error::Position;
use crate::post::Lang;
use std::fmt;

/// The stable code of a warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A monetary ratio priced in euros of another year than the amount.
    PriceYear,
    /// A factor archived in its base.
    ArchivedFactor,
    /// A capital good counted whole in the period (no `amortization:`).
    NotAmortized,
    /// A negative line, reported apart (avoided emissions, removals).
    NegativeLine,
    /// A factor part that cannot be split: the line stays whole.
    Unsplittable,
    /// A factor whose parts differ from its total by more than 0.5 %.
    PartsOffTotal,
    /// A biomass fuel whose factor gives no biogenic CO2.
    BiogenicMissing,
    /// A heat or cooling network factor stating no combustion value: the line stays whole in 2.7.
    HeatNetworkUnsplit,
    /// A line with no declared uncertainty or quality (counted at the worst case).
    UndeclaredQuality,
    /// A post above ±20 % uncertainty.
    PostUncertainty,
    /// A period that is not 12 months.
    PeriodLength,
    /// A post with neither lines nor a declared status (`check --strict`).
    NotCollected,
    /// A factor id replaced by a later base with other values (`check --strict`).
    FactorOverride,
    /// A row of a factor file skipped as defective.
    BaseRowSkipped,
    /// Trajectory: the target's carbon budget is spent.
    BudgetSpent,
    /// Trajectory: an action on posts with no emissions.
    ActionWithoutEmissions,
    /// Trajectory: an action already in full effect that is not `done`.
    ActionNotDone,
    /// Trajectory: actions adding up to more than their post.
    ReductionCapped,
    /// Other situations a command reports (FEC import notes, …).
    Other,
}

impl Code {
    /// Every code, in the README's order.
    pub const ALL: [Code; 19] = [
        Code::PriceYear,
        Code::ArchivedFactor,
        Code::NotAmortized,
        Code::NegativeLine,
        Code::Unsplittable,
        Code::PartsOffTotal,
        Code::BiogenicMissing,
        Code::HeatNetworkUnsplit,
        Code::UndeclaredQuality,
        Code::PostUncertainty,
        Code::PeriodLength,
        Code::NotCollected,
        Code::FactorOverride,
        Code::BaseRowSkipped,
        Code::BudgetSpent,
        Code::ActionWithoutEmissions,
        Code::ActionNotDone,
        Code::ReductionCapped,
        Code::Other,
    ];

    /// The code as users write it (`post-uncertainty`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::PriceYear => "price-year",
            Code::ArchivedFactor => "archived-factor",
            Code::NotAmortized => "not-amortized",
            Code::NegativeLine => "negative-line",
            Code::Unsplittable => "unsplittable-factor",
            Code::PartsOffTotal => "parts-off-total",
            Code::BiogenicMissing => "biogenic-missing",
            Code::HeatNetworkUnsplit => "heat-network-unsplit",
            Code::UndeclaredQuality => "undeclared-quality",
            Code::PostUncertainty => "post-uncertainty",
            Code::PeriodLength => "period-length",
            Code::NotCollected => "not-collected",
            Code::FactorOverride => "factor-override",
            Code::BaseRowSkipped => "base-row-skipped",
            Code::BudgetSpent => "budget-spent",
            Code::ActionWithoutEmissions => "action-without-emissions",
            Code::ActionNotDone => "action-not-done",
            Code::ReductionCapped => "reduction-capped",
            Code::Other => "other",
        }
    }

    /// The code of `text`, if any.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == text.trim())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something the user should know; never changes a figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Its stable code.
    pub code: Code,
    /// Where: a position, or the file it is about.
    pub at: Option<Position>,
    /// In English.
    pub message: String,
    /// In French.
    pub message_fr: String,
}

impl Warning {
    /// A warning with its English and French messages.
    pub fn new(code: Code, at: Option<Position>, en: String, fr: String) -> Warning {
        Warning {
            code,
            at,
            message: en,
            message_fr: fr,
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr if !self.message_fr.is_empty() => &self.message_fr,
            _ => &self.message,
        }
    }

    /// `file:line:column: message [code]`, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match &self.at {
            Some(at) => format!("{at}: {} [{}]", self.message(lang), self.code),
            None => format!("{} [{}]", self.message(lang), self.code),
        }
    }
}

impl fmt::Display for Warning {
    /// In English, with its position and code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}
