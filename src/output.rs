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
        Sink::Stdout if std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
            // On a terminal, control characters that came from input files (in a CSV cell, a
            // title) are shown, never obeyed; only the colours of our own tables pass.
            let mut text = Vec::new();
            produce(&mut text).context("cannot write to standard output")?;
            let text = String::from_utf8_lossy(&text);
            let shown = terminal_safe(&text, crate::render::grid::colour_enabled());
            let mut out = std::io::stdout().lock();
            match out.write_all(shown.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
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
    // Removed if a signal ends the program before it is renamed into place.
    let _temporary = crate::interrupt::Temporary::new(temp.path());
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

/// `text` for a terminal: control characters escaped (`\u{1b}`), except line feeds, tabs and,
/// when tables are coloured, the SGR colour sequences (`ESC [ 1 m`) they use.
pub fn terminal_safe(text: &str, colours: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && colours
            && let Some(sgr) = sgr_prefix(rest)
        {
            out.push_str(sgr);
            rest = rest.get(sgr.len()..).unwrap_or("");
            continue;
        }
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    out
}

/// `ESC [ digits;… m` at the start of `text`, if any.
fn sgr_prefix(text: &str) -> Option<&str> {
    let body = text.strip_prefix("\u{1b}[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then(|| text.get(..2 + params + 1))?
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn only_our_colours_reach_the_terminal() {
        assert_eq!(
            terminal_safe("\u{1b}[1m Total \u{1b}[0m\n", true),
            "\u{1b}[1m Total \u{1b}[0m\n"
        );
        assert_eq!(terminal_safe("\u{1b}[1mx", false), "\\u{1b}[1mx");
        assert_eq!(
            terminal_safe("Evil\u{1b}]0;pwned\u{7}\tx\r\n", true),
            "Evil\\u{1b}]0;pwned\\u{7}\tx\\u{d}\n"
        );
        assert_eq!(
            terminal_safe("\u{1b}[2J\u{1b}[31", true),
            "\\u{1b}[2J\\u{1b}[31"
        );
    }
}
