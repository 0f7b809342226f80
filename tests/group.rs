//! Groups: entity inventories consolidated under each approach (figures by hand), a nested
//! group, intra-group lines left out and listed, and every error of a group file through the
//! real binary with its file:line:column.

use crate::common::run_at;
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::Path;
use std::str::FromStr;

// Real factors of the embedded base (ADEME Base Carbone V23.6): 43014 CO2, 1 kgCO2e/kg (post
// given: 1.3); 43256 TGV 2022, 0.00293 kgCO2e/p.km (business: 3.13); 34650 household waste
// incinerated, 374 kgCO2e/t (3.11).
const FILIALE_A: &str = r#"bilan: 1
organisation: { name: Filiale A }
period: { year: 2025 }
defaults: { uncertainty: 10% }
lines:
  - { id: process, label: CO2 de procédé, factor: "43014", quantity: 1000, unit: kg, post: "1.3" }
  - { id: tgv, label: TGV, factor: "43256", quantity: 100000, unit: p.km, purpose: business }
  - { id: dechets-b, label: Déchets traités par B, factor: "34650", quantity: 2, unit: t, intragroup: true }
"#;

const FILIALE_B: &str = r#"bilan: 1
organisation: { name: Filiale B }
period: { year: 2025 }
lines:
  - { id: process, label: CO2 de procédé, factor: "43014", quantity: 500, unit: kg, post: "1.3", uncertainty: 5% }
  - { id: dechets, label: Déchets, factor: "34650", quantity: 10, unit: t, uncertainty: 20% }
"#;

const FILIALE_C: &str = r#"bilan: 1
organisation: { name: Filiale C }
period: { year: 2025 }
lines:
  - { id: process, label: CO2 de procédé, factor: "43014", quantity: 200, unit: kg, post: "1.3", uncertainty: 10% }
"#;

/// The group file for `approach`: A (60 %, both controls), B (30 %, financial control) and a
/// nested group (25 %, operational control) holding C (50 %, operational control).
fn group(approach: &str) -> String {
    format!(
        r#"bilan: 1
organisation: {{ name: Groupe }}
period: {{ year: 2025 }}
perimeter: {{ consolidation: {approach} }}
entities:
  - {{ inventory: filiale-a/2025.yaml, share: 60%, control: [financial, operational] }}
  - {{ inventory: filiale-b/2025.yaml, share: 30%, control: financial }}
  - {{ inventory: sous-groupe/groupe.yaml, share: 25%, control: operational }}
"#
    )
}

fn sub_group(approach: &str) -> String {
    format!(
        r#"bilan: 1
organisation: {{ name: Sous-groupe }}
period: {{ year: 2025 }}
perimeter: {{ consolidation: {approach} }}
entities:
  - {{ inventory: filiale-c.yaml, share: 50%, control: operational }}
"#
    )
}

/// The tree of files in a temporary folder.
fn tree(approach: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("groupe.yaml", &group(approach));
    write("filiale-a/2025.yaml", FILIALE_A);
    write("filiale-b/2025.yaml", FILIALE_B);
    write("sous-groupe/groupe.yaml", &sub_group(approach));
    write("sous-groupe/filiale-c.yaml", FILIALE_C);
    dir
}

