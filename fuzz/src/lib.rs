//! What each fuzz target does with its input. Shared by the targets in `fuzz_targets/` and by
//! the main crate's `tests/fuzz_regressions.rs`, which replays every crash kept in
//! `tests/fixtures/fuzz/<target>/` through these same functions.
//!
//! A target fails (and libFuzzer keeps the input) on a panic, an abort, a stack overflow, a
//! timeout or too much memory. Errors returned by the library are fine: they are the expected
//! answer to bad input. On top of "no panic", `compute` checks a few invariants of a report.

use bilan::compute::compute as compute_report;
use bilan::factor_base::FactorBase;
use bilan::load::{ademe, factor_csv, inventory};
use bilan::number::checked_sum;
use bilan::post::Lang;
use bilan::render;
use bilan::report::{Destination, Report};
use rust_decimal::Decimal;
use std::sync::{Arc, OnceLock};

/// The inventory loader on any text (bytes that are not UTF-8 are replaced, as the loader
/// only takes text; `files::read_inventory` refuses them before).
pub fn inventory(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = inventory::parse("fuzz.yaml", &text);
}

/// The project's own factor CSV loader on any text.
pub fn factor_csv(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = factor_csv::load(&Arc::from("fuzz.csv"), &text, String::new());
}

/// The ADEME Base Carbone export loader on any bytes (it decodes them itself). The name has a
/// version so the `source` prefix is built too.
pub fn ademe(data: &[u8]) {
    let _ = ademe::load(&Arc::from("Base_Carbone_V23.6.csv"), data);
}

fn embedded() -> Option<&'static FactorBase> {
    static BASE: OnceLock<Option<FactorBase>> = OnceLock::new();
    BASE.get_or_init(|| bilan::embedded::base().ok()).as_ref()
}

/// The whole path: parse an inventory, compute it with the embedded base, render it in every
/// format, and check what a report promises.
pub fn compute(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(inventory) = inventory::parse("fuzz.yaml", &text) else {
        return;
    };
    let Some(base) = embedded() else {
        panic!("the embedded base does not load");
    };
    let Ok(report) = compute_report(&inventory, base) else {
        return;
    };
    check_report(&report);
    for lang in [Lang::Fr, Lang::En] {
        let _ = render::table::render(&report, lang);
        let _ = render::markdown::render(&report, lang);
        let _ = render::csv::posts(&report, lang);
        let json = render::json::render(&report, lang);
        assert!(
            serde_json::from_str::<serde_json::Value>(&json).is_ok(),
            "invalid JSON:\n{json}"
        );
        assert_eq!(json, render::json::render(&report, lang), "JSON not stable");
    }
    let _ = render::csv::lines(&report);
}

/// Invariants of a computed report (results.md): the posts partition the total; when no sum
/// or product rounded at a decimal's 28 digits, the scopes and the lines add up to the total
/// and a line's parts to the line; uncertainties are k ≥ 1 (never NaN).
pub fn check_report(report: &Report) {
    assert_eq!(report.posts.len(), 22, "22 posts");
    if let Some(posts) = checked_sum(report.posts.iter().map(|p| p.figure.kgco2e)) {
        assert_eq!(posts, report.total.kgco2e, "posts ≠ total");
    }
    for line in &report.lines {
        assert!(
            line.figure.k >= 1.0,
            "line {}: k = {}",
            line.id,
            line.figure.k
        );
    }
    for post in &report.posts {
        assert!(
            post.figure.k >= 1.0,
            "post {}: k = {}",
            post.post,
            post.figure.k
        );
    }
    assert!(report.total.k >= 1.0, "total: k = {}", report.total.k);
    if !within_precision(report) {
        return;
    }
    if let Some(scopes) = checked_sum(report.scopes.iter().map(|s| s.figure.kgco2e)) {
        assert_eq!(scopes, report.total.kgco2e, "scopes ≠ total");
    }
    let emitted = report
        .lines
        .iter()
        .filter(|l| l.destination == Destination::Emissions)
        .map(|l| l.figure.kgco2e);
    if let Some(emitted) = checked_sum(emitted) {
        assert_eq!(emitted, report.total.kgco2e, "lines ≠ total");
    }
    for line in &report.lines {
        if let Some(parts) = checked_sum(line.parts.iter().map(|(_, v)| *v)) {
            assert_eq!(parts, line.figure.kgco2e, "parts ≠ line {}", line.id);
        }
    }
}

/// True when no figure comes near a decimal's 28 significant digits (a rounded sum or product
/// shows up with 27 digits or more): then sums must be exact.
pub fn within_precision(report: &Report) -> bool {
    let limit = 10i128.pow(26);
    let small = |v: &Decimal| v.mantissa().abs() < limit;
    small(&report.total.kgco2e)
        && report.scopes.iter().all(|s| small(&s.figure.kgco2e))
        && report.posts.iter().all(|p| small(&p.figure.kgco2e))
        && report.lines.iter().all(|l| {
            small(&l.figure.kgco2e)
                && small(&l.converted_quantity)
                && l.parts.iter().all(|(_, v)| small(v))
        })
}
