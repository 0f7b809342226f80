//! What changed between two results, and why (`bilan diff`). Pure: two [`Side`]s in, a
//! [`Diff`] out.
//!
//! Every post's change splits into three effects that add up exactly to it:
//! - **perimeter**: lines only in one result (added: +after, removed: −before);
//! - **activity** and **factor**: for a line in both results (matched by id, else by factor
//!   and label), with q its quantity in the factor's unit (after amortisation) and f its
//!   emissions per unit in the post, the change q₁f₁ − q₀f₀ splits as
//!   activity = (q₁ − q₀)·(f₀ + f₁)/2 and factor = (f₁ − f₀)·(q₀ + q₁)/2: the cross term
//!   (q₁ − q₀)(f₁ − f₀) is shared half and half (the Shapley split of two factors), so neither
//!   effect depends on which one is applied first. The factor effect is computed as the
//!   change minus the activity effect, so the three add up to the change to the last digit.

use crate::post::{Post, Scope};
use crate::report::{Destination, LineResult, Report};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rust_decimal::Decimal;
use std::sync::Arc;

/// A factor as the diff compares it, shared by the lines of a side that use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideFactor {
    /// Factor id.
    pub id: String,
    /// Factor name.
    pub name: String,
    /// Factor unit (`kgCO2e/kWh`).
    pub unit: String,
    /// Factor value, kgCO2e per unit.
    pub kgco2e: Decimal,
}

/// One line of a result, as the diff needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideLine {
    /// Line id.
    pub id: Arc<str>,
    /// Label.
    pub label: Arc<str>,
    /// Its factor.
    pub factor: Arc<SideFactor>,
    /// Units of the factor counted in the period (converted quantity, after amortisation).
    pub quantity: Decimal,
    /// Emissions by post.
    pub parts: Vec<(Post, Decimal)>,
}

/// The lines of a side, gathered from the lines' results in file order (a report's, or as
/// they are made and dropped): each line's id and label shared with its result, each factor
/// made once.
#[derive(Debug, Default)]
pub struct SideLines {
    lines: Vec<SideLine>,
    /// The factors made so far, by a hash of what the diff shows of them (seeded per
    /// process: the factors come from files).
    factors: HashMap<u64, Vec<Arc<SideFactor>>>,
    hasher: foldhash::fast::RandomState,
}

impl SideLines {
    /// Adds a computed line, when it is in the total.
    pub fn add(&mut self, l: &LineResult) {
        if l.destination != Destination::Emissions {
            return;
        }
        let quantity = match l.amortization {
            Some((_, true)) => Decimal::ZERO,
            Some((a, false)) => l.converted_quantity / Decimal::from(a.years),
            None => l.converted_quantity,
        };
        let f = &l.factor;
        let factor = self.factor(&f.id, &f.name, &f.unit, f.kgco2e);
        self.lines.push(SideLine {
            id: Arc::clone(&l.id),
            label: Arc::clone(&l.label),
            factor,
            quantity,
            parts: l.parts.clone(),
        });
    }

    /// Adds a line read otherwise (its factor from [`SideLines::factor`]).
    pub fn push(&mut self, line: SideLine) {
        self.lines.push(line);
    }

    /// A factor as compared: the one made already for the same id, name, unit and value
    /// (written alike), or a new one.
    pub fn factor(&mut self, id: &str, name: &str, unit: &str, kgco2e: Decimal) -> Arc<SideFactor> {
        use std::hash::BuildHasher;
        let hash = self
            .hasher
            .hash_one((id, name, unit, kgco2e, kgco2e.scale()));
        let same = self.factors.entry(hash).or_default();
        let found = same.iter().find(|s| {
            s.id == id
                && s.name == name
                && s.unit == unit
                && s.kgco2e == kgco2e
                && s.kgco2e.scale() == kgco2e.scale()
        });
        if let Some(found) = found {
            return Arc::clone(found);
        }
        let made = Arc::new(SideFactor {
            id: id.to_string(),
            name: name.to_string(),
            unit: unit.to_string(),
            kgco2e,
        });
        same.push(Arc::clone(&made));
        made
    }

    /// The lines added, in order.
    pub fn finish(self) -> Vec<SideLine> {
        self.lines
    }
}

impl crate::compute::SeeResults for SideLines {
    fn start(&mut self, _: &crate::inventory::Inventory) {
        *self = SideLines::default();
    }

    fn see(&mut self, line: &LineResult) {
        self.add(line);
    }
}

impl SideLine {
    fn in_post(&self, post: Post) -> Decimal {
        self.parts
            .iter()
            .filter(|(p, _)| *p == post)
            .map(|(_, v)| *v)
            .sum()
    }

