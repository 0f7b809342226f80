//! `bilan import fec` on a FEC written for these tests (`tests/fixtures/fec/`), whose sums are
//! computed by hand below, and `bilan compute` on an inventory including what it writes.
//!
//! The fixture, year 2025 (amounts HT, VAT lines on 445…):
//! - opening journal AN (à-nouveaux): 2183 5,000 € debit → skipped (not an acquisition);
//! - 6064 office supplies: 1,200.00 (FOURN01) + 300.50 (FOURN02) − 150.00 (credit note
//!   FOURN01) = 1,350.50 € → 1.3505 k€ × 357 (43370) = 482.1285 kgCO2e;
//!   999.99 € dated 2024-12-15 is outside the year;
//! - 626 telecoms: 2,400 € → 2.4 k€ × 136 (43510) = 326.4; 777 € dated 2026 is outside;
//! - 6226 fees: −1,000 (reversal on 2025-01-01 of a 2024 accrual, supplier line 408 without
//!   auxiliary account) + 4,000 (FOURN06) + 500 − 500 (an entry and its reversal) = 3,000 €
//!   → 3 k€ × 67 (43545) = 201;
//! - 2183 IT equipment: 3,600 € (FOURN07, account 404) → 3.6 k€ × 216 (43420) / 4 years
//!   = 194.4 in 3.10;
//! - 6251 travel: 1,500 € → 1.5 × 319 (43570) = 478.5 in 3.13, unless the inventory counts
//!   business travel physically (then excluded);
//! - 627 bank: 45.30 € → 0.0453 × 70 (43530) = 3.171;
//! - 6061 electricity 3,000 € and 609 rebate −120 € are excluded; 6185 seminar 800 € is
//!   unmapped; salaries (641) and sales (706, 411) are not purchases.
//!
//! Considered: 1,350.50 + 2,400 + 3,000 + 3,600 + 1,500 + 45.30 + 3,000 + 800 = 15,695.80 €.
//! Mapped without an inventory: 11,895.80 € (75.8 %); excluded 3,000 (19.1 %); unmapped 800
//! (5.1 %).

use std::path::Path;

const FIXTURES: &str = "tests/fixtures/fec";
const TAB: &str = "fec-2025.txt";
const PIPE: &str = "fec-2025-pipe-cp1252.txt";

/// A temporary folder holding the fixtures.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in [TAB, PIPE] {
        std::fs::copy(Path::new(FIXTURES).join(name), dir.path().join(name)).unwrap();
    }
    dir
}

use crate::common::run_at;

fn import(dir: &Path, args: &[&str]) -> (String, String) {
    let mut all = vec!["import", "fec"];
    all.extend(args);
    let (code, stdout, stderr) = run_at(dir, &all);
    assert_eq!(code, 0, "{stderr}");
    (stdout, stderr)
}

#[test]
fn the_fec_becomes_lines_with_the_hand_computed_sums() {
    let dir = folder();
    let (stdout, stderr) = import(dir.path(), &[TAB, "--year", "2025", "-o", "achats.yaml"]);
    assert_eq!(stdout, "");
    let written = std::fs::read_to_string(dir.path().join("achats.yaml")).unwrap();
    insta::assert_snapshot!("fec-2025-lines", written);
    // The summary on stderr is the file's comment block.
    for line in stderr.lines() {
        assert!(written.contains(&format!("# {line}")), "{line}");
    }
    let expected = [
        "bilan import fec fec-2025.txt: 48 lines, 44 dated 2025-01-01 – 2025-12-31 (4 outside, skipped)",
        "journal AN (A-nouveaux): 3 lines skipped as opening balances (à-nouveaux)",
        "purchases considered (net debits of classes 60–62, 21 and accounts with a rule): 15.6958 k€",
        "  mapped         11.8958 k€   75.8 %  6 lines written",
        "  excluded             3 k€   19.1 %  counted elsewhere or not a purchase",
        "  unmapped           0.8 k€    5.1 %  no rule: add one with --mapping",
        "           0.8 k€     1 line   61850000 Frais de colloques, séminaires",
        "note: rule 6251 is excluded when the inventory has business-travel lines; no --inventory given, so it is mapped",
    ];
    for line in expected {
        assert!(stderr.lines().any(|l| l == line), "{line}\n{stderr}");
    }
    // Amounts in k€ are exact: euros / 1000.
    for quantity in ["3.6", "1.3505", "3", "1.5", "2.4", "0.0453"] {
        assert!(
            written.contains(&format!("\n  quantity: {quantity}\n")),
            "{quantity}"
        );
    }
}

