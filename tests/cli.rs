//! The binary on bad input: every error class of inventory.md names the file, line and column,
//! says what is wrong and what to do, and exits 1. Expected messages are written out in full.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

const HEAD: &str = "bilan: 1
organisation: { name: Test }
period: { year: 2022 }
";

/// Runs `bilan ARGS` in a temporary folder holding `inv.yaml` = `text`.
fn run_in(text: &str, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), text).unwrap();
    run_at(dir.path(), args)
}

mod common;
use common::run_at;

fn check(text: &str) -> (i32, String) {
    let (code, _, stderr) = run_in(text, &["check", "inv.yaml"]);
    (code, stderr)
}

fn lines(body: &str) -> String {
    format!("{HEAD}lines:\n{body}")
}

const ELEC: &str = "  - id: elec
    label: Électricité
    factor: \"42513\"
    quantity: 21340
    unit: kWh
    uncertainty: 5%
";

#[test]
fn a_good_inventory_checks_silently() {
    let (code, stderr) = check(&lines(ELEC));
    assert_eq!(stderr, "");
    assert_eq!(code, 0);
}

#[test]
fn malformed_yaml() {
    let (code, stderr) = check(&format!("{HEAD}lines:\n  - label: [unclosed\n"));
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: inv.yaml:5:"), "{stderr}");
}

#[test]
fn unknown_field_with_did_you_mean() {
    let (code, stderr) = check(&lines(&ELEC.replace("quantity:", "qantity:")));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: inv.yaml:8:5: unknown field `qantity`\n"),
        "{stderr}"
    );
    assert!(stderr.contains("8 |     qantity: 21340\n"), "{stderr}");
    assert!(
        stderr.contains("= help: did you mean `quantity`?"),
        "{stderr}"
    );
}

#[test]
fn missing_required_field() {
    let (code, stderr) = check(&lines(&ELEC.replace("    unit: kWh\n", "")));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: inv.yaml:9:5: missing field `unit`"),
        "{stderr}"
    );
}

#[test]
fn duplicate_line_id() {
    let (code, stderr) = check(&lines(&format!("{ELEC}{ELEC}")));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: inv.yaml:11:9: duplicate line id `elec`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: line ids must be unique"),
        "{stderr}"
    );
}

#[test]
fn unknown_factor_id_lists_the_closest() {
    let (code, stderr) = check(&lines(&ELEC.replace("\"42513\"", "\"42531\"")));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: inv.yaml:7:13: unknown factor id `42531`\n"),
        "{stderr}"
    );
    assert!(stderr.contains("= help: closest: "), "{stderr}");
    assert!(
        stderr.contains("42513 (Electricité - 2022 - mix moyen - consommation)"),
        "{stderr}"
    );
    assert!(stderr.contains("bilan factors search"), "{stderr}");
}

#[test]
fn negative_and_non_numeric_quantities() {
    let (code, stderr) = check(&lines(&ELEC.replace("21340", "-5")));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: inv.yaml:8:15: negative quantity `-5`"),
        "{stderr}"
    );
    for bad in ["douze", ".inf", "NaN", "1e40", "1 000"] {
        let (code, stderr) = check(&lines(&ELEC.replace("21340", bad)));
        assert_eq!(code, 1, "{bad}");
        assert!(
            stderr.starts_with("error: inv.yaml:8:15: `quantity` is "),
            "{bad}: {stderr}"
        );
        assert!(stderr.contains(&format!("`{bad}`")), "{bad}: {stderr}");
    }
    let (_, stderr) = check(&lines(&ELEC.replace("21340", "1e40")));
    assert!(stderr.contains("out of range"), "{stderr}");
}

#[test]
fn percentage_outside_0_1000() {
    let (code, stderr) = check(&lines(&ELEC.replace("5%", "1200%")));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: inv.yaml:10:18: `uncertainty` is outside 0–1000 %: `1200%`"),
        "{stderr}"
    );
}

#[test]
fn quality_score_outside_1_5() {
    let body = ELEC.replace(
        "uncertainty: 5%",
        "quality: { reliability: 6, technical: 3 }",
    );
    let (code, stderr) = check(&lines(&body));
    assert_eq!(code, 1);
    assert!(
        stderr
            .starts_with("error: inv.yaml:10:29: quality score `reliability` is outside 1–5: `6`"),
        "{stderr}"
    );
}

