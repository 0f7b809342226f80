//! A big `lines:` block read on every core.
//!
//! serde-saphyr reads a document on one thread, and a million-line inventory spends most of its
//! load there. The items of the top-level `lines:` block are independent YAML, so the block is
//! cut at the starts of its items into chunks, each parsed and checked as a document of its own
//! (positions shifted back to the file's lines), while the rest of the file is parsed with the
//! block replaced by `[]` and as many empty lines (every other position stays where it was).
//! A chunk of plain items is read without the YAML parser ([`super::plain`]); any other goes
//! through serde-saphyr.
//!
//! The result must be exactly what one parse of the whole file gives, so anything out of the
//! plain leads back to that parse (which also gives errors their usual form): an error in any
//! part, an alias (its anchor would be in another part), ids repeated across chunks, a chunk
//! whose lines do not match its items, or a `lines:` key the parser does not find where the
//! cut put it (a `lines:` inside a quoted text, say).

use super::{CheckedLines, Checker, LineIds, RawIncluded, RawInventory, parse_checked, plain};
use crate::error::Position;
use crate::inventory::{Inventory, LINE_CHUNK, Line};
use crate::load::yaml;
use rayon::prelude::*;
use std::sync::Arc;

/// Below this many items one thread is as fast (tests cut small files, in many chunks).
const MIN_ITEMS: usize = if cfg!(test) { 12 } else { 20_000 };
/// Items per chunk: several chunks per core, so cores finish together; a multiple of the
/// lines computed at once ([`LINE_CHUNK`]), so that a batch of chunks is computed whole.
const ITEMS_PER_CHUNK: usize = if cfg!(test) { 5 } else { 2 * LINE_CHUNK };
/// The fewest bytes a line can take (`- {label: a, factor: b, quantity: 1, unit: c}` takes
/// 46): a block whose items are shorter is not made of lines, and is not cut (the places for
/// its lines are made before they are read, and must stay in proportion to the file).
const MIN_ITEM_BYTES: usize = 40;

/// The file cut in parts.
pub(super) struct Cut {
    /// The file with the block replaced by `[]` and empty lines.
    rest: String,
    /// The line of the `lines:` key (1-based).
    key_line: u64,
    chunks: Vec<Chunk>,
}

/// Consecutive items of the block.
#[derive(Clone, Debug)]
pub(super) struct Chunk {
    /// Where its text is in the file.
    text: std::ops::Range<usize>,
    /// The file line of its first line, less one.
    line_offset: u64,
    /// Items before it in the block.
    items_before: usize,
    /// Its items.
    items: usize,
}

