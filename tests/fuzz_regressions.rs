//! Replays every input kept in `tests/fixtures/fuzz/<target>/` through the fuzz harness
//! (`fuzz/src/lib.rs`, compiled here as a module): the inputs that made a fuzz target crash,
//! once fixed, and a few hostile inputs worth keeping. Each must now run without a panic, in
//! bounded time, and keep the invariants the `compute` target checks. See `fuzz/README.md`.

#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::path::Path;
use std::time::{Duration, Instant};

fn replay(target: &str, run: fn(&[u8])) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let start = Instant::now();
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        let elapsed = start.elapsed();
        if outcome.is_err() {
            failures.push(format!("{}: panicked", file.display()));
        } else if elapsed > Duration::from_secs(10) {
            failures.push(format!("{}: took {elapsed:?}", file.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn inventory_loader() {
    replay("inventory", harness::inventory);
}

#[test]
fn factor_csv_loader() {
    replay("factor_csv", harness::factor_csv);
}

#[test]
fn ademe_loader() {
    replay("ademe", harness::ademe);
}

#[test]
fn compute_and_render() {
    replay("compute", harness::compute);
}
