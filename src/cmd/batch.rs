//! `bilan batch`: many inventories in one run (see [`crate::batch`]). Prints the summary table
//! on stdout, diagnostics in path order then a one-line tally on stderr; exit 1 if any failed.

use crate::batch::{self, Options};
use crate::output::{self, Sink};
use anyhow::Result;
use std::io::Write;

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
