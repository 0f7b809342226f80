//! The low-carbon trajectory: Bilan Carbone+'s reference values for the target paths and the
//! action ramp, a plan computed by hand, and the command on good and bad input.

use assert_cmd::Command;
use bilan::action::{Action, End, Reduction, Status, When};
use bilan::error::Position;
use bilan::post::Post;
use bilan::trajectory::{
    Baseline, Measured, Request, Target, TargetKind, Trajectory, TrajectoryError, trajectory,
};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn post(code: &str) -> Post {
    Post::from_code(code).unwrap()
}

fn baseline(year: i32, posts: &[(&str, &str)]) -> Baseline {
    let posts: Vec<(Post, Decimal)> = posts.iter().map(|(c, kg)| (post(c), d(kg))).collect();
    Baseline {
        organisation: "Test".into(),
        inventory: Measured {
            name: format!("{year}.yaml"),
            year,
            kgco2e: posts.iter().map(|(_, kg)| *kg).sum(),
        },
        posts,
    }
}

fn action(id: &str, posts: &[&str], reduction: Reduction, start: &str, end: End) -> Action {
    Action {
        id: id.into(),
        label: id.into(),
        posts: posts.iter().map(|c| post(c)).collect(),
        reduction: Some(reduction),
        start: When::parse(start).unwrap(),
        end,
        impact: None,
        ease: None,
        owner: None,
        status: Status::Planned,
        comment: None,
        at: Position::default(),
    }
}

fn until(year: &str) -> End {
    End::At(When::parse(year).unwrap())
}

fn project(
    baseline: &Baseline,
    history: &[Measured],
    actions: &[Action],
    target: TargetKind,
    last: i32,
) -> Result<Trajectory, TrajectoryError> {
    trajectory(&Request {
        baseline,
        history,
        actions,
        target,
        until: last,
    })
}

fn row(t: &Trajectory, year: i32) -> &bilan::trajectory::YearRow {
    t.years.iter().find(|r| r.year == year).unwrap()
}

// --- Bilan Carbone+'s reference values (src/utils/trajectory.test.ts) -------------------------

#[test]
fn sbti_15_from_2020_reaches_34_in_2043_and_zero_from_2044() {
    let target = Target::new(TargetKind::Sbti15, 2020, d("1000")).unwrap();
    assert_eq!(target.value(2020), Some(d("1000")));
    assert_eq!(target.value(2021), Some(d("958")));
    assert_eq!(target.value(2043), Some(d("34")));
    assert_eq!(target.value(2044), Some(Decimal::ZERO));
    assert_eq!(target.value(2050), Some(Decimal::ZERO));
    assert_eq!(target.rate_f64, 0.042);
    assert!(!target.compensated);
}

#[test]
fn well_below_2_from_2020_reaches_250_in_2050_and_zero_in_2060() {
    let target = Target::new(TargetKind::WellBelow2, 2020, d("1000")).unwrap();
    assert_eq!(target.value(2050), Some(d("250")));
    assert_eq!(target.value(2059), Some(d("25")));
    assert_eq!(target.value(2060), Some(Decimal::ZERO));
}

#[test]
fn a_reference_before_2020_is_held_until_2020() {
    let target = Target::new(TargetKind::Sbti15, 2018, d("1000")).unwrap();
    assert_eq!(target.value(2017), None);
    assert_eq!(target.value(2018), Some(d("1000")));
    assert_eq!(target.value(2020), Some(d("1000")));
    assert_eq!(target.value(2021), Some(d("958")));
}

#[test]
fn reference_2025_without_history_gets_the_compensated_rate() {
    let target = Target::new(TargetKind::Sbti15, 2025, d("1000")).unwrap();
    assert!(target.compensated);
    assert_eq!(target.from_year, 2025);
    // Bilan Carbone+: COMPENSATED_LINEAR_REDUCTION_2025_15C = 7.241379310344829 (%/yr).
    assert_eq!(target.rate_f64 * 100.0, 7.241379310344829);
    assert_eq!(
        format!("{:.15}", target.rate_f64 * 100.0),
        "7.241379310344829"
    );
    // Exact rate for the values: 0.042 / (1 − 10 × 0.042) = 0.042 / 0.58.
    assert_eq!(target.rate, d("0.042") / d("0.58"));
    assert_eq!(target.value(2025), Some(d("1000")));
    assert_eq!(
        target.value(2026).unwrap().round_dp(6),
        d("927.586207") // 1000 − 72.41379…
    );
    assert_eq!(target.value(2039), Some(Decimal::ZERO));

    let wb2 = Target::new(TargetKind::WellBelow2, 2025, d("1000")).unwrap();
    // Bilan Carbone+: COMPENSATED_LINEAR_REDUCTION_2025_WB2C = 3.333333333333333 (%/yr).
    assert_eq!(format!("{:.15}", wb2.rate_f64 * 100.0), "3.333333333333333");
    assert_eq!(wb2.rate_f64, 1.0 / 30.0);
    assert_eq!(wb2.value(2050).unwrap().round_dp(6), d("166.666667"));
    assert_eq!(wb2.value(2055), Some(Decimal::ZERO));
}

#[test]
fn a_spent_budget_falls_to_zero_the_next_year() {
    // 1/0.042 − 2 × 12 < 1: less than a year of the 2020 budget left in 2032.
    let target = Target::new(TargetKind::Sbti15, 2032, d("1000")).unwrap();
    assert!(target.budget_spent);
    assert_eq!(target.value(2032), Some(d("1000")));
    assert_eq!(target.value(2033), Some(Decimal::ZERO));
}

#[test]
fn custom_5_percent_from_2024_gives_700_in_2030() {
    let base = baseline(2024, &[("3.9", "1000")]);
    let t = project(
        &base,
        &[],
        &[],
        TargetKind::parse("custom:5%").unwrap(),
        2030,
    )
    .unwrap();
    assert_eq!(t.target.from_year, 2024);
    assert!(!t.target.compensated);
    assert_eq!(row(&t, 2024).target, Some(d("1000")));
    assert_eq!(row(&t, 2025).target, Some(d("950")));
    assert_eq!(row(&t, 2030).target, Some(d("700")));
    assert_eq!(t.years.last().unwrap().year, 2030);
}

