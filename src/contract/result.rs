//! `bilan.result/1`: one inventory's result (`compute --format json`, docs/results.md). Written
//! by `render::json` (lines streamed, see [`Document`]'s `L`), read back by
//! `load::result_json` as a side of `bilan diff` or a `--history` entry.

use super::{Num, Period, Text};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The result document. `L` is its lines: a `Vec` when read back; when written, any sequence
/// that serializes them one at a time (a big inventory's lines are never all held as values).
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<'a, L = Vec<Line<'a>>> {
    /// [`super::RESULT`].
    pub schema: Text<'a>,
    /// The organisation's name.
    pub organisation: Text<'a>,
    /// The period.
    pub period: Period<'a>,
    /// Always `kgCO2e`.
    pub unit: Text<'a>,
    /// The total with its 95 % interval.
    pub total: Interval,
    /// The 3 scopes.
    pub scopes: Vec<Scope>,
    /// The 22 posts, in code order.
    pub posts: Vec<Post<'a>>,
    /// Every line with its parts.
    pub lines: L,
    /// Avoided emissions, outside the total.
    pub avoided: Apart<'a>,
    /// Removals, outside the total.
    pub removals: Apart<'a>,
    /// Biogenic CO2, outside the scopes.
    pub co2_biogenic_kgco2e: Num,
    /// The gases of the total, when a factor gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gases: Option<Gases>,
    /// Scope 2 market-based.
    pub scope2_market_based: MarketScope2,
    /// Intensity ratios.
    pub ratios: Vec<Ratio<'a>>,
    /// A group's consolidation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<super::group::Group<'a>>,
    /// The factor bases read.
    pub bases: Vec<Base<'a>>,
    /// Warnings, in the command's language.
    pub warnings: Vec<Text<'a>>,
    /// Warning codes silenced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_warnings: Vec<Text<'a>>,
    /// `--monte-carlo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<MonteCarlo<'a>>,
    /// `--uncertainty-report`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty_analysis: Option<UncertaintyAnalysis<'a>>,
}

/// A figure with its uncertainty α = k − 1 and its 95 % interval.
#[derive(Debug, Serialize, Deserialize)]
pub struct Interval {
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// α, to 6 decimals.
    pub uncertainty: Num,
    /// Low bound, to the gram.
    pub low: Num,
    /// High bound, to the gram.
    pub high: Num,
}

/// Scope 2 under the market-based method, next to the location-based scope 2.
#[derive(Debug, Serialize, Deserialize)]
pub struct MarketScope2 {
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// α.
    pub uncertainty: Num,
    /// Low bound.
    pub low: Num,
    /// High bound.
    pub high: Num,
    /// Lines with their own market-based factor.
    pub lines_with_market_factor: usize,
}

/// A scope.
#[derive(Debug, Serialize, Deserialize)]
pub struct Scope {
    /// 1, 2 or 3.
    pub scope: u8,
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// Share of the total, to 6 decimals.
    pub share: Num,
    /// α.
    pub uncertainty: Num,
}

/// A post.
#[derive(Debug, Serialize, Deserialize)]
pub struct Post<'a> {
    /// `2.6`.
    pub code: Text<'a>,
    /// Its scope.
    pub scope: u8,
    /// Its name.
    pub name: Text<'a>,
    /// `collected`, `not-applicable`…
    pub status: Text<'a>,
    /// Why not applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text<'a>>,
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// Share of the total.
    pub share: Num,
    /// α.
    pub uncertainty: Num,
    /// Low bound.
    pub low: Num,
    /// High bound.
    pub high: Num,
    /// Its gases, when a line's factor gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gases: Option<Gases>,
}

/// Gases, exact kgCO2e each.
#[derive(Debug, Serialize, Deserialize)]
pub struct Gases {
    /// Fossil CO2.
    pub co2f: Num,
    /// Fossil CH4.
    pub ch4f: Num,
    /// Biogenic CH4.
    pub ch4b: Num,
    /// N2O.
    pub n2o: Num,
    /// Other gases.
    pub other: Num,
    /// The kgCO2e whose factors give gases.
    pub covered_kgco2e: Num,
}

