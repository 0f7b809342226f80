//! Benchmark: parse and compute a synthetic inventory of N lines (default 1,000,000) drawn from
//! the embedded factor base. `cargo bench --bench compute [-- LINES]`; measure peak memory with
//! `/usr/bin/time -v target/release/deps/compute-*`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator of the `bilan` binary, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

mod common;
use common::inventory;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let text = inventory(n);
    let base = bilan::embedded::base().unwrap();
    let start = Instant::now();
    let inv = bilan::load::inventory::parse("bench.yaml", &text).unwrap();
    let parsed = start.elapsed();
    if std::env::var_os("BENCH_PARSE_ONLY").is_some() {
        println!("{n} lines: parse {:.3} s", parsed.as_secs_f64());
        return;
    }
    let start = Instant::now();
    let report = bilan::compute::compute(&inv, &base).unwrap();
    let computed = start.elapsed();
    let start = Instant::now();
    let json = bilan::render::json::render(&report, bilan::post::Lang::Fr);
    let rendered = start.elapsed();
    println!(
        "{n} lines ({} MB of YAML): parse {:.3} s, compute {:.3} s, JSON {:.3} s ({} MB); total {} kgCO2e",
        text.len() >> 20,
        parsed.as_secs_f64(),
        computed.as_secs_f64(),
        rendered.as_secs_f64(),
        json.len() >> 20,
        report.total.kgco2e
    );
}