#[test]
fn an_action_of_100_over_2025_2030_gives_16_67_a_year() {
    let base = baseline(2024, &[("3.13", "1000")]);
    let actions = [action(
        "a",
        &["3.13"],
        Reduction::Kgco2e(d("100")),
        "2025",
        until("2030"),
    )];
    let t = project(&base, &[], &actions, TargetKind::Sbti15, 2035).unwrap();
    assert_eq!(row(&t, 2024).with_actions, Some(d("1000")));
    for (year, sixths) in (2025..=2030).zip(1..) {
        let reduction = row(&t, year).reduction.unwrap();
        assert_eq!(
            reduction.round_dp(2),
            (d("100") * Decimal::from(sixths) / d("6")).round_dp(2)
        );
    }
    assert_eq!(row(&t, 2025).reduction.unwrap().round_dp(2), d("16.67"));
    assert_eq!(row(&t, 2026).reduction.unwrap().round_dp(2), d("33.33"));
    assert_eq!(row(&t, 2030).with_actions, Some(d("900")));
    assert_eq!(row(&t, 2035).with_actions, Some(d("900")));
    // 100 of 1000 over 6 years: 1.67 %/yr on average up to 2030.
    assert_eq!(t.rates.horizon, Some(2030));
    assert_eq!(t.rates.actions.unwrap().round_dp(6), d("0.016667"));
}

/// The path with actions starts from the inventory as measured in its own year. An action
/// of 30 kgCO2e/yr from 2025-Q3 to the end of 2026 (a ramp over 2025.5 → 2027) has reached
/// (2026 − 2025.5)/1.5 = 1/3 of it, 10 kg, by the end of 2025: the 2025 row used to show
/// 800 − 10 = 790 against 800 measured. Now 2025 = 800; 2026 = 800 − 30 = 770 (in full effect).
#[test]
fn the_path_with_actions_starts_from_the_measured_inventory() {
    let base = baseline(2025, &[("2.6", "800")]);
    let actions = [action(
        "led",
        &["2.6"],
        Reduction::Kgco2e(d("30")),
        "2025-Q3",
        until("2026"),
    )];
    let t = project(&base, &[], &actions, TargetKind::Sbti15, 2027).unwrap();
    assert_eq!(row(&t, 2025).measured, Some(d("800")));
    assert_eq!(row(&t, 2025).with_actions, Some(d("800")));
    assert_eq!(row(&t, 2025).reduction, Some(d("0")));
    assert_eq!(row(&t, 2026).with_actions, Some(d("770")));
    assert_eq!(row(&t, 2027).with_actions, Some(d("770")));
}

// --- A plan computed by hand -------------------------------------------------------------------

/// 2025: 3.13 emits 1000, 2.6 emits 500.
/// - `train`: 600 kgCO2e/yr on 3.13, ramp 2026–2028 → 200, 400, 600;
/// - `visio`: 50 % of 3.13 = 500, ramp 2027–2028 → 0, 250, 500;
/// - `led`: 10 % of 2.6 = 50, all in 2026.
///
/// 3.13 reaches 200, 650, then 1100 in 2028, capped at its 1000: it never goes below zero.
/// With actions: 2026 = 1500 − 200 − 50 = 1250; 2027 = 1500 − 650 − 50 = 800;
/// 2028 on = 1500 − 1000 − 50 = 450.
#[test]
fn two_overlapping_actions_on_one_post_are_capped_at_its_emissions() {
    let base = baseline(2025, &[("2.6", "500"), ("3.13", "1000")]);
    let actions = [
        action(
            "train",
            &["3.13"],
            Reduction::Kgco2e(d("600")),
            "2026",
            until("2028"),
        ),
        action(
            "visio",
            &["3.13"],
            Reduction::Share(d("0.5")),
            "2027",
            until("2028"),
        ),
        action(
            "led",
            &["2.6"],
            Reduction::Share(d("0.1")),
            "2026",
            End::StartYear,
        ),
    ];
    let t = project(&base, &[], &actions, TargetKind::Sbti15, 2030).unwrap();
    let with = |y| row(&t, y).with_actions.unwrap();
    assert_eq!(with(2025), d("1500"));
    assert_eq!(with(2026), d("1250"));
    assert_eq!(with(2027).round_dp(20), d("800"));
    assert_eq!(with(2028), d("450"));
    assert_eq!(with(2030), d("450"));
    let travel = t.posts.iter().find(|p| p.post == post("3.13")).unwrap();
    assert_eq!(travel.reduction, d("1100"));
    assert!(travel.capped);
    assert_eq!(travel.capped_reduction, d("1000"));
    assert_eq!(travel.share, Some(Decimal::ONE));
    assert_eq!(travel.actions, ["train", "visio"]);
    assert!(
        t.warnings.iter().any(|w| w
            .message
            .starts_with("post 3.13: its actions add up to 1100 kgCO2e")),
        "{:?}",
        t.warnings
    );
    // Reference 2025 (no history): the compensated 1.5 °C target, gap = with actions − target.
    let r = row(&t, 2028);
    assert_eq!(r.gap, Some(r.with_actions.unwrap() - r.target.unwrap()));
}

#[test]
fn a_kgco2e_reduction_on_several_posts_is_split_by_their_emissions() {
    let base = baseline(2025, &[("2.6", "500"), ("3.13", "1000")]);
    let actions = [action(
        "both",
        &["3.13", "2.6"],
        Reduction::Kgco2e(d("300")),
        "2026",
        End::StartYear,
    )];
    let t = project(&base, &[], &actions, TargetKind::Sbti15, 2027).unwrap();
    let by_post: Vec<(&str, Decimal)> = t.actions[0]
        .posts
        .iter()
        .map(|r| (r.post.code(), r.kgco2e))
        .collect();
    assert_eq!(by_post, [("3.13", d("200")), ("2.6", d("100"))]);
    assert_eq!(row(&t, 2026).with_actions, Some(d("1200")));
}