/// A line's emissions in one post.
#[derive(Debug, Serialize, Deserialize)]
pub struct Part<'a> {
    /// Post code.
    pub post: Text<'a>,
    /// Exact kgCO2e.
    pub kgco2e: Num,
}

/// An amortised line.
#[derive(Debug, Serialize, Deserialize)]
pub struct Amortization {
    /// Year of acquisition.
    pub acquired: i32,
    /// Years of amortisation.
    pub years: u32,
    /// Past its amortisation: counts 0.
    pub fully_amortized: bool,
}

/// A line of the inventory.
#[derive(Debug, Serialize, Deserialize)]
pub struct Line<'a> {
    /// Line id.
    pub id: Text<'a>,
    /// Label.
    pub label: Text<'a>,
    /// Factor id.
    pub factor: Text<'a>,
    /// Factor name.
    pub factor_name: Text<'a>,
    /// Factor unit (`kgCO2e/kWh`).
    pub factor_unit: Text<'a>,
    /// Factor value.
    pub factor_kgco2e: Num,
    /// Factor source.
    pub factor_source: Text<'a>,
    /// Quantity as written.
    pub quantity: Num,
    /// Unit as written.
    pub unit: Text<'a>,
    /// Quantity in the factor's unit.
    pub converted_quantity: Num,
    /// The price-year conversion of a monetary amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_conversion: Option<PriceConversion<'a>>,
    /// The rule that placed the line.
    pub rule: Text<'a>,
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// α.
    pub uncertainty: Num,
    /// Its emissions by post.
    pub parts: Vec<Part<'a>>,
    /// Amortisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amortization: Option<Amortization>,
    /// Site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Text<'a>>,
    /// Tags.
    #[serde(default, skip_serializing_if = "<[String]>::is_empty")]
    pub tags: Cow<'a, [String]>,
    /// The market-based factor of a scope 2 line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<Market<'a>>,
}

/// The price-year conversion of a monetary amount.
#[derive(Debug, Serialize, Deserialize)]
pub struct PriceConversion<'a> {
    /// Price year of the amount.
    pub from_year: i32,
    /// Price year of the factor.
    pub to_year: i32,
    /// Exact multiplier.
    pub multiplier: Num,
    /// The index(es) used.
    pub index: Text<'a>,
}

/// A line's market-based factor.
#[derive(Debug, Serialize, Deserialize)]
pub struct Market<'a> {
    /// Factor id.
    pub factor: Text<'a>,
    /// Factor name.
    pub factor_name: Text<'a>,
    /// Factor value.
    pub factor_kgco2e: Num,
    /// Factor source.
    pub factor_source: Text<'a>,
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// α.
    pub uncertainty: Num,
}

/// Avoided emissions or removals.
#[derive(Debug, Serialize, Deserialize)]
pub struct Apart<'a> {
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// α.
    pub uncertainty: Num,
    /// Its lines.
    pub lines: Vec<ApartLine<'a>>,
}

/// A line of avoided emissions or removals.
#[derive(Debug, Serialize, Deserialize)]
pub struct ApartLine<'a> {
    /// Line id.
    pub id: Text<'a>,
    /// Post code.
    pub post: Text<'a>,
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// α.
    pub uncertainty: Num,
}

/// An intensity ratio.
#[derive(Debug, Serialize, Deserialize)]
pub struct Ratio<'a> {
    /// Indicator key.
    pub indicator: Text<'a>,
    /// Its label.
    pub label: Text<'a>,
    /// Its value.
    pub value: Num,
    /// Its unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Text<'a>>,
    /// kgCO2e per unit, to the gram.
    pub kgco2e_per_unit: Num,
}

