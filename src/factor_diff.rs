//! What changed between two factor bases: factors added, removed, and changed in value, unit
//! or parts. The data of `bilan factors diff` and of the factors listed by
//! `bilan diff --factors-old --factors-new`.

use crate::factor::{Factor, Part};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A factor in both bases that differs.
#[derive(Clone, Debug, PartialEq)]
pub struct Changed<'a> {
    /// The factor in the old base.
    pub old: &'a Factor,
    /// The factor in the new base.
    pub new: &'a Factor,
    /// Its value (kgCO2e per unit) differs.
    pub value: bool,
    /// Its unit differs.
    pub unit: bool,
    /// Its parts (type, name, value, in order) differ.
    pub parts: bool,
}

/// The differences between two bases, each list in id order (numeric ids by number).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FactorDiff<'a> {
    /// In the new base only.
    pub added: Vec<&'a Factor>,
    /// In the old base only.
    pub removed: Vec<&'a Factor>,
    /// In both, with a different value, unit or parts.
    pub changed: Vec<Changed<'a>>,
}

/// Orders ids as numbers when both are (`9` before `10`), else as text.
pub fn id_order(a: &str, b: &str) -> Ordering {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if numeric(a) && numeric(b) {
        let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    } else {
        a.cmp(b)
    }
}

/// A key sorting ids in [`id_order`].
#[derive(PartialEq, Eq)]
struct Id<'a>(&'a str);

impl Ord for Id<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        id_order(self.0, other.0).then_with(|| self.0.cmp(other.0))
    }
}

impl PartialOrd for Id<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn same_parts(a: &[Part], b: &[Part]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.kind == y.kind && x.name == y.name && x.kgco2e == y.kgco2e)
}

/// Compares two bases (a later factor of an id replaces an earlier one, as bases merge).
pub fn compare<'a>(
    old: impl IntoIterator<Item = &'a Factor>,
    new: impl IntoIterator<Item = &'a Factor>,
) -> FactorDiff<'a> {
    let index = |factors: Vec<&'a Factor>| -> BTreeMap<Id<'a>, &'a Factor> {
        factors
            .into_iter()
            .map(|f| (Id(f.id.as_str()), f))
            .collect()
    };
    let old = index(old.into_iter().collect());
    let new = index(new.into_iter().collect());
    let mut diff = FactorDiff::default();
    for (id, &before) in &old {
        match new.get(id) {
            None => diff.removed.push(before),
            Some(&after) => {
                let value = before.kgco2e != after.kgco2e;
                let unit = before.unit != after.unit;
                let parts = !same_parts(&before.parts, &after.parts);
                if value || unit || parts {
                    diff.changed.push(Changed {
                        old: before,
                        new: after,
                        value,
                        unit,
                        parts,
                    });
                }
            }
        }
    }
    diff.added = new
        .iter()
        .filter(|(id, _)| !old.contains_key(*id))
        .map(|(_, f)| *f)
        .collect();
    diff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_as_numbers() {
        let mut ids = vec!["100", "20", "9", "abc", "020"];
        ids.sort_by(|a, b| id_order(a, b).then_with(|| a.cmp(b)));
        assert_eq!(ids, ["9", "020", "20", "100", "abc"]);
    }
}