/// Cuts `text` when it has a top-level `lines:` block of at least [`MIN_ITEMS`] items.
pub(super) fn cut(text: &str) -> Option<Cut> {
    if text.len() < MIN_ITEMS * 16 {
        return None;
    }
    // The key: `lines:` alone at the start of a line.
    let mut offset = 0;
    let mut key = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_end() == "lines:" {
            key = Some((offset, offset + line.len(), index as u64 + 1));
            break;
        }
        offset += line.len();
    }
    let (key_start, block_start, key_line) = key?;
    let block = text.get(block_start..)?;
    // The block: its items start with `- ` at one indentation; it ends at the first line at
    // column 0 that is not an item, a comment or empty.
    let mut indent = None;
    let mut starts: Vec<(usize, u64)> = Vec::new();
    let mut block_end = text.len();
    let mut offset = block_start;
    // Read as bytes (every byte the cut looks at is ASCII): a million-line block is cut
    // before any core can start on it.
    let mut rest = block.as_bytes();
    let mut index = 0;
    while !rest.is_empty() {
        let length = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let (line, after) = rest.split_at(length);
        rest = after;
        let mut content = line;
        while let [before @ .., b'\n' | b'\r'] = content {
            content = before;
        }
        let spaces = content.iter().take_while(|&&b| b == b' ').count();
        let trimmed = content.get(spaces..).unwrap_or_default();
        let line_number = key_line + 1 + index;
        index += 1;
        if trimmed.is_empty() || trimmed.starts_with(b"#") {
        } else if (trimmed.starts_with(b"- ") || trimmed == b"-")
            && *indent.get_or_insert(spaces) == spaces
        {
            if starts.len() > text.len() / MIN_ITEM_BYTES {
                return None;
            }
            starts.push((offset, line_number));
        } else if spaces == 0 {
            block_end = offset;
            break;
        } else if indent.is_none() {
            return None;
        }
        offset += line.len();
    }
    if starts.len() < MIN_ITEMS {
        return None;
    }
    let mut chunks = Vec::with_capacity(starts.len() / ITEMS_PER_CHUNK + 1);
    for (number, group) in starts.chunks(ITEMS_PER_CHUNK).enumerate() {
        let (start, first_line) = *group.first()?;
        let end = starts
            .get((number + 1) * ITEMS_PER_CHUNK)
            .map_or(block_end, |(next, _)| *next);
        if end.checked_sub(start)? < group.len() * MIN_ITEM_BYTES {
            return None;
        }
        chunks.push(Chunk {
            text: start..end,
            line_offset: first_line - 1,
            items_before: number * ITEMS_PER_CHUNK,
            items: group.len(),
        });
    }
    let removed = text.get(block_start..block_end)?;
    let mut rest = String::with_capacity(text.len() - removed.len() + removed.len() / 8);
    rest.push_str(text.get(..key_start)?);
    rest.push_str("lines: []\n");
    let line_ends = removed.bytes().filter(|&b| b == b'\n').count();
    rest.extend(std::iter::repeat_n('\n', line_ends));
    rest.push_str(text.get(block_end..)?);
    Some(Cut {
        rest,
        key_line,
        chunks,
    })
}

/// The inventory read from its parts, or `None` when it must be read whole.
pub(super) fn parse(file: &Arc<str>, text: &str, cut: &Cut) -> Option<Inventory> {
    let (inventory, lines) = rayon::join(
        || rest(file, cut),
        || read(file, text, &cut.chunks, 0, true),
    );
    let mut inventory = inventory?;
    let lines = lines?;
    inventory.lines = lines;
    Some(inventory)
}

/// The inventory without its lines, and its `lines:` block left to read; `None` when it
/// must be read whole.
pub(super) fn head(file: &Arc<str>, cut: Cut, bom: usize) -> Option<(Inventory, LineBlock)> {
    let inventory = rest(file, &cut)?;
    Some((
        inventory,
        LineBlock {
            file: Arc::clone(file),
            bom,
            chunks: cut.chunks,
        },
    ))
}

/// The rest of the file, which must hold the `lines: []` put in place of the block.
fn rest(file: &Arc<str>, cut: &Cut) -> Option<Inventory> {
    let checker = Checker::new(file, LineIds::default(), 0);
    let (parsed, checker) = parse_checked::<RawInventory>(file, &cut.rest, checker);
    let mut checker = checker?;
    let raw = parsed.ok()?;
    let lines = raw.lines.as_ref()?;
    if lines.referenced.line() != cut.key_line || !lines.value.0.is_empty() {
        return None;
    }
    let inventory = checker.inventory(raw);
    checker.errors.is_empty().then_some(inventory)
}

/// Whether the rest of an included file is its `lines: []` alone, where the cut put it.
fn included_rest(file: &Arc<str>, cut: &Cut) -> bool {
    let Ok(parsed) = yaml::parse::<RawIncluded>(file, &cut.rest) else {
        return false;
    };
    let at = parsed.lines.referenced.line();
    at == cut.key_line && parsed.lines.value.0.is_empty()
}

