//! `bilan init`: a commented starter inventory, one line per common post with real factor ids
//! of the embedded base. Never overwrites a file.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `bilan init`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to create [default: YEAR.yaml]; `-` writes to standard output.
    #[arg(value_name = "FILE.yaml")]
    pub output: Option<PathBuf>,
    /// The inventory's year [default: last year].
    #[arg(long, value_parser = clap::value_parser!(i16).range(1990..=2200))]
    pub year: Option<i16>,
}

impl Args {
    /// Runs the command.
    pub(crate) fn run(self) -> Result<u8> {
        run(self.output.as_deref(), self.year)
    }
}

/// The starter inventory; `{YEAR}`, `{NEXT}` and `{FILE}` are filled in.
const TEMPLATE: &str = include_str!("init.yaml");

/// The starter inventory for `year`, naming itself `file` in its comments.
pub fn starter(year: i16, file: &str) -> String {
    TEMPLATE
        .replace("{YEAR}", &year.to_string())
        .replace("{NEXT}", &(i32::from(year) + 1).to_string())
        .replace("{FILE}", file)
}

/// The year an inventory started today is most likely about: the last complete calendar year.
fn last_year() -> i16 {
    jiff::ZonedDateTime::now().year() - 1
}

pub(crate) fn run(path: Option<&Path>, year: Option<i16>) -> Result<u8> {
    let year = year.unwrap_or_else(last_year);
    let path: PathBuf =
        path.map_or_else(|| PathBuf::from(format!("{year}.yaml")), Path::to_path_buf);
    if path.as_os_str() == "-" {
        let text = starter(year, &format!("{year}.yaml"));
        crate::output::write(&crate::output::Sink::Stdout, &text)?;
        return Ok(0);
    }
    let text = starter(year, &path.display().to_string());
    // create_new: refuses an existing file (or a link to one) without a window between the check
    // and the write; the new file gets the usual 0666 & ~umask.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists: bilan init never overwrites a file (give another name, or `-` for standard output)",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    super::note!(
        "wrote {}: fill in the quantities, then `bilan check {}`",
        path.display(),
        path.display()
    );
    Ok(0)
}
