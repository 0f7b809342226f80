//! Reading input files: inventories and factor bases, with clear errors for a missing file,
//! a directory, a file too big or not UTF-8.

pub use super::inventory_parts::InventoryParts;
use super::inventory_parts::Part;
use super::{factors, inventory};
use crate::error::{InputError, InputErrors, Position};
use crate::factor_base::{FactorBase, LoadedBase};
use crate::inventory::Inventory;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest file read (inventory.md: 256 MB).
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// `-` means standard input.
pub const STDIN: &str = "-";

/// Reads a whole file (or stdin for `-`). Only a regular file is read: a directory, a FIFO,
/// a device or a socket is an error (a FIFO would hang the run, `/dev/zero` never ends); the
/// bytes actually read are capped at 256 MB, whatever size the file claims.
pub fn read(path: &Path) -> Result<Vec<u8>, InputError> {
    let name: Arc<str> = Arc::from(display(path).as_str());
    let at = Position::file(&name);
    if path.as_os_str() == STDIN {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| InputError::new(at.clone(), format!("cannot read standard input: {e}")))?;
        return check_size(bytes, &at);
    }
    open(path)?.read_all()
}

/// A regular file opened to be read, checked as [`read`] checks it: not a FIFO, a device or
/// a socket (also when swapped for one after the check), at most 256 MB when opened.
#[derive(Debug)]
pub struct Opened {
    file: std::fs::File,
    at: Position,
    /// Its length and time of change when opened.
    state: (u64, Option<std::time::SystemTime>),
}

/// Opens a file as [`read`] would read it, without reading it.
pub fn open(path: &Path) -> Result<Opened, InputError> {
    let name: Arc<str> = Arc::from(display(path).as_str());
    let at = Position::file(&name);
    let metadata = std::fs::metadata(path).map_err(|e| cannot_open(&at, &e))?;
    not_regular(&metadata.file_type(), &at)?;
    // Opened without blocking, so a file swapped for a FIFO after the check cannot hang the
    // open; what was opened is checked again.
    let file = open_nonblocking(path).map_err(|e| cannot_open(&at, &e))?;
    let opened = file
        .metadata()
        .map_err(|e| InputError::new(at.clone(), format!("cannot read: {}", io_reason(&e))))?;
    not_regular(&opened.file_type(), &at)?;
    if opened.len() > MAX_BYTES {
        return Err(too_big(&at, opened.len()));
    }
    remember(&opened, &name);
    let state = (opened.len(), opened.modified().ok());
    Ok(Opened { file, at, state })
}

impl Opened {
    /// Its bytes, read whole from its start (at most 256 MB, whatever size it claims).
    pub fn read_all(&self) -> Result<Vec<u8>, InputError> {
        let at = &self.at;
        let cannot_read = |e: &std::io::Error| {
            InputError::new(at.clone(), format!("cannot read: {}", io_reason(e)))
        };
        let mut file = &self.file;
        std::io::Seek::rewind(&mut file).map_err(|e| cannot_read(&e))?;
        let len = file.metadata().map_err(|e| cannot_read(&e))?.len();
        let mut bytes = Vec::with_capacity(usize::try_from(len.min(MAX_BYTES)).unwrap_or(0));
        file.take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| cannot_read(&e))?;
        check_size(bytes, at)
    }

    /// A reader of its bytes from its start, that fails past 256 MB; `None` when it cannot be
    /// read from its start, or has changed since it was opened (its lines, read again, would
    /// not be those computed).
    pub fn stream(&self) -> Option<impl Read + Send + '_> {
        let mut file = &self.file;
        let now = file.metadata().ok()?;
        if (now.len(), now.modified().ok()) != self.state {
            return None;
        }
        std::io::Seek::rewind(&mut file).ok()?;
        Some(Capped {
            file,
            left: MAX_BYTES,
        })
    }
}

/// A file read up to [`MAX_BYTES`]: a byte more is an error.
struct Capped<'a> {
    file: &'a std::fs::File,
    left: u64,
}

impl Read for Capped<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.left = self
            .left
            .checked_sub(n as u64)
            .ok_or_else(|| std::io::Error::other("the file is over 256 MB"))?;
        Ok(n)
    }
}

/// Every file this process has read: (device, inode) and the name it was read as. Outputs are
/// checked against it, so `-o` can never replace an input of the run, however it was reached
/// (an include, a `factors:` file, a history, a mapping).
static INPUTS: std::sync::Mutex<Vec<(u64, u64, String)>> = std::sync::Mutex::new(Vec::new());

#[cfg(unix)]
fn remember(metadata: &std::fs::Metadata, name: &str) {
    use std::os::unix::fs::MetadataExt;
    let mut inputs = INPUTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !inputs
        .iter()
        .any(|(d, i, _)| *d == metadata.dev() && *i == metadata.ino())
    {
        inputs.push((metadata.dev(), metadata.ino(), name.to_string()));
    }
}

