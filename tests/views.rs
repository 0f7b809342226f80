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

// --- The BEGES publication sheet -------------------------------------------------------------

fn run_in(inventory: &str, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), inventory).unwrap();
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn example(args: &[&str]) -> String {
    let mut all = vec![
        "compute",
        "examples/pme-industrielle.yaml",
        "--view",
        "beges-v5",
    ];
    all.extend(args);
    let out = Command::cargo_bin("bilan")
        .unwrap()
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

/// kgCO2e (a JSON number) → tCO2e to the kilogram as the sheet writes it: ÷ 1,000, rounded
/// half away from zero to 3 decimals, no trailing zeros.
fn tonnes_by_hand(kg: &serde_json::Value) -> String {
    let kg = rust_decimal::Decimal::from_str_exact(&kg.to_string()).unwrap();
    let t = (kg / rust_decimal::Decimal::ONE_THOUSAND)
        .round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    t.normalize().to_string()
}

#[test]
fn the_beges_sheet_of_an_example_is_the_view_in_tonnes() {
    let json: serde_json::Value = serde_json::from_str(&example(&["--format", "json"])).unwrap();
    let sheet = example(&["--format", "beges"]);
    let records: Vec<csv::StringRecord> = csv::Reader::from_reader(sheet.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let field = |code: &str| -> String {
        records
            .iter()
            .find(|r| &r[1] == code)
            .map(|r| r[3].to_string())
            .unwrap()
    };
    // The identification: pme-industrielle.yaml gives no SIREN nor NAF code.
    let ids: Vec<&str> = records.iter().take(6).map(|r| &r[1]).collect();
    assert_eq!(
        ids,
        ["name", "siren", "naf", "year", "period", "consolidation"]
    );
    assert_eq!(field("name"), "Chaudronnerie du Val de Saône");
    assert_eq!(field("siren"), "");
    assert_eq!(field("naf"), "");
    assert_eq!(field("year"), "2023");
    assert_eq!(field("period"), "2023-01-01/2023-12-31");
    assert_eq!(field("consolidation"), "contrôle opérationnel");
    // Then the view's rows in its order, each in tCO2e; a poste without lines is empty.
    let rows = json["rows"].as_array().unwrap();
    let postes: Vec<&csv::StringRecord> = records.iter().skip(6).take(rows.len()).collect();
    assert_eq!(postes.len(), 28);
    for (row, record) in rows.iter().zip(&postes) {
        let code = row["code"].as_str().unwrap();
        assert_eq!(&record[1], code);
        assert_eq!(
            &record[0],
            code.split('.').next().unwrap(),
            "category of {code}"
        );
        assert_eq!(&record[4], "tCO2e");
        let expected = if row["kgco2e"] == 0 {
            String::new()
        } else {
            tonnes_by_hand(&row["kgco2e"])
        };
        assert_eq!(&record[3], expected.as_str(), "poste {code}");
    }
    // By hand from the JSON: 1.1 141,518.4 kg → 141.518 t; 1.3 850 kg → 0.85 t; 4 1,705,020
    // kg → 1705.02 t; the total 2,144,622.1 kg → 2144.622 t; nothing in 5.1 nor 6.
    assert_eq!(field("1.1"), "141.518");
    assert_eq!(field("1.3"), "0.85");
    assert_eq!(field("4"), "1705.02");
    assert_eq!(field("5.1"), "");
    assert_eq!(field("6"), "");
    assert_eq!(field("total"), "2144.622");
    assert_eq!(field("total"), tonnes_by_hand(&json["total"]["kgco2e"]));
    // Biogenic CO2, apart: the result's 2,637.44056 kg → 2.637 t.
    assert_eq!(field("co2b"), "2.637");
    assert_eq!(records.len(), 6 + 28 + 2);
}

const IDENTIFIED: &str = r#"bilan: 1
organisation: { name: Fokus IT, siren: "123 456 782", naf: 6202a }
period: { year: 2025 }
perimeter: { consolidation: financial-control }
lines:
  - { id: elec, label: Électricité, factor: "42513", quantity: 10000, unit: kWh, uncertainty: 5% }
"#;

#[test]
fn the_beges_sheet_carries_siren_naf_and_consolidation() {
    let (code, sheet, stderr) = run_in(
        IDENTIFIED,
        &[
            "compute", "inv.yaml", "--view", "beges-v5", "--format", "beges", "--lang", "en",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let head: Vec<&str> = sheet.lines().take(7).collect();
    assert_eq!(
        head,
        [
            "section,code,label,value,unit",
            "identification,name,Organisation name,Fokus IT,",
            "identification,siren,SIREN,123456782,",
            "identification,naf,NAF (APE) code,62.02A,",
            "identification,year,Reporting year,2025,",
            "identification,period,Period,2025-01-01/2025-12-31,",
            "identification,consolidation,Consolidation approach,financial control,",
        ]
    );
    // 10,000 kWh × 0.0338 (42513's combustion part) = 338 kg in 2.1.
    assert!(
        sheet.contains("\n2,2.1,Imported electricity,0.338,tCO2e\n"),
        "{sheet}"
    );
    let (code, md, _) = run_in(
        IDENTIFIED,
        &[
            "compute", "inv.yaml", "--view", "beges-v5", "--format", "beges-md",
        ],
    );
    assert_eq!(code, 0);
    insta::assert_snapshot!("beges-sheet-md", md);
}

#[test]
fn siren_and_naf_are_checked() {
    use bilan::inventory::{naf, siren};
    // Luhn: 1 + 2·2 + 3 + 2·4 + 5 + (2·6 − 9) + 7 + (2·8 − 9) + 2 = 40, a multiple of 10.
    assert_eq!(siren("123 456 782").as_deref(), Some("123456782"));
    // 7 + 6 + 2 + 7 + 2 + 9 + 3 + 4 + 0 = 40.
    assert_eq!(siren("732829320").as_deref(), Some("732829320"));
    // The same digits with 9 last: 47.
    assert_eq!(siren("123456789"), None);
    assert_eq!(siren("12345678"), None);
    assert_eq!(siren("12345678A"), None);
    assert_eq!(naf("62.02A").as_deref(), Some("62.02A"));
    assert_eq!(naf("6202a").as_deref(), Some("62.02A"));
    assert_eq!(naf("62-02A"), None);
    assert_eq!(naf("620.2A"), None);
    assert_eq!(naf("62.02"), None);

    let bad = IDENTIFIED.replace("123 456 782", "123 456 789");
    let (code, _, stderr) = run_in(&bad, &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: inv.yaml:2:40: `organisation.siren` is not a SIREN number: `123 456 789` (its last digit is not the check key (Luhn) of the others: a digit is wrong)\n"),
        "{stderr}"
    );
    let bad = IDENTIFIED.replace("6202a", "\"62.2A\"");
    let (code, _, stderr) = run_in(&bad, &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: inv.yaml:2:60: `organisation.naf` is not a NAF (APE) code: `62.2A`\n"
        ),
        "{stderr}"
    );
}

#[test]
fn the_beges_sheet_goes_with_the_beges_view_only() {
    let expected = "error: --format beges and beges-md are the BEGES publication sheet: use them with `bilan compute INVENTORY --view beges-v5`\n";
    for args in [
        vec!["compute", "inv.yaml", "--format", "beges"],
        vec![
            "compute",
            "inv.yaml",
            "--view",
            "ghg-protocol",
            "--format",
            "beges-md",
        ],
        vec!["trajectory", "inv.yaml", "--format", "beges"],
        vec!["diff", "inv.yaml", "inv.yaml", "--format", "beges"],
    ] {
        let (code, out, stderr) = run_in(IDENTIFIED, &args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(out, "");
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
    }
}
