//! `bilan import bcplus`: a Bilan Carbone+ emission-source export → `lines:` (YAML).

use crate::load::{bcplus, files};
use crate::output::{self, Sink};
use anyhow::{Result, bail};
use std::path::Path;

/// Reads the export, lists on stderr what could not be mapped, writes the lines.
pub(crate) fn import(file: &Path, out: Option<&Path>) -> Result<u8> {
    let sink = Sink::new(out);
    output::refuse_inputs(&sink, &[file])?;
    let imported = bcplus::read_export(file)?;
    for u in &imported.unmapped {
        eprintln!("warning: {}: not mapped: `{}`: {}", u.at, u.name, u.reason);
    }
    eprintln!(
        "{} lines imported, {} sources not mapped",
        imported.lines.len(),
        imported.unmapped.len()
    );
    let text = match crate::render::bcplus::yaml(&files::display(file), &imported) {
        Ok(t) => t,
        Err(e) => bail!("cannot write YAML: {e}"),
    };
    output::write(&sink, &text)?;
    Ok(if imported.lines.is_empty() { 1 } else { 0 })
}

/// `bilan export bcplus`: computes the inventory, writes its sources as Bilan Carbone+'s
/// import sheet; each line left out is a warning; exit 1 when none can be exported.
pub(crate) fn export(inventory: &Path, factors: &[std::path::PathBuf], out: &Path) -> Result<u8> {
    let sink = Sink::File(out);
    let mut inputs: Vec<&Path> = vec![inventory];
    inputs.extend(factors.iter().map(std::path::PathBuf::as_path));
    output::refuse_inputs(&sink, &inputs)?;
    let bases = super::bases(factors)?;
    super::print_warnings(&bases.defects());
    let (inv, report) = super::compute_with_inventory(inventory, &bases)?;
    let sources = crate::bcplus_export::sources(&inv, &report);
    for s in &sources.skipped {
        eprintln!("warning: line `{}` not exported: {}", s.id, s.reason);
    }
    for s in &sources.caveats {
        eprintln!("warning: line `{}`: {}", s.id, s.reason);
    }
    eprintln!(
        "{} sources exported, {} lines left out",
        sources.rows.len(),
        sources.skipped.len()
    );
    if sources.rows.is_empty() {
        bail!(
            "no line of {} can be exported to Bilan Carbone+",
            files::display(inventory)
        );
    }
    let start = inv.period.start;
    let date = format!("{:02}/{:02}/{}", start.day, start.month, start.year);
    let bytes = crate::render::bcplus::xlsx(&inv.organisation.name, &date, &sources)
        .map_err(|e| anyhow::anyhow!("cannot build the workbook: {e}"))?;
    output::write_atomically(out, &bytes)?;
    Ok(0)
}