#[test]
fn the_pipe_separated_windows_1252_variant_reads_the_same() {
    let dir = folder();
    let (tab, tab_summary) = import(dir.path(), &[TAB, "--year", "2025"]);
    let (pipe, pipe_summary) = import(dir.path(), &[PIPE, "--year", "2025"]);
    assert_eq!(pipe.replace(PIPE, TAB), tab);
    assert_eq!(pipe_summary.replace(PIPE, TAB), tab_summary);
    assert!(pipe.contains("label: Téléphone et internet\n"));
}

#[test]
fn compute_on_an_inventory_including_the_lines_gives_the_hand_computed_total() {
    let dir = folder();
    std::fs::write(
        dir.path().join("2025.yaml"),
        "bilan: 1
organisation: { name: Test FEC }
period: { year: 2025 }
defaults: { uncertainty: 5% }
include: [achats.yaml]
lines:
  - id: tgv
    label: TGV
    factor: \"43256\"
    quantity: 10000
    unit: p.km
    purpose: business
",
    )
    .unwrap();
    // The inventory counts business travel (p.km), so 6251 is excluded; its period gives the
    // year; the include of the file being generated is skipped while reading it.
    let (_, stderr) = import(
        dir.path(),
        &[TAB, "--inventory", "2025.yaml", "-o", "achats.yaml"],
    );
    assert!(
        stderr.contains("  excluded           4.5 k€   28.7 %"),
        "{stderr}"
    );
    assert!(
        stderr.contains("           1.5 k€     1 line   62510000 Voyages et déplacements — rule 6251 of embedded:fec_mapping.yaml: Déplacements : comptés physiquement (p.km) dans l'inventaire\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("note:"), "{stderr}");
    let (code, stdout, stderr) = run_at(
        dir.path(),
        &["compute", "2025.yaml", "--format", "csv", "--lines"],
    );
    assert_eq!(code, 0, "{stderr}");
    // The amounts are euros of 2025, the ratios of 2023: each amount is brought to 2023 euros,
    // ÷ (1.02001 × 1.00943) (INSEE, 2024 and 2025), before its ratio; 21830000 is amortised
    // over 4 years. Computed here step by step as the method says.
    let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    let to_2023 = rust_decimal::Decimal::ONE / (d("1.02001") * d("1.00943"));
    let kg = |k_euros: &str, ratio: &str| d(k_euros) * to_2023 * d(ratio);
    let lines = [
        (
            "fec-21830000,Matériel de bureau et informatique,3.10,43420,3.6,k€",
            kg("3.6", "216") / d("4"),
        ),
        (
            "fec-60640000,Fournitures administratives,3.9,43370,1.3505,k€",
            kg("1.3505", "357"),
        ),
        ("fec-62260000,Honoraires,3.9,43545,3,k€", kg("3", "67")),
        (
            "fec-62600000,Téléphone et internet,3.9,43510,2.4,k€",
            kg("2.4", "136"),
        ),
        (
            "fec-62700000,Frais bancaires,3.9,43530,0.0453,k€",
            kg("0.0453", "70"),
        ),
    ];
    let mut expected = String::from(
        "line_id,label,post,factor,quantity,unit,kgco2e,uncertainty\ntgv,TGV,3.13,43256,10000,p.km,29.3,0.207723\n",
    );
    let mut total = d("29.3");
    for (head, kgco2e) in &lines {
        expected.push_str(&format!("{head},{},0.803642\n", kgco2e.normalize()));
        total += *kgco2e;
    }
    assert_eq!(stdout, expected);
    // 29.3 + (194.4 + 482.1285 + 201 + 326.4 + 3.171) / 1.0296 ≈ 1,201.66 (1,236.40 unconverted).
    assert!(total > d("1201") && total < d("1202"), "{total}");
    let (code, stdout, _) = run_at(dir.path(), &["compute", "2025.yaml", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["total"]["kgco2e"].to_string(),
        total.normalize().to_string()
    );
    assert_eq!(json["lines"][1]["price_conversion"]["from_year"], 2025);
    assert_eq!(json["lines"][1]["price_conversion"]["to_year"], 2023);
    // Without the travel line, 6251 is mapped: + 1.5 k€ (2025) × 319 in 3.13.
    std::fs::write(
        dir.path().join("2025.yaml"),
        "bilan: 1\norganisation: { name: Test FEC }\nperiod: { year: 2025 }\ndefaults: { uncertainty: 5% }\ninclude: [achats.yaml]\nlines: []\n",
    )
    .unwrap();
    import(
        dir.path(),
        &[TAB, "--inventory", "2025.yaml", "-o", "achats.yaml"],
    );
    let (_, stdout, _) = run_at(dir.path(), &["compute", "2025.yaml", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let travel = kg("1.5", "319");
    assert_eq!(
        json["total"]["kgco2e"].to_string(),
        (total - d("29.3") + travel).normalize().to_string()
    );
}

#[test]
fn by_supplier_splits_each_account_by_its_suppliers() {
    let dir = folder();
    let (stdout, stderr) = import(dir.path(), &[TAB, "--year", "2025", "--by-supplier"]);
    insta::assert_snapshot!("fec-2025-by-supplier", stdout);
    // The supplier of an expense line is the auxiliary account of its entry's 40… line.
    // 6064: FOURN01 1,200 − 150 = 1,050; FOURN02 300.50. 6226: FOURN06 4,000 + 500 − 500; the
    // reversal of the 2024 accrual (408 without auxiliary account) is a net credit apart.
    for id in [
        "fec-21830000-FOURN07",
        "fec-60640000-FOURN01",
        "fec-60640000-FOURN02",
        "fec-62260000-FOURN06",
        "fec-62600000-FOURN03",
        "fec-62700000",
    ] {
        assert!(stdout.contains(&format!("\n- id: {id}\n")), "{id}");
    }
    assert!(stdout.contains("\n  quantity: 1.05\n"));
    assert!(stdout.contains("\n  quantity: 0.3005\n"));
    assert!(stdout.contains("\n  quantity: 4\n"));
    assert!(
        stderr.contains("net credits (credit notes or reversals exceed debits; not counted):\n            -1 k€     1 line   62260000 Honoraires\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  mapped         12.8958 k€   77.2 %  7 lines written, per supplier"),
        "{stderr}"
    );
}

#[test]
fn a_user_mapping_overrides_and_extends_the_default() {
    let dir = folder();
    std::fs::write(
        dir.path().join("mapping.yaml"),
        "accounts:
  \"6185\": { factor: \"43525\", label: Séminaires (hébergement et restauration) }
  \"626\": { exclude: Télécoms comptées par le fournisseur }
suppliers:
  FOURN06: { factor: \"43445\", label: Conseil informatique }
",
    )
    .unwrap();
    let (stdout, stderr) = import(
        dir.path(),
        &[TAB, "--year", "2025", "--mapping", "mapping.yaml"],
    );
    assert!(stderr.contains("mapping: embedded:fec_mapping.yaml + mapping.yaml\n"));
    // 6185 mapped by the user's rule; 626 excluded by it.
    assert!(stdout.contains("- id: fec-61850000\n  label: Frais de colloques, séminaires\n  factor: \"43525\"\n  quantity: 0.8\n"), "{stdout}");
    assert!(stderr.contains("rule 626 of mapping.yaml: Télécoms comptées par le fournisseur"));
    // FOURN06 has its own rule: its amounts get their own line; the rest of 6226 (the
    // reversal without supplier) stays on the account, a net credit.
    assert!(stdout.contains("- id: fec-62260000-FOURN06\n  label: Honoraires – Cabinet Dupont\n  factor: \"43445\"\n  quantity: 4\n"), "{stdout}");
    assert!(!stdout.contains("id: fec-62260000\n"));
    assert!(
        stderr.contains("            -1 k€     1 line   62260000 Honoraires\n"),
        "{stderr}"
    );
}

#[test]
fn malformed_lines_point_at_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let header = std::fs::read_to_string(Path::new(FIXTURES).join(TAB))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let good = "AC\tAchats\t1\t20250115\t60640000\tFournitures\t\t\tF1\t20250115\tx\t100,00\t0,00\t\t\t20250115\t\t";
    let text = format!(
        "{header}\n{good}\nAC\tAchats\t2\t20250115\t60640000\tFournitures\t\t\tF1\t20250115\tx\t100,00\n{}\n{}\n",
        good.replace("100,00", "1 200,00"),
        good.replace("\t20250115\t6064", "\t2025-01-15\t6064"),
    );
    std::fs::write(dir.path().join("bad.txt"), text).unwrap();
    let (code, stdout, stderr) =
        run_at(dir.path(), &["import", "fec", "bad.txt", "--year", "2025"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    let expected = "error: bad.txt:3: 12 fields where the header has 18
  |
3 | AC\tAchats\t2\t20250115\t60640000\tFournitures\t\t\tF1\t20250115\tx\t100,00
  = help: fields are separated by tab as in the header; a label cannot contain the separator
error: bad.txt:4:59: Debit is not an amount: `1 200,00`
  |
4 | AC\tAchats\t1\t20250115\t60640000\tFournitures\t\t\tF1\t20250115\tx\t1 200,00\t0,00\t\t\t20250115
  |   \t      \t \t        \t        \t           \t\t\t  \t        \t \t^
  = help: write amounts like 1234,56 (decimal comma or point, no thousands separator)
error: bad.txt:5:13: EcritureDate is not a date: `2025-01-15`
  |
5 | AC\tAchats\t1\t2025-01-15\t60640000\tFournitures\t\t\tF1\t20250115\tx\t100,00\t0,00\t\t\t20250115
  |   \t      \t \t^
  = help: dates are written YYYYMMDD, e.g. 20250131
";
    assert_eq!(stderr, expected);
    // Not a FEC at all.
    std::fs::write(dir.path().join("notes.txt"), "hello;world\n").unwrap();
    let (code, _, stderr) = run_at(
        dir.path(),
        &["import", "fec", "notes.txt", "--year", "2025"],
    );
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: notes.txt:1: not a FEC: the first line should be the header, tab- or pipe-separated"), "{stderr}");
}

#[test]
fn mapping_errors_point_at_the_file_line_and_column() {
    let dir = folder();
    std::fs::write(
        dir.path().join("mapping.yaml"),
        "accounts:\n  \"6185\": { factor: \"99999\" }\n  \"6186\": { factor: \"42513\" }\n  \"6187\": { factr: \"43525\" }\n",
    )
    .unwrap();
    let (code, _, stderr) = run_at(
        dir.path(),
        &[
            "import",
            "fec",
            TAB,
            "--year",
            "2025",
            "--mapping",
            "mapping.yaml",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: mapping.yaml:4:13: unknown field `factr`"),
        "{stderr}"
    );
    std::fs::write(
        dir.path().join("mapping.yaml"),
        "accounts:\n  \"6185\": { factor: \"99999\" }\n  \"6186\": { factor: \"42513\" }\n",
    )
    .unwrap();
    let (code, _, stderr) = run_at(
        dir.path(),
        &[
            "import",
            "fec",
            TAB,
            "--year",
            "2025",
            "--mapping",
            "mapping.yaml",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: mapping.yaml:2:21: unknown factor `99999`"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("error: mapping.yaml:3:21: factor 42513 is per kWh, not per amount of money"),
        "{stderr}"
    );
}

#[test]
fn the_output_is_never_an_input_and_a_year_is_needed() {
    let dir = folder();
    let (code, _, stderr) = run_at(
        dir.path(),
        &["import", "fec", TAB, "--year", "2025", "-o", TAB],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("an input of this run"), "{stderr}");
    let (code, _, _) = run_at(dir.path(), &["import", "fec", TAB]);
    assert_eq!(code, 2);
}

#[test]
fn the_readme_mapping_example_loads() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let mapping = readme
        .split("```yaml\n")
        .find(|block| block.starts_with("accounts:"))
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let dir = folder();
    std::fs::write(dir.path().join("mapping.yaml"), mapping).unwrap();
    let (stdout, _) = import(
        dir.path(),
        &[TAB, "--year", "2025", "--mapping", "mapping.yaml"],
    );
    assert!(stdout.contains("- id: fec-62260000-FOURN06\n"), "{stdout}");
    assert!(stdout.contains("- id: fec-61850000\n"), "{stdout}");
}

#[test]
fn hostile_labels_stay_values_in_the_yaml_written() {
    let dir = folder();
    let fec = std::fs::read_to_string(dir.path().join(TAB)).unwrap();
    let hostile = "Fournitures: \"x\" # y\u{85}lines: [] \\ '";
    std::fs::write(
        dir.path().join("hostile.txt"),
        fec.replace("Fournitures administratives", hostile),
    )
    .unwrap();
    let (yaml, _) = import(
        dir.path(),
        &["hostile.txt", "--year", "2025", "-o", "achats.yaml"],
    );
    assert_eq!(yaml, "");
    // Included by an inventory, the file gives back exactly its lines, the label whole.
    std::fs::write(
        dir.path().join("inv.yaml"),
        "bilan: 1\norganisation: { name: T }\nperiod: { year: 2025 }\nallow: [price-year, undeclared-quality, post-uncertainty]\ninclude: [achats.yaml]\nlines: []\n",
    )
    .unwrap();
    let (code, json, stderr) = run_at(dir.path(), &["compute", "inv.yaml", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let lines = json["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 6);
    let label = lines
        .iter()
        .find(|l| l["id"] == "fec-60640000")
        .map(|l| l["label"].as_str().unwrap().to_string())
        .unwrap();
    // Control characters become spaces; quotes, colons, hashes and backslashes stay text.
    assert_eq!(label, "Fournitures: \"x\" # y lines: [] \\ '");
}

#[test]
fn a_ledger_mixing_encodings_is_an_error() {
    let dir = folder();
    let utf8 = std::fs::read(dir.path().join(TAB)).unwrap();
    // A line saved as Windows-1252 ("é" as the single byte E9) pasted at the end.
    let mut mixed = utf8.clone();
    mixed.extend_from_slice(b"AC\tAchats\t99\t20250301\t60640000\tFournitures\t\t\tF99\t20250301\tCaf\xe9\t10,00\t0,00\t\t\t20250301\t\t\n");
    std::fs::write(dir.path().join("mixed.txt"), mixed).unwrap();
    let (code, _, stderr) = run_at(
        dir.path(),
        &["import", "fec", "mixed.txt", "--year", "2025"],
    );
    assert_eq!(code, 1);
    let last = utf8.iter().filter(|b| **b == b'\n').count() + 1;
    assert!(
        stderr.starts_with(&format!(
            "error: mixed.txt:{last}: the file mixes encodings: UTF-8 on line 2 and Windows-1252 here\n"
        )),
        "{stderr}"
    );
}

#[test]
fn an_amount_beyond_range_is_an_error_not_a_row_left_out() {
    let dir = folder();
    let fec = std::fs::read_to_string(dir.path().join(TAB)).unwrap();
    let huge = "79228162514264337593543950335";
    std::fs::write(
        dir.path().join("huge.txt"),
        format!("{fec}AC\tAchats\t99\t20250301\t60640000\tFournitures\t\t\tF99\t20250301\tX\t{huge}\t-1\t\t\t20250301\t\t\n"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["import", "fec", "huge.txt", "--year", "2025"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("Debit − Credit is beyond the range of exact decimals"),
        "{stderr}"
    );
}
