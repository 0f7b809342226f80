//! The lines of one side of a diff, kept compactly: both sides' lines are held at once to be
//! paired, so a line takes about 60 bytes here (its texts in shared blocks, its factor an
//! index, its one part inline) where a line's result takes several hundred.

use crate::post::Post;
use crate::report::{Destination, LineResult};
use foldhash::HashMap;
use rust_decimal::Decimal;
use std::fmt;

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

/// A line's id: as written, or `line-<n>`, given by its place, kept as its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineId<'a> {
    /// Written in the inventory or the saved result.
    Written(&'a str),
    /// `line-<n>`.
    Numbered(u32),
}

impl<'a> LineId<'a> {
    /// The id when the user gave it: ids `line-<n>` are places, not names, and do not match.
    pub fn own(self) -> Option<&'a str> {
        match self {
            LineId::Written(id) if !is_place(id) => Some(id),
            _ => None,
        }
    }
}

impl fmt::Display for LineId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineId::Written(id) => f.write_str(id),
            LineId::Numbered(n) => write!(f, "line-{n}"),
        }
    }
}

/// The number of an id written exactly as `line-<n>` prints it (no sign, no leading zero).
fn numbered(id: &str) -> Option<u32> {
    let digits = id.strip_prefix("line-")?;
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
}

/// `line-` and digits (`line-007` too): a place, not a name.
fn is_place(id: &str) -> bool {
    id.strip_prefix("line-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// One line of a side, as the diff reads it.
#[derive(Clone, Copy, Debug)]
pub struct SideLine<'a> {
    /// Line id.
    pub id: LineId<'a>,
    /// Label.
    pub label: &'a str,
    /// Its factor.
    pub factor: &'a SideFactor,
    /// Units of the factor counted in the period (converted quantity, after amortisation).
    pub quantity: Decimal,
    /// Emissions by post.
    pub parts: &'a [(Post, Decimal)],
}

impl SideLine<'_> {
    /// Its emissions in `post`.
    pub fn in_post(&self, post: Post) -> Decimal {
        self.parts
            .iter()
            .filter(|(p, _)| *p == post)
            .map(|(_, v)| *v)
            .sum()
    }
}

/// A factor of a side, by its place in the side's factors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FactorIndex(u32);

/// A line as stored: where its texts are, its factor's index, its parts.
#[derive(Clone, Debug)]
struct Packed {
    /// Its text block, and where its texts start there: the id (when written), then the label.
    block: u32,
    start: u32,
    id: PackedId,
    label_len: u32,
    factor: FactorIndex,
    quantity: Decimal,
    parts: PackedParts,
}

#[derive(Clone, Copy, Debug)]
enum PackedId {
    /// Written, of this length in bytes.
    Written(u32),
    Numbered(u32),
}

#[derive(Clone, Copy, Debug)]
enum PackedParts {
    /// The one part of most lines.
    One((Post, Decimal)),
    /// Parts `start..start + count` of the side's other parts.
    Many { start: u32, count: u32 },
}

/// Lines a block of lines holds: blocks are never moved as lines come, so that a side does
/// not briefly take twice its room when it grows.
const LINE_BLOCK: usize = 1 << 14;
/// Bytes a block of texts is made with.
const TEXT_BLOCK: usize = 1 << 20;