    /// Ids `line-<n>` are given by position, not by the user: they are not used to match.
    fn has_own_id(&self) -> bool {
        !(self
            .id
            .strip_prefix("line-")
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())))
    }
}

/// One result: from a computed report, or read back from its saved JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    /// What to call it (the file name).
    pub name: String,
    /// Its period, as text.
    pub period: String,
    /// The 22 posts' kgCO2e.
    pub posts: Vec<Decimal>,
    /// The lines in the total (avoided emissions and removals left out).
    pub lines: Vec<SideLine>,
}

impl Side {
    /// The side of a computed report.
    pub fn from_report(name: &str, report: &Report) -> Side {
        let mut lines = SideLines::default();
        report.lines.iter().for_each(|line| lines.add(line));
        Side::with_lines(name, report, lines.finish())
    }

    /// The side of a report's totals, with its `lines` (gathered with [`SideLines`] from each
    /// line's result, when the report kept none).
    pub fn with_lines(name: &str, report: &Report, lines: Vec<SideLine>) -> Side {
        Side {
            name: name.to_string(),
            period: format!("{} – {}", report.period.start, report.period.end),
            posts: report.posts.iter().map(|p| p.figure.kgco2e).collect(),
            lines,
        }
    }

    fn post(&self, post: Post) -> Decimal {
        self.posts.get(post.index()).copied().unwrap_or_default()
    }
}

/// The three effects of a change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// Same factor, different quantity.
    pub activity: Decimal,
    /// Same activity, different factor value.
    pub factor: Decimal,
    /// Lines added or removed.
    pub perimeter: Decimal,
}

impl Effects {
    fn add(&mut self, other: &Effects) {
        self.activity += other.activity;
        self.factor += other.factor;
        self.perimeter += other.perimeter;
    }
}

/// How a line takes part in a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStatus {
    /// In both results.
    Matched,
    /// Only in the new one.
    Added,
    /// Only in the old one.
    Removed,
}

/// One line's part of a post's change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineChange {
    /// Id (the new one's when matched).
    pub id: String,
    /// Label (the new one's when matched).
    pub label: String,
    /// Matched, added or removed.
    pub status: LineStatus,
    /// kgCO2e in the post before.
    pub before: Decimal,
    /// kgCO2e in the post after.
    pub after: Decimal,
    /// Its effects.
    pub effects: Effects,
}

/// A before / after figure and its effects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// kgCO2e before.
    pub before: Decimal,
    /// kgCO2e after.
    pub after: Decimal,
    /// The effects, adding up to `after − before`.
    pub effects: Effects,
}

impl Change {
    /// after − before.
    pub fn delta(&self) -> Decimal {
        self.after - self.before
    }

    /// The change relative to `before`; `None` when `before` is 0.
    pub fn share(&self) -> Option<Decimal> {
        if self.before.is_zero() {
            None
        } else {
            self.delta().checked_div(self.before)
        }
    }
}

/// A post's change with the lines behind it (largest first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostChange {
    /// The post.
    pub post: Post,
    /// Its figures.
    pub change: Change,
    /// The lines that moved it, largest change first.
    pub lines: Vec<LineChange>,
}

/// A factor whose value differs between the two results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactorChange {
    /// Its id.
    pub id: String,
    /// Its name (the new one).
    pub name: String,
    /// Its unit.
    pub unit: String,
    /// kgCO2e per unit before.
    pub before: Decimal,
    /// kgCO2e per unit after.
    pub after: Decimal,
}

/// The whole comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diff {
    /// The old result's name and period.
    pub before: (String, String),
    /// The new result's name and period.
    pub after: (String, String),
    /// The 22 posts.
    pub posts: Vec<PostChange>,
    /// The 3 scopes.
    pub scopes: Vec<(Scope, Change)>,
    /// The total.
    pub total: Change,
    /// Factors used in both whose value changed.
    pub factors: Vec<FactorChange>,
}

/// Pairs lines: by the user's id, then by factor and label, in order. Returns the pairs
/// (before, after), the removed and the added lines' indices.
fn pair(before: &[SideLine], after: &[SideLine]) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let mut pairs = Vec::new();
    let mut used_before = HashSet::new();
    let mut used_after = HashSet::new();
    let by_id: HashMap<&str, usize> = after
        .iter()
        .enumerate()
        .filter(|(_, l)| l.has_own_id())
        .map(|(i, l)| (&*l.id, i))
        .collect();
    for (i, line) in before.iter().enumerate().filter(|(_, l)| l.has_own_id()) {
        if let Some(&j) = by_id.get(&*line.id) {
            pairs.push((i, j));
            used_before.insert(i);
            used_after.insert(j);
        }
    }
    let mut by_key: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (j, line) in after.iter().enumerate().rev() {
        if !used_after.contains(&j) {
            by_key
                .entry((line.factor.id.as_str(), &*line.label))
                .or_default()
                .push(j);
        }
    }
    for (i, line) in before.iter().enumerate() {
        if used_before.contains(&i) {
            continue;
        }
        if let Some(j) = by_key
            .get_mut(&(line.factor.id.as_str(), &*line.label))
            .and_then(Vec::pop)
        {
            pairs.push((i, j));
            used_before.insert(i);
            used_after.insert(j);
        }
    }
    pairs.sort_by_key(|(_, j)| *j);
    let removed = (0..before.len())
        .filter(|i| !used_before.contains(i))
        .collect();
    let added = (0..after.len())
        .filter(|j| !used_after.contains(j))
        .collect();
    (pairs, removed, added)
}

