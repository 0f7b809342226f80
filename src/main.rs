use bilan::error::InputErrors;
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = bilan::cli::Cli::parse();
    match bilan::cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            match error.downcast_ref::<InputErrors>() {
                Some(errors) => errors
                    .0
                    .iter()
                    .for_each(|e| bilan::diagnostic!("error: {e}")),
                None => bilan::diagnostic!("error: {error:#}"),
            }
            ExitCode::from(1)
        }
    }
}
