//! Helpers shared by the integration tests.

use assert_cmd::Command;
use std::path::Path;

/// Runs `bilan ARGS` in `dir`: (exit code, stdout, stderr).
pub fn run_at(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