#[cfg(not(unix))]
fn remember(_: &std::fs::Metadata, _: &str) {}

/// The name an input of this run was read as, when `path` is that same file (links followed).
pub fn read_as(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let metadata = std::fs::metadata(path).ok()?;
        let inputs = INPUTS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inputs
            .iter()
            .find(|(d, i, _)| *d == metadata.dev() && *i == metadata.ino())
            .map(|(_, _, name)| name.clone())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn cannot_open(at: &Position, e: &std::io::Error) -> InputError {
    let help = if e.kind() == std::io::ErrorKind::NotFound {
        "check the path (relative paths start from the current directory, or from the inventory for `factors:`)"
    } else {
        "check the file's permissions"
    };
    InputError::new(at.clone(), format!("cannot open: {}", io_reason(e))).help(help)
}

/// An error unless `kind` is a regular file.
fn not_regular(kind: &std::fs::FileType, at: &Position) -> Result<(), InputError> {
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a directory"
    } else {
        special_kind(kind)
    };
    let help = if kind.is_dir() {
        "give the path of a file"
    } else {
        "bilan reads regular files only: copy the data into a file first"
    };
    Err(InputError::new(at.clone(), format!("is {what}, not a file")).help(help))
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "not a regular file"
}

fn check_size(bytes: Vec<u8>, at: &Position) -> Result<Vec<u8>, InputError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_big(at, bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_big(at: &Position, len: u64) -> InputError {
    InputError::new(
        at.clone(),
        format!(
            "the file is {} MB; bilan reads files up to 256 MB",
            len >> 20
        ),
    )
    .help("split the inventory (one file per organisation or year)")
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// A path as the user wrote it.
pub fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The texts of the files an inventory was read from, to show the line an error points at.
#[derive(Clone, Debug, Default)]
pub struct Sources(pub(super) Vec<(String, String, Starts)>);

/// A text's line starts, indexed when an error first needs them (most reads have none).
pub(super) type Starts = std::sync::OnceLock<crate::error::LineStarts>;

impl Sources {
    /// Adds the texts of `other` (a group's entities).
    pub fn extend(&mut self, other: Sources) {
        self.0.extend(other.0);
    }

    /// Adds the source line to `error` when it points into one of the files.
    pub fn annotate(&self, error: InputError) -> InputError {
        if error.snippet.is_some() {
            return error;
        }
        match self
            .0
            .iter()
            .find(|(name, _, _)| **name == *error.position.file)
        {
            Some((_, text, starts)) => {
                let index = usize::try_from(error.position.line.saturating_sub(1)).unwrap_or(0);
                let starts = starts.get_or_init(|| crate::error::LineStarts::new(text));
                let line = starts.line(text, index);
                error.with_line_text(line)
            }
            None => error,
        }
    }
}

/// Reads and checks an inventory file and the files it includes. Returns it with the texts
/// (for error snippets).
pub fn read_inventory(path: &Path) -> Result<(Inventory, Sources), InputErrors> {
    read_inventory_within(path, None)
}

/// Whether `path` lies inside the folder `root` (canonical), links resolved. A path that does
/// not resolve is not known to be outside: reading it gives its own error.
pub fn is_within(path: &Path, root: &Path) -> bool {
    std::fs::canonicalize(path).map_or(true, |p| p.starts_with(root))
}

/// [`read_inventory`], refusing included files outside `within` (a canonical folder) when
/// given: `batch` reads nothing outside its input folder, so an inventory cannot pull in (and
/// quote in an error) a file of someone else's.
pub fn read_inventory_within(
    path: &Path,
    within: Option<&Path>,
) -> Result<(Inventory, Sources), InputErrors> {
    read_inventory_parts(path, within)?.whole()
}

/// Reads an inventory file and the files it includes, leaving their lines unread where they
/// are many: [`InventoryParts::whole`] reads them all, [`InventoryParts::each_batch`] a batch
/// at a time. Errors on reading the inventory's own keys come now; those of the includes come
/// with their lines.
pub fn read_inventory_parts(
    path: &Path,
    within: Option<&Path>,
) -> Result<InventoryParts, InputErrors> {
    let name = display(path);
    let text = read_text(path)?;
    let (mut inventory, block) = inventory::parse_head(&name, &text)?;
    let mut parts = vec![match block {
        Some(block) => Part::Block(block),
        None => Part::Lines(std::mem::take(&mut inventory.lines)),
    }];
    let mut sources = vec![(name, text, Starts::new())];
    let folder = path.parent().unwrap_or(Path::new(""));
    // Files already read, by real identity: the inventory itself, then each include.
    let mut seen: Vec<(PathBuf, String)> = std::fs::canonicalize(path)
        .map(|p| vec![(p, String::new())])
        .unwrap_or_default();
    for (file, at) in inventory.includes.clone() {
        let included = folder.join(&file);
        if let Some(root) = within
            && !is_within(&included, root)
        {
            parts.push(Part::Unread(
                InputError::new(
                    at,
                    format!("cannot include `{file}`: it is outside the folder {}", root.display()),
                )
                .help("batch reads only files inside its input folder (links leading out of it are not followed)"),
            ));
            continue;
        }
        if let Ok(real) = std::fs::canonicalize(&included) {
            if let Some((_, first)) = seen.iter().find(|(p, _)| *p == real) {
                let message = if first.is_empty() {
                    format!("`{file}` is the inventory itself: it cannot include itself")
                } else {
                    format!(
                        "`{file}` is included twice (also as `{first}`): its lines would count twice"
                    )
                };
                parts.push(Part::Unread(
                    InputError::new(at, message).help("list each file once in include:"),
                ));
                continue;
            }
            seen.push((real, file.clone()));
        }
        let table = Path::new(&file)
            .extension()
            .map(|e| e.to_ascii_lowercase())
            .filter(|e| e == "csv" || e == "xlsx");
        let name = display(&included);
        if let Some(extension) = table {
            let cannot = |e: InputError| {
                Part::Unread(
                    InputError::new(
                        at.clone(),
                        format!("cannot include `{file}`: {}", e.message),
                    )
                    .help("the path is relative to the inventory"),
                )
            };
            // A CSV file is read as its lines are wanted, a batch at a time.
            parts.push(match extension == "csv" {
                true => match open(&included) {
                    Ok(opened) => Part::Csv {
                        name,
                        file: opened,
                        at: at.clone(),
                        include: file.clone(),
                    },
                    Err(e) => cannot(e),
                },
                false => match read(&included) {
                    Ok(bytes) => Part::Xlsx { name, bytes },
                    Err(e) => cannot(e),
                },
            });
            continue;
        }
        match read_text(&included) {
            Ok(text) => {
                parts.push(Part::Yaml(sources.len()));
                sources.push((name, text, Starts::new()));
            }
            Err(e) => {
                let reason =
                    e.0.first()
                        .map_or_else(String::new, |e| format!(": {}", e.message));
                parts.push(Part::Unread(
                    InputError::new(at, format!("cannot include `{file}`{reason}")).help(
                        "the path is relative to the inventory; an included file holds `lines:`",
                    ),
                ));
            }
        }
    }
    Ok(InventoryParts::new(inventory, Sources(sources), parts))
}

/// Reads a UTF-8 text file (BOM removed).
pub fn read_text(path: &Path) -> Result<String, InputErrors> {
    let name = display(path);
    let bytes = read(path)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
        let line = bytes
            .get(..e.utf8_error().valid_up_to())
            .map_or(0, |valid| valid.iter().filter(|b| **b == b'\n').count() + 1);
        InputError::new(
            Position::new(&Arc::from(name.as_str()), line as u64, 0),
            "the file is not UTF-8 text",
        )
        .help("save the inventory as UTF-8 (most editors: \"Save with encoding\" → UTF-8)")
    })?;
    Ok(text)
}