#[test]
fn done_actions_before_the_inventory_are_listed_not_projected() {
    let base = baseline(2025, &[("2.6", "1000")]);
    let mut before = action(
        "before",
        &["2.6"],
        Reduction::Kgco2e(d("100")),
        "2024",
        End::StartYear,
    );
    before.status = Status::Done;
    let mut after = action(
        "after",
        &["2.6"],
        Reduction::Kgco2e(d("50")),
        "2026",
        End::StartYear,
    );
    after.status = Status::Done;
    let t = project(&base, &[], &[before, after], TargetKind::Sbti15, 2027).unwrap();
    assert!(!t.actions[0].projected);
    assert!(t.actions[1].projected);
    assert_eq!(row(&t, 2027).with_actions, Some(d("950")));
}

fn measured(year: i32, kgco2e: &str) -> Measured {
    Measured {
        name: format!("{year}.yaml"),
        year,
        kgco2e: d(kgco2e),
    }
}

/// The target column, to the gram, against `expected` (year, kgCO2e).
fn assert_targets(t: &Trajectory, expected: &[(i32, &str)]) {
    for (year, value) in expected {
        let got = row(t, *year).target.map(|v| v.round_dp(3));
        assert_eq!(got, Some(d(value)), "target of {year}");
    }
}

// Expected figures below are Bilan Carbone+'s: its `calculateSBTiData` (src/utils/sbti.ts and
// trajectory-shared.utils.ts at 949af9c) run under Node on the same inventories, rounded to the
// gram. Before the inventory's year the target is its 2020 path (`previousTrajectory`), from
// it the corrected path (`currentTrajectory`).

#[test]
fn bcplus_one_earlier_inventory_after_2020() {
    // 2022: 1,200 t, 2025: 1,000 t. No inventory before 2020: E2020 = the earliest, 1,200.
    // By hand: path 2025 = 1200 × 0.79 = 948; budget 2020–25 = (1200 + 948) × 5 / 2 = 5,370;
    // emitted = 1200 + 1200 + 1166.67 + 1100 + 1033.33 = 5,700; overshoot 330;
    // r·t = (1200 × 0.79² − 2 × 0.042 × 330) / 1000 = 0.7212; r′ = 0.042 / 0.7212.
    let base = baseline(2025, &[("3.9", "1000")]);
    let t = project(
        &base,
        &[measured(2022, "1200")],
        &[],
        TargetKind::Sbti15,
        2045,
    )
    .unwrap();
    assert_eq!(t.reference.year, 2025);
    assert_eq!(t.target.emissions_2020, Some(d("1200")));
    assert_eq!(t.target.overshoot_kgco2e.unwrap().round_dp(6), d("330"));
    assert_eq!(t.target.rate, d("0.042") / d("0.7212"));
    assert!(t.target.compensated && !t.target.on_track);
    assert_eq!(t.years.first().unwrap().year, 2022);
    assert_targets(
        &t,
        &[
            (2022, "1099.2"),
            (2024, "998.4"),
            (2025, "1000"),
            (2026, "941.764"),
            (2030, "708.819"),
            (2042, "9.983"),
            (2043, "0"),
        ],
    );
    assert_eq!(row(&t, 2022).measured, Some(d("1200")));
    assert_eq!(row(&t, 2022).gap.unwrap().round_dp(3), d("100.8"));
}

#[test]
fn bcplus_one_earlier_inventory_before_2020() {
    // 2019: 800 t, 2022: 1,000 t: E2020 = 800 + (1000 − 800) / 3.
    let base = baseline(2022, &[("3.9", "1000")]);
    let t = project(
        &base,
        &[measured(2019, "800")],
        &[],
        TargetKind::Sbti15,
        2045,
    )
    .unwrap();
    assert_eq!(
        t.target.emissions_2020.unwrap().round_dp(6),
        d("866.666667")
    );
    assert_eq!(t.years.first().unwrap().year, 2019);
    assert_eq!(row(&t, 2019).target, None);
    assert_eq!(row(&t, 2019).measured, Some(d("800")));
    assert_targets(
        &t,
        &[
            (2020, "866.667"),
            (2021, "830.267"),
            (2022, "1000"),
            (2023, "940.834"),
            (2030, "526.672"),
            (2038, "53.343"),
            (2039, "0"),
        ],
    );
}

#[test]
fn bcplus_two_earlier_inventories() {
    // 2019: 800 t, 2022: 1,200 t, 2025: 1,000 t: 2020 is a third of the way from 2019 to 2022.
    let base = baseline(2025, &[("3.9", "1000")]);
    let history = [measured(2022, "1200"), measured(2019, "800")];
    let t = project(&base, &history, &[], TargetKind::Sbti15, 2045).unwrap();
    assert_eq!(
        t.target.emissions_2020.unwrap().round_dp(6),
        d("933.333333")
    );
    assert_targets(
        &t,
        &[
            (2020, "933.333"),
            (2023, "815.733"),
            (2024, "776.533"),
            (2025, "1000"),
            (2026, "911.937"),
            (2030, "559.687"),
            (2036, "31.311"),
            (2037, "0"),
        ],
    );
}

