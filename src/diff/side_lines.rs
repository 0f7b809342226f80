//! The lines of one side of a diff, kept compactly: both sides' lines are held at once to be
//! paired, so a line takes a few dozen bytes here (a record of its id, label, factor's index,
//! quantity and parts) where a line's result takes several hundred.

use crate::blocks::Blocks;
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
    is_place_bytes(id.as_bytes())
}

/// [`is_place`] of an id's bytes.
fn is_place_bytes(id: &[u8]) -> bool {
    id.strip_prefix(b"line-")
        .is_some_and(|n| !n.is_empty() && n.iter().all(u8::is_ascii_digit))
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
    pub parts: Parts<'a>,
}

impl SideLine<'_> {
    /// Its emissions in `post`.
    pub fn in_post(&self, post: Post) -> Decimal {
        self.parts
            .iter()
            .filter(|(p, _)| *p == post)
            .map(|(_, v)| v)
            .sum()
    }
}

/// A line's emissions by post, read from where the side keeps them.
#[derive(Clone, Copy, Debug)]
pub struct Parts<'a> {
    /// The parts, each a post's index and a [`Decimal`] as [`put_decimal`] writes them.
    bytes: &'a [u8],
    count: u32,
}

impl<'a> Parts<'a> {
    /// The number of parts.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// True when the line has no part.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The parts, in the order they were given.
    pub fn iter(&self) -> impl Iterator<Item = (Post, Decimal)> + 'a {
        let mut bytes = Bytes(self.bytes);
        (0..self.count).map_while(move |_| {
            let post = Post::all().nth(usize::from(bytes.byte()?))?;
            Some((post, bytes.decimal()?))
        })
    }
}

/// A factor of a side, by its place in the side's factors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FactorIndex(u32);

/// Where a line's record is: its block, and where it starts there.
#[derive(Clone, Copy, Debug)]
struct Place {
    block: u32,
    start: u32,
}

/// Bytes a block of records is made with (a bigger record has a block of its own).
const RECORD_BLOCK: usize = 1 << 20;

/// The lines of a side, gathered in file order from the lines' results (a report's, or as
/// they are made and dropped) or read from a saved result; each factor kept once.
///
/// A line is a record of bytes (a few dozen for most lines): its id (`line-<n>` as its
/// number), label, factor's index, quantity and parts, integers as LEB128 and decimals as
/// their scale and sign in a byte then their mantissa ([`put_decimal`]).
#[derive(Clone, Debug, Default)]
pub struct SideLines {
    places: Blocks<Place>,
    records: Vec<Vec<u8>>,
    /// The record being written, before it is known which block it fits in.
    record: Vec<u8>,
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
        let mut record = std::mem::take(&mut self.record);
        record.clear();
        match numbered(id) {
            Some(n) => put_int(&mut record, u128::from(n) << 1),
            None => put_text(&mut record, id, 1),
        }
        put_text(&mut record, label, 0);
        put_int(&mut record, u128::from(factor.0));
        put_decimal(&mut record, quantity);
        put_int(&mut record, parts.len() as u128);
        for (post, value) in parts {
            record.push(u8::try_from(post.index()).unwrap_or(u8::MAX));
            put_decimal(&mut record, *value);
        }
        let place = self.store(&record);
        self.record = record;
        self.places.push(place);
    }

    /// Copies a record into the last block, or a new one when it does not fit; where it is.
    fn store(&mut self, record: &[u8]) -> Place {
        let fits = self
            .records
            .last()
            .is_some_and(|b| b.capacity() - b.len() >= record.len());
        if !fits {
            self.records
                .push(Vec::with_capacity(RECORD_BLOCK.max(record.len())));
        }
        let block = narrow(self.records.len() - 1);
        let Some(bytes) = self.records.last_mut() else {
            return Place { block, start: 0 };
        };
        let start = narrow(bytes.len());
        bytes.extend_from_slice(record);
        Place { block, start }
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
        self.places.len()
    }

    /// True when there is no line.
    pub fn is_empty(&self) -> bool {
        self.places.len() == 0
    }

    /// Line `i` (0-based, in file order).
    pub fn get(&self, i: usize) -> Option<SideLine<'_>> {
        let (head, mut bytes) = self.head(i)?;
        let id = match head.id {
            Ok(n) => LineId::Numbered(n),
            Err(id) => LineId::Written(std::str::from_utf8(id).ok()?),
        };
        let quantity = bytes.decimal()?;
        let count = u32::try_from(bytes.int()?).ok()?;
        Some(SideLine {
            id,
            label: std::str::from_utf8(head.label).ok()?,
            factor: head.factor,
            quantity,
            parts: Parts {
                bytes: bytes.0,
                count,
            },
        })
    }

    /// What pairs line `i` with another: its own id, if any ([`LineId::own`]), its factor's
    /// id and its label, as bytes (their order is their texts'), read without the rest.
    pub(crate) fn key(&self, i: usize) -> Option<Key<'_>> {
        let (head, _) = self.head(i)?;
        Some(Key {
            own_id: head.id.err().filter(|id| !is_place_bytes(id)),
            factor: head.factor.id.as_bytes(),
            factor_at: head.factor_at,
            label: head.label,
        })
    }

    /// The start of line `i`'s record: its id (a number, or the text written), label and
    /// factor; then the rest of the record.
    fn head(&self, i: usize) -> Option<(Head<'_>, Bytes<'_>)> {
        let place = self.places.get(i)?;
        let block = self.records.get(place.block as usize)?;
        let mut bytes = Bytes(block.get(place.start as usize..)?);
        let tagged = bytes.int()?;
        let id = if tagged & 1 == 0 {
            Ok(u32::try_from(tagged >> 1).ok()?)
        } else {
            Err(bytes.text(tagged)?)
        };
        let label_len = bytes.int()?;
        let label = bytes.text(label_len)?;
        let factor_at = usize::try_from(bytes.int()?).ok()?;
        let factor = self.factors.get(factor_at)?;
        Some((
            Head {
                id,
                label,
                factor,
                factor_at,
            },
            bytes,
        ))
    }

    /// The lines, in file order.
    pub fn iter(&self) -> impl Iterator<Item = SideLine<'_>> {
        (0..self.places.len()).filter_map(|i| self.get(i))
    }

    /// The factors of the lines, each once, in the order first used.
    pub fn factors(&self) -> &[SideFactor] {
        &self.factors
    }
}

