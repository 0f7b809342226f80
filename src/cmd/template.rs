//! `bilan template -o collecte.xlsx [--inventory INV]`: the collection workbook (see
//! [`crate::render::template`]).

use crate::load::files;
use crate::output::{self, Sink};
use crate::post::Lang;
use crate::render::template::{Heading, workbook};
use anyhow::Result;
use std::path::Path;

pub(crate) fn run(path: &Path, inventory: Option<&Path>, lang: Lang) -> Result<u8> {
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        crate::usage!(
            "bilan template writes an Excel workbook: give -o FILE.xlsx (not {})",
            path.display()
        );
    }
    let sink = Sink::File(path);
    if let Some(inventory) = inventory {
        output::refuse_inputs(&sink, &[inventory])?;
    }
    let bases = super::bases(&[])?;
    let (heading, base) = match inventory {
        Some(inventory_path) => {
            let (inventory, _) = files::read_inventory(inventory_path)?;
            let base = bases
                .for_inventory(&inventory, inventory_path)?
                .into_owned();
            let period = format!("{} – {}", inventory.period.start, inventory.period.end);
            (
                Heading {
                    organisation: Some(inventory.organisation.name.clone()),
                    period: Some(period),
                },
                base,
            )
        }
        None => (Heading::default(), bases.merged()),
    };
    let mut book = workbook(base.iter(), &heading, lang)?;
    let bytes = book.save_to_buffer()?;
    output::write_atomically(path, &bytes)?;
    Ok(0)
}
