//! Writing results: to stdout, or to a file through a temporary file renamed into place, so a
//! failure never leaves a half-written result and never touches an input.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;

/// Where results go.
#[derive(Debug)]
pub enum Sink<'a> {
    /// Standard output.
    Stdout,
    /// A file.
    File(&'a Path),
}

impl<'a> Sink<'a> {
    /// `None` or `-` is stdout.
    pub fn new(path: Option<&'a Path>) -> Sink<'a> {
        match path {
            Some(p) if p.as_os_str() != "-" => Sink::File(p),
            _ => Sink::Stdout,
        }
    }
}

/// Refuses an output path that is one of the inputs.
pub fn refuse_inputs(output: &Sink<'_>, inputs: &[&Path]) -> Result<()> {
    let Sink::File(out) = output else {
        return Ok(());
    };
    let out_canonical = std::fs::canonicalize(out).ok();
    for input in inputs {
        let same = match (&out_canonical, std::fs::canonicalize(input).ok()) {
            (Some(a), Some(b)) => *a == b,
            _ => out == input,
        };
        if same {
            bail!(
                "--output {} is one of the inputs: refusing to overwrite it (choose another file)",
                out.display()
            );
        }
    }
    Ok(())
}

/// Writes `text` to the sink. A closed stdout (`| head`) is not an error.
pub fn write(sink: &Sink<'_>, text: &str) -> Result<()> {
    write_with(sink, |out| out.write_all(text.as_bytes()))
}

/// Lets `produce` write to the sink as it goes (a big result is never held whole in memory).
pub fn write_with(
    sink: &Sink<'_>,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match sink {
        Sink::Stdout => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match produce(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
        Sink::File(path) => write_atomically_with(path, produce),
    }
}

/// Writes through a temporary file in the target's folder, then renames it into place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |out| out.write_all(bytes))
}

/// [`write_atomically`], with the content written by `produce`.
pub fn write_atomically_with(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.is_dir() {
        bail!(
            "--output {} is a directory: give a file name",
            path.display()
        );
    }
    let mut temp = tempfile::Builder::new()
        .prefix(".bilan-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in folder {}", folder.display()))?;
    {
        let mut out = std::io::BufWriter::new(temp.as_file_mut());
        produce(&mut out)
            .and_then(|()| out.flush())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    temp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}