#[test]
fn bcplus_three_earlier_inventories() {
    // 2018: 1,100, 2021: 1,000, 2023: 950, 2026: 900 t.
    let base = baseline(2026, &[("3.9", "900")]);
    let history = [
        measured(2018, "1100"),
        measured(2021, "1000"),
        measured(2023, "950"),
    ];
    let t = project(&base, &history, &[], TargetKind::Sbti15, 2045).unwrap();
    assert_eq!(
        t.target.emissions_2020.unwrap().round_dp(6),
        d("1033.333333")
    );
    assert_targets(
        &t,
        &[
            (2020, "1033.333"),
            (2021, "989.933"),
            (2025, "816.333"),
            (2026, "900"),
            (2027, "838.261"),
            (2030, "653.046"),
            (2040, "35.66"),
            (2041, "0"),
        ],
    );
    assert_eq!(row(&t, 2018).target, None);
    assert_eq!(row(&t, 2023).measured, Some(d("950")));
}

#[test]
fn bcplus_within_5_percent_keeps_the_2020_path() {
    // 2020: 1,000 t, 2023: 900 t ≤ 874 × 1.05 = 917.7: on track, the 2020 path stays.
    let base = baseline(2023, &[("3.9", "900")]);
    let t = project(
        &base,
        &[measured(2020, "1000")],
        &[],
        TargetKind::Sbti15,
        2045,
    )
    .unwrap();
    assert!(t.target.on_track && !t.target.compensated);
    assert_eq!(t.target.rate_f64, 0.042);
    assert_targets(
        &t,
        &[
            (2020, "1000"),
            (2021, "958"),
            (2023, "874"),
            (2026, "748"),
            (2043, "34"),
            (2044, "0"),
        ],
    );
    assert_eq!(row(&t, 2023).gap, Some(d("26")));
}

#[test]
fn impossible_requests_are_errors() {
    let base = baseline(2025, &[("3.9", "1000")]);
    let m = |name: &str, year| Measured {
        name: name.into(),
        year,
        kgco2e: d("1"),
    };
    let e = project(&base, &[], &[], TargetKind::Sbti15, 2024).unwrap_err();
    assert_eq!(e.0, "--until 2024 is before the inventory's year 2025");
    let e = project(
        &base,
        &[m("a.yaml", 2022), m("b.yaml", 2022)],
        &[],
        TargetKind::Sbti15,
        2030,
    )
    .unwrap_err();
    assert_eq!(
        e.0,
        "a.yaml and b.yaml are both for 2022: give one inventory per year"
    );
    let e = project(
        &base,
        &[m("late.yaml", 2025)],
        &[],
        TargetKind::Sbti15,
        2030,
    )
    .unwrap_err();
    assert_eq!(
        e.0,
        "--history late.yaml is for 2025, not before the inventory projected (2025)"
    );
}

#[test]
fn targets_parse() {
    assert_eq!(TargetKind::parse("sbti-1.5"), Some(TargetKind::Sbti15));
    assert_eq!(TargetKind::parse("wb-2"), Some(TargetKind::WellBelow2));
    assert_eq!(
        TargetKind::parse("custom:5%"),
        Some(TargetKind::Custom(d("0.05")))
    );
    assert_eq!(TargetKind::parse("custom:0%"), None);
    assert_eq!(TargetKind::parse("custom:5"), None);
    assert_eq!(TargetKind::parse("custom:0.05"), None);
    assert_eq!(TargetKind::parse("custom:150%"), None);
    assert_eq!(TargetKind::parse("2.5"), None);
}

// --- The command ---------------------------------------------------------------------------------

const HEAD: &str = "bilan: 1
organisation: { name: Test }
period: { year: 2024 }
lines:
  - label: Électricité
    factor: \"42513\"
    quantity: 20000
    unit: kWh
    uncertainty: 5%
actions:
";