/// The effects of a matched line's change in one post.
fn matched_effects(b: &SideLine, a: &SideLine, before: Decimal, after: Decimal) -> Effects {
    let change = after - before;
    // The old quantity in the new factor's unit (MWh → kWh; a price year is not a unit).
    let per = |line: &SideLine| {
        crate::unit::parse(line.factor.unit.split_once('/').map_or("", |(_, p)| p))
    };
    let q0 = crate::unit::convert(b.quantity, &per(b), &per(a), None, 0)
        .ok()
        .map(|c| c.value);
    let activity = match q0 {
        None => Decimal::ZERO,
        Some(q0) if q0.is_zero() && a.quantity.is_zero() => Decimal::ZERO,
        Some(q0) => activity_effect(q0, a.quantity, before, after),
    };
    Effects {
        activity,
        factor: change - activity,
        perimeter: Decimal::ZERO,
    }
}

/// (q₁ − q₀)·(f₀ + f₁)/2 with f = emissions / quantity (a side with no quantity takes the
/// other side's f), rounded to 1e-12 kg.
fn activity_effect(q0: Decimal, q1: Decimal, before: Decimal, after: Decimal) -> Decimal {
    let per_unit = |e: Decimal, q: Decimal| if q.is_zero() { None } else { e.checked_div(q) };
    let (f0, f1) = match (per_unit(before, q0), per_unit(after, q1)) {
        (Some(f0), Some(f1)) => (f0, f1),
        (Some(f), None) | (None, Some(f)) => (f, f),
        (None, None) => (Decimal::ZERO, Decimal::ZERO),
    };
    // Checked: a pathological pair (huge quantity, tiny factor) gives its whole change to the
    // factor effect rather than overflow.
    q1.checked_sub(q0)
        .zip(f0.checked_add(f1))
        .and_then(|(dq, sf)| dq.checked_mul(sf))
        .map_or(Decimal::ZERO, |v| (v / Decimal::TWO).round_dp(12))
}

/// How many lines to keep behind each post's change.
pub const TOP_LINES: usize = 5;

/// Compares `before` with `after`.
pub fn diff(before: &Side, after: &Side) -> Diff {
    let (pairs, removed, added) = pair(&before.lines, &after.lines);
    let mut posts = Vec::new();
    for post in Post::all() {
        let mut lines = Vec::new();
        for &(i, j) in &pairs {
            let (Some(b), Some(a)) = (before.lines.get(i), after.lines.get(j)) else {
                continue;
            };
            let (eb, ea) = (b.in_post(post), a.in_post(post));
            if eb.is_zero() && ea.is_zero() {
                continue;
            }
            lines.push(LineChange {
                id: a.id.to_string(),
                label: a.label.to_string(),
                status: LineStatus::Matched,
                before: eb,
                after: ea,
                effects: matched_effects(b, a, eb, ea),
            });
        }
        let one_sided = removed
            .iter()
            .filter_map(|i| before.lines.get(*i).map(|l| (l, LineStatus::Removed)))
            .chain(
                added
                    .iter()
                    .filter_map(|j| after.lines.get(*j).map(|l| (l, LineStatus::Added))),
            );
        for (line, status) in one_sided {
            let e = line.in_post(post);
            if e.is_zero() {
                continue;
            }
            let (b, a) = if status == LineStatus::Removed {
                (e, Decimal::ZERO)
            } else {
                (Decimal::ZERO, e)
            };
            lines.push(LineChange {
                id: line.id.to_string(),
                label: line.label.to_string(),
                status,
                before: b,
                after: a,
                effects: Effects {
                    perimeter: a - b,
                    ..Effects::default()
                },
            });
        }
        let mut effects = Effects::default();
        for line in &lines {
            effects.add(&line.effects);
        }
        lines.sort_by_key(|l| std::cmp::Reverse((l.after - l.before).abs()));
        lines.retain(|l| l.after != l.before);
        lines.truncate(TOP_LINES);
        posts.push(PostChange {
            post,
            change: Change {
                before: before.post(post),
                after: after.post(post),
                effects,
            },
            lines,
        });
    }
    let sum = |changes: &mut dyn Iterator<Item = &PostChange>| {
        let mut total = Change {
            before: Decimal::ZERO,
            after: Decimal::ZERO,
            effects: Effects::default(),
        };
        for c in changes {
            total.before += c.change.before;
            total.after += c.change.after;
            total.effects.add(&c.change.effects);
        }
        total
    };
    let scopes = Scope::ALL
        .iter()
        .map(|s| (*s, sum(&mut posts.iter().filter(|p| p.post.scope() == *s))))
        .collect();
    let total = sum(&mut posts.iter());
    Diff {
        before: (before.name.clone(), before.period.clone()),
        after: (after.name.clone(), after.period.clone()),
        posts,
        scopes,
        total,
        factors: factor_changes(before, after),
    }
}

