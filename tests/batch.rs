//! `bilan batch`: a tree of client folders in, one result per inventory and a summary out.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// 21,340 kWh × 0.052 (factor 42513) = 1,109.68 kgCO2e: 2.6 gets × 0.0338 = 721.292, 3.8 the
/// upstream rest 388.388. Two ETP: 0.55484 t each.
const SMALL: &str = "bilan: 1
organisation: { name: Gamma SARL }
period: { year: 2024 }
indicators:
  etp: { label: ETP, value: 2 }
lines:
  - label: Électricité
    factor: \"42513\"
    quantity: 21340
    unit: kWh
    uncertainty: 5%
";

const MALFORMED: &str = "bilan: 1
organisation: { name: Test }
period: { year: 2022 }
lines:
  - label: [unclosed
";

const UNKNOWN_FACTOR: &str = "bilan: 1
organisation: { name: Delta }
period: { year: 2024 }
lines:
  - label: Mystère
    factor: \"99999999\"
    quantity: 1
    unit: kWh
";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn example(name: &str) -> String {
    std::fs::read_to_string(Path::new("examples").join(name)).unwrap()
}

/// The fixture tree: three shipped examples in client folders (one directly in the root), a
/// small hand-written inventory, a malformed one, one with an unknown factor, an empty one and
/// a file that is not an inventory.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let clients = dir.path().join("clients");
    write(
        &clients.join("acme/2021.yaml"),
        &example("conseil-informatique.yaml"),
    );
    write(
        &clients.join("beta/lyon/2023.yml"),
        &example("cooperative.yaml"),
    );
    write(
        &clients.join("val-de-saone.yaml"),
        &example("pme-industrielle.yaml"),
    );
    write(&clients.join("gamma/2024.yaml"), SMALL);
    write(&clients.join("gamma/notes.txt"), "not an inventory\n");
    // YAML, but not an inventory: skipped, not an error row.
    write(
        &clients.join("gamma/docker-compose.yml"),
        "services:\n  web:\n    image: nginx\n",
    );
    write(&clients.join("zeta/bad.yaml"), MALFORMED);
    write(&clients.join("zeta/unknown.yaml"), UNKNOWN_FACTOR);
    write(&clients.join("zeta/empty.yaml"), "");
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn bilan(dir: &Path, args: &[&str], threads: &str) -> Run {
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads)
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Every file under `dir`, relative, sorted, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.push((path.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    files.sort();
    files
}

const HEADER: &str = "path,client,organisation,year,total_tco2e,scope1_tco2e,scope2_tco2e,scope3_tco2e,largest_post,uncertainty,tco2e_per_ca,tco2e_per_etp,tco2e_per_production,tco2e_per_visiteurs,warnings,status,message";

#[test]
fn a_tree_of_clients() {
    let dir = fixture();
    let run = bilan(
        dir.path(),
        &["batch", "clients", "-o", "out", "--lang", "en"],
        "2",
    );
    assert_eq!(run.code, 1, "{}", run.stderr);

    // One result per good inventory, the tree mirrored; nothing for the failed ones.
    let out = dir.path().join("out");
    let written: Vec<PathBuf> = tree(&out).into_iter().map(|(p, _)| p).collect();
    let expected: Vec<PathBuf> = [
        "acme/2021.json",
        "beta/lyon/2023.json",
        "gamma/2024.json",
        "summary.csv",
        "val-de-saone.json",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(written, expected);
    // Nothing written in the input tree.
    assert_eq!(tree(&dir.path().join("clients")).len(), 9);

    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let lines: Vec<&str> = summary.lines().collect();
    assert_eq!(lines.len(), 8, "{summary}");
    assert_eq!(lines[0], HEADER);
    // Sorted by path (folder by folder); the hand-checked small inventory in full:
    // 1,109.68 kg = 1.10968 t; scope 2 0.721292, scope 3 0.388388; ±11 %; 0.55484 t per ETP.
    assert_eq!(
        lines[3],
        "gamma/2024.yaml,gamma,Gamma SARL,2024,1.10968,0,0.721292,0.388388,2.6,0.113015,,0.55484,,,0,ok,"
    );
    assert!(
        lines[1].starts_with("acme/2021.yaml,acme,Fokus IT,2021,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("beta/lyon/2023.yml,beta,La Coopérative des Pentes,2023,"),
        "{}",
        lines[2]
    );
    // An inventory directly in the root: the client is its organisation.
    assert!(
        lines[4].starts_with(
            "val-de-saone.yaml,Chaudronnerie du Val de Saône,Chaudronnerie du Val de Saône,2023,"
        ),
        "{}",
        lines[4]
    );
    assert!(lines[4].ends_with(",ok,"), "{}", lines[4]);
    assert_eq!(
        lines[5],
        "zeta/bad.yaml,zeta,,,,,,,,,,,,,,error,5:12: expected string scalar"
    );
    assert_eq!(
        lines[6],
        "zeta/empty.yaml,zeta,,,,,,,,,,,,,,error,the file is empty"
    );
    assert_eq!(
        lines[7],
        "zeta/unknown.yaml,zeta,,,,,,,,,,,,,,error,6:13: unknown factor id `99999999`"
    );

    // The JSON written is what `compute` gives for the same file.
    let compute = bilan(
        dir.path(),
        &[
            "compute",
            "clients/gamma/2024.yaml",
            "--format",
            "json",
            "--lang",
            "en",
        ],
        "2",
    );
    assert_eq!(compute.code, 0, "{}", compute.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("gamma/2024.json")).unwrap(),
        compute.stdout
    );

    // Errors on stderr, prefixed by their path; the tally last; no progress bar off a terminal.
    assert!(
        run.stderr
            .contains("error: clients/zeta/bad.yaml:5:12: expected string scalar\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: clients/zeta/empty.yaml: the file is empty\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: clients/zeta/unknown.yaml:6:13: unknown factor id `99999999`\n"),
        "{}",
        run.stderr
    );
    let last = run.stderr.lines().last().unwrap();
    assert!(
        last.starts_with("7 inventories: 4 ok, 3 errors, 1 skipped (YAML without `bilan: 1`), ")
            && last.ends_with(" s"),
        "{last}"
    );
    assert!(!run.stderr.contains('\r') && !run.stderr.contains('█'));

    insta::assert_snapshot!("batch-summary-table", run.stdout);
}

#[test]
fn the_same_bytes_on_one_thread_and_on_two() {
    let dir = fixture();
    let one = bilan(dir.path(), &["batch", "clients", "-o", "one"], "1");
    let two = bilan(dir.path(), &["batch", "clients", "-o", "two"], "2");
    assert_eq!(one.code, 1);
    assert_eq!(two.code, 1);
    assert_eq!(one.stdout, two.stdout);
    let tally = |s: &str| {
        s.lines()
            .last()
            .unwrap()
            .rsplit_once(", ")
            .unwrap()
            .0
            .to_string()
    };
    let body = |s: &str| s.lines().rev().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&one.stderr), body(&two.stderr));
    assert_eq!(tally(&one.stderr), tally(&two.stderr));
    let one = tree(&dir.path().join("one"));
    let two = tree(&dir.path().join("two"));
    assert_eq!(one.len(), 5);
    assert_eq!(one, two);
}

