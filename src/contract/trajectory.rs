//! `bilan.trajectory/1`: the low-carbon trajectory (`trajectory --format json`). Written by
//! `render::trajectory`. Projected figures are to the gram, measured ones exact; an absent
//! figure is null.

use super::{Num, Text};
use serde::{Deserialize, Serialize};

/// The trajectory document.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<'a> {
    /// [`super::TRAJECTORY`].
    pub schema: Text<'a>,
    /// Always `kgCO2e`.
    pub unit: Text<'a>,
    /// The organisation's name.
    pub organisation: Text<'a>,
    /// The inventory projected.
    pub inventory: Measured<'a>,
    /// Earlier inventories (`--history`).
    pub history: Vec<Measured<'a>>,
    /// The target.
    pub target: Target<'a>,
    /// Average annual rates.
    pub rates: Rates,
    /// One row a year.
    pub years: Vec<Year>,
    /// The actions.
    pub actions: Vec<Action<'a>>,
    /// The posts with actions.
    pub posts: Vec<PostPlan<'a>>,
    /// The impact × ease matrix.
    pub matrix: Vec<Cell<'a>>,
    /// Actions without impact or ease.
    pub unrated: Vec<Text<'a>>,
    /// Warnings, in the command's language.
    pub warnings: Vec<Text<'a>>,
}

/// A measured inventory.
#[derive(Debug, Serialize, Deserialize)]
pub struct Measured<'a> {
    /// Its file.
    pub file: Text<'a>,
    /// The year of its period's end.
    pub year: i32,
    /// Exact kgCO2e.
    pub kgco2e: Num,
}

/// The target.
#[derive(Debug, Serialize, Deserialize)]
pub struct Target<'a> {
    /// `sbti-1.5`, `wb-2`, `custom`.
    pub kind: Text<'a>,
    /// Its name.
    pub name: Text<'a>,
    /// The reference inventory.
    pub reference: Measured<'a>,
    /// First year of the reduction.
    pub from_year: i32,
    /// Annual reduction rate.
    pub annual_rate: f64,
    /// Rate raised to make up for an overshoot.
    pub compensated: bool,
    /// The 2020 carbon budget already spent.
    pub budget_spent: bool,
    /// Within 5 % of the path from 2020.
    pub on_track: bool,
    /// 2020 emissions, to the gram.
    pub emissions_2020_kgco2e: Option<Num>,
    /// Emissions above the path's carbon budget, to the gram.
    pub overshoot_kgco2e: Option<Num>,
    /// An SNBC target's path (absent for the other targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snbc: Option<Snbc<'a>>,
}

/// An SNBC target's path, as Bilan Carbone+ builds it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Snbc<'a> {
    /// The sector (`energy`…); null for the general path.
    pub sector: Option<Text<'a>>,
    /// The year of the Secten emissions the path starts from.
    pub secten_year: i32,
    /// Its segments.
    pub segments: Vec<Segment>,
    /// The path is held from this year on.
    pub held_after: i32,
    /// The rates' multiplier making up for an overshoot of the earlier inventory's path;
    /// null when not raised.
    pub multiplier: Option<f64>,
    /// The latest earlier inventory the target is measured against, with its own path.
    pub reference: Option<SnbcReference>,
}

/// A segment of an SNBC path: one annual rate from one year to another.
#[derive(Debug, Serialize, Deserialize)]
pub struct Segment {
    /// First year.
    pub from_year: i32,
    /// Last year.
    pub to_year: i32,
    /// Annual reduction rate.
    pub annual_rate: f64,
}

/// The earlier inventory an SNBC target is measured against.
#[derive(Debug, Serialize, Deserialize)]
pub struct SnbcReference {
    /// Its year.
    pub year: i32,
    /// Its exact kgCO2e.
    pub kgco2e: Num,
    /// Its path's segments.
    pub segments: Vec<Segment>,
}

