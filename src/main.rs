use bilan::error::{InputErrors, Usage};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
/// mimalloc: the parsers allocate many small strings, which the system allocator serves
/// slower and returns to the kernel too eagerly (page faults on every big read). Built without
/// transparent huge pages (`no_thp`): partly used 2 MB pages kept a big run's peak up to a
/// third higher (see the README's performance section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = bilan::cli::Cli::parse();
    bilan::interrupt::install();
    bilan::render::grid::set_terminal(terminal(&cli));
    match bilan::cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // Messages quote values from input files: their control characters are shown,
            // never sent to the terminal. A closed stderr (`2>&1 | head -1`) is not a panic.
            let print = |text: String| {
                let _ = writeln!(
                    std::io::stderr(),
                    "error: {}",
                    bilan::text::printable(&text, true)
                );
            };
            if let Some(usage) = error.downcast_ref::<Usage>() {
                print(format!("{usage}\n\nFor more information, try '--help'."));
                return ExitCode::from(2);
            }
            if error.is::<bilan::interrupt::Interrupted>() {
                print(format!("{error:#}"));
                return ExitCode::from(bilan::interrupt::EXIT_CODE);
            }
            match error.downcast_ref::<InputErrors>() {
                Some(errors) => errors.printed().into_iter().for_each(print),
                None => print(format!("{error:#}")),
            }
            ExitCode::from(1)
        }
    }
}

/// How tables print: fitted and coloured only for a terminal, unless asked.
fn terminal(cli: &bilan::cli::Cli) -> bilan::render::grid::Terminal {
    use bilan::cli::ColorArg;
    use std::io::IsTerminal;
    let on_terminal = cli.prints_to_stdout() && std::io::stdout().is_terminal();
    let width = cli.width.or_else(|| {
        on_terminal.then(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<u16>().ok())
                .filter(|&c| c >= 20)
                .or_else(|| crossterm::terminal::size().ok().map(|(w, _)| w))
        })?
    });
    let color = match cli.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            on_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    };
    bilan::render::grid::Terminal { width, color }
}