/// The JSON result, checked to read back into the contract's result document unchanged.
fn json(dir: &Path, file: &str) -> Value {
    let (code, out, err) = run_at(dir, &["compute", file, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let document: bilan::contract::result::Document = serde_json::from_str(&out).unwrap();
    assert_eq!(serde_json::to_string_pretty(&document).unwrap() + "\n", out);
    serde_json::from_str(&out).unwrap()
}

fn dec(value: &Value) -> Decimal {
    Decimal::from_str(&value.to_string()).unwrap()
}

fn post(doc: &Value, code: &str) -> Decimal {
    let post = doc["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap();
    dec(&post["kgco2e"])
}

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// Entity alone: A = 1000 (1.3) + 100000 × 0.00293 = 293 (3.13) + 2 × 374 = 748 (3.11,
/// intra-group) = 2041; B = 500 (1.3) + 10 × 374 = 3740 (3.11) = 4240; C = 200 (1.3).
fn check(approach: &str, shares: [&str; 3], p13: &str, p311: &str, p313: &str, total: &str) {
    let dir = tree(approach);
    let doc = json(dir.path(), "groupe.yaml");
    assert_eq!(post(&doc, "1.3"), d(p13), "{approach} 1.3");
    assert_eq!(post(&doc, "3.11"), d(p311), "{approach} 3.11");
    assert_eq!(post(&doc, "3.13"), d(p313), "{approach} 3.13");
    assert_eq!(dec(&doc["total"]["kgco2e"]), d(total), "{approach} total");
    assert_eq!(doc["group"]["consolidation"], approach);
    let entities = doc["group"]["entities"].as_array().unwrap();
    let ids: Vec<&str> = entities.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "filiale-a/2025",
            "filiale-b/2025",
            "sous-groupe/groupe/filiale-c"
        ]
    );
    let applied: Vec<Decimal> = entities.iter().map(|e| dec(&e["share_applied"])).collect();
    assert_eq!(applied, shares.map(d));
    let alone: Vec<Decimal> = entities.iter().map(|e| dec(&e["total_kgco2e"])).collect();
    assert_eq!(alone, ["2041", "4240", "200"].map(d));
    // Each entity's consolidated figure: its lines but intra-group ones × its share; they add
    // up to the total.
    let consolidated: Vec<Decimal> = entities
        .iter()
        .map(|e| dec(&e["consolidated_kgco2e"]))
        .collect();
    let expected = [d("1293"), d("4240"), d("200")]
        .iter()
        .zip(shares.map(d))
        .map(|(kg, share)| kg * share)
        .collect::<Vec<_>>();
    for (got, want) in consolidated.iter().zip(&expected) {
        assert_eq!(got.normalize(), want.normalize(), "{approach}");
    }
    assert_eq!(consolidated.iter().sum::<Decimal>(), d(total));
    // The intra-group line is listed apart, with its figure alone.
    let flows = doc["group"]["intragroup_lines"].as_array().unwrap();
    assert_eq!(flows.len(), 1);
    assert_eq!(flows[0]["entity"], "filiale-a/2025");
    assert_eq!(flows[0]["id"], "dechets-b");
    assert_eq!(flows[0]["post"], "3.11");
    assert_eq!(dec(&flows[0]["kgco2e"]), d("748"));
}

#[test]
fn operational_control_counts_the_entities_operated_whole() {
    // A 100 %, B 0 % (financial control only), C 100 % × 100 %.
    // 1.3 = 1000 + 200 = 1200; 3.11 = 0 (A's waste is intra-group, B out); 3.13 = 293;
    // total = 1493.
    check(
        "operational-control",
        ["1", "0", "1"],
        "1200",
        "0",
        "293",
        "1493",
    );
}

#[test]
fn financial_control_counts_the_entities_financially_controlled_whole() {
    // A 100 %, B 100 %, the sub-group 0 % (operational control only), so C 0 %.
    // 1.3 = 1000 + 500 = 1500; 3.11 = 3740; 3.13 = 293; total = 5533.
    check(
        "financial-control",
        ["1", "1", "0"],
        "1500",
        "3740",
        "293",
        "5533",
    );
}

#[test]
fn equity_share_counts_the_shares_nested_shares_multiplied() {
    // A 60 %, B 30 %, C 25 % × 50 % = 12.5 %.
    // 1.3 = 0.6 × 1000 + 0.3 × 500 + 0.125 × 200 = 600 + 150 + 25 = 775;
    // 3.11 = 0.3 × 3740 = 1122; 3.13 = 0.6 × 293 = 175.8; total = 2072.8.
    check(
        "equity-share",
        ["0.6", "0.3", "0.125"],
        "775",
        "1122",
        "175.8",
        "2072.8",
    );
}

#[test]
fn a_group_has_the_uncertainty_of_its_lines_counted_once() {
    // The same lines written by hand in one inventory, each quantity × its entity's share
    // (equity share), each with its entity's uncertainty: the same figure and interval.
    let dir = tree("equity-share");
    let flat = r#"bilan: 1
organisation: { name: Groupe }
period: { year: 2025 }
lines:
  - { id: a-process, label: CO2 de procédé, factor: "43014", quantity: 600, unit: kg, post: "1.3", uncertainty: 10% }
  - { id: a-tgv, label: TGV, factor: "43256", quantity: 60000, unit: p.km, purpose: business, uncertainty: 10% }
  - { id: b-process, label: CO2 de procédé, factor: "43014", quantity: 150, unit: kg, post: "1.3", uncertainty: 5% }
  - { id: b-dechets, label: Déchets, factor: "34650", quantity: 3, unit: t, uncertainty: 20% }
  - { id: c-process, label: CO2 de procédé, factor: "43014", quantity: 25, unit: kg, post: "1.3", uncertainty: 10% }
"#;
    std::fs::write(dir.path().join("flat.yaml"), flat).unwrap();
    let group = json(dir.path(), "groupe.yaml");
    let flat = json(dir.path(), "flat.yaml");
    assert_eq!(group["total"], flat["total"]);
    assert_eq!(group["posts"], flat["posts"]);
    assert_eq!(group["scopes"], flat["scopes"]);
    // Line ids are prefixed with their entity's; each keeps its factor.
    let lines = group["lines"].as_array().unwrap();
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "filiale-a/2025:process",
            "filiale-a/2025:tgv",
            "filiale-b/2025:process",
            "filiale-b/2025:dechets",
            "sous-groupe/groupe/filiale-c:process"
        ]
    );
    assert_eq!(lines[1]["factor"], "43256");
    assert_eq!(
        lines[1]["factor_source"],
        "ADEME Base Carbone V23.6 id 43256"
    );
    // The quantity counted is the entity's × its share: 100000 × 0.6.
    assert_eq!(dec(&lines[1]["quantity"]), d("60000"));
}

