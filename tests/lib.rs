//! The integration tests, one binary: a module per topic (linking the crate once is most of
//! the tests' build time). Tests needing Chromium are `#[ignore]`d: `.ci/run` installs it and
//! runs them with `--ignored`.

// Tests may fail loudly: the library's denials do not apply here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::float_cmp
)]

mod common;

mod ademe;
mod adversarial;
mod batch;
mod batches;
mod bcplus;
mod breakdown;
mod cli;
mod diff;
mod engine;
mod examples;
mod factors;
mod fec;
mod fuzz_regressions;
mod group;
mod monte_carlo;
mod properties;
mod readme;
mod report;
mod spreadsheets;
mod trajectory;
mod trend;
mod views;
