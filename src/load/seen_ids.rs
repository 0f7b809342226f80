//! The line ids of an inventory read a batch at a time, checked for repeats without keeping
//! them: a million ids as strings would weigh more than the lines of a batch.
//!
//! A line without `id:` is `line-<n>`, `n` its place. Such an id is one bit; any other id is
//! kept as a 64-bit hash. A repeat, or two ids of one hash, says "maybe repeated": the caller
//! then reads the inventory whole, which tells which (and names the line).

use std::hash::BuildHasher;

/// The ids seen so far.
#[derive(Default)]
pub struct SeenIds {
    hasher: foldhash::fast::RandomState,
    /// Hashes of the ids that are not their line's default.
    others: foldhash::HashSet<u64>,
    /// Bit `n - 1`: line `n` has the id `line-<n>`.
    defaults: Vec<u64>,
}

impl SeenIds {
    /// Takes the id of line `place` (1-based, in file order); false when it may repeat an
    /// earlier one.
    pub fn insert(&mut self, place: usize, id: &str) -> bool {
        if default_place(id) == Some(place) {
            // Another line may have named it before.
            if self.others.contains(&self.hasher.hash_one(id)) {
                return false;
            }
            let (word, bit) = (place.saturating_sub(1) / 64, place.saturating_sub(1) % 64);
            if self.defaults.len() <= word {
                self.defaults.resize(word + 1, 0);
            }
            if let Some(bits) = self.defaults.get_mut(word) {
                *bits |= 1 << bit;
            }
            return true;
        }
        // An earlier line may have it as its default.
        if let Some(n) = default_place(id)
            && n < place
            && self.is_default(n)
        {
            return false;
        }
        self.others.insert(self.hasher.hash_one(id))
    }

    fn is_default(&self, place: usize) -> bool {
        let (word, bit) = (place.saturating_sub(1) / 64, place.saturating_sub(1) % 64);
        self.defaults
            .get(word)
            .is_some_and(|bits| bits & (1 << bit) != 0)
    }
}

/// `n` for the id `line-<n>` written as the default is (no sign, no leading zero).
fn default_place(id: &str) -> Option<usize> {
    let digits = id.strip_prefix("line-")?;
    let well_formed = !digits.is_empty()
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit());
    well_formed.then(|| digits.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact answer: ids as strings.
    fn repeats(ids: &[&str]) -> Option<usize> {
        let mut seen = std::collections::HashSet::new();
        ids.iter().position(|id| !seen.insert(*id))
    }

    fn first_refused(ids: &[&str]) -> Option<usize> {
        let mut seen = SeenIds::default();
        ids.iter()
            .enumerate()
            .position(|(i, id)| !seen.insert(i + 1, id))
    }

    #[test]
    fn a_repeat_is_found_at_the_line_that_repeats() {
        let cases: [&[&str]; 9] = [
            &["line-1", "line-2", "line-3"],
            &["line-1", "line-2", "line-1"],
            // An own id taking a later line's default.
            &["line-3", "line-2", "line-3"],
            // A later line naming an earlier default.
            &["line-1", "a", "line-1"],
            &["a", "b", "a"],
            // Not defaults: a leading zero, a sign, a place of its own.
            &["line-01", "line-1", "line-02"],
            &["line-+2", "line-2", "x"],
            &["line-2", "line-1", "line-3"],
            &["line-2", "line-1", "line-2"],
        ];
        for ids in cases {
            assert_eq!(first_refused(ids), repeats(ids), "{ids:?}");
        }
        // Far places: the bits grow.
        let mut seen = SeenIds::default();
        assert!(seen.insert(1_000_000, "line-1000000"));
        assert!(!seen.insert(1_000_001, "line-1000000"));
        assert!(seen.insert(5, "line-70"));
        assert!(!seen.insert(70, "line-70"));
    }
}