/// The factors for which `used` holds whose value differs between two bases, in id order as
/// text: the value changes of [`crate::factor_diff::compare`], for `diff --factors-old
/// --factors-new`.
pub fn factor_value_changes<'a>(
    old: impl IntoIterator<Item = &'a crate::factor::Factor>,
    new: impl IntoIterator<Item = &'a crate::factor::Factor>,
    used: impl Fn(&str) -> bool,
) -> Vec<FactorChange> {
    let mut changes: Vec<FactorChange> = crate::factor_diff::compare(old, new)
        .changed
        .into_iter()
        .filter(|c| c.value && used(&c.new.id))
        .map(|c| FactorChange {
            id: c.new.id.clone(),
            name: c.new.name.clone(),
            unit: c.new.unit.clone(),
            before: c.old.kgco2e,
            after: c.new.kgco2e,
        })
        .collect();
    changes.sort_by(|a, b| a.id.cmp(&b.id));
    changes
}

fn factor_changes(before: &Side, after: &Side) -> Vec<FactorChange> {
    let old: HashMap<&str, &SideFactor> = before
        .lines
        .iter()
        .map(|l| (l.factor.id.as_str(), &*l.factor))
        .collect();
    let mut seen = std::collections::BTreeMap::new();
    for line in &after.lines {
        let f = &line.factor;
        if let Some(b) = old.get(f.id.as_str())
            && b.kgco2e != f.kgco2e
        {
            seen.entry(f.id.clone()).or_insert_with(|| FactorChange {
                id: f.id.clone(),
                name: f.name.clone(),
                unit: f.unit.clone(),
                before: b.kgco2e,
                after: f.kgco2e,
            });
        }
    }
    seen.into_values().collect()
}

/// A `--fail-above` threshold: for one post, or (`None`) the total and every post.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Threshold {
    /// The post it is for, or all.
    pub post: Option<Post>,
    /// The largest allowed relative change (0.05 for 5 %).
    pub share: Decimal,
}

/// The figures whose change exceeds their threshold: (what, change share or `None` for a
/// figure that appeared from 0).
pub fn exceeded(diff: &Diff, thresholds: &[Threshold]) -> Vec<(String, Option<Decimal>)> {
    let general = thresholds
        .iter()
        .find(|t| t.post.is_none())
        .map(|t| t.share);
    let over = |change: &Change, limit: Decimal| match change.share() {
        Some(share) => share.abs() > limit,
        None => !change.after.is_zero(),
    };
    let mut out = Vec::new();
    if let Some(limit) = general
        && over(&diff.total, limit)
    {
        out.push(("total".to_string(), diff.total.share()));
    }
    for p in &diff.posts {
        let limit = thresholds
            .iter()
            .find(|t| t.post == Some(p.post))
            .map(|t| t.share)
            .or(general);
        if let Some(limit) = limit
            && over(&p.change, limit)
        {
            out.push((format!("post {}", p.post), p.change.share()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_one_factor_share_it_and_a_value_written_otherwise_is_another() {
        let mut lines = SideLines::default();
        let a = lines.factor("42513", "Électricité", "kgCO2e/kWh", Decimal::new(52, 3));
        let b = lines.factor("42513", "Électricité", "kgCO2e/kWh", Decimal::new(52, 3));
        assert!(Arc::ptr_eq(&a, &b));
        // 0.0520 equals 0.052 but is written otherwise: the diff shows what each side says.
        let c = lines.factor("42513", "Électricité", "kgCO2e/kWh", Decimal::new(520, 4));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(c.kgco2e.to_string(), "0.0520");
        let d = lines.factor("42513", "Électricité", "kgCO2e/MWh", Decimal::new(52, 3));
        assert!(!Arc::ptr_eq(&a, &d));
        assert_eq!((d.id.as_str(), d.unit.as_str()), ("42513", "kgCO2e/MWh"));
    }
}
