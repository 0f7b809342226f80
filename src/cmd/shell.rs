//! `bilan completions SHELL` and `bilan man`: generated from the command line's own definition,
//! so they never drift from it.

use crate::cli::Cli;
use crate::output::{self, Sink};
use anyhow::Result;
use clap::CommandFactory;

pub(crate) fn completions(shell: clap_complete::Shell) -> Result<u8> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "bilan", &mut script);
    output::write_with(&Sink::Stdout, |out| out.write_all(&script))?;
    Ok(0)
}

pub(crate) fn man() -> Result<u8> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    output::write_with(&Sink::Stdout, |out| out.write_all(&page))?;
    Ok(0)
}
