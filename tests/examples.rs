//! Every shipped example, in every output format, against reviewed snapshots; and the
//! figures of the README's first command checked by hand.

use assert_cmd::Command;

const EXAMPLES: [&str; 3] = ["conseil-informatique", "pme-industrielle", "cooperative"];

fn bilan(args: &[&str]) -> String {
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .args(args)
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
fn snapshots_of_every_example() {
    for example in EXAMPLES {
        let path = format!("examples/{example}.yaml");
        let formats: [(&str, Vec<&str>); 6] = [
            ("table", vec![]),
            ("table-en", vec!["--lang", "en"]),
            ("json", vec!["--format", "json"]),
            ("csv", vec!["--format", "csv"]),
            ("csv-lines", vec!["--format", "csv", "--lines"]),
            ("md", vec!["--format", "md"]),
        ];
        for (name, extra) in formats {
            let mut args = vec!["compute", path.as_str()];
            args.extend(extra);
            insta::assert_snapshot!(format!("{example}-{name}"), bilan(&args));
        }
    }
}

#[test]
fn outputs_are_deterministic() {
    let args = [
        "compute",
        "examples/pme-industrielle.yaml",
        "--format",
        "json",
    ];
    assert_eq!(bilan(&args), bilan(&args));
}

#[test]
fn every_example_checks_cleanly() {
    for example in EXAMPLES {
        let out = Command::cargo_bin("bilan")
            .unwrap()
            .args(["check", &format!("examples/{example}.yaml")])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{example}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn consultancy_figures_by_hand() {
    let json: serde_json::Value = serde_json::from_str(&bilan(&[
        "compute",
        "examples/conseil-informatique.yaml",
        "--format",
        "json",
    ]))
    .unwrap();
    let post = |code: &str| {
        json["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap()["kgco2e"]
            .to_string()
    };
    // 21,340 kWh × 0.052 (42513): 721.292 to 2.6, 388.388 to 3.8.
    assert_eq!(post("2.6"), "721.292");
    assert_eq!(post("3.8"), "388.388");
    // Purchases (k€ × kgCO2e/k€, 2021 ratios): 62×78 + 14×131 + 28×68 + 9×85 + 12×176 + 12×80.
    assert_eq!(
        post("3.9"),
        (62 * 78 + 14 * 131 + 28 * 68 + 9 * 85 + 12 * 176 + 12 * 80).to_string()
    );
    // Commuting (p.km or km × factor): 180000×0.00938 + 95000×0.00404 + 15000×0.151 + 38000×0.203 + 12000×0.011.
    assert_eq!(post("3.22"), "12183.2");
    assert_eq!(json["total"]["kgco2e"].to_string(), "42955.73");
    assert_eq!(json["avoided"]["kgco2e"].to_string(), "-568.5");
}

#[test]
fn industrial_biogenic_co2_by_hand() {
    let json: serde_json::Value = serde_json::from_str(&bilan(&[
        "compute",
        "examples/pme-industrielle.yaml",
        "--format",
        "json",
    ]))
    .unwrap();
    // Biogenic CO2 released at combustion (Base Carbone "CO2b" of the Combustion parts):
    // B7 diesel 14,200 L × 0.155899 + petrol 1,800 L × 0.127433 + non-road diesel 2,100 L × 0.0925216.
    assert_eq!(json["co2_biogenic_kgco2e"].to_string(), "2637.44056");
    // Heating oil 18,500 L × 3.25 (14087) + gas 412,000 kWh PCS × 0.215 (37133)
    // + 96,000 kWh PCS × 0.9 × 0.239 (37132): combustion parts to 1.1, the rest to 3.8.
    let post = |code: &str| {
        json["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap()["kgco2e"]
            .to_string()
    };
    let combustion = 18500.0 * 2.68 + 412000.0 * 0.181 + 96000.0 * 0.9 * 0.201;
    assert_eq!(
        post("1.1").parse::<f64>().unwrap(),
        (combustion * 1e6_f64).round() / 1e6
    );
}

/// Every JSON document reads back into its contract type and writes out to the same bytes: the
/// types in `bilan::contract` describe every field the renderers write, in their order.
#[test]
fn every_json_document_reads_back_into_its_contract_type_unchanged() {
    use bilan::contract;
    fn same<'de, T: serde::Deserialize<'de> + serde::Serialize>(text: &'de str, what: &str) {
        let document: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: {e}"));
        let again = serde_json::to_string_pretty(&document).unwrap() + "\n";
        assert_eq!(again, text, "{what}");
    }
    for example in EXAMPLES {
        let path = format!("examples/{example}.yaml");
        let result = bilan(&[
            "compute",
            &path,
            "--format",
            "json",
            "--monte-carlo",
            "--draws",
            "200",
            "--correlation",
            "shared-factors",
            "--uncertainty-report",
        ]);
        assert!(result.contains("\"width_ratio\""), "{example}");
        same::<contract::result::Document>(&result, &path);
        for view in ["beges-v5", "ghg-protocol", "esrs-e1"] {
            let text = bilan(&["compute", &path, "--view", view, "--format", "json"]);
            same::<contract::view::Document>(&text, view);
        }
        let text = bilan(&["trajectory", &path, "--format", "json"]);
        same::<contract::trajectory::Document>(&text, "trajectory");
    }
    let text = bilan(&[
        "diff",
        "examples/pme-industrielle.yaml",
        "examples/cooperative.yaml",
        "--format",
        "json",
    ]);
    same::<contract::diff::Document>(&text, "diff");
    let text = bilan(&[
        "compute",
        "examples/conseil-informatique.yaml",
        "examples/cooperative.yaml",
        "--allow",
        "mixed-organisations",
        "--format",
        "json",
    ]);
    same::<contract::trend::Document>(&text, "trend");
    for what in ["elec-siege", "3.10"] {
        let text = bilan(&[
            "explain",
            "examples/conseil-informatique.yaml",
            what,
            "--format",
            "json",
        ]);
        same::<contract::explain::Document>(&text, what);
    }
    let text = bilan(&[
        "factors",
        "diff",
        "tests/fixtures/Base_Carbone_Test.csv",
        "tests/fixtures/Base_Carbone_V23.11_derived.csv",
        "--format",
        "json",
    ]);
    assert!(text.contains("\"changed\": [\n    {"), "{text}");
    same::<contract::factors_diff::Document>(&text, "factors diff");
}
