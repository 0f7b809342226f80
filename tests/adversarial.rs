//! Hostile and broken inputs: every one ends in a clear error (exit 1 for the binary), quickly
//! and in bounded memory, never in a panic; outputs are never half-written nor written onto an
//! input. `tests/cli.rs` covers the common cases (missing file, directory, empty file, Latin-1,
//! BOM + CRLF, `.inf`/`NaN`/`1e40` quantities, `-o` onto the inventory); this file adds the rest.

use bilan::compute::compute;
use bilan::error::InputErrors;
use bilan::load::{ademe, factor_csv, inventory};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const HEAD: &str = "bilan: 1
organisation: { name: Test }
period: { year: 2022 }
";

const ELEC: &str = "  - { id: elec, label: Électricité, factor: \"42513\", quantity: 21340, unit: kWh, uncertainty: 5% }\n";

/// Runs `bilan ARGS` in `dir`: (exit code, stdout, stderr).
use crate::common::run_at;

/// A temporary folder with `inv.yaml` = `text`.
fn folder_with(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), text).unwrap();
    dir
}

/// Parses `text` as an inventory, expecting errors; checks it took less than `limit`.
fn parse_errors(text: &str, limit: Duration) -> InputErrors {
    let start = Instant::now();
    let result = inventory::parse("inv.yaml", text);
    let elapsed = start.elapsed();
    assert!(elapsed < limit, "took {elapsed:?}");
    match result {
        Ok(_) => panic!("accepted:\n{}", &text[..text.len().min(500)]),
        Err(errors) => errors,
    }
}

fn first_message(errors: &InputErrors) -> &str {
    &errors.0[0].message
}

/// Computes `text` with the embedded base; the errors.
fn compute_errors(text: &str) -> InputErrors {
    let inventory = inventory::parse("inv.yaml", text).unwrap();
    let base = bilan::embedded::base().unwrap();
    match compute(&inventory, &base) {
        Ok(_) => panic!("computed:\n{text}"),
        Err(errors) => errors,
    }
}

// ---- YAML bombs -------------------------------------------------------------------------

/// "Billion laughs": 9 levels of 9 aliases, 10⁹ strings once expanded, under a key whose value
/// is read whole (`actions:` is reserved and skipped, so serde walks all of it).
fn billion_laughs() -> String {
    let mut text = format!(
        "{HEAD}lines:\n  - {{ label: L, factor: \"42513\", quantity: 1, unit: kWh, tags: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol] }}\n"
    );
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "  - {{ label: L, factor: \"42513\", quantity: 1, unit: kWh, tags: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}] }}\n"
        ));
    }
    text
}

/// A bomb is stopped by the budgets, or earlier by the schema: no field of an inventory takes
/// nested lists, so an alias to one is refused before it is expanded.
fn stopped(message: &str) -> bool {
    message.contains("too many values")
        || message.contains("nested too deep")
        || message.starts_with("expected")
}

#[test]
fn billion_laughs_is_stopped_quickly() {
    let errors = parse_errors(&billion_laughs(), Duration::from_secs(5));
    assert!(
        stopped(first_message(&errors)),
        "{}",
        first_message(&errors)
    );
    assert!(errors.0[0].position.line > 3, "{}", errors.0[0].position);
}

#[test]
fn an_alias_bomb_in_the_schema_hits_the_budget() {
    // 10 lines of 9 aliases each to a line of 9 aliases… stays flat for the schema only one
    // level deep, so the budget on values stops it.
    let mut text = format!("{HEAD}defaults: {{ uncertainty: 5% }}\nlines:\n");
    let tags = vec!["*t"; 9_000].join(", ");
    for i in 0..12 {
        text.push_str(&format!(
            "  - {{ label: &t{i} L, factor: \"42513\", quantity: 1, unit: kWh, tags: [{}] }}\n",
            tags.replace("*t", &format!("*t{i}"))
        ));
    }
    let errors = parse_errors(&text, Duration::from_secs(5));
    assert!(
        stopped(first_message(&errors)) || first_message(&errors).contains("aliases"),
        "{}",
        first_message(&errors)
    );
}

#[test]
fn billion_laughs_through_the_binary() {
    let dir = folder_with(&billion_laughs());
    let start = Instant::now();
    let (code, stdout, stderr) = run_at(dir.path(), &["compute", "inv.yaml"]);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.starts_with("error: inv.yaml:"), "{stderr}");
}

