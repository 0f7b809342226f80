//! Other frameworks' views of one inventory touching every post, figures by hand; market-based
//! scope 2.

use assert_cmd::Command;

/// One line per post (real factors of the embedded base).
const INVENTORY: &str = r#"bilan: 1
organisation: { name: Toutes Catégories }
period: { year: 2025 }
indicators:
  ca: { label: Chiffre d'affaires, value: 2, unit: M€ }
defaults: { uncertainty: 10% }
lines:
  - { id: gaz, label: Gaz, factor: "37132", quantity: 1000, unit: kWh PCI }
  - { id: gazole, label: Gazole, factor: "25775", quantity: 100, unit: L, mobile: true }
  - { id: soudure, label: CO2 de soudure, factor: "43014", quantity: 10, unit: kg, post: "1.3" }
  - { id: clim, label: Fuite R410A, factor: "43632", quantity: 0.5, unit: kg }
  - { id: sols, label: Sols, factor: "43014", quantity: 5, unit: kg, post: "1.5" }
  - { id: elec, label: Électricité, factor: "42513", quantity: 10000, unit: kWh,
      market_factor: { name: Contrat vert, kgco2e: 0.01, unit: kgCO2e/kWh, source: Garanties d'origine 2025 } }
  - { id: chaleur, label: Réseau de chaleur, factor: "36808", quantity: 1000, unit: kWh }
  - { id: carton, label: Carton, factor: "26737", quantity: 0.1, unit: t }
  - { id: services, label: Services, factor: "43445", quantity: 10, unit: k€ (2023) HT }
  - { id: pc, label: Portables, factor: "27002", quantity: 5, unit: unité, amortization: { acquired: 2025, years: 5 } }
  - { id: dechets, label: Déchets, factor: "34650", quantity: 1, unit: t }
  - { id: fret-amont, label: Fret amont, factor: "43647", quantity: 1000, unit: t.km, direction: upstream }
  - { id: tgv, label: TGV, factor: "37142", quantity: 1000, unit: p.km, purpose: business }
  - { id: leasing-amont, label: Leasing amont, factor: "43445", quantity: 1, unit: k€ (2023) HT, post: "3.14" }
  - { id: placements, label: Placements, factor: "43445", quantity: 2, unit: k€ (2023) HT, post: "3.15" }
  - { id: visiteurs, label: Visiteurs, factor: "28000", quantity: 100, unit: p.km, purpose: visitors }
  - { id: fret-aval, label: Fret aval, factor: "43647", quantity: 2000, unit: t.km, direction: downstream }
  - { id: usage, label: Usage des produits, factor: "43014", quantity: 20, unit: kg, post: "3.18" }
  - { id: fin-de-vie, label: Fin de vie, factor: "34650", quantity: 0.5, unit: t, sold_products: true }
  - { id: franchises, label: Franchises, factor: "43445", quantity: 3, unit: k€ (2023) HT, post: "3.20" }
  - { id: leasing-aval, label: Leasing aval, factor: "43445", quantity: 4, unit: k€ (2023) HT, post: "3.21" }
  - { id: domicile, label: Domicile-travail, factor: "43807", quantity: 100, unit: p.km, purpose: commute }
"#;

fn csv(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), INVENTORY).unwrap();
    let mut all = vec!["compute", "inv.yaml", "--format", "csv"];
    all.extend(args);
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args(&all)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// code → kgCO2e, from a CSV whose kgCO2e is in column `column`.
fn figures(csv: &str, column: usize) -> Vec<(String, String)> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[column].to_string())
        })
        .collect()
}

fn get<'a>(figures: &'a [(String, String)], code: &str) -> &'a str {
    &figures.iter().find(|(c, _)| c == code).unwrap().1
}

/// The 22 posts, by hand (quantity × factor; fuels and electricity split by their parts).
const POSTS: [(&str, &str); 22] = [
    ("1.1", "201"),   // 1,000 kWh PCI × 0.201 (combustion of 0.239)
    ("1.2", "249"),   // 100 L × 2.49 (combustion of 3.1)
    ("1.3", "10"),    // 10 kg CO2
    ("1.4", "1128"),  // 0.5 kg × 2,256
    ("1.5", "5"),     // 5 kg CO2
    ("2.6", "338"),   // 10,000 kWh × 0.0338
    ("2.7", "112"),   // 1,000 kWh × 0.112, the combustion value 36808's comment states
    ("3.8", "300"),   // 239 − 201 + 310 − 249 + 520 − 338 + (131 − 112)
    ("3.9", "789"),   // 0.1 t × 390 + 10 k€ × 75
    ("3.10", "156"),  // 5 × 156 / 5 years
    ("3.11", "374"),  // 1 t × 374
    ("3.12", "75.5"), // 1,000 t.km × 0.0755
    ("3.13", "3.34"), // 1,000 p.km × 0.00334
    ("3.14", "75"),   // 1 k€ × 75
    ("3.15", "150"),  // 2 k€ × 75
    ("3.16", "15.1"), // 100 p.km × 0.151
    ("3.17", "151"),  // 2,000 t.km × 0.0755
    ("3.18", "20"),   // 20 kg CO2
    ("3.19", "187"),  // 0.5 t × 374
    ("3.20", "225"),  // 3 k€ × 75
    ("3.21", "300"),  // 4 k€ × 75
    ("3.22", "20.3"), // 100 p.km × 0.203
];

