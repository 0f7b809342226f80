//! Benchmark: Monte Carlo over a synthetic inventory (default 10,000 draws over 1,000 lines,
//! drawn from the embedded factor base like `benches/compute.rs`), in both correlation models.
//! `cargo bench --bench monte_carlo [-- LINES [DRAWS]]`; `RAYON_NUM_THREADS=2` to pin the cores.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bilan::monte_carlo::{Correlation, Settings, simulate};
use std::fmt::Write as _;
use std::time::Instant;

/// Real factor ids of the embedded base with a unit each and what the line needs.
const LINES: [(&str, &str, &str); 8] = [
    ("42513", "kWh", ""),
    ("43443", "k€", ""),
    ("37142", "p.km", "purpose: business"),
    ("43807", "p.km", "purpose: commute"),
    (
        "27002",
        "unité",
        "amortization: { acquired: 2023, years: 5 }",
    ),
    ("34650", "t", ""),
    ("43647", "t.km", "direction: upstream"),
    ("25775", "litre", "mobile: true"),
];

/// A synthetic inventory of `n` lines.
fn inventory(n: usize) -> String {
    let mut text = String::with_capacity(n * 110);
    text.push_str("bilan: 1\norganisation: { name: Bench }\nperiod: { year: 2025 }\ndefaults: { uncertainty: 10% }\nlines:\n");
    for i in 0..n {
        let (factor, unit, extra) = LINES[i % LINES.len()];
        let quantity = (i % 997) + 1;
        let _ = write!(
            text,
            "  - label: L{i}\n    factor: \"{factor}\"\n    quantity: {quantity}.5\n    unit: {unit}\n"
        );
        if !extra.is_empty() {
            let _ = writeln!(text, "    {extra}");
        }
    }
    text
}

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
