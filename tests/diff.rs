//! `bilan diff`: every change split into activity, factor and perimeter effects, computed by
//! hand here; saved JSON results as sides; `--fail-above`; a factor-base upgrade.

const BEFORE: &str = "bilan: 1
organisation: { name: Fokus IT }
period: { year: 2024 }
defaults: { uncertainty: 10% }
lines:
  - id: elec
    label: Électricité
    factor: \"42513\"
    quantity: 20000
    unit: kWh
  - id: it
    label: Infogérance
    factor: \"43443\"
    quantity: 50
    unit: k€ (2021) HT
  - id: car
    label: Voiture
    factor: \"43791\"
    quantity: 10000
    unit: km
    purpose: business
  - id: dechets
    label: Ordures ménagères
    factor: \"34650\"
    quantity: 2
    unit: t
";

const AFTER: &str = "bilan: 1
organisation: { name: Fokus IT }
period: { year: 2025 }
defaults: { uncertainty: 10% }
lines:
  - id: elec
    label: Électricité
    factor: \"42513\"
    quantity: 15
    unit: MWh
  - id: it
    label: Infogérance
    factor: \"43445\"
    quantity: 60
    unit: k€ (2023) HT
  - id: car
    label: Voiture de service
    factor: \"43791\"
    quantity: 8000
    unit: km
    purpose: business
  - label: TGV
    factor: \"37142\"
    quantity: 30000
    unit: p.km
    purpose: business
";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("2024.yaml"), BEFORE).unwrap();
    std::fs::write(dir.path().join("2025.yaml"), AFTER).unwrap();
    dir
}

use crate::common::run_at as run;

fn row<'a>(csv: &'a str, code: &str) -> &'a str {
    csv.lines()
        .find(|l| l.starts_with(&format!("{code},")))
        .unwrap()
}

#[test]
fn effects_add_up_to_each_change() {
    let dir = setup();
    let (code, csv, stderr) = run(
        dir.path(),
        &["diff", "2024.yaml", "2025.yaml", "--format", "csv"],
    );
    assert_eq!(code, 0, "{stderr}");
    // Columns: code,name,before,after,change,change_share,activity,factor,perimeter.
    // Electricity 20,000 kWh → 15 MWh (15,000 kWh), same factor 0.052: activity only.
    //   2.6: 20,000 × 0.0338 = 676 → 507; 3.8: 1,040 − 676 = 364 → 273.
    assert!(
        row(&csv, "2.6").ends_with(",676,507,-169,-0.25,-169,0,0"),
        "{csv}"
    );
    assert!(
        row(&csv, "3.8").ends_with(",364,273,-91,-0.25,-91,0,0"),
        "{csv}"
    );
    // IT services: 50 k€ × 78 (43443) = 3,900 → 60 k€ × 75 (43445) = 4,500, both changed:
    //   activity = (60 − 50) × (78 + 75) / 2 = 765; factor = (75 − 78) × (50 + 60) / 2 = −165.
    assert!(
        row(&csv, "3.9").ends_with(",3900,4500,600,0.153846,765,-165,0"),
        "{csv}"
    );
    // Car, renamed but matched by id: 10,000 → 8,000 km × 0.256 = −512 (activity);
    // TGV added: 30,000 p.km × 0.00334 = 100.2 (perimeter).
    assert!(
        row(&csv, "3.13").ends_with(",2560,2148.2,-411.8,-0.160859,-512,0,100.2"),
        "{csv}"
    );
    // Waste removed: 2 t × 374 = 748 (perimeter).
    assert!(
        row(&csv, "3.11").ends_with(",748,0,-748,-1,0,0,-748"),
        "{csv}"
    );
    // Total 8,248 → 7,428.2: activity −169 − 91 + 765 − 512 = −7, factor −165,
    // perimeter 100.2 − 748 = −647.8.
    assert!(
        row(&csv, "total").ends_with(",8248,7428.2,-819.8,-0.099394,-7,-165,-647.8"),
        "{csv}"
    );
}

#[test]
fn markdown_for_a_pull_request() {
    let dir = setup();
    let (code, md, _) = run(
        dir.path(),
        &[
            "diff",
            "2024.yaml",
            "2025.yaml",
            "--format",
            "md",
            "--lang",
            "en",
        ],
    );
    assert_eq!(code, 0);
    insta::assert_snapshot!("diff-md", md);
}

