//! Benchmark: Monte Carlo over a synthetic inventory (default 10,000 draws over 1,000 lines,
//! drawn from the embedded factor base like `benches/compute.rs`), in both correlation models.
//! `cargo bench --bench monte_carlo [-- LINES [DRAWS]]`; `RAYON_NUM_THREADS=2` to pin the cores.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator of the `bilan` binary, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use bilan::monte_carlo::{Correlation, Settings, simulate};
use std::time::Instant;

mod common;
use common::inventory;

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let lines = numbers.first().copied().unwrap_or(1_000);
    let draws = numbers.get(1).copied().unwrap_or(10_000);
    let base = bilan::embedded::base().unwrap();
    let inv = bilan::load::inventory::parse("bench.yaml", &inventory(lines)).unwrap();
    let report = bilan::compute::compute(&inv, &base).unwrap();
    println!(
        "{lines} lines, {draws} draws, {} threads; total {:.0} kgCO2e, analytic 95 % [{:.0}, {:.0}]",
        rayon::current_num_threads(),
        bilan::report::to_f64(report.total.kgco2e),
        report.total.interval().0,
        report.total.interval().1
    );
    for correlation in [Correlation::Independent, Correlation::SharedFactors] {
        let settings = Settings {
            draws,
            seed: 42,
            correlation,
        };
        let start = Instant::now();
        let mc = simulate(&report, &settings).unwrap();
        let elapsed = start.elapsed();
        println!(
            "{}: {:.3} s; total median {:.0}, 95 % [{:.0}, {:.0}]{}",
            correlation.code(),
            elapsed.as_secs_f64(),
            mc.total.median,
            mc.total.p2_5,
            mc.total.p97_5,
            mc.width_ratio()
                .map(|r| format!(", {r:.2} times as wide as independent (both runs timed)"))
                .unwrap_or_default()
        );
    }
}
