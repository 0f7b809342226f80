//! Sums of f64 kept exactly, rounded once at the end: the result is the correctly rounded
//! sum of the terms whatever their order or grouping (as Python's `math.fsum`), so that a
//! sum made on several cores is the sum made on one.
//!
//! A few terms are kept as Shewchuk's non-overlapping partials (small, and exact). A sum of
//! many terms moves to a fixed-point accumulator covering every finite f64 (bits of weight
//! 2^-1074 to 2^1023, in limbs of 32 bits, each an i64 with room for 2^31 terms' carries): a
//! term is then three integer additions instead of a pass over the partials. Both hold the
//! exact sum; the value is rounded from it by the partials' correctly rounded sum.

/// Terms kept as partials before the sum moves to the accumulator (a sum of a few terms,
/// such as one key of a breakdown among many, stays small).
const PARTIAL_TERMS: u32 = 32;
/// Limbs of 32 bits from 2^-1074: a finite f64's 53 bits shifted by up to 2,045 places reach
/// bit 2,098, in limb 65.
const LIMBS: usize = 66;
/// Terms added to the limbs before their carries are moved on: each adds less than 2^32 to
/// a limb, which holds ±2^63.
const CARRY_EVERY: u32 = 1 << 30;

/// An exact sum of f64 terms.
#[derive(Clone, Debug, Default)]
pub struct ExactSum {
    /// Non-overlapping, increasing in magnitude; their exact sum is the sum of the terms
    /// (empty once the sum is in `wide`).
    partials: Vec<f64>,
    /// Terms added as partials so far.
    terms: u32,
    /// The accumulator, once the sum has had [`PARTIAL_TERMS`] terms.
    wide: Option<Box<Wide>>,
    /// A term that was not finite, or a running sum of the partials that overflowed: the
    /// exact sum is meaningless, fall back to a plain one.
    special: Option<f64>,
}

impl ExactSum {
    /// Adds `term`.
    pub fn add(&mut self, term: f64) {
        if !term.is_finite() || self.special.is_some() {
            self.special = Some(self.special.unwrap_or(0.0) + term);
            return;
        }
        if let Some(wide) = &mut self.wide {
            wide.add(term);
            return;
        }
        self.add_partial(term);
        self.terms += 1;
        if self.terms >= PARTIAL_TERMS && self.special.is_none() {
            self.widen();
        }
    }

    /// Adds the terms of another exact sum.
    pub fn merge(&mut self, other: &ExactSum) {
        for partial in &other.partials {
            self.add(*partial);
        }
        if let Some(theirs) = &other.wide
            && self.special.is_none()
        {
            let mine = self.widen();
            mine.merge(theirs);
        }
        if let Some(special) = other.special {
            self.special = Some(self.special.unwrap_or(0.0) + special);
        }
    }

    /// The exact sum, correctly rounded to f64.
    pub fn value(&self) -> f64 {
        if let Some(special) = self.special {
            return special;
        }
        match &self.wide {
            None => rounded(&self.partials),
            Some(wide) => {
                let (negative, terms) = wide.exact_terms();
                let mut sum = ExactSum::default();
                for term in terms {
                    sum.add_partial(term);
                }
                // Rounding half to even is the same either side of zero.
                if negative { -sum.value() } else { sum.value() }
            }
        }
    }

    /// The accumulator, made from the partials when there is none yet.
    fn widen(&mut self) -> &mut Wide {
        let partials = std::mem::take(&mut self.partials);
        self.wide.get_or_insert_with(|| {
            let mut wide = Box::new(Wide::default());
            for partial in partials {
                wide.add(partial);
            }
            wide
        })
    }

    /// Shewchuk's step: `term` joins the partials, which stay non-overlapping.
    fn add_partial(&mut self, term: f64) {
        let mut x = term;
        let mut kept = 0;
        for j in 0..self.partials.len() {
            let Some(mut y) = self.partials.get(j).copied() else {
                break;
            };
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                if let Some(slot) = self.partials.get_mut(kept) {
                    *slot = lo;
                }
                kept += 1;
            }
            x = hi;
        }
        self.partials.truncate(kept);
        if x.is_finite() {
            self.partials.push(x);
        } else {
            // The running sum overflowed f64.
            self.special = Some(x);
        }
    }
}