#[test]
fn a_saved_json_result_is_a_side() {
    let dir = setup();
    let (_, json, _) = run(dir.path(), &["compute", "2024.yaml", "--format", "json"]);
    std::fs::write(dir.path().join("2024.json"), json).unwrap();
    let (code, from_json, stderr) = run(
        dir.path(),
        &["diff", "2024.json", "2025.yaml", "--format", "csv"],
    );
    assert_eq!(code, 0, "{stderr}");
    let (_, from_yaml, _) = run(
        dir.path(),
        &["diff", "2024.yaml", "2025.yaml", "--format", "csv"],
    );
    assert_eq!(from_json, from_yaml);
}

#[test]
fn fail_above_exits_3() {
    let dir = setup();
    let diff = |extra: &[&str]| {
        let mut args = vec!["diff", "2024.yaml", "2025.yaml", "--format", "csv"];
        args.extend(extra);
        let (code, stdout, stderr) = run(dir.path(), &args);
        let errors: String = stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .map(|l| format!("{l}\n"))
            .collect();
        (code, stdout, errors)
    };
    // Total −9.9 %, 2.6 and 3.8 −25 %, 3.9 +15.4 %, 3.11 −100 %, 3.13 −16.1 %.
    let (code, _, stderr) = diff(&["--fail-above", "30%"]);
    assert_eq!(code, 3);
    assert_eq!(
        stderr,
        "error: post 3.11 changed by -100 %, above --fail-above\n"
    );
    let (code, _, _) = diff(&["--fail-above", "30%", "--fail-above", "3.11:100%"]);
    assert_eq!(code, 0);
    let (code, _, stderr) = diff(&["--fail-above", "5%", "--fail-above", "3.11:100%"]);
    assert_eq!(code, 3);
    assert!(
        stderr.starts_with("error: total changed by -9.94 %, above --fail-above\n"),
        "{stderr}"
    );
    let (code, _, _) = diff(&["--fail-above", "cinq"]);
    assert_eq!(code, 2);
}

#[test]
fn a_factor_base_upgrade_on_one_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let header = "id,name,unit,kgco2e,uncertainty,category,part,source\n";
    std::fs::write(
        dir.path().join("old.csv"),
        format!("{header}X,Prestation,kgCO2e/keuro,2,10,Achats de services > Divers,,test\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("new.csv"),
        format!("{header}X,Prestation,kgCO2e/keuro,2.5,10,Achats de services > Divers,,test\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "bilan: 1\norganisation: { name: T }\nperiod: { year: 2025 }\nlines:\n  - label: Prestation\n    factor: X\n    quantity: 10\n    unit: k€\n    uncertainty: 5%\n",
    )
    .unwrap();
    let (code, csv, stderr) = run(
        dir.path(),
        &[
            "diff",
            "inv.yaml",
            "--factors-old",
            "old.csv",
            "--factors-new",
            "new.csv",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    // 10 k€ × 2 = 20 → × 2.5 = 25: all of it a factor effect.
    assert!(row(&csv, "3.9").ends_with(",20,25,5,0.25,0,5,0"), "{csv}");
    let (_, table, _) = run(
        dir.path(),
        &[
            "diff",
            "inv.yaml",
            "--factors-old",
            "old.csv",
            "--factors-new",
            "new.csv",
            "--lang",
            "en",
        ],
    );
    assert!(
        table.contains(
            "Factors whose value changed:\n  X Prestation: 2 → 2.5 kgCO2e/keuro (25.0%)\n"
        ),
        "{table}"
    );
}

#[test]
fn a_saved_result_that_does_not_add_up_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("before.yaml"), BEFORE).unwrap();
    let bilan = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("bilan")
            .unwrap()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, _) = bilan(&[
        "compute",
        "before.yaml",
        "--format",
        "json",
        "-o",
        "saved.json",
    ]);
    assert_eq!(code, 0);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("saved.json")).unwrap())
            .unwrap();
    let case = |name: &str, edit: &dyn Fn(&mut serde_json::Value), message: &str| {
        let mut json = saved.clone();
        edit(&mut json);
        std::fs::write(
            dir.path().join(name),
            serde_json::to_string_pretty(&json).unwrap(),
        )
        .unwrap();
        let (code, stderr) = bilan(&["diff", name, "before.yaml"]);
        assert_eq!(code, 1, "{name}");
        assert!(
            stderr.starts_with(&format!(
                "error: {name}: the saved result does not add up: {message}\n"
            )),
            "{name}: {stderr}"
        );
    };
    let total = saved["total"]["kgco2e"].clone();
    case(
        "total.json",
        &|j| j["total"]["kgco2e"] = serde_json::json!(1),
        &format!("its posts add up to {total} kgCO2e but its total says 1 kgCO2e"),
    );
    case(
        "post.json",
        &|j| {
            j["posts"][5]["kgco2e"] = serde_json::json!(0);
            j["total"]["kgco2e"] = serde_json::json!(serde_json::Number::from_string_unchecked(
                (saved["total"]["kgco2e"]
                    .to_string()
                    .parse::<rust_decimal::Decimal>()
                    .unwrap()
                    - saved["posts"][5]["kgco2e"]
                        .to_string()
                        .parse::<rust_decimal::Decimal>()
                        .unwrap())
                .normalize()
                .to_string()
            ));
        },
        &format!(
            "post 2.6 says 0 kgCO2e but its lines add up to {} kgCO2e",
            saved["posts"][5]["kgco2e"]
        ),
    );
    case(
        "missing.json",
        &|j| {
            j["posts"].as_array_mut().unwrap().remove(0);
        },
        "post 1.1 is missing (a result lists all 22)",
    );
    case(
        "twice.json",
        &|j| {
            let p = j["posts"][1].clone();
            j["posts"].as_array_mut().unwrap()[0] = p;
        },
        "post 1.2 is listed twice",
    );
    case(
        "line.json",
        &|j| {
            let l = j["lines"][0].clone();
            j["lines"].as_array_mut().unwrap().push(l);
        },
        "line `elec` is listed twice",
    );
}