fn run_in(files: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `bilan trajectory inv.yaml` with one action written `action`; its exit code and stderr.
fn with_action(action: &str) -> (i32, String) {
    let text = format!("{HEAD}{action}");
    let (code, _, stderr) = run_in(&[("inv.yaml", &text)], &["trajectory", "inv.yaml"]);
    (code, stderr)
}

const GOOD: &str = "  - id: led
    label: Éclairage LED
    post: \"2.6\"
    reduction: 20%
    start: 2025-Q3
    end: 2026
    impact: 2
    ease: 5
    owner: Services généraux
    status: planned
";

#[test]
fn a_good_action_projects() {
    let (code, stderr) = with_action(GOOD);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
}

fn first_error(stderr: &str) -> &str {
    stderr.lines().next().unwrap_or("")
}

#[test]
fn an_unknown_post_points_at_it() {
    let (code, stderr) = with_action(&GOOD.replace("\"2.6\"", "\"2.8\""));
    assert_eq!(code, 1);
    assert_eq!(
        first_error(&stderr),
        "error: inv.yaml:13:11: unknown post `2.8`"
    );
    assert!(stderr.contains("= help: posts are: 1.1, 1.2"), "{stderr}");
}

#[test]
fn a_reduction_above_100_percent_is_refused() {
    let (code, stderr) = with_action(&GOOD.replace("20%", "120%"));
    assert_eq!(code, 1);
    assert_eq!(
        first_error(&stderr),
        "error: inv.yaml:14:16: `reduction` must be above 0 % and at most 100 % of the post: `120%`"
    );
}

#[test]
fn an_action_ending_before_its_start_is_refused() {
    let (code, stderr) = with_action(&GOOD.replace("end: 2026", "end: 2025-Q2"));
    assert_eq!(code, 1);
    assert_eq!(
        first_error(&stderr),
        "error: inv.yaml:16:10: action `led` ends (end: 2025-Q2) before it starts (start: 2025-Q3)"
    );
}

#[test]
fn scores_outside_1_5_are_refused() {
    let (code, stderr) = with_action(&GOOD.replace("impact: 2", "impact: 6"));
    assert_eq!(code, 1);
    assert_eq!(
        first_error(&stderr),
        "error: inv.yaml:17:13: `impact` is outside 1–5: `6`"
    );
    let (code, stderr) = with_action(&GOOD.replace("ease: 5", "ease: 0"));
    assert_eq!(code, 1);
    assert_eq!(
        first_error(&stderr),
        "error: inv.yaml:18:11: `ease` is outside 1–5: `0`"
    );
}

#[test]
fn an_unknown_status_is_refused() {
    let (code, stderr) = with_action(&GOOD.replace("status: planned", "status: ongoing"));
    assert_eq!(code, 1);
    assert_eq!(
        first_error(&stderr),
        "error: inv.yaml:20:13: unknown action status `ongoing`"
    );
    assert!(
        stderr.contains("= help: use planned, started or done"),
        "{stderr}"
    );
}

#[test]
fn a_bad_quarter_is_refused() {
    let (code, stderr) = with_action(&GOOD.replace("2025-Q3", "2025-Q5"));
    assert_eq!(code, 1);
    assert_eq!(
        first_error(&stderr),
        "error: inv.yaml:15:12: `start` is not a year or a quarter: `2025-Q5`"
    );
}

#[test]
fn check_validates_actions_too() {
    let text = format!(
        "{HEAD}{}",
        GOOD.replace("status: planned", "status: ongoing")
    );
    let (code, _, stderr) = run_in(&[("inv.yaml", &text)], &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: inv.yaml:20:13: unknown action status"),
        "{stderr}"
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let bad = GOOD
        .replace("\"2.6\"", "\"9.9\"")
        .replace("impact: 2", "impact: 9")
        .replace("status: planned", "status: maybe");
    let (code, stderr) = with_action(&bad);
    assert_eq!(code, 1);
    assert_eq!(stderr.matches("error: inv.yaml:").count(), 3, "{stderr}");
}

#[test]
fn history_and_formats() {
    let earlier = HEAD.replace("2024", "2022").replace("20000", "25000");
    let text = format!("{HEAD}{GOOD}");
    let files = [
        ("2024.yaml", text.as_str()),
        ("2022.yaml", earlier.as_str()),
    ];
    let args = |format: &'static str| {
        vec![
            "trajectory",
            "2024.yaml",
            "--history",
            "2022.yaml",
            "--until",
            "2030",
            "--format",
            format,
        ]
    };
    let (code, json, stderr) = run_in(&files, &args("json"));
    assert_eq!(code, 0, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema"], "bilan.trajectory/1");
    assert_eq!(value["target"]["reference"]["year"], 2024);
    // No inventory before 2020: the 2020 emissions are the earliest inventory's.
    assert_eq!(
        value["target"]["emissions_2020_kgco2e"],
        value["history"][0]["kgco2e"]
    );
    assert_eq!(value["years"][0]["year"], 2022);
    assert_eq!(value["years"].as_array().unwrap().len(), 9);
    assert_eq!(value["actions"][0]["id"], "led");
    assert_eq!(value["matrix"][0]["impact"], 2);
    assert_eq!(value["matrix"][0]["ease"], 5);

    let (code, csv, _) = run_in(&files, &args("csv"));
    assert_eq!(code, 0);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("year,target_kgco2e,with_actions_kgco2e,reduction_kgco2e,measured_kgco2e,gap_kgco2e")
    );
    assert!(lines.next().unwrap().starts_with("2022,"));
    assert_eq!(csv.lines().count(), 10);

    let (code, md, _) = run_in(&files, &args("md"));
    assert_eq!(code, 0);
    assert!(
        md.starts_with("## Trajectoire bas carbone — Test\n"),
        "{md}"
    );
    assert!(
        md.contains("| Impact \\ Facilité | 1 | 2 | 3 | 4 | 5 |"),
        "{md}"
    );

    // A saved JSON result works as history too.
    let (_, saved, _) = run_in(&files, &["compute", "2022.yaml", "--format", "json"]);
    let files = [("2024.yaml", text.as_str()), ("2022.json", saved.as_str())];
    let (code, from_json, stderr) = run_in(
        &files,
        &[
            "trajectory",
            "2024.yaml",
            "--history",
            "2022.json",
            "--until",
            "2030",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let again: serde_json::Value = serde_json::from_str(&from_json).unwrap();
    assert_eq!(again["years"], value["years"]);
}

#[test]
fn bad_options_are_usage_errors() {
    let text = format!("{HEAD}{GOOD}");
    let (code, _, stderr) = run_in(
        &[("inv.yaml", &text)],
        &["trajectory", "inv.yaml", "--target", "3°C"],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("use sbti-1.5, wb-2, custom:RATE (e.g. custom:5%) or snbc[:SECTOR]"),
        "{stderr}"
    );
    let (code, _, stderr) = run_in(
        &[("inv.yaml", &text)],
        &["trajectory", "inv.yaml", "--until", "2020"],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: --until 2020 is before the inventory's year 2024: give a year from 2024 on\n\nFor more information, try '--help'.\n"
    );
}

#[test]
fn the_example_plan() {
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .args([
            "trajectory",
            "examples/conseil-informatique.yaml",
            "--until",
            "2030",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(
        "conseil-informatique-table",
        String::from_utf8(out.stdout).unwrap()
    );
}

#[test]
fn the_readme_action_plan_checks() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let block = readme
        .split("```yaml\n")
        .find(|b| b.starts_with("actions:"))
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let text = format!("{}{}", HEAD.trim_end_matches("actions:\n"), block);
    let (code, _, stderr) = run_in(&[("inv.yaml", &text)], &["check", "inv.yaml"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn the_json_reads_back_into_its_contract_type_unchanged() {
    let more = "  - id: train
    label: Train
    post: \"2.6\"
    reduction: 150
    start: 2025
    duration: 3
";
    let text = format!("{HEAD}{GOOD}{more}");
    let (code, json, stderr) = run_in(
        &[("inv.yaml", &text)],
        &["trajectory", "inv.yaml", "--format", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    // Both kinds of reduction, an end date and a duration are in it.
    for key in [
        "share_of_posts",
        "kgco2e_per_year\": 150",
        "\"end\": \"2026\"",
        "\"duration_years\": 3",
    ] {
        assert!(json.contains(key), "{key}: {json}");
    }
    let document: bilan::contract::trajectory::Document = serde_json::from_str(&json).unwrap();
    assert_eq!(
        serde_json::to_string_pretty(&document).unwrap() + "\n",
        json
    );
    // An SNBC target above the path of an earlier, lower inventory: its segments, the
    // reference inventory and the rates' multiplier are in it too.
    let earlier = HEAD
        .replace("year: 2024", "year: 2023")
        .replace("quantity: 20000", "quantity: 1000")
        .replace("actions:\n", "");
    let (code, json, stderr) = run_in(
        &[("inv.yaml", &text), ("2023.yaml", &earlier)],
        &[
            "trajectory",
            "inv.yaml",
            "--target",
            "snbc:energy",
            "--history",
            "2023.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    for key in ["\"secten_year\"", "\"reference\": {", "\"multiplier\": "] {
        assert!(json.contains(key), "{key}: {json}");
    }
    assert!(!json.contains("\"multiplier\": null"), "{json}");
    let document: bilan::contract::trajectory::Document = serde_json::from_str(&json).unwrap();
    assert_eq!(
        serde_json::to_string_pretty(&document).unwrap() + "\n",
        json
    );
}

// --- SNBC paths ----------------------------------------------------------------------------------
// National figures from Bilan Carbone+ (949af9c): Secten totals 1990 547,000 and 2024 369,000;
// sector targets (2015, 2030, 2050): energy 50,000 / 31,000 / 2,000, transportation 138,000 /
// 99,000 / 4,000, buildings 85,000 / 45,000 / 5,000; Secten energy 2022 44,000, transportation
// 2010 138,000, buildings 2012 97,000. The last figure of each row is Bilan Carbone+'s own
// `calculateSNBCTrajectoryByType` (src/utils/snbc.ts, seed Secten data) run under Node on the same
// inventory, rounded to the gram.

fn snbc(sector: Option<&str>, year: i32, kgco2e: &str) -> Trajectory {
    let kind =
        TargetKind::parse(&sector.map_or("snbc".to_string(), |s| format!("snbc:{s}"))).unwrap();
    let base = baseline(year, &[("3.9", kgco2e)]);
    project(&base, &[], &[], kind, 2055).unwrap()
}

/// The target of `year`, to the gram, equals the hand figure and Bilan Carbone+'s.
fn assert_snbc(t: &Trajectory, year: i32, by_hand: Decimal, bcplus: &str) {
    let got = row(t, year).target.unwrap().round_dp(3);
    assert_eq!(got, by_hand.round_dp(3), "target of {year} by hand");
    assert_eq!(got, d(bcplus), "target of {year} against Bilan Carbone+");
}

#[test]
fn snbc_general_from_2025() {
    let t = snbc(None, 2025, "1000000");
    // Rate to 2030 from Secten 2024 (the latest): 2030 target = 0.6 × 547,000 = 328,200;
    // r1 = (369,000 − 328,200) / 369,000 / (2030 − 2024) = 40,800 / 2,214,000 a year.
    let r1 = d("40800") / d("369000") / d("6");
    // From 2030: 2050 target = 547,000 / 6; r2 = (1 − (547,000/6) / 328,200) / 20 = (13/18) / 20.
    let r2 = (Decimal::ONE - d("547000") / d("6") / d("328200")) / d("20");
    let e = d("1000000");
    let v2030 = e * (Decimal::ONE - d("5") * r1);
    assert_snbc(&t, 2025, e, "1000000");
    assert_snbc(&t, 2026, e * (Decimal::ONE - r1), "981571.816");
    assert_snbc(&t, 2030, v2030, "907859.079");
    assert_snbc(&t, 2031, v2030 * (Decimal::ONE - r2), "875075.279");
    assert_snbc(
        &t,
        2040,
        v2030 * (Decimal::ONE - d("10") * r2),
        "580021.078",
    );
    // 2050: v2030 × (1 − 20 × r2) = v2030 × 5/18; held after 2050.
    let v2050 = v2030 * d("5") / d("18");
    assert_snbc(&t, 2050, v2050, "252183.077");
    assert_snbc(&t, 2055, v2050, "252183.077");
    assert_eq!(t.target.from_year, 2025);
    assert_eq!(t.target.rate, r1);
    let path = t.target.snbc.unwrap();
    assert_eq!(path.secten_year, 2024);
    assert_eq!(path.segments.iter().flatten().count(), 2);
    assert_eq!(row(&t, 2025).measured, Some(e));
}

#[test]
fn snbc_energy_from_2022_takes_the_sector_rate_from_2015_to_2030() {
    // Secten energy 2022 (44,000) is above the 2030 target (31,000): the rate is the sector's
    // from 2015 to 2030, (50,000 − 31,000) / 50,000 / 15 = 19/750, applied from 2022.
    let t = snbc(Some("energy"), 2022, "500000");
    let r1 = d("19") / d("750");
    let e = d("500000");
    let v2030 = e * (Decimal::ONE - d("8") * r1);
    assert_snbc(&t, 2023, e * (Decimal::ONE - r1), "487333.333");
    assert_snbc(&t, 2030, v2030, "398666.667");
    // Then (31,000 − 2,000) / 31,000 / 20 = 29/620 a year: 2050 = v2030 × 2/31.
    let r2 = d("29") / d("620");
    assert_snbc(&t, 2031, v2030 * (Decimal::ONE - r2), "380019.355");
    assert_snbc(&t, 2050, v2030 * d("2") / d("31"), "25720.430");
    assert_eq!(t.target.snbc.unwrap().secten_year, 2022);
}

#[test]
fn snbc_sector_before_2015_has_a_segment_to_2015_unless_already_there() {
    // Buildings 2012: Secten 97,000 → 85,000 in 2015: r0 = 12,000 / 97,000 / 3;
    // then (85,000 − 45,000) / 85,000 / 15 to 2030, (45,000 − 5,000) / 45,000 / 20 to 2050.
    let t = snbc(Some("buildings"), 2012, "300000");
    let e = d("300000");
    let r0 = d("12000") / d("97000") / d("3");
    let v2015 = e * (Decimal::ONE - d("3") * r0);
    assert_snbc(&t, 2013, e * (Decimal::ONE - r0), "287628.866");
    assert_snbc(&t, 2015, v2015, "262886.598");
    let r1 = d("40000") / d("85000") / d("15");
    let v2030 = v2015 * (Decimal::ONE - d("15") * r1);
    assert_snbc(&t, 2016, v2015 * (Decimal::ONE - r1), "254639.175");
    assert_snbc(&t, 2030, v2030, "139175.258");
    assert_snbc(&t, 2050, v2030 * d("5000") / d("45000"), "15463.918");
    assert_eq!(t.target.snbc.unwrap().segments.iter().flatten().count(), 3);

    // Transportation 2010: Secten 138,000 is already the 2015 target: no segment to 2015
    // (a zero rate), the 2015–2030 rate (138,000 − 99,000) / 138,000 / 15 runs from 2010.
    let t = snbc(Some("transportation"), 2010, "800000");
    let e = d("800000");
    let r1 = d("39000") / d("138000") / d("15");
    assert_snbc(&t, 2015, e * (Decimal::ONE - d("5") * r1), "724637.681");
    assert_snbc(&t, 2030, e * (Decimal::ONE - d("20") * r1), "498550.725");
    let path = t.target.snbc.unwrap();
    assert_eq!(path.segments.iter().flatten().count(), 2);
    assert_eq!(path.segments().next().unwrap().from, 2010);
}

#[test]
fn snbc_before_1990_is_held_until_1990_and_2030_starts_the_last_segment() {
    // 1988: held at 100,000 to 1990, then (547,000 − 328,200) / 547,000 / 40 = 1 % a year.
    let t = snbc(None, 1988, "100000");
    assert_snbc(&t, 1990, d("100000"), "100000");
    assert_snbc(&t, 2010, d("80000"), "80000");
    assert_snbc(&t, 2030, d("60000"), "60000");
    assert_snbc(&t, 2050, d("100000") / d("6"), "16666.667");
    // 2030: only the segment 2030–2050, at 13/360 a year.
    let t = snbc(None, 2030, "1000000");
    assert_snbc(
        &t,
        2031,
        d("1000000") * (Decimal::ONE - d("13") / d("360")),
        "963888.889",
    );
    assert_snbc(&t, 2050, d("1000000") * d("5") / d("18"), "277777.778");
}

#[test]
fn snbc_refuses_an_inventory_after_2030() {
    let base = baseline(2031, &[("3.9", "1000")]);
    let e = project(&base, &[], &[], TargetKind::Snbc(None), 2050).unwrap_err();
    assert_eq!(
        e.0,
        "an SNBC target starts from an inventory of 2030 at the latest (its segments end in 2030 and 2050), not 2031"
    );
}

#[test]
fn snbc_targets_parse() {
    use bilan::snbc::Sector;
    assert_eq!(TargetKind::parse("snbc"), Some(TargetKind::Snbc(None)));
    assert_eq!(
        TargetKind::parse("snbc:general"),
        Some(TargetKind::Snbc(None))
    );
    assert_eq!(
        TargetKind::parse("snbc:transportation"),
        Some(TargetKind::Snbc(Some(Sector::Transportation)))
    );
    assert_eq!(
        TargetKind::read("snbc:transport"),
        Err("`transport` is not an SNBC sector: use snbc (the general path) or snbc:SECTOR with SECTOR one of energy, industry, waste, buildings, agriculture, transportation".to_string())
    );
}

#[test]
fn snbc_on_the_command_line() {
    let text = format!("{HEAD}{GOOD}");
    let files = [("inv.yaml", text.as_str())];
    let (code, json, stderr) = run_in(
        &files,
        &[
            "trajectory",
            "inv.yaml",
            "--target",
            "snbc:energy",
            "--format",
            "json",
            "--lang",
            "en",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let target = &value["target"];
    assert_eq!(target["kind"], "snbc:energy");
    assert_eq!(target["name"], "SNBC path of the Energy sector");
    assert_eq!(target["snbc"]["sector"], "energy");
    assert_eq!(target["snbc"]["secten_year"], 2024);
    // Energy 2024 (33,000) is above 31,000: 19/750 a year to 2030, 29/620 to 2050.
    assert_eq!(target["snbc"]["segments"][0]["from_year"], 2024);
    assert_eq!(
        target["snbc"]["segments"][0]["annual_rate"],
        0.025333333333333333
    );
    assert_eq!(target["snbc"]["segments"][1]["annual_rate"], 29.0 / 620.0);
    // The inventory: 20,000 kWh of 42513 (0.052 kgCO2e/kWh) = 1,040 kgCO2e; 2030 = 1,040 ×
    // (1 − 6 × 19/750) = 881.92.
    assert_eq!(value["inventory"]["kgco2e"], 1040);
    assert_eq!(value["years"][6]["year"], 2030);
    assert_eq!(value["years"][6]["target_kgco2e"], 881.92);

    let (code, table, _) = run_in(&files, &["trajectory", "inv.yaml", "--target", "snbc"]);
    assert_eq!(code, 0);
    assert!(
        table.contains("Cible : trajectoire SNBC générale, référence 2024"),
        "{table}"
    );
    assert!(
        table.contains("  SNBC : -1,8\u{a0}%/an de 2024 à 2030, -3,6\u{a0}%/an de 2030 à 2050"),
        "{table}"
    );

    let (code, _, stderr) = run_in(
        &files,
        &["trajectory", "inv.yaml", "--target", "snbc:transport"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("`transport` is not an SNBC sector: use snbc (the general path) or snbc:SECTOR with SECTOR one of energy, industry, waste, buildings, agriculture, transportation"), "{stderr}");

    // With an earlier inventory: 2022, 25,000 kWh = 1,300 kg; its path in 2024 is 1,300 ×
    // (1 − 2 × 74,800 / 403,000 / 8) = 1,239.68 kg, and 1,040 kg is below it: on track.
    let earlier = HEAD.replace("2024", "2022").replace("20000", "25000");
    let files = [("inv.yaml", text.as_str()), ("2022.yaml", earlier.as_str())];
    let (code, table, stderr) = run_in(
        &files,
        &[
            "trajectory",
            "inv.yaml",
            "--target",
            "snbc",
            "--history",
            "2022.yaml",
            "--lang",
            "en",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        table.contains("  inventory 2024 within 5% of the SNBC path from inventory 2022 (1.30 tCO2e): that path stays the target\n"),
        "{table}"
    );
}

#[test]
fn the_example_with_an_snbc_sector_path() {
    // Buildings, inventory 2021: Secten buildings 2021 (76,000) is above the 2030 target, so
    // (85,000 − 45,000) / 85,000 / 15 = 3.1 %/yr to 2030, then (45,000 − 5,000) / 45,000 / 20
    // = 4.4 %/yr; 2022 = 42.96 × (1 − 8/255) = 41.61 t.
    let out = Command::cargo_bin("bilan")
        .unwrap()
        .args([
            "trajectory",
            "examples/conseil-informatique.yaml",
            "--target",
            "snbc:buildings",
            "--format",
            "md",
            "--lang",
            "en",
            "--until",
            "2032",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(
        "conseil-informatique-snbc-buildings-md",
        String::from_utf8(out.stdout).unwrap()
    );
}

// With an earlier inventory, Bilan Carbone+ measures the inventory against the SNBC path of the
// latest earlier one (`getSNBCData`). Expected figures: by hand, and Bilan Carbone+'s
// `getSNBCData` run under Node on the same inventories (seed Secten data), to the gram.

#[test]
fn snbc_within_5_percent_of_the_earlier_inventorys_path_keeps_it() {
    // 2022: 1,200 t; its path: Secten 2022 total 403,000 → 328,200 in 2030,
    // r = 74,800 / 403,000 / 8. In 2025 it is 1,200 × (1 − 3r) = 1,116.476 t; 900 t is below it.
    let base = baseline(2025, &[("3.9", "900000")]);
    let t = project(
        &base,
        &[measured(2022, "1200000")],
        &[],
        TargetKind::Snbc(None),
        2050,
    )
    .unwrap();
    let r = d("74800") / d("403000") / d("8");
    let e = d("1200000");
    assert!(t.target.on_track && !t.target.compensated);
    assert_eq!(t.target.snbc_reference.unwrap().year, 2022);
    assert_snbc(&t, 2022, e, "1200000");
    assert_snbc(&t, 2025, e * (Decimal::ONE - d("3") * r), "1116476.427");
    let v2030 = e * (Decimal::ONE - d("8") * r);
    assert_snbc(&t, 2030, v2030, "977270.471");
    assert_snbc(&t, 2050, v2030 * d("5") / d("18"), "271464.020");
}

#[test]
fn snbc_above_the_earlier_inventorys_path_raises_the_rates_to_keep_its_budget() {
    // 2022: 1,000 t, 2025: 1,120 t. The 2022 path: r = 74,800 / 403,000 / 8, 930.397 t in
    // 2025; 1,120 > 1.05 × 930.397. Emitted 2022–2025 (1,000, 1,040, 1,080, 1,120 by year,
    // trapezoids): 3,180 t; the path's: 1,000 × (3 − 4.5r) t; the overshoot is the difference.
    let base = baseline(2025, &[("3.9", "1120000")]);
    let t = project(
        &base,
        &[measured(2022, "1000000")],
        &[],
        TargetKind::Snbc(None),
        2055,
    )
    .unwrap();
    let r = d("74800") / d("403000") / d("8");
    let overshoot = d("3180000") - d("1000000") * (d("3") - d("4.5") * r);
    assert_eq!(t.target.overshoot_kgco2e, Some(overshoot));
    assert_eq!(overshoot.round_dp(3), d("284404.467"));
    assert!(t.target.compensated && !t.target.on_track);
    // Before 2025 the target is the 2022 path.
    assert_snbc(&t, 2023, d("1000000") * (Decimal::ONE - r), "976799.007");
    // From 2025, the 2025 path's rates times k: Bilan Carbone+'s figures.
    let k = t.target.snbc_reference.unwrap().multiplier.unwrap();
    assert!((k - 1.4513).abs() < 1e-4, "{k}");
    for (year, bcplus) in [
        (2026, "1090045.815"),
        (2030, "970229.075"),
        (2040, "461751.182"),
        (2049, "4121.079"),
        (2050, "0"),
    ] {
        assert_eq!(
            row(&t, year).target.unwrap().round_dp(3),
            d(bcplus),
            "{year}"
        );
    }
    // The point of k: from 2025 to 2050 the raised path emits the 2022 path's budget over
    // those years minus the overshoot, within Bilan Carbone+'s 0.1 %.
    let trapezoids = |values: &dyn Fn(i32) -> Decimal| {
        (2025..2050)
            .map(|y| (values(y) + values(y + 1)) / d("2"))
            .sum::<Decimal>()
    };
    let old_path = |y: i32| {
        let v2030 = d("1000000") * (Decimal::ONE - d("8") * r);
        if y <= 2030 {
            d("1000000") * (Decimal::ONE - r * Decimal::from(y - 2022))
        } else {
            v2030 * (Decimal::ONE - (d("13") / d("360")) * Decimal::from(y - 2030))
        }
    };
    let budget = trapezoids(&old_path) - overshoot;
    let raised = trapezoids(&|y| row(&t, y).target.unwrap());
    assert!(
        ((raised - budget) / budget).abs() < d("0.001"),
        "{raised} vs {budget}"
    );
}
