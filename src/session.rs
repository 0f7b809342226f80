//! The pipeline under every command: the factor bases read once for a run ([`Bases`]), and
//! one inventory read (with its includes and `factors:` files), checked and computed. Above
//! the loaders and the engine, below the commands; prints nothing.

use crate::compute::{EachResult, LineSums};
use crate::error::{InputError, InputErrors, Position};
use crate::factor_base::{FactorBase, LoadedBase};
use crate::load::base_cache::BaseCache;
use crate::load::files;
use crate::report::Warning;
use crate::warning::Code;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod group;

/// The embedded base plus the `--factors` files, read and merged once for all inventories; the
/// inventories' own `factors:` files are parsed once each too (by canonical path).
pub struct Bases {
    /// Defective rows skipped in the `--factors` files, as warnings.
    defects: Vec<Warning>,
    shared: FactorBase,
    cache: BaseCache,
    /// A canonical folder inventories may not read outside of (`batch`'s input folder).
    within: Option<PathBuf>,
    /// Warning codes dropped from every result (`--allow`; the inventory's `allow:` is
    /// applied by the engine).
    allow: Vec<Code>,
}

impl Bases {
    /// The embedded base with the `extra` files merged on top, in order.
    pub fn load(extra: &[PathBuf]) -> Result<Bases, InputErrors> {
        // The embedded base is parsed while the files are read.
        let (embedded, read) = std::thread::scope(|scope| {
            let embedded = std::thread::Builder::new().spawn_scoped(scope, crate::embedded::base);
            let read: Vec<_> = extra.iter().map(|path| files::read_base(path)).collect();
            // Without a thread to spare (a process limit), it is parsed after them.
            let embedded = match embedded {
                Ok(thread) => thread.join(),
                Err(_) => Ok(crate::embedded::base()),
            };
            (embedded, read)
        });
        let embedded = embedded.map_err(|_| {
            InputError::new(
                Position::file(&Arc::from(crate::embedded::NAME)),
                "internal error: the embedded base could not be read",
            )
        })??;
        let mut loaded = Vec::new();
        let mut errors = Vec::new();
        for base in read {
            match base {
                Ok(base) => loaded.push(base),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(InputErrors(errors));
        }
        let mut shared = embedded;
        let mut defects = Vec::new();
        for base in loaded {
            defects.extend(defect_warnings(&base));
            shared.merge(base);
        }
        Ok(Bases {
            defects,
            shared,
            cache: BaseCache::new(),
            within: None,
            allow: Vec::new(),
        })
    }

    /// Drops the warnings of these codes from every result.
    pub fn allowing(mut self, codes: Vec<Code>) -> Bases {
        self.allow = codes;
        self
    }

    /// Confines the inventories' `include:` and `factors:` to the canonical folder `root`.
    pub fn within(mut self, root: PathBuf) -> Bases {
        self.within = Some(root);
        self
    }

    /// Defective rows skipped in the `--factors` files, as warnings.
    pub fn defects(&self) -> Vec<Warning> {
        self.defects.clone()
    }

    /// The merged base for one inventory: the shared one itself when the inventory names no
    /// `factors:` file (no copy of tens of thousands of ids per inventory).
    pub fn for_inventory(
        &self,
        inventory: &crate::inventory::Inventory,
        path: &Path,
    ) -> Result<Cow<'_, FactorBase>, InputErrors> {
        if files::inventory_factor_paths(inventory, path).is_empty() {
            return Ok(Cow::Borrowed(&self.shared));
        }
        files::add_inventory_bases(self.shared.clone(), inventory, path, |file| {
            if let Some(root) = &self.within
                && !files::is_within(file, root)
            {
                return Err(crate::error::InputError::new(
                    crate::error::Position::file(&std::sync::Arc::from(
                        files::display(file).as_str(),
                    )),
                    format!("it is outside the folder {}", root.display()),
                )
                .help("batch reads only files inside its input folder (links leading out of it are not followed)"));
            }
            self.cache.read(file)
        })
        .map(Cow::Owned)
    }

