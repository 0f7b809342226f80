//! Bringing a monetary amount to the price year of a monetary ratio: Base Carbone's ratios are
//! in euros of a stated year (`kgCO2e/keuro (2023) HT`), an inventory's amounts in euros of its
//! own year (or of the year its unit states, `keuro (2019) HT`). The amount is converted with
//! the French consumer price index's annual changes: from year A to year B > A it is multiplied
//! by (1 + rₐ₊₁) × … × (1 + r_B). The changes ship in `factors/price_index.csv` (INSEE, cited
//! there); an inventory's `price_index:` adds or replaces years.

use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The shipped changes (`factors/price_index.csv`).
const SHIPPED: &str = include_str!("../factors/price_index.csv");

/// Where the shipped index comes from, for outputs.
pub const SHIPPED_SOURCE: &str = "INSEE IPC, annual average change (factors/price_index.csv)";

/// Annual average changes by year, with where each comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PriceIndex {
    changes: BTreeMap<i32, (Decimal, &'static str)>,
}

/// A conversion between two price years.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceConversion {
    /// The amount's price year.
    pub from: i32,
    /// The ratio's price year.
    pub to: i32,
    /// What the amount is multiplied by.
    pub multiplier: Decimal,
    /// The sources of the changes used (shipped index, inventory).
    pub sources: Vec<&'static str>,
}

/// The source of changes given by an inventory.
pub const INVENTORY_SOURCE: &str = "the inventory's price_index:";

impl PriceIndex {
    /// The shipped index.
    pub fn shipped() -> PriceIndex {
        let mut changes = BTreeMap::new();
        for line in SHIPPED.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("year") {
                continue;
            }
            if let Some((year, change)) = line.split_once(',')
                && let (Ok(year), Ok(change)) = (year.parse(), change.parse())
            {
                changes.insert(year, (change, SHIPPED_SOURCE));
            }
        }
        PriceIndex { changes }
    }

    /// Adds or replaces `year`'s change, given by the inventory.
    pub fn set(&mut self, year: i32, change: Decimal) {
        self.changes.insert(year, (change, INVENTORY_SOURCE));
    }

    /// The years it holds.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.changes.keys().copied()
    }

    /// The conversion from euros of `from` to euros of `to`; `Err(year)` names the first year
    /// whose change is missing.
    pub fn convert(&self, from: i32, to: i32) -> Result<PriceConversion, i32> {
        let (low, high) = if from <= to { (from, to) } else { (to, from) };
        let mut product = Decimal::ONE;
        let mut sources: Vec<&'static str> = Vec::new();
        for year in low + 1..=high {
            let (change, source) = self.changes.get(&year).ok_or(year)?;
            product = product.checked_mul(Decimal::ONE + change).ok_or(year)?;
            if !sources.contains(source) {
                sources.push(source);
            }
        }
        let multiplier = if from <= to {
            product
        } else {
            Decimal::ONE.checked_div(product).ok_or(from)?
        };
        Ok(PriceConversion {
            from,
            to,
            multiplier,
            sources,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn chains_the_annual_changes() {
        let index = PriceIndex::shipped();
        let d = |s: &str| Decimal::from_str(s).unwrap();
        // 2019 → 2023: 1.00480 × 1.01642 × 1.05223 × 1.04875.
        let c = index.convert(2019, 2023).unwrap();
        assert_eq!(
            c.multiplier,
            d("1.00480") * d("1.01642") * d("1.05223") * d("1.04875")
        );
        assert_eq!(index.convert(2023, 2023).unwrap().multiplier, Decimal::ONE);
        assert_eq!(
            index.convert(2024, 2023).unwrap().multiplier,
            Decimal::ONE / d("1.02001")
        );
        assert_eq!(index.convert(2025, 2027), Err(2026));
        assert_eq!(index.years().next(), Some(2010));
    }
}
