//! `bilan.view/1`: the result in another framework (`compute --view … --format json`: BEGES v5,
//! GHG Protocol, ESRS E1-6). Written by `render::view`.

use super::{Num, Period, Text};
use serde::{Deserialize, Serialize};

/// The view document.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<'a> {
    /// [`super::VIEW`].
    pub schema: Text<'a>,
    /// The framework's code (`beges-v5`).
    pub view: Text<'a>,
    /// The organisation's name.
    pub organisation: Text<'a>,
    /// The period.
    pub period: Period<'a>,
    /// Always `kgCO2e`.
    pub unit: Text<'a>,
    /// The view's total.
    pub total: Figure,
    /// The framework's categories, in its order.
    pub rows: Vec<Row<'a>>,
    /// ESRS: GHG intensity per net revenue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity_per_net_revenue: Option<Intensity<'a>>,
    /// ESRS: scope 1 under an emission trading scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope1_ets: Option<Scope1Ets>,
    /// Biogenic CO2, outside the scopes and the totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co2_biogenic: Option<Biogenic>,
}

/// A figure with its uncertainty and its 95 % interval.
#[derive(Debug, Serialize, Deserialize)]
pub struct Figure {
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// α = k − 1, to 6 decimals.
    pub uncertainty: Num,
    /// Low bound, to the gram.
    pub low: Num,
    /// High bound, to the gram.
    pub high: Num,
}

/// A category of the framework.
#[derive(Debug, Serialize, Deserialize)]
pub struct Row<'a> {
    /// Its figure.
    #[serde(flatten)]
    pub figure: Figure,
    /// Its code in the framework.
    pub code: Text<'a>,
    /// Its name.
    pub name: Text<'a>,
    /// `item`, `subtotal`, `memo`…
    pub kind: Text<'a>,
    /// Share of the view's total, to 6 decimals.
    pub share: Num,
}

/// GHG intensity per net revenue, location- and market-based.
#[derive(Debug, Serialize, Deserialize)]
pub struct Intensity<'a> {
    /// The indicator's label.
    pub indicator: Text<'a>,
    /// Always `tCO2e/M€`.
    pub unit: Text<'a>,
    /// Location-based, to 6 decimals.
    pub location_based: Num,
    /// Market-based, to 6 decimals.
    pub market_based: Num,
}

/// Scope 1 under a regulated emission trading scheme.
#[derive(Debug, Serialize, Deserialize)]
pub struct Scope1Ets {
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// Its share of scope 1, to 6 decimals.
    pub share_of_scope1: Num,
}

/// Biogenic CO2.
#[derive(Debug, Serialize, Deserialize)]
pub struct Biogenic {
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// Always false.
    pub in_totals: bool,
}
