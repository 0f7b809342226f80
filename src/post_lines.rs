//! What the report for people shows of the lines: each post's largest lines (label, kgCO2e in
//! the post), how many others it has and their sum, and how many lines each assignment rule
//! placed. Pure: a fold over the lines' results in file order, so a report that kept no line
//! can show them as they are made.

use crate::assignment::Rule;
use crate::post::Post;
use crate::report::{Destination, LineResult, Report};
use rust_decimal::Decimal;
use std::sync::Arc;

/// The posts' largest lines and the rules used.
#[derive(Clone, Debug, PartialEq)]
pub struct PostLines {
    keep: usize,
    /// By post index: the largest lines (label, kgCO2e), largest first, ties in file order.
    largest: Vec<Vec<(Arc<str>, Decimal)>>,
    /// By post index: how many other lines, and their kgCO2e.
    others: Vec<(usize, Decimal)>,
    /// Each rule and the lines it placed, in order of first use.
    rules: Vec<(Rule, usize)>,
}

impl PostLines {
    /// No line yet; each post will keep its `keep` largest lines.
    pub fn new(keep: usize) -> PostLines {
        PostLines {
            keep,
            largest: vec![Vec::new(); 22],
            others: vec![(0, Decimal::ZERO); 22],
            rules: Vec::new(),
        }
    }

    /// The report's lines.
    pub fn of(report: &Report, keep: usize) -> PostLines {
        let mut lines = PostLines::new(keep);
        report.lines.iter().for_each(|line| lines.add(line));
        lines
    }

    /// Takes the next line's result.
    pub fn add(&mut self, line: &LineResult) {
        match self.rules.iter_mut().find(|(r, _)| *r == line.rule) {
            Some((_, n)) => *n += 1,
            None => self.rules.push((line.rule, 1)),
        }
        if line.destination != Destination::Emissions {
            return;
        }
        for post in Post::all() {
            let mut parts = line.parts.iter().filter(|(p, _)| *p == post).peekable();
            if parts.peek().is_none() {
                continue;
            }
            let kg: Decimal = parts.map(|(_, v)| *v).sum();
            if kg.is_zero() {
                continue;
            }
            let (Some(largest), Some(others)) = (
                self.largest.get_mut(post.index()),
                self.others.get_mut(post.index()),
            ) else {
                continue;
            };
            // After every line at least as large: equal lines keep file order.
            let at = largest.partition_point(|(_, k)| *k >= kg);
            if at < self.keep {
                largest.insert(at, (line.label.clone(), kg));
                if largest.len() > self.keep
                    && let Some((_, out)) = largest.pop()
                {
                    *others = (others.0 + 1, others.1 + out);
                }
            } else {
                *others = (others.0 + 1, others.1 + kg);
            }
        }
    }

    /// The largest lines of `post` (label, kgCO2e in the post), largest first.
    pub fn largest(&self, post: Post) -> &[(Arc<str>, Decimal)] {
        self.largest.get(post.index()).map_or(&[], Vec::as_slice)
    }

    /// How many other lines `post` has, and their kgCO2e.
    pub fn others(&self, post: Post) -> (usize, Decimal) {
        self.others
            .get(post.index())
            .copied()
            .unwrap_or((0, Decimal::ZERO))
    }

    /// Each assignment rule used and how many lines it placed, in order of first use.
    pub fn rules(&self) -> &[(Rule, usize)] {
        &self.rules
    }
}

impl crate::compute::SeeResults for PostLines {
    fn start(&mut self, _: &crate::inventory::Inventory) {
        *self = PostLines::new(self.keep);
    }

    fn see(&mut self, line: &LineResult) {
        self.add(line);
    }
}