/// The lines of an included file read from its parts, their ids added to `ids` (the ids
/// taken before it, none of which they may repeat), or `None` when it must be read whole.
pub(super) fn parse_included(
    file: &Arc<str>,
    text: &str,
    cut: &Cut,
    lines_before: usize,
    ids: &mut LineIds,
) -> Option<Vec<Line>> {
    let (rest, lines) = rayon::join(
        || included_rest(file, cut),
        || read(file, text, &cut.chunks, lines_before, true),
    );
    let lines = lines.filter(|_| rest)?;
    if lines.iter().any(|line| ids.contains(&line.id)) {
        return None;
    }
    ids.reserve(lines.len());
    ids.extend(lines.iter().map(|line| line.id.clone()));
    Some(lines)
}

/// An included file's `lines:` block left to read, or `None` when it must be read whole.
pub(super) fn included_block(file: &Arc<str>, cut: Cut, bom: usize) -> Option<LineBlock> {
    included_rest(file, &cut).then(|| LineBlock {
        file: Arc::clone(file),
        bom,
        chunks: cut.chunks,
    })
}

/// A file's big `lines:` block, cut in chunks of items and not read yet: read a few chunks at
/// a time, a million lines are never held at once.
#[derive(Clone, Debug)]
pub struct LineBlock {
    file: Arc<str>,
    /// Bytes of the byte order mark before the text the chunks point into.
    bom: usize,
    chunks: Vec<Chunk>,
}

impl LineBlock {
    /// Its chunks.
    pub fn chunks(&self) -> usize {
        self.chunks.len()
    }

    /// The items of `chunks` (a range of them), each a line once read.
    pub fn items(&self, chunks: std::ops::Range<usize>) -> usize {
        self.chunks
            .get(chunks)
            .map_or(0, |chunks| chunks.iter().map(|chunk| chunk.items).sum())
    }

    /// The lines of `chunks` (a range of them), read on every core from `text` (the file's
    /// whole text) and in order, the default ids counting from `lines_before` lines before
    /// the block; `None` when one of them is not plain (an error, an alias, an id repeated
    /// among them): the file must then be read whole.
    pub fn read(
        &self,
        text: &str,
        lines_before: usize,
        chunks: std::ops::Range<usize>,
    ) -> Option<Vec<Line>> {
        self.read_checking(text, lines_before, chunks, true)
    }

    /// [`LineBlock::read`] for a caller that checks every id against every other itself (a
    /// few chunks at a time): the lines' ids are not checked here.
    pub fn read_unchecked_ids(
        &self,
        text: &str,
        lines_before: usize,
        chunks: std::ops::Range<usize>,
    ) -> Option<Vec<Line>> {
        self.read_checking(text, lines_before, chunks, false)
    }

    fn read_checking(
        &self,
        text: &str,
        lines_before: usize,
        chunks: std::ops::Range<usize>,
        check_ids: bool,
    ) -> Option<Vec<Line>> {
        let text = text.get(self.bom..)?;
        read(
            &self.file,
            text,
            self.chunks.get(chunks)?,
            lines_before,
            check_ids,
        )
    }
}

