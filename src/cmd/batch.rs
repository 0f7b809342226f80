//! `bilan batch`: many inventories in one run (see [`crate::batch`]). Prints the summary table
//! on stdout, diagnostics in path order then a one-line tally on stderr; exit 1 if any failed.

use crate::batch::{self, Options};
use crate::output::{self, Sink};
use anyhow::Result;

pub(crate) fn run(options: Options) -> Result<u8> {
    let outcome = batch::run(&options)?;
    for message in &outcome.messages {
        eprintln!("{message}");
    }
    output::write(&Sink::Stdout, &outcome.table(options.lang))?;
    eprintln!("{}", outcome.tally());
    Ok(if outcome.success() { 0 } else { 1 })
}