/// The correctly rounded sum of non-overlapping partials, increasing in magnitude.
fn rounded(partials: &[f64]) -> f64 {
    let mut rest = partials.iter().rev();
    let Some(&first) = rest.next() else {
        return 0.0;
    };
    let mut hi = first;
    let mut lo = 0.0;
    let mut next = None;
    for &y in rest.by_ref() {
        let x = hi;
        hi = x + y;
        lo = y - (hi - x);
        if lo != 0.0 {
            next = rest.next().copied();
            break;
        }
    }
    // Round half-even correctly when the rest of the partials tip the balance.
    if let Some(next) = next
        && ((lo < 0.0 && next < 0.0) || (lo > 0.0 && next > 0.0))
    {
        let y = lo * 2.0;
        let x = hi + y;
        if y == x - hi {
            hi = x;
        }
    }
    hi
}

/// The fixed-point accumulator: limb `i` weighs 2^(32·i − 1074).
#[derive(Clone, Debug)]
struct Wide {
    limbs: [i64; LIMBS],
    /// Terms added since the carries were last moved on.
    pending: u32,
}

impl Default for Wide {
    fn default() -> Self {
        Wide {
            limbs: [0; LIMBS],
            pending: 0,
        }
    }
}

impl Wide {
    /// Adds a finite `term`, exactly.
    fn add(&mut self, term: f64) {
        let bits = term.to_bits();
        let exponent = (bits >> 52) & 0x7ff;
        let fraction = bits & ((1 << 52) - 1);
        // term = ±mantissa · 2^(place − 1074); a subnormal has place 0, as the smallest normal.
        let (mantissa, place) = match exponent {
            0 => (fraction, 0),
            e => (fraction | (1 << 52), e - 1),
        };
        let limb = (place / 32) as usize;
        let wide = u128::from(mantissa) << (place % 32);
        let pieces = [
            (wide & 0xffff_ffff) as i64,
            ((wide >> 32) & 0xffff_ffff) as i64,
            (wide >> 64) as i64,
        ];
        let negative = term.is_sign_negative();
        for (slot, piece) in self.limbs.iter_mut().skip(limb).zip(pieces) {
            if negative {
                *slot -= piece;
            } else {
                *slot += piece;
            }
        }
        self.pending += 1;
        if self.pending >= CARRY_EVERY {
            self.carry();
        }
    }

    /// Moves each limb's bits above its 32 to the next limb: every limb but the last then
    /// holds 0 ≤ limb < 2^32 (the last keeps the sign).
    fn carry(&mut self) {
        let mut carry = 0;
        for limb in &mut self.limbs {
            let value = *limb + carry;
            carry = value >> 32;
            *limb = value - (carry << 32);
        }
        if let Some(last) = self.limbs.last_mut() {
            *last += carry << 32;
        }
        self.pending = 0;
    }

    /// Adds another accumulator's sum.
    fn merge(&mut self, other: &Wide) {
        let mut other = other.clone();
        other.carry();
        self.carry();
        for (mine, theirs) in self.limbs.iter_mut().zip(other.limbs) {
            *mine += theirs;
        }
        self.pending = 1;
    }

    /// Whether the sum is negative, and f64 terms whose exact sum is its magnitude, the
    /// smallest first: each limb times its weight (a limb of 32 bits at any weight is an
    /// exact f64, each at most the magnitude: beyond f64's range only when the sum is).
    fn exact_terms(&self) -> (bool, Vec<f64>) {
        let mut carried = self.clone();
        carried.carry();
        let negative = carried.limbs.last().is_some_and(|top| *top < 0);
        if negative {
            for limb in &mut carried.limbs {
                *limb = -*limb;
            }
            carried.carry();
        }
        let terms = carried
            .limbs
            .iter()
            .zip(0..)
            .filter(|(limb, _)| **limb != 0)
            .map(|(&limb, i)| limb as f64 * power_of_two(32 * i - 1074))
            .collect();
        (negative, terms)
    }
}