/// Reads one factor file (ADEME export or own CSV).
pub fn read_base(path: &Path) -> Result<LoadedBase, InputError> {
    let bytes = read(path)?;
    factors::load_bytes(&display(path), &bytes)
}

/// The factor files an inventory names, resolved against the inventory's folder.
pub fn inventory_factor_paths(
    inventory: &Inventory,
    inventory_path: &Path,
) -> Vec<(PathBuf, Position)> {
    let folder = inventory_path.parent().unwrap_or(Path::new(""));
    inventory
        .factor_files
        .iter()
        .map(|(file, at)| (folder.join(file), at.clone()))
        .collect()
}

/// Builds the merged base: `embedded`, then `extra` files, then the inventory's `factors:`.
pub fn merged_base(
    embedded: &FactorBase,
    extra: &[LoadedBase],
    inventory: &Inventory,
    inventory_path: &Path,
) -> Result<FactorBase, InputErrors> {
    let mut base = embedded.clone();
    for loaded in extra {
        base.merge(loaded.clone());
    }
    add_inventory_bases(base, inventory, inventory_path, read_base)
}

/// Merges the inventory's `factors:` files, read by `read`, on top of `base`.
pub fn add_inventory_bases(
    mut base: FactorBase,
    inventory: &Inventory,
    inventory_path: &Path,
    read: impl Fn(&Path) -> Result<LoadedBase, InputError>,
) -> Result<FactorBase, InputErrors> {
    let mut errors = Vec::new();
    for (path, at) in inventory_factor_paths(inventory, inventory_path) {
        match read(&path) {
            Ok(loaded) => base.merge(loaded),
            Err(e) => errors.push(
                InputError::new(
                    at,
                    format!("cannot use factor file `{}`: {}", display(&path), e.message),
                )
                .help(
                    e.help
                        .unwrap_or_else(|| "check the path, relative to the inventory".into()),
                ),
            ),
        }
    }
    if errors.is_empty() {
        Ok(base)
    } else {
        Err(InputErrors(errors))
    }
}
