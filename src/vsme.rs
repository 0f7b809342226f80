//! The figures of disclosure B3 "Energy and greenhouse gas emissions" of EFRAG's Voluntary
//! Sustainability Reporting Standard for non-listed SMEs (VSME, basic module, paragraphs 30–31),
//! which are those of ESRS E1-6 (GHG Protocol scopes): taken from the ESRS E1-6 view of the
//! lines, so capital goods count whole in their acquisition year as there.

use crate::report::Report;
use crate::view::{self, Framework, RowKind};
use rust_decimal::Decimal;

/// Gross GHG emissions in kgCO2e and, with a net revenue indicator, the intensities.
#[derive(Clone, Debug, PartialEq)]
pub struct B3 {
    /// Gross scope 1.
    pub scope1: Decimal,
    /// Gross location-based scope 2.
    pub scope2_location: Decimal,
    /// Gross market-based scope 2.
    pub scope2_market: Decimal,
    /// Gross scope 3 (every category the inventory holds).
    pub scope3: Decimal,
    /// Scope 3 by GHG Protocol category: code (`3.1` … `3.15`, `3.O`), French and English
    /// names, kgCO2e; the categories with lines only.
    pub scope3_categories: Vec<(&'static str, &'static str, &'static str, Decimal)>,
    /// Total location-based: scope 1 + location-based scope 2 + scope 3.
    pub total_location: Decimal,
    /// Total market-based: scope 1 + market-based scope 2 + scope 3.
    pub total_market: Decimal,
    /// Biogenic CO2 of the lines, kg, outside the scopes.
    pub co2_biogenic: Decimal,
    /// GHG intensity per net revenue, when the inventory has an indicator in euros.
    pub intensity: Option<Intensity>,
}

/// GHG intensity per net revenue, in tCO2e per euro (exact quotients).
#[derive(Clone, Debug, PartialEq)]
pub struct Intensity {
    /// The indicator's label.
    pub label: String,
    /// Net revenue in euros.
    pub euros: Decimal,
    /// (Scope 1 + location-based scope 2) per euro.
    pub scope12_location: Decimal,
    /// (Scope 1 + market-based scope 2) per euro.
    pub scope12_market: Decimal,
    /// Location-based total per euro.
    pub total_location: Decimal,
    /// Market-based total per euro.
    pub total_market: Decimal,
}

impl B3 {
    /// Scope 1 + location-based scope 2.
    pub fn scope12_location(&self) -> Decimal {
        self.scope1 + self.scope2_location
    }

    /// Scope 1 + market-based scope 2.
    pub fn scope12_market(&self) -> Decimal {
        self.scope1 + self.scope2_market
    }
}

/// The B3 figures of `report`.
pub fn b3(report: &Report) -> B3 {
    b3_of(report, &view::view(report, Framework::EsrsE1))
}

/// The B3 figures of `report` from its ESRS E1-6 view `esrs` (made as its lines were, when
/// the report keeps none).
pub fn b3_of(report: &Report, esrs: &view::View) -> B3 {
    let row = |code: &str| {
        esrs.rows
            .iter()
            .find(|r| r.code == code)
            .map_or(Decimal::ZERO, |r| r.figure.kgco2e)
    };
    let scope1 = row("S1");
    let scope2_location = row("S2");
    let scope2_market = row("S2-MB");
    let scope3 = row("S3");
    let total_location = esrs.total.kgco2e;
    let total_market = row("T-MB");
    let scope3_categories = esrs
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Item && r.code.starts_with("3.") && r.lines > 0)
        .map(|r| (r.code, r.fr, r.en, r.figure.kgco2e))
        .collect();
    let intensity = view::revenue(report).and_then(|(label, million_euros)| {
        let euros = million_euros.checked_mul(Decimal::from(1_000_000))?;
        let per_euro = |kg: Decimal| (kg / Decimal::ONE_THOUSAND).checked_div(euros);
        Some(Intensity {
            scope12_location: per_euro(scope1 + scope2_location)?,
            scope12_market: per_euro(scope1 + scope2_market)?,
            total_location: per_euro(total_location)?,
            total_market: per_euro(total_market)?,
            label,
            euros,
        })
    });
    B3 {
        scope1,
        scope2_location,
        scope2_market,
        scope3,
        scope3_categories,
        total_location,
        total_market,
        co2_biogenic: report.co2_biogenic,
        intensity,
    }
}