#[test]
fn unknown_post_code() {
    let (code, stderr) = check(&lines(&format!("{ELEC}    post: \"3.23\"\n")));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: inv.yaml:11:11: unknown post `3.23`"),
        "{stderr}"
    );
    assert!(stderr.contains("= help: posts are: 1.1, 1.2,"), "{stderr}");
}

#[test]
fn not_applicable_post_with_lines() {
    let text = format!(
        "{HEAD}posts:\n  \"2.6\": {{ status: not-applicable, reason: Pas d'électricité }}\nlines:\n{ELEC}"
    );
    let (code, stderr) = check(&text);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: inv.yaml:5:10: post 2.6 is declared not-applicable but 1 line(s) go to it"
        ),
        "{stderr}"
    );
}

#[test]
fn unit_mismatch_names_both_units() {
    let (code, stderr) = check(&lines(&ELEC.replace("unit: kWh", "unit: litre")));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: inv.yaml:9:11: unit mismatch: the line is in 'litre' (volume) but factor 42513 is per 'kWh' (energy)"
        ),
        "{stderr}"
    );
}

#[test]
fn amortization_years_below_one() {
    let body = format!("{ELEC}    amortization: {{ acquired: 2020, years: 0 }}\n");
    let (code, stderr) = check(&lines(&body));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: inv.yaml:11:44: `amortization.years` must be a whole number ≥ 1: `0`"
        ),
        "{stderr}"
    );
}

/// A period beyond 100 years (or beyond any integer) is an error at its position; it used to
/// drop the amortisation and count the whole good in the year.
#[test]
fn amortization_years_beyond_a_century() {
    for (years, column) in [
        ("4294967296", 44),
        ("101", 44),
        ("99999999999999999999999", 44),
    ] {
        let body = format!("{ELEC}    amortization: {{ acquired: 2020, years: {years} }}\n");
        let (code, stderr) = check(&lines(&body));
        assert_eq!(code, 1, "{years}");
        assert!(
            stderr.starts_with(&format!(
                "error: inv.yaml:11:{column}: `amortization.years` is {years}: an amortisation period is at most 100 years\n"
            )),
            "{stderr}"
        );
    }
    // 100 years is accepted.
    let body = format!("{ELEC}    amortization: {{ acquired: 2020, years: 100 }}\n");
    let (code, stderr) = check(&lines(&body));
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn period_end_before_start() {
    let text = lines(ELEC).replace(
        "period: { year: 2022 }",
        "period: { start: 2022-12-31, end: 2022-01-01 }",
    );
    let (code, stderr) = check(&text);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: inv.yaml:3:35: the period ends (2022-01-01) before it starts (2022-12-31)"
        ),
        "{stderr}"
    );
}

#[test]
fn passenger_transport_needs_a_purpose() {
    let body = "  - label: TGV\n    factor: \"43256\"\n    quantity: 1000\n    unit: p.km\n    uncertainty: 10%\n";
    let (code, stderr) = check(&lines(body));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: inv.yaml:5:5: line `line-1` is passenger transport"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "`purpose: business` (3.13), `purpose: commute` (3.22) or `purpose: visitors` (3.16)"
        ),
        "{stderr}"
    );
}

#[test]
fn bare_kwh_against_a_pci_factor_asks_which() {
    let body = "  - label: Gaz\n    factor: \"37132\"\n    quantity: 1000\n    unit: kWh\n    uncertainty: 5%\n";
    let (code, stderr) = check(&lines(body));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("is the invoice in kWh PCI or kWh PCS?"),
        "{stderr}"
    );
}

#[test]
fn all_errors_are_reported_at_once() {
    let body = format!(
        "{}{}",
        ELEC.replace("21340", "-1"),
        ELEC.replace("id: elec", "id: elec2").replace("5%", "2000%")
    );
    let (code, stderr) = check(&lines(&body));
    assert_eq!(code, 1);
    assert_eq!(stderr.matches("error: ").count(), 2, "{stderr}");
}

