//! The README stays true: its inventory example checks, its first command names a shipped example.

use assert_cmd::Command;

#[test]
fn the_readme_inventory_checks() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let yaml = readme
        .split("```yaml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("2021.yaml"), yaml).unwrap();
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "2021.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_first_command_runs_a_shipped_example() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let first = readme.lines().find(|l| l.starts_with("cargo run")).unwrap();
    let example = first
        .split_whitespace()
        .find(|w| w.starts_with("examples/"))
        .unwrap();
    assert!(std::path::Path::new(example).is_file(), "{example}");
    assert!(readme.contains("cargo test --locked"));
}
