//! `bilan.trend/1`: several periods side by side (`compute A.yaml B.yaml --format json`).
//! Written by `render::trend`.

use super::{Num, Text};
use serde::{Deserialize, Serialize};

/// The trend document.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<'a> {
    /// [`super::TREND`].
    pub schema: Text<'a>,
    /// Always `kgCO2e`.
    pub unit: Text<'a>,
    /// The periods, in order.
    pub periods: Vec<Text<'a>>,
    /// The organisations.
    pub organisations: Vec<Text<'a>>,
    /// Posts, scopes and the total.
    pub rows: Vec<Row<'a>>,
}

/// A post, a scope or the total over the periods.
#[derive(Debug, Serialize, Deserialize)]
pub struct Row<'a> {
    /// Post code, `scope N` or `total`.
    pub code: Text<'a>,
    /// Its name.
    pub name: Text<'a>,
    /// Exact kgCO2e a period; null when not collected that period.
    pub kgco2e: Vec<Option<Num>>,
    /// From the first period to the last, exact.
    pub change_kgco2e: Option<Num>,
    /// The change over the first period, to 6 decimals.
    pub change_share: Option<Num>,
}
