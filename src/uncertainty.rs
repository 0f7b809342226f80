//! The Bilan Carbone® uncertainty method (uncertainty.md §1–4): log-normal quantities described
//! by k, the multiplicative half-width of their 95 % interval. Computed in f64.

/// The k of a quantity known exactly (α = 0).
pub const EXACT: f64 = 1.0;

/// Data-quality scores, each 1 (very poor) to 5 (very good); `None` when not given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quality {
    /// Reliability (fiabilité).
    pub reliability: Option<u8>,
    /// Technical representativeness (Base Carbone "Qualité TeR").
    pub technical: Option<u8>,
    /// Geographic representativeness ("Qualité GR").
    pub geographic: Option<u8>,
    /// Temporal representativeness ("Qualité TiR").
    pub temporal: Option<u8>,
    /// Completeness ("Qualité C").
    pub completeness: Option<u8>,
}

/// Pedigree coefficients for scores 1..=5, per criterion (uncertainty.md §2).
const RELIABILITY: [f64; 5] = [1.5, 1.2, 1.1, 1.05, 1.0];
const TECHNICAL: [f64; 5] = [2.0, 1.5, 1.2, 1.1, 1.0];
const GEOGRAPHIC: [f64; 5] = [1.1, 1.05, 1.02, 1.01, 1.0];
const TEMPORAL: [f64; 5] = [1.5, 1.2, 1.1, 1.03, 1.0];
const COMPLETENESS: [f64; 5] = [1.2, 1.1, 1.05, 1.02, 1.0];

impl Quality {
    /// True when no criterion is given.
    pub fn is_empty(&self) -> bool {
        *self == Quality::default()
    }

    /// Fills every missing criterion with `score`.
    #[must_use]
    pub fn or_score(self, score: u8) -> Quality {
        Quality {
            reliability: self.reliability.or(Some(score)),
            technical: self.technical.or(Some(score)),
            geographic: self.geographic.or(Some(score)),
            temporal: self.temporal.or(Some(score)),
            completeness: self.completeness.or(Some(score)),
        }
    }

    /// The pedigree k: `exp(sqrt(Σ ln(cᵢ)²))`, a missing criterion counting as score 1.
    pub fn k(&self) -> f64 {
        let coefficient = |table: &[f64; 5], score: Option<u8>| -> f64 {
            let index = usize::from(score.unwrap_or(1).clamp(1, 5)) - 1;
            table.get(index).copied().unwrap_or(1.0)
        };
        let sum: f64 = [
            coefficient(&RELIABILITY, self.reliability),
            coefficient(&TECHNICAL, self.technical),
            coefficient(&GEOGRAPHIC, self.geographic),
            coefficient(&TEMPORAL, self.temporal),
            coefficient(&COMPLETENESS, self.completeness),
        ]
        .iter()
        .map(|c| c.ln().powi(2))
        .sum();
        sum.sqrt().exp()
    }
}

/// k of a stated percentage α (0.15 for ±15 %): `1 + α`.
pub fn k_of_percent(alpha: f64) -> f64 {
    1.0 + alpha
}

/// k of a product activity × factor (uncertainty.md §3).
pub fn k_product(k_activity: f64, k_factor: f64) -> f64 {
    let a = k_activity.sqrt().ln();
    let f = k_factor.sqrt().ln();
    (2.0 * (a * a + f * f).sqrt()).exp()
}

/// Accumulates a sum of independent terms (uncertainty.md §4):
/// `k = exp(sqrt(Σ (Eᵢ/E)² (ln √kᵢ)²))²`, with k = 1 when E = 0.
///
/// Both sums are exact (then rounded once), so k does not depend on the order of the terms:
/// reordering an inventory's lines changes no output byte.
#[derive(Clone, Debug, Default)]
pub struct SumUncertainty {
    total: crate::exact_sum::ExactSum,
    weighted: crate::exact_sum::ExactSum,
}

/// A term's `ln √k`, its weight in a sum's uncertainty: made once for a term added to
/// several sums (a line to its post, scope and the total).
#[derive(Clone, Copy, Debug)]
pub struct Spread(f64);

impl Spread {
    /// The spread of uncertainty `k`.
    pub fn of(k: f64) -> Spread {
        Spread(k.sqrt().ln())
    }
}

impl SumUncertainty {
    /// Adds a term of value `emission` and uncertainty `k`.
    pub fn add(&mut self, emission: f64, k: f64) {
        if emission != 0.0 {
            self.add_spread(emission, Spread::of(k));
        }
    }

    /// Adds a term of value `emission` and spread `spread` (the same as [`SumUncertainty::add`]
    /// with its k).
    pub fn add_spread(&mut self, emission: f64, spread: Spread) {
        if emission != 0.0 {
            let l = spread.0;
            self.total.add(emission);
            self.weighted.add(emission * emission * l * l);
        }
    }

