//! The binary on bad input: every error class of inventory.md names the file, line and column,
//! says what is wrong and what to do, and exits 1. Expected messages are written out in full.

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

use crate::common::run_at;

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
            "error: inv.yaml:11:44: `amortization.years` must be a whole number from 1 to 100: `0`"
        ),
        "{stderr}"
    );
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
        stderr.contains("an input of this run: refusing to overwrite it"),
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
    // The included line follows the inventory's own (default id line-2): 10 k€ of 2022 are
    // 10 × 1.04875 = 10.4875 k€ of 2023 (INSEE, +4.875 % in 2023), × 75 (43445, 2023 prices)
    // = 786.5625; α = exp(2·sqrt((ln √1.1)² + (ln √1.8)²)) − 1 = 0.813872.
    assert!(
        stdout.ends_with("line-2,Infogérance,3.9,43445,10,k€,786.5625,0.813872\n"),
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

#[test]
fn init_writes_a_starter_that_checks_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_at(dir.path(), &["init", "--year", "2024"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(
        stderr,
        "wrote 2024.yaml: fill in the quantities, then `bilan check 2024.yaml`\n"
    );
    let path = dir.path().join("2024.yaml");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("period:\n  year: 2024"), "{written}");
    assert!(written.contains("acquired: 2024"), "{written}");
    assert!(!written.contains("{YEAR}") && !written.contains("{FILE}"));

    // Every quantity is 0: the starter checks and computes to nothing, never to a made-up figure.
    let (code, _, stderr) = run_at(dir.path(), &["check", "2024.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, json, _) = run_at(dir.path(), &["compute", "2024.yaml", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(json.contains("\"total\": {\n    \"kgco2e\": 0,"), "{json}");

    // Filled in: 1,000 kWh of the 2024 French mix (43642, 0.0519 kgCO2e/kWh) = 51.9 kgCO2e.
    let filled = written.replacen(
        "factor: \"43642\"                 # Électricité 2024, mix moyen France → 2.6 (amont en 3.8)\n    quantity: 0",
        "factor: \"43642\"\n    quantity: 1000",
        1,
    );
    assert_ne!(filled, written);
    std::fs::write(dir.path().join("filled.yaml"), &filled).unwrap();
    let (code, json, stderr) = run_at(dir.path(), &["compute", "filled.yaml", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        json.contains("\"total\": {\n    \"kgco2e\": 51.9,"),
        "{json}"
    );

    // A second init refuses and leaves the file as it was.
    std::fs::write(&path, "mine\n").unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["init", "--year", "2024"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: 2024.yaml already exists: bilan init never overwrites a file (give another name, or `-` for standard output)\n"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine\n");

    // `-` writes to standard output.
    let (code, stdout, _) = run_at(dir.path(), &["init", "-", "--year", "2023"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("# Inventaire Bilan Carbone® 2023"),
        "{stdout}"
    );
}

#[test]
fn completions_and_man_page_are_generated_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "_bilan()"),
        ("zsh", "#compdef bilan"),
        ("fish", "complete -c bilan"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, stdout, stderr) = run_at(dir.path(), &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains(marker), "{shell}: {stdout}");
        assert!(stdout.contains("compute"), "{shell} completes the commands");
    }
    let (code, _, stderr) = run_at(dir.path(), &["completions", "tcsh"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, stdout, _) = run_at(dir.path(), &["man"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with(".ie \\n(.g .ds Aq"), "{stdout}");
    assert!(stdout.contains(".TH bilan 1"), "{stdout}");
    assert!(stdout.contains("compute"), "{stdout}");
}

#[test]
fn options_that_do_not_go_together_are_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), format!("{HEAD}lines:\n{ELEC}")).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["diff", "inv.yaml"],
            "required arguments were not provided",
        ),
        (
            &[
                "diff",
                "inv.yaml",
                "inv.yaml",
                "--factors-old",
                "a.csv",
                "--factors-new",
                "b.csv",
            ],
            "cannot be used with '--factors-old <OLD.csv>'",
        ),
        (
            &["compute", "inv.yaml", "--lines"],
            "error: --lines applies to --format csv; JSON always lists the lines\n",
        ),
        (
            &[
                "compute",
                "inv.yaml",
                "--view",
                "ghg-protocol",
                "--by",
                "site",
            ],
            "error: --view applies to one inventory, without --lines or --by\n",
        ),
        (
            &["compute", "inv.yaml", "--by", "site", "--format", "json"],
            "error: --by applies to --format table, md or csv",
        ),
        (
            &[
                "compute", "inv.yaml", "inv.yaml", "--lines", "--format", "csv",
            ],
            "error: --lines and --by apply to one inventory, not to a trend of several\n",
        ),
        (
            &["trajectory", "inv.yaml", "--until", "2010"],
            "error: --until 2010 is before the inventory's year 2022: give a year from 2022 on\n",
        ),
    ];
    for (args, message) in cases {
        let (code, stdout, stderr) = run_at(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(
            stderr.ends_with("For more information, try '--help'.\n"),
            "{stderr}"
        );
        assert_eq!(stdout, "", "{args:?}");
    }
}

