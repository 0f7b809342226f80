//! The posts broken down by the lines' `site` or `tags` (`compute --by site|tag`).

use crate::post::Post;
use crate::report::{Destination, Report};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What to break down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// The line's `site`.
    Site,
    /// Each of the line's `tags`.
    Tag,
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
    let keys_of = |line: &crate::report::LineResult| -> Vec<String> {
        match by {
            By::Site => vec![line.site.clone().unwrap_or_else(|| NONE.to_string())],
            By::Tag if line.tags.is_empty() => vec![NONE.to_string()],
            By::Tag => line.tags.clone(),
        }
    };
    let mut table: BTreeMap<String, [Decimal; 22]> = BTreeMap::new();
    let mut overlapping = false;
    for line in report
        .lines
        .iter()
        .filter(|l| l.destination == Destination::Emissions)
    {
        let keys = keys_of(line);
        overlapping |= keys.len() > 1;
        for key in keys {
            let column = table.entry(key).or_insert([Decimal::ZERO; 22]);
            for (post, kg) in &line.parts {
                if let Some(cell) = column.get_mut(post.index()) {
                    *cell = cell.saturating_add(*kg);
                }
            }
        }
    }
    // The lines with no key come last.
    let none = table.remove(NONE);
    let mut columns: Vec<(String, [Decimal; 22])> = table.into_iter().collect();
    columns.extend(none.map(|c| (NONE.to_string(), c)));
    let posts = Post::all()
        .map(|post| {
            let values = columns
                .iter()
                .map(|(_, c)| c.get(post.index()).copied().unwrap_or_default())
                .collect();
            (post, values)
        })
        .collect();
    let totals = columns
        .iter()
        .map(|(_, c)| c.iter().fold(Decimal::ZERO, |a, v| a.saturating_add(*v)))
        .collect();
    Breakdown {
        by,
        keys: columns.into_iter().map(|(k, _)| k).collect(),
        posts,
        totals,
        overlapping,
    }
}