#[test]
fn too_many_aliases() {
    // 10,001 aliases of one small string, in one line's tags.
    let tags = vec!["*t"; 10_001].join(", ");
    let text = format!(
        "{HEAD}defaults: {{ uncertainty: 5% }}\nlines:\n  - {{ label: &t L, factor: \"42513\", quantity: 1, unit: kWh, tags: [{tags}] }}\n"
    );
    let errors = parse_errors(&text, Duration::from_secs(5));
    assert_eq!(
        first_message(&errors),
        "the YAML uses too many aliases (more than 10,000 `*name`)"
    );
}

#[test]
fn deep_nesting_is_refused_quickly() {
    let depth = 1_000_000;
    let flow_sequences = format!("{HEAD}lines: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let unclosed = format!("{HEAD}lines: {}\n", "[".repeat(depth));
    let flow_maps = format!(
        "{HEAD}actions: {}1{}\nlines: []\n",
        "{a: ".repeat(100_000),
        "}".repeat(100_000)
    );
    let mut block = format!("{HEAD}actions:\n");
    for i in 1..5_000 {
        block.push_str(&" ".repeat(i));
        block.push_str("- \n");
    }
    block.push_str("lines: []\n");
    for text in [&flow_sequences, &unclosed, &flow_maps, &block] {
        let errors = parse_errors(text, Duration::from_secs(5));
        let message = first_message(&errors);
        assert!(stopped(message), "{message}");
        // The error quotes at most 200 characters of the line, not a megabyte of brackets.
        assert!(
            errors.to_string().len() < 1_000,
            "{}",
            errors.to_string().len()
        );
    }
}

#[test]
fn several_documents_are_one_too_many() {
    let text = format!("{HEAD}lines: []\n---\n{HEAD}lines: []\n");
    let errors = parse_errors(&text, Duration::from_secs(5));
    assert!(
        first_message(&errors).contains("several YAML documents"),
        "{errors}"
    );
}

// ---- Numbers ----------------------------------------------------------------------------

#[test]
fn nan_and_infinities_are_not_numbers_anywhere() {
    for bad in [
        ".nan",
        ".NaN",
        "NAN",
        "-.inf",
        "+.inf",
        ".Inf",
        "Infinity",
        "-Infinity",
        "inf",
        "nan",
    ] {
        let fields = [
            ELEC.replace("21340", bad),
            ELEC.replace("5%", &format!("\"{bad}%\"")),
            ELEC.replace(
                "quantity: 21340",
                &format!("quantity: 1, pci_per_pcs: {bad}"),
            ),
            ELEC.replace(
                "factor: \"42513\"",
                &format!("factor: {{ name: x, kgco2e: {bad}, unit: kgCO2e/kWh, source: s }}"),
            ),
        ];
        for line in fields {
            let errors = parse_errors(&format!("{HEAD}lines:\n{line}"), Duration::from_secs(5));
            assert!(
                first_message(&errors).contains("is not a decimal number"),
                "{bad}: {errors}"
            );
        }
        let indicator =
            format!("{HEAD}indicators:\n  etp: {{ label: ETP, value: {bad} }}\nlines:\n{ELEC}");
        let errors = parse_errors(&indicator, Duration::from_secs(5));
        assert!(
            first_message(&errors).contains("is not a decimal number"),
            "{bad}: {errors}"
        );
    }
    for bad in ["NaN", "inf", "-inf", "Infinity"] {
        let csv = format!(
            "id,name,unit,kgco2e,uncertainty,category,part,source\nA,a,kgCO2e/kg,{bad},,,,s\n"
        );
        let error = factor_csv::load(&Arc::from("f.csv"), &csv, String::new()).unwrap_err();
        assert!(
            error.message.contains("is not a decimal number"),
            "{bad}: {error}"
        );
    }
}

#[test]
fn numbers_beyond_decimal_range_are_errors() {
    for huge in [
        "79228162514264337593543950336",
        "1e29",
        "-1e40",
        "1e-4294967296",
        "1e4294967296",
    ] {
        let errors = parse_errors(
            &format!("{HEAD}lines:\n{}", ELEC.replace("21340", huge)),
            Duration::from_secs(5),
        );
        let message = first_message(&errors);
        assert!(
            message.contains("out of range") || message.contains("negative quantity"),
            "{huge}: {message}"
        );
    }
    // 28 significant digits at most: more is out of range rather than silently rounded.
    let errors = parse_errors(
        &format!(
            "{HEAD}lines:\n{}",
            ELEC.replace("21340", "1.00000000000000000000000000001")
        ),
        Duration::from_secs(5),
    );
    assert!(first_message(&errors).contains("out of range"), "{errors}");
}

#[test]
fn a_quantity_times_its_factor_beyond_range_is_an_error() {
    // 10²⁷ t × 992 kgCO2e/t > 7.9e28.
    let text = format!(
        "{HEAD}lines:\n  - {{ label: Cartons, factor: \"34480\", quantity: 1e27, unit: t, uncertainty: 5% }}\n"
    );
    let errors = compute_errors(&text);
    assert_eq!(
        first_message(&errors),
        "a figure exceeds the range of exact decimals (±7.9e28)"
    );
    assert_eq!(errors.0[0].position.line, 5);
    // The conversion itself: MWh → kWh multiplies by 1000.
    let text = format!(
        "{HEAD}lines:\n  - {{ label: E, factor: \"42513\", quantity: 79228162514264337593543950335, unit: MWh, uncertainty: 5% }}\n"
    );
    assert_eq!(
        first_message(&compute_errors(&text)),
        "a figure exceeds the range of exact decimals (±7.9e28)"
    );
    // kWh PCI → PCS divides by the ratio.
    let text = format!(
        "{HEAD}lines:\n  - {{ label: G, factor: \"37133\", quantity: 79228162514264337593543950335, unit: kWh PCI, pci_per_pcs: 0.001, uncertainty: 5% }}\n"
    );
    assert_eq!(
        first_message(&compute_errors(&text)),
        "a figure exceeds the range of exact decimals (±7.9e28)"
    );
}

#[test]
fn sums_beyond_range_across_lines_are_an_error() {
    let line = |id: &str| {
        format!(
            "  - {{ id: {id}, label: L, factor: {{ name: x, kgco2e: 1, unit: kgCO2e/kg, source: s }}, quantity: 5e28, unit: kg, post: \"3.9\", uncertainty: 5% }}\n"
        )
    };
    let text = format!("{HEAD}lines:\n{}{}", line("a"), line("b"));
    let errors = compute_errors(&text);
    assert_eq!(
        first_message(&errors),
        "a figure exceeds the range of exact decimals (±7.9e28)"
    );
    // Through the binary: exit 1, the file named, nothing on stdout.
    let dir = folder_with(&text);
    let (code, stdout, stderr) = run_at(dir.path(), &["compute", "inv.yaml", "--format", "json"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.starts_with("error: inv.yaml: a figure exceeds the range of exact decimals"),
        "{stderr}"
    );
}

#[test]
fn a_ratio_beyond_range_is_an_error_not_zero() {
    let text = format!(
        "{HEAD}indicators:\n  etp: {{ label: ETP, value: 0.0000000000000000000000000001 }}\nlines:\n{ELEC}"
    );
    let errors = compute_errors(&text);
    assert_eq!(
        first_message(&errors),
        "the ratio per indicator `etp` exceeds the range of exact decimals (±7.9e28)"
    );
}

#[test]
fn a_negative_uncertainty_in_a_factor_csv_is_refused() {
    // It made k = 1 + (−2) = −1, a NaN interval printed as "±0 %".
    let csv = "id,name,unit,kgco2e,uncertainty,category,part,source\nHEB,H,kgCO2e/keuro,420,-200,Achats de services > H,,s\n";
    let error = factor_csv::load(&Arc::from("f.csv"), csv, String::new()).unwrap_err();
    assert_eq!(
        (
            error.position.line,
            error.position.column,
            error.message.as_str()
        ),
        (2, 5, "column \"uncertainty\": `-200` is negative")
    );
}

// ---- Encodings and file shapes ----------------------------------------------------------

#[test]
fn odd_encodings_and_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    let good = format!("{HEAD}lines:\n{ELEC}");
    let files: [(&str, Vec<u8>, &str); 6] = [
        (
            "bom-only.yaml",
            b"\xEF\xBB\xBF".to_vec(),
            "bom-only.yaml: the file is empty",
        ),
        (
            "blank.yaml",
            b" \n\t\n".to_vec(),
            "blank.yaml: the file is empty",
        ),
        (
            "comments.yaml",
            b"# rien\n".to_vec(),
            "the file is empty or ends early",
        ),
        (
            "utf16.yaml",
            std::iter::once([0xFF, 0xFE])
                .chain(good.encode_utf16().map(u16::to_le_bytes))
                .flatten()
                .collect(),
            "utf16.yaml:1: the file is not UTF-8 text",
        ),
        (
            "late-latin1.yaml",
            [good.as_bytes(), b"  # caf\xE9\n"].concat(),
            "late-latin1.yaml:6: the file is not UTF-8 text",
        ),
        ("nul.yaml", format!("{HEAD}\0\n").into_bytes(), "nul.yaml:"),
    ];
    for (name, bytes, expected) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let (code, _, stderr) = run_at(dir.path(), &["check", name]);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    // Old Mac line ends (CR alone) are YAML line breaks.
    std::fs::write(dir.path().join("cr.yaml"), good.replace('\n', "\r")).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "cr.yaml"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn inventories_above_256_mb_are_refused_without_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    // A sparse file: 257 MB long, nothing written, nothing read.
    let file = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    file.set_len(257 * 1024 * 1024).unwrap();
    let big_base = std::fs::File::create(dir.path().join("huge.csv")).unwrap();
    big_base.set_len(300 * 1024 * 1024).unwrap();
    std::fs::write(dir.path().join("inv.yaml"), format!("{HEAD}lines:\n{ELEC}")).unwrap();
    let start = Instant::now();
    let (code, _, stderr) = run_at(dir.path(), &["compute", "huge.yaml"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            1,
            "error: huge.yaml: the file is 257 MB; bilan reads files up to 256 MB\n  = help: split the inventory (one file per organisation or year)\n"
        )
    );
    let (code, _, stderr) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--factors", "huge.csv"],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: huge.csv: the file is 300 MB; bilan reads files up to 256 MB"),
        "{stderr}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn factor_files_that_are_missing_or_folders() {
    let dir = folder_with(&format!("{HEAD}factors: [sub]\nlines:\n{ELEC}"));
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: inv.yaml:4:11: cannot use factor file `sub`: is a directory, not a file"
        ),
        "{stderr}"
    );
    std::fs::write(dir.path().join("ok.yaml"), format!("{HEAD}lines:\n{ELEC}")).unwrap();
    for (factors, expected) in [
        ("sub", "error: sub: is a directory, not a file"),
        (
            "nowhere.csv",
            "error: nowhere.csv: cannot open: no such file",
        ),
    ] {
        let (code, _, stderr) = run_at(dir.path(), &["check", "ok.yaml", "--factors", factors]);
        assert_eq!(code, 1);
        assert!(stderr.starts_with(expected), "{stderr}");
    }
}