#[test]
fn the_report_is_html_and_says_how_to_get_a_pdf() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), format!("{HEAD}lines:\n{ELEC}")).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["report", "inv.yaml", "-o", "bilan.PDF"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: --output bilan.PDF: the report is HTML, not PDF; write it to a .html file, then print it to PDF from a browser (A4, it is laid out for print)\n\nFor more information, try '--help'.\n"
    );
    assert!(!dir.path().join("bilan.PDF").exists());
    let (code, _, stderr) = run_at(dir.path(), &["report", "inv.yaml", "-o", "bilan.html"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_search_emptied_by_the_unit_filter_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_at(
        dir.path(),
        &["factors", "search", "gaz", "naturel", "--unit", "MWh"],
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    // The embedded base holds natural gas per kWh PCI, kWh PCS and m³ (37132, 37133, 37138) and
    // compressed natural gas per kWh PCI, kg and m³ (27092, 27095, 27096).
    assert_eq!(
        stderr,
        "no factor matches \"gaz naturel\"\n6 factors match without --unit MWh; their units: kgCO2e/kWh PCI, kgCO2e/kWh PCS, kgCO2e/kg, kgCO2e/m3\n"
    );
    let (code, _, stderr) = run_at(dir.path(), &["factors", "search", "zzzz", "--unit", "kWh"]);
    assert_eq!((code, stderr.as_str()), (1, "no factor matches \"zzzz\"\n"));
}

#[test]
fn a_ledger_with_no_entry_in_the_period_is_an_error_not_an_empty_import() {
    let dir = tempfile::tempdir().unwrap();
    let fec = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/fec-2025.txt");
    std::fs::write(dir.path().join("inv.yaml"), format!("{HEAD}lines:\n{ELEC}")).unwrap();
    let (code, stdout, stderr) = run_at(
        dir.path(),
        &[
            "import",
            "fec",
            fec,
            "--inventory",
            "inv.yaml",
            "-o",
            "achats.yaml",
        ],
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        format!(
            "error: {fec}: none of its 48 lines is dated in 2022-01-01 – 2022-12-31 (the period of --inventory): is it the ledger of another year? Give the right FEC, or --year\n"
        )
    );
    assert!(!dir.path().join("achats.yaml").exists());
    let (code, _, stderr) = run_at(dir.path(), &["import", "fec", fec, "--year", "2019"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("dated in 2019-01-01 – 2019-12-31 (--year)"),
        "{stderr}"
    );
    let (code, _, stderr) = run_at(dir.path(), &["import", "fec", fec, "--year", "2025"]);
    assert_eq!(code, 0, "{stderr}");
}

/// `compute` of the IT consultancy example with extra arguments: (exit code, stdout).
fn compute_example(extra: &[&str]) -> (i32, String) {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/conseil-informatique.yaml"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["compute", example];
    args.extend(extra);
    let (code, stdout, _) = run_at(dir.path(), &args);
    (code, stdout)
}

#[test]
fn tables_fit_the_width_asked_for_numbers_never_cut() {
    let widest = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let (code, natural) = compute_example(&[]);
    assert_eq!(code, 0);
    // Into a pipe: the natural width, as before.
    assert_eq!(widest(natural.split("\n\n").nth(1).unwrap()), 135);
    for width in [80usize, 200] {
        let (code, fitted) = compute_example(&["--width", &width.to_string()]);
        assert_eq!(code, 0);
        let table = fitted.split("\n\n").nth(1).unwrap();
        assert!(widest(table) <= width, "{width}: {table}");
        // Every figure of the natural table is still there whole.
        // (French puts a no-break space before %.)
        for figure in [
            "42,96",
            "12,41",
            "28,9\u{a0}%",
            "±34\u{a0}%",
            "100,0\u{a0}%",
        ] {
            assert!(
                natural.contains(figure) && table.contains(figure),
                "{figure}"
            );
        }
        insta::assert_snapshot!(format!("compute-width-{width}"), table);
    }
    let (_, wide) = compute_example(&["--width", "200"]);
    assert_eq!(
        wide, natural,
        "a table narrower than the width is unchanged"
    );
}

#[test]
fn colour_makes_totals_bold_and_empty_posts_dim_only_when_asked() {
    let (_, plain) = compute_example(&[]);
    assert!(!plain.contains('\x1b'));
    let (_, coloured) = compute_example(&["--color", "always"]);
    let line = |start: &str| {
        coloured
            .lines()
            .find(|l| l.contains(start))
            .unwrap()
            .to_string()
    };
    assert!(line(" Total ").contains("\x1b[1m"), "{coloured}");
    assert!(line(" Scope 2 ").contains("\x1b[1m"), "{coloured}");
    assert!(line(" 1.1 ").contains("\x1b[2m"), "not applicable: dim");
    assert!(
        !line(" 2.6 ").contains('\x1b'),
        "a post with figures is plain"
    );
    let (_, never) = compute_example(&["--color", "never"]);
    assert_eq!(never, plain);
}

#[test]
fn explain_rebuilds_a_split_line_and_an_amortised_good_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let text = "bilan: 1
organisation: { name: Test }
period: { year: 2022 }
lines:
  - id: elec
    label: Électricité
    factor: \"42513\"
    quantity: 1000
    unit: kWh
    uncertainty: 5%
  - id: portables
    label: Ordinateurs portables
    factor: \"27002\"
    quantity: 10
    unit: unité
    uncertainty: 20%
    amortization: { acquired: 2021, years: 4 }
";
    std::fs::write(dir.path().join("inv.yaml"), text).unwrap();
    let json = |id: &str| -> serde_json::Value {
        let (code, out, err) = run_at(dir.path(), &["explain", "inv.yaml", id, "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap()
    };
    let num = |v: &serde_json::Value| v.to_string().parse::<f64>().unwrap();

    // 42513 (electricity 2022, 0.052 kgCO2e/kWh ±10 %): 1,000 kWh → 52 kg; the power-station
    // combustion part 0.0338 stays in 2.6 (33.8 kg), 3.8 gets the rest (52 − 33.8 = 18.2).
    let elec = json("elec");
    let line = &elec["line"];
    assert_eq!(line["at"], "inv.yaml:5:5");
    assert_eq!(line["converted_quantity"].to_string(), "1000");
    assert_eq!(line["factor"]["kgco2e"].to_string(), "0.052");
    assert_eq!(line["kgco2e"].to_string(), "52");
    assert_eq!(line["posts"][0]["post"], "2.6");
    assert_eq!(line["posts"][0]["kgco2e"].to_string(), "33.8");
    assert_eq!(line["posts"][1]["post"], "3.8");
    assert_eq!(line["posts"][1]["kgco2e"].to_string(), "18.2");
    assert_eq!(line["factor_parts"][0]["post"], "2.6");
    assert_eq!(line["rule"], "Electricité > … → 2.6");
    // ln k = √((ln 1.05)² + (ln 1.10)²)
    let k_elec = ((1.05f64).ln().powi(2) + (1.10f64).ln().powi(2))
        .sqrt()
        .exp();
    assert!((num(&line["k"]) - k_elec).abs() < 1e-6);

    // 27002 (laptop, 156 kgCO2e/unit ±50 %), 10 bought in 2021 over 4 years: 2022 counts
    // 10 / 4 = 2.5 units, 2.5 × 156 = 390 kg, all in 3.10 (amortised goods are not split).
    let laptops = json("portables");
    let line = &laptops["line"];
    assert_eq!(line["counted_quantity"].to_string(), "2.5");
    assert_eq!(line["amortization"]["years"], 4);
    assert_eq!(line["kgco2e"].to_string(), "390");
    assert_eq!(line["posts"][0]["post"], "3.10");
    assert_eq!(line["posts"][0]["variance_share"].to_string(), "1");
    let k_laptops = ((1.2f64).ln().powi(2) + (1.5f64).ln().powi(2)).sqrt().exp();
    assert!((num(&line["k"]) - k_laptops).abs() < 1e-6);
    // The total's variance: each line counts (E · ln √k)², whole.
    let term = |e: f64, k: f64| (e * k.sqrt().ln()).powi(2);
    let share = term(390.0, k_laptops) / (term(390.0, k_laptops) + term(52.0, k_elec));
    assert!((num(&line["total_variance_share"]) - share).abs() < 1e-6);

    // A post: its lines, largest first.
    let post = json("3.8");
    assert_eq!(post["post"]["kgco2e"].to_string(), "18.2");
    assert_eq!(post["post"]["lines"][0]["id"], "elec");

    // The table says the same in words.
    let (code, table, _) = run_at(
        dir.path(),
        &["explain", "inv.yaml", "portables", "--lang", "en"],
    );
    assert_eq!(code, 0);
    assert!(
        table.starts_with("Line `portables` — Ordinateurs portables (inv.yaml:11:5)\n"),
        "{table}"
    );
    assert!(
        table.contains("acquired 2021, 4 years: 10 / 4 = 2.5 unité"),
        "{table}"
    );
    assert!(table.contains("2.5 × 156 = 390 kgCO2e"), "{table}");

    // An unknown id says which exist.
    let (code, _, stderr) = run_at(dir.path(), &["explain", "inv.yaml", "portable"]);
    assert_eq!(code, 1);
    assert!(
        stderr.ends_with(
            "\nerror: inv.yaml: no line `portable` and no post of that code; closest line ids: portables, elec\n"
        ),
        "{stderr}"
    );
}

#[test]
fn french_diff_prints_factor_changes_with_decimal_commas() {
    let dir = tempfile::tempdir().unwrap();
    let base = |value: &str| {
        format!(
            "id,name,unit,kgco2e,uncertainty,category,part,source\nX1,Chaudière test,kgCO2e/kWh,{value},10,Achats de services > Test,,essai\n"
        )
    };
    std::fs::write(dir.path().join("old.csv"), base("0.25")).unwrap();
    std::fs::write(dir.path().join("new.csv"), base("0.2")).unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        format!("{HEAD}lines:\n  - id: x\n    label: Test\n    factor: X1\n    quantity: 100\n    unit: kWh\n    uncertainty: 5%\n"),
    )
    .unwrap();
    let args = [
        "diff",
        "inv.yaml",
        "--factors-old",
        "old.csv",
        "--factors-new",
        "new.csv",
    ];
    let (code, fr, stderr) = run_at(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    // 0.25 → 0.2 is −20 %.
    assert!(
        fr.contains("X1 Chaudière test: 0,25 → 0,2 kgCO2e/kWh (-20,0\u{a0}%)"),
        "{fr}"
    );
    let mut en_args = args.to_vec();
    en_args.extend(["--lang", "en"]);
    let (_, en, _) = run_at(dir.path(), &en_args);
    assert!(
        en.contains("X1 Chaudière test: 0.25 → 0.2 kgCO2e/kWh (-20.0%)"),
        "{en}"
    );
}

#[test]
fn warnings_have_codes_a_file_a_language_and_can_be_allowed() {
    let dir = tempfile::tempdir().unwrap();
    // 43445 prices euros of 2023; the period is 2022: a price-year warning. The line declares
    // no uncertainty and there is no default: undeclared-quality, and 3.9 at ±152 %.
    let text = format!(
        "{HEAD}lines:\n  - id: conseil\n    label: Conseil\n    factor: \"43445\"\n    quantity: 10\n    unit: k€ (2030) HT\n"
    );
    std::fs::write(dir.path().join("inv.yaml"), &text).unwrap();
    let (code, _, fr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 0);
    assert!(fr.contains("warning: inv.yaml:9:11: ligne `conseil` : le facteur 43445 est en euros de 2023, le montant en euros de 2030, et l'indice des prix n'a pas l'évolution de 2026 : le montant est pris tel quel ; ajoutez-la avec `price_index: { \"2026\": 1.5% }` [price-year]\n"), "{fr}");
    assert!(
        fr.contains("warning: inv.yaml: le poste 3.9 est incertain à ±"),
        "{fr}"
    );
    assert!(fr.contains("[post-uncertainty]\n"), "{fr}");
    let (_, _, en) = run_at(dir.path(), &["check", "inv.yaml", "--lang", "en"]);
    assert!(
        en.contains("warning: inv.yaml:9:11: line `conseil`: factor 43445 prices euros of 2023, the amount is in euros of 2030, and the price index has no change for 2026"),
        "{en}"
    );
    assert!(
        en.contains("warning: inv.yaml: post 3.9 is uncertain at ±"),
        "{en}"
    );

    // --strict fails on them until each code is allowed, on the command line or in the file.
    let (code, _, _) = run_at(dir.path(), &["check", "--strict", "inv.yaml"]);
    assert_eq!(code, 1);
    let all = [
        "--allow",
        "price-year",
        "--allow",
        "undeclared-quality",
        "--allow",
        "post-uncertainty",
        "--allow",
        "not-collected",
    ];
    let mut args = vec!["check", "--strict", "inv.yaml"];
    args.extend(all);
    let (code, _, stderr) = run_at(dir.path(), &args);
    assert_eq!((code, stderr.as_str()), (0, ""));
    std::fs::write(
        dir.path().join("allowed.yaml"),
        text.replace(
            "lines:",
            "allow: [price-year, undeclared-quality, post-uncertainty, not-collected]\nlines:",
        ),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "--strict", "allowed.yaml"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (_, json, _) = run_at(dir.path(), &["compute", "allowed.yaml", "--format", "json"]);
    assert!(
        json.contains("\"warnings\": [],\n  \"allowed_warnings\": [\n    \"price-year\","),
        "{json}"
    );

    // --quiet keeps only errors.
    let (code, _, stderr) = run_at(dir.path(), &["compute", "inv.yaml", "--quiet"]);
    assert_eq!((code, stderr.as_str()), (0, ""));

    // Unknown codes are errors where they are written.
    std::fs::write(
        dir.path().join("typo.yaml"),
        text.replace("lines:", "allow: [price-yaer]\nlines:"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "typo.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: typo.yaml:4:9: unknown warning code `price-yaer`\n"),
        "{stderr}"
    );
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml", "--allow", "nope"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown code `nope`: one of price-year, "),
        "{stderr}"
    );
}

#[test]
fn the_examples_pass_check_strict() {
    let dir = tempfile::tempdir().unwrap();
    for example in ["conseil-informatique", "cooperative", "pme-industrielle"] {
        let path = format!("{}/examples/{example}.yaml", env!("CARGO_MANIFEST_DIR"));
        let (code, _, stderr) = run_at(dir.path(), &["check", "--strict", &path]);
        assert_eq!((code, stderr.as_str()), (0, ""), "{example}");
    }
}

#[test]
fn batch_prints_one_warning_line_per_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let inv = format!(
        "{HEAD}lines:\n  - id: conseil\n    label: Conseil\n    factor: \"43445\"\n    quantity: 10\n    unit: k€ (2030) HT\n"
    );
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/a.yaml"), &inv).unwrap();
    std::fs::write(dir.path().join("in/b.yaml"), &inv).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["batch", "in", "-o", "out", "--lang", "en"]);
    assert_eq!(code, 0, "{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: in/a.yaml: 3 warnings (post-uncertainty, price-year, undeclared-quality); details: bilan check in/a.yaml",
            "warning: in/b.yaml: 3 warnings (post-uncertainty, price-year, undeclared-quality); details: bilan check in/b.yaml",
        ]
    );
    let (code, _, quiet) = run_at(dir.path(), &["batch", "in", "-o", "out2", "--quiet"]);
    assert_eq!((code, quiet.as_str()), (0, ""));
}

