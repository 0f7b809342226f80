//! `bilan check`: silent and exit 0 when fine; errors and warnings on stderr, exit 1 on errors
//! (and on warnings with `--strict`).

use super::{compute_totals_one, print_warnings};
use crate::cli::FactorFiles;
use crate::error::Position;
use crate::load::files;
use crate::report::{PostStatus, Warning};
use crate::warning::Code;
use anyhow::Result;
use std::path::PathBuf;
use std::sync::Arc;

/// `bilan check`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The inventory files (YAML).
    #[arg(required = true, value_name = "INVENTORY.yaml")]
    pub inventories: Vec<PathBuf>,
    #[command(flatten)]
    pub factors: FactorFiles,
    /// Fail on warnings, posts not collected and overridden factor ids too (except the
    /// codes allowed by --allow or the inventory's `allow:`).
    #[arg(long)]
    pub strict: bool,
}

impl Args {
    /// Runs the command.
    pub(crate) fn run(self) -> Result<u8> {
        run(&self.inventories, &self.factors.factors, self.strict)
    }
}

pub(crate) fn run(inventories: &[PathBuf], factors: &[PathBuf], strict: bool) -> Result<u8> {
    let bases = super::bases(factors)?;
    let mut failed = false;
    let mut warned = false;
    let defects = bases.defects();
    warned |= !defects.is_empty();
    print_warnings(&defects);
    for path in inventories {
        match compute_totals_one(path, &bases) {
            Ok(report) => {
                let mut warnings = report.warnings.clone();
                if strict {
                    warnings.extend(report.posts.iter().filter(|p| p.status == PostStatus::NotCollected).map(|p| Warning::new(
                        Code::NotCollected,
                        Some(Position::file(&Arc::from(files::display(path).as_str()))),
                        format!(
                            "post {} is not collected: add its lines, or declare it not-applicable (with a reason) or in-progress",
                            p.post.code()
                        ),
                        format!(
                            "le poste {} n'est pas collecté : ajoutez ses lignes, ou déclarez-le not-applicable (avec une raison) ou in-progress",
                            p.post.code()
                        ),
                    )));
                    warnings.extend(report.overrides.iter().map(|o| Warning::new(
                        Code::FactorOverride,
                        Some(Position::file(&Arc::from(files::display(path).as_str()))),
                        format!(
                            "factor {} of {} is overridden by {} with other values",
                            o.id, o.replaced, o.by
                        ),
                        format!(
                            "le facteur {} de {} est remplacé par celui de {}, de valeurs différentes",
                            o.id, o.replaced, o.by
                        ),
                    )));
                }
                warnings.retain(|w| !report.allowed.contains(&w.code));
                warnings.retain(|w| !super::allowed(w));
                warned |= !warnings.is_empty();
                print_warnings(&warnings);
            }
            Err(errors) => {
                failed = true;
                for error in errors.printed() {
                    super::note!("error: {error}");
                }
            }
        }
    }
    if failed {
        return Ok(1);
    }
    if strict && warned {
        super::note!("check --strict: warnings count as errors");
        return Ok(1);
    }
    Ok(0)
}
