//! An inventory of N lines, every one with an unknown factor id: parse, compute and print the
//! errors as `bilan check` does (the first 100 in full, the rest counted). Errors must stay
//! cheap: each finds its source line in constant time, and only printed errors get the costly
//! "closest" hint. Run: `cargo bench --bench errors [-- N]` (default 20,000; try 100000).

/// The allocator of the `bilan` binary, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

fn main() {
    let lines: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20_000);
    let mut text =
        String::from("bilan: 1\norganisation: { name: T }\nperiod: { year: 2022 }\nlines:\n");
    for i in 0..lines {
        text.push_str(&format!(
            "  - {{ label: L{i}, factor: \"x{i}\", quantity: 1, unit: kWh }}\n"
        ));
    }
    let base = match bilan::embedded::base() {
        Ok(base) => base,
        Err(e) => {
            eprintln!("embedded base: {e}");
            return;
        }
    };
    let start = Instant::now();
    let inventory = match bilan::load::inventory::parse("errors.yaml", &text) {
        Ok(inventory) => inventory,
        Err(e) => {
            eprintln!("parse: {e}");
            return;
        }
    };
    let errors = match bilan::compute::compute(&inventory, &base) {
        Ok(_) => {
            eprintln!("expected errors");
            return;
        }
        Err(errors) => errors,
    };
    let lines_of = bilan::error::Lines::new(&text);
    let annotated = bilan::error::InputErrors(
        errors
            .0
            .into_iter()
            .map(|e| e.with_line(&lines_of))
            .collect(),
    );
    let printed = std::hint::black_box(annotated.printed());
    let elapsed = start.elapsed();
    println!(
        "{lines} unknown factor ids: {} errors, {} printed lines, {:.2} s",
        annotated.0.len(),
        printed.len(),
        elapsed.as_secs_f64()
    );
}
