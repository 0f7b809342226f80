//! `bilan diff`: every change split into activity, factor and perimeter effects, computed by
//! hand here; saved JSON results as sides; `--fail-above`; a factor-base upgrade.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

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
    unit: k€
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
    unit: k€
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

mod common;
use common::run_at as run;

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

/// A saved result whose figures were edited is refused (exit 1), naming the file and what
/// disagrees. 2024.yaml computes to: 2.6 = 676, 3.8 = 364 (line `elec` = 1,040), 3.9 = 3,900,
/// 3.11 = 748, 3.13 = 2,560; total 676 + 364 + 3,900 + 748 + 2,560 = 8,248 kgCO2e.
#[test]
fn an_edited_saved_result_is_refused() {
    let dir = setup();
    let (_, json, _) = run(dir.path(), &["compute", "2024.yaml", "--format", "json"]);
    let saved: serde_json::Value = serde_json::from_str(&json).unwrap();
    let post = |doc: &mut serde_json::Value, code: &str| -> usize {
        doc["posts"]
            .as_array()
            .unwrap()
            .iter()
            .position(|p| p["code"] == code)
            .unwrap()
    };
    let help = "  = help: the figures of a saved result were changed after `bilan compute` wrote them: compute it again\n";
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "total",
            Box::new(|d| d["total"]["kgco2e"] = 8000.into()),
            "the posts add up to 8248 kgCO2e but the total says 8000 kgCO2e",
        ),
        (
            "post",
            // 676 → 700: the posts add up to 8,248 + 24 = 8,272.
            Box::new(move |d| {
                let i = post(d, "2.6");
                d["posts"][i]["kgco2e"] = 700.into();
            }),
            "the posts add up to 8272 kgCO2e but the total says 8248 kgCO2e",
        ),
        (
            "post-and-total",
            // Total edited too: the lines still give 676 for 2.6.
            Box::new(move |d| {
                let i = post(d, "2.6");
                d["posts"][i]["kgco2e"] = 700.into();
                d["total"]["kgco2e"] = 8272.into();
            }),
            "post 2.6: its lines add up to 676 kgCO2e but the post says 700 kgCO2e",
        ),
        (
            "duplicate-post",
            Box::new(move |d| {
                let i = post(d, "3.9");
                let copy = d["posts"][i].clone();
                d["posts"].as_array_mut().unwrap().push(copy);
            }),
            "post 3.9 appears twice",
        ),
        (
            "missing-post",
            Box::new(move |d| {
                let i = post(d, "1.4");
                d["posts"].as_array_mut().unwrap().remove(i);
            }),
            "post(s) 1.4 missing: a result lists all 22",
        ),
        (
            "duplicate-line",
            Box::new(|d| {
                let copy = d["lines"][1].clone();
                d["lines"].as_array_mut().unwrap().push(copy);
            }),
            "line `it` appears twice",
        ),
        (
            "line-part",
            // `elec` parts 2.6 = 676 → 600 and 3.8 = 364: 964, against 1,040.
            Box::new(|d| d["lines"][0]["parts"][0]["kgco2e"] = 600.into()),
            "line `elec`: its parts add up to 964 kgCO2e but it says 1040 kgCO2e",
        ),
    ];
    for (name, edit, message) in cases {
        let mut doc = saved.clone();
        edit(&mut doc);
        let file = format!("{name}.json");
        std::fs::write(dir.path().join(&file), doc.to_string()).unwrap();
        let (code, stdout, stderr) = run(dir.path(), &["diff", &file, "2025.yaml"]);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert_eq!(stdout, "", "{name}");
        let errors: String = stderr
            .lines()
            .filter(|l| !l.starts_with("warning"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            errors,
            format!("error: {file}: inconsistent result: {message}\n{help}"),
            "{name}"
        );
    }
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
    // A number without `%` is ambiguous (it used to be read as 5 %): a usage error.
    let (code, _, stderr) = diff(&["--fail-above", "0.05"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: invalid value '0.05' for '--fail-above <[POST:]PERCENT>': `0.05` is a number without `%`, which is ambiguous: write `5%` if you mean the fraction 0.05, or `0.05%` if you mean 0.05 percent\n"
    );
    let (code, _, _) = diff(&["--fail-above", "3.11:100"]);
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
