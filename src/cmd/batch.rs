//! `bilan batch`: many inventories in one run (see [`crate::batch`]). Prints the summary table
//! on stdout, diagnostics in path order then a one-line tally on stderr; exit 1 if any failed.

use crate::batch::{self, Options};
use crate::cli::{BatchFormat, CsvArgs, FactorFiles};
use crate::output::{self, Sink};
use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;

/// `bilan batch`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder holding the inventories (searched at any depth).
    #[arg(value_name = "FOLDER")]
    pub root: PathBuf,
    /// Which files are inventories, relative to FOLDER (`*` stays within a folder, `**`
    /// crosses them); repeatable [default: **/*.yaml and **/*.yml].
    #[arg(long = "glob", value_name = "PATTERN")]
    pub globs: Vec<String>,
    /// The folder to write into (created as needed; not the input folder itself).
    #[arg(long, short, value_name = "FOLDER")]
    pub output: PathBuf,
    #[command(flatten)]
    pub factors: FactorFiles,
    /// Format of each inventory's result.
    #[arg(long, value_enum, default_value_t = BatchFormat::Json)]
    pub format: BatchFormat,
    #[command(flatten)]
    pub csv: CsvArgs,
}

impl Args {
    /// Runs the command.
    pub(crate) fn run(self, globals: &super::Globals) -> Result<u8> {
        run(crate::batch::Options {
            root: self.root,
            globs: self.globs,
            output: self.output,
            factors: self.factors.factors,
            format: self.format.into(),
            dialect: self.csv.csv_dialect.into(),
            lang: globals.lang,
            progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            allow: super::allowed_codes(),
            quiet: super::quiet(),
        })
    }
}

pub(crate) fn run(options: Options) -> Result<u8> {
    let outcome = batch::run(&options)?;
    // Thousands of warnings are one write, not one each.
    let mut stderr = std::io::BufWriter::new(std::io::stderr().lock());
    for message in &outcome.messages {
        let _ = writeln!(stderr, "{}", crate::text::printable(message, true));
    }
    let _ = stderr.flush();
    drop(stderr);
    output::write(
        &Sink::Stdout,
        &crate::render::batch::table(&outcome, options.lang),
    )?;
    if !super::quiet() {
        super::note!("{}", crate::render::batch::tally(&outcome));
    }
    Ok(if outcome.success() { 0 } else { 1 })
}
