//! Other frameworks' views of one inventory touching every post, figures by hand; market-based
//! scope 2.

use assert_cmd::Command;
use rust_decimal::Decimal;

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

/// A made-up LEI whose ISO 17442 check digits hold: 969500BILANTESTXYZ00, letters as 10 … 35,
/// is 85 mod 97, and 98 − 85 = 13.
const LEI: &str = "969500BILANTESTXYZ13";

/// The inventory with an LEI and a name that needs escaping in XHTML.
fn ixbrl_inventory() -> String {
    INVENTORY.replace(
        "organisation: { name: Toutes Catégories }",
        &format!(r#"organisation: {{ name: "Toutes <Catégories> & \"Fils\"", id: "{LEI}" }}"#),
    )
}

/// What an Inline XBRL document holds, read back with an XML reader.
#[derive(Debug, Default)]
struct Inline {
    /// name, contextRef, unitRef, decimals, sign, format and value (the text read through its
    /// transformation) of each ix:nonFraction.
    facts: Vec<[String; 7]>,
    /// scheme, identifier.
    entity: (String, String),
    /// startDate, endDate.
    period: (String, String),
    /// unit id → its measures (`num:`/`den:` before a divide's parts).
    units: Vec<(String, Vec<String>)>,
    /// Every text of the document, joined.
    text: String,
}

fn read_inline(xhtml: &str) -> Inline {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xhtml);
    let mut inline = Inline::default();
    let mut path: Vec<String> = Vec::new();
    let mut fact: Option<[String; 7]> = None;
    let mut text = String::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                let attr = |key: &str| {
                    e.attributes()
                        .map(|a| a.unwrap())
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned()
                        })
                        .unwrap_or_default()
                };
                match name.as_str() {
                    "ix:nonFraction" => {
                        fact = Some([
                            attr("name"),
                            attr("contextRef"),
                            attr("unitRef"),
                            attr("decimals"),
                            attr("sign"),
                            attr("format"),
                            String::new(),
                        ]);
                    }
                    "xbrli:identifier" => inline.entity.0 = attr("scheme"),
                    "xbrli:unit" => inline.units.push((attr("id"), Vec::new())),
                    _ => {}
                }
                text.clear();
                path.push(name);
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                assert_eq!(path.pop().as_deref(), Some(name.as_str()));
                match name.as_str() {
                    "ix:nonFraction" => {
                        let mut f = fact.take().unwrap();
                        // The Inline XBRL Transformation Registry 4's two number formats.
                        f[6] = match f[5].as_str() {
                            "ixt:num-dot-decimal" => text.replace([',', ' ', '\u{a0}'], ""),
                            "ixt:num-comma-decimal" => {
                                text.replace(['.', ' ', '\u{a0}'], "").replace(',', ".")
                            }
                            other => panic!("unexpected format {other:?}"),
                        };
                        inline.facts.push(f);
                    }
                    "xbrli:identifier" => inline.entity.1 = text.clone(),
                    "xbrli:startDate" => inline.period.0 = text.clone(),
                    "xbrli:endDate" => inline.period.1 = text.clone(),
                    "xbrli:measure" => {
                        let part = if path.iter().any(|p| p == "xbrli:unitDenominator") {
                            "den:"
                        } else if path.iter().any(|p| p == "xbrli:unitNumerator") {
                            "num:"
                        } else {
                            ""
                        };
                        inline
                            .units
                            .last_mut()
                            .unwrap()
                            .1
                            .push(format!("{part}{text}"));
                    }
                    _ => {}
                }
            }
            Event::Text(e) => {
                let t = e.xml10_content();
                text.push_str(&t);
                inline.text.push_str(&t);
            }
            Event::GeneralRef(e) => {
                let raw = format!("&{};", e.xml10_content());
                let t = quick_xml::escape::unescape(&raw).unwrap().into_owned();
                text.push_str(&t);
                inline.text.push_str(&t);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(path.is_empty(), "unclosed elements: {path:?}");
    inline
}

