//! `bilan template`: the collection workbook a CSR officer sends to colleagues.

use crate::inventory::FactorRef;
use crate::load::files;
use crate::output::{self, Sink};
use crate::post::Lang;
use crate::render::template::{EXAMPLE_FACTORS, Template};
use anyhow::{Result, bail};
use std::path::Path;
use std::path::PathBuf;

/// `bilan template`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workbook to write (.xlsx; atomically, never onto an input).
    #[arg(long, short, value_name = "FILE.xlsx")]
    pub output: PathBuf,
    /// The inventory it collects for: its organisation and period head the instructions,
    /// the factors its lines use join the factors sheet.
    #[arg(long, value_name = "INVENTORY.yaml")]
    pub inventory: Option<PathBuf>,
}

impl Args {
    /// Runs the command.
    pub(crate) fn run(self, globals: &super::Globals) -> Result<u8> {
        run(&self.output, self.inventory.as_deref(), globals.lang)
    }
}

/// Writes the workbook to `out` (`.xlsx` only); with an inventory, names its organisation and
/// period and lists the factors its lines use too.
pub(crate) fn run(out: &Path, inventory: Option<&Path>, lang: Lang) -> Result<u8> {
    let is_xlsx = out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        crate::usage!(
            "-o {}: the collection workbook is an .xlsx file (e.g. -o collecte-2025.xlsx)",
            out.display()
        );
    }
    let sink = Sink::File(out);
    let inputs: Vec<&Path> = inventory.into_iter().collect();
    output::refuse_inputs(&sink, &inputs)?;
    let embedded = crate::embedded::base()?;
    let mut ids: Vec<String> = EXAMPLE_FACTORS.iter().map(|s| (*s).to_string()).collect();
    let mapping = crate::load::fec::default_mapping()?;
    ids.extend(
        mapping
            .accounts
            .values()
            .chain(mapping.suppliers.values())
            .filter_map(|r| r.factor.clone()),
    );
    let mut loaded = None;
    if let Some(path) = inventory {
        let bases = super::bases(&[])?;
        let inv = read_inventory(path, out)?;
        let base = bases.for_inventory(&inv, path)?.into_owned();
        for line in &inv.lines {
            if let FactorRef::Id(id) = &line.factor {
                ids.push(id.to_string());
            }
        }
        loaded = Some((inv, base));
    }
    let base = loaded.as_ref().map_or(&embedded, |(_, b)| b);
    ids.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
    ids.dedup();
    let mut factors = Vec::with_capacity(ids.len());
    for id in &ids {
        match base.get(id) {
            Some(f) => factors.push(f.as_ref()),
            None => super::note!("warning: factor `{id}` is in no factor base: not listed"),
        }
    }
    let period = loaded.as_ref().map(|(inv, _)| {
        (
            inv.organisation.name.as_str(),
            format!("{} – {}", inv.period.start, inv.period.end),
        )
    });
    let file_name = out
        .file_name()
        .map_or_else(|| "collecte.xlsx".into(), |n| n.to_string_lossy());
    let template = Template {
        lang,
        inventory: period,
        factors,
        file_name: &file_name,
    };
    let bytes = crate::render::template::workbook(&template)
        .and_then(|mut w| w.save_to_buffer())
        .map_err(|e| anyhow::anyhow!("cannot build the workbook: {e}"))?;
    output::write_atomically(out, &bytes)?;
    if !super::quiet() {
        super::note!(
            "{} written: sheets lines, {} ({} factors), instructions, lists",
            files::display(out),
            crate::render::template::factors_sheet(lang),
            template.factors.len()
        );
    }
    Ok(0)
}

/// Reads the inventory and its includes; when `out` is one of them (the workbook being
/// prepared, not given back yet), the inventory alone; never when `out` holds collected lines.
fn read_inventory(path: &Path, out: &Path) -> Result<crate::inventory::Inventory> {
    let name = files::display(path);
    let alone = crate::load::inventory::parse(&name, &files::read_text(path)?)?;
    let folder = path.parent().unwrap_or(Path::new(""));
    let included = alone
        .includes
        .iter()
        .any(|(file, _)| super::import::same_file(out, &folder.join(file)));
    if !included {
        return Ok(files::read_inventory(path)?.0);
    }
    if out.exists() {
        bail!(
            "{} is included by {name}: it holds the lines collected; write the new workbook under another name",
            files::display(out)
        );
    }
    super::note!(
        "note: {} is included by {name} and not there yet: the factors of the inventory's own lines are listed, not those of its other includes",
        files::display(out)
    );
    Ok(alone)
}