#[test]
fn the_22_posts() {
    let posts = figures(&csv(&[]), 4);
    for (code, kg) in POSTS {
        assert_eq!(get(&posts, code), kg, "post {code}");
    }
}

#[test]
fn beges_v5() {
    let view = figures(&csv(&["--view", "beges-v5"]), 3);
    let expected = [
        ("1", "1593"),
        ("2.1", "338"),
        ("2.2", "112"),
        ("2", "450"),
        ("3.1", "75.5"),
        ("3.2", "151"),
        ("3.3", "20.3"),
        ("3.4", "15.1"),
        ("3.5", "3.34"),
        ("3", "265.24"),
        // 4.1 goods: 3.8 (300) + cardboard (39); 4.5 services: the 10 k€ (750).
        ("4.1", "339"),
        ("4.2", "156"),
        ("4.3", "374"),
        ("4.4", "75"),
        ("4.5", "750"),
        ("4", "1694"),
        ("5.1", "20"),
        ("5.2", "300"),
        ("5.3", "187"),
        ("5.4", "150"),
        ("5", "657"),
        ("6.1", "225"),
        ("total", "4884.24"),
    ];
    for (code, kg) in expected {
        assert_eq!(get(&view, code), kg, "BEGES {code}");
    }
}

#[test]
fn ghg_protocol_counts_capital_goods_whole_and_shows_market_based_scope_2() {
    let view = figures(&csv(&["--view", "ghg-protocol"]), 3);
    let expected = [
        ("S1", "1593"),
        ("S2", "450"),
        // Market-based: 10,000 kWh × 0.01 (supplier) + the heat network's 112 (no market factor).
        ("S2-MB", "212"),
        ("3.1", "789"),
        // Capital goods whole in their acquisition year: 5 × 156.
        ("3.2", "780"),
        ("3.3", "300"),
        ("3.4", "75.5"),
        ("3.5", "374"),
        ("3.6", "3.34"),
        ("3.7", "20.3"),
        ("3.8", "75"),
        ("3.9", "151"),
        ("3.10", "0"),
        ("3.11", "20"),
        ("3.12", "187"),
        ("3.13", "300"),
        ("3.14", "225"),
        ("3.15", "150"),
        ("3.O", "15.1"),
        // The Bilan Carbone total 4,884.24 − 156 (amortised) + 780 (whole).
        ("total", "5508.24"),
        ("T-MB", "5270.24"),
    ];
    for (code, kg) in expected {
        assert_eq!(get(&view, code), kg, "GHG {code}");
    }
}

#[test]
fn esrs_e1_intensity_per_net_revenue() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), INVENTORY).unwrap();
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "compute", "inv.yaml", "--view", "esrs-e1", "--format", "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 5.50824 t / 2 M€ and 5.27024 t / 2 M€.
    assert_eq!(
        json["intensity_per_net_revenue"]["location_based"].to_string(),
        "2.75412"
    );
    assert_eq!(
        json["intensity_per_net_revenue"]["market_based"].to_string(),
        "2.63512"
    );
    assert_eq!(json["total"]["kgco2e"].to_string(), "5508.24");
    let table = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args(["compute", "inv.yaml", "--view", "esrs-e1", "--lang", "en"])
        .output()
        .unwrap();
    insta::assert_snapshot!("esrs-e1-table", String::from_utf8(table.stdout).unwrap());
}

#[test]
fn market_based_scope_2_in_the_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), INVENTORY).unwrap();
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args(["compute", "inv.yaml", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["scope2_market_based"]["kgco2e"].to_string(), "212");
    assert_eq!(json["scope2_market_based"]["lines_with_market_factor"], 1);
    // The Bilan Carbone total stays location-based.
    assert_eq!(json["total"]["kgco2e"].to_string(), "4884.24");
    let elec = json["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "elec")
        .unwrap();
    assert_eq!(elec["market"]["kgco2e"].to_string(), "100");
    assert_eq!(elec["market"]["factor_source"], "Garanties d'origine 2025");
}

#[test]
fn a_market_factor_outside_scope_2_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = INVENTORY.replace(
        "{ id: chaleur, label: Réseau de chaleur, factor: \"36808\", quantity: 1000, unit: kWh }",
        "{ id: chaleur, label: Réseau de chaleur, factor: \"36808\", quantity: 1000, unit: kWh }\n  - { id: x, label: X, factor: \"43445\", quantity: 1, unit: k€ (2023) HT, market_factor: \"42513\" }",
    );
    std::fs::write(dir.path().join("inv.yaml"), text).unwrap();
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "inv.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: inv.yaml:16:89: `market_factor:` on a line in post 3.9"),
        "{stderr}"
    );
}

