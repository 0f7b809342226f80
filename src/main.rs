use bilan::error::{InputErrors, Usage};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = bilan::cli::Cli::parse();
    match bilan::cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            if let Some(usage) = error.downcast_ref::<Usage>() {
                eprintln!("error: {usage}\n\nFor more information, try '--help'.");
                return ExitCode::from(2);
            }
            match error.downcast_ref::<InputErrors>() {
                Some(errors) => errors.0.iter().for_each(|e| eprintln!("error: {e}")),
                None => eprintln!("error: {error:#}"),
            }
            ExitCode::from(1)
        }
    }
}