    /// The embedded base plus the extra files, without any inventory.
    pub fn merged(&self) -> FactorBase {
        self.shared.clone()
    }
}

/// Reads, checks and computes one inventory; errors carry the source line.
pub fn compute_one(path: &Path, bases: &Bases) -> Result<crate::report::Report, InputErrors> {
    compute_with_inventory(path, bases).map(|(_, report)| report)
}

/// [`compute_one`] for what needs the totals alone (posts, scopes, warnings): the report
/// keeps only the lines listed apart, and the lines are read a batch at a time when their
/// files allow ([`compute_totals_with_inventory`]).
pub fn compute_totals_one(
    path: &Path,
    bases: &Bases,
) -> Result<crate::report::Report, InputErrors> {
    compute_totals_with_inventory(path, bases).map(|c| c.report)
}

/// Like [`compute_one`], keeping the inventory (for its actions).
pub fn compute_with_inventory(
    path: &Path,
    bases: &Bases,
) -> Result<(crate::inventory::Inventory, crate::report::Report), InputErrors> {
    compute_every_line(path, bases).map(|computed| (computed.inventory, computed.report))
}

/// [`compute_with_inventory`], keeping the factors it was computed with.
pub fn compute_every_line<'b>(path: &Path, bases: &'b Bases) -> Result<Computed<'b>, InputErrors> {
    let (inventory, sources) = match files::read_inventory_within(path, bases.within.as_deref()) {
        Ok(read) => read,
        // A group is told by its `entities:`: read it only then (one inventory is read once).
        Err(errors) if is_group_error(&errors) => return group_computed(path, bases),
        Err(errors) => return Err(errors),
    };
    let base = bases.for_inventory(&inventory, path)?;
    let report = crate::compute::compute(&inventory, &base);
    done(bases, inventory, base, report, Err(&sources))
}

/// An inventory computed: the inventory, the factors it was computed with (`None` for a
/// group, whose entities each have theirs) and its report.
pub struct Computed<'b> {
    /// The inventory read (without its lines when they were read a batch at a time).
    pub inventory: crate::inventory::Inventory,
    /// Its factors.
    pub base: Option<Cow<'b, FactorBase>>,
    /// Its report.
    pub report: crate::report::Report,
    /// Its files, when its lines were read a batch at a time and none is kept: read again by
    /// [`Computed::each_line_batch`].
    parts: Option<files::InventoryParts>,
}

impl Computed<'_> {
    /// Gives the inventory's lines to `each`, in order, a batch at a time (the lines kept, or
    /// read again from its files), until `each` returns false; false when a batch could not
    /// be given.
    pub fn each_line_batch(&self, each: &mut dyn FnMut(&[crate::inventory::Line]) -> bool) -> bool {
        match &self.parts {
            Some(parts) => parts.each_batch(each),
            None => self.inventory.lines.chunks(HELD_BATCH).all(each),
        }
    }
}

/// Lines given at once from an inventory that holds them ([`Computed::each_line_batch`]).
const HELD_BATCH: usize = 4096;

/// [`compute_with_inventory`] for outputs that show no line, or write each line's result as
/// they go: the report keeps only the lines listed apart
/// ([`compute_totals`](crate::compute::compute_totals)); a group's keeps all. The lines are
/// read a batch at a time, computed and dropped, when their files allow
/// ([`files::InventoryParts::each_batch`]): a million lines are never held at once.
pub fn compute_totals_with_inventory<'b>(
    path: &Path,
    bases: &'b Bases,
) -> Result<Computed<'b>, InputErrors> {
    compute_totals_seeing(path, bases, None)
}

/// [`compute_totals_with_inventory`], giving `each` every line's result in file order as it is
/// made (not for a group: its report keeps every line).
pub fn compute_totals_seeing<'b>(
    path: &Path,
    bases: &'b Bases,
    each: Option<&mut EachResult<'_>>,
) -> Result<Computed<'b>, InputErrors> {
    let parts = files::read_inventory_parts(path, bases.within.as_deref());
    compute_parts_seeing(path, parts, bases, each)
}

