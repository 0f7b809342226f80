//! The gas breakdown of emissions (fossil CO2, fossil and biogenic CH4, N2O, other gases), when
//! the factor base gives it. Figures in kgCO2e, exact.

use crate::energy_split;
use crate::factor::{Factor, Gases};
use crate::post::{Post, codes};
use rust_decimal::Decimal;

/// kgCO2e by gas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GasAmounts {
    /// Fossil CO2.
    pub co2f: Decimal,
    /// Fossil CH4.
    pub ch4f: Decimal,
    /// Biogenic CH4.
    pub ch4b: Decimal,
    /// N2O.
    pub n2o: Decimal,
    /// Other gases (HFCs, SF6, "Autres GES"…).
    pub other: Decimal,
}

impl GasAmounts {
    /// `scale` units of `gases` (absent values count 0).
    pub fn of(gases: &Gases, scale: Decimal) -> Option<GasAmounts> {
        let v = |g: Option<Decimal>| scale.checked_mul(g.unwrap_or_default());
        let other = crate::number::checked_sum(gases.other.iter().map(|(_, v)| *v))?;
        Some(GasAmounts {
            co2f: v(gases.co2f)?,
            ch4f: v(gases.ch4f)?,
            ch4b: v(gases.ch4b)?,
            n2o: v(gases.n2o)?,
            other: scale.checked_mul(other)?,
        })
    }

    /// Adds `other` (`subtract` to remove it); `None` on overflow.
    pub fn add(&mut self, other: &GasAmounts, subtract: bool) -> Option<()> {
        let op = |a: Decimal, b: Decimal| {
            if subtract {
                a.checked_sub(b)
            } else {
                a.checked_add(b)
            }
        };
        self.co2f = op(self.co2f, other.co2f)?;
        self.ch4f = op(self.ch4f, other.ch4f)?;
        self.ch4b = op(self.ch4b, other.ch4b)?;
        self.n2o = op(self.n2o, other.n2o)?;
        self.other = op(self.other, other.other)?;
        Some(())
    }
}

/// The gases of a line by post: `scale` units of the factor (the converted quantity, divided
/// by the amortisation years), placed like its emissions. A split line's parts take their own
/// gases and 3.8 the remainder, as for emissions. Empty when the base gives no gases.
pub fn by_post(
    factor: &Factor,
    parts: &[(Post, Decimal)],
    post: Post,
    scale: Decimal,
) -> Option<Vec<(Post, GasAmounts)>> {
    if factor.gases.is_empty()
        || factor
            .gases
            .sum()
            .is_none_or(|s| s.is_zero() && !factor.kgco2e.is_zero())
    {
        return Some(Vec::new());
    }
    let whole = GasAmounts::of(&factor.gases, scale)?;
    let split = parts.len() > 1 || parts.first().is_some_and(|(p, _)| *p != post);
    if !split {
        return Some(vec![(post, whole)]);
    }
    let mut out: Vec<(Post, GasAmounts)> = Vec::new();
    let mut remainder = whole;
    for part in &factor.parts {
        let target = energy_split::target(post, part).unwrap_or(post);
        if target == codes::UPSTREAM_ENERGY {
            continue;
        }
        let amounts = GasAmounts::of(&part.gases, scale)?;
        remainder.add(&amounts, true)?;
        match out.iter_mut().find(|(p, _)| *p == target) {
            Some((_, g)) => g.add(&amounts, false)?,
            None => out.push((target, amounts)),
        }
    }
    if remainder != GasAmounts::default() {
        match out.iter_mut().find(|(p, _)| *p == codes::UPSTREAM_ENERGY) {
            Some((_, g)) => g.add(&remainder, false)?,
            None => out.push((codes::UPSTREAM_ENERGY, remainder)),
        }
    }
    out.sort_by_key(|(p, _)| *p);
    Some(out)
}
