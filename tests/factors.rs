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
        stderr.contains("inv.yaml:7:13: line `papier`: factor 22024 is archived (\"Archivé\")"),
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

/// An own factor's parts: each once, of the total's sign, adding up to at most the total.
/// Each of these used to compute: the part given twice put 2 × 0.06 × 1,000 = 120 kg in 2.6
/// and 100 − 120 = −20 kg in 3.8.
#[test]
fn own_factor_parts_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "bilan: 1\norganisation: { name: T }\nperiod: { year: 2024 }\nlines:\n  - label: E\n    factor: X1\n    quantity: 1000\n    unit: kWh\n    uncertainty: 5%\n",
    )
    .unwrap();
    let head = "id,name,unit,kgco2e,uncertainty,category,part,source\nX1,Elec,kgCO2e/kWh,0.1,5,Electricité > Mix,,own\n";
    let cases = [
        (
            "X1,comb,kgCO2e/kWh,0.06,,,Combustion à la centrale,own\nX1,comb2,kgCO2e/kWh,0.06,,,combustion à la centrale,own\n",
            "error: own.csv:4:7: part `combustion à la centrale` of factor `X1` is given twice (first on line 3)\n  = help: keep one row per part of a factor\n",
        ),
        (
            // 0.08 + 0.03 = 0.11 > 0.1 × 1.005 = 0.1005.
            "X1,comb,kgCO2e/kWh,0.08,,,Combustion à la centrale,own\nX1,amont,kgCO2e/kWh,0.03,,,Amont,own\n",
            "error: own.csv:2:4: the parts of factor `X1` (lines 3, 4) add up to 0.11 kgCO2e, more than its total 0.1 (beyond 0.5 % of rounding)\n  = help: a factor's parts are shares of its total: correct the total or the parts (what they leave goes to 3.8)\n",
        ),
        (
            // 0.12 − 0.02 = 0.1, the total, but 2.6 would get 120 and 3.8 −20.
            "X1,comb,kgCO2e/kWh,0.12,,,Combustion à la centrale,own\nX1,amont,kgCO2e/kWh,-0.02,,,Amont,own\n",
            "error: own.csv:4:4: part `Amont` of factor `X1` is -0.02 kgCO2e, of the other sign than its total 0.1\n  = help: a factor's parts are shares of its total: same sign, adding up to at most the total\n",
        ),
    ];
    for (parts, expected) in cases {
        std::fs::write(dir.path().join("own.csv"), format!("{head}{parts}")).unwrap();
        let (code, stdout, stderr) = run(
            dir.path(),
            &[
                "compute",
                "inv.yaml",
                "--factors",
                "own.csv",
                "--format",
                "csv",
            ],
        );
        assert_eq!(code, 1, "{stdout}");
        assert_eq!(stderr, expected);
    }
    // Parts within the total: 1,000 kWh × 0.06 = 60 kg in 2.6, the rest 100 − 60 = 40 in 3.8.
    std::fs::write(
        dir.path().join("own.csv"),
        format!("{head}X1,comb,kgCO2e/kWh,0.06,,,Combustion à la centrale,own\n"),
    )
    .unwrap();
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "compute",
            "inv.yaml",
            "--factors",
            "own.csv",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\n2.6,2,"), "{stdout}");
    let kg = |code: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("{code},")))
            .unwrap()
            .split(',')
            .nth(4)
            .unwrap()
            .to_string()
    };
    assert_eq!((kg("2.6"), kg("3.8")), ("60".to_string(), "40".to_string()));
}

/// A defective row of a supplied base, for an id a line uses, stops the line: it used to be
/// skipped with a warning and the line quietly took the embedded 42513 (1,000 kWh × 0.052 =
/// 52 kg). The element row of 42513 is line 108 of the extract, its parts 109–111.
#[test]
fn a_defective_base_row_is_never_replaced_by_the_embedded_factor() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "bilan: 1\norganisation: { name: T }\nperiod: { year: 2024 }\nlines:\n  - label: Électricité\n    factor: \"42513\"\n    quantity: 1000\n    unit: kWh\n    uncertainty: 5%\n",
    )
    .unwrap();
    let extract = std::fs::read(here().join(EXTRACT)).unwrap();
    let replace = |from: &[u8], to: &[u8]| -> Vec<u8> {
        let at = extract.windows(from.len()).position(|w| w == from).unwrap();
        assert_eq!(
            extract.windows(from.len()).filter(|w| *w == from).count(),
            1
        );
        [&extract[..at], to, &extract[at + from.len()..]].concat()
    };
    let help = "  = help: correct that row of bad.csv, or remove the base; the value of another base is not used in its place\n";
    let cases = [
        (
            replace(b";0,052;", b";1 000,5;"),
            "bad.csv:108",
            "column \"Total poste non décomposé\": \"1 000,5\" is not a number",
        ),
        (
            // A part row: the factor would be split without it (its share going to 3.8).
            replace(b";0,0135;", b";0,01x5;"),
            "bad.csv:110",
            "column \"Total poste non décomposé\": \"0,01x5\" is not a number",
        ),
    ];
    for (bytes, row, reason) in cases {
        std::fs::write(dir.path().join("bad.csv"), bytes).unwrap();
        let (code, stdout, stderr) = run(
            dir.path(),
            &[
                "compute",
                "inv.yaml",
                "--factors",
                "bad.csv",
                "--format",
                "csv",
            ],
        );
        assert_eq!(code, 1, "{stdout}");
        assert_eq!(
            stderr,
            format!(
                "warning: {row}: row skipped: {reason}\nerror: inv.yaml:6:13: factor `42513`: its row {row} could not be read ({reason})\n  |\n6 |     factor: \"42513\"\n  |             ^\n{help}"
            )
        );
    }
    // A line on another factor computes; the defective row only warns.
    std::fs::write(dir.path().join("inv.yaml"), PAPER).unwrap();
    let (code, _, stderr) = run(
        dir.path(),
        &[
            "compute",
            "inv.yaml",
            "--factors",
            "bad.csv",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.starts_with("warning: bad.csv:110: row skipped: "),
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
