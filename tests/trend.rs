//! Several inventories in one `compute`: a trend, one column per period.

use assert_cmd::Command;

fn inventory(year: u32, kwh: u32) -> String {
    format!(
        "bilan: 1
organisation: {{ name: Fokus IT }}
period: {{ year: {year} }}
lines:
  - label: Électricité
    factor: \"42513\"
    quantity: {kwh}
    unit: kWh
    uncertainty: 5%
"
    )
}

#[test]
fn a_trend_of_two_years() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("2024.yaml"), inventory(2024, 20000)).unwrap();
    std::fs::write(dir.path().join("2025.yaml"), inventory(2025, 15000)).unwrap();
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args(["compute", "2024.yaml", "2025.yaml", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    // 20,000 kWh × 0.052 = 1,040 then 15,000 × 0.052 = 780: −260, −25 %.
    // 2.6 gets × 0.0338: 676 then 507 (−169); 3.8 the rest: 364 then 273 (−91).
    assert!(
        csv.starts_with("code,name,2024,2025,change,change_share\n"),
        "{csv}"
    );
    assert!(
        csv.contains(
            "\n2.6,Émissions indirectes liées à la consommation d'électricité,676,507,-169,-0.25\n"
        ),
        "{csv}"
    );
    assert!(csv.contains("\n3.8,Émissions liées à l'énergie non incluses dans les postes 1 à 7,364,273,-91,-0.25\n"), "{csv}");
    assert!(
        csv.ends_with("\ntotal,Total,1040,780,-260,-0.25\n"),
        "{csv}"
    );
    let table = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args(["compute", "2024.yaml", "2025.yaml", "--lang", "en"])
        .output()
        .unwrap();
    insta::assert_snapshot!("trend-table", String::from_utf8(table.stdout).unwrap());
}

fn run(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn periods_are_in_order_whatever_the_argument_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), inventory(2025, 15000)).unwrap();
    std::fs::write(dir.path().join("b.yaml"), inventory(2023, 10000)).unwrap();
    std::fs::write(dir.path().join("c.yaml"), inventory(2024, 20000)).unwrap();
    let (code, csv, stderr) = run(
        dir.path(),
        &["compute", "a.yaml", "b.yaml", "c.yaml", "--format", "csv"],
    );
    assert_eq!(code, 0, "{stderr}");
    // 10,000 / 20,000 / 15,000 kWh × 0.052 = 520 / 1,040 / 780; 2023 → 2025: +260, +50 %.
    assert!(
        csv.starts_with("code,name,2023,2024,2025,change,change_share\n"),
        "{csv}"
    );
    assert!(
        csv.ends_with("\ntotal,Total,520,1040,780,260,0.5\n"),
        "{csv}"
    );
    // Posts not collected have no figure (unknown is not zero); scopes and total always do.
    assert!(
        csv.contains("\n1.1,Émissions directes des sources fixes de combustion,,,,,\n"),
        "{csv}"
    );
    let (_, table, _) = run(dir.path(), &["compute", "c.yaml", "a.yaml", "b.yaml"]);
    assert!(
        table.starts_with("Bilan Carbone® — Fokus IT, 2023 → 2025\n"),
        "{table}"
    );
}

#[test]
fn a_trend_is_of_one_organisation_and_one_inventory_per_period() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), inventory(2024, 1)).unwrap();
    std::fs::write(dir.path().join("b.yaml"), inventory(2024, 2)).unwrap();
    std::fs::write(
        dir.path().join("c.yaml"),
        inventory(2025, 3).replace("Fokus IT", "Autre SA"),
    )
    .unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["compute", "a.yaml", "b.yaml"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "error: a.yaml and b.yaml cover the same period: a trend takes one inventory per period\n"
    );
    let (code, _, stderr) = run(dir.path(), &["compute", "a.yaml", "c.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: these inventories are of different organisations (Fokus IT, Autre SA): a trend compares one organisation over time (--allow mixed-organisations to compare them anyway)\n"
    );
    let (code, table, stderr) = run(
        dir.path(),
        &[
            "compute",
            "a.yaml",
            "c.yaml",
            "--allow",
            "mixed-organisations",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        table.starts_with("Bilan Carbone® — Fokus IT / Autre SA, 2024 → 2025\n"),
        "{table}"
    );
}
