//! Writing results: to stdout, or to a file through a temporary file renamed into place, so a
//! failure never leaves a half-written result and never touches an input.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Refuses an output path that is one of the inputs: same file (device and inode, after
/// links), or the same path when neither exists yet. The error names the input.
pub fn refuse_inputs(output: &Sink<'_>, inputs: &[&Path]) -> Result<()> {
    let Sink::File(out) = output else {
        return Ok(());
    };
    let out_identity = identity(out);
    for input in inputs {
        let same = match (out_identity, identity(input)) {
            (Some(a), Some(b)) => a == b,
            _ => out == input,
        };
        if same {
            bail!(
                "--output {} is the input {}: refusing to overwrite it (choose another file)",
                out.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// The real identity of a file (device, inode), links followed; `None` when it does not exist.
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
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
/// What `path` is decides how it is written:
/// - a symbolic link: its target is replaced and the link kept;
/// - a character device, FIFO or socket (`/dev/null`, `/proc/self/fd/1`, a named pipe): written
///   through, never renamed over;
/// - a regular file: a temporary file beside it, with its mode (and owner where possible), is
///   renamed over it;
/// - nothing: a new file with mode `0666` less the umask.
pub fn write_atomically_with(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let target = resolve_links(path)?;
    let existing = match std::fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
    };
    if let Some(m) = &existing {
        use std::os::unix::fs::MetadataExt;
        // Whatever the run read (includes, `factors:` files, history, mapping…) stays as it was.
        if let Some(input) = crate::load::files::input_with_identity((m.dev(), m.ino())) {
            bail!(
                "--output {} is the input {}: refusing to overwrite it (choose another file)",
                path.display(),
                input.display()
            );
        }
        let kind = m.file_type();
        if kind.is_dir() {
            bail!(
                "--output {} is a directory: give a file name",
                path.display()
            );
        }
        if kind.is_char_device() || kind.is_fifo() || kind.is_socket() {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            return produce(&mut out)
                .and_then(|()| out.flush())
                .with_context(|| format!("cannot write {}", path.display()));
        }
        if !kind.is_file() {
            bail!(
                "--output {} is not a regular file (a block device?): give a file name",
                path.display()
            );
        }
    }
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let stem = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut attempt = 0u32;
    let (temp_path, file) = loop {
        let candidate = folder.join(format!(
            ".bilan-{}-{}-{attempt}.tmp",
            std::process::id(),
            stem.chars().take(40).collect::<String>()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&candidate)
        {
            Ok(file) => break (candidate, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot write in folder {}", folder.display()));
            }
        }
    };
    let guard = TempFile(temp_path);
    if let Some(m) = &existing {
        keep_mode_and_owner(&file, m)
            .with_context(|| format!("cannot give {} its mode", path.display()))?;
    }
    {
        let mut out = std::io::BufWriter::new(&file);
        produce(&mut out)
            .and_then(|()| out.flush())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    file.sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    std::fs::rename(&guard.0, &target)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    std::mem::forget(guard);
    Ok(())
}

/// The file a path leads to after its symbolic links (the path itself when it is no link, or
/// a link to a file not created yet).
fn resolve_links(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)
                    .with_context(|| format!("cannot read link {}", current.display()))?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    bail!("--output {}: too many levels of links", path.display())
}

/// Gives the new file the mode of the file it replaces, and its owner when allowed (root).
fn keep_mode_and_owner(file: &std::fs::File, old: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    // Only root may give a file away; anyone else keeps owning the new file. The mode comes
    // after, as a change of owner clears the set-id bits.
    let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    file.set_permissions(old.permissions())
}

/// A temporary file removed when dropped before being renamed into place.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