fn ixbrl(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["compute", "inv.yaml", "--format", "ixbrl"];
    all.extend(args);
    let (code, out, err) = crate::common::run_at(dir, &all);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn ixbrl_facts_are_the_json_figures_in_tonnes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), ixbrl_inventory()).unwrap();
    let xhtml = ixbrl(dir.path(), &[]);
    let inline = read_inline(&xhtml);
    let (_, json, _) = crate::common::run_at(
        dir.path(),
        &[
            "compute", "inv.yaml", "--view", "esrs-e1", "--format", "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kg = |code: &str| -> Decimal {
        let figure = if code == "total" {
            &json["total"]
        } else {
            json["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["code"] == code)
                .unwrap()
        };
        figure["kgco2e"].to_string().parse().unwrap()
    };
    // kg → t, to the kilogram (3 decimals, half away from zero).
    let t = |kg: Decimal| {
        (kg / Decimal::ONE_THOUSAND)
            .round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    };
    let fact = |name: &str| -> &[String; 7] {
        let found: Vec<_> = inline
            .facts
            .iter()
            .filter(|f| f[0] == format!("vsme:{name}"))
            .collect();
        assert_eq!(found.len(), 1, "{name}");
        found[0]
    };
    let value = |name: &str| -> Decimal { fact(name)[6].parse().unwrap() };
    let expected = [
        // 1,593 kg (ghg_protocol_… above) → 1.593 t.
        ("GrossScope1GreenhouseGasEmissions", t(kg("S1")), "1.593"),
        (
            "GrossLocationBasedScope2GreenhouseGasEmissions",
            t(kg("S2")),
            "0.450",
        ),
        (
            "GrossMarketBasedScope2GreenhouseGasEmissions",
            t(kg("S2-MB")),
            "0.212",
        ),
        // 1,593 + 450 = 2,043 kg; 1,593 + 212 = 1,805 kg.
        (
            "TotalGrossLocationBasedScope1AndScope2GHGEmissions",
            t(kg("S1") + kg("S2")),
            "2.043",
        ),
        (
            "TotalGrossMarketBasedScope1AndScope2GHGEmissions",
            t(kg("S1") + kg("S2-MB")),
            "1.805",
        ),
        // 5,508.24 − 1,593 − 450 = 3,465.24 kg → 3.465 t.
        ("GrossScope3GreenhouseGasEmissions", t(kg("S3")), "3.465"),
        // 5,508.24 kg → 5.508 t; 5,270.24 → 5.270.
        (
            "TotalGrossLocationBasedGHGEmissions",
            t(kg("total")),
            "5.508",
        ),
        ("TotalGrossMarketBasedGHGEmissions", t(kg("T-MB")), "5.270"),
    ];
    for (name, from_json, by_hand) in expected {
        assert_eq!(value(name), from_json, "{name} against the JSON");
        assert_eq!(fact(name)[6], by_hand, "{name} by hand");
        assert_eq!(
            fact(name)[1..6],
            ["period", "tCO2e", "3", "", "ixt:num-comma-decimal"],
            "{name}"
        );
    }
    // Intensity per euro of net revenue (2 M€): the JSON's tCO2e per M€ ÷ 1,000,000.
    let per_million = |key: &str| -> Decimal {
        json["intensity_per_net_revenue"][key]
            .to_string()
            .parse()
            .unwrap()
    };
    let million = Decimal::from(1_000_000);
    let intensities = [
        // 5.50824 t / 2,000,000 € and 5.27024 t / 2,000,000 €.
        (
            "TotalLocationBasedGreenhouseGasEmissionsIntensityValue",
            per_million("location_based") / million,
            "0.000002754120",
        ),
        (
            "TotalMarketBasedGreenhouseGasEmissionsIntensityValue",
            per_million("market_based") / million,
            "0.000002635120",
        ),
        // 2.043 t / 2,000,000 € and 1.805 t / 2,000,000 €.
        (
            "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased",
            Decimal::new(2043, 3) / Decimal::from(2_000_000),
            "0.000001021500",
        ),
        (
            "Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased",
            Decimal::new(1805, 3) / Decimal::from(2_000_000),
            "0.000000902500",
        ),
    ];
    for (name, expected, by_hand) in intensities {
        assert_eq!(value(name), expected, "{name}");
        assert_eq!(fact(name)[6], by_hand, "{name} by hand");
        assert_eq!(
            fact(name)[1..6],
            ["period", "tCO2e-per-EUR", "12", "", "ixt:num-comma-decimal"],
            "{name}"
        );
    }
    assert_eq!(inline.facts.len(), 12);
    // The entity (an LEI), the period, the units.
    assert_eq!(
        inline.entity,
        (
            "http://standards.iso.org/iso/17442".to_string(),
            LEI.to_string()
        )
    );
    assert_eq!(
        inline.period,
        ("2025-01-01".to_string(), "2025-12-31".to_string())
    );
    assert_eq!(
        inline.units,
        [
            ("tCO2e".to_string(), vec!["utr:tCO2e".to_string()]),
            (
                "tCO2e-per-EUR".to_string(),
                vec!["num:utr:tCO2e".to_string(), "den:iso4217:EUR".to_string()]
            ),
        ]
    );
    // The name, escaped, reads back as written; it never opens an element.
    assert!(inline.text.contains("Toutes <Catégories> & \"Fils\""));
    assert!(xhtml.contains("Toutes &lt;Catégories&gt; &amp; &quot;Fils&quot;"));
    assert!(xhtml.contains(
        "<link:schemaRef xlink:type=\"simple\" xlink:href=\"https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/vsme-all.xsd\"/>"
    ));
    // The same inputs give the same bytes; --view esrs-e1 gives the same document.
    assert_eq!(ixbrl(dir.path(), &[]), xhtml);
    assert_eq!(ixbrl(dir.path(), &["--view", "esrs-e1"]), xhtml);
    // In English: the same facts.
    let english_xhtml = ixbrl(dir.path(), &["--lang", "en"]);
    let english = read_inline(&english_xhtml);
    // In English: the same facts, numbers written 1,234.5 instead of 1 234,5.
    let without_format = |facts: &[[String; 7]]| -> Vec<Vec<String>> {
        facts
            .iter()
            .map(|f| {
                let mut f = f.to_vec();
                f.remove(5);
                f
            })
            .collect()
    };
    assert_eq!(
        without_format(&english.facts),
        without_format(&inline.facts)
    );
    assert!(english.facts.iter().all(|f| f[5] == "ixt:num-dot-decimal"));
    assert!(
        english
            .text
            .contains("Gross Scope 1 greenhouse gas emissions")
    );
    insta::assert_snapshot!("ixbrl-en", english_xhtml);
}

#[test]
fn ixbrl_entity_period_and_what_is_not_tagged() {
    let dir = tempfile::tempdir().unwrap();
    // A SIREN (not an LEI) is written as is under bilan's scheme; a period across two years; no
    // indicator in euros: no intensity and no per-euro unit.
    let text = INVENTORY
        .replace(
            "organisation: { name: Toutes Catégories }",
            r#"organisation: { name: Toutes Catégories, id: "SIREN 123456789" }"#,
        )
        .replace(
            "period: { year: 2025 }",
            "period: { start: 2024-07-01, end: 2025-06-30 }",
        )
        .replace(
            "  ca: { label: Chiffre d'affaires, value: 2, unit: M€ }\n",
            "",
        )
        .replace("indicators:\n", "");
    std::fs::write(dir.path().join("inv.yaml"), text).unwrap();
    let inline = read_inline(&ixbrl(dir.path(), &["--allow", "period-length"]));
    assert_eq!(
        inline.entity,
        (
            "urn:bilan:organisation-id".to_string(),
            "SIREN 123456789".to_string()
        )
    );
    assert_eq!(
        inline.period,
        ("2024-07-01".to_string(), "2025-06-30".to_string())
    );
    assert_eq!(inline.facts.len(), 8);
    assert_eq!(inline.units.len(), 1);
    // Scope 3 categories are shown, untagged, in tonnes: cat. 1 0.1 t × 390 + 10 k€ × 75 =
    // 789 kg; cat. 2 the laptops whole, 5 × 156 = 780 kg (acquired in 2025, the period's year).
    assert!(
        inline
            .text
            .contains("Scope 3 — Cat. 1 Biens et services achetés0,789"),
        "{}",
        inline.text
    );
    assert!(
        inline
            .text
            .contains("Scope 3 — Cat. 2 Biens d'équipement0,780")
    );
    assert!(inline.text.contains("non balisé"));
}

#[test]
fn ixbrl_refusals() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), ixbrl_inventory()).unwrap();
    for args in [
        vec!["--view", "beges-v5"],
        vec!["--view", "ghg-protocol"],
        vec!["--by", "site"],
        vec!["--monte-carlo"],
        vec!["--uncertainty-report"],
    ] {
        let mut all = vec!["compute", "inv.yaml", "--format", "ixbrl"];
        all.extend(&args);
        let (code, out, err) = crate::common::run_at(dir.path(), &all);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert!(
            err.contains("--format ixbrl writes the VSME B3 / ESRS E1-6 figures of one inventory"),
            "{err}"
        );
    }
    std::fs::copy(dir.path().join("inv.yaml"), dir.path().join("inv2.yaml")).unwrap();
    let (code, _, _) = crate::common::run_at(
        dir.path(),
        &["compute", "inv.yaml", "inv2.yaml", "--format", "ixbrl"],
    );
    assert_eq!(code, 2);
    // No organisation id: no entity to tag, an error (exit 1), nothing written.
    std::fs::write(dir.path().join("inv.yaml"), INVENTORY).unwrap();
    let (code, out, err) = crate::common::run_at(
        dir.path(),
        &[
            "compute",
            "inv.yaml",
            "--format",
            "ixbrl",
            "-o",
            "out.xhtml",
        ],
    );
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("error: inv.yaml: organisation: { id: … } is missing"),
        "{err}"
    );
    assert!(!dir.path().join("out.xhtml").exists());
    // A control character XML cannot carry, in the name.
    std::fs::write(
        dir.path().join("inv.yaml"),
        INVENTORY.replace(
            "organisation: { name: Toutes Catégories }",
            r#"organisation: { name: "Toutes\u0001Catégories", id: "X1" }"#,
        ),
    )
    .unwrap();
    let (code, _, err) =
        crate::common::run_at(dir.path(), &["compute", "inv.yaml", "--format", "ixbrl"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("the organisation name holds the control character U+0001"),
        "{err}"
    );
}

