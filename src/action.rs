//! The action plan of an inventory (`actions:`): what the organisation will do, on which
//! posts, for how much, when, and how hard it is. Checked by the loader, projected by
//! [`crate::trajectory`].

use crate::error::Position;
use crate::post::{Lang, Post};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt;

/// How much an action saves once fully in effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    /// kgCO2e per year, split over the action's posts in proportion to their emissions.
    Kgco2e(Decimal),
    /// A share (0.3 for 30 %) of each of its posts' emissions in the inventory.
    Share(Decimal),
}

/// Where an action stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Decided, not begun (default).
    #[default]
    Planned,
    /// Under way.
    Started,
    /// Finished.
    Done,
}

impl Status {
    /// The name written in the inventory and the JSON.
    pub fn code(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Started => "started",
            Status::Done => "done",
        }
    }

    /// Reads `planned`, `started` or `done`.
    pub fn parse(text: &str) -> Option<Status> {
        match text.trim() {
            "planned" => Some(Status::Planned),
            "started" => Some(Status::Started),
            "done" => Some(Status::Done),
            _ => None,
        }
    }

    /// Its label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Planned, Lang::Fr) => "prévue",
            (Status::Started, Lang::Fr) => "en cours",
            (Status::Done, Lang::Fr) => "réalisée",
            (Status::Planned, Lang::En) => "planned",
            (Status::Started, Lang::En) => "started",
            (Status::Done, Lang::En) => "done",
        }
    }
}

/// A year (`2026`) or a quarter of a year (`2026-Q3`, also `2026-T3`, *trimestre*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct When {
    /// The year.
    pub year: i32,
    /// The quarter 1–4, if given.
    pub quarter: Option<u8>,
}

impl When {
    /// Reads `2026`, `2026-Q1` … `2026-Q4` (or `T1` … `T4`, any case). Years 1900–2200.
    pub fn parse(text: &str) -> Option<When> {
        let text = text.trim();
        let (year, quarter) = match text.split_once('-') {
            Some((year, quarter)) => {
                let digit = quarter
                    .strip_prefix(['Q', 'q', 'T', 't'])?
                    .parse::<u8>()
                    .ok()
                    .filter(|q| (1..=4).contains(q))?;
                (year, Some(digit))
            }
            None => (text, None),
        };
        if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let year = year
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))?;
        Some(When { year, quarter })
    }

    /// When it begins, in years (`2026-Q3` → 2026.5).
    pub fn beginning(self) -> Decimal {
        let quarter = self.quarter.map_or(0, |q| q - 1);
        Decimal::from(self.year) + Decimal::from(quarter) / Decimal::from(4)
    }

    /// When it ends, in years (`2026` → 2027, `2026-Q1` → 2026.25).
    pub fn ending(self) -> Decimal {
        let quarters = self.quarter.unwrap_or(4);
        Decimal::from(self.year) + Decimal::from(quarters) / Decimal::from(4)
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.quarter {
            Some(q) => write!(f, "{}-Q{q}", self.year),
            None => write!(f, "{}", self.year),
        }
    }
}

/// When an action is fully in effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// At the end of this year or quarter (`end:`).
    At(When),
    /// This many years after its start (`duration:`).
    After(Decimal),
    /// At the end of its start year (neither given).
    StartYear,
}

/// One action of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    /// Unique id among the actions.
    pub id: String,
    /// What it is.
    pub label: String,
    /// The posts it acts on, in the order written, no repeats.
    pub posts: Vec<Post>,
    /// What it saves when fully in effect; `None` for an action not quantified.
    pub reduction: Option<Reduction>,
    /// When it starts.
    pub start: When,
    /// When it is fully in effect.
    pub end: End,
    /// Impact 1 (low) – 5 (high).
    pub impact: Option<u8>,
    /// Ease of implementation 1 (hard) – 5 (easy).
    pub ease: Option<u8>,
    /// Who carries it.
    pub owner: Option<String>,
    /// Where it stands.
    pub status: Status,
    /// Free comment.
    pub comment: Option<String>,
    /// Where it is written.
    pub at: Position,
}

impl Action {
    /// The time (in years) its reduction starts ramping up.
    pub fn beginning(&self) -> Decimal {
        self.start.beginning()
    }

