//! An inventory and the files it includes, read ([`super::files::read_inventory_parts`]),
//! their lines left as text where they are many: read whole, or given a batch at a time so
//! that a million lines are never held at once.

use super::files::Sources;
use super::seen_ids::SeenIds;
use super::{inventory, line_tables};
use crate::error::{InputError, InputErrors, Position};
use crate::inventory::{Inventory, Line};
use rayon::prelude::*;

/// An inventory and the files it includes, read, their lines left as text where they are
/// many ([`read_inventory_parts`](super::files::read_inventory_parts)).
pub struct InventoryParts {
    /// The inventory's own keys (its `lines` are in the parts).
    pub inventory: Inventory,
    sources: Sources,
    /// Where the lines are, in order.
    parts: Vec<Part>,
}

/// Where some of an inventory's lines are.
pub(super) enum Part {
    /// The inventory's own lines, read.
    Lines(Vec<Line>),
    /// The inventory's own `lines:` block, left unread.
    Block(inventory::LineBlock),
    /// A YAML file named by `include:`: the source of this index.
    Yaml(usize),
    /// A CSV file named by `include:`, opened: its lines are read from it a batch at a time,
    /// and it is read whole only when they must be ([`InventoryParts::whole`]).
    Csv {
        name: String,
        file: super::files::Opened,
        /// Where the inventory includes it, and as what.
        at: Position,
        include: String,
    },
    /// An xlsx workbook named by `include:`.
    Xlsx { name: String, bytes: Vec<u8> },
    /// A file named by `include:` that could not be read.
    Unread(InputError),
}

/// Chunks of a `lines:` block read at once: four per core, so cores finish together (two
/// per core measured 10 % slower on a million lines), and few enough that their lines weigh
/// a few tens of megabytes.
fn chunks_at_once() -> usize {
    4 * rayon::current_num_threads().max(1)
}

impl InventoryParts {
    /// The inventory's keys, the texts read and where the lines are, in order.
    pub(super) fn new(inventory: Inventory, sources: Sources, parts: Vec<Part>) -> Self {
        InventoryParts {
            inventory,
            sources,
            parts,
        }
    }

    /// The texts of the files read, for error snippets.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The inventory with every line, and the texts read; or every error (those of the
    /// inventory's own lines alone when it has some, then those of each include in order).
    pub fn whole(self) -> Result<(Inventory, Sources), InputErrors> {
        let InventoryParts {
            mut inventory,
            sources,
            parts,
        } = self;
        let mut errors = Vec::new();
        let mut ids = inventory::LineIds::default();
        for part in parts {
            let lines = match part {
                Part::Lines(lines) => {
                    inventory.lines = lines;
                    ids = inventory.lines.iter().map(|l| l.id.clone()).collect();
                    continue;
                }
                Part::Block(block) => {
                    let (name, text, _) = sources.0.first().ok_or_else(|| {
                        InputError::new(Position::default(), "internal error: no inventory text")
                    })?;
                    inventory.lines = match block.read(text, 0, 0..block.chunks()) {
                        Some(lines) => lines,
                        None => inventory::parse(name, text)?.lines,
                    };
                    ids = inventory.lines.iter().map(|l| l.id.clone()).collect();
                    continue;
                }
                Part::Unread(error) => {
                    errors.push(error);
                    continue;
                }
                Part::Yaml(source) => {
                    let Some((name, text, _)) = sources.0.get(source) else {
                        continue;
                    };
                    inventory::parse_included(name, text, inventory.lines.len(), &mut ids)
                }
                Part::Csv {
                    name,
                    file,
                    at,
                    include,
                } => match file.read_all() {
                    Ok(bytes) => {
                        line_tables::csv_lines(&name, &bytes, inventory.lines.len(), &mut ids)
                    }
                    Err(e) => Err(InputError::new(
                        at,
                        format!("cannot include `{include}`: {}", e.message),
                    )
                    .help("the path is relative to the inventory")
                    .into()),
                },
                Part::Xlsx { name, bytes } => {
                    line_tables::xlsx_lines(&name, &bytes, inventory.lines.len(), &mut ids)
                }
            };
            match lines {
                // A million lines are moved, not copied, into an inventory that has none.
                Ok(lines) if inventory.lines.is_empty() => inventory.lines = lines,
                Ok(lines) => inventory.lines.extend(lines),
                Err(e) => errors.extend(e.0),
            }
        }
        if errors.is_empty() {
            Ok((inventory, sources))
        } else {
            Err(InputErrors(errors))
        }
    }

