//! `bilan.diff/1`: what changed between two results and why (`diff --format json`). Written by
//! `render::diff`.

use super::{Num, Text};
use serde::{Deserialize, Serialize};

/// The diff document.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<'a> {
    /// [`super::DIFF`].
    pub schema: Text<'a>,
    /// Always `kgCO2e`.
    pub unit: Text<'a>,
    /// The earlier result.
    pub before: Side<'a>,
    /// The later result.
    pub after: Side<'a>,
    /// The total's change.
    pub total: Change,
    /// Each scope's change.
    pub scopes: Vec<ScopeChange>,
    /// Each post's change, with its lines.
    pub posts: Vec<PostChange<'a>>,
    /// The factors whose value changed.
    pub factors: Vec<Factor<'a>>,
}

/// One of the two results.
#[derive(Debug, Serialize, Deserialize)]
pub struct Side<'a> {
    /// Its file.
    pub name: Text<'a>,
    /// Its period, as text.
    pub period: Text<'a>,
}

/// A change, split into its three effects (exact kgCO2e; they add up to `change`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Change {
    /// Before.
    pub before: Num,
    /// After.
    pub after: Num,
    /// After − before.
    pub change: Num,
    /// The change over before, to 6 decimals; null when before is 0.
    pub change_share: Option<Num>,
    /// Activity effect.
    pub activity: Num,
    /// Factor effect.
    pub factor: Num,
    /// Perimeter effect.
    pub perimeter: Num,
}

/// A scope's change.
#[derive(Debug, Serialize, Deserialize)]
pub struct ScopeChange {
    /// The change.
    #[serde(flatten)]
    pub change: Change,
    /// 1, 2 or 3.
    pub scope: u8,
}

/// A post's change.
#[derive(Debug, Serialize, Deserialize)]
pub struct PostChange<'a> {
    /// The change.
    #[serde(flatten)]
    pub change: Change,
    /// Post code.
    pub code: Text<'a>,
    /// Its name.
    pub name: Text<'a>,
    /// The lines behind it.
    pub lines: Vec<LineChange<'a>>,
}

/// A line's change in one post.
#[derive(Debug, Serialize, Deserialize)]
pub struct LineChange<'a> {
    /// Line id.
    pub id: Text<'a>,
    /// Label.
    pub label: Text<'a>,
    /// `matched`, `added` or `removed`.
    pub status: Text<'a>,
    /// Before, exact kgCO2e.
    pub before: Num,
    /// After.
    pub after: Num,
    /// Activity effect.
    pub activity: Num,
    /// Factor effect.
    pub factor: Num,
    /// Perimeter effect.
    pub perimeter: Num,
}

/// A factor whose value changed.
#[derive(Debug, Serialize, Deserialize)]
pub struct Factor<'a> {
    /// Factor id.
    pub id: Text<'a>,
    /// Its name.
    pub name: Text<'a>,
    /// Its unit.
    pub unit: Text<'a>,
    /// Value before.
    pub before: Num,
    /// Value after.
    pub after: Num,
}