/// 2^e as an f64, exactly (0 below the smallest subnormal, infinity above the largest).
fn power_of_two(e: i64) -> f64 {
    if e > 1023 {
        f64::INFINITY
    } else if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else if e >= -1074 {
        f64::from_bits(1 << (e + 1074))
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sum of `terms`, kept as partials only (the accumulator never used).
    fn by_partials(terms: &[f64]) -> f64 {
        let mut sum = ExactSum::default();
        for &t in terms {
            sum.add_partial(t);
        }
        sum.value()
    }

    /// The sum of `terms` added as a user does (moving to the accumulator).
    fn summed(terms: &[f64]) -> f64 {
        let mut sum = ExactSum::default();
        for &t in terms {
            sum.add(t);
        }
        sum.value()
    }

    /// A term of every kind from `seed`: any exponent (subnormals too), either sign.
    fn term(seed: &mut u64) -> f64 {
        // xorshift64
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        let bits = *seed;
        let f = f64::from_bits(bits & !(0x7ff << 52) | ((bits >> 20) % 2046) << 52);
        // Mostly terms of a few magnitudes, as emissions are; some of any magnitude.
        match bits % 4 {
            0 => f,
            1 => (bits % 1_000_000) as f64 / 7.0,
            2 => -((bits % 1_000) as f64) * 1e-3,
            _ => ((bits >> 11) as f64) * 2f64.powi(-1060),
        }
    }

    #[test]
    fn known_sums() {
        // Added in f64 from left to right: 1.1102230246251565e-16; exactly: 2^-55.
        assert_eq!(summed(&[0.1, 0.2, 0.3, -0.6]), 2.7755575615628914e-17);
        assert_eq!(summed(&[0.1; 10]), 1.0);
        let many = vec![0.1; 1000];
        // 1000 × 0.1000000000000000055511151231257827 rounded once.
        assert_eq!(summed(&many), 100.00000000000000555_f64);
        assert_eq!(summed(&[1e100, 1.0, -1e100]), 1.0);
        let tiny = f64::from_bits(1);
        assert_eq!(summed(&[tiny; 40]), f64::from_bits(40));
        // Half-way: 1 + 2^-53 rounds to even (1); a smaller term beyond tips it up.
        let half = 2f64.powi(-53);
        assert_eq!(summed(&[1.0, half]), 1.0);
        assert_eq!(summed(&[1.0, half, 2f64.powi(-105)]), 1.0 + 2f64.powi(-52));
        let mut tipped = vec![1.0, half];
        tipped.extend([2f64.powi(-110); 40]);
        assert_eq!(summed(&tipped), 1.0 + 2f64.powi(-52));
        assert_eq!(summed(&[]), 0.0);
        assert_eq!(summed(&[1e308, 1e308]), f64::INFINITY);
        // Past the partials, a running sum beyond f64's range is no overflow: only the sum is.
        let mut large: Vec<f64> = (0..32)
            .map(|i| if i % 2 == 0 { 1e308 } else { -1e308 })
            .collect();
        large.extend([1e308; 40]);
        large.extend([-1e308; 40]);
        assert_eq!(summed(&large), 0.0);
        assert_eq!(summed(&[f64::MAX; 40]), f64::INFINITY);
        // Near the top of the range on the negative side, finite.
        let mut near = vec![-f64::MAX; 1];
        near.extend([f64::MAX / 64.0; 40]);
        near.extend([-f64::MAX / 64.0; 40]);
        assert_eq!(summed(&near), -f64::MAX);
        assert!(summed(&[1.0, f64::NAN]).is_nan());
    }

    #[test]
    fn the_accumulator_gives_the_partials_sum_whatever_the_order_and_grouping() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for case in 0..300 {
            let n = [1, 2, 31, 32, 33, 100, 1000][case % 7];
            let terms: Vec<f64> = (0..n).map(|_| term(&mut seed)).collect();
            let expected = by_partials(&terms);
            assert_eq!(summed(&terms).to_bits(), expected.to_bits(), "case {case}");
            let reversed: Vec<f64> = terms.iter().rev().copied().collect();
            assert_eq!(
                summed(&reversed).to_bits(),
                expected.to_bits(),
                "case {case}"
            );
            // Split in three sums merged, as chunks of lines on several cores are.
            let (a, rest) = terms.split_at(n / 3);
            let (b, c) = rest.split_at(rest.len() / 2);
            let mut merged = ExactSum::default();
            for part in [c, a, b] {
                let mut sum = ExactSum::default();
                for &t in part {
                    sum.add(t);
                }
                merged.merge(&sum);
            }
            assert_eq!(merged.value().to_bits(), expected.to_bits(), "case {case}");
        }
    }

    #[test]
    fn carries_move_on_before_a_limb_can_overflow() {
        let mut wide = Wide::default();
        // The largest piece a term puts in a limb, added until the carries must move.
        let term = f64::from_bits((0x7fe << 52) | ((1 << 52) - 1)) / 2f64.powi(1000);
        for _ in 0..3 {
            wide.pending = CARRY_EVERY - 2;
            wide.add(term);
            wide.add(term);
            assert_eq!(wide.pending, 0);
        }
        let (negative, terms) = wide.exact_terms();
        assert!(!negative);
        let mut sum = ExactSum::default();
        for t in terms {
            sum.add_partial(t);
        }
        assert_eq!(sum.value(), term * 6.0);
    }
}