#[test]
fn factor_loaders_take_any_bytes() {
    // A few shapes libFuzzer liked; `tests/fuzz_regressions.rs` replays what it found.
    let name: Arc<str> = Arc::from("Base_Carbone_V23.6.csv");
    for bytes in [
        &b"Type Ligne;Identifiant de l'\xe9l\xe9ment\n"[..],
        b"Type Ligne;Identifiant de l\n;\n",
        b"\xEF\xBB\xBF",
        b"\"",
        b"Type Ligne;Identifiant de l\r\r\r",
    ] {
        let _ = ademe::load(&name, bytes);
        let _ = bilan::load::factors::load_bytes("f.csv", bytes);
    }
}

// ---- Outputs ----------------------------------------------------------------------------

#[test]
fn unwritable_outputs_are_clear_errors() {
    let dir = folder_with(&format!("{HEAD}lines:\n{ELEC}"));
    let (code, stdout, stderr) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "-o", "/nonexistent/dir/out.json"],
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.starts_with(
            "error: cannot write in folder /nonexistent/dir: No such file or directory"
        ),
        "{stderr}"
    );
    std::fs::create_dir(dir.path().join("out.json")).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["compute", "inv.yaml", "-o", "out.json"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: --output out.json is a directory: give a file name\n"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder_with(&format!("{HEAD}lines:\n{ELEC}"));
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("out.csv"), "previous\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // root (CI containers) writes anyway: then there is nothing to test.
    let writable = std::fs::write(locked.join("probe"), "").is_ok();
    if !writable {
        let (code, _, stderr) = run_at(
            dir.path(),
            &[
                "compute",
                "inv.yaml",
                "--format",
                "csv",
                "-o",
                "locked/out.csv",
            ],
        );
        assert_eq!(code, 1);
        assert!(
            stderr.starts_with("error: cannot write in folder locked: Permission denied"),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(locked.join("out.csv")).unwrap(),
            "previous\n"
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn the_output_is_never_an_input_however_it_is_spelled() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("client")).unwrap();
    let base = "id,name,unit,kgco2e,uncertainty,category,part,source\nHEB,Hébergement,kgCO2e/keuro,420,30,Achats de services > Hébergement,,s\n";
    std::fs::write(dir.path().join("client/fournisseurs.csv"), base).unwrap();
    std::fs::write(dir.path().join("extra.csv"), base.replace("HEB", "EXT")).unwrap();
    let inventory = format!(
        "{HEAD}factors: [fournisseurs.csv]\nlines:\n  - {{ label: H, factor: HEB, quantity: 12, unit: k€, uncertainty: 5% }}\n"
    );
    std::fs::write(dir.path().join("client/inv.yaml"), &inventory).unwrap();
    let absolute = dir.path().join("client/inv.yaml");
    #[cfg(unix)]
    std::os::unix::fs::symlink("client/inv.yaml", dir.path().join("link.yaml")).unwrap();
    let mut outputs = vec![
        "client/inv.yaml".to_string(),
        "./client/../client/inv.yaml".to_string(),
        absolute.to_string_lossy().into_owned(),
        "extra.csv".to_string(),
        // Named inside the inventory (`factors:`), relative to it.
        "client/fournisseurs.csv".to_string(),
        "./client/fournisseurs.csv".to_string(),
    ];
    if cfg!(unix) {
        outputs.push("link.yaml".to_string());
    }
    for output in &outputs {
        let (code, stdout, stderr) = run_at(
            dir.path(),
            &[
                "compute",
                "client/inv.yaml",
                "--factors",
                "extra.csv",
                "--format",
                "csv",
                "-o",
                output,
            ],
        );
        assert_eq!((code, stdout.as_str()), (1, ""), "{output}: {stderr}");
        assert!(
            stderr.contains("an input of this run: refusing to overwrite it"),
            "{output}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("client/inv.yaml")).unwrap(),
        inventory
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("client/fournisseurs.csv")).unwrap(),
        base
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("extra.csv")).unwrap(),
        base.replace("HEB", "EXT")
    );
}

