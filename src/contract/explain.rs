//! `bilan.explain/1`: the audit trail of one line or one post (`explain --format json`).
//! Written by `render::explain`. Figures exact; k and shares to 6 decimals.

use super::result::Amortization;
use super::{Num, Text};
use serde::{Deserialize, Serialize};

/// The explain document: a line's or a post's. `L` is a post's lines: a `Vec` when read back;
/// when written, any sequence that serializes them one at a time (a post may have a million).
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<'a, L = Vec<PostLine<'a>>> {
    /// [`super::EXPLAIN`].
    pub schema: Text<'a>,
    /// A line's explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<Line<'a>>,
    /// A post's explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<Post<'a, L>>,
}

/// A line, step by step.
#[derive(Debug, Serialize, Deserialize)]
pub struct Line<'a> {
    /// Line id.
    pub id: Text<'a>,
    /// Label.
    pub label: Text<'a>,
    /// Where it is written (`inv.yaml:12:5`).
    pub at: Option<Text<'a>>,
    /// Quantity as written.
    pub quantity: Num,
    /// Unit as written.
    pub unit: Text<'a>,
    /// The unit conversion's multiplier.
    pub conversion: Option<Num>,
    /// Quantity in the factor's unit.
    pub converted_quantity: Num,
    /// Amortisation.
    pub amortization: Option<Amortization>,
    /// Quantity counted in the period (after amortisation).
    pub counted_quantity: Num,
    /// The factor.
    pub factor: Factor<'a>,
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// The factor's parts and the post each goes to.
    pub factor_parts: Vec<FactorPart<'a>>,
    /// The line's emissions by post.
    pub posts: Vec<InPost<'a>>,
    /// The rule that placed the line.
    pub rule: Text<'a>,
    /// k of the activity.
    pub k_activity: Num,
    /// k of the factor.
    pub k_factor: Num,
    /// k of the line.
    pub k: Num,
    /// Its share of the total's variance.
    pub total_variance_share: Num,
}

/// The line's factor.
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
    /// Its status in the base.
    pub status: Text<'a>,
    /// Its source.
    pub source: Text<'a>,
    /// The base file and row.
    pub origin: Text<'a>,
    /// The uncertainty the base states, in percent.
    pub stated_uncertainty: Option<Num>,
}

/// A part of the factor.
#[derive(Debug, Serialize, Deserialize)]
pub struct FactorPart<'a> {
    /// Its kind (`Combustion`, `Amont`…).
    pub kind: Text<'a>,
    /// Its name.
    pub name: Text<'a>,
    /// Its value.
    pub kgco2e_per_unit: Num,
    /// The post it goes to.
    pub post: Option<Text<'a>>,
}

/// The line's emissions in one post.
#[derive(Debug, Serialize, Deserialize)]
pub struct InPost<'a> {
    /// Post code.
    pub post: Text<'a>,
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// Its share of the post's variance.
    pub variance_share: Num,
}

/// A post and its lines (`L`: as in [`Document`]).
#[derive(Debug, Serialize, Deserialize)]
pub struct Post<'a, L = Vec<PostLine<'a>>> {
    /// Post code.
    pub code: Text<'a>,
    /// Exact kgCO2e.
    pub kgco2e: Option<Num>,
    /// k of the post.
    pub k: Option<Num>,
    /// Its lines, largest first.
    pub lines: L,
}

/// A line of a post.
#[derive(Debug, Serialize, Deserialize)]
pub struct PostLine<'a> {
    /// Line id.
    pub id: Text<'a>,
    /// Label.
    pub label: Text<'a>,
    /// Factor id.
    pub factor: Text<'a>,
    /// Its exact kgCO2e in the post.
    pub kgco2e: Num,
    /// k of the line.
    pub k: Num,
    /// Its share of the post's variance.
    pub variance_share: Num,
}
