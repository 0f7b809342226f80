//! `bilan import fec`: purchases from the accounting ledger → inventory lines (YAML, `lines:`
//! only, for `include:`), with a summary of what is covered, excluded and unmapped on stderr.

use crate::error::{InputError, InputErrors, Position};
use crate::fec::{self, Counted, ReadOptions};
use crate::inventory::{Date, Inventory, Period};
use crate::load::{self, files};
use crate::output::{self, Sink};
use crate::render::fec::Source;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `bilan import fec` was asked.
pub(crate) struct FecOptions<'a> {
    pub(crate) file: &'a Path,
    pub(crate) year: Option<i32>,
    pub(crate) mapping: Option<&'a Path>,
    pub(crate) by_supplier: bool,
    pub(crate) inventory: Option<&'a Path>,
    pub(crate) factors: &'a [PathBuf],
    pub(crate) output: Option<&'a Path>,
}

pub(crate) fn fec(options: &FecOptions<'_>) -> Result<u8> {
    let sink = Sink::new(options.output);
    let mut inputs: Vec<&Path> = vec![options.file];
    inputs.extend(options.mapping);
    inputs.extend(options.inventory);
    inputs.extend(options.factors.iter().map(PathBuf::as_path));
    output::refuse_inputs(&sink, &inputs)?;
    let bases = super::bases(options.factors)?;
    super::print_warnings(&bases.defects());
    let (base, counted, inventory_period) = match options.inventory {
        Some(path) => {
            let inventory = read_inventory(path, options.output)?;
            let base = bases.for_inventory(&inventory, path)?.into_owned();
            if let Some(line) = inventory.lines.iter().find(|l| l.id.starts_with("fec-"))
                && !super::quiet()
            {
                super::note!(
                    "warning: {}: the inventory already has line `{}` (imported from a FEC?): including the output too would count it twice",
                    line.at.line(),
                    line.id
                );
            }
            (
                base,
                Counted::from_lines(&inventory.lines),
                Some(inventory.period),
            )
        }
        None => (bases.merged(), Counted::default(), None),
    };
    let period = match (options.year, inventory_period) {
        (Some(year), _) => {
            let (Some(start), Some(end)) = (Date::new(year, 1, 1), Date::new(year, 12, 31)) else {
                bail!("--year {year} is not a year");
            };
            Period { start, end }
        }
        (None, Some(period)) => period,
        (None, None) => bail!("give --year, or --inventory to use its period"),
    };
    let mut mapping = load::fec::default_mapping()?;
    if let Some(path) = options.mapping {
        mapping.extend(load::fec::read_mapping(path)?);
    }
    load::fec::check_factors(&mapping, &base)?;
    let read = ReadOptions {
        period,
        suppliers: options.by_supplier || !mapping.suppliers.is_empty(),
        mapping: &mapping,
    };
    let ledger = load::fec::read_fec(options.file, &read)?;
    if ledger.in_period == 0 && ledger.rows > 0 {
        // Lines of another year would give an empty file that looks like "no purchases".
        bail!(
            "{}: none of its {} lines is dated in {} – {} ({}): is it the ledger of another year? Give the right FEC, or --year",
            ledger.file,
            ledger.rows,
            period.start,
            period.end,
            if options.year.is_some() {
                "--year"
            } else {
                "the period of --inventory"
            }
        );
    }
    let plan = fec::plan(&ledger, &mapping, &counted, options.by_supplier, &base);
    let source = Source {
        fec: &ledger.file,
        by_supplier: options.by_supplier,
    };
    if !super::quiet() {
        let summary = crate::render::fec::summary(&ledger, &plan, &mapping, &source);
        super::note!("{}", summary.trim_end_matches('\n'));
    }
    output::write(
        &sink,
        &crate::render::fec::render(&ledger, &plan, &mapping, &source),
    )?;
    Ok(0)
}

/// Reads an inventory and the files it includes, except `output` (the file being generated,
/// which the inventory may include already, or not have yet).
fn read_inventory(path: &Path, output: Option<&Path>) -> Result<Inventory, InputErrors> {
    let name = files::display(path);
    let text = utf8(path)?;
    let mut inventory = load::inventory::parse(&name, &text)?;
    let folder = path.parent().unwrap_or(Path::new(""));
    let mut ids: load::inventory::LineIds = inventory.lines.iter().map(|l| l.id.clone()).collect();
    let mut errors = Vec::new();
    for (file, at) in inventory.includes.clone() {
        let included = folder.join(&file);
        if output.is_some_and(|o| same_file(o, &included)) {
            continue;
        }
        let text = match utf8(&included) {
            Ok(text) => text,
            Err(e) => {
                let reason =
                    e.0.first()
                        .map_or_else(String::new, |e| format!(": {}", e.message));
                errors.push(InputError::new(
                    at,
                    format!("cannot include `{file}`{reason}"),
                ));
                continue;
            }
        };
        let name = files::display(&included);
        match load::inventory::parse_included(&name, &text, inventory.lines.len(), &mut ids) {
            Ok(lines) => inventory.lines.extend(lines),
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(inventory)
    } else {
        Err(InputErrors(errors))
    }
}

fn utf8(path: &Path) -> Result<String, InputErrors> {
    let bytes = files::read(path)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        let name: Arc<str> = Arc::from(files::display(path).as_str());
        InputError::new(Position::file(&name), "the file is not UTF-8 text")
            .help("save the inventory as UTF-8")
            .into()
    })
}

/// Whether two paths name the same file, the second one possibly not existing yet.
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = std::fs::canonicalize(p) {
            return Some(c);
        }
        let parent = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
    };
    match (resolve(a), resolve(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}
