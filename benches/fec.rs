//! Benchmark: `bilan import fec` on a generated FEC of N lines (default 1,000,000): purchase
//! entries of three lines (expense or asset, VAT, supplier), 400 suppliers, 24 accounts, a few
//! entries outside the year. End to end: read, decode, parse, sum, map, write the YAML.
//! `cargo bench --bench fec [-- LINES]`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator of the `bilan` binary, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::fmt::Write as _;
use std::time::Instant;

const ACCOUNTS: [(&str, &str); 24] = [
    ("60610000", "Electricité"),
    ("60630000", "Petit équipement"),
    ("60640000", "Fournitures administratives"),
    ("60680000", "Autres fournitures"),
    ("60700000", "Achats de marchandises"),
    ("61320000", "Locations immobilières"),
    ("61400000", "Charges locatives"),
    ("61550000", "Entretien matériel"),
    ("61600000", "Assurances"),
    ("61850000", "Séminaires"),
    ("62110000", "Intérim"),
    ("62260000", "Honoraires"),
    ("62280000", "Divers honoraires"),
    ("62300000", "Publicité"),
    ("62410000", "Transports sur achats"),
    ("62510000", "Voyages et déplacements"),
    ("62560000", "Missions"),
    ("62570000", "Réceptions"),
    ("62600000", "Télécommunications"),
    ("62700000", "Services bancaires"),
    ("62810000", "Cotisations"),
    ("21830000", "Matériel informatique"),
    ("21840000", "Mobilier"),
    ("64110000", "Salaires"),
];

/// A FEC of about `n` lines, tab-separated.
fn fec(n: usize) -> String {
    let mut text = String::with_capacity(n * 140);
    text.push_str("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n");
    let mut entry = 0usize;
    let mut lines = 0usize;
    while lines < n {
        entry += 1;
        let (account, label) = ACCOUNTS[entry % ACCOUNTS.len()];
        let supplier = entry % 400;
        let year = if entry.is_multiple_of(50) { 2024 } else { 2025 };
        let date = format!("{year}{:02}{:02}", entry % 12 + 1, entry % 28 + 1);
        let cents = (entry * 7919) % 500_000 + 100;
        let (ht, vat) = (cents, cents / 5);
        let credit_note = entry.is_multiple_of(17);
        let amount = format!("{},{:02}", ht / 100, ht % 100);
        let zero = "0,00".to_string();
        let (debit, credit) = if credit_note {
            (zero, amount)
        } else {
            (amount, zero)
        };
        let _ = writeln!(
            text,
            "AC\tAchats\t{entry}\t{date}\t{account}\t{label}\t\t\tF{entry}\t{date}\tFacture {entry}\t{debit}\t{credit}\t\t\t{date}\t\t"
        );
        let vat_text = format!("{},{:02}", vat / 100, vat % 100);
        let (vd, vc) = if credit_note {
            ("0,00".to_string(), vat_text)
        } else {
            (vat_text, "0,00".to_string())
        };
        let _ = writeln!(
            text,
            "AC\tAchats\t{entry}\t{date}\t44566000\tTVA déductible\t\t\tF{entry}\t{date}\tFacture {entry}\t{vd}\t{vc}\t\t\t{date}\t\t"
        );
        let total = ht + vat;
        let total = format!("{},{:02}", total / 100, total % 100);
        let (sd, sc) = if credit_note {
            (total, "0,00".to_string())
        } else {
            ("0,00".to_string(), total)
        };
        let _ = writeln!(
            text,
            "AC\tAchats\t{entry}\t{date}\t40100000\tFournisseurs\tF{supplier:04}\tFournisseur {supplier}\tF{entry}\t{date}\tFacture {entry}\t{sd}\t{sc}\t\t\t{date}\t\t"
        );
        lines += 3;
    }
    text
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fec.txt");
    std::fs::write(&path, fec(n)).unwrap();
    let size = std::fs::metadata(&path).unwrap().len() >> 20;
    for extra in [&[][..], &["--by-supplier"][..]] {
        let output = dir.path().join("achats.yaml");
        let mut args = vec![
            "bilan".to_string(),
            "import".into(),
            "fec".into(),
            path.display().to_string(),
            "--year".into(),
            "2025".into(),
            "-o".into(),
            output.display().to_string(),
        ];
        args.extend(extra.iter().map(|a| (*a).to_string()));
        let cli = bilan::cli::Cli::parse_from(&args);
        let start = Instant::now();
        let code = bilan::cmd::run(cli).unwrap();
        let elapsed = start.elapsed();
        assert_eq!(code, 0);
        let written = std::fs::read_to_string(&output).unwrap();
        println!(
            "{n} lines ({size} MB){}: import {:.3} s, {} lines written",
            extra.first().map_or(String::new(), |a| format!(" {a}")),
            elapsed.as_secs_f64(),
            written.matches("  - id: ").count()
        );
    }
}
