//! `bilan.factors-diff/1`: the factors added, removed and changed between two bases
//! (`factors diff --format json`). Written by `render::factor_diff`. Values exact.

use super::{Num, Text};
use serde::{Deserialize, Serialize};

/// The factors diff document.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<'a> {
    /// [`super::FACTORS_DIFF`].
    pub schema: Text<'a>,
    /// The old base's name.
    pub old: Text<'a>,
    /// The new base's name.
    pub new: Text<'a>,
    /// Factors only in the new base.
    pub added: Vec<Factor<'a>>,
    /// Factors only in the old base.
    pub removed: Vec<Factor<'a>>,
    /// Factors in both, changed.
    pub changed: Vec<Changed<'a>>,
}

/// A factor.
#[derive(Debug, Serialize, Deserialize)]
pub struct Factor<'a> {
    /// Factor id.
    pub id: Text<'a>,
    /// Its name.
    pub name: Text<'a>,
    /// Its unit.
    pub unit: Text<'a>,
    /// Its value.
    pub kgco2e: Num,
    /// Its parts.
    pub parts: Vec<Part<'a>>,
}

/// A part of a factor.
#[derive(Debug, Serialize, Deserialize)]
pub struct Part<'a> {
    /// Its kind.
    pub kind: Text<'a>,
    /// Its name.
    pub name: Text<'a>,
    /// Its value.
    pub kgco2e: Num,
}

/// A factor in both bases, changed.
#[derive(Debug, Serialize, Deserialize)]
pub struct Changed<'a> {
    /// Factor id.
    pub id: Text<'a>,
    /// What changed: `value`, `unit`, `parts`.
    pub changes: Vec<Text<'a>>,
    /// As in the old base.
    pub old: Factor<'a>,
    /// As in the new base.
    pub new: Factor<'a>,
}
