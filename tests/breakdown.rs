//! `compute --by site|tag`: the posts broken down by the lines' site or tags.

use assert_cmd::Command;

const INVENTORY: &str = "bilan: 1
organisation: { name: Test }
period: { year: 2022 }
defaults: { uncertainty: 5% }
lines:
  - label: Électricité Lyon
    factor: \"42513\"
    quantity: 1000
    unit: kWh
    site: Lyon
    tags: [bureaux, numérique]
  - label: Électricité Paris
    factor: \"42513\"
    quantity: 2000
    unit: kWh
    site: Paris
    tags: [bureaux]
  - label: Infogérance
    factor: \"43445\"
    quantity: 10
    unit: k€ (2023) HT
";

fn csv(by: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), INVENTORY).unwrap();
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args(["compute", "inv.yaml", "--format", "csv", "--by", by])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn by_site() {
    let csv = csv("site");
    // Lyon 1,000 kWh: 33.8 to 2.6, 52 − 33.8 = 18.2 to 3.8; Paris twice that; the service
    // line (10 k€ × 75, factor 43445) has no site.
    assert!(csv.starts_with("code,name,Lyon,Paris,–\n"), "{csv}");
    assert!(
        csv.contains(
            "\n2.6,Émissions indirectes liées à la consommation d'électricité,33.8,67.6,0\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains(
            "\n3.8,Émissions liées à l'énergie non incluses dans les postes 1 à 7,18.2,36.4,0\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("\n3.9,Achats de produits ou services,0,0,750\n"),
        "{csv}"
    );
    assert!(csv.ends_with("\ntotal,Total,52,104,750\n"), "{csv}");
}

#[test]
fn by_tag_counts_a_line_in_each_of_its_tags() {
    let csv = csv("tag");
    assert!(csv.starts_with("code,name,bureaux,numérique,–\n"), "{csv}");
    assert!(csv.ends_with("\ntotal,Total,156,52,750\n"), "{csv}");
}
