//! Benchmark: `bilan batch` over N synthetic inventories (default 1,000) of L lines each
//! (default 200), in 50 client folders, drawn from the embedded factor base. Runs the library
//! entry (`bilan::batch::run`, what the binary runs) on a pool of 2 threads then of 1, and
//! checks the summaries are the same bytes. `cargo bench --bench batch [-- N [L]]`;
//! `BENCH_THREADS=1,2,4` chooses the pool sizes (default 2 then 1).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator of the `bilan` binary, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

mod common;

/// A synthetic inventory of `n` lines; `seed` varies its quantities.
fn inventory(client: usize, year: usize, n: usize, seed: usize) -> String {
    let mut text = String::with_capacity(n * 110 + 200);
    let _ = write!(
        text,
        "bilan: 1\norganisation: {{ name: Client {client} }}\nperiod: {{ year: {year} }}\nindicators:\n  etp: {{ label: ETP, value: {} }}\ndefaults: {{ uncertainty: 10% }}\nlines:\n",
        10 + client
    );
    common::push_lines(&mut text, n, seed);
    text
}

fn generate(root: &Path, inventories: usize, lines: usize) -> usize {
    let mut bytes = 0;
    for i in 0..inventories {
        let (client, year) = (i % 50, 2000 + i / 50);
        let folder = root.join(format!("client-{client:02}"));
        std::fs::create_dir_all(&folder).unwrap();
        let text = inventory(client, year, lines, i);
        bytes += text.len();
        std::fs::write(folder.join(format!("{year}.yaml")), text).unwrap();
    }
    bytes
}

fn run(threads: usize, root: &Path, out: &Path) -> (f64, bilan::batch::Outcome) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let options = bilan::batch::Options {
        root: root.to_path_buf(),
        globs: Vec::new(),
        output: out.to_path_buf(),
        factors: Vec::new(),
        format: bilan::batch::ResultFormat::Json,
        dialect: bilan::render::sheet::Dialect::Standard,
        lang: bilan::post::Lang::Fr,
        progress: false,
        allow: Vec::new(),
        quiet: false,
    };
    let start = Instant::now();
    let outcome = pool.install(|| bilan::batch::run(&options)).unwrap();
    (start.elapsed().as_secs_f64(), outcome)
}

fn main() {
    let mut numbers = std::env::args().skip(1).filter_map(|a| a.parse().ok());
    let inventories: usize = numbers.next().unwrap_or(1_000);
    let lines: usize = numbers.next().unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("clients");
    let start = Instant::now();
    let bytes = generate(&root, inventories, lines);
    println!(
        "{inventories} inventories of {lines} lines ({} MB of YAML) generated in {:.2} s",
        bytes >> 20,
        start.elapsed().as_secs_f64()
    );
    let mut summaries = Vec::new();
    let threads: Vec<usize> = std::env::var("BENCH_THREADS")
        .unwrap_or_else(|_| "2,1".to_string())
        .split(',')
        .filter_map(|t| t.trim().parse().ok())
        .collect();
    for threads in threads {
        let out = dir.path().join(format!("out-{threads}"));
        let (seconds, outcome) = run(threads, &root, &out);
        assert!(outcome.success(), "{:?}", outcome.messages.first());
        println!(
            "{threads} thread{}: {seconds:.2} s ({:.1} inventories/s) — {}",
            if threads == 1 { "" } else { "s" },
            inventories as f64 / seconds,
            bilan::render::batch::tally(&outcome)
        );
        summaries.push(std::fs::read(&outcome.summary).unwrap());
    }
    assert!(
        summaries.windows(2).all(|w| w[0] == w[1]),
        "summaries differ by thread count"
    );
}