    /// The time (in years) its reduction is complete.
    pub fn ending(&self) -> Decimal {
        match self.end {
            End::At(when) => when.ending(),
            End::After(years) => self.beginning() + years,
            End::StartYear => Decimal::from(self.start.year) + Decimal::ONE,
        }
    }

    /// The share of its reduction reached at the end of `year`: a linear ramp from its start
    /// to its end, 0 before, 1 after (100 over 2025–2030 inclusive: 1/6 at the end of 2025).
    pub fn progress(&self, year: i32) -> Decimal {
        let (from, to) = (self.beginning(), self.ending());
        let now = Decimal::from(year) + Decimal::ONE;
        if now <= from {
            return Decimal::ZERO;
        }
        if now >= to {
            return Decimal::ONE;
        }
        (now - from)
            .checked_div(to - from)
            .unwrap_or(Decimal::ONE)
            .clamp(Decimal::ZERO, Decimal::ONE)
    }

    /// The first year at whose end it is fully in effect.
    pub fn full_year(&self) -> i32 {
        // `ending` is a whole or quarter year: 2031 → end of 2030, 2028.5 → end of 2028.
        self.ending().ceil().to_i32().map_or(i32::MAX, |y| y - 1)
    }

    /// Its period for people: `2025 → 2030`, `2026-Q3 → 2027-Q2`, `2026 (3 ans)`.
    pub fn period(&self, lang: Lang) -> String {
        let start = self.start.display(lang);
        match self.end {
            End::At(when) => format!("{start} → {}", when.display(lang)),
            End::After(years) => match lang {
                Lang::Fr => format!("{start} ({} ans)", years.normalize()),
                Lang::En => format!("{start} ({} yr)", years.normalize()),
            },
            End::StartYear => start,
        }
    }
}

impl When {
    /// For people: French quarters are *trimestres* (`2026-T3`).
    pub fn display(self, lang: Lang) -> String {
        match (self.quarter, lang) {
            (Some(q), Lang::Fr) => format!("{}-T{q}", self.year),
            _ => self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn action(start: &str, end: End) -> Action {
        Action {
            id: "a".into(),
            label: "A".into(),
            posts: Vec::new(),
            reduction: None,
            start: When::parse(start).unwrap(),
            end,
            impact: None,
            ease: None,
            owner: None,
            status: Status::Planned,
            comment: None,
            at: Position::default(),
        }
    }

    #[test]
    fn years_and_quarters() {
        assert_eq!(
            When::parse("2026-Q3"),
            Some(When {
                year: 2026,
                quarter: Some(3)
            })
        );
        assert_eq!(When::parse("2026-t1").map(|w| w.quarter), Some(Some(1)));
        assert_eq!(When::parse("2026").map(|w| w.quarter), Some(None));
        for bad in [
            "2026-Q5",
            "2026-Q0",
            "2026-01",
            "26",
            "2026-Q",
            "x",
            "2026-Q1-2",
        ] {
            assert_eq!(When::parse(bad), None, "{bad}");
        }
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(When::parse("2026-Q3").unwrap().beginning(), d("2026.5"));
        assert_eq!(When::parse("2026-Q1").unwrap().ending(), d("2026.25"));
        assert_eq!(When::parse("2026").unwrap().ending(), d("2027"));
    }

    #[test]
    fn a_linear_ramp_evaluated_at_each_years_end() {
        let a = action("2025", End::At(When::parse("2030").unwrap()));
        assert_eq!(a.progress(2024), Decimal::ZERO);
        assert_eq!(
            (a.progress(2025) * Decimal::ONE_HUNDRED).round_dp(2),
            Decimal::from_str("16.67").unwrap()
        );
        assert_eq!(a.progress(2030), Decimal::ONE);
        assert_eq!(a.progress(2040), Decimal::ONE);
        assert_eq!(a.full_year(), 2030);
        let half = action("2026-Q3", End::StartYear);
        assert_eq!(half.progress(2026), Decimal::ONE);
        assert_eq!(half.full_year(), 2026);
        let three = action("2026-Q3", End::After(Decimal::from(2)));
        assert_eq!(three.progress(2026), Decimal::from_str("0.25").unwrap());
        assert_eq!(three.full_year(), 2028);
    }
}