#[test]
fn an_entity_alone_keeps_its_intragroup_lines() {
    let dir = tree("equity-share");
    let doc = json(dir.path(), "filiale-a/2025.yaml");
    // 1000 + 293 + 748.
    assert_eq!(dec(&doc["total"]["kgco2e"]), d("2041"));
    assert!(doc.get("group").is_none());
}

#[test]
fn the_table_and_markdown_show_the_entities() {
    let dir = tree("equity-share");
    let (code, out, err) = run_at(dir.path(), &["compute", "groupe.yaml", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Entities (equity-share):"), "{out}");
    assert!(out.contains("sous-groupe/groupe/filiale-c"), "{out}");
    assert!(out.contains("12.5%"), "{out}");
    assert!(
        out.contains("Intra-group flows (not in the consolidated total):"),
        "{out}"
    );
    let (code, out, err) = run_at(dir.path(), &["compute", "groupe.yaml", "--format", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("### Entités (equity-share)"), "{out}");
    assert!(out.contains("| filiale-b/2025 | Filiale B |"), "{out}");
    let (code, _, err) = run_at(dir.path(), &["check", "groupe.yaml"]);
    assert_eq!(code, 0, "{err}");
}

/// `check` on the tree with `path` replaced by `text`: exit 1 and the first error line.
fn error(approach: &str, path: &str, text: &str) -> String {
    let dir = tree(approach);
    std::fs::write(dir.path().join(path), text).unwrap();
    let (code, out, err) = run_at(dir.path(), &["check", "groupe.yaml"]);
    assert_eq!(code, 1, "{out}{err}");
    err.lines().next().unwrap().to_string()
}

#[test]
fn a_share_must_be_above_0_and_at_most_100_percent() {
    let text = group("equity-share").replace("share: 30%", "share: 120%");
    assert_eq!(
        error("equity-share", "groupe.yaml", &text),
        "error: groupe.yaml:7:46: share `120%` is outside (0 %, 100 %]"
    );
    let text = group("equity-share").replace("share: 30%", "share: 0%");
    assert_eq!(
        error("equity-share", "groupe.yaml", &text),
        "error: groupe.yaml:7:46: share `0%` is outside (0 %, 100 %]"
    );
    let text = group("equity-share").replace("share: 30%, ", "");
    assert_eq!(
        error("equity-share", "groupe.yaml", &text),
        "error: groupe.yaml:7:5: the entry has no `share:`, which equity-share consolidation needs (equity-share)"
    );
}

#[test]
fn an_entity_listed_twice_through_a_nested_group_is_an_error() {
    let text = sub_group("equity-share").replace(
        "  - { inventory: filiale-c.yaml",
        "  - { inventory: ../filiale-a/2025.yaml, share: 10% }\n  - { inventory: filiale-c.yaml",
    );
    assert_eq!(
        error("equity-share", "sous-groupe/groupe.yaml", &text),
        "error: sous-groupe/groupe.yaml:6:18: entity `../filiale-a/2025.yaml` is listed twice (also at groupe.yaml:6:18): it would count twice"
    );
}

#[test]
fn a_cycle_of_groups_is_an_error() {
    let text = sub_group("equity-share").replace(
        "  - { inventory: filiale-c.yaml",
        "  - { inventory: ../groupe.yaml, share: 10% }\n  - { inventory: filiale-c.yaml",
    );
    assert_eq!(
        error("equity-share", "sous-groupe/groupe.yaml", &text),
        "error: sous-groupe/groupe.yaml:6:18: `../groupe.yaml` is a group that lists itself, directly or through another group"
    );
}

#[test]
fn an_entity_of_another_period_is_an_error() {
    let text = FILIALE_B.replace("year: 2025", "year: 2024");
    assert_eq!(
        error("equity-share", "filiale-b/2025.yaml", &text),
        "error: groupe.yaml:7:18: `filiale-b/2025.yaml` covers 2024-01-01 to 2024-12-31, the group 2025-01-01 to 2025-12-31"
    );
}

#[test]
fn a_group_without_an_approach_is_an_error() {
    let text = group("equity-share").replace("perimeter: { consolidation: equity-share }\n", "");
    assert_eq!(
        error("equity-share", "groupe.yaml", &text),
        "error: groupe.yaml:5:3: the group names no consolidation approach"
    );
}

#[test]
fn a_group_holds_entities_not_lines() {
    let text = format!(
        "{}lines:\n  - {{ label: x, factor: \"43014\", quantity: 1, unit: kg }}\n",
        group("equity-share")
    );
    assert_eq!(
        error("equity-share", "groupe.yaml", &text),
        "error: groupe.yaml:10:3: a group lists `entities:`, not `lines:`"
    );
}

#[test]
fn intragroup_is_a_column_of_line_tables() {
    let dir = tree("financial-control");
    let b = FILIALE_B.replace("lines:\n", "include: [flux.csv]\nlines:\n");
    std::fs::write(dir.path().join("filiale-b/2025.yaml"), b).unwrap();
    std::fs::write(
        dir.path().join("filiale-b/flux.csv"),
        "id;label;factor;quantity;unit;post;intragroup\nvente-a;CO2 vendu à A;43014;40;kg;1.3;oui\n",
    )
    .unwrap();
    let doc = json(dir.path(), "groupe.yaml");
    // Financial control: as above (5533), B's 40 kg to A left out.
    assert_eq!(dec(&doc["total"]["kgco2e"]), d("5533"));
    let flows = doc["group"]["intragroup_lines"].as_array().unwrap();
    let ids: Vec<&str> = flows.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["dechets-b", "vente-a"]);
    assert_eq!(dec(&flows[1]["kgco2e"]), d("40"));
    // B alone: 4240 + 40.
    assert_eq!(dec(&doc["group"]["entities"][1]["total_kgco2e"]), d("4280"));
}

#[test]
fn by_entity_gives_each_entitys_consolidated_posts_in_csv() {
    let dir = tree("equity-share");
    let (code, out, err) = run_at(
        dir.path(),
        &[
            "compute",
            "groupe.yaml",
            "--by",
            "entity",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let mut rows = out.lines();
    assert_eq!(
        rows.next().unwrap(),
        "code,name,filiale-a/2025,filiale-b/2025,sous-groupe/groupe/filiale-c"
    );
    let row = |code: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("{code},")))
            .unwrap()
            .rsplitn(4, ',')
            .map(String::from)
            .collect::<Vec<_>>()
    };
    // 1.3: 0.6 × 1000, 0.3 × 500, 0.125 × 200 (columns read from the right).
    assert_eq!(
        row("1.3"),
        [
            "25",
            "150",
            "600",
            "1.3,Émissions directes des procédés hors énergie"
        ]
    );
    // 3.11: B's 0.3 × 3740 = 1122 (A's waste is intra-group).
    assert_eq!(&row("3.11")[..3], ["0", "1122", "0"]);
    // 3.13: A's 0.6 × 293 = 175.8.
    assert_eq!(&row("3.13")[..3], ["0", "0", "175.8"]);
}

#[test]
fn one_factor_id_with_two_values_in_two_entities_is_an_error() {
    // Each entity names its own file giving the id `dechets` a real Base Carbone value: A
    // household waste incinerated (34650, 374 kgCO2e/t), B CO2 (43014, 1 kgCO2e/kg = 1000 per t).
    let dir = tree("equity-share");
    let header = "id,name,unit,kgco2e,uncertainty,category,part,source\n";
    std::fs::write(
        dir.path().join("filiale-a/f.csv"),
        format!("{header}dechets,Incinération,kgCO2e/t,374,,Traitement des déchets > Ménages,,ADEME Base Carbone V23.6 id 34650\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("filiale-b/f.csv"),
        format!("{header}dechets,CO2,kgCO2e/t,1000,,Traitement des déchets > Ménages,,ADEME Base Carbone V23.6 id 43014 (per t)\n"),
    )
    .unwrap();
    let a = FILIALE_A
        .replace("lines:\n", "factors: [f.csv]\nlines:\n")
        .replace(
            "factor: \"43256\", quantity: 100000, unit: p.km, purpose: business",
            "factor: dechets, quantity: 1, unit: t",
        );
    std::fs::write(dir.path().join("filiale-a/2025.yaml"), a).unwrap();
    let b = FILIALE_B.replace("lines:\n", "factors: [f.csv]\nlines:\n");
    std::fs::write(dir.path().join("filiale-b/2025.yaml"), b).unwrap();
    let (code, out, err) = run_at(dir.path(), &["check", "groupe.yaml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.starts_with("error: groupe.yaml: factor id `dechets` is not the same factor in entity `filiale-a/2025` and in the group"),
        "{err}"
    );
}

#[test]
fn the_report_of_a_group_has_its_entities() {
    let dir = tree("equity-share");
    let (code, _, err) = run_at(dir.path(), &["report", "groupe.yaml", "-o", "r.html"]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    let section = html.split("<section id=\"entities\">").nth(1).unwrap();
    let section = section.split("</section>").next().unwrap();
    // C: 25 % × 50 %, 200 kg alone, 25 kg in the group.
    assert!(
        section.contains("<td class=\"\">sous-groupe/groupe/filiale-c</td><td class=\"\">Filiale C</td><td class=\"\">sous-groupe/filiale-c.yaml</td><td class=\"num\">12,5\u{a0}%</td><td class=\"num\">0,20</td><td class=\"num\">0,03</td>"),
        "{section}"
    );
    assert!(
        section.contains("<td class=\"\">dechets-b</td>"),
        "{section}"
    );
}

#[test]
fn a_group_has_no_defaults() {
    let text = group("equity-share").replace(
        "perimeter: { consolidation: equity-share }\n",
        "perimeter: { consolidation: equity-share }\ndefaults: { uncertainty: 10% }\n",
    );
    assert_eq!(
        error("equity-share", "groupe.yaml", &text),
        "error: groupe.yaml:5:11: a group has no `defaults:`: its lines take their own entity's"
    );
}

#[test]
fn a_group_read_as_one_inventory_is_an_error() {
    let dir = tree("equity-share");
    std::fs::write(
        dir.path().join("inv.yaml"),
        "bilan: 1\norganisation: { name: X }\nperiod: { year: 2025 }\ninclude: [groupe.yaml]\n",
    )
    .unwrap();
    let (code, _, err) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.starts_with("error: groupe.yaml:1:1: unknown field `bilan`"),
        "{err}"
    );
}

#[test]
fn an_entity_id_cannot_hold_the_separator() {
    let text = group("equity-share").replace(
        "share: 30%, control: financial }",
        "share: 30%, control: financial, id: \"b:1\" }",
    );
    assert_eq!(
        error("equity-share", "groupe.yaml", &text),
        "error: groupe.yaml:7:75: entity id `b:1` is empty or holds `:`"
    );
}

#[test]
fn a_group_has_no_factor_files() {
    let text = group("equity-share").replace(
        "perimeter: { consolidation: equity-share }\n",
        "perimeter: { consolidation: equity-share }\nfactors: [f.csv]\n",
    );
    assert_eq!(
        error("equity-share", "groupe.yaml", &text),
        "error: groupe.yaml:5:11: a group has no `factors:`: its lines take their own entity's"
    );
}