/// Files whose name starts with `.bilan-` (the temporary files) in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bilan-"))
        .collect()
}

#[test]
fn a_write_failing_after_the_temporary_file_keeps_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    bilan::output::write_atomically(&out, b"previous\n").unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
    // `out.json/.`: the temporary file is created and written in the folder, then the rename
    // onto `out.json/.` fails (not a directory) — the failure comes mid-way, as a full disk would.
    let error = bilan::output::write_atomically(&out.join("."), b"new result\n").unwrap_err();
    assert!(
        format!("{error:#}").contains("Not a directory"),
        "{error:#}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    // A name too long for the file system: same.
    let long = dir.path().join("x".repeat(300));
    bilan::output::write_atomically(&long, b"new result\n").unwrap_err();
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    // And a write that succeeds replaces the previous output whole.
    bilan::output::write_atomically(&out, b"new result\n").unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "new result\n");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_folder_becoming_unwritable_keeps_the_previous_output() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("results");
    std::fs::create_dir(&folder).unwrap();
    let out = folder.join("out.csv");
    bilan::output::write_atomically(&out, b"previous\n").unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let result = bilan::output::write_atomically(&out, b"new\n");
    let root = std::fs::write(folder.join("probe"), "").is_ok();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    if !root {
        let error = result.unwrap_err();
        assert!(
            format!("{error:#}").contains("Permission denied"),
            "{error:#}"
        );
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
        assert_eq!(leftovers(&folder), Vec::<String>::new());
    }
}

