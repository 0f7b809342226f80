//! Reading input files: inventories and factor bases, with clear errors for a missing file,
//! a directory, a file too big or not UTF-8.

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

/// Reads a whole file (or stdin for `-`), refusing directories and files above 256 MB.
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
    let metadata = std::fs::metadata(path).map_err(|e| {
        let help = if e.kind() == std::io::ErrorKind::NotFound {
            "check the path (relative paths start from the current directory, or from the inventory for `factors:`)"
        } else {
            "check the file's permissions"
        };
        InputError::new(at.clone(), format!("cannot open: {}", io_reason(&e))).help(help)
    })?;
    if metadata.is_dir() {
        return Err(
            InputError::new(at, "is a directory, not a file").help("give the path of a file")
        );
    }
    if metadata.len() > MAX_BYTES {
        return Err(too_big(&at, metadata.len()));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::new(at.clone(), format!("cannot read: {}", io_reason(&e))))?;
    check_size(bytes, &at)
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
pub struct Sources(Vec<(String, String)>);

impl Sources {
    /// Adds the source line to `error` when it points into one of the files.
    pub fn annotate(&self, error: InputError) -> InputError {
        if error.snippet.is_some() {
            return error;
        }
        match self
            .0
            .iter()
            .find(|(name, _)| **name == *error.position.file)
        {
            Some((_, text)) => error.with_source(text),
            None => error,
        }
    }
}

/// Reads and checks an inventory file and the files it includes. Returns it with the texts
/// (for error snippets).
pub fn read_inventory(path: &Path) -> Result<(Inventory, Sources), InputErrors> {
    let name = display(path);
    let text = read_text(path)?;
    let mut inventory = inventory::parse(&name, &text)?;
    let mut sources = vec![(name, text)];
    let folder = path.parent().unwrap_or(Path::new(""));
    let mut ids: std::collections::HashSet<String> =
        inventory.lines.iter().map(|l| l.id.clone()).collect();
    let mut errors = Vec::new();
    let mut seen: Vec<(std::path::PathBuf, Option<String>)> = std::fs::canonicalize(path)
        .map(|real| vec![(real, None)])
        .unwrap_or_default();
    for (file, at) in inventory.includes.clone() {
        let included = folder.join(&file);
        let text = match read_text(&included) {
            Ok(text) => text,
            Err(e) => {
                let reason =
                    e.0.first()
                        .map_or_else(String::new, |e| format!(": {}", e.message));
                errors.push(
                    InputError::new(at, format!("cannot include `{file}`{reason}")).help(
                        "the path is relative to the inventory; an included file holds `lines:`",
                    ),
                );
                continue;
            }
        };
        // The same file under two spellings (`a.yaml`, `./a.yaml`, a link) would count its
        // lines twice: compare the files' real paths.
        if let Ok(real) = std::fs::canonicalize(&included) {
            if let Some((_, first)) = seen.iter().find(|(r, _)| *r == real) {
                let message = match first {
                    Some(first) => format!("`{file}` is included twice (already as `{first}`)"),
                    None => format!("`{file}` is the inventory itself"),
                };
                errors.push(
                    InputError::new(at, message)
                        .help("include each file once; its lines would otherwise count twice"),
                );
                continue;
            }
            seen.push((real, Some(file.clone())));
        }
        let name = display(&included);
        match inventory::parse_included(&name, &text, inventory.lines.len(), &mut ids) {
            Ok(lines) => inventory.lines.extend(lines),
            Err(e) => errors.extend(e.0),
        }
        sources.push((name, text));
    }
    if errors.is_empty() {
        Ok((inventory, Sources(sources)))
    } else {
        Err(InputErrors(errors))
    }
}

/// Reads a UTF-8 text file (BOM removed).
fn read_text(path: &Path) -> Result<String, InputErrors> {
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
