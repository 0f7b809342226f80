//! Monte Carlo (uncertainty.md §5) and the uncertainty report: the draws converge to the method's
//! interval for one line, compare with it for sums, do not depend on the thread count, and the
//! command line refuses bad settings. Fixed seeds: every figure here is reproducible.
//!
//! What we observe (200,000 draws, seed 42; figures in the tests below): for one line the
//! Monte Carlo 95 % interval is the analytic `[E/k, E·k]` within 0.5 %. For a sum, the
//! analytic formula (§4) centres the interval on the sum of the lines' medians, while the sum of
//! log-normals has a higher median (each line's mean is `Eᵢ·exp(σᵢ²/2)`): the Monte Carlo
//! interval sits higher, by about 0.6 % for lines at ±5–50 %, about 5 % for lines at
//! ±50–100 %, and 0.6–4.6 % on the shipped examples; it is also 1–7 % wider.

use assert_cmd::Command;
use bilan::monte_carlo::{Correlation, MonteCarlo, Settings, Stats, simulate};
use bilan::report::{Report, to_f64};

/// Lines of inline factors: (kgCO2e/kWh, factor %, activity % or "" for undeclared, kWh, factor id).
fn report(lines: &[(&str, &str, &str, u32, &str)]) -> Report {
    let mut text =
        String::from("bilan: 1\norganisation: { name: T }\nperiod: { year: 2024 }\nlines:\n");
    for (i, (value, factor, activity, quantity, id)) in lines.iter().enumerate() {
        text.push_str(&format!(
            "  - id: l{i}\n    label: L{i}\n    factor: {{ id: \"{id}\", name: F, kgco2e: {value}, unit: kgCO2e/kWh, source: test, uncertainty: {factor} }}\n    quantity: {quantity}\n    unit: kWh\n    post: \"3.9\"\n"
        ));
        if !activity.is_empty() {
            text.push_str(&format!("    uncertainty: {activity}\n"));
        }
    }
    let inventory = bilan::load::inventory::parse("t.yaml", &text).unwrap();
    bilan::compute::compute(&inventory, &bilan::factor_base::FactorBase::default()).unwrap()
}

fn run(report: &Report, draws: usize, correlation: Correlation) -> MonteCarlo {
    let settings = Settings {
        draws,
        seed: 42,
        correlation,
    };
    simulate(report, &settings).unwrap()
}

/// Relative difference a/b − 1.
fn rel(a: f64, b: f64) -> f64 {
    a / b - 1.0
}

#[test]
fn one_line_converges_to_its_analytic_interval() {
    // A documented line (±30 % factor, ±10 % activity) and one at the method's worst case.
    for (activity, k_activity) in [("10%", 1.1), ("", 2.5163566012590954)] {
        let r = report(&[("0.25", "30%", activity, 4000, "f")]);
        let line = &r.lines[0];
        assert!((line.k_activity - k_activity).abs() < 1e-12);
        assert!((line.k_factor - 1.3).abs() < 1e-12);
        assert_eq!(
            line.figure.k,
            bilan::uncertainty::k_product(line.k_activity, line.k_factor)
        );
        let (low, high) = line.figure.interval();
        let mc = run(&r, 200_000, Correlation::Independent).total;
        assert!(rel(mc.p2_5, low).abs() < 0.02, "{mc:?} vs [{low}, {high}]");
        assert!(
            rel(mc.p97_5, high).abs() < 0.02,
            "{mc:?} vs [{low}, {high}]"
        );
        assert!(rel(mc.median, 1000.0).abs() < 0.01, "{mc:?}");
        // The mean of a log-normal: x·exp(σ²/2).
        let sigma = line.figure.k.ln() / 1.96;
        assert!(rel(mc.mean, 1000.0 * (sigma * sigma / 2.0).exp()).abs() < 0.01);
        // Observed with seed 42: within 0.5 %.
        assert!(rel(mc.p2_5, low).abs() < 0.005 && rel(mc.p97_5, high).abs() < 0.005);
    }
}

#[test]
fn more_draws_come_closer() {
    let r = report(&[("1", "50%", "20%", 1000, "f")]);
    let (low, high) = r.total.interval();
    let error = |mc: Stats| rel(mc.p2_5, low).abs() + rel(mc.p97_5, high).abs();
    let few = error(run(&r, 500, Correlation::Independent).total);
    let many = error(run(&r, 100_000, Correlation::Independent).total);
    assert!(many < few && many < 0.01, "{few} → {many}");
}