#[test]
fn file_problems() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "missing.yaml"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            1,
            "error: missing.yaml: cannot open: no such file\n  = help: check the path (relative paths start from the current directory, or from the inventory for `factors:`)\n"
        )
    );
    std::fs::create_dir(dir.path().join("folder.yaml")).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "folder.yaml"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("folder.yaml: is a directory"), "{stderr}");
    std::fs::write(dir.path().join("empty.yaml"), "").unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "empty.yaml"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("empty.yaml: the file is empty"), "{stderr}");
    std::fs::write(
        dir.path().join("latin1.yaml"),
        b"bilan: 1\norganisation: { name: Soci\xe9t\xe9 }\n",
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "latin1.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("latin1.yaml:2: the file is not UTF-8 text"),
        "{stderr}"
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = format!("\u{feff}{}", lines(ELEC)).replace('\n', "\r\n");
    let (code, stderr) = check(&text);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, _) = run_in("", &["compute"]);
    assert_eq!(code, 2);
    let (code, _, _) = run_in("", &["compute", "inv.yaml", "--format", "xml"]);
    assert_eq!(code, 2);
}

#[test]
fn output_is_written_atomically_and_never_onto_an_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), lines(ELEC)).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["compute", "inv.yaml", "-o", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("is one of the inputs: refusing to overwrite it"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("inv.yaml")).unwrap(),
        lines(ELEC)
    );
    let (code, stdout, _) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--format", "json", "-o", "out.json"],
    );
    assert_eq!((code, stdout.as_str()), (0, ""));
    let json = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    assert!(json.contains("\"kgco2e\": 1109.68"), "{json}");
    // A failing run leaves the previous result intact.
    std::fs::write(dir.path().join("bad.yaml"), "bilan: 1\n").unwrap();
    let (code, _, _) = run_at(
        dir.path(),
        &["compute", "bad.yaml", "--format", "json", "-o", "out.json"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.json")).unwrap(),
        json
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".bilan-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn inventory_factor_files_are_relative_to_the_inventory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("client")).unwrap();
    std::fs::write(
        dir.path().join("client/fournisseurs.csv"),
        "id,name,unit,kgco2e,uncertainty,category,part,source\nHEB,Hébergement fournisseur,kgCO2e/keuro,420,30,Achats de services > Hébergement,,Bilan fournisseur 2024\n",
    )
    .unwrap();
    let text = format!(
        "{HEAD}factors: [fournisseurs.csv]\nlines:\n  - label: Hébergement\n    factor: HEB\n    quantity: 12\n    unit: k€\n    uncertainty: 5%\n"
    );
    std::fs::write(dir.path().join("client/inv.yaml"), text).unwrap();
    let (code, stdout, stderr) = run_at(
        dir.path(),
        &["compute", "client/inv.yaml", "--format", "csv"],
    );
    assert_eq!(code, 0, "{stderr}");
    // 12 k€ × 420 = 5,040 in 3.9.
    assert!(
        stdout.contains("\n3.9,3,Achats de produits ou services,collected,5040,1,"),
        "{stdout}"
    );
}

/// A number without `%` where a percentage is expected is ambiguous (it used to be read as
/// a percentage: `0.05` gave ±0.05 %): an error with both readings. Zero, the same either
/// way, is accepted.
#[test]
fn a_percentage_without_percent_sign_is_ambiguous() {
    let text = format!(
        "{HEAD}defaults: {{ uncertainty: 0.05 }}\npublished: {{ total_kgco2e: 52, tolerance: 1 }}\nlines:\n{}  - label: Inline\n    factor: {{ name: X, kgco2e: 1, unit: kgCO2e/kg, source: moi, uncertainty: 20 }}\n    quantity: 1\n    unit: kg\n    uncertainty: 0\n",
        ELEC.replace("uncertainty: 5%", "uncertainty: 0.05")
    );
    let (code, stderr) = check(&text);
    assert_eq!(code, 1);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error") || l.starts_with("  = help"))
        .collect();
    assert_eq!(
        errors,
        [
            "error: inv.yaml:12:18: `uncertainty` is a number without `%`: `0.05` is ambiguous",
            "  = help: write `5%` if you mean the fraction 0.05, or `0.05%` if you mean 0.05 percent",
            "error: inv.yaml:14:78: `uncertainty` is a number without `%`: `20` is ambiguous",
            "  = help: write `2000%` if you mean the fraction 20, or `20%` if you mean 20 percent",
            "error: inv.yaml:4:26: `defaults.uncertainty` is a number without `%`: `0.05` is ambiguous",
            "  = help: write `5%` if you mean the fraction 0.05, or `0.05%` if you mean 0.05 percent",
            "error: inv.yaml:5:43: `published.tolerance` is a number without `%`: `1` is ambiguous",
            "  = help: write `100%` if you mean the fraction 1, or `1%` if you mean 1 percent",
        ]
    );
}

#[test]
fn published_figures_lock_the_results() {
    // 21,340 kWh × 0.052 = 1,109.68 in total, 721.292 in 2.6.
    let locked = |tolerance: &str| {
        format!(
            "{HEAD}published:\n  total_kgco2e: 1100\n  tolerance: {tolerance}\n  posts: {{ \"2.6\": 721.292 }}\nlines:\n{ELEC}"
        )
    };
    let (code, stderr) = check(&locked("1%"));
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (code, stderr) = check(&locked("0.5%"));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: inv.yaml:5:17: the total is now 1109.68 kgCO2e, published 1100 kgCO2e (+0.88 %): beyond the tolerance of 0.5 %"),
        "{stderr}"
    );
    let (code, _, _) = run_in(&locked("0.5%"), &["compute", "inv.yaml"]);
    assert_eq!(code, 1);
}