/// Every chunk's lines, in order, when each parsed without error into as many lines as it has
/// items and (when `check_ids`) no id repeats. Each chunk writes its lines into its own part
/// of the one vector (no second copy of a million lines to gather them).
fn read(
    file: &Arc<str>,
    text: &str,
    chunks: &[Chunk],
    lines_before: usize,
    check_ids: bool,
) -> Option<Vec<Line>> {
    let total = chunks.iter().map(|chunk| chunk.items).sum();
    let mut lines = Vec::new();
    lines.reserve_exact(total);
    // Copies of one placeholder share its (empty) strings: no allocation per slot.
    lines.resize(total, Line::default());
    let mut parts = Vec::with_capacity(chunks.len());
    let mut rest = lines.as_mut_slice();
    for chunk in chunks {
        let (part, after) = rest.split_at_mut_checked(chunk.items)?;
        parts.push(part);
        rest = after;
    }
    let read = chunks
        .par_iter()
        .zip(parts.into_par_iter())
        .all(|(chunk, part)| {
            let start = lines_before + chunk.items_before;
            let new_checker = || {
                let mut checker = Checker::new(file, LineIds::default(), start);
                checker.line_offset = chunk.line_offset;
                checker.check_ids = check_ids;
                checker
            };
            let Some(chunk_text) = text.get(chunk.text.clone()) else {
                return false;
            };
            if let Some(read) = plain::lines(chunk_text, &mut new_checker())
                && read.len() == part.len()
            {
                for (slot, line) in part.iter_mut().zip(read) {
                    *slot = line;
                }
                return true;
            }
            let (parsed, checker) = parse_checked::<CheckedLines>(file, chunk_text, new_checker());
            let Some(checker) = checker else {
                return false;
            };
            match parsed {
                Ok(CheckedLines(read)) if checker.errors.is_empty() && read.len() == part.len() => {
                    for (slot, line) in part.iter_mut().zip(read) {
                        *slot = line;
                    }
                    true
                }
                _ => false,
            }
        });
    if !read {
        return None;
    }
    if !check_ids {
        return Some(lines);
    }
    let mut ids: foldhash::HashSet<&str> = foldhash::HashSet::default();
    ids.reserve(total);
    if !lines.iter().all(|line| ids.insert(&line.id)) {
        return None;
    }
    drop(ids);
    Some(lines)
}

