//! Several inventories in one `compute`: a trend, one column per period.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

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