/// Writes `n` as LEB128: seven bits a byte, the low ones first, the high bit set on every
/// byte but the last.
fn put_int(out: &mut Vec<u8>, mut n: u128) {
    while n >= 0x80 {
        out.push((n & 0x7f) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Writes a text's length (shifted left by one, `tag` in the low bit), then the text.
fn put_text(out: &mut Vec<u8>, text: &str, tag: u128) {
    put_int(out, ((text.len() as u128) << 1) | tag);
    out.extend_from_slice(text.as_bytes());
}

/// Writes a decimal exactly as it is (scale, sign and mantissa, `0.50` apart from `0.5`):
/// a byte holding its scale (0–28) and its sign (high bit), then its 96-bit mantissa as
/// [`put_int`] writes it.
fn put_decimal(out: &mut Vec<u8>, d: Decimal) {
    let raw = d.serialize();
    let [f0, f1, f2, f3, m @ ..] = raw;
    let flags = u32::from_le_bytes([f0, f1, f2, f3]);
    let scale = ((flags >> 16) & 0x1f) as u8;
    let sign = ((flags >> 31) as u8) << 7;
    out.push(scale | sign);
    let mut mantissa = [0u8; 16];
    if let Some(low) = mantissa.get_mut(..12) {
        low.copy_from_slice(&m);
    }
    put_int(out, u128::from_le_bytes(mantissa));
}

/// The start of a record ([`SideLines::head`]).
struct Head<'a> {
    /// `line-<n>` as its number, or the id written.
    id: Result<u32, &'a [u8]>,
    label: &'a [u8],
    factor: &'a SideFactor,
    factor_at: usize,
}

/// What pairs a line ([`SideLines::key`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key<'a> {
    /// The id the user gave, if any.
    pub(crate) own_id: Option<&'a [u8]>,
    /// Its factor's id.
    pub(crate) factor: &'a [u8],
    /// Its factor's place in [`SideLines::factors`].
    pub(crate) factor_at: usize,
    /// Its label.
    pub(crate) label: &'a [u8],
}

/// A record being read.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first)
    }

    /// An integer [`put_int`] wrote.
    fn int(&mut self) -> Option<u128> {
        let mut n = 0u128;
        for shift in (0..128).step_by(7) {
            let b = self.byte()?;
            n |= u128::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    /// A text's bytes, of the length [`put_text`] wrote (`tagged`: its tag still in).
    fn text(&mut self, tagged: u128) -> Option<&'a [u8]> {
        let len = usize::try_from(tagged >> 1).ok()?;
        let (text, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(text)
    }

    /// A decimal [`put_decimal`] wrote.
    fn decimal(&mut self) -> Option<Decimal> {
        let head = self.byte()?;
        let mantissa = self.int()?.to_le_bytes();
        let flags = (u32::from(head & 0x1f) << 16) | (u32::from(head >> 7) << 31);
        let mut raw = [0u8; 16];
        let (f, m) = raw.split_at_mut(4);
        f.copy_from_slice(&flags.to_le_bytes());
        m.copy_from_slice(mantissa.get(..12)?);
        Some(Decimal::deserialize(raw))
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

/// A count or offset within a side as stored, or a line's place as the pairing keeps it: a
/// side holds far fewer than 4 billion lines, parts or bytes in a block (its inventory is at
/// most a few hundred megabytes).
pub(super) fn narrow(n: usize) -> u32 {
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
    fn decimals_read_back_exactly_as_written() {
        let mut values = vec![
            Decimal::ZERO,
            Decimal::new(0, 5),
            Decimal::new(5, 1),
            Decimal::new(50, 2),
            Decimal::new(-50, 2),
            Decimal::new(-1, 28),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::from_parts(u32::MAX, 0, 1, false, 28),
            Decimal::from_parts(0, 0, u32::MAX, true, 13),
        ];
        // Every scale, mantissas across each 7-bit step of the encoding, both signs.
        for scale in 0..=28 {
            for bits in [1u32, 7, 8, 14, 15, 31, 32, 63, 64, 95, 96] {
                let m = (1u128 << bits) - 1;
                let (lo, mid, hi) = (m as u32, (m >> 32) as u32, (m >> 64) as u32);
                values.push(Decimal::from_parts(lo, mid, hi, false, scale));
                values.push(Decimal::from_parts(lo, mid, hi, true, scale));
            }
        }
        let mut bytes = Vec::new();
        for v in &values {
            put_decimal(&mut bytes, *v);
        }
        let mut read = Bytes(&bytes);
        for v in &values {
            let back = read.decimal().unwrap_or_else(|| panic!("{v} unread"));
            assert_eq!(back.serialize(), v.serialize(), "{v} read back as {back}");
        }
        assert!(read.0.is_empty());
        // Zero is its scale and a zero; a record cut short is not read.
        assert!(Bytes(&bytes[..2]).decimal().is_some_and(|d| d.is_zero()));
        assert!(Bytes(&bytes[..1]).decimal().is_none());
        let mut cut = Vec::new();
        put_decimal(&mut cut, Decimal::MAX);
        cut.pop();
        assert!(Bytes(&cut).decimal().is_none());
    }

    #[test]
    fn every_line_reads_back_as_pushed_across_blocks() {
        let posts: Vec<Post> = Post::all().collect();
        // More lines than a block holds, and labels long enough to fill several text blocks.
        type Pushed = (String, String, Vec<(Post, Decimal)>);
        let lines: Vec<Pushed> = (0..crate::blocks::BLOCK as u32 + 4_000)
            .map(|i| {
                let id = match i % 3 {
                    0 => format!("line-{i}"),
                    1 => format!("own-{i}"),
                    _ => String::new(),
                };
                let label = if i == 20_001 {
                    // Longer than a block of records.
                    "x".repeat(RECORD_BLOCK + 3)
                } else if i % 1000 == 7 {
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
            side.records.len() > 1 && side.places.blocks() > 1,
            "blocks crossed"
        );
        assert_eq!(side.factors().len(), 7);
        for (i, (id, label, parts)) in lines.iter().enumerate() {
            let line = side.get(i).unwrap_or_else(|| panic!("line {i} missing"));
            assert_eq!(line.id.to_string(), *id);
            assert_eq!(line.label, label);
            assert_eq!(line.quantity, Decimal::from(i));
            assert_eq!(line.parts.iter().collect::<Vec<_>>(), *parts);
            assert_eq!(line.factor.id, format!("f{}", i % 7));
        }
        assert!(side.get(lines.len()).is_none());
        assert_eq!(side.iter().count(), lines.len());
    }
}
