//! Ctrl-C and termination signals (SIGINT, SIGTERM, SIGHUP).
//!
//! By default a signal removes the temporary files of writes under way (see
//! [`crate::output`]) and exits with 130: nothing half-written is left beside the user's
//! files. A long run that can stop cleanly (`bilan batch`) holds a [`Graceful`] guard: the
//! first signal only asks it to stop ([`requested`]), so it finishes the writes under way and
//! leaves a consistent folder; a second signal stops at once, as by default.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// The exit code after an interrupt (128 + SIGINT, as shells report it).
pub const EXIT_CODE: u8 = 130;

static REQUESTED: AtomicBool = AtomicBool::new(false);
static GRACEFUL: AtomicUsize = AtomicUsize::new(0);
static TEMPORARY: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// Installs the handler; call once, at the start of the program. An error (a handler already
/// set) leaves the default behaviour of the signals.
pub fn install() {
    let _ = ctrlc::set_handler(on_signal);
}

fn on_signal() {
    let first = !REQUESTED.swap(true, Ordering::SeqCst);
    if first && GRACEFUL.load(Ordering::SeqCst) > 0 {
        return;
    }
    remove_temporary_files();
    std::process::exit(i32::from(EXIT_CODE));
}

fn remove_temporary_files() {
    let files = std::mem::take(&mut *TEMPORARY.lock().unwrap_or_else(PoisonError::into_inner));
    for file in files {
        let _ = std::fs::remove_file(file);
    }
}

/// True once a signal asked the run to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// While one is alive, the first signal only sets [`requested`].
#[derive(Debug)]
pub struct Graceful(());

impl Graceful {
    /// Starts stopping cleanly on the first signal.
    pub fn new() -> Graceful {
        GRACEFUL.fetch_add(1, Ordering::SeqCst);
        Graceful(())
    }
}

impl Default for Graceful {
    fn default() -> Self {
        Graceful::new()
    }
}

impl Drop for Graceful {
    fn drop(&mut self) {
        GRACEFUL.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A temporary file removed if a signal ends the program before it is renamed or dropped.
#[derive(Debug)]
pub struct Temporary(PathBuf);

impl Temporary {
    /// Records `path`.
    pub fn new(path: &Path) -> Temporary {
        TEMPORARY
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_path_buf());
        Temporary(path.to_path_buf())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        TEMPORARY
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.0);
    }
}

/// A run stopped by a signal after cleaning up; the program exits with [`EXIT_CODE`].
#[derive(Debug)]
pub struct Interrupted(pub String);

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Interrupted {}
