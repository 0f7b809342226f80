//! The HTML report: snapshots of the examples, and a real browser rendering it.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn report(example: &str, dir: &Path, lang: &str) -> PathBuf {
    report_with(example, dir, lang, &[])
}

/// The example's report; `extra` are more arguments (`--history FILE`).
fn report_with(example: &str, dir: &Path, lang: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("{example}-{lang}-{}.html", extra.len()));
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
        .args(extra)
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
    // With an earlier inventory: the summary's change message, the year-over-year section.
    let before = year_before("conseil-informatique", dir.path());
    let html = std::fs::read_to_string(report_with(
        "conseil-informatique",
        dir.path(),
        "fr",
        &["--history", before.to_str().unwrap()],
    ))
    .unwrap();
    assert!(!html.contains(dir.path().to_str().unwrap()));
    insta::assert_snapshot!("report-conseil-informatique-history", html);
    let english = std::fs::read_to_string(report("cooperative", dir.path(), "en")).unwrap();
    insta::assert_snapshot!("report-cooperative-en", english);
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
    // The line's label in the key messages and the zoom chart, escaped everywhere.
    assert!(!html.contains("<b>"));
    assert!(html.matches("&lt;b&gt;Élec&lt;/b&gt;").count() >= 2);
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
#[ignore = "needs Chromium: .ci/run installs it and runs the ignored tests"]
fn a_real_browser_renders_the_charts() {
    let browser = chromium().expect("chromium is not installed");
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

/// The example one year earlier (same lines, period moved back a year), for `--history`.
fn year_before(example: &str, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(format!("examples/{example}.yaml")).unwrap();
    let earlier = [
        ("year: 2021", "year: 2020"),
        (
            "start: 2023-01-01\n  end: 2023-12-31",
            "start: 2022-01-01\n  end: 2022-12-31",
        ),
        ("year: 2023", "year: 2022"),
    ]
    .iter()
    .find(|(from, _)| text.contains(from))
    .map(|(from, to)| text.replacen(from, to, 1))
    .unwrap();
    let path = dir.join(format!("{example}-before.yaml"));
    std::fs::write(&path, earlier).unwrap();
    path
}

/// A program on the PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Grey pixels of a PNG as rows (0 black – 255 white).
fn grey_rows(png_path: &Path) -> Vec<Vec<u8>> {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    pixels[..info.buffer_size()]
        .chunks(info.line_size)
        .map(|row| {
            row.chunks(channels)
                .map(|p| *p.iter().take(3).min().unwrap())
                .collect()
        })
        .collect()
}

#[test]
#[ignore = "needs Chromium and poppler-utils: .ci/run installs them and runs the ignored tests"]
fn every_example_prints_on_a4_without_blank_pages() {
    let browser = chromium().expect("chromium is not installed");
    let pdftoppm = on_path("pdftoppm").expect("pdftoppm (poppler-utils) is not installed");
    let pdftotext = on_path("pdftotext").expect("pdftotext (poppler-utils) is not installed");
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    for example in ["conseil-informatique", "pme-industrielle", "cooperative"] {
        let before = year_before(example, dir.path());
        let mut pages_without = 0;
        for history in [false, true] {
            let extra = if history {
                vec!["--history", before.to_str().unwrap()]
            } else {
                vec![]
            };
            let html = report_with(example, dir.path(), "fr", &extra);
            let pdf = dir.path().join(format!("{example}-{history}.pdf"));
            let run = std::process::Command::new(&browser)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                    "--no-pdf-header-footer",
                ])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg(format!("--print-to-pdf={}", pdf.display()))
                .arg(format!("file://{}", html.display()))
                .output()
                .unwrap();
            assert!(
                pdf.is_file(),
                "no PDF: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            let prefix = dir.path().join(format!("{example}-{history}-page"));
            let ok = std::process::Command::new(&pdftoppm)
                .args(["-r", "30", "-gray", "-png"])
                .arg(&pdf)
                .arg(&prefix)
                .status()
                .unwrap();
            assert!(ok.success());
            let mut pages: Vec<PathBuf> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .starts_with(&format!("{example}-{history}-page"))
                })
                .collect();
            pages.sort();
            let count = pages.len();
            // The summary page, the posts, zoom, sites and tables, uncertainty, gases, method:
            // a handful of A4 pages, not one per chart.
            assert!(
                (4..=12).contains(&count),
                "{example} history={history}: {count} pages"
            );
            for (i, page) in pages.iter().enumerate() {
                let rows = grey_rows(page);
                let height = rows.len();
                // A4 at 30 dpi is 248 × 351 pixels.
                assert!(
                    (345..=355).contains(&height),
                    "{example}: page {} is {height} px high, not A4",
                    i + 1
                );
                // The footer sits in the bottom margin (16 mm of 297): look above it.
                let body = height * 92 / 100;
                let inked: Vec<usize> = (0..body)
                    .filter(|y| rows[*y].iter().any(|p| *p < 128))
                    .collect();
                let last = inked.last().copied().unwrap_or(0);
                assert!(
                    !inked.is_empty(),
                    "{example} history={history}: page {} is blank",
                    i + 1
                );
                if i + 1 < count {
                    // Not the last page: filled at least half way down (no page left mostly
                    // blank by a chart pushed to the next).
                    assert!(
                        last * 2 >= body,
                        "{example} history={history}: page {} ends at {last} of {body} px",
                        i + 1
                    );
                }
            }
            let text = |first: usize, last: usize| {
                let out = std::process::Command::new(&pdftotext)
                    .args(["-f", &first.to_string(), "-l", &last.to_string()])
                    .arg(&pdf)
                    .arg("-")
                    .output()
                    .unwrap();
                String::from_utf8(out.stdout).unwrap()
            };
            // The summary is page 1 alone; page numbers and the footer on every page.
            let first = text(1, 1);
            assert!(
                first.contains("À retenir") && first.contains("Total des émissions"),
                "{first}"
            );
            assert!(!first.contains("Émissions par poste"), "{first}");
            let squeezed = |t: &str| t.split_whitespace().collect::<String>();
            assert!(squeezed(&first).contains(&format!("1/{count}")), "{first}");
            assert!(first.contains("Généré le 2026-01-01 par bilan"), "{first}");
            assert!(squeezed(&text(count, count)).contains(&format!("{count}/{count}")));
            assert!(text(2, 2).starts_with("Émissions par poste"));
            if history {
                assert!(text(1, count).contains("Évolution depuis l'inventaire précédent"));
                assert!(
                    count >= pages_without,
                    "{example}: {count} pages with history, {pages_without} without"
                );
            } else {
                pages_without = count;
            }
        }
    }
}

