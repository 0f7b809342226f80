//! Factor bases from the command line: the real ADEME export as is (`--factors` and the
//! inventory's `factors:`), provenance in JSON, `factors search` and `factors show`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

const EXTRACT: &str = "tests/fixtures/Base_Carbone_Test.csv";

mod common;
use common::run_at as run;

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const PAPER: &str = "bilan: 1
organisation: { name: Test }
period: { year: 2022 }
lines:
  - id: papier
    label: Papier de bureau jeté
    factor: 22024
    quantity: 2
    unit: t
    uncertainty: 10%
";

#[test]
fn the_ademe_extract_is_read_as_is_and_archived_factors_warn() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        here().join(EXTRACT),
        dir.path().join("Base_Carbone_Test.csv"),
    )
    .unwrap();
    std::fs::write(dir.path().join("inv.yaml"), PAPER).unwrap();
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "compute",
            "inv.yaml",
            "--factors",
            "Base_Carbone_Test.csv",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    // 22024 (archived, 300 kgCO2e/tonne): 2 t × 300 = 600 in 3.11.
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["total"]["kgco2e"].to_string(), "600");
    assert_eq!(
        json["lines"][0]["factor_source"],
        "ADEME Base Carbone id 22024"
    );
    assert!(
        stderr.contains(
            "inv.yaml:7:13: ligne `papier` : le facteur 22024 a le statut « Archivé » dans sa base ; préférez un facteur valide [archived-factor]\n"
        ),
        "{stderr}"
    );
    let bases = json["bases"].as_array().unwrap();
    assert_eq!(bases.len(), 2);
    assert_eq!(bases[0]["kind"], "embedded");
    assert_eq!(bases[1]["name"], "Base_Carbone_Test.csv");
    assert_eq!(bases[1]["kind"], "ademe-base-carbone");
    assert_eq!(bases[1]["rows"], 117);
    // SHA-256 of the extract, as its SOURCE.md states.
    assert_eq!(
        bases[1]["sha256"],
        "a8f0d5cc955cae6258ce0b3fd1a35f99e1fc1483adfb70e3b9e778758bff58cb"
    );
}

#[test]
fn an_inventory_names_its_factor_base() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("bases")).unwrap();
    std::fs::copy(
        here().join(EXTRACT),
        dir.path().join("bases/Base_Carbone_Test.csv"),
    )
    .unwrap();
    let text = PAPER.replace(
        "lines:\n",
        "factors: [bases/Base_Carbone_Test.csv]\nlines:\n",
    );
    std::fs::write(dir.path().join("inv.yaml"), text).unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["compute", "inv.yaml", "--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("\n3.11,3,Déchets,collected,600,1,"),
        "{stdout}"
    );
}

#[test]
fn a_missing_factor_file_points_at_the_inventory_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = PAPER.replace("lines:\n", "factors: [absent.csv]\nlines:\n");
    std::fs::write(dir.path().join("inv.yaml"), text).unwrap();
    let (code, _, stderr) = run(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: inv.yaml:4:11: cannot use factor file `absent.csv`: cannot open: no such file"
        ),
        "{stderr}"
    );
}

#[test]
fn bad_factor_files_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), PAPER).unwrap();
    std::fs::write(dir.path().join("weird.csv"), "a,b,c\n1,2,3\n").unwrap();
    let (code, _, stderr) = run(dir.path(), &["check", "inv.yaml", "--factors", "weird.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: weird.csv:1:1: not a factor base: unknown header"),
        "{stderr}"
    );
    std::fs::write(
        dir.path().join("own.csv"),
        "id,name,unit,kgco2e,uncertainty,category,part,source\nX,Test,kgCO2e/kg,douze,,Achats de biens > Divers,,test\n",
    )
    .unwrap();
    let (code, _, stderr) = run(dir.path(), &["check", "inv.yaml", "--factors", "own.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: own.csv:2:4: column \"kgco2e\": `douze` is not a decimal number"),
        "{stderr}"
    );
}

#[test]
fn search_and_show() {
    let (code, stdout, _) = run(
        here(),
        &["factors", "search", "electricite", "2022", "--unit", "kWh"],
    );
    assert_eq!(code, 0);
    insta::assert_snapshot!("search-electricite-2022", stdout);
    let (code, stdout, _) = run(here(), &["factors", "show", "42513"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("show-42513", stdout);
    let (code, _, stderr) = run(here(), &["factors", "show", "42531"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("unknown factor id `42531`; closest: 42513"),
        "{stderr}"
    );
    let (code, _, stderr) = run(here(), &["factors", "search", "zzzzqqq"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no factor matches"), "{stderr}");
}

#[test]
fn the_full_export_computes_the_examples() {
    let full = here().join("../shared/data/basecarbone/Base_Carbone_V23.6.csv");
    if !full.is_file() {
        eprintln!("skipped: {} is absent", full.display());
        return;
    }
    let (code, with_full, stderr) = run(
        here(),
        &[
            "compute",
            "examples/conseil-informatique.yaml",
            "--factors",
            full.to_str().unwrap(),
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (_, embedded, _) = run(
        here(),
        &[
            "compute",
            "examples/conseil-informatique.yaml",
            "--format",
            "csv",
        ],
    );
    // The embedded rows are verbatim rows of the full export: the same figures.
    assert_eq!(with_full, embedded);
}
