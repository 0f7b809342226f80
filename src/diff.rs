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
use crate::report::Report;
use foldhash::HashMap;
use rust_decimal::Decimal;

mod side_lines;

pub use side_lines::{FactorIndex, LineId, Parts, SideFactor, SideLine, SideLines};
use side_lines::{Key, narrow};

/// One result: from a computed report, or read back from its saved JSON.
#[derive(Clone, Debug)]
pub struct Side {
    /// What to call it (the file name).
    pub name: String,
    /// Its period, as text.
    pub period: String,
    /// The 22 posts' kgCO2e.
    pub posts: Vec<Decimal>,
    /// The lines in the total (avoided emissions and removals left out).
    pub lines: SideLines,
}

impl Side {
    /// The side of a computed report.
    pub fn from_report(name: &str, report: &Report) -> Side {
        let mut lines = SideLines::default();
        report.lines.iter().for_each(|line| lines.add(line));
        Side::with_lines(name, report, lines)
    }

    /// The side of a report's totals, with its `lines` (gathered with [`SideLines`] from each
    /// line's result, when the report kept none).
    pub fn with_lines(name: &str, report: &Report, lines: SideLines) -> Side {
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
///
/// The lines after are looked up in lists of their places sorted by key ([`Ordered`]: 16
/// bytes a line, where a map of keys would take a hundred).
fn pair(before: &SideLines, after: &SideLines) -> (Vec<(u32, u32)>, Vec<u32>, Vec<u32>) {
    fn key(side: &SideLines, j: u32) -> Key<'_> {
        side.key(j as usize).unwrap_or_default()
    }
    let mut pairs = Vec::new();
    let mut used_before = vec![false; before.len()];
    let mut used_after = vec![false; after.len()];
    // By id (unique on a side: an inventory or a saved result that repeats one is refused;
    // were one repeated, its last line would be taken).
    let id = |j: u32| key(after, j).own_id.unwrap_or_default();
    let by_id = Ordered::new(after.len(), |j| key(after, j).own_id.map(|id| (0, id)), id);
    for i in 0..narrow(before.len()) {
        let Some(own) = key(before, i).own_id else {
            continue;
        };
        let end = by_id.end(0, own, id);
        let Some(j) = end.checked_sub(1).and_then(|last| by_id.line(last)) else {
            continue;
        };
        if id(j) == own {
            pairs.push((i, j));
            mark(&mut used_before, i as usize);
            mark(&mut used_after, j as usize);
        }
    }
    drop(by_id);
    // By factor and label: the lines after left, of each key in file order, taken in turn.
    // A factor id is ranked among the ids after; the lines after are ordered by that rank.
    let mut ids: Vec<&[u8]> = after.factors().iter().map(|f| f.id.as_bytes()).collect();
    ids.sort_unstable();
    ids.dedup();
    let rank = |id: &[u8]| ids.binary_search(&id).ok().map(narrow);
    let ranks: Vec<u32> = after
        .factors()
        .iter()
        .map(|f| rank(f.id.as_bytes()).unwrap_or(u32::MAX))
        .collect();
    let label = |j: u32| key(after, j).label;
    let by_key = Ordered::new(
        after.len(),
        |j| {
            if marked(&used_after, j as usize) {
                return None;
            }
            let k = key(after, j);
            Some((ranks.get(k.factor_at).copied().unwrap_or(u32::MAX), k.label))
        },
        label,
    );
    // Lines taken from each key's run, kept at the run's first place.
    let mut taken = vec![0u32; by_key.len()];
    for i in 0..narrow(before.len()) {
        if marked(&used_before, i as usize) {
            continue;
        }
        let wanted = key(before, i);
        let Some(rank) = rank(wanted.factor) else {
            continue;
        };
        let start = by_key.start(rank, wanted.label, label);
        let Some(count) = taken.get_mut(start) else {
            continue;
        };
        let Some(j) = by_key.line(start + *count as usize) else {
            continue;
        };
        if !by_key.has(start + *count as usize, rank, wanted.label, label) {
            continue;
        }
        *count += 1;
        pairs.push((i, j));
        mark(&mut used_before, i as usize);
        mark(&mut used_after, j as usize);
    }
    pairs.sort_by_key(|(_, j)| *j);
    let removed = (0..narrow(before.len()))
        .filter(|i| !marked(&used_before, *i as usize))
        .collect();
    let added = (0..narrow(after.len()))
        .filter(|j| !marked(&used_after, *j as usize))
        .collect();
    (pairs, removed, added)
}

/// Lines sorted by a rank and a text, then by place. Each is kept with its rank and the
/// text's first eight bytes, so that most comparisons read no line; a tie on those reads
/// the whole texts.
struct Ordered(Vec<(u32, u64, u32)>);

/// A text's first eight bytes as a number that orders as they do (a shorter text padded with
/// zeros: a tie then reads the whole texts).
fn prefix(text: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    for (b, t) in bytes.iter_mut().zip(text) {
        *b = *t;
    }
    u64::from_be_bytes(bytes)
}

impl Ordered {
    /// The lines below `len` that `of` ranks and gives a text, sorted; `text` gives the
    /// text again.
    fn new<'a>(
        len: usize,
        of: impl Fn(u32) -> Option<(u32, &'a [u8])>,
        text: impl Fn(u32) -> &'a [u8],
    ) -> Ordered {
        let mut lines: Vec<(u32, u64, u32)> = (0..narrow(len))
            .filter_map(|j| of(j).map(|(rank, t)| (rank, prefix(t), j)))
            .collect();
        lines.sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| text(a.2).cmp(text(b.2)))
                .then(a.2.cmp(&b.2))
        });
        Ordered(lines)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    /// The line at sorted place `at`.
    fn line(&self, at: usize) -> Option<u32> {
        self.0.get(at).map(|(_, _, j)| *j)
    }

    /// How `(rank, text)` compares with the line at `e`.
    fn cmp<'a>(
        e: &(u32, u64, u32),
        rank: u32,
        wanted: &[u8],
        text: &impl Fn(u32) -> &'a [u8],
    ) -> std::cmp::Ordering {
        (e.0, e.1)
            .cmp(&(rank, prefix(wanted)))
            .then_with(|| text(e.2).cmp(wanted))
    }

    /// The first sorted place whose line is not before `(rank, wanted)`.
    fn start<'a>(&self, rank: u32, wanted: &[u8], text: impl Fn(u32) -> &'a [u8]) -> usize {
        self.0
            .partition_point(|e| Self::cmp(e, rank, wanted, &text).is_lt())
    }

    /// The first sorted place whose line is after `(rank, wanted)`.
    fn end<'a>(&self, rank: u32, wanted: &[u8], text: impl Fn(u32) -> &'a [u8]) -> usize {
        self.0
            .partition_point(|e| Self::cmp(e, rank, wanted, &text).is_le())
    }

    /// Whether the line at sorted place `at` is `(rank, wanted)`.
    fn has<'a>(&self, at: usize, rank: u32, wanted: &[u8], text: impl Fn(u32) -> &'a [u8]) -> bool {
        self.0
            .get(at)
            .is_some_and(|e| Self::cmp(e, rank, wanted, &text).is_eq())
    }
}

