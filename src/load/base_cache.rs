//! Factor files named by inventories' `factors:`, parsed once per run: many inventories of a
//! batch (or a trend) often name the same file. Keyed by canonical path; a file reached through
//! another spelling (`../shared.csv` from two folders) is relabelled with that spelling, so
//! provenance and messages never depend on which inventory read it first.

use super::files;
use crate::error::InputError;
use crate::factor_base::LoadedBase;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// A parse shared by every reader of one file; `None` when it failed (each reader then reads
/// again for an error naming the file its own way).
type Slot = Arc<OnceLock<Option<Arc<LoadedBase>>>>;

/// Parsed factor files by canonical path. Safe to share between threads: a file is parsed by
/// one thread while the others wanting it wait.
#[derive(Debug, Default)]
pub struct BaseCache {
    files: Mutex<HashMap<PathBuf, Slot>>,
}

impl BaseCache {
    /// An empty cache.
    pub fn new() -> Self {
        BaseCache::default()
    }

    /// The factor file at `path`, parsed on first use, named as `path` is written.
    pub fn read(&self, path: &Path) -> Result<LoadedBase, InputError> {
        let Ok(key) = std::fs::canonicalize(path) else {
            return files::read_base(path);
        };
        let slot = {
            let mut map = self.files.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(map.entry(key).or_default())
        };
        match slot.get_or_init(|| files::read_base(path).ok().map(Arc::new)) {
            Some(base) => Ok(relabel(base, &files::display(path))),
            None => files::read_base(path),
        }
    }

    /// Number of distinct files parsed (or attempted).
    pub fn len(&self) -> usize {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// True when no file was read through the cache.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A copy of `base` whose provenance and factor origins name the file `name`.
fn relabel(base: &LoadedBase, name: &str) -> LoadedBase {
    let mut copy = base.clone();
    let same = copy.source.as_ref().is_none_or(|s| s.name == name);
    if !same {
        let file: Arc<str> = Arc::from(name);
        if let Some(source) = copy.source.as_mut() {
            source.name = name.to_string();
        }
        for factor in &mut copy.factors {
            factor.origin.file = Arc::clone(&file);
        }
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "id,name,unit,kgco2e,uncertainty,category,part,source\nX1,Thing,kgCO2e/kWh,0.5,10%,Divers,,Test\n";

    #[test]
    fn a_file_is_parsed_once_and_named_as_each_reader_writes_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("f.csv"), CSV).unwrap();
        let cache = BaseCache::new();
        let direct = dir.path().join("f.csv");
        let other = dir.path().join("a").join("..").join("f.csv");
        let first = cache.read(&direct).unwrap();
        let second = cache.read(&other).unwrap();
        assert_eq!(cache.len(), 1);
        assert_eq!(first.factors.len(), 1);
        assert_eq!(
            second.source.unwrap().name,
            files::display(&other),
            "relabelled"
        );
        assert_eq!(&*second.factors[0].origin.file, files::display(&other));
        assert_eq!(&*first.factors[0].origin.file, files::display(&direct));
    }

    #[test]
    fn a_missing_or_bad_file_gives_its_own_error() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BaseCache::new();
        assert!(cache.read(&dir.path().join("missing.csv")).is_err());
        std::fs::write(dir.path().join("bad.csv"), "what,ever\n").unwrap();
        let e = cache.read(&dir.path().join("bad.csv")).unwrap_err();
        assert!(e.message.contains("unknown header"), "{}", e.message);
        assert!(cache.read(&dir.path().join("bad.csv")).is_err());
    }
}