#[test]
fn all_good_exits_0_and_formats_name_the_files() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("in/a/2024.yaml"), SMALL);
    write(&dir.path().join("in/b/2024.yaml"), SMALL);
    let run = bilan(
        dir.path(),
        &["batch", "in", "-o", "csv", "--format", "csv"],
        "2",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "2 inventories: 2 ok, 0 errors, ".to_string() + run.stderr.rsplit_once(", ").unwrap().1
    );
    let compute = bilan(
        dir.path(),
        &["compute", "in/a/2024.yaml", "--format", "csv"],
        "2",
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("csv/a/2024.csv")).unwrap(),
        compute.stdout
    );
    let run = bilan(
        dir.path(),
        &["batch", "in", "-o", "md", "--format", "md"],
        "2",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("md/b/2024.md").is_file());
    // A second run replaces the results.
    let again = bilan(
        dir.path(),
        &["batch", "in", "-o", "md", "--format", "md"],
        "2",
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(tree(&dir.path().join("md")).len(), 3);
}

#[test]
fn glob_selects_inventories() {
    let dir = fixture();
    let run = bilan(
        dir.path(),
        &[
            "batch",
            "clients",
            "-o",
            "out",
            "--glob",
            "gamma/*.yaml",
            "--glob",
            "*.yaml",
        ],
        "2",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    let paths: Vec<&str> = summary
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(paths, ["gamma/2024.yaml", "val-de-saone.yaml"]);
}

#[test]
fn no_inventory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("empty/readme.txt"), "nothing here\n");
    let run = bilan(dir.path(), &["batch", "empty", "-o", "out"], "2");
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: no inventory under empty matches **/*.yaml, **/*.yml\n"
    );
    assert!(!dir.path().join("out").exists());
    let run = bilan(dir.path(), &["batch", "missing", "-o", "out"], "2");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("missing is not a folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn output_is_never_the_input_folder() {
    let dir = fixture();
    let before = tree(&dir.path().join("clients"));
    for out in ["clients", "clients/", "./clients/../clients"] {
        let run = bilan(dir.path(), &["batch", "clients", "-o", out], "2");
        assert_eq!(run.code, 1);
        assert!(
            run.stderr.starts_with(&format!(
                "error: --output {out} is the input folder: choose another folder"
            )),
            "{}",
            run.stderr
        );
    }
    assert_eq!(tree(&dir.path().join("clients")), before);
}