/// The position of a value in a chunk, in the file.
pub(super) fn shifted(position: Position, line_offset: u64) -> Position {
    if line_offset == 0 || position.line == 0 {
        return position;
    }
    Position {
        line: position.line + line_offset,
        ..position
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "bilan: 1\norganisation: { name: Test }\nperiod: { year: 2024 }\n";

    /// An item of every shape: default and explicit ids, comments, an empty line, a text on
    /// two lines, a block text, an inline factor, a nested mapping.
    fn item(i: usize) -> String {
        match i % 6 {
            0 => format!(
                "  - label: L{i}\n    factor: \"42513\"\n    quantity: {i}.5\n    unit: kWh\n"
            ),
            1 => format!(
                "  # a comment\n  - id: own-{i}\n    label: L{i}\n    factor: \"43443\"\n    quantity: 3\n    unit: k€\n\n"
            ),
            2 => format!(
                "  - label: \"two\n      lines {i}\"\n    factor: \"37142\"\n    quantity: 7\n    unit: p.km\n    purpose: business\n"
            ),
            3 => format!(
                "  - label: L{i}\n    comment: |\n      - not an item\n      lines:\n    factor: \"25775\"\n    quantity: 1\n    unit: litre\n    mobile: true\n"
            ),
            4 => format!(
                "  - label: L{i}\n    factor: {{ name: Own, kgco2e: 2, unit: kgCO2e/kg, source: own measure }}\n    quantity: 1\n    unit: kg\n"
            ),
            _ => format!(
                "  - label: L{i}\n    factor: \"42513\"\n    quantity: 1\n    unit: kWh\n    quality: {{ reliability: 2, technical: 3 }}\n"
            ),
        }
    }

    fn inventory(items: usize, after: &str) -> String {
        let body: String = (0..items).map(item).collect();
        format!("{HEAD}lines:\n{body}{after}")
    }

    fn cut_and_parsed(text: &str) -> Option<Inventory> {
        let file: Arc<str> = Arc::from("big.yaml");
        parse(&file, text, &cut(text)?)
    }

    fn whole(text: &str) -> Result<Inventory, String> {
        let file: Arc<str> = Arc::from("big.yaml");
        let checker = Checker::new(&file, LineIds::default(), 0);
        super::super::parse_whole(&file, text, checker).map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn a_cut_file_reads_as_the_whole_file() {
        let text = inventory(
            40,
            "# after\nposts:\n  \"3.11\": { status: not-applicable, reason: no waste }\n",
        );
        let cut = cut(&text).unwrap();
        assert_eq!(cut.chunks.len(), 8);
        // Line numbers survive: the key after the block is where it was.
        assert_eq!(cut.rest.lines().count(), text.lines().count());
        whole(&text).unwrap();
        let fast = cut_and_parsed(&text).expect("read in parts");
        let slow = whole(&text).unwrap();
        assert_eq!(fast.lines.len(), 40);
        assert_eq!(fast, slow);
        // Default ids count the items of earlier chunks: item 30 is the 31st line.
        assert_eq!(&*fast.lines[30].id, "line-31");
        assert_eq!(&*fast.lines[31].id, "own-31");
        // The 31st item starts on the file line of its `- `.
        let line = text.lines().position(|l| l == "  - label: L30").unwrap() as u64 + 1;
        assert_eq!(fast.lines[30].at.line().line, line);
    }

    #[test]
    fn items_at_column_zero_and_windows_line_ends_are_cut_too() {
        let text = inventory(30, "")
            .replace("\n  ", "\n")
            .replace('\n', "\r\n");
        let fast = cut_and_parsed(&text).expect("read in parts");
        assert_eq!(fast, whole(&text).unwrap());
    }

    #[test]
    fn anything_out_of_the_plain_is_read_whole() {
        // An anchor in one chunk, its alias in another.
        let mut text = inventory(30, "");
        text = text.replacen("quantity: 0.5", "quantity: &q 0.5", 1);
        text = text.replacen("quantity: 24.5", "quantity: *q", 1);
        assert!(cut_and_parsed(&text).is_none());
        assert!(whole(&text).is_ok());
        // An id repeated across chunks: the whole file's error.
        let text = inventory(30, "").replace("id: own-25", "id: own-1");
        assert!(cut_and_parsed(&text).is_none());
        assert!(
            whole(&text)
                .unwrap_err()
                .contains("duplicate line id `own-1`")
        );
        // An error in a line.
        let text = inventory(30, "").replacen("unit: kWh", "unit: ''", 3);
        assert!(cut_and_parsed(&text).is_none());
        // `lines:` inside a quoted text before the real, empty key.
        let quoted = format!(
            "{HEAD}perimeter: {{ description: \"x\nlines:\n{}\" }}\nlines: []\n",
            (0..30)
                .map(|i| format!(
                    "  - label: L{i}\n    factor: \"42513\"\n    quantity: 1\n    unit: kWh\n"
                ))
                .collect::<String>()
        );
        assert!(cut_and_parsed(&quoted).is_none());
        // An included file: ids continue after the lines before it and may not repeat them.
        let included = format!("lines:\n{}", (0..30).map(item).collect::<String>());
        let file: Arc<str> = Arc::from("more.yaml");
        let mut ids = LineIds::default();
        ids.insert("line-1".into());
        let fast =
            parse_included(&file, &included, &cut(&included).unwrap(), 100, &mut ids).unwrap();
        let mut slow_ids: LineIds = [Arc::from("line-1")].into_iter().collect();
        let slow = super::super::parse_included("more.yaml", &included, 100, &mut slow_ids);
        assert_eq!(Ok(&fast), slow.as_ref().map_err(|_| ()));
        assert_eq!(&*fast[0].id, "line-101");
        assert_eq!(ids, slow_ids);
        ids.insert("own-13".into());
        assert!(
            parse_included(&file, &included, &cut(&included).unwrap(), 100, &mut ids).is_none()
        );
        // Items too short to be lines (a hostile file would have a slot made for each).
        let short = format!("{HEAD}lines:\n{}", "  - x\n".repeat(100_000));
        assert!(cut(&short).is_none());
        // Too few items to be worth it.
        assert!(cut(&inventory(11, "")).is_none());
    }
}
