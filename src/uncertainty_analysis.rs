//! Where the total's uncertainty comes from, for users to act on: the lines and posts ranked by
//! their contribution to the total's variance, with their data quality and, for the first
//! lines, what to improve. Pure: a report in (or its lines' results one by one, as they are
//! made, then its totals: [`Ranking`]), a ranking out.
//!
//! The contribution is that of the analytic method (uncertainty.md §4): the total's
//! `(ln √k)²` is `Σ (Eᵢ/E)² (ln √kᵢ)²` over its lines, so line i weighs `Eᵢ² (ln √kᵢ)²`;
//! normalised, these are shares of the variance (of ln E) adding up to 1. Posts are ranked the
//! same way with their own aggregate k. Ranks follow the terms (larger first); ties keep file
//! (or code) order.

use crate::post::Post;
use crate::report::{Destination, LineResult, Report, to_f64};
use crate::unit::{self, Dimension, Unit};

/// Lines shown by default.
pub const TOP_LINES: usize = 10;
/// Lines that get an advice.
pub const ADVISED: usize = 3;

/// What would narrow a line's uncertainty most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advice {
    /// Nothing is declared about its activity data: it counts at the method's worst case.
    DeclareQuality,
    /// Its activity data weighs more than its factor: measure or document it better.
    ImproveActivity,
    /// Its factor weighs more and is a monetary ratio: use physical quantities.
    PhysicalData,
    /// Its factor weighs more: use a more specific factor.
    SpecificFactor,
}

impl Advice {
    /// The stable name used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Advice::DeclareQuality => "declare-quality",
            Advice::ImproveActivity => "improve-activity-data",
            Advice::PhysicalData => "use-physical-data",
            Advice::SpecificFactor => "use-a-more-specific-factor",
        }
    }
}

/// One line's contribution.
#[derive(Clone, Debug, PartialEq)]
pub struct LineContribution {
    /// Its index among the inventory's lines (in [`Report::lines`] when the report keeps them).
    pub line: usize,
    /// The line's result.
    pub result: LineResult,
    /// Its share of the total's variance (0–1).
    pub share: f64,
    /// Of the line's own variance, the share that comes from its activity data (the rest is
    /// its factor's).
    pub activity_part: f64,
    /// What to do, for the first [`ADVISED`] lines.
    pub advice: Option<Advice>,
}

/// One post's contribution.
#[derive(Clone, Debug, PartialEq)]
pub struct PostContribution {
    /// The post.
    pub post: Post,
    /// Its share of the variance over the posts (0–1).
    pub share: f64,
}

/// The ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// The lines that contribute most, largest first (at most the `top` asked).
    pub lines: Vec<LineContribution>,
    /// Every post that contributes, largest first.
    pub posts: Vec<PostContribution>,
    /// How many lines contribute at all (non-zero emissions in the total, uncertain).
    pub contributing_lines: usize,
}

impl Analysis {
    /// The share of the variance the listed lines explain together.
    pub fn listed_share(&self) -> f64 {
        self.lines.iter().map(|l| l.share).sum()
    }
}

/// `(E · ln √k)²`: a term of §4's sum, before dividing by E².
fn term(kgco2e: f64, k: f64) -> f64 {
    let l = k.sqrt().ln();
    let t = kgco2e * l;
    if t.is_finite() { t * t } else { 0.0 }
}

/// Indices and shares of the positive terms, largest first; ties keep their order.
fn ranked(terms: impl Iterator<Item = (usize, f64)>) -> Vec<(usize, f64)> {
    let mut terms: Vec<(usize, f64)> = terms.filter(|(_, t)| *t > 0.0).collect();
    let sum: f64 = terms.iter().map(|(_, t)| t).sum();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1));
    terms.into_iter().map(|(i, t)| (i, t / sum)).collect()
}

fn advice(line: &LineResult, activity_part: f64) -> Advice {
    if line.quality_undeclared {
        Advice::DeclareQuality
    } else if activity_part >= 0.5 {
        Advice::ImproveActivity
    } else if matches!(
        unit::parse(line.factor.per_unit()),
        Unit::Known {
            dimension: Dimension::Money,
            ..
        }
    ) {
        Advice::PhysicalData
    } else {
        Advice::SpecificFactor
    }
}