/// Marks place `i` as used.
fn mark(used: &mut [bool], i: usize) {
    if let Some(place) = used.get_mut(i) {
        *place = true;
    }
}

/// Whether place `i` is used.
fn marked(used: &[bool], i: usize) -> bool {
    used.get(i).copied().unwrap_or(false)
}

/// The old quantity of a matched pair in the new factor's unit (MWh → kWh; a price year is
/// not a unit); `None` when the units do not convert. `units` keeps the units read so far.
fn old_quantity<'a>(
    b: &SideLine<'a>,
    a: &SideLine<'a>,
    units: &mut HashMap<&'a str, crate::unit::Unit>,
) -> Option<Decimal> {
    let per = |line: &SideLine<'a>| line.factor.unit.split_once('/').map_or("", |(_, p)| p);
    let (from, to) = (per(b), per(a));
    for text in [from, to] {
        if !units.contains_key(text) {
            units.insert(text, crate::unit::parse(text));
        }
    }
    crate::unit::convert(b.quantity, units.get(from)?, units.get(to)?, None, 0)
        .ok()
        .map(|c| c.value)
}

/// The effects of a matched line's change in one post, `q0` its [`old_quantity`].
fn matched_effects(
    q0: Option<Decimal>,
    a: &SideLine<'_>,
    before: Decimal,
    after: Decimal,
) -> Effects {
    let change = after - before;
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

/// A post's change as the lines come: the sum of their effects, and the lines that moved
/// it most so far.
#[derive(Default)]
struct PostLines {
    effects: Effects,
    /// At most [`TOP_LINES`], by decreasing change, the first come first among equals.
    top: Vec<(Decimal, LineChange)>,
}

impl PostLines {
    /// Adds a line's effects, and keeps the line when it is among the largest changes.
    fn add(
        &mut self,
        effects: &Effects,
        before: Decimal,
        after: Decimal,
        line: impl FnOnce() -> LineChange,
    ) {
        self.effects.add(effects);
        if after == before {
            return;
        }
        let size = (after - before).abs();
        let at = self.top.partition_point(|(kept, _)| *kept >= size);
        if at < TOP_LINES {
            self.top.insert(at, (size, line()));
            self.top.truncate(TOP_LINES);
        }
    }
}

/// The posts a line has a part in, once each.
fn posts_of<'a, 'b: 'a>(lines: impl IntoIterator<Item = &'a SideLine<'b>>) -> Vec<Post> {
    let mut posts: Vec<Post> = Vec::with_capacity(2);
    for line in lines {
        for (post, _) in line.parts.iter() {
            if !posts.contains(&post) {
                posts.push(post);
            }
        }
    }
    posts
}

