//! Factor bases from the command line: the real ADEME export as is (`--factors` and the
//! inventory's `factors:`), provenance in JSON, `factors search` and `factors show`.

use std::path::Path;

const EXTRACT: &str = "tests/fixtures/Base_Carbone_Test.csv";

use crate::common::run_at as run;

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

/// The extract with hand-made changes: 42513's value 0,052 → 0,06; 28203's Amont part
/// 4,40E-4 → 5,00E-4 (its total kept); 20591 removed; 99999 added (20591's row, value 100).
fn extract_changed(dir: &Path) {
    let bytes = std::fs::read(here().join(EXTRACT)).unwrap();
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let photocopier = lines[1].clone();
    assert!(photocopier.starts_with("Elément;20591;"));
    lines.remove(1);
    for line in &mut lines {
        if line.starts_with("Elément;42513;") {
            *line = line.replacen(";0,052;", ";0,06;", 1);
        }
        if line.starts_with("Poste;28203;") && line.contains(";Amont;") {
            *line = line.replacen(";4,40E-4;", ";5,00E-4;", 1);
        }
    }
    lines.push(
        photocopier
            .replacen(";20591;", ";99999;", 1)
            .replacen(";2935;", ";100;", 1),
    );
    std::fs::write(dir.join("new.csv"), lines.join("\n") + "\n").unwrap();
    std::fs::copy(here().join(EXTRACT), dir.join("old.csv")).unwrap();
}

#[test]
fn factors_diff_lists_added_removed_and_changed() {
    let dir = tempfile::tempdir().unwrap();
    extract_changed(dir.path());
    let (code, stdout, stderr) = run(
        dir.path(),
        &["factors", "diff", "old.csv", "new.csv", "--format", "csv"],
    );
    assert_eq!(code, 0, "{stderr}");
    // 0.06 − 0.052 = +0.008; 28203's total 5,54E-3 = 0.00554 unchanged, its parts
    // Amont 0.00044 → 0.0005 and Combustion 5,10E-3 = 0.0051, both named "Carburant".
    assert_eq!(
        stdout,
        "change,id,name,unit,kgco2e_old,kgco2e_new,delta,parts_old,parts_new\n\
         added,99999,Photocopieurs,kgCO2e/appareil,,100,,,\n\
         removed,20591,Photocopieurs,kgCO2e/appareil,2935,,,,\n\
         changed: parts,28203,Porte-conteneur - Dry - Asie - Europe du Nord,kgCO2e/t.km,0.00554,0.00554,,Amont (Carburant) 0.00044; Combustion (Carburant) 0.0051,Amont (Carburant) 0.0005; Combustion (Carburant) 0.0051\n\
         changed: value,42513,Electricité - 2022 - mix moyen - consommation,kgCO2e/kWh,0.052,0.06,+0.008,Combustion à la centrale 0.0338; Amont 0.0135; Transport et distribution (Pertes) 0.00474,Combustion à la centrale 0.0338; Amont 0.0135; Transport et distribution (Pertes) 0.00474\n"
    );
    // The same base twice: nothing changed.
    let (code, stdout, _) = run(dir.path(), &["factors", "diff", "old.csv", "old.csv"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "old.csv → old.csv: 0 added, 0 removed, 0 changed\n")
    );

    let (_, json, _) = run(
        dir.path(),
        &["factors", "diff", "old.csv", "new.csv", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["added"][0]["id"], "99999");
    assert_eq!(json["removed"][0]["kgco2e"].to_string(), "2935");
    assert_eq!(json["changed"][1]["changes"], serde_json::json!(["value"]));
    assert_eq!(json["changed"][1]["new"]["kgco2e"].to_string(), "0.06");
    assert_eq!(
        json["changed"][0]["new"]["parts"][0]["kgco2e"].to_string(),
        "0.0005"
    );
    for format in ["table", "md"] {
        let (_, text, _) = run(
            dir.path(),
            &["factors", "diff", "old.csv", "new.csv", "--format", format],
        );
        insta::assert_snapshot!(format!("factors-diff-{format}"), text);
    }
}