/// The lines of a side, gathered in file order from the lines' results (a report's, or as
/// they are made and dropped) or read from a saved result; each factor kept once.
#[derive(Clone, Debug, Default)]
pub struct SideLines {
    lines: Vec<Vec<Packed>>,
    len: usize,
    texts: Vec<String>,
    /// Parts of the lines with more than one.
    parts: Vec<(Post, Decimal)>,
    factors: Vec<SideFactor>,
    /// The factors made so far, by a hash of what the diff shows of them (seeded per
    /// process: the factors come from files).
    factor_hashes: HashMap<u64, Vec<FactorIndex>>,
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
        self.push(&l.id, &l.label, factor, quantity, &l.parts);
    }

    /// Adds a line read otherwise (its factor from [`SideLines::factor`]).
    pub fn push(
        &mut self,
        id: &str,
        label: &str,
        factor: FactorIndex,
        quantity: Decimal,
        parts: &[(Post, Decimal)],
    ) {
        let number = numbered(id);
        let written = if number.is_some() { "" } else { id };
        let (block, start) = self.text(written, label);
        let packed_parts = match parts {
            [part] => PackedParts::One(*part),
            _ => {
                let start = narrow(self.parts.len());
                self.parts.extend_from_slice(parts);
                PackedParts::Many {
                    start,
                    count: narrow(parts.len()),
                }
            }
        };
        let packed = Packed {
            block,
            start,
            id: match number {
                Some(n) => PackedId::Numbered(n),
                None => PackedId::Written(narrow(id.len())),
            },
            label_len: narrow(label.len()),
            factor,
            quantity,
            parts: packed_parts,
        };
        match self.lines.last_mut() {
            Some(block) if block.len() < LINE_BLOCK => block.push(packed),
            _ => {
                let mut block = Vec::with_capacity(LINE_BLOCK);
                block.push(packed);
                self.lines.push(block);
            }
        }
        self.len += 1;
    }

    /// Stores a line's id and label side by side; where they start.
    fn text(&mut self, id: &str, label: &str) -> (u32, u32) {
        let len = id.len() + label.len();
        let fits = self
            .texts
            .last()
            .is_some_and(|t| t.capacity() - t.len() >= len);
        if !fits {
            self.texts.push(String::with_capacity(TEXT_BLOCK.max(len)));
        }
        let block = narrow(self.texts.len() - 1);
        let Some(text) = self.texts.last_mut() else {
            return (0, 0);
        };
        let start = narrow(text.len());
        text.push_str(id);
        text.push_str(label);
        (block, start)
    }

    /// A factor as compared: the one made already for the same id, name, unit and value
    /// (written alike), or a new one.
    pub fn factor(&mut self, id: &str, name: &str, unit: &str, kgco2e: Decimal) -> FactorIndex {
        use std::hash::BuildHasher;
        let hash = self
            .hasher
            .hash_one((id, name, unit, kgco2e, kgco2e.scale()));
        let same = self.factor_hashes.entry(hash).or_default();
        let found = same.iter().find(|i| {
            self.factors.get(i.0 as usize).is_some_and(|s| {
                s.id == id
                    && s.name == name
                    && s.unit == unit
                    && s.kgco2e == kgco2e
                    && s.kgco2e.scale() == kgco2e.scale()
            })
        });
        if let Some(found) = found {
            return *found;
        }
        let made = FactorIndex(narrow(self.factors.len()));
        self.factors.push(SideFactor {
            id: id.to_string(),
            name: name.to_string(),
            unit: unit.to_string(),
            kgco2e,
        });
        same.push(made);
        made
    }

    /// The number of lines.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no line.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Line `i` (0-based, in file order).
    pub fn get(&self, i: usize) -> Option<SideLine<'_>> {
        let packed = self.lines.get(i / LINE_BLOCK)?.get(i % LINE_BLOCK)?;
        let text = self.texts.get(packed.block as usize)?;
        let start = packed.start as usize;
        let (id, label_start) = match packed.id {
            PackedId::Numbered(n) => (LineId::Numbered(n), start),
            PackedId::Written(len) => {
                let end = start + len as usize;
                (LineId::Written(text.get(start..end)?), end)
            }
        };
        let label = text.get(label_start..label_start + packed.label_len as usize)?;
        let parts = match &packed.parts {
            PackedParts::One(part) => std::slice::from_ref(part),
            PackedParts::Many { start, count } => {
                let start = *start as usize;
                self.parts.get(start..start + *count as usize)?
            }
        };
        Some(SideLine {
            id,
            label,
            factor: self.factors.get(packed.factor.0 as usize)?,
            quantity: packed.quantity,
            parts,
        })
    }

    /// The lines, in file order.
    pub fn iter(&self) -> impl Iterator<Item = SideLine<'_>> {
        (0..self.len).filter_map(|i| self.get(i))
    }

    /// The factors of the lines, each once, in the order first used.
    pub fn factors(&self) -> &[SideFactor] {
        &self.factors
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

/// A count or offset within a side as stored: a side holds far fewer than 4 billion lines,
/// parts or bytes of text in a block (its inventory is at most a few hundred megabytes).
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_line_n_are_kept_as_numbers_and_only_other_ids_match() {
        for (id, number, own) in [
            ("line-12", Some(12), None),
            ("line-0", Some(0), None),
            ("line-007", None, None),
            ("line-", None, Some("line-")),
            ("line-+5", None, Some("line-+5")),
            ("line-99999999999", None, None),
            ("gaz", None, Some("gaz")),
        ] {
            assert_eq!(numbered(id), number, "{id}");
            let mut side = SideLines::default();
            let factor = side.factor("f", "F", "kgCO2e/kWh", Decimal::ONE);
            side.push(id, "label", factor, Decimal::ONE, &[]);
            let line = side.get(0).unwrap_or_else(|| unreachable!());
            assert_eq!(line.id.to_string(), id);
            assert_eq!(line.id.own(), own, "{id}");
            assert_eq!(line.label, "label");
        }
    }

    #[test]
    fn every_line_reads_back_as_pushed_across_blocks() {
        let posts: Vec<Post> = Post::all().collect();
        // More lines than a block holds, and labels long enough to fill several text blocks.
        type Pushed = (String, String, Vec<(Post, Decimal)>);
        let lines: Vec<Pushed> = (0..40_000u32)
            .map(|i| {
                let id = match i % 3 {
                    0 => format!("line-{i}"),
                    1 => format!("own-{i}"),
                    _ => String::new(),
                };
                let label = if i % 1000 == 7 {
                    "é".repeat(20_000 + i as usize)
                } else {
                    format!("L{i}")
                };
                let parts = (0..i % 4)
                    .map(|p| {
                        let post = posts.get((i + p) as usize % posts.len()).copied();
                        (
                            post.unwrap_or_else(|| unreachable!()),
                            Decimal::new(i64::from(i), p),
                        )
                    })
                    .collect();
                (id, label, parts)
            })
            .collect();
        let mut side = SideLines::default();
        for (i, (id, label, parts)) in lines.iter().enumerate() {
            let factor = side.factor(&format!("f{}", i % 7), "F", "kgCO2e/kWh", Decimal::ONE);
            side.push(id, label, factor, Decimal::from(i), parts);
        }
        assert_eq!(side.len(), lines.len());
        assert!(
            side.texts.len() > 1 && side.lines.len() > 1,
            "blocks crossed"
        );
        assert_eq!(side.factors().len(), 7);
        for (i, (id, label, parts)) in lines.iter().enumerate() {
            let line = side.get(i).unwrap_or_else(|| panic!("line {i} missing"));
            assert_eq!(line.id.to_string(), *id);
            assert_eq!(line.label, label);
            assert_eq!(line.quantity, Decimal::from(i));
            assert_eq!(line.parts, parts.as_slice());
            assert_eq!(line.factor.id, format!("f{}", i % 7));
        }
        assert!(side.get(lines.len()).is_none());
        assert_eq!(side.iter().count(), lines.len());
    }
}