#[test]
fn output_inside_the_input_tree_is_not_searched() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("in/a/2024.yaml"), SMALL);
    // A copy left in the output folder is not an input.
    write(&dir.path().join("in/results/old/2024.yaml"), MALFORMED);
    let run = bilan(dir.path(), &["batch", "in", "-o", "in/results"], "2");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("in/results/a/2024.json").is_file());
    assert!(
        run.stderr.starts_with("1 inventory: 1 ok, 0 errors, "),
        "{}",
        run.stderr
    );
}

#[test]
fn two_inventories_with_one_result_name() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("in/a/2024.yaml"), SMALL);
    write(&dir.path().join("in/a/2024.yml"), SMALL);
    write(&dir.path().join("in/summary.yaml"), SMALL);
    let run = bilan(
        dir.path(),
        &["batch", "in", "-o", "out", "--format", "csv"],
        "2",
    );
    assert_eq!(run.code, 1);
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    assert!(
        summary.contains("\na/2024.yml,a,,,,,,,,,,,error,its result out/a/2024.csv is already the result of a/2024.yaml: rename one of them\n"),
        "{summary}"
    );
    assert!(
        summary.contains("\nsummary.yaml,,,,,,,,,,,,error,its result would overwrite the summary out/summary.csv: rename the file or use another --format\n"),
        "{summary}"
    );
    assert!(
        summary.starts_with("path,"),
        "the summary is not overwritten"
    );
}

#[test]
fn a_factor_file_shared_by_several_inventories() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("in/shared.csv"),
        "id,name,unit,kgco2e,uncertainty,category,part,source\nMY-1,Repas maison,kgCO2e/repas,2.5,10%,Alimentation,,Test\n",
    );
    let inventory = |name: &str, meals: u32| {
        format!(
            "bilan: 1
organisation: {{ name: {name} }}
period: {{ year: 2025 }}
factors: [../shared.csv]
lines:
  - label: Repas
    factor: MY-1
    post: \"3.9\"
    quantity: {meals}
    unit: repas
    uncertainty: 5%
"
        )
    };
    write(&dir.path().join("in/a/2025.yaml"), &inventory("A", 100));
    write(&dir.path().join("in/b/2025.yaml"), &inventory("B", 1000));
    let run = bilan(dir.path(), &["batch", "in", "-o", "out"], "2");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    assert!(
        summary.contains("\na/2025.yaml,a,A,2025,0.25,0,0,0.25,"),
        "{summary}"
    );
    assert!(
        summary.contains("\nb/2025.yaml,b,B,2025,2.5,0,0,2.5,"),
        "{summary}"
    );
    // Each result names the factor file as its inventory reaches it.
    let b = std::fs::read_to_string(dir.path().join("out/b/2025.json")).unwrap();
    assert!(b.contains("\"in/b/../shared.csv\""), "{b}");
    assert!(!b.contains("in/a/"), "{b}");
}

#[test]
fn a_result_that_cannot_be_written_is_an_error_row() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("in/a/2024.yaml"), SMALL);
    write(&dir.path().join("in/b/2024.yaml"), SMALL);
    // `out/a` is a file: the folder for a's result cannot be made.
    write(&dir.path().join("out/a"), "in the way\n");
    let run = bilan(dir.path(), &["batch", "in", "-o", "out"], "2");
    assert_eq!(run.code, 1);
    assert!(dir.path().join("out/b/2024.json").is_file());
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    assert!(
        summary
            .contains("\na/2024.yaml,a,Gamma SARL,2024,,,,,,,,,error,cannot create folder out/a: "),
        "{summary}"
    );
    assert!(
        run.stderr
            .starts_with("error: in/a/2024.yaml: cannot create folder out/a: "),
        "{}",
        run.stderr
    );
}

