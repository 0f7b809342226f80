//! One file per command; each loads, computes and renders, printing nothing else.

pub mod batch;
mod bcplus;
pub mod check;
pub mod compute;
pub mod diff;
pub mod explain;
mod factors;
mod import;
pub mod init;
mod posts;
pub mod report;
mod shell;
mod spill;
pub mod template;
pub mod trajectory;
mod uncertainty;

use crate::cli::{Cli, Command};
use crate::report::Warning;
use anyhow::Result;
use std::io::Write;

/// What every command takes from the global options.
pub(crate) struct Globals {
    /// `--lang`.
    pub lang: crate::post::Lang,
    /// `--allow mixed-organisations`.
    pub mixed_organisations: bool,
}

/// Runs a parsed command line; `Ok(code)` is the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    let _ = PRINTING.set(Printing {
        lang: cli.lang(),
        allow: cli.allowed_warnings(),
        quiet: cli.quiet,
    });
    let globals = Globals {
        lang: cli.lang(),
        mixed_organisations: cli.allow.contains(&crate::cli::Allow::MixedOrganisations),
    };
    let lang = globals.lang;
    match cli.command {
        Command::Compute(args) => args.run(&globals),
        Command::Check(args) => args.run(),
        Command::Batch(args) => args.run(&globals),
        Command::Diff(args) => args.run(&globals),
        Command::Report(args) => args.run(&globals),
        Command::Trajectory(args) => args.run(&globals),
        Command::Explain(args) => args.run(&globals),
        Command::Init(args) => args.run(),
        Command::Template(args) => args.run(&globals),
        Command::Posts => posts::run(lang),
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
                    factors: crate::cli::FactorFiles { factors },
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
                    factors: crate::cli::FactorFiles { factors },
                    output,
                },
        } => bcplus::export(&inventory, &factors, &output),
    }
}

pub(crate) use crate::session::{Bases, compute_totals_one, compute_with_inventory};

/// `--format beges` or `beges-md` without `--view beges-v5`: a usage error.
pub(crate) fn refuse_beges(format: crate::cli::ComputeFormat) -> Result<()> {
    if format.is_beges() {
        crate::usage!(
            "--format beges and beges-md are the BEGES publication sheet: use them with `bilan compute INVENTORY --view beges-v5`"
        );
    }
    Ok(())
}

/// The factor bases of a command: the embedded base and `--factors`, `--allow` applied. Never
/// freed: the process ends with the command, and freeing tens of thousands of factors one by
/// one would take longer than computing with them.
pub(crate) fn bases(
    factors: &[std::path::PathBuf],
) -> Result<std::mem::ManuallyDrop<Bases>, crate::error::InputErrors> {
    Ok(std::mem::ManuallyDrop::new(
        Bases::load(factors)?.allowing(allowed_codes()),
    ))
}

/// A binary workbook is never sent to a terminal.
pub(crate) fn refuse_terminal(sink: &crate::output::Sink<'_>) -> Result<()> {
    let to_terminal = matches!(sink, crate::output::Sink::Stdout)
        && std::io::IsTerminal::is_terminal(&std::io::stdout());
    if to_terminal {
        crate::usage!(
            "--format xlsx writes a workbook: give -o FILE.xlsx (or redirect the output)"
        );
    }
    Ok(())
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

/// The codes `--allow` silences.
pub(crate) fn allowed_codes() -> Vec<crate::warning::Code> {
    PRINTING.get().map_or_else(Vec::new, |p| p.allow.clone())
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
