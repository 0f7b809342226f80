//! The result of a computation: a plain value every renderer reads, none recomputes.

use crate::assignment::Rule;
use crate::factor::Factor;
use crate::factor_base::{BaseSource, Override};
use crate::gas::GasAmounts;
use crate::inventory::{Amortization, Indicator, Organisation, Perimeter, Period};
use crate::post::{Post, Scope};
use crate::uncertainty;
use rust_decimal::Decimal;
use std::sync::Arc;

/// A post's status in the report (posts.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostStatus {
    /// Has lines.
    Collected,
    /// Declared not applicable, with the reason.
    NotApplicable(String),
    /// Declared in progress.
    InProgress,
    /// No lines and nothing declared.
    NotCollected,
}

impl PostStatus {
    /// The stable name used in JSON and CSV.
    pub fn code(&self) -> &'static str {
        match self {
            PostStatus::Collected => "collected",
            PostStatus::NotApplicable(_) => "not-applicable",
            PostStatus::InProgress => "in-progress",
            PostStatus::NotCollected => "not-collected",
        }
    }
}

/// An emission with its uncertainty k (95 % interval `[E/k, E·k]`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figure {
    /// kgCO2e, exact.
    pub kgco2e: Decimal,
    /// k ≥ 1.
    pub k: f64,
}

impl Figure {
    /// α = k − 1, the "±%" shown to users.
    pub fn alpha(&self) -> f64 {
        self.k - 1.0
    }

    /// The 95 % interval (low, high).
    pub fn interval(&self) -> (f64, f64) {
        uncertainty::interval(to_f64(self.kgco2e), self.k)
    }
}

/// A Decimal as f64, for uncertainty maths only: mantissa / 10^scale (relative error about
/// 1e-16, far below what uncertainty needs, and much cheaper than an exact conversion).
pub fn to_f64(value: Decimal) -> f64 {
    /// `10f64.powi(s)` for the scales whose power of ten is exact in f64 (to 10²²), where
    /// `powi`'s squarings are exact too: the same values, without the call.
    const EXACT_POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let scale = i32::try_from(value.scale()).unwrap_or(0);
    let power = usize::try_from(scale)
        .ok()
        .and_then(|s| EXACT_POWERS.get(s).copied())
        .unwrap_or_else(|| 10f64.powi(scale));
    // A mantissa within i64 converts as the same nearest f64 through i64, without the
    // 128-bit conversion's call.
    let mantissa = value.mantissa();
    let mantissa = match i64::try_from(mantissa) {
        Ok(small) => small as f64,
        Err(_) => mantissa as f64,
    };
    mantissa / power
}

/// One of the 22 posts.
#[derive(Clone, Debug, PartialEq)]
pub struct PostResult {
    /// The post.
    pub post: Post,
    /// Its status.
    pub status: PostStatus,
    /// Its emissions.
    pub figure: Figure,
    /// Its share of the total.
    pub share: Decimal,
    /// Lines with a part in it.
    pub lines: usize,
    /// Its gas breakdown, over the lines whose factor gives one.
    pub gases: GasBreakdown,
}

/// A gas breakdown and how much of the emissions it covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GasBreakdown {
    /// kgCO2e by gas.
    pub amounts: GasAmounts,
    /// kgCO2e of the emissions whose factor gives its gases (the rest is unknown by gas).
    pub covered_kgco2e: Decimal,
}

/// One scope's subtotal.
#[derive(Clone, Debug, PartialEq)]
pub struct ScopeResult {
    /// The scope.
    pub scope: Scope,
    /// Its emissions.
    pub figure: Figure,
    /// Its share of the total.
    pub share: Decimal,
}

/// Where a line's emissions are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// In the posts and the total.
    Emissions,
    /// Negative: avoided emissions, apart.
    Avoided,
    /// Negative land-use factor: removals, apart.
    Removals,
}

/// A line's market-based scope 2 figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Market {
    /// The market factor (supplier-specific or residual mix).
    pub factor: Arc<Factor>,
    /// kgCO2e in the line's scope 2 post under the market-based method.
    pub kgco2e: Decimal,
    /// Its uncertainty k.
    pub k: f64,
}

