//! One file per command; each loads, computes and renders, printing nothing else.

mod batch;
mod bcplus;
mod check;
mod compute;
mod diff;
mod explain;
mod factors;
mod import;
mod init;
mod posts;
mod report;
mod shell;
mod template;
mod trajectory;
mod uncertainty;

use crate::cli::{Cli, Command};
use crate::error::InputErrors;
use crate::factor_base::{FactorBase, LoadedBase};
use crate::load::base_cache::BaseCache;
use crate::load::files;
use crate::report::Warning;
use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs a parsed command line; `Ok(code)` is the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    let _ = PRINTING.set(Printing {
        lang: cli.lang(),
        allow: cli.allowed_warnings(),
        quiet: cli.quiet,
    });
    let mixed_organisations = cli.allow.contains(&crate::cli::Allow::MixedOrganisations);
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
                allow_mixed_organisations: mixed_organisations,
            },
        ),
        Command::Check {
            inventories,
            factors,
            strict,
            lang: _,
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
        Command::Explain {
            inventory,
            id,
            factors,
            format,
            lang,
        } => explain::run(explain::Options {
            inventory: &inventory,
            id: &id,
            factors: &factors,
            format,
            lang: lang.into(),
        }),
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
        Command::Import {
            command: crate::cli::ImportCommand::Bcplus { file, output },
        } => bcplus::import(&file, output.as_deref()),
        Command::Export {
            command:
                crate::cli::ExportCommand::Bcplus {
                    inventory,
                    factors,
                    output,
                },
        } => bcplus::export(&inventory, &factors, &output),
        Command::Template {
            output,
            inventory,
            lang,
        } => template::run(&output, inventory.as_deref(), lang),
    }
}

/// The embedded base plus the `--factors` files, read and merged once for all inventories; the
/// inventories' own `factors:` files are parsed once each too (by canonical path).
pub(crate) struct Bases {
    extra: Vec<LoadedBase>,
    shared: FactorBase,
    cache: BaseCache,
    /// A canonical folder inventories may not read outside of (`batch`'s input folder).
    within: Option<PathBuf>,
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
            within: None,
        })
    }

    /// Confines the inventories' `include:` and `factors:` to the canonical folder `root`.
    pub(crate) fn within(mut self, root: PathBuf) -> Bases {
        self.within = Some(root);
        self
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
                b.defects.iter().map(move |d| {
                    Warning::new(
                        crate::warning::Code::BaseRowSkipped,
                        None,
                        format!("{name}:{}: row skipped: {}", d.line, d.reason),
                        format!("{name}:{} : ligne ignorée : {}", d.line, d.reason),
                    )
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
    let (inventory, sources) = files::read_inventory_within(path, bases.within.as_deref())?;
    let base = bases.for_inventory(&inventory, path)?;
    let mut report = crate::compute::compute(&inventory, &base).map_err(|errors| {
        InputErrors(errors.0.into_iter().map(|e| sources.annotate(e)).collect())
    })?;
    drop_allowed(&mut report.warnings);
    Ok((inventory, report))
}

/// Writes a diagnostic line to stderr: input text shown, never sent to the terminal, and a
/// closed stderr (`bilan … 2>&1 | head -1`) ends quietly instead of panicking like `eprintln!`.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", $crate::text::printable(&text, true));
    }};
}
pub(crate) use note;

/// How diagnostics print, set once from the command line.
struct Printing {
    lang: crate::post::Lang,
    allow: Vec<crate::warning::Code>,
    quiet: bool,
}

static PRINTING: std::sync::OnceLock<Printing> = std::sync::OnceLock::new();

/// The output language of the command.
pub(crate) fn lang() -> crate::post::Lang {
    PRINTING.get().map_or(crate::post::Lang::Fr, |p| p.lang)
}

/// True with `--quiet`: only errors go to stderr.
pub(crate) fn quiet() -> bool {
    PRINTING.get().is_some_and(|p| p.quiet)
}

/// Whether `--allow` silences this warning.
pub(crate) fn allowed(warning: &Warning) -> bool {
    PRINTING
        .get()
        .is_some_and(|p| p.allow.contains(&warning.code))
}

/// Drops the warnings `--allow` silences (the inventory's `allow:` is applied by the engine).
pub(crate) fn drop_allowed(warnings: &mut Vec<Warning>) {
    warnings.retain(|w| !allowed(w));
}

/// Prints warnings on stderr, in the command's language (none with `--quiet`, none that
/// `--allow` silences).
pub(crate) fn print_warnings(warnings: &[Warning]) {
    if quiet() {
        return;
    }
    // `warning:` stays as is (like `error:`): scripts grep it; the message is translated.
    let lang = lang();
    let mut stderr = std::io::stderr().lock();
    for warning in warnings.iter().filter(|w| !allowed(w)) {
        let text = warning.text(lang);
        // A closed stderr is not a panic; input text never drives the terminal.
        let _ = writeln!(stderr, "warning: {}", crate::text::printable(&text, true));
    }
}