#[test]
fn a_valid_lei_is_recognised_by_its_check_digits() {
    use bilan::render::ixbrl::{entity, is_lei};
    // Letters count 10 … 35 (B = 11, I = 18, L = 21 …): the whole number is 1 mod 97.
    assert!(is_lei(LEI));
    // One check digit off, lower case, a letter in the check digits, 19 characters: not LEIs.
    assert!(!is_lei("969500BILANTESTXYZ14"));
    assert!(!is_lei("969500bilantestxyz13"));
    assert!(!is_lei("969500BILANTESTXYZ1A"));
    assert!(!is_lei("969500BILANTESTXYZ1"));
    assert_eq!(entity(&format!("LEI: {LEI}")).identifier, LEI);
    assert_eq!(
        entity(&format!(" {LEI} ")).scheme,
        "http://standards.iso.org/iso/17442"
    );
    assert_eq!(
        entity("SIREN 123456789").scheme,
        "urn:bilan:organisation-id"
    );
}

/// Runs Arelle on `file` offline: its messages as (code, text).
fn arelle(arelle: &std::path::Path, file: &std::path::Path) -> Vec<(String, String)> {
    let out = std::process::Command::new(arelle)
        .arg("--file")
        .arg(file)
        .args([
            "--validate",
            "--workOffline",
            "--logFormat=[%(messageCode)s] %(message)s",
        ])
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    log.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix('[')?;
            let (code, message) = rest.split_once("] ")?;
            Some((code.to_string(), message.to_string()))
        })
        .collect()
}