/// A factor base read.
#[derive(Debug, Serialize, Deserialize)]
pub struct Base<'a> {
    /// File name.
    pub name: Text<'a>,
    /// Its kind.
    pub kind: Text<'a>,
    /// Rows read.
    pub rows: usize,
    /// Factors kept.
    pub factors: usize,
    /// SHA-256 of the file.
    pub sha256: Text<'a>,
    /// Its version, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Text<'a>>,
}

/// The `monte_carlo` block: the method's figure next to the draws' statistics.
#[derive(Debug, Serialize, Deserialize)]
pub struct MonteCarlo<'a> {
    /// Draws.
    pub draws: usize,
    /// Seed.
    pub seed: u64,
    /// The generator.
    pub rng: Text<'a>,
    /// `independent` or `shared-factors`.
    pub correlation: Text<'a>,
    /// The total.
    pub total: McFigure,
    /// The total's statistics with independent draws, under shared factors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub independent_total: Option<McStats>,
    /// Width of the shared-factors interval over the independent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width_ratio: Option<Num>,
    /// The scopes.
    pub scopes: Vec<McScope>,
    /// The posts with lines.
    pub posts: Vec<McPost<'a>>,
}

/// A figure with the draws' statistics (kgCO2e to the gram).
#[derive(Debug, Serialize, Deserialize)]
pub struct McFigure {
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// The method's low bound.
    pub low: Num,
    /// The method's high bound.
    pub high: Num,
    /// Mean of the draws.
    pub mean: Num,
    /// Median.
    pub median: Num,
    /// 2.5 % percentile.
    pub p2_5: Num,
    /// 97.5 % percentile.
    pub p97_5: Num,
}

/// The draws' statistics alone.
#[derive(Debug, Serialize, Deserialize)]
pub struct McStats {
    /// Mean.
    pub mean: Num,
    /// Median.
    pub median: Num,
    /// 2.5 % percentile.
    pub p2_5: Num,
    /// 97.5 % percentile.
    pub p97_5: Num,
}

/// A scope's statistics.
#[derive(Debug, Serialize, Deserialize)]
pub struct McScope {
    /// 1, 2 or 3.
    pub scope: u8,
    /// Its figures.
    #[serde(flatten)]
    pub figure: McFigure,
}

/// A post's statistics.
#[derive(Debug, Serialize, Deserialize)]
pub struct McPost<'a> {
    /// Post code.
    pub code: Text<'a>,
    /// Its figures.
    #[serde(flatten)]
    pub figure: McFigure,
}

/// The `uncertainty_analysis` block: what weighs in the total's uncertainty.
#[derive(Debug, Serialize, Deserialize)]
pub struct UncertaintyAnalysis<'a> {
    /// How the shares are computed.
    pub method: Text<'a>,
    /// Lines with a share of the variance.
    pub contributing_lines: usize,
    /// The listed lines' share of the variance.
    pub listed_share: Num,
    /// Posts by share of the variance.
    pub posts: Vec<PostShare<'a>>,
    /// Lines by share of the variance.
    pub lines: Vec<LineShare<'a>>,
}

/// A post's share of the total's variance.
#[derive(Debug, Serialize, Deserialize)]
pub struct PostShare<'a> {
    /// Post code.
    pub code: Text<'a>,
    /// Its name.
    pub name: Text<'a>,
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// α.
    pub uncertainty: Num,
    /// Data quality class.
    pub quality: u8,
    /// Share of the total's variance.
    pub share_of_variance: Num,
}

/// A line's share of the total's variance.
#[derive(Debug, Serialize, Deserialize)]
pub struct LineShare<'a> {
    /// 1 for the largest.
    pub rank: usize,
    /// Line id.
    pub id: Text<'a>,
    /// Label.
    pub label: Text<'a>,
    /// Post code.
    pub post: Text<'a>,
    /// Exact kgCO2e.
    pub kgco2e: Num,
    /// α.
    pub uncertainty: Num,
    /// Data quality class.
    pub quality: u8,
    /// The activity's part of its uncertainty.
    pub activity_part: Num,
    /// Share of the total's variance.
    pub share_of_variance: Num,
    /// What to improve first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<Text<'a>>,
}