#[test]
fn no_silent_fallbacks() {
    let dir = tempfile::tempdir().unwrap();
    // A bare number where a percentage goes is ambiguous.
    std::fs::write(
        dir.path().join("inv.yaml"),
        lines(&ELEC.replace("uncertainty: 5%", "uncertainty: 0.05")),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: inv.yaml:10:18: `uncertainty` is a number without a % sign: `0.05`\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "= help: write 5% if 0.05 is a fraction, or 0.05% if it is already a percentage\n"
        ),
        "{stderr}"
    );
    let (code, _, stderr) = run_at(
        dir.path(),
        &["diff", "inv.yaml", "inv.yaml", "--fail-above", "0.05"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("`0.05` needs a % sign: write 5% if 0.05 is a fraction, or 0.05% if it is already a percentage"), "{stderr}");

    std::fs::write(dir.path().join("inv.yaml"), lines(ELEC)).unwrap();

    // An amortisation beyond any sensible period is an error, not a good counted whole.
    std::fs::write(
        dir.path().join("amort.yaml"),
        lines("  - { id: pc, label: PC, factor: \"27002\", quantity: 1, unit: unité, uncertainty: 5%, amortization: { acquired: 2022, years: 4294967296 } }\n"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "amort.yaml"]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: amort.yaml:5:125: `amortization.years` must be a whole number from 1 to 100: `4294967296`\n"), "{stderr}");

    // Own factor CSV: a part given twice, or parts above the total.
    let header = "id,name,unit,kgco2e,uncertainty,category,part,source\n";
    std::fs::write(
        dir.path().join("twice.csv"),
        format!("{header}X,Gaz,kgCO2e/kWh,0.2,10,Combustibles > Fossiles,,s\nX,Gaz,kgCO2e/kWh,0.15,10,Combustibles > Fossiles,Combustion,s\nX,Gaz,kgCO2e/kWh,0.15,10,Combustibles > Fossiles,Combustion,s\n"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml", "--factors", "twice.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("twice.csv:4:1: part `Combustion` of factor `X` is given twice"),
        "{stderr}"
    );
    std::fs::write(
        dir.path().join("above.csv"),
        format!("{header}X,Gaz,kgCO2e/kWh,0.2,10,Combustibles > Fossiles,,s\nX,Gaz,kgCO2e/kWh,0.15,10,Combustibles > Fossiles,Combustion,s\nX,Gaz,kgCO2e/kWh,0.1,10,Combustibles > Fossiles,Fuites,s\n"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml", "--factors", "above.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("above.csv:4:1: the parts of factor `X` add up to more than its total 0.2 (beyond 0.5 %)"),
        "{stderr}"
    );

    // A defective row of a supplied base: the line never takes the embedded value instead.
    let export = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/factors/base_carbone_v23.6_default.csv"
    ))
    .unwrap();
    let mut rows = export.lines();
    let header = rows.next().unwrap();
    let element = rows.find(|r| r.starts_with("Elément;42513;")).unwrap();
    let broken = element.replacen(";0,052;", ";1 000,5;", 1);
    assert_ne!(broken, element);
    std::fs::write(dir.path().join("base.csv"), format!("{header}\n{broken}\n")).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml", "--factors", "base.csv"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error: inv.yaml:7:13: factor `42513`: its row in base.csv:2 is defective"),
        "{stderr}"
    );
}