/// Makes a special file with `mknod`/`mkfifo` in a private folder; `None` (and a loud note)
/// when this machine does not allow it.
fn special(dir: &Path, name: &str, args: &[&str]) -> Option<std::path::PathBuf> {
    let path = dir.join(name);
    let (program, rest) = args.split_first().unwrap();
    let ok = std::process::Command::new(program)
        .args(rest)
        .arg(&path)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("SKIPPED part of this test: `{program}` cannot make {name} here");
        return None;
    }
    Some(path)
}

#[test]
fn only_regular_files_are_read_a_fifo_never_hangs() {
    let dir = folder_with(&format!("{HEAD}lines:\n{ELEC}"));
    // A FIFO with no writer: opening it for reading would block forever.
    if let Some(fifo) = special(dir.path(), "fifo.yaml", &["mkfifo"]) {
        let start = Instant::now();
        let (code, _, stderr) = run_at(dir.path(), &["check", fifo.to_str().unwrap()]);
        assert_eq!(code, 1);
        assert!(
            stderr.contains("is a FIFO (named pipe), not a file"),
            "{stderr}"
        );
        assert!(start.elapsed() < Duration::from_secs(10));
        // As a factor base and as an include too.
        let (code, _, stderr) =
            run_at(dir.path(), &["check", "inv.yaml", "--factors", "fifo.yaml"]);
        assert_eq!(code, 1);
        assert!(
            stderr.contains("fifo.yaml: is a FIFO (named pipe), not a file"),
            "{stderr}"
        );
        std::fs::write(
            dir.path().join("inc.yaml"),
            format!("{HEAD}include: [fifo.yaml]\nlines:\n{ELEC}"),
        )
        .unwrap();
        let (code, _, stderr) = run_at(dir.path(), &["check", "inc.yaml"]);
        assert_eq!(code, 1);
        assert!(
            stderr.contains("cannot include `fifo.yaml`: is a FIFO"),
            "{stderr}"
        );
        // In a batch, a FIFO is not an inventory at all (only regular files are looked at).
        let (code, _, stderr) = run_at(dir.path(), &["batch", ".", "-o", "out"]);
        assert!(!stderr.contains("fifo.yaml:"), "{stderr}");
        assert_eq!(
            code, 1,
            "inc.yaml includes the FIFO: an error row; {stderr}"
        );
    }
    // A character device like /dev/zero (1,5), made in the private folder: never read.
    let zero = dir.path().join("zero.csv");
    let made = std::process::Command::new("mknod")
        .args([zero.to_str().unwrap(), "c", "1", "5"])
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let (code, _, stderr) = run_at(
            dir.path(),
            &["check", "inv.yaml", "--factors", zero.to_str().unwrap()],
        );
        assert_eq!(code, 1);
        assert!(
            stderr.contains("is a character device, not a file"),
            "{stderr}"
        );
    } else {
        eprintln!("SKIPPED part of this test: mknod of a character device is not allowed here");
    }
}