/// Runs `bilan report` in `dir` with `args` and a fixed generation date.
fn run_report(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .arg("report")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn year_over_year_shows_the_change_and_its_effects() {
    let dir = tempfile::tempdir().unwrap();
    let line = |id: &str, kwh: u32| {
        format!(
            "  - {{ id: {id}, label: Électricité {id}, factor: \"42513\", quantity: {kwh}, unit: kWh, uncertainty: 5% }}\n"
        )
    };
    let head = |year: u32| {
        format!("bilan: 1\norganisation: {{ name: Test }}\nperiod: {{ year: {year} }}\nlines:\n")
    };
    std::fs::write(
        dir.path().join("2024.yaml"),
        head(2024) + &line("siege", 100_000),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("2025.yaml"),
        head(2025) + &line("siege", 150_000) + &line("annexe", 20_000),
    )
    .unwrap();
    let out = run_report(
        dir.path(),
        &["2025.yaml", "--history", "2024.yaml", "-o", "r.html"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    // Factor 42513 is 0.052 kgCO2e/kWh in both years. Before: 100 000 × 0.052 = 5 200 kg;
    // after: 170 000 × 0.052 = 8 840 kg; change +3 640 kg = +70 %. Activity (same line,
    // +50 000 kWh): 50 000 × 0.052 = 2 600 kg; perimeter (the new line): 20 000 × 0.052 =
    // 1 040 kg; factor: 0.
    let nbsp = '\u{a0}';
    let total_row = format!(
        "<tr class=\"total\"><td>Total</td><td class=\"num\">5,20</td><td class=\"num\">8,84</td><td class=\"num\">+3,64</td><td class=\"num\">+70,0{nbsp}%</td><td class=\"num\">+2,60</td><td class=\"num\">0,00</td><td class=\"num\">+1,04</td></tr>"
    );
    assert!(html.contains(&total_row), "{html}");
    assert!(html.contains("Depuis 2024 : <strong>5,20 → 8,84 tCO2e</strong> (+70,0"));
    assert!(html.contains("<title id=\"years-title\">Évolution par poste (tCO2e)</title>"));
    // One bar per year for each post with emissions (2.6 and 3.8): four bars.
    let chart = html
        .split("id=\"years-title\"")
        .nth(1)
        .unwrap()
        .split("</svg>")
        .next()
        .unwrap();
    assert_eq!(
        chart.matches("<rect").count(),
        4 + 2,
        "two posts × two years, and the legend's two"
    );
}

#[test]
fn the_logo_is_an_embedded_image_never_markup() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "bilan: 1\norganisation: { name: Test }\nperiod: { year: 2025 }\nlines:\n  - { label: Élec, factor: \"42513\", quantity: 10, unit: kWh }\n",
    )
    .unwrap();
    // An SVG with a script: embedded as an image, where scripts do not run, never inline.
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script><rect width=\"4\" height=\"4\"/></svg>";
    std::fs::write(dir.path().join("logo.svg"), svg).unwrap();
    let out = run_report(
        dir.path(),
        &["inv.yaml", "--logo", "logo.svg", "-o", "r.html"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(!html.contains("<script") && !html.contains("<rect width=\"4\""));
    // base64 of the first nine bytes "<svg xmln" is "PHN2ZyB4bWxu".
    assert!(
        html.contains("<img class=\"logo\" src=\"data:image/svg+xml;base64,PHN2ZyB4bWxu"),
        "{html}"
    );
    // A PNG by its signature: base64 of 89 50 4E 47 0D 0A 1A 0A is "iVBORw0KGgo=".
    std::fs::write(dir.path().join("logo.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let out = run_report(
        dir.path(),
        &["inv.yaml", "--logo", "logo.png", "-o", "p.html"],
    );
    assert!(out.status.success());
    let html = std::fs::read_to_string(dir.path().join("p.html")).unwrap();
    assert!(html.contains("src=\"data:image/png;base64,iVBORw0KGgo=\""));
    // Not an image, or too heavy: an error, exit 2, no report.
    std::fs::write(dir.path().join("logo.txt"), "hello").unwrap();
    let out = run_report(
        dir.path(),
        &["inv.yaml", "--logo", "logo.txt", "-o", "t.html"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--logo logo.txt: not a PNG or SVG image")
    );
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(512 * 1024 + 1, 0);
    std::fs::write(dir.path().join("big.png"), big).unwrap();
    let out = run_report(
        dir.path(),
        &["inv.yaml", "--logo", "big.png", "-o", "b.html"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--logo big.png: 524289 bytes, more than the 512 KiB"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.path().join("t.html").exists() && !dir.path().join("b.html").exists());
}

#[test]
fn a_bar_per_site_when_lines_carry_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "bilan: 1\norganisation: { name: Test }\nperiod: { year: 2025 }\nlines:\n  - { label: Élec Lyon, factor: \"42513\", quantity: 10000, unit: kWh, site: Lyon }\n  - { label: Élec Mâcon, factor: \"42513\", quantity: 30000, unit: kWh, site: Mâcon }\n",
    )
    .unwrap();
    let out = run_report(dir.path(), &["inv.yaml", "-o", "r.html"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    let chart = html
        .split("id=\"sites-title\"")
        .nth(1)
        .unwrap()
        .split("</svg>")
        .next()
        .unwrap();
    // 10 000 kWh × 0.052 = 520 kg = 0,52 t; 30 000 × 0.052 = 1 560 kg = 1,56 t.
    assert!(
        chart.contains(">Lyon</tspan>") && chart.contains(">0,52</text>"),
        "{chart}"
    );
    assert!(
        chart.contains(">Mâcon</tspan>") && chart.contains(">1,56</text>"),
        "{chart}"
    );
    assert!(!chart.contains("Sans site"));
    // No tags: no tag chart.
    assert!(!html.contains("tags-title"));
}