#[test]
fn a_saved_result_with_a_wrong_field_says_where_and_which() {
    let dir = setup();
    let (code, saved, stderr) = run(dir.path(), &["compute", "2024.yaml", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    // 1-based line of the first line of `text` containing `needle`, and the 1-based column of
    // the last character of `needle` (where the reader stands when it finds the value wrong).
    let at = |text: &str, needle: &str| {
        let (i, line) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        (i + 1, line.find(needle).unwrap() + needle.len())
    };
    let error = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).unwrap();
        let (code, _, stderr) = run(dir.path(), &["diff", name, "2025.yaml"]);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(
            stderr.ends_with("  = help: give an inventory (.yaml) or a result saved with `bilan compute --format json`\n"),
            "{name}: {stderr}"
        );
        stderr.lines().next().unwrap().to_string()
    };

    // A figure quoted: the path of the field, at the value.
    let text = saved.replacen(
        "\"factor_kgco2e\": 0.052,",
        "\"factor_kgco2e\": \"0.052\",",
        1,
    );
    let (line, column) = at(&text, "\"factor_kgco2e\": \"0.052\"");
    assert_eq!(
        error("quoted.json", &text),
        format!(
            "error: quoted.json:{line}:{column}: not a bilan JSON result: lines[0].factor_kgco2e: the string \"0.052\" where a number goes (write 0.052, without quotes)"
        )
    );

    // A figure beyond an exact decimal (scope 1 is the first kgco2e at 0): refused, not rounded.
    let text = saved.replacen("\"kgco2e\": 0,", "\"kgco2e\": 1e40,", 1);
    let (line, column) = at(&text, "\"kgco2e\": 1e40");
    assert_eq!(
        error("huge.json", &text),
        format!(
            "error: huge.json:{line}:{column}: not a bilan JSON result: scopes[0].kgco2e: the number 1e+40 is out of range (exact decimals hold up to 28 significant digits, ±7.9e28)"
        )
    );

    // A field missing: named, at the end of the object that lacks it (the second line, `it`:
    // 50 k€ converted as written).
    let text = saved.replacen("      \"converted_quantity\": 50,\n", "", 1);
    assert_ne!(text, saved);
    let it = text.find("\"id\": \"it\"").unwrap();
    let end = it + text[it..].find("\n    }").unwrap();
    let line = text[..end].lines().count() + 1;
    assert_eq!(
        error("missing.json", &text),
        format!(
            "error: missing.json:{line}:5: not a bilan JSON result: lines[1]: missing field `converted_quantity`"
        )
    );

    // Another document.
    let text = saved.replacen("bilan.result/1", "bilan.view/1", 1);
    assert_eq!(
        error("view.json", &text),
        "error: view.json: not a bilan JSON result: schema `bilan.view/1`, expected `bilan.result/1`"
    );

    // An amortisation over 0 years is never written by bilan: refused, not read as 1 year.
    let text = saved.replacen(
        "\"id\": \"elec\",",
        "\"id\": \"elec\", \"amortization\": { \"acquired\": 2020, \"years\": 0, \"fully_amortized\": false },",
        1,
    );
    assert_eq!(
        error("years.json", &text),
        "error: years.json: not a bilan JSON result: line `elec` is amortised over 0 years"
    );
}
