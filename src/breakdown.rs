//! The posts broken down by the lines' `site` or `tags`, or a group's entities
//! (`compute --by site|tag|entity`).

use crate::consolidation::Consolidation;
use crate::post::Post;
use crate::post_map::PostMap;
use crate::report::{Destination, LineResult, Report};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What to break down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// The line's `site`.
    Site,
    /// Each of the line's `tags`.
    Tag,
    /// A group's entity the line comes from (lines of one inventory: [`NONE`]).
    Entity,
}

/// The key of lines with no site or no tag.
pub const NONE: &str = "–";

/// kgCO2e per post and key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breakdown {
    /// What it is by.
    pub by: By,
    /// The keys, sorted, then [`NONE`] when some lines have none.
    pub keys: Vec<String>,
    /// For each of the 22 posts, kgCO2e per key.
    pub posts: Vec<(Post, Vec<Decimal>)>,
    /// Per key, all posts.
    pub totals: Vec<Decimal>,
    /// True when a line counts under several keys (tags): columns then add up to more than
    /// the total.
    pub overlapping: bool,
}

/// Breaks `report` down by `by`.
pub fn breakdown(report: &Report, by: By) -> Breakdown {
    let mut sums = Sums::new(by);
    for line in &report.lines {
        sums.add(report.consolidation.as_deref(), line);
    }
    sums.finish()
}

/// A breakdown in the making: the lines' results added one by one, in file order (a report's,
/// or results made a batch at a time and dropped).
pub struct Sums {
    by: By,
    table: BTreeMap<String, PostMap<Decimal>>,
    overlapping: bool,
}

impl crate::compute::SeeResults for Sums {
    fn start(&mut self, _: &crate::inventory::Inventory) {
        *self = Sums::new(self.by);
    }

    /// Adds a line of an inventory (not a group's).
    fn see(&mut self, line: &LineResult) {
        self.add(None, line);
    }
}

impl Sums {
    /// No line added yet.
    pub fn new(by: By) -> Sums {
        Sums {
            by,
            table: BTreeMap::new(),
            overlapping: false,
        }
    }

    /// Adds the result of a line (of a group when `consolidation` names its entities).
    pub fn add(&mut self, consolidation: Option<&Consolidation>, line: &LineResult) {
        if line.destination != Destination::Emissions {
            return;
        }
        let keys = match self.by {
            By::Site => vec![line.site.clone().unwrap_or_else(|| NONE.to_string())],
            By::Tag if line.tags.is_empty() => vec![NONE.to_string()],
            By::Tag => line.tags.clone(),
            By::Entity => vec![
                consolidation
                    .and_then(|c| c.entity_of(&line.id))
                    .map_or(NONE, |(e, _)| e.id.as_str())
                    .to_string(),
            ],
        };
        self.overlapping |= keys.len() > 1;
        for key in keys {
            let column = self.table.entry(key).or_default();
            for (post, kg) in &line.parts {
                // Each column is part of the report's total, itself computed without overflow.
                let cell = column.get_mut(*post);
                *cell = cell.saturating_add(*kg);
            }
        }
    }

    /// The breakdown of the lines added.
    pub fn finish(self) -> Breakdown {
        let Sums {
            by,
            mut table,
            overlapping,
        } = self;
        // The lines with no key come last.
        let none = table.remove(NONE);
        let mut columns: Vec<(String, PostMap<Decimal>)> = table.into_iter().collect();
        columns.extend(none.map(|c| (NONE.to_string(), c)));
        let posts = Post::all()
            .map(|post| {
                let values = columns.iter().map(|(_, c)| *c.get(post)).collect();
                (post, values)
            })
            .collect();
        let totals = columns
            .iter()
            .map(|(_, c)| c.values().fold(Decimal::ZERO, |a, v| a.saturating_add(*v)))
            .collect();
        Breakdown {
            by,
            keys: columns.into_iter().map(|(k, _)| k).collect(),
            posts,
            totals,
            overlapping,
        }
    }
}