/// Compares `before` with `after`.
pub fn diff(before: &Side, after: &Side) -> Diff {
    let (pairs, removed, added) = pair(&before.lines, &after.lines);
    // Each post sees its lines in the same order: the pairs, then the lines removed, then
    // those added; one pass over the lines for all posts.
    let mut by_post: Vec<PostLines> = Post::all().map(|_| PostLines::default()).collect();
    let mut units = HashMap::default();
    for &(i, j) in &pairs {
        let (Some(b), Some(a)) = (before.lines.get(i as usize), after.lines.get(j as usize)) else {
            continue;
        };
        let mut q0 = None;
        for post in posts_of([&b, &a]) {
            let (eb, ea) = (b.in_post(post), a.in_post(post));
            if eb.is_zero() && ea.is_zero() {
                continue;
            }
            let q0 = *q0.get_or_insert_with(|| old_quantity(&b, &a, &mut units));
            let Some(lines) = by_post.get_mut(post.index()) else {
                continue;
            };
            let effects = matched_effects(q0, &a, eb, ea);
            lines.add(&effects, eb, ea, || LineChange {
                id: a.id.to_string(),
                label: a.label.to_string(),
                status: LineStatus::Matched,
                before: eb,
                after: ea,
                effects,
            });
        }
    }
    let one_sided = removed
        .iter()
        .filter_map(|i| {
            before
                .lines
                .get(*i as usize)
                .map(|l| (l, LineStatus::Removed))
        })
        .chain(
            added
                .iter()
                .filter_map(|j| after.lines.get(*j as usize).map(|l| (l, LineStatus::Added))),
        );
    for (line, status) in one_sided {
        for post in posts_of([&line]) {
            let e = line.in_post(post);
            if e.is_zero() {
                continue;
            }
            let (b, a) = if status == LineStatus::Removed {
                (e, Decimal::ZERO)
            } else {
                (Decimal::ZERO, e)
            };
            let effects = Effects {
                perimeter: a - b,
                ..Effects::default()
            };
            let Some(lines) = by_post.get_mut(post.index()) else {
                continue;
            };
            lines.add(&effects, b, a, || LineChange {
                id: line.id.to_string(),
                label: line.label.to_string(),
                status,
                before: b,
                after: a,
                effects,
            });
        }
    }
    let posts: Vec<PostChange> = Post::all()
        .zip(by_post)
        .map(|(post, lines)| PostChange {
            post,
            change: Change {
                before: before.post(post),
                after: after.post(post),
                effects: lines.effects,
            },
            lines: lines.top.into_iter().map(|(_, line)| line).collect(),
        })
        .collect();
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
    // The factor of the last line naming each id.
    let old: HashMap<&str, &SideFactor> = before
        .lines
        .iter()
        .map(|l| (l.factor.id.as_str(), l.factor))
        .collect();
    let mut seen = std::collections::BTreeMap::new();
    for line in after.lines.iter() {
        let f = line.factor;
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
        assert_eq!(a, b);
        // 0.0520 equals 0.052 but is written otherwise: the diff shows what each side says.
        let c = lines.factor("42513", "Électricité", "kgCO2e/kWh", Decimal::new(520, 4));
        assert_ne!(a, c);
        let d = lines.factor("42513", "Électricité", "kgCO2e/MWh", Decimal::new(52, 3));
        assert_ne!(a, d);
        assert_eq!(lines.factors().len(), 3);
        let [_, c, d] = lines.factors() else {
            unreachable!()
        };
        assert_eq!(c.kgco2e.to_string(), "0.0520");
        assert_eq!((d.id.as_str(), d.unit.as_str()), ("42513", "kgCO2e/MWh"));
    }

    /// The pairing as its doc says it, a line at a time: each own id before with the last
    /// line after of that id; then each line before left, in order, with the first line after
    /// left of the same factor id and label.
    fn pair_plainly(
        before: &SideLines,
        after: &SideLines,
    ) -> (Vec<(u32, u32)>, Vec<u32>, Vec<u32>) {
        let b: Vec<SideLine<'_>> = before.iter().collect();
        let a: Vec<SideLine<'_>> = after.iter().collect();
        let (mut used_b, mut used_a) = (vec![false; b.len()], vec![false; a.len()]);
        let mut pairs = Vec::new();
        for (i, line) in b.iter().enumerate() {
            let Some(own) = line.id.own() else { continue };
            if let Some(j) = (0..a.len()).rev().find(|j| a[*j].id.own() == Some(own)) {
                pairs.push((i, j));
                (used_b[i], used_a[j]) = (true, true);
            }
        }
        for (i, line) in b.iter().enumerate() {
            if used_b[i] {
                continue;
            }
            let same = |l: &SideLine<'_>| l.factor.id == line.factor.id && l.label == line.label;
            if let Some(j) = (0..a.len()).find(|j| !used_a[*j] && same(&a[*j])) {
                pairs.push((i, j));
                (used_b[i], used_a[j]) = (true, true);
            }
        }
        pairs.sort_by_key(|(_, j)| *j);
        let left = |used: &[bool]| (0..used.len()).filter(|i| !used[*i]).map(narrow).collect();
        let pairs = pairs
            .into_iter()
            .map(|(i, j)| (narrow(i), narrow(j)))
            .collect();
        (pairs, left(&used_b), left(&used_a))
    }

    /// A side of lines chosen from a few ids, factors and labels alike in their first eight
    /// bytes or differing by a trailing NUL (each a choice of id, factor and label).
    fn side_of(lines: &[(u8, u8, u8)]) -> SideLines {
        const IDS: [&str; 7] = ["a", "b", "ab", "abcdefgh", "abcdefghi", "line-", "line-+1"];
        const FACTORS: [(&str, &str); 5] = [
            ("f1", "F"),
            ("f1", "G"),
            ("f2", "F"),
            ("f10", "F"),
            ("f1\0", "F"),
        ];
        const LABELS: [&str; 11] = [
            "",
            "A",
            "A\0",
            "A\0\0",
            "AB",
            "ABCDEFGH",
            "ABCDEFGH\0",
            "ABCDEFGHI",
            "ABCDEFGHJ",
            "é",
            "\u{ff}",
        ];
        let post = Post::all().next().unwrap_or_else(|| unreachable!());
        let mut side = SideLines::default();
        let mut given = std::collections::HashSet::new();
        for (place, &(id, factor, label)) in (1..).zip(lines) {
            let id = match IDS.get(usize::from(id)) {
                Some(own) if given.insert(*own) => (*own).to_string(),
                // A place written with a leading zero is not an id either.
                _ if id % 2 == 0 => format!("line-0{place}"),
                _ => format!("line-{place}"),
            };
            let (f, name) = FACTORS[usize::from(factor) % FACTORS.len()];
            let factor = side.factor(f, name, "kgCO2e/kWh", Decimal::ONE);
            let label = LABELS[usize::from(label) % LABELS.len()];
            side.push(&id, label, factor, Decimal::ONE, &[(post, Decimal::ONE)]);
        }
        side
    }

    proptest::proptest! {
        // A failing case is printed, not written into the repository.
        #![proptest_config(proptest::test_runner::Config {
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]
        #[test]
        fn the_pairing_is_the_plain_pairing(
            before in proptest::collection::vec((0u8..12, 0u8..5, 0u8..11), 0..40),
            after in proptest::collection::vec((0u8..12, 0u8..4, 0u8..11), 0..40),
        ) {
            let (before, after) = (side_of(&before), side_of(&after));
            proptest::prop_assert_eq!(pair(&before, &after), pair_plainly(&before, &after));
        }
    }

    #[test]
    fn lines_pair_by_own_id_then_by_factor_and_label_in_turn() {
        let side = |lines: &[(&str, &str, &str)]| {
            let mut side = SideLines::default();
            let post = Post::all().next().unwrap_or_else(|| unreachable!());
            for (id, factor, label) in lines {
                let factor = side.factor(factor, "F", "kgCO2e/kWh", Decimal::ONE);
                side.push(id, label, factor, Decimal::ONE, &[(post, Decimal::ONE)]);
            }
            side
        };
        let before = side(&[
            ("a", "f1", "L"),
            ("line-2", "f1", "X"),
            ("line-3", "f1", "X"),
            ("line-4", "f2", "Y"),
            ("e", "f1", "X"),
            ("line-6", "f3", "W"),
        ]);
        let after = side(&[
            ("line-1", "f1", "X"),
            ("a", "f9", "Z"),
            ("line-3", "f1", "X"),
            ("line-4", "f1", "X"),
            ("zz", "f2", "Y"),
            ("line-6", "f3", "V"),
        ]);
        // `a` by its id, whatever its factor and label; the rest by factor and label, the
        // lines of a key taken in file order (ids `line-<n>` are places, not names; `e`, an
        // id found nowhere after, pairs by its key too).
        let (pairs, removed, added) = pair(&before, &after);
        assert_eq!(pairs, [(1, 0), (0, 1), (2, 2), (4, 3), (3, 4)]);
        assert_eq!((removed, added), (vec![5], vec![5]));
    }
}
