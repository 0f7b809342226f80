//! One file per command; each loads, computes and renders, printing nothing else.

mod batch;
mod check;
mod compute;
mod diff;
mod factors;
mod import;
mod init;
mod posts;
mod report;
mod shell;
mod trajectory;
mod uncertainty;

use crate::cli::{Cli, Command};
use crate::error::InputErrors;
use crate::factor_base::{FactorBase, LoadedBase};
use crate::load::base_cache::BaseCache;
use crate::load::files;
use crate::report::Warning;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Runs a parsed command line; `Ok(code)` is the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Compute {
            inventories,
            factors,
            format,
            output,
            lang,
            lines,
            by,
            uncertainty,
            view,
            allow,
        } => compute::run(
            &inventories,
            &factors,
            compute::Options {
                format,
                output: output.as_deref(),
                lang: lang.into(),
                lines,
                by,
                uncertainty,
                view,
                allow_mixed_organisations: allow.contains(&crate::cli::Allow::MixedOrganisations),
            },
        ),
        Command::Check {
            inventories,
            factors,
            strict,
        } => check::run(&inventories, &factors, strict),
        Command::Batch {
            root,
            globs,
            output,
            factors,
            format,
            lang,
        } => batch::run(crate::batch::Options {
            root,
            globs,
            output,
            factors,
            format,
            lang: lang.into(),
            progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        }),
        Command::Diff {
            before,
            after,
            factors,
            factors_old,
            factors_new,
            format,
            output,
            lang,
            fail_above,
        } => diff::run(diff::Options {
            before: &before,
            after: after.as_deref(),
            factors: &factors,
            upgrade: factors_old.as_deref().zip(factors_new.as_deref()),
            format,
            output: output.as_deref(),
            lang: lang.into(),
            fail_above: &fail_above,
        }),
        Command::Report {
            inventory,
            output,
            factors,
            history,
            target,
            lang,
            logo,
        } => report::run(report::Options {
            inventory: &inventory,
            output: &output,
            factors: &factors,
            history: &history,
            target,
            lang: lang.into(),
            logo: logo.as_deref(),
        }),
        Command::Trajectory {
            inventory,
            target,
            until,
            history,
            factors,
            format,
            output,
            lang,
        } => trajectory::run(trajectory::Options {
            inventory: &inventory,
            target,
            until,
            history: &history,
            factors: &factors,
            format,
            output: output.as_deref(),
            lang: lang.into(),
        }),
        Command::Posts { lang } => posts::run(lang.into()),
        Command::Init { output, year } => init::run(output.as_deref(), year),
        Command::Completions { shell } => shell::completions(shell),
        Command::Man => shell::man(),
        Command::Factors { command } => factors::run(command),
        Command::Import {
            command:
                crate::cli::ImportCommand::Fec {
                    file,
                    year,
                    mapping,
                    by_supplier,
                    inventory,
                    factors,
                    output,
                },
        } => import::fec(&import::FecOptions {
            file: &file,
            year,
            mapping: mapping.as_deref(),
            by_supplier,
            inventory: inventory.as_deref(),
            factors: &factors,
            output: output.as_deref(),
        }),
    }
}

/// The embedded base plus the `--factors` files, read and merged once for all inventories; the
/// inventories' own `factors:` files are parsed once each too (by canonical path).
pub(crate) struct Bases {
    extra: Vec<LoadedBase>,
    shared: FactorBase,
    cache: BaseCache,
}

impl Bases {
    pub(crate) fn load(extra: &[PathBuf]) -> Result<Bases, InputErrors> {
        let embedded = crate::embedded::base()?;
        let mut loaded = Vec::new();
        let mut errors = Vec::new();
        for path in extra {
            match files::read_base(path) {
                Ok(base) => loaded.push(base),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(InputErrors(errors));
        }
        let mut shared = embedded;
        for base in &loaded {
            shared.merge(base.clone());
        }
        Ok(Bases {
            extra: loaded,
            shared,
            cache: BaseCache::new(),
        })
    }

    /// Defective rows skipped in the `--factors` files, as warnings.
    pub(crate) fn defects(&self) -> Vec<Warning> {
        self.extra
            .iter()
            .flat_map(|b| {
                let name = b
                    .source
                    .as_ref()
                    .map_or_else(String::new, |s| s.name.clone());
                b.defects.iter().map(move |d| Warning {
                    at: None,
                    message: format!("{name}:{}: row skipped: {}", d.line, d.reason),
                })
            })
            .collect()
    }

    /// The merged base for one inventory.
    pub(crate) fn for_inventory(
        &self,
        inventory: &crate::inventory::Inventory,
        path: &Path,
    ) -> Result<FactorBase, InputErrors> {
        files::add_inventory_bases(self.shared.clone(), inventory, path, |file| {
            self.cache.read(file)
        })
    }

    /// The embedded base plus the extra files, without any inventory.
    pub(crate) fn merged(&self) -> FactorBase {
        self.shared.clone()
    }
}

/// Reads, checks and computes one inventory; errors carry the source line.
pub(crate) fn compute_one(
    path: &Path,
    bases: &Bases,
) -> Result<crate::report::Report, InputErrors> {
    compute_with_inventory(path, bases).map(|(_, report)| report)
}

/// Like [`compute_one`], keeping the inventory (for its actions).
pub(crate) fn compute_with_inventory(
    path: &Path,
    bases: &Bases,
) -> Result<(crate::inventory::Inventory, crate::report::Report), InputErrors> {
    let (inventory, sources) = files::read_inventory(path)?;
    let base = bases.for_inventory(&inventory, path)?;
    let report = crate::compute::compute(&inventory, &base).map_err(|errors| {
        InputErrors(errors.0.into_iter().map(|e| sources.annotate(e)).collect())
    })?;
    Ok((inventory, report))
}

/// Prints warnings on stderr.
pub(crate) fn print_warnings(warnings: &[Warning]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}
