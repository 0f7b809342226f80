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

/// Refuses an output path that is one of the inputs: the same file by identity (device and
/// inode, links followed), whatever the spelling.
pub fn refuse_inputs(output: &Sink<'_>, inputs: &[&Path]) -> Result<()> {
    let Sink::File(out) = output else {
        return Ok(());
    };
    for input in inputs {
        if same_file(out, input) {
            bail!(
                "--output {} is {}, an input of this run: refusing to overwrite it (choose another file)",
                out.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// Whether two paths are the same existing file (device and inode after links; on other
/// platforms, the same canonical path).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
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
///
/// - A regular file (or a link to one) is replaced through a temporary file in its folder,
///   renamed into place: a failure leaves the previous content. The replaced file keeps its
///   mode (and owner, where allowed); a link keeps pointing at it.
/// - A new file gets the usual `0666 & ~umask`.
/// - A character device, a FIFO or a socket (`/dev/null`, `/proc/self/fd/1`, a named pipe) is
///   written through, never renamed over.
pub fn write_atomically_with(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    if let Some(input) = crate::load::files::read_as(path) {
        bail!(
            "--output {} is {input}, an input of this run: refusing to overwrite it (choose another file)",
            path.display()
        );
    }
    let existing = std::fs::metadata(path).ok();
    if let Some(metadata) = &existing {
        if metadata.is_dir() {
            bail!(
                "--output {} is a directory: give a file name",
                path.display()
            );
        }
        if !metadata.is_file() {
            return write_through(path, produce);
        }
    }
    // Replace what a link points at, not the link.
    let target = match &existing {
        Some(_) => std::fs::canonicalize(path)
            .with_context(|| format!("cannot resolve {}", path.display()))?,
        None => path.to_path_buf(),
    };
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".bilan-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The kernel applies the umask: 0644 under the usual 022, as any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(&folder)
        .with_context(|| format!("cannot write in folder {}", folder.display()))?;
    {
        let mut out = std::io::BufWriter::new(temp.as_file_mut());
        produce(&mut out)
            .and_then(|()| out.flush())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(metadata) = &existing {
        keep_mode_and_owner(temp.as_file(), metadata);
    }
    temp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(&target)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Gives the new file the replaced one's mode, and its owner where allowed (as root).
fn keep_mode_and_owner(file: &std::fs::File, replaced: &std::fs::Metadata) {
    let _ = file.set_permissions(replaced.permissions());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(file, Some(replaced.uid()), Some(replaced.gid()));
    }
}

/// Writes into a device, FIFO or socket as it is.
fn write_through(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    match produce(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.with_context(|| format!("cannot write {}", path.display())),
    }
}