#[test]
#[ignore = "needs Arelle (PyPI arelle-release): .ci/run installs it and runs the ignored tests"]
fn arelle_validates_the_inline_xbrl() {
    let arelle_cmd = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("arelleCmdLine"))
        .find(|p| p.is_file())
        .expect("arelleCmdLine is not installed (pip install arelle-release)");
    let dir = tempfile::tempdir().unwrap();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    std::fs::write(dir.path().join("inv.yaml"), ixbrl_inventory()).unwrap();
    let mut documents = vec![
        ("lei-fr", ixbrl(dir.path(), &[])),
        ("lei-en", ixbrl(dir.path(), &["--lang", "en"])),
    ];
    for example in ["conseil-informatique", "pme-industrielle", "cooperative"] {
        let path = examples.join(format!("{example}.yaml"));
        let (code, out, err) = crate::common::run_at(
            dir.path(),
            &["compute", path.to_str().unwrap(), "--format", "ixbrl"],
        );
        assert_eq!(code, 0, "{err}");
        documents.push((example, out));
    }
    for (name, xhtml) in &documents {
        let file = dir.path().join(format!("{name}.xhtml"));
        std::fs::write(&file, xhtml).unwrap();
        let messages = arelle(&arelle_cmd, &file);
        let facts = xhtml.matches("<ix:nonFraction ").count();
        // Offline, the taxonomy cannot be read: one IOerror for its entry point, then each
        // fact's concept is unknown. Everything else (the XHTML and Inline XBRL 1.1 schemas,
        // contexts, units, numbers) must pass.
        let missing = messages
            .iter()
            .filter(|(code, _)| code == "ix11.12.1.2:missingReferences")
            .count();
        assert_eq!(missing, facts, "{name}: {messages:?}");
        assert!(
            messages.iter().any(|(code, text)| code == "IOerror"
                && text.contains("https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/vsme-all.xsd")),
            "{name}: {messages:?}"
        );
        let others: Vec<_> = messages
            .iter()
            .filter(|(code, _)| {
                !matches!(
                    code.as_str(),
                    "info" | "IOerror" | "ix11.12.1.2:missingReferences"
                )
            })
            .collect();
        assert!(others.is_empty(), "{name}: {others:?}");
    }
    // The check can fail: two decimal commas in a fact and an attribute XHTML does not know.
    let (_, xhtml) = &documents[0];
    let broken = xhtml
        .replacen(">1,593<", ">1,5,93<", 1)
        .replacen("<h1>", "<h1 foo=\"x\">", 1);
    assert_eq!(broken.len(), xhtml.len() + 9);
    let file = dir.path().join("broken.xhtml");
    std::fs::write(&file, broken).unwrap();
    let codes: Vec<String> = arelle(&arelle_cmd, &file)
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    assert!(
        codes.contains(&"ix11.10.1.1:transformValueError".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|c| c.starts_with("lxml.SCHEMAV")),
        "{codes:?}"
    );
}
// --- The BEGES publication sheet -------------------------------------------------------------

fn run_in(inventory: &str, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), inventory).unwrap();
    crate::common::run_at(dir.path(), args)
}

fn example(args: &[&str]) -> String {
    let mut all = vec![
        "compute",
        "examples/pme-industrielle.yaml",
        "--view",
        "beges-v5",
    ];
    all.extend(args);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, err) = crate::common::run_at(root, &all);
    assert_eq!(code, 0, "{err}");
    out
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
    ] {
        let (code, out, stderr) = run_in(IDENTIFIED, &args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(out, "");
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
    }
    // Other commands do not offer it at all: clap lists what they write.
    for args in [
        vec!["trajectory", "inv.yaml", "--format", "beges"],
        vec!["diff", "inv.yaml", "inv.yaml", "--format", "beges"],
    ] {
        let (code, out, stderr) = run_in(IDENTIFIED, &args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(out, "");
        assert!(
            stderr.starts_with("error: invalid value 'beges' for '--format <FORMAT>'"),
            "{args:?}: {stderr}"
        );
    }
}