    /// Adds the terms of `other` (exactly: the result does not depend on how terms were
    /// grouped).
    pub fn merge(&mut self, other: &SumUncertainty) {
        self.total.merge(&other.total);
        self.weighted.merge(&other.weighted);
    }

    /// The k of the sum.
    pub fn k(&self) -> f64 {
        let total = self.total.value();
        if total == 0.0 || !total.is_finite() {
            return EXACT;
        }
        let inner = (self.weighted.value().sqrt() / total.abs()).exp();
        inner * inner
    }
}

/// The 95 % interval `[E/k, E·k]` as (low, high), ordered for a negative E.
pub fn interval(emission: f64, k: f64) -> (f64, f64) {
    let (a, b) = (emission / k, emission * k);
    if a <= b { (a, b) } else { (b, a) }
}

/// The qualitative class of a k (5 very good … 1 very poor), as Bilan Carbone tables show it.
pub fn quality_class(k: f64) -> u8 {
    match k {
        k if k < 1.1199 => 5,
        k if k < 1.2621 => 4,
        k if k < 1.6361 => 3,
        k if k < 2.5163 => 2,
        _ => 1,
    }
}

/// Above this α a post is flagged (ISO 14064 practice).
pub const FLAG_ALPHA: f64 = 0.20;

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!(((a - b) / b).abs() < 1e-12, "{a} vs {b}");
    }

    fn q(r: u8, t: u8, g: u8, ti: u8, c: u8) -> Quality {
        let s = |v: u8| if v == 0 { None } else { Some(v) };
        Quality {
            reliability: s(r),
            technical: s(t),
            geographic: s(g),
            temporal: s(ti),
            completeness: s(c),
        }
    }

    #[test]
    fn pedigree_vectors_of_bilan_carbone_plus() {
        close(Quality::default().k(), 2.5163566012590954);
        close(q(0, 0, 3, 0, 4).k(), 2.459659422059095);
        close(q(2, 1, 3, 5, 4).k(), 2.0488353976695466);
    }

    #[test]
    fn line_vector_of_bilan_carbone_plus() {
        let activity = q(5, 1, 4, 2, 5).k();
        let factor = q(5, 3, 5, 1, 5).k();
        let k = k_product(activity, factor);
        close(k, 2.3244113410907485);
        let (low, high) = interval(1200.0, k);
        close(low, 516.2597423212065);
        close(high, 2789.2936093088983);
        close(k - 1.0, 1.3244113410907485);
    }

    #[test]
    fn electricity_line_of_the_results_spec() {
        // 5 % activity, 10 % factor → k ≈ 1.113 (results.md).
        let k = k_product(k_of_percent(0.05), k_of_percent(0.10));
        assert!((k - 1.113).abs() < 5e-4, "{k}");
    }

    #[test]
    fn a_sum_of_one_term_keeps_its_k() {
        let mut sum = SumUncertainty::default();
        sum.add(1200.0, 2.3244113410907485);
        close(sum.k(), 2.3244113410907485);
    }

    #[test]
    fn a_sum_of_two_equal_terms_narrows_by_root_two() {
        let mut sum = SumUncertainty::default();
        sum.add(100.0, 1.5);
        sum.add(100.0, 1.5);
        let expected = ((1.5f64.sqrt().ln() / 2f64.sqrt()).exp()).powi(2);
        close(sum.k(), expected);
        assert_eq!(SumUncertainty::default().k(), 1.0);
    }

    #[test]
    fn sums_do_not_depend_on_the_order_of_terms() {
        let terms = [1e16, 1.0, -1e16, 3.3, 1e-3, 7.1e15, 0.1, 2.5e-7];
        let sum = |order: &[usize]| {
            let mut s = SumUncertainty::default();
            for &i in order {
                s.add(terms[i], 1.0 + i as f64 / 10.0);
            }
            s.k()
        };
        let k = sum(&[0, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(k, sum(&[7, 6, 5, 4, 3, 2, 1, 0]));
        assert_eq!(k, sum(&[2, 5, 0, 7, 1, 4, 6, 3]));
        let mut exact = crate::exact_sum::ExactSum::default();
        for t in [0.1, 0.2, 0.3, -0.6] {
            exact.add(t);
        }
        // Added in f64 from left to right: 1.1102230246251565e-16; exactly: 2^-55.
        assert_eq!(exact.value(), 2.7755575615628914e-17);
        let mut big = crate::exact_sum::ExactSum::default();
        for t in [1e308, 1e308] {
            big.add(t);
        }
        assert_eq!(big.value(), f64::INFINITY);
    }

    #[test]
    fn negative_intervals_are_ordered() {
        let (low, high) = interval(-100.0, 2.0);
        assert_eq!((low, high), (-200.0, -50.0));
    }

    #[test]
    fn classes() {
        assert_eq!(quality_class(1.05), 5);
        assert_eq!(quality_class(1.2), 4);
        assert_eq!(quality_class(1.5), 3);
        assert_eq!(quality_class(2.0), 2);
        assert_eq!(quality_class(2.6), 1);
    }
}