#[test]
fn included_files_are_not_inventories() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("in/acme/2025.yaml"),
        &format!("{SMALL}include: [achats-2025.yaml]\n"),
    );
    write(
        &dir.path().join("in/acme/achats-2025.yaml"),
        "lines:\n  - label: Électricité bis\n    factor: \"42513\"\n    quantity: 21340\n    unit: kWh\n    uncertainty: 5%\n",
    );
    let run = bilan(dir.path(), &["batch", "in", "-o", "out"], "2");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("1 inventory: 1 ok, 0 errors, "),
        "{}",
        run.stderr
    );
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    // Twice 1,109.68 kg.
    assert!(
        summary.contains("\nacme/2025.yaml,acme,Gamma SARL,2024,2.21936,"),
        "{summary}"
    );
    assert!(!summary.contains("achats"), "{summary}");
    assert!(!dir.path().join("out/acme/achats-2025.json").exists());
}

#[test]
fn a_second_batch_into_the_same_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("in/a/2024.yaml"), SMALL);
    write(&dir.path().join("out/keep.txt"), "mine\n");
    // Another batch holds the folder (as `bilan batch` does while it runs).
    let held = std::fs::File::open(dir.path().join("out")).unwrap();
    held.try_lock().unwrap();
    let run = bilan(dir.path(), &["batch", "in", "-o", "out"], "2");
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: another `bilan batch` is writing into out: wait for it to finish, or choose another --output\n"
    );
    let untouched: Vec<PathBuf> = tree(&dir.path().join("out"))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(untouched, [PathBuf::from("keep.txt")]);
    // Once it is done, the folder is free.
    drop(held);
    let run = bilan(dir.path(), &["batch", "in", "-o", "out"], "2");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("out/a/2024.json").is_file());
}

#[test]
fn an_inventory_that_now_fails_loses_its_earlier_result() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("in/a/2024.yaml"), SMALL);
    write(&dir.path().join("in/b/2024.yaml"), SMALL);
    let run = bilan(dir.path(), &["batch", "in", "-o", "out"], "2");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("out/a/2024.json").is_file());

    write(&dir.path().join("in/a/2024.yaml"), UNKNOWN_FACTOR);
    let run = bilan(dir.path(), &["batch", "in", "-o", "out"], "2");
    assert_eq!(run.code, 1);
    // The summary says a failed: no result of an earlier run stands beside it.
    assert!(!dir.path().join("out/a/2024.json").exists());
    assert!(dir.path().join("out/b/2024.json").is_file());
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    assert!(
        summary.contains("\na/2024.yaml,a,,,,,,,,,,,error,6:13: unknown factor id `99999999`\n"),
        "{summary}"
    );
}

/// Every file under `dir` whose name starts with `.bilan-` (the temporary files of writes).
fn temporary_files(dir: &Path) -> Vec<PathBuf> {
    tree(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".bilan-"))
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn an_interrupted_batch_leaves_no_summary_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // A summary from an earlier run into the same folder.
    write(&dir.path().join("small/a/2024.yaml"), SMALL);
    let run = bilan(dir.path(), &["batch", "small", "-o", "out"], "2");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("out/summary.csv").is_file());

    let inventory = example("pme-industrielle.yaml");
    let count = 400;
    for i in 0..count {
        write(
            &dir.path().join(format!("in/c{i:03}/2023.yaml")),
            &inventory,
        );
    }
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("bilan"))
        .current_dir(dir.path())
        .env("RAYON_NUM_THREADS", "2")
        .args(["batch", "in", "-o", "out"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for a few results, then Ctrl-C.
    let results = |dir: &Path| {
        tree(&dir.join("out"))
            .into_iter()
            .filter(|(p, _)| p.to_string_lossy().starts_with('c'))
            .count()
    };
    let start = std::time::Instant::now();
    while results(dir.path()) < 3 {
        assert!(start.elapsed().as_secs() < 120, "no result written");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let written = results(dir.path());
    assert!(
        written < count,
        "the run ended before the interrupt: make it longer ({stderr})"
    );
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: interrupted: {written} of {count} results written, no summary.csv (run the same command again to complete the folder)\n"
        )),
        "{stderr}"
    );
    // No summary describing other files, nothing half-written, every result whole.
    assert!(!dir.path().join("out/summary.csv").exists());
    assert_eq!(temporary_files(dir.path()), Vec::<PathBuf>::new());
    for (path, bytes) in tree(&dir.path().join("out")) {
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{} is not whole: {e}", path.display()));
        assert!(value["total"]["kgco2e"].is_number(), "{}", path.display());
    }

    // The same command again completes the folder.
    let run = bilan(dir.path(), &["batch", "in", "-o", "out"], "2");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    assert_eq!(summary.lines().count(), count + 1);
}