#[test]
fn batch_reads_nothing_outside_its_folder() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.yaml"),
        "root:SECRET-HASH:19000:0:99999:7:::\n",
    )
    .unwrap();
    std::fs::write(
        outside.path().join("theirs.yaml"),
        format!("{HEAD}lines:\n{ELEC}"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::write(
        input.join("a.yaml"),
        format!("{HEAD}include: [{}]\nlines:\n{ELEC}", secret.display()),
    )
    .unwrap();
    std::fs::write(
        input.join("b.yaml"),
        format!("{HEAD}factors: [{}]\nlines:\n{ELEC}", secret.display()),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path().join("theirs.yaml"), input.join("link.yaml"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), input.join("linked-folder")).unwrap();
    let (code, stdout, stderr) = run_at(dir.path(), &["batch", "in", "-o", "out"]);
    assert_eq!(code, 1);
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    for text in [&stdout, &stderr, &summary] {
        assert!(!text.contains("SECRET"), "{text}");
    }
    assert!(stderr.contains("cannot include `"), "{stderr}");
    assert!(
        stderr.contains("secret.yaml`: it is outside the folder"),
        "{stderr}"
    );
    assert!(
        stderr.contains("in/link.yaml: skipped, a link leading outside in"),
        "{stderr}"
    );
    assert!(
        !summary.contains("link.yaml") && !summary.contains("linked-folder"),
        "{summary}"
    );
}

#[test]
fn a_file_included_twice_is_an_error() {
    let dir = folder_with(&format!(
        "{HEAD}include: [a.yaml, ./a.yaml]\nlines:\n{ELEC}"
    ));
    std::fs::write(
        dir.path().join("a.yaml"),
        "lines:\n  - { id: gaz, label: Gaz, factor: \"37133\", quantity: 1000, unit: kWh PCS, uncertainty: 5% }\n",
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: inv.yaml:4:19: `./a.yaml` is included twice (also as `a.yaml`): its lines would count twice\n"),
        "{stderr}"
    );
    let dir = folder_with(&format!("{HEAD}include: [inv.yaml]\nlines:\n{ELEC}"));
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`inv.yaml` is the inventory itself: it cannot include itself"),
        "{stderr}"
    );
}