/// Ranks the report's lines (the `top` first) and posts by their share of the total's variance.
pub fn analyse(report: &Report, top: usize) -> Analysis {
    let mut ranking = Ranking::new(top);
    report.lines.iter().for_each(|line| ranking.add(line));
    ranking.finish(report)
}

/// A line's term in the total's variance: 0 outside the total (avoided emissions, removals).
pub fn line_term(line: &LineResult) -> f64 {
    if line.destination == Destination::Emissions {
        term(to_f64(line.figure.kgco2e), line.figure.k)
    } else {
        0.0
    }
}

/// [`analyse`] as a fold: each line's result given in file order, then the report's totals.
/// Keeps the `top` lines' results alone, so the lines of a report that kept none can be
/// ranked as they are made.
#[derive(Clone, Debug)]
pub struct Ranking {
    top: usize,
    /// Lines seen so far.
    seen: usize,
    /// The positive terms, summed in file order.
    sum: f64,
    contributing: usize,
    /// The largest terms so far, largest first (ties in file order): term, index, result.
    best: Vec<(f64, usize, LineResult)>,
}

impl Ranking {
    /// No line seen; the `top` lines will be kept.
    pub fn new(top: usize) -> Ranking {
        Ranking {
            top,
            seen: 0,
            sum: 0.0,
            contributing: 0,
            best: Vec::new(),
        }
    }

    /// Takes the next line's result.
    pub fn add(&mut self, line: &LineResult) {
        let index = self.seen;
        self.seen += 1;
        let t = line_term(line);
        if t <= 0.0 {
            return;
        }
        self.sum += t;
        self.contributing += 1;
        // After every term at least as large: equal terms keep file order.
        let at = self.best.partition_point(|(b, _, _)| *b >= t);
        if at < self.top {
            self.best.insert(at, (t, index, line.clone()));
            self.best.truncate(self.top);
        }
    }

    /// The ranking of the lines seen, and of the posts of `report` (their totals).
    pub fn finish(self, report: &Report) -> Analysis {
        let sum = self.sum;
        let lines = self
            .best
            .into_iter()
            .enumerate()
            .map(|(rank, (t, line, result))| {
                let a = result.k_activity.ln().powi(2);
                let f = result.k_factor.ln().powi(2);
                let activity_part = if a + f > 0.0 { a / (a + f) } else { 0.0 };
                LineContribution {
                    line,
                    share: t / sum,
                    activity_part,
                    advice: (rank < ADVISED).then(|| advice(&result, activity_part)),
                    result,
                }
            })
            .collect();
        let posts = ranked(
            report
                .posts
                .iter()
                .enumerate()
                .filter(|(_, p)| p.lines > 0)
                .map(|(i, p)| (i, term(to_f64(p.figure.kgco2e), p.figure.k))),
        )
        .into_iter()
        .filter_map(|(i, share)| {
            Some(PostContribution {
                post: report.posts.get(i)?.post,
                share,
            })
        })
        .collect();
        Analysis {
            lines,
            posts,
            contributing_lines: self.contributing,
        }
    }
}

impl crate::compute::SeeResults for Ranking {
    fn start(&mut self, _: &crate::inventory::Inventory) {
        *self = Ranking::new(self.top);
    }