/// The same file included under two spellings is an error (its lines used to count twice,
/// with ids `line-2` and `line-3`); so is an inventory including itself.
#[test]
fn a_file_included_twice() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("achats")).unwrap();
    std::fs::write(
        dir.path().join("achats/a.yaml"),
        "lines:\n  - label: Infogérance\n    factor: \"43445\"\n    quantity: 10\n    unit: k€\n    uncertainty: 10%\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        format!(
            "{HEAD}include: [achats/a.yaml, ./achats/../achats/a.yaml, inv.yaml]\nlines:\n{ELEC}"
        ),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: inv.yaml:4:26: `./achats/../achats/a.yaml` is included twice (already as `achats/a.yaml`)
  = help: include each file once; its lines would otherwise count twice
error: inv.yaml:4:53: `inv.yaml` is the inventory itself
  = help: include each file once; its lines would otherwise count twice
"
    );
}

#[test]
fn included_lines_are_added() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("achats")).unwrap();
    std::fs::write(
        dir.path().join("achats/2022.yaml"),
        "lines:\n  - label: Infogérance\n    factor: \"43445\"\n    quantity: 10\n    unit: k€\n    uncertainty: 10%\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        format!("{HEAD}include: [achats/2022.yaml]\nlines:\n{ELEC}"),
    )
    .unwrap();
    let (code, stdout, stderr) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--format", "csv", "--lines"],
    );
    assert_eq!(code, 0, "{stderr}");
    // The included line follows the inventory's own (default id line-2): 10 k€ × 75 = 750,
    // α = exp(2·sqrt((ln √1.1)² + (ln √1.8)²)) − 1 = 0.813872 (10 % activity, 80 % factor).
    assert!(
        stdout.ends_with("line-2,Infogérance,3.9,43445,10,k€,750,0.813872\n"),
        "{stdout}"
    );
    // Errors point into the included file; a repeated id across files is an error.
    std::fs::write(
        dir.path().join("achats/2022.yaml"),
        "lines:\n  - id: elec\n    label: Infogérance\n    factor: \"43445\"\n    quantity: -3\n    unit: k€\n",
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: achats/2022.yaml:2:9: duplicate line id `elec`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: achats/2022.yaml:5:15: negative quantity `-3`"),
        "{stderr}"
    );
    std::fs::remove_file(dir.path().join("achats/2022.yaml")).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: inv.yaml:4:11: cannot include `achats/2022.yaml`: cannot open: no such file"
        ),
        "{stderr}"
    );
}