    /// Whether an included file could not be read at all.
    pub fn has_unread(&self) -> bool {
        self.parts
            .iter()
            .any(|part| matches!(part, Part::Unread(_)))
    }

    /// Gives every line to `each`, in order, a batch at a time, and returns true; or stops
    /// and returns false when `each` returns false, or when the lines must be read whole
    /// ([`InventoryParts::whole`]): an error, or anything out of the plain (an alias across
    /// chunks, a line id that may repeat). The lines given are [`InventoryParts::whole`]'s,
    /// with the same ids.
    pub fn each_batch(&self, each: &mut dyn FnMut(&[Line]) -> bool) -> bool {
        // A repeated id (or one that may be) reads whole, which tells which.
        let mut ids = SeenIds::default();
        let mut before = 0;
        let mut give = |lines: &[Line], before: &mut usize| {
            let first = *before + 1;
            let fresh = (first..)
                .zip(lines)
                .all(|(place, line)| ids.insert(place, &line.id));
            *before += lines.len();
            fresh && each(lines)
        };
        for part in &self.parts {
            let given = match part {
                Part::Lines(lines) => give(lines, &mut before),
                Part::Block(block) => {
                    let Some((_, text, _)) = self.sources.0.first() else {
                        return false;
                    };
                    read_block(block, text, &mut before, &mut give)
                }
                Part::Unread(_) => false,
                Part::Yaml(source) => {
                    let Some((name, text, _)) = self.sources.0.get(*source) else {
                        return false;
                    };
                    match inventory::included_block(name, text) {
                        Some(block) => read_block(&block, text, &mut before, &mut give),
                        None => {
                            let mut ids = inventory::LineIds::default();
                            inventory::parse_included(name, text, before, &mut ids)
                                .is_ok_and(|lines| give(&lines, &mut before))
                        }
                    }
                }
                Part::Csv { name, file, .. } => {
                    let start = before;
                    file.stream().is_some_and(|stream| {
                        line_tables::csv_batches(name, stream, start, &mut |lines| {
                            give(lines, &mut before)
                        })
                    })
                }
                Part::Xlsx { name, bytes } => {
                    let mut ids = inventory::LineIds::default();
                    line_tables::xlsx_lines(name, bytes, before, &mut ids)
                        .is_ok_and(|lines| give(&lines, &mut before))
                }
            };
            if !given {
                return false;
            }
        }
        true
    }
}

/// Gives the lines of `block` (of the file `text`) to `give`, a few chunks at a time.
fn read_block(
    block: &inventory::LineBlock,
    text: &str,
    before: &mut usize,
    give: &mut dyn FnMut(&[Line], &mut usize) -> bool,
) -> bool {
    let start = *before;
    let at_once = chunks_at_once();
    let mut next = 0;
    while next < block.chunks() {
        let chunks = next..(next + at_once).min(block.chunks());
        next = chunks.end;
        // `give` checks every id against every other.
        let Some(mut lines) = block.read_unchecked_ids(text, start, chunks) else {
            return false;
        };
        let given = give(&lines, before);
        // Dropped on every core, as they were made.
        lines.par_drain(..).with_min_len(1024).for_each(drop);
        if !given {
            return false;
        }
    }
    true
}
