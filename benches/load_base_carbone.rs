//! Loads the full ADEME Base Carbone V23.6 export N times and prints min and median wall time.
//! Run: `cargo bench --bench load_base_carbone [-- N]` (default N = 20).

/// The allocator of the `bilan` binary, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const FULL_EXPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/basecarbone/Base_Carbone_V23.6.csv"
);

fn main() {
    if !Path::new(FULL_EXPORT).exists() {
        eprintln!("skipped: the full Base Carbone export is not at {FULL_EXPORT}");
        return;
    }
    // `cargo bench` passes `--bench`; the first numeric argument is the run count.
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20)
        .max(1);
    let bytes = match std::fs::read(FULL_EXPORT) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("cannot read {FULL_EXPORT}: {e}");
            return;
        }
    };
    let file: Arc<str> = Arc::from("Base_Carbone_V23.6.csv");
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut factors = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = bilan::load::ademe::load(&file, &bytes);
        times.push(start.elapsed());
        match loaded {
            Ok(base) => factors = std::hint::black_box(base).factors.len(),
            Err(e) => {
                eprintln!("load failed: {e}");
                return;
            }
        }
    }
    times.sort();
    let min = times.first().copied().unwrap_or_default();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    println!(
        "load {} bytes, {factors} factors, {runs} runs: min {:.1} ms, median {:.1} ms",
        bytes.len(),
        min.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    );
}