#[test]
fn line_modifiers_only_where_they_mean_something() {
    let dir = tempfile::tempdir().unwrap();
    let check = |body: &str| {
        std::fs::write(dir.path().join("m.yaml"), lines(body)).unwrap();
        run_at(dir.path(), &["check", "m.yaml"])
    };
    // purpose: on electricity, direction: on a train ticket, mobile: on a purchase.
    let (code, _, stderr) = check(&ELEC.replace(
        "    uncertainty: 5%\n",
        "    uncertainty: 5%\n    purpose: business\n",
    ));
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: m.yaml:11:14: line `elec`: `purpose:` means nothing for factor 42513 (category \"Electricité > Mix réseau électrique > France continentale > Moyen\")\n"), "{stderr}");
    let (code, _, stderr) = check(
        "  - { id: tgv, label: TGV, factor: \"43256\", quantity: 1000, unit: p.km, uncertainty: 5%, purpose: business, direction: upstream }\n",
    );
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: m.yaml:5:120: line `tgv`: `direction:` means nothing for factor 43256"
        ),
        "{stderr}"
    );
    let (code, _, stderr) = check(
        "  - { id: conseil, label: Conseil, factor: \"43445\", quantity: 10, unit: k€, uncertainty: 5%, mobile: true }\n",
    );
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: m.yaml:5:102: line `conseil`: `mobile:` means nothing for factor 43445"
        ),
        "{stderr}"
    );
    // A monetary ratio of air transport needs to say who or what travels.
    let (code, _, stderr) = check(
        "  - { id: avion, label: Billets, factor: \"43565\", quantity: 10, unit: k€, uncertainty: 5% }\n",
    );
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: m.yaml:5:5: line `avion` uses a monetary ratio of transport (factor 43565 \"Transports aériens - 2023\"): say whether it carries people or goods\n"), "{stderr}");

    // With purpose: the air ratio goes to business travel; fuel for vehicles the organisation
    // does not own goes whole to the trip's post (25775, diesel B7, 3.1 kgCO2e/L: 100 L → 310).
    std::fs::write(
        dir.path().join("ok.yaml"),
        lines("  - { id: avion, label: Billets, factor: \"43565\", quantity: 10, unit: k€ (2023) HT, uncertainty: 5%, purpose: business }\n  - { id: gazole, label: Gazole des véhicules personnels, factor: \"25775\", quantity: 100, unit: litre, uncertainty: 5%, purpose: business }\n"),
    )
    .unwrap();
    let (code, json, stderr) = run_at(dir.path(), &["compute", "ok.yaml", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let post = |code: &str| {
        json["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap()["kgco2e"]
            .to_string()
    };
    // 10 k€ × 914 = 9,140 and 310: 9,450 in 3.13; nothing in 1.2 or 3.8.
    assert_eq!(post("3.13"), "9450");
    assert_eq!(post("1.2"), "0");
    assert_eq!(post("3.8"), "0");
}

#[test]
fn monetary_amounts_are_brought_to_the_ratio_price_year() {
    let dir = tempfile::tempdir().unwrap();
    let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    // 20 k€ of 2019 on 43445 (75 kgCO2e per k€ of 2023): × 1.00480 × 1.01642 × 1.05223 ×
    // 1.04875 (INSEE's annual changes of 2020–2023, factors/price_index.csv), then × 75.
    std::fs::write(
        dir.path().join("inv.yaml"),
        lines("  - { id: conseil, label: Conseil, factor: \"43445\", quantity: 20, unit: keuro (2019) HT, uncertainty: 5% }\n"),
    )
    .unwrap();
    let (code, json, stderr) = run_at(dir.path(), &["compute", "inv.yaml", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let multiplier = d("1.00480") * d("1.01642") * d("1.05223") * d("1.04875");
    let line = &json["lines"][0];
    assert_eq!(line["price_conversion"]["from_year"], 2019);
    assert_eq!(line["price_conversion"]["to_year"], 2023);
    assert_eq!(
        line["price_conversion"]["multiplier"].to_string(),
        multiplier.normalize().to_string()
    );
    assert_eq!(
        line["price_conversion"]["index"],
        "INSEE IPC, annual average change (factors/price_index.csv)"
    );
    assert_eq!(
        line["kgco2e"].to_string(),
        (d("20") * multiplier * d("75")).normalize().to_string()
    );
    // About 1,690.5 kg instead of the 1,500 an unconverted amount would give.
    assert!(
        line["kgco2e"].to_string().starts_with("1690.5"),
        "{}",
        line["kgco2e"]
    );

    // The inventory's own changes replace the shipped ones (2021: +2 %, 2026: +1.5 %).
    std::fs::write(
        dir.path().join("own.yaml"),
        format!("{HEAD}price_index: {{ \"2021\": 2%, \"2026\": -1.5% }}\nlines:\n  - {{ id: c, label: C, factor: \"43445\", quantity: 20, unit: keuro (2019) HT, uncertainty: 5% }}\n  - {{ id: f, label: F, factor: \"43445\", quantity: 10, unit: keuro (2026) HT, uncertainty: 5% }}\n"),
    )
    .unwrap();
    let (code, json, stderr) = run_at(dir.path(), &["compute", "own.yaml", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let own = d("1.00480") * d("1.02") * d("1.05223") * d("1.04875");
    assert_eq!(
        json["lines"][0]["price_conversion"]["multiplier"].to_string(),
        own.normalize().to_string()
    );
    assert_eq!(
        json["lines"][0]["price_conversion"]["index"],
        "INSEE IPC, annual average change (factors/price_index.csv) + the inventory's price_index:"
    );
    // 2026 → 2023: ÷ (1.02001 × 1.00943 × 0.985).
    let back = rust_decimal::Decimal::ONE / (d("1.02001") * d("1.00943") * d("0.985"));
    assert_eq!(
        json["lines"][1]["price_conversion"]["multiplier"].to_string(),
        back.normalize().to_string()
    );

    // A bare number is ambiguous here too.
    std::fs::write(
        dir.path().join("bad.yaml"),
        format!("{HEAD}price_index: {{ \"2026\": 0.015 }}\nlines:\n{ELEC}"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "bad.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: bad.yaml:4:24: `price_index` is a number without a % sign: `0.015`\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_pci_or_pcs_quantity_never_meets_a_bare_kwh_factor_silently() {
    let dir = tempfile::tempdir().unwrap();
    // 25829 (wood pellets in a boiler, Label E+/C-) is per bare kWh: PCI or PCS is not said.
    std::fs::write(
        dir.path().join("inv.yaml"),
        lines("  - { id: bois, label: Granulés, factor: \"25829\", quantity: 1000, unit: kWh PCS, uncertainty: 5% }\n"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: inv.yaml:5:73: the line is in `kWh PCS` but factor 25829 is per bare `kWh`, which does not say PCI or PCS (they differ by about 10 % for natural gas)\n"), "{stderr}");
    assert!(stderr.contains("= help: choose a factor per kWh PCS (`bilan factors search …`), or write `unit: kWh` if you know the factor's kWh is on the same basis as your PCS figure\n"), "{stderr}");
    // Said plainly, the user takes responsibility: 1,000 kWh × 0.027 = 27 kg.
    std::fs::write(
        dir.path().join("inv.yaml"),
        lines("  - { id: bois, label: Granulés, factor: \"25829\", quantity: 1000, unit: kWh, uncertainty: 5% }\n"),
    )
    .unwrap();
    let (code, json, stderr) = run_at(dir.path(), &["compute", "inv.yaml", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(json.contains("\"total\": {\n    \"kgco2e\": 27,"), "{json}");
}

#[test]
fn the_yaml_and_json_libraries_words_never_reach_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            lines(
                "  - id: a\n    label: A\n    label: B\n    factor: \"42513\"\n    quantity: 1\n    unit: kWh\n",
            ),
            "error: inv.yaml:7:5: `label` is given twice in the same place\n",
            "keep one `label:`",
        ),
        (
            lines(
                "  - id: a\n    label: A\n    factor: \"42513\"\n    quantity: ~\n    unit: kWh\n",
            ),
            "error: inv.yaml:8:15: a value is missing here (`~` or nothing after the colon is YAML's null)\n",
            "write the value, or remove the key if it is optional",
        ),
        (
            lines("  - id: a\n    label: A\n    factor: 042513\n    quantity: 1\n    unit: kWh\n"),
            "error: inv.yaml:7:5: a factor id written as a number (read as 42513.0): a leading zero or a decimal point changes it\n",
            "quote factor ids: `factor: \"042513\"`",
        ),
    ];
    for (text, first, help) in cases {
        std::fs::write(dir.path().join("inv.yaml"), text).unwrap();
        let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
        assert_eq!(code, 1);
        assert!(stderr.starts_with(first), "{stderr}");
        assert!(stderr.contains(help), "{stderr}");
        assert!(
            !stderr.contains("Option<") && !stderr.contains("DuplicateKeyPolicy"),
            "{stderr}"
        );
    }
    std::fs::write(dir.path().join("a.json"), "{\"posts\": []}").unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["diff", "a.json", "a.json"]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: a.json: not a bilan JSON result: it has no `schema` (a result saved by bilan says \"schema\": \"bilan.result/1\")\n"), "{stderr}");
    std::fs::write(
        dir.path().join("b.json"),
        "{\"schema\": \"bilan.result/1\", \"posts\": [{\"code\": \"1.1\", \"kgco2e\": \"12\"}]}",
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["diff", "b.json", "b.json"]);
    assert_eq!(code, 1);
    // Where it went wrong: the line and column, and the field's path in the document.
    assert!(stderr.starts_with("error: b.json:1:70: not a bilan JSON result: posts[0].kgco2e: the string \"12\" where a number goes (write 12, without quotes)\n"), "{stderr}");
}

#[test]
fn an_inventory_may_hold_its_lines_only_in_included_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "bilan: 1\norganisation: { name: X }\nperiod: { year: 2024 }\ninclude: [lines.csv]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("lines.csv"),
        "label,factor,quantity,unit\nÉlectricité,42513,21340,kWh\n",
    )
    .unwrap();
    let (code, json, stderr) =
        crate::common::run_at(dir.path(), &["compute", "inv.yaml", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    // 21,340 kWh × 0.052 kgCO2e/kWh.
    assert_eq!(value["total"]["kgco2e"], serde_json::json!(1109.68));

    std::fs::write(
        dir.path().join("none.yaml"),
        "bilan: 1\norganisation: { name: X }\nperiod: { year: 2024 }\n",
    )
    .unwrap();
    let (code, _, stderr) = crate::common::run_at(dir.path(), &["check", "none.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: none.yaml:1:1: the inventory has no `lines:`\n"),
        "{stderr}"
    );
}