    fn see(&mut self, line: &LineResult) {
        self.add(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factor_base::FactorBase;

    /// Lines: (kgCO2e/unit, factor %, activity % or "" for nothing declared, quantity, unit, post).
    fn report(lines: &[(&str, &str, &str, u32, &str, &str)]) -> Report {
        let mut text =
            String::from("bilan: 1\norganisation: { name: T }\nperiod: { year: 2024 }\nlines:\n");
        for (i, (value, factor_pct, activity_pct, quantity, unit, post)) in lines.iter().enumerate()
        {
            text.push_str(&format!(
                "  - id: l{i}\n    label: L{i}\n    factor: {{ name: F, kgco2e: {value}, unit: kgCO2e/{unit}, source: test, uncertainty: {factor_pct} }}\n    quantity: {quantity}\n    unit: {unit}\n    post: \"{post}\"\n"
            ));
            if !activity_pct.is_empty() {
                text.push_str(&format!("    uncertainty: {activity_pct}\n"));
            }
        }
        let inventory = crate::load::inventory::parse("t.yaml", &text).unwrap();
        crate::compute::compute(&inventory, &FactorBase::default()).unwrap()
    }

    #[test]
    fn shares_follow_the_terms_of_the_analytic_sum() {
        let r = report(&[
            ("1", "10%", "0%", 100, "kWh", "1.1"),
            ("1", "10%", "0%", 200, "kWh", "1.1"),
            ("1", "0%", "0%", 500, "kWh", "2.6"),
        ]);
        let a = analyse(&r, 10);
        // Same k: shares go as E² → 1/5 and 4/5; the exact line does not contribute.
        assert_eq!(a.contributing_lines, 2);
        assert_eq!(a.lines.len(), 2);
        assert_eq!(a.lines[0].line, 1);
        assert!((a.lines[0].share - 0.8).abs() < 1e-12);
        assert!((a.lines[1].share - 0.2).abs() < 1e-12);
        assert!((a.listed_share() - 1.0).abs() < 1e-12);
        assert_eq!(a.lines[0].activity_part, 0.0);
        assert_eq!(a.lines[0].advice, Some(Advice::SpecificFactor));
        assert_eq!(a.posts.len(), 1);
        assert_eq!(a.posts[0].post.code(), "1.1");
        assert!((a.posts[0].share - 1.0).abs() < 1e-12);
    }

    #[test]
    fn ties_keep_line_order_and_top_cuts() {
        let r = report(&[
            ("1", "10%", "5%", 100, "kWh", "1.1"),
            ("1", "10%", "5%", 100, "kWh", "2.6"),
            ("1", "10%", "5%", 100, "kWh", "3.9"),
            ("1", "10%", "5%", 100, "kWh", "3.10"),
        ]);
        let a = analyse(&r, 3);
        let order: Vec<usize> = a.lines.iter().map(|l| l.line).collect();
        assert_eq!(order, vec![0, 1, 2]);
        assert_eq!(a.contributing_lines, 4);
        let posts: Vec<&str> = a.posts.iter().map(|p| p.post.code()).collect();
        assert_eq!(posts, vec!["1.1", "2.6", "3.9", "3.10"]);
        assert!(a.lines.iter().all(|l| l.advice.is_some()));
    }

    #[test]
    fn advice_points_at_the_larger_part() {
        let r = report(&[
            ("1", "10%", "", 100, "kWh", "1.1"),
            ("1", "10%", "60%", 90, "kWh", "1.1"),
            ("1", "80%", "5%", 80, "k€", "3.9"),
            ("1", "80%", "5%", 70, "kWh", "3.9"),
            ("1", "1%", "1%", 1, "kWh", "3.9"),
        ]);
        let a = analyse(&r, 10);
        let advice: Vec<Option<Advice>> = a.lines.iter().map(|l| l.advice).collect();
        assert_eq!(
            advice,
            vec![
                Some(Advice::DeclareQuality),
                Some(Advice::PhysicalData),
                Some(Advice::ImproveActivity),
                None,
                None
            ]
        );
        assert!(a.lines[0].activity_part > 0.9);
    }

    #[test]
    fn the_fold_keeps_the_largest_terms_whatever_their_order() {
        // Quantities 1..=9 then 9..=1 at the same k: terms go as the square of the quantity.
        // Top 3: the two 9s (file order), then the first 8; the shares over Σ 2·q² = 570.
        let mut lines = Vec::new();
        let quantities: Vec<u32> = (1..=9).chain((1..=9).rev()).collect();
        for q in &quantities {
            lines.push(("1", "10%", "0%", *q, "kWh", "1.1"));
        }
        let r = report(&lines);
        let a = analyse(&r, 3);
        let order: Vec<usize> = a.lines.iter().map(|l| l.line).collect();
        assert_eq!(order, vec![8, 9, 7]);
        assert_eq!(a.contributing_lines, 18);
        let expected = [81.0 / 570.0, 81.0 / 570.0, 64.0 / 570.0];
        for (line, share) in a.lines.iter().zip(expected) {
            assert!((line.share - share).abs() < 1e-12, "{} {share}", line.share);
            assert_eq!(line.result, r.lines[line.line]);
        }
    }

    #[test]
    fn nothing_uncertain_ranks_nothing() {
        let r = report(&[("1", "0%", "0%", 100, "kWh", "1.1")]);
        let a = analyse(&r, 10);
        assert!(a.lines.is_empty() && a.posts.is_empty());
        assert_eq!(a.contributing_lines, 0);
    }
}