/// [`compute_totals_seeing`] of the inventory at `path` already read as `parts`
/// ([`files::read_inventory_parts`] with the bases' `within`: read while the bases load).
pub fn compute_parts_seeing<'b>(
    path: &Path,
    parts: Result<files::InventoryParts, InputErrors>,
    bases: &'b Bases,
    mut each: Option<&mut EachResult<'_>>,
) -> Result<Computed<'b>, InputErrors> {
    let parts = match parts {
        Ok(parts) => parts,
        Err(errors) if is_group_error(&errors) => return group_computed(path, bases),
        Err(errors) => return Err(errors),
    };
    let base = match bases.for_inventory(&parts.inventory, path) {
        Ok(base) => base,
        // The errors of the lines come first, as when the lines are read before the factors.
        Err(errors) => {
            parts.whole()?;
            return Err(errors);
        }
    };
    if !parts.has_unread() {
        let mut sums = LineSums::new(&parts.inventory, &base);
        if let Some(each) = each.as_deref_mut() {
            each.start(&parts.inventory);
        }
        if parts.each_batch(&mut |lines| {
            sums.add_seeing(lines, each.as_deref_mut());
            true
        }) {
            let report = sums.finish_seeing(each);
            let inventory = parts.inventory.clone();
            return done(bases, inventory, base, report, Ok(parts));
        }
    }
    // Read whole (the lines are given again from the first when some were).
    let (inventory, sources) = parts.whole()?;
    if let Some(each) = each.as_deref_mut() {
        each.start(&inventory);
    }
    let mut sums = LineSums::new(&inventory, &base);
    sums.add_seeing(&inventory.lines, each.as_deref_mut());
    let report = sums.finish_seeing(each);
    done(bases, inventory, base, report, Err(&sources))
}

/// An inventory computed, its errors pointing at the lines of their files (`files`: the
/// inventory's parts, kept when its lines were read a batch at a time, or the texts read),
/// its warnings without those `--allow` drops.
fn done<'b>(
    bases: &Bases,
    inventory: crate::inventory::Inventory,
    base: Cow<'b, FactorBase>,
    report: Result<crate::report::Report, InputErrors>,
    files: Result<files::InventoryParts, &files::Sources>,
) -> Result<Computed<'b>, InputErrors> {
    let sources = match &files {
        Ok(parts) => parts.sources(),
        Err(sources) => sources,
    };
    let mut report = report.map_err(|errors| {
        InputErrors(errors.0.into_iter().map(|e| sources.annotate(e)).collect())
    })?;
    report.warnings.retain(|w| !bases.allow.contains(&w.code));
    Ok(Computed {
        inventory,
        base: Some(base),
        report,
        parts: files.ok(),
    })
}

/// The group at `path` computed.
fn group_computed<'b>(path: &Path, bases: &'b Bases) -> Result<Computed<'b>, InputErrors> {
    let (inventory, report) = group::compute(path, bases)?;
    Ok(Computed {
        inventory,
        base: None,
        report,
        parts: None,
    })
}

/// Whether reading `path` as one inventory failed because it is a group.
fn is_group_error(errors: &InputErrors) -> bool {
    errors
        .0
        .iter()
        .any(|e| e.message == crate::load::inventory::GROUP_FILE)
}

/// The rows a loaded base skipped, as warnings naming its file and line.
fn defect_warnings(base: &LoadedBase) -> Vec<Warning> {
    let name = base
        .source
        .as_ref()
        .map_or_else(String::new, |s| s.name.clone());
    base.defects
        .iter()
        .map(|d| {
            Warning::new(
                Code::BaseRowSkipped,
                None,
                format!("{name}:{}: row skipped: {}", d.line, d.reason),
                format!("{name}:{} : ligne ignorée : {}", d.line, d.reason),
            )
        })
        .collect()
}