/// Average annual rates.
#[derive(Debug, Serialize, Deserialize)]
pub struct Rates {
    /// Last year of the trajectory.
    pub horizon: Option<i32>,
    /// With the actions, to 6 decimals.
    pub actions: Option<Num>,
    /// The target's rate.
    pub target: f64,
    /// Needed to be on target at the horizon, to 6 decimals.
    pub needed: Option<Num>,
}

/// A year of the trajectory.
#[derive(Debug, Serialize, Deserialize)]
pub struct Year {
    /// The year.
    pub year: i32,
    /// The target.
    pub target_kgco2e: Option<Num>,
    /// Projected with the actions.
    pub with_actions_kgco2e: Option<Num>,
    /// The actions' reductions.
    pub reduction_kgco2e: Option<Num>,
    /// A measured inventory, exact.
    pub measured_kgco2e: Option<Num>,
    /// With actions − target.
    pub gap_kgco2e: Option<Num>,
}

/// An action's reduction as written.
#[derive(Debug, Serialize, Deserialize)]
pub enum Reduction {
    /// kgCO2e a year.
    #[serde(rename = "kgco2e_per_year")]
    Kgco2e(Num),
    /// A share of its posts.
    #[serde(rename = "share_of_posts")]
    Share(Num),
}

/// An action.
#[derive(Debug, Serialize, Deserialize)]
pub struct Action<'a> {
    /// Action id.
    pub id: Text<'a>,
    /// Label.
    pub label: Text<'a>,
    /// Its post codes.
    pub posts: Vec<Text<'a>>,
    /// Its reduction as written.
    pub reduction: Option<Reduction>,
    /// Its start.
    pub start: Text<'a>,
    /// Its end, when written as a date.
    pub end: Option<Text<'a>>,
    /// Its duration, when written as one.
    pub duration_years: Option<Num>,
    /// First year in full effect.
    pub full_effect_year: i32,
    /// Impact, 1–5.
    pub impact: Option<u8>,
    /// Ease, 1–5.
    pub ease: Option<u8>,
    /// Owner.
    pub owner: Option<Text<'a>>,
    /// `planned`, `done`…
    pub status: Text<'a>,
    /// Comment.
    pub comment: Option<Text<'a>>,
    /// Projected (false: already in the inventory).
    pub projected: bool,
    /// Its reduction, kgCO2e a year to the gram.
    pub kgco2e_per_year: Num,
    /// Its reduction by post.
    pub by_post: Vec<ByPost<'a>>,
}

/// An action's reduction in one post.
#[derive(Debug, Serialize, Deserialize)]
pub struct ByPost<'a> {
    /// Post code.
    pub post: Text<'a>,
    /// kgCO2e a year, to the gram.
    pub kgco2e_per_year: Num,
    /// Share of the post, to 6 decimals.
    pub share: Option<Num>,
}

/// A post with actions.
#[derive(Debug, Serialize, Deserialize)]
pub struct PostPlan<'a> {
    /// Post code.
    pub code: Text<'a>,
    /// Its name.
    pub name: Text<'a>,
    /// Its exact kgCO2e in the inventory.
    pub kgco2e: Num,
    /// Its actions' ids.
    pub actions: Vec<Text<'a>>,
    /// The actions' reductions, kgCO2e a year to the gram.
    pub reduction_kgco2e_per_year: Num,
    /// Reductions capped at the post.
    pub capped: bool,
    /// After the cap.
    pub capped_reduction_kgco2e_per_year: Num,
    /// Share of the post, to 6 decimals.
    pub share: Option<Num>,
}

/// A cell of the impact × ease matrix.
#[derive(Debug, Serialize, Deserialize)]
pub struct Cell<'a> {
    /// Impact, 1–5.
    pub impact: u8,
    /// Ease, 1–5.
    pub ease: u8,
    /// Its actions' ids.
    pub actions: Vec<Text<'a>>,
}