#[test]
fn an_output_is_never_an_input_of_the_run_whatever_the_path() {
    let dir = folder_with(&format!(
        "{HEAD}include: [achats.yaml]\nfactors: [own.csv]\nlines:\n{ELEC}"
    ));
    let included = "lines:\n  - { id: gaz, label: Gaz, factor: \"37133\", quantity: 1000, unit: kWh PCS, uncertainty: 5% }\n";
    std::fs::write(dir.path().join("achats.yaml"), included).unwrap();
    let own = "id,name,unit,kgco2e,uncertainty,category,part,source\nX1,Test,kgCO2e/kWh,0.1,10,Achats de services > Test,,essai\n";
    std::fs::write(dir.path().join("own.csv"), own).unwrap();
    std::os::unix::fs::symlink("achats.yaml", dir.path().join("link.yaml")).unwrap();
    std::fs::write(
        dir.path().join("inv2.yaml"),
        format!("{HEAD}include: [achats.yaml]\nlines:\n{ELEC}").replace("2022", "2023"),
    )
    .unwrap();
    let cases: &[&[&str]] = &[
        &["compute", "inv.yaml", "-o", "achats.yaml"],
        &["compute", "inv.yaml", "-o", "./link.yaml"],
        &["compute", "inv.yaml", "--format", "json", "-o", "own.csv"],
        &["compute", "inv.yaml", "inv2.yaml", "-o", "achats.yaml"],
        &["report", "inv.yaml", "-o", "achats.yaml"],
        &["trajectory", "inv.yaml", "-o", "achats.yaml"],
        &["diff", "inv.yaml", "inv2.yaml", "-o", "achats.yaml"],
        &[
            "diff",
            "inv.yaml",
            "--factors-old",
            "own.csv",
            "--factors-new",
            "own.csv",
            "-o",
            "own.csv",
        ],
    ];
    for args in cases {
        let (code, _, stderr) = run_at(dir.path(), args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains("an input of this run: refusing to overwrite it"),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("achats.yaml")).unwrap(),
            included
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("own.csv")).unwrap(),
            own
        );
    }
    // import fec: the inventory's factor file is an input; the include being generated is not.
    let fec = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/fec-2025.txt");
    let (code, _, stderr) = run_at(
        dir.path(),
        &[
            "import",
            "fec",
            fec,
            "--year",
            "2025",
            "--inventory",
            "inv.yaml",
            "-o",
            "own.csv",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("own.csv, an input of this run"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("own.csv")).unwrap(),
        own
    );
}