#[test]
fn a_sum_compares_with_the_analytic_interval() {
    // Moderate uncertainties: the analytic interval is within 1 % of Monte Carlo's.
    let moderate = report(&[
        ("1", "10%", "5%", 1000, "a"),
        ("2", "20%", "10%", 300, "b"),
        ("0.5", "30%", "10%", 800, "c"),
        ("3", "15%", "5%", 100, "d"),
        ("1", "50%", "20%", 200, "e"),
    ]);
    // Wide ones: the sum's median moves up and the analytic interval lags by about 5 %.
    let wide = report(&[
        ("1", "80%", "50%", 1000, "a"),
        ("2", "100%", "30%", 300, "b"),
        ("0.5", "50%", "100%", 800, "c"),
    ]);
    for (r, tolerance) in [(moderate, 0.01), (wide, 0.07)] {
        let (low, high) = r.total.interval();
        let e = to_f64(r.total.kgco2e);
        let mc = run(&r, 50_000, Correlation::Independent).total;
        for (m, a) in [(mc.p2_5, low), (mc.p97_5, high)] {
            // Monte Carlo sits at or above the analytic bound, within the tolerance.
            assert!(
                rel(m, a) > -0.002 && rel(m, a) < tolerance,
                "{mc:?} vs [{low}, {high}]"
            );
        }
        assert!(mc.median >= e && mc.mean > mc.median, "{mc:?}");
        let widening = mc.width() / (high - low);
        assert!(
            (1.0..1.0 + tolerance + 0.01).contains(&widening),
            "{widening}"
        );
    }
}

