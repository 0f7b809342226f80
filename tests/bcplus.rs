//! Bilan Carbone+ both ways through the real binary: export → import round trips on the
//! examples, a hand-made export in Bilan Carbone+'s exact format (tests/fixtures/bcplus), errors
//! with file:row:column.

use crate::common::run_at;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn compute_json(dir: &Path, inventory: &Path) -> Value {
    let (code, out, err) = run_at(
        dir,
        &["compute", inventory.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// The inventory's header (everything before `lines:`), then `include:` of the imported lines.
fn reimported(original: &Path, lines: &str, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(original).unwrap();
    let header: String = text
        .lines()
        .take_while(|l| !l.starts_with("lines:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let path = dir.join("reimported.yaml");
    std::fs::write(
        &path,
        format!("{header}include: [\"{lines}\"]\nlines: []\n"),
    )
    .unwrap();
    path
}

#[test]
fn round_trip_on_every_example() {
    for name in ["conseil-informatique", "cooperative", "pme-industrielle"] {
        let dir = tempfile::tempdir().unwrap();
        let example = root().join("examples").join(format!("{name}.yaml"));
        let xlsx = dir.path().join("sources.xlsx");
        let (code, _, err) = run_at(
            dir.path(),
            &[
                "export",
                "bcplus",
                example.to_str().unwrap(),
                "-o",
                xlsx.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 0, "{name}: {err}");
        assert!(err.contains("0 lines left out"), "{name}: {err}");
        let (code, _, err) = run_at(
            dir.path(),
            &["import", "bcplus", "sources.xlsx", "-o", "lines.yaml"],
        );
        assert_eq!(code, 0, "{name}: {err}");
        let before = compute_json(dir.path(), &example);
        let after = compute_json(dir.path(), &reimported(&example, "lines.yaml", dir.path()));
        let (b, a) = (
            before["lines"].as_array().unwrap(),
            after["lines"].as_array().unwrap(),
        );
        assert_eq!(b.len(), a.len(), "{name}");
        for (x, y) in b.iter().zip(a) {
            for key in [
                "id",
                "factor",
                "converted_quantity",
                "kgco2e",
                "uncertainty",
                "parts",
            ] {
                assert_eq!(x[key], y[key], "{name}: line {} field {key}", x["id"]);
            }
            // The unit: the factor's own (the quantity is now in it).
            let factor_unit = x["factor_unit"]
                .as_str()
                .unwrap()
                .trim_start_matches("kgCO2e/");
            let unit = y["unit"].as_str().unwrap();
            assert!(
                unit == factor_unit || (unit == "m3" && factor_unit == "m³"),
                "{name}: {unit} vs {factor_unit}"
            );
        }
        for key in ["total", "posts", "scopes"] {
            assert_eq!(before[key], after[key], "{name}: {key}");
        }
    }
}

#[test]
fn round_trip_keeps_a_hand_checked_line() {
    let dir = tempfile::tempdir().unwrap();
    let example = root().join("examples/pme-industrielle.yaml");
    run_at(
        dir.path(),
        &[
            "export",
            "bcplus",
            example.to_str().unwrap(),
            "-o",
            "s.xlsx",
        ],
    );
    let (code, yaml, _) = run_at(dir.path(), &["import", "bcplus", "s.xlsx"]);
    assert_eq!(code, 0);
    std::fs::write(dir.path().join("l.yaml"), &yaml).unwrap();
    let after = compute_json(dir.path(), &reimported(&example, "l.yaml", dir.path()));
    let line = after["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "fioul-ateliers")
        .unwrap();
    // 18,500 L of heating oil × 3.25 kgCO2e/L (Base Carbone 14087) = 60,125 kgCO2e, ±5 % declared.
    assert_eq!(
        line["kgco2e"].to_string(),
        (18_500.0_f64 * 3.25).to_string()
    );
    assert_eq!(line["unit"], "litre");
    assert!(yaml.contains("uncertainty: 5%"), "{yaml}");
}

#[test]
fn a_bcplus_export_imports_with_the_expected_posts() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/bcplus/sources-emission-export.csv");
    let (code, yaml, err) = run_at(dir.path(), &["import", "bcplus", fixture.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("4 lines imported, 3 sources not mapped"),
        "{err}"
    );
    assert!(
        err.contains("sources-emission-export.csv:6:3: not mapped: `Épandage`"),
        "{err}"
    );
    assert!(
        err.contains("sources-emission-export.csv:7:20: not mapped: `Prestation de nettoyage`"),
        "{err}"
    );
    std::fs::write(dir.path().join("lines.yaml"), &yaml).unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "bilan: 1\norganisation: { name: Test }\nperiod: { year: 2024 }\ninclude: [lines.yaml]\nlines: []\n",
    )
    .unwrap();
    let report = compute_json(dir.path(), &dir.path().join("inv.yaml"));
    let lines = report["lines"].as_array().unwrap();
    let line = |id: &str| lines.iter().find(|l| l["id"] == id).unwrap();
    let post_of = |id: &str| line(id)["rule"].as_str().unwrap().to_string();
    // Rows 2–5 of the CSV (row 1 is the header).
    assert_eq!(post_of("bcplus-2"), "explicit post: 2.6");
    assert_eq!(post_of("bcplus-3"), "explicit post: 3.13");
    assert_eq!(post_of("bcplus-4"), "explicit post: 3.10");
    assert_eq!(post_of("bcplus-5"), "explicit post: 3.11");
    // 21,340 kWh × 0.052 = 1,109.68; 95,000 p.km × 0.00293 = 278.35; 12 laptops × 156 / 5
    // years = 374.4; 2.5 t × 386 = 965.
    assert_eq!(line("bcplus-2")["kgco2e"].to_string(), "1109.68");
    assert_eq!(line("bcplus-3")["kgco2e"].to_string(), "278.35");
    assert_eq!(line("bcplus-4")["kgco2e"].to_string(), "374.4");
    assert_eq!(line("bcplus-5")["kgco2e"].to_string(), "965");
    // Qualities Bonne, Très bonne, Bonne, Très bonne, Bonne (4, 5, 4, 5, 4).
    assert!(yaml.contains("reliability: 4\n    technical: 5\n    geographic: 4\n    temporal: 5\n    completeness: 4"), "{yaml}");
    assert!(yaml.contains("acquired: 2024\n    years: 5"), "{yaml}");
    assert!(
        yaml.contains("hypothèses: Relevé compteur; index de janvier"),
        "{yaml}"
    );
}

fn fixture_with(dir: &Path, edit: impl Fn(&str) -> String) -> PathBuf {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/bcplus/sources-emission-export.csv"))
            .unwrap();
    let path = dir.join("export.csv");
    std::fs::write(&path, edit(&text)).unwrap();
    path
}

#[test]
fn errors_point_at_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    fixture_with(dir.path(), |t| {
        t.replacen(";Informatique;", ";Informatiques;", 1)
    });
    let (code, out, err) = run_at(dir.path(), &["import", "bcplus", "export.csv"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("error: export.csv:4:3: unknown sub-post `Informatiques`"),
        "{err}"
    );

    fixture_with(dir.path(), |t| t.replacen(";95000;", ";95 000 p.km;", 1));
    let (code, _, err) = run_at(dir.path(), &["import", "bcplus", "export.csv"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: export.csv:3:7: activity value: `95 000 p.km` is not a number"),
        "{err}"
    );

    fixture_with(dir.path(), |t| {
        let mut lines: Vec<String> = t.split('\n').map(str::to_string).collect();
        lines[0] = lines[0].split(';').take(10).collect::<Vec<_>>().join(";");
        lines.join("\n")
    });
    let (code, _, err) = run_at(dir.path(), &["import", "bcplus", "export.csv"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: export.csv:1:20: missing column `ID (Base empreinte uniquement)`"),
        "{err}"
    );
}

#[test]
fn xlsx_errors_name_the_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let example = root().join("examples/cooperative.yaml");
    let (code, _, err) = run_at(
        dir.path(),
        &[
            "export",
            "bcplus",
            example.to_str().unwrap(),
            "-o",
            "s.xlsx",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // Rewrite the workbook with one bad unit in W12 (the second source).
    use calamine::{Data, Reader};
    let mut wb = calamine::open_workbook_auto(dir.path().join("s.xlsx")).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let sheet = out.add_worksheet();
    sheet.set_name("Sources d'émission").unwrap();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Data::String(s) if (r, c) == (11, 22) => {
                    sheet.write_string(r, c, format!("{s}x")).unwrap();
                }
                Data::String(s) => {
                    sheet.write_string(r, c, s).unwrap();
                }
                Data::Float(f) => {
                    sheet.write_number(r, c, *f).unwrap();
                }
                _ => {}
            }
        }
    }
    out.save(dir.path().join("bad.xlsx")).unwrap();
    let (code, _, err) = run_at(dir.path(), &["import", "bcplus", "bad.xlsx"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: bad.xlsx!Sources d'émission:12:23: unknown unit `kgCO2e/"),
        "{err}"
    );
}

#[test]
fn export_lists_what_it_cannot_write_and_refuses_an_empty_result() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "bilan: 1\norganisation: { name: Test }\nperiod: { year: 2024 }\nlines:\n  - id: maison\n    label: Facteur maison\n    factor: { name: Maison, kgco2e: 2, unit: kgCO2e/kg, source: fournisseur }\n    quantity: 10\n    unit: kg\n    post: \"3.9\"\n",
    )
    .unwrap();
    let (code, _, err) = run_at(
        dir.path(),
        &["export", "bcplus", "inv.yaml", "-o", "s.xlsx"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "warning: line `maison` not exported: inline factor without a Base Carbone id"
        ),
        "{err}"
    );
    assert!(
        err.contains("error: no line of inv.yaml can be exported"),
        "{err}"
    );
    assert!(!dir.path().join("s.xlsx").exists());
}