#[test]
fn outputs_onto_devices_links_and_modes() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let dir = folder_with(&format!("{HEAD}lines:\n{ELEC}"));
    // A private null device (1,3): written through, still a device afterwards.
    let null = dir.path().join("null");
    let made = std::process::Command::new("mknod")
        .args([null.to_str().unwrap(), "c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let (code, _, stderr) = run_at(dir.path(), &["compute", "inv.yaml", "-o", "null"]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            std::fs::metadata(&null)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    } else {
        eprintln!("SKIPPED part of this test: mknod of a character device is not allowed here");
    }
    // A FIFO with a reader: written through.
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let (code, _, stderr) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--format", "csv", "-o", "pipe"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        reader
            .join()
            .unwrap()
            .starts_with("code,scope,name,status,kgco2e")
    );
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // A link to a file: the file is replaced, the link kept.
    std::fs::write(dir.path().join("target.csv"), "old").unwrap();
    std::os::unix::fs::symlink("target.csv", dir.path().join("link.csv")).unwrap();
    let (code, _, _) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--format", "csv", "-o", "link.csv"],
    );
    assert_eq!(code, 0);
    assert!(
        std::fs::symlink_metadata(dir.path().join("link.csv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(dir.path().join("target.csv"))
            .unwrap()
            .starts_with("code,")
    );
    // A new file: 0666 less the umask; a replaced file keeps its mode.
    let umask = std::process::Command::new("sh")
        .args(["-c", "umask"])
        .output()
        .unwrap();
    let umask = u32::from_str_radix(String::from_utf8(umask.stdout).unwrap().trim(), 8).unwrap();
    let (code, _, _) = run_at(dir.path(), &["compute", "inv.yaml", "-o", "new.txt"]);
    assert_eq!(code, 0);
    let mode = std::fs::metadata(dir.path().join("new.txt"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o666 & !umask);
    std::fs::set_permissions(
        dir.path().join("new.txt"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let (code, _, _) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--format", "md", "-o", "new.txt"],
    );
    assert_eq!(code, 0);
    let mode = std::fs::metadata(dir.path().join("new.txt"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640);
    assert!(
        std::fs::read_to_string(dir.path().join("new.txt"))
            .unwrap()
            .starts_with("## ")
    );
}

#[test]
fn spreadsheet_formulas_and_terminal_escapes_from_inputs_are_neutralised() {
    let dir = folder_with(
        "bilan: 1\norganisation: { name: \"Evil\\e]0;pwned\\a\" }\nperiod: { year: 2022 }\nlines:\n  - { id: \"=HYPERLINK(1)\", label: \"+cmd|' /C calc'!A0\", factor: \"42513\", quantity: 1000, unit: kWh, uncertainty: 5%, site: \"@SUM(1)\" }\n  - { id: neg, label: \"-2+3\", factor: \"42513\", quantity: 1, unit: kWh, uncertainty: 5%, tags: [\"\\ttab\", \"\\rcr\"] }\n",
    );
    let (code, csv, stderr) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--format", "csv", "--lines"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        csv.contains("\n'=HYPERLINK(1),'+cmd|' /C calc'!A0,2.6,"),
        "{csv}"
    );
    assert!(csv.contains("\nneg,'-2+3,2.6,42513,1,kWh,0.0338,"), "{csv}");
    // Numbers, negative ones too, stay numbers.
    let (_, by_site, _) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--format", "csv", "--by", "site"],
    );
    assert!(by_site.contains("'@SUM(1)"), "{by_site}");
    let (_, by_tag, _) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--format", "csv", "--by", "tag"],
    );
    assert!(
        by_tag.starts_with("code,name,'\ttab,\"'\rcr\","),
        "{by_tag:?}"
    );
    // Tables, warnings and errors show control characters, never send them.
    let (_, table, warnings) = run_at(dir.path(), &["compute", "inv.yaml"]);
    assert!(
        table.starts_with("Bilan Carbone® — Evil\\u{1b}]0;pwned\\u{7}\n"),
        "{table:?}"
    );
    for text in [&table, &warnings] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
    }
    std::fs::write(
        dir.path().join("bad.yaml"),
        format!("{HEAD}lines:\n  - {{ id: x, label: \"\\e[2Jboom\", factor: \"\\e[31m9\", quantity: 1, unit: kWh }}\n"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "bad.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("unknown factor id `\\u{1b}[31m9`"),
        "{stderr:?}"
    );
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

#[test]
fn a_closed_stderr_or_stdout_ends_quietly() {
    // `bilan … 2>&1 | head -1`: the pipe closes after the first line; no panic (exit 101).
    let dir = folder_with(&format!(
        "{HEAD}lines:\n  - {{ id: a, label: A, factor: \"1\", quantity: 1, unit: kWh }}\n  - {{ id: b, label: B, factor: \"2\", quantity: 1, unit: kWh }}\n"
    ));
    let bin = assert_cmd::cargo::cargo_bin("bilan");
    for args in [
        "check inv.yaml",
        "compute inv.yaml",
        "compute inv.yaml --format json",
    ] {
        let script = format!(
            "'{}' {args} 2>&1 | head -c 1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
            bin.display()
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let status = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            status == "1" || status == "0",
            "{args}: exit {status}, {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[cfg(unix)]
#[test]
fn an_output_hard_linked_to_an_input_is_refused_and_the_input_kept() {
    let dir = folder_with(&format!("{HEAD}lines:\n{ELEC}"));
    let before = std::fs::read(dir.path().join("inv.yaml")).unwrap();
    // The same file under another name: the paths differ, the device and inode do not.
    std::fs::hard_link(dir.path().join("inv.yaml"), dir.path().join("out.csv")).unwrap();
    let (code, stdout, stderr) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--format", "csv", "-o", "out.csv"],
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.contains("--output out.csv is inv.yaml, an input of this run"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(dir.path().join("inv.yaml")).unwrap(), before);
}

#[test]
fn stdout_and_stderr_closed_before_the_run_are_no_panic() {
    // Both pipes' read ends are closed before bilan starts, so every write fails with EPIPE
    // (no race with a `head` that may or may not have exited yet).
    let dir = folder_with(&format!(
        "{HEAD}lines:\n  - {{ id: x, label: X, factor: \"nope\", quantity: 1, unit: kWh }}\n"
    ));
    let bin = assert_cmd::cargo::cargo_bin("bilan");
    for (args, expected) in [
        (&["check", "inv.yaml"][..], 1),
        (&["compute", "inv.yaml"][..], 1),
        (&["posts"][..], 0),
    ] {
        let (err_reader, err_writer) = std::io::pipe().unwrap();
        let (out_reader, out_writer) = std::io::pipe().unwrap();
        drop(err_reader);
        drop(out_reader);
        let status = std::process::Command::new(&bin)
            .current_dir(dir.path())
            .args(args)
            .stdout(out_writer)
            .stderr(err_writer)
            .status()
            .unwrap();
        // 1 for the bad inventory, 0 for `posts`; never 101 (a panic).
        assert_eq!(status.code(), Some(expected), "{args:?}");
    }
}