#[test]
fn a_split_line_moves_all_its_parts_together() {
    // Electricity is split between 2.6 and 3.8: both parts scale by the same draw, so the two
    // posts have the same relative interval and add up to the line in every draw.
    let text = "bilan: 1\norganisation: { name: T }\nperiod: { year: 2022 }\nlines:\n  - id: elec\n    label: E\n    factor: \"42513\"\n    quantity: 21340\n    unit: kWh\n    uncertainty: 5%\n";
    let inventory = bilan::load::inventory::parse("t.yaml", text).unwrap();
    let r = bilan::compute::compute(&inventory, &bilan::embedded::base().unwrap()).unwrap();
    assert_eq!(r.lines[0].parts.len(), 2);
    let mc = run(&r, 5_000, Correlation::Independent);
    assert_eq!(mc.posts.len(), 2);
    let relative = |(post, stats): &(bilan::post::Post, Stats)| {
        let kg = to_f64(r.posts[post.index()].figure.kgco2e);
        (stats.p2_5 / kg, stats.p97_5 / kg)
    };
    let (a, b) = (relative(&mc.posts[0]), relative(&mc.posts[1]));
    assert!(
        (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12,
        "{a:?} {b:?}"
    );
    let line_total = to_f64(r.lines[0].figure.kgco2e);
    assert!((mc.total.p97_5 / line_total - a.1).abs() < 1e-12);
}

#[test]
fn shared_factors_widen_the_total() {
    // Ten lines on one factor at ±80 %, activity ±5 %: independent lines average out, a shared
    // factor does not: the total is about one log-normal of k ≈ 1.80.
    let lines: Vec<_> = (0..10).map(|_| ("1", "80%", "5%", 100, "m")).collect();
    let r = report(&lines);
    let mc = run(&r, 50_000, Correlation::SharedFactors);
    let k = (1.8f64.ln().powi(2) + 1.05f64.ln().powi(2) / 10.0)
        .sqrt()
        .exp();
    assert!(
        rel(mc.total.p2_5, 1000.0 / k).abs() < 0.02,
        "{:?}",
        mc.total
    );
    assert!(
        rel(mc.total.p97_5, 1000.0 * k).abs() < 0.02,
        "{:?}",
        mc.total
    );
    // Observed: 3.1 times as wide as with independent lines.
    let ratio = mc.width_ratio().unwrap();
    assert!((2.9..3.3).contains(&ratio), "{ratio}");
    let independent = run(&r, 50_000, Correlation::Independent);
    assert_eq!(mc.independent_total, Some(independent.total));
    // A factor used once changes nothing: the same draws, the same total.
    let single = report(&[("1", "80%", "5%", 100, "a"), ("1", "80%", "5%", 100, "b")]);
    let shared = run(&single, 2_000, Correlation::SharedFactors);
    let ratio = shared.width_ratio().unwrap();
    assert!((ratio - 1.0).abs() < 0.05, "{ratio}");
}

// ---- the binary ------------------------------------------------------------------------------

fn bilan(args: &[&str], threads: Option<&str>) -> (i32, String, String) {
    let mut command = Command::cargo_bin("bilan").unwrap();
    command.args(args);
    if let Some(n) = threads {
        command.env("RAYON_NUM_THREADS", n);
    }
    let out = command.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const EXAMPLE: &str = "examples/conseil-informatique.yaml";

#[test]
fn the_same_seed_gives_the_same_bytes_at_any_thread_count() {
    for correlation in ["independent", "shared-factors"] {
        let args = [
            "compute",
            EXAMPLE,
            "--format",
            "json",
            "--monte-carlo",
            "--draws",
            "3000",
            "--seed",
            "7",
            "--correlation",
            correlation,
        ];
        let (code, one, _) = bilan(&args, Some("1"));
        assert_eq!(code, 0);
        let (_, two, _) = bilan(&args, Some("2"));
        assert_eq!(one, two);
        let json: serde_json::Value = serde_json::from_str(&one).unwrap();
        let mc = &json["monte_carlo"];
        assert_eq!(mc["draws"], 3000);
        assert_eq!(mc["seed"], 7);
        assert_eq!(mc["rng"], "ChaCha8");
        assert_eq!(mc["correlation"], correlation);
        assert_eq!(
            mc.get("width_ratio").is_some(),
            correlation == "shared-factors"
        );
        let mut other = args;
        other[8] = "8";
        assert_ne!(bilan(&other, None).1, one);
    }
}

#[test]
fn the_default_is_10000_draws_seed_42_independent_and_outputs_are_unchanged_without_it() {
    let (_, plain, _) = bilan(&["compute", EXAMPLE, "--format", "json"], None);
    assert!(!plain.contains("monte_carlo") && !plain.contains("uncertainty_analysis"));
    let (code, with, stderr) = bilan(
        &["compute", EXAMPLE, "--format", "json", "--monte-carlo"],
        None,
    );
    assert_eq!(code, 0);
    // Nothing but the warnings on stderr: no progress bar off a terminal.
    assert!(
        stderr.lines().all(|l| l.starts_with("warning: ")),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_str(&with).unwrap();
    let mc = &json["monte_carlo"];
    assert_eq!(mc["draws"], 10000);
    assert_eq!(mc["seed"], 42);
    assert_eq!(mc["correlation"], "independent");
    // The report is the same, with the block appended.
    let mut without = json.clone();
    without.as_object_mut().unwrap().remove("monte_carlo");
    assert_eq!(
        without,
        serde_json::from_str::<serde_json::Value>(&plain).unwrap()
    );
    let total = &mc["total"];
    let p = |key: &str| total[key].as_f64().unwrap();
    assert!(p("p2_5") < p("median") && p("median") < p("p97_5"));
    assert_eq!(total["low"], json["total"]["low"]);
    // Posts with lines only, in code order.
    let codes: Vec<&str> = mc["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["2.6", "3.8", "3.9", "3.10", "3.11", "3.13", "3.22"]);
}

#[test]
fn csv_gets_four_columns() {
    let (code, csv, _) = bilan(
        &[
            "compute",
            EXAMPLE,
            "--format",
            "csv",
            "--monte-carlo",
            "--draws",
            "1000",
        ],
        None,
    );
    assert_eq!(code, 0);
    let mut rows = csv.lines();
    assert_eq!(
        rows.next().unwrap(),
        "code,scope,name,status,kgco2e,share,uncertainty,low,high,mc_mean,mc_median,mc_p2_5,mc_p97_5"
    );
    assert!(rows.next().unwrap().ends_with(",0,0,0,0,0,,,,"));
    assert_eq!(csv.lines().count(), 23);
}

#[test]
fn bad_settings_are_clear_errors() {
    let cases: [(&[&str], i32, &str); 9] = [
        (&["--monte-carlo", "--draws", "0"], 2, "must be at least 1"),
        (
            &["--monte-carlo", "--draws", "1000001"],
            2,
            "above the maximum of 1000000",
        ),
        (
            &["--monte-carlo", "--draws", "1e9"],
            2,
            "is not a number of draws",
        ),
        (
            &["--monte-carlo", "--seed", "abc"],
            2,
            "invalid value 'abc' for '--seed <S>'",
        ),
        (
            &["--monte-carlo", "--seed", "-1"],
            2,
            "unexpected argument '-1'",
        ),
        (&["--draws", "100"], 2, "--monte-carlo"),
        (
            &["--monte-carlo", "--correlation", "full"],
            2,
            "possible values: independent, shared-factors",
        ),
        (
            &["--monte-carlo", "--format", "csv", "--lines"],
            2,
            "--monte-carlo applies to the posts, not to --lines",
        ),
        (
            &["--uncertainty-report", "--format", "csv"],
            2,
            "--uncertainty-report applies to --format table, md or json",
        ),
    ];
    for (extra, expected, message) in cases {
        let mut args = vec!["compute", EXAMPLE];
        args.extend(extra);
        let (code, stdout, stderr) = bilan(&args, None);
        assert_eq!(code, expected, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(stdout, "");
    }
    let (code, _, stderr) = bilan(&["compute", EXAMPLE, EXAMPLE, "--monte-carlo"], None);
    assert_eq!(code, 2);
    assert!(stderr.contains("not to a trend of several"), "{stderr}");
    let (code, _, stderr) = bilan(
        &["compute", EXAMPLE, "--uncertainty-report", "--by", "site"],
        None,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("not to --by site or tag"), "{stderr}");
    let (code, _, stderr) = bilan(
        &[
            "compute",
            EXAMPLE,
            "--monte-carlo",
            "--view",
            "ghg-protocol",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("not to --view"), "{stderr}");
}

#[test]
fn the_uncertainty_report_ranks_lines_and_posts() {
    let (code, out, _) = bilan(
        &[
            "compute",
            EXAMPLE,
            "--format",
            "json",
            "--uncertainty-report",
        ],
        None,
    );
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let analysis = &json["uncertainty_analysis"];
    assert!(json.get("monte_carlo").is_none());
    let lines = analysis["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 10);
    let shares: Vec<f64> = lines
        .iter()
        .map(|l| l["share_of_variance"].as_f64().unwrap())
        .collect();
    assert!(shares.windows(2).all(|w| w[0] >= w[1]), "{shares:?}");
    let listed: f64 = shares.iter().sum();
    assert!((listed - analysis["listed_share"].as_f64().unwrap()).abs() < 1e-5);
    assert!(listed <= 1.0 + 1e-9);
    let advised: Vec<bool> = lines.iter().map(|l| l.get("advice").is_some()).collect();
    assert_eq!(
        advised,
        [
            true, true, true, false, false, false, false, false, false, false
        ]
    );
    assert_eq!(lines[0]["id"], "dt-voiture");
    let posts = analysis["posts"].as_array().unwrap();
    let total: f64 = posts
        .iter()
        .map(|p| p["share_of_variance"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-5, "{total}");
}

#[test]
fn snapshot_of_the_table_with_both() {
    let (code, out, _) = bilan(
        &[
            "compute",
            EXAMPLE,
            "--lang",
            "en",
            "--monte-carlo",
            "--correlation",
            "shared-factors",
            "--uncertainty-report",
        ],
        None,
    );
    assert_eq!(code, 0);
    let (_, plain, _) = bilan(&["compute", EXAMPLE, "--lang", "en"], None);
    let extra = out.strip_prefix(plain.as_str()).unwrap();
    insta::assert_snapshot!("conseil-informatique-uncertainty-en", extra);
    let (_, md, _) = bilan(
        &[
            "compute",
            EXAMPLE,
            "--format",
            "md",
            "--monte-carlo",
            "--uncertainty-report",
        ],
        None,
    );
    let (_, plain, _) = bilan(&["compute", EXAMPLE, "--format", "md"], None);
    insta::assert_snapshot!(
        "conseil-informatique-uncertainty-md",
        md.strip_prefix(plain.as_str()).unwrap()
    );
}
