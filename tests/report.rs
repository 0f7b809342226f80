//! The HTML report: snapshots of the examples, and a real browser rendering it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn report(example: &str, dir: &Path, lang: &str) -> PathBuf {
    let out = dir.join(format!("{example}-{lang}.html"));
    let status = Command::cargo_bin("bilan")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .args([
            "report",
            &format!("examples/{example}.yaml"),
            "-o",
            out.to_str().unwrap(),
            "--lang",
            lang,
        ])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    out
}

#[test]
fn snapshots_of_the_examples() {
    let dir = tempfile::tempdir().unwrap();
    for example in ["conseil-informatique", "pme-industrielle", "cooperative"] {
        let html = std::fs::read_to_string(report(example, dir.path(), "fr")).unwrap();
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"fr\">"));
        // Self-contained: no external resource, no script.
        assert!(
            !html.contains("<script") && !html.contains("src=") && !html.contains("<link"),
            "{example}"
        );
        insta::assert_snapshot!(format!("report-{example}"), html);
    }
    let english = std::fs::read_to_string(report("cooperative", dir.path(), "en")).unwrap();
    assert!(english.contains("<h2>Emissions by post</h2>"));
}

#[test]
fn text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inv.yaml");
    std::fs::write(
        &inventory,
        "bilan: 1\norganisation: { name: \"<script>alert(1)</script> & Cie\" }\nperiod: { year: 2025 }\nlines:\n  - { label: \"<b>Élec</b>\", factor: \"42513\", quantity: 10, unit: kWh, uncertainty: 5% }\n",
    )
    .unwrap();
    let out = dir.path().join("r.html");
    let status = Command::cargo_bin("bilan")
        .unwrap()
        .args([
            "report",
            inventory.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(status.status.success());
    let html = std::fs::read_to_string(out).unwrap();
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie"));
}

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

#[test]
fn a_real_browser_renders_the_charts() {
    let Some(browser) = chromium() else {
        eprintln!(
            "skipped: chromium is not installed (.ci/run installs it with apt-get when it can)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = report("pme-industrielle", dir.path(), "fr");
    let url = format!("file://{}", html.display());
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let profile = dir.path().join("profile");
    let run = |extra: &[&str]| {
        std::process::Command::new(&browser)
            .args(flags)
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .unwrap()
    };
    let dom = run(&["--dump-dom"]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.matches("<svg").count() >= 2,
        "charts missing from the rendered DOM"
    );
    assert!(dom.matches("<rect").count() >= 10, "bars missing");
    assert!(dom.contains("Émissions par poste"));
    let png = dir.path().join("shot.png");
    let shot = run(&[
        "--window-size=900,1400",
        &format!("--screenshot={}", png.display()),
    ]);
    assert!(
        png.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let bytes = &pixels[..info.buffer_size()];
    let channels = info.color_type.samples();
    let dark = bytes
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|c| *c < 128))
        .count();
    let total = bytes.len() / channels;
    // Text, bars and table lines: a blank page would have none.
    assert!(
        dark * 100 > total,
        "screenshot looks blank: {dark} dark pixels of {total}"
    );
    if let Ok(keep) = std::env::var("BILAN_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
}