/// One computed line.
#[derive(Clone, Debug, PartialEq)]
pub struct LineResult {
    /// Line id (shared with the inventory's line).
    pub id: Arc<str>,
    /// Line label.
    pub label: Arc<str>,
    /// Its factor (shared with the base: lines repeat a few factors many times).
    pub factor: Arc<Factor>,
    /// The quantity as written.
    pub quantity: Decimal,
    /// Its unit as written.
    pub unit: Arc<str>,
    /// The quantity in the factor's unit (for money, in euros of the factor's price year).
    pub converted_quantity: Decimal,
    /// The price-year conversion of a monetary amount, when one was made.
    pub price: Option<Box<crate::price_index::PriceConversion>>,
    /// The assignment rule that placed it.
    pub rule: Rule,
    /// The post it was assigned to (before the energy split).
    pub post: Post,
    /// Its emissions (whole line) and uncertainty.
    pub figure: Figure,
    /// k of its activity data alone (`figure.k` combines it with `k_factor`, uncertainty.md §3).
    pub k_activity: f64,
    /// k of its emission factor alone.
    pub k_factor: f64,
    /// Its parts by post, adding up to `figure.kgco2e`.
    pub parts: Vec<(Post, Decimal)>,
    /// Amortisation and whether it is over.
    pub amortization: Option<(Amortization, bool)>,
    /// Where it is reported.
    pub destination: Destination,
    /// Biogenic CO2 (kg), apart.
    pub co2_biogenic: Decimal,
    /// Units of its factor its gases scale by: the converted quantity, divided by the
    /// amortisation years (0 once amortised). Its gases by post are
    /// [`gas::by_post`](crate::gas::by_post) of the factor, parts, post and this scale, made
    /// when summed rather than kept: a million lines would each hold two posts' five gases.
    pub gas_scale: Decimal,
    /// Its market-based scope 2 figure, when it has a `market_factor:`.
    pub market: Option<Box<Market>>,
    /// Its direct emissions fall under a regulated emission trading scheme (`ets: true`).
    pub ets: bool,
    /// True when no uncertainty or quality was declared for its activity data.
    pub quality_undeclared: bool,
    /// Site tag.
    pub site: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

/// Avoided emissions or removals, apart from the total.
#[derive(Clone, Debug, PartialEq)]
pub struct Apart {
    /// Their sum (negative) and uncertainty.
    pub figure: Figure,
    /// Indices of their lines in [`Report::lines`].
    pub lines: Vec<usize>,
}

/// An intensity ratio.
#[derive(Clone, Debug, PartialEq)]
pub struct Ratio {
    /// The indicator.
    pub indicator: Indicator,
    /// kgCO2e per unit of the indicator.
    pub kgco2e_per_unit: Decimal,
}

pub use crate::warning::Warning;

/// Which lines a report holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinesKept {
    /// Every line, in file order.
    All,
    /// Only the lines listed apart (avoided emissions, removals), in file order: the others
    /// were summed and dropped ([`compute_totals`](crate::compute::compute_totals)).
    Apart,
}

/// The whole result of one inventory.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The organisation.
    pub organisation: Organisation,
    /// The period.
    pub period: Period,
    /// The perimeter.
    pub perimeter: Perimeter,
    /// The total (posts only; avoided emissions and removals apart).
    pub total: Figure,
    /// The three scopes.
    pub scopes: Vec<ScopeResult>,
    /// The 22 posts in code order.
    pub posts: Vec<PostResult>,
    /// Every line in file order, or only those listed apart: see [`Report::lines_kept`].
    pub lines: Vec<LineResult>,
    /// Which lines `lines` holds.
    pub lines_kept: LinesKept,
    /// Avoided emissions.
    pub avoided: Apart,
    /// Removals.
    pub removals: Apart,
    /// Biogenic CO2, kg, apart.
    pub co2_biogenic: Decimal,
    /// The total's gas breakdown.
    pub gases: GasBreakdown,
    /// Scope 2 under the market-based method (GHG Protocol scope 2 guidance): lines with a
    /// `market_factor:` use it, the others keep their location-based figure.
    pub scope2_market: Figure,
    /// How many lines have a market factor.
    pub market_lines: usize,
    /// Intensity ratios.
    pub ratios: Vec<Ratio>,
    /// Warnings, in line order then general ones.
    pub warnings: Vec<Warning>,
    /// The warning codes the inventory silences (`allow:`).
    pub allowed: Vec<crate::warning::Code>,
    /// The factor files used, in merge order.
    pub bases: Vec<BaseSource>,
    /// Factor ids a later base overrode.
    pub overrides: Vec<Override>,
    /// A group's consolidation (entities and intra-group lines), `None` for one inventory.
    pub consolidation: Option<Box<crate::consolidation::Consolidation>>,
}

#[cfg(test)]
mod tests {
    use super::to_f64;
    use rust_decimal::Decimal;

    /// The conversion as first written (and as every uncertainty figure so far was made).
    fn plain(value: Decimal) -> f64 {
        value.mantissa() as f64 / 10f64.powi(i32::try_from(value.scale()).unwrap())
    }

    #[test]
    fn to_f64_gives_the_plain_conversion_bit_for_bit() {
        let mut values = vec![Decimal::ZERO, Decimal::MAX, Decimal::MIN];
        for scale in 0..=28 {
            for mantissa in [
                1i128,
                -7,
                123_456_789,
                (1 << 53) + 1,
                i128::from(i64::MAX),
                i128::from(i64::MAX) + 1,
                i128::from(i64::MIN) - 1,
                79_228_162_514_264_337_593_543_950_335,
            ] {
                values.push(Decimal::from_i128_with_scale(mantissa, scale));
            }
        }
        for value in values {
            assert_eq!(to_f64(value).to_bits(), plain(value).to_bits(), "{value}");
        }
    }
}
