//! A group through the pipeline: its entities read (`load::group`), each computed alone for
//! the breakdown, then the group's lines (the entities' lines × their factors) computed as one
//! inventory, so every command and format that takes an inventory takes a group.

use super::Bases;
use crate::consolidation;
use crate::error::{InputError, InputErrors, Position};
use crate::inventory::Inventory;
use crate::report::Report;
use std::path::Path;

/// Reads, checks and computes the group at `path`; its report carries the consolidation.
pub(super) fn compute(path: &Path, bases: &Bases) -> Result<(Inventory, Report), InputErrors> {
    let group = crate::load::group::read_group(path, bases.within.as_deref())?;
    let annotate = |errors: InputErrors| {
        InputErrors(
            errors
                .0
                .into_iter()
                .map(|e| group.sources.annotate(e))
                .collect(),
        )
    };
    let mut alone = Vec::with_capacity(group.entities.len());
    let mut errors = Vec::new();
    for entity in &group.entities {
        let computed = bases
            .for_inventory(&entity.inventory, Path::new(&entity.file))
            .and_then(|base| crate::compute::compute(&entity.inventory, &base));
        match computed {
            Ok(report) => alone.push(report),
            Err(e) => errors.extend(annotate(e).0),
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    let merged = consolidation::merge(&group.inventory, &group.entities);
    let base = bases.for_inventory(&merged, path)?;
    let mut report = crate::compute::compute(&merged, &base).map_err(annotate)?;
    let breakdown = consolidation::breakdown(group.approach, &group.entities, &alone, &report)
        .map_err(|message| {
            InputError::new(
                Position::file(&crate::load::files::display(path).as_str().into()),
                message,
            )
            .help("give the entities factor files that agree, or inline the factor that differs")
        })?;
    report.consolidation = Some(Box::new(breakdown));
    report.warnings.retain(|w| !bases.allow.contains(&w.code));
    Ok((merged, report))
}