#[test]
fn meals_are_beges_goods_as_bilan_carbone_plus_maps_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        r#"bilan: 1
organisation: { name: Repas }
period: { year: 2023 }
defaults: { uncertainty: 10% }
lines:
  - { id: repas, label: Repas, factor: "20682", quantity: 100, unit: repas }
  - { id: conseil, label: Conseil, factor: "43445", quantity: 2, unit: k€ }
"#,
    )
    .unwrap();
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "compute", "inv.yaml", "--view", "beges-v5", "--format", "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let view = figures(&String::from_utf8(out.stdout).unwrap(), 3);
    // Meals 100 × 2.04 = 204 in 4.1 (goods); the IT services 2 k€ × 75 = 150 in 4.5.
    assert_eq!(get(&view, "4.1"), "204");
    assert_eq!(get(&view, "4.5"), "150");
}

#[test]
fn esrs_shows_biogenic_co2_apart_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        r#"bilan: 1
organisation: { name: Chaufferie bois }
period: { year: 2024 }
defaults: { uncertainty: 10% }
lines:
  - { id: plaquettes, label: Plaquettes, factor: "34937", quantity: 10000, unit: kWh PCI }
"#,
    )
    .unwrap();
    let run = |format: &str| {
        let out = Command::cargo_bin("bilan")
            .unwrap()
            .current_dir(dir.path())
            .args([
                "compute", "inv.yaml", "--view", "esrs-e1", "--format", format,
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    // 34937 (dry wood chips): combustion part CO2b 0.4427 kgCO2/kWh PCI released, booked
    // apart: 10,000 × 0.4427 = 4,427 kg = 4.43 t, not in the totals (10,000 × 0.0164 = 164).
    let csv = run("csv");
    assert!(
        csv.ends_with("\nco2b,CO2 biogénique (hors scopes),memo,4427,,,,\n"),
        "{csv}"
    );
    assert!(csv.contains("\ntotal,Total,total,164,"), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["co2_biogenic"]["kgco2e"].to_string(), "4427");
    assert_eq!(json["co2_biogenic"]["in_totals"], false);
    assert!(
        run("table")
            .contains("CO2 biogénique (hors scopes, non comprises dans les totaux) : 4,43 tCO2")
    );
    assert!(run("md").contains("4,43 tCO2"));
    // Other views have no such row.
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "compute",
            "inv.yaml",
            "--view",
            "ghg-protocol",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("co2b"));
}

#[test]
fn esrs_gives_the_share_of_scope_1_under_an_emission_trading_scheme() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"bilan: 1
organisation: { name: Four industriel }
period: { year: 2025 }
defaults: { uncertainty: 10% }
lines:
  - { id: gaz, label: Gaz du four, factor: "37132", quantity: 1000, unit: kWh PCI, ets: true }
  - { id: gazole, label: Gazole, factor: "25775", quantity: 100, unit: L }
"#;
    std::fs::write(dir.path().join("inv.yaml"), text).unwrap();
    let run = |view: &str, format: &str| {
        let out = Command::cargo_bin("bilan")
            .unwrap()
            .current_dir(dir.path())
            .args(["compute", "inv.yaml", "--view", view, "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    // Scope 1: gas 1,000 kWh PCI × 0.201 (combustion of 37132) = 201 under the ETS, diesel
    // 100 L × 2.49 (combustion of 25775) = 249 not: 201 / 450 = 0.446667.
    let json: serde_json::Value = serde_json::from_str(&run("esrs-e1", "json")).unwrap();
    assert_eq!(json["scope1_ets"]["kgco2e"].to_string(), "201");
    assert_eq!(
        json["scope1_ets"]["share_of_scope1"].to_string(),
        "0.446667"
    );
    let csv = run("esrs-e1", "csv");
    assert!(csv.contains("\nS1-ETS,Scope 1 sous système d'échange de quotas (part du scope 1),memo,201,0.446667,,,\n"), "{csv}");
    assert!(run("esrs-e1", "table").contains("(lignes `ets: true`) : 44,7\u{a0}% (0,20 tCO2e)"));
    // No line under a scheme: no row; other views: none either.
    std::fs::write(dir.path().join("inv.yaml"), text.replace(", ets: true", "")).unwrap();
    assert!(!run("esrs-e1", "csv").contains("S1-ETS"));
    std::fs::write(dir.path().join("inv.yaml"), text).unwrap();
    assert!(!run("ghg-protocol", "csv").contains("S1-ETS"));
}
