//! Properties of the engine over generated inventories and factor bases (proptest).
//!
//! An inventory is generated as YAML text: lines on a handful of real factors of the embedded
//! base (with units that convert to theirs), and on factors of a generated base in the
//! project's own CSV format (random values, categories, parts); random quantities with up to 6
//! decimals, purposes, directions, amortisation, uncertainty percentages and quality scores.
//! Conversions and amortisation periods are chosen so they stay exact (× or ÷ by powers of ten,
//! years dividing a power of ten): the properties below are exact equalities of decimals.

use bilan::compute::compute;
use bilan::factor_base::FactorBase;
use bilan::load::{factor_csv, inventory};
use bilan::post::Lang;
use bilan::render;
use bilan::report::{Destination, Report};
use proptest::prelude::*;
use proptest::test_runner::Config;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

/// What a line on a factor needs besides a quantity.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Plain,
    /// Passenger transport: `purpose:`.
    Passenger,
    /// Freight: `direction:`.
    Freight,
    /// Capital good: maybe `amortization:`.
    Capital,
    /// Fuel burnt in vehicles: `mobile: true`.
    Mobile,
    /// A PCI factor read from kWh PCS: `pci_per_pcs:`.
    Pcs,
}

/// Factors of the embedded base, with line units that convert exactly to theirs.
const KNOWN: &[(&str, &[&str], Kind)] = &[
    ("42513", &["kWh", "MWh"], Kind::Plain), // electricity, split 2.6 / 3.8
    ("37133", &["kWh PCS", "MWh PCS"], Kind::Plain), // natural gas, split 1.1 / 3.8
    ("14087", &["L", "litre", "m3"], Kind::Plain), // heating oil
    ("25775", &["L"], Kind::Mobile),         // diesel in vehicles → 1.2
    ("43576", &["kWh PCI", "kWh PCS"], Kind::Pcs), // biomethane: biogenic CO2
    ("43807", &["p.km", "passenger.km"], Kind::Passenger), // car
    ("43256", &["p.km"], Kind::Passenger),   // TGV
    ("43643", &["t.km", "tonne.km"], Kind::Freight), // truck
    ("27002", &["unité", "appareil"], Kind::Capital), // laptop
    ("43510", &["k€", "€", "M€"], Kind::Plain), // monetary ratio, price year 2023
    ("34650", &["t", "kg"], Kind::Plain),    // incineration
    ("34481", &["t"], Kind::Plain),          // recycling: negative, avoided emissions
    ("20906", &["kg", "t"], Kind::Plain),    // machines by mass
    ("37089", &["kWh", "MWh"], Kind::Plain), // heat network → 2.7
];

/// Units of generated factors (the factor's unit, the units a line may use).
const GENERATED_UNITS: &[(&str, &[&str])] = &[
    ("kgCO2e/kWh", &["kWh", "MWh"]),
    ("kgCO2e/kg", &["kg", "t", "g"]),
    ("kgCO2e/unité", &["unité"]),
    ("kgCO2e/keuro", &["k€", "€"]),
    ("kgCO2e/litre", &["L", "m3"]),
];

/// Categories of generated factors: each picks a post without `purpose:`/`direction:`.
const CATEGORIES: &[&str] = &[
    "Electricité > Test",
    "Combustibles > Fossiles > Test",
    "Réseaux de chaleur / froid > Test",
    "Achats de biens > Fournitures",
    "Achats de services > Conseil",
    "Traitement des déchets > Test",
    "Process et émissions fugitives > Test",
];

const PART_KINDS: &[&str] = &[
    "Combustion",
    "Amont",
    "Fuites",
    "Fabrication",
    "Transport et distribution",
];

/// A decimal from its mantissa and scale, as text.
fn decimal(mantissa: u64, scale: u32) -> Decimal {
    Decimal::new(i64::try_from(mantissa).unwrap(), scale)
}

#[derive(Clone, Debug)]
struct GeneratedFactor {
    unit: usize,
    total: Decimal,
    negative: bool,
    uncertainty: Option<u32>,
    category: usize,
    /// Parts as (kind, percent of the total); percents add up to at most 99.
    parts: Vec<(usize, u32)>,
}

#[derive(Clone, Debug)]
enum Certainty {
    None,
    Percent(Decimal),
    Quality([u8; 5]),
}

#[derive(Clone, Debug)]
struct LineSpec {
    /// Index into KNOWN, or KNOWN.len() + index into the generated factors.
    factor: usize,
    unit: usize,
    quantity: Decimal,
    certainty: Certainty,
    factor_uncertainty: Option<u32>,
    purpose: usize,
    direction: usize,
    amortization: Option<(i32, u32)>,
    pci_per_pcs: u32,
}

#[derive(Clone, Debug)]
struct Spec {
    year: i32,
    default_uncertainty: Option<u32>,
    factors: Vec<GeneratedFactor>,
    lines: Vec<LineSpec>,
}

fn certainty() -> impl Strategy<Value = Certainty> {
    prop_oneof![
        Just(Certainty::None),
        (0u64..=1000).prop_map(|m| Certainty::Percent(decimal(m, 0))),
        (0u64..=100_000).prop_map(|m| Certainty::Percent(decimal(m, 2))),
        proptest::array::uniform5(1u8..=5).prop_map(Certainty::Quality),
    ]
}

fn generated_factor() -> impl Strategy<Value = GeneratedFactor> {
    (
        0..GENERATED_UNITS.len(),
        (1u64..=1_000_000, 0u32..=6),
        prop::bool::weighted(0.15),
        prop::option::of(0u32..=200),
        0..CATEGORIES.len(),
        prop::collection::vec((0..PART_KINDS.len(), 0u32..=33), 0..=3),
    )
        .prop_map(
            |(unit, (m, s), negative, uncertainty, category, parts)| GeneratedFactor {
                unit,
                total: decimal(m, s),
                negative,
                uncertainty,
                category,
                // A negative factor has no parts: its line goes apart, whole.
                parts: if negative { Vec::new() } else { parts },
            },
        )
}

fn line(factors: usize) -> impl Strategy<Value = LineSpec> {
    (
        0..KNOWN.len() + factors,
        0usize..3,
        (0u64..=1_000_000_000, 0u32..=6),
        certainty(),
        prop::option::of(0u32..=300),
        (0usize..3, 0usize..2),
        prop::option::of((
            2010i32..=2024,
            prop::sample::select(vec![1u32, 2, 4, 5, 10, 20, 25]),
        )),
        1u32..=1000,
    )
        .prop_map(
            move |(
                factor,
                unit,
                (m, s),
                certainty,
                factor_uncertainty,
                (purpose, direction),
                amortization,
                pci,
            )| {
                LineSpec {
                    factor,
                    unit,
                    quantity: decimal(m, s),
                    certainty,
                    factor_uncertainty,
                    purpose,
                    direction,
                    amortization,
                    pci_per_pcs: pci,
                }
            },
        )
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        2019i32..=2024,
        prop::option::of(0u32..=100),
        prop::collection::vec(generated_factor(), 0..=4),
    )
        .prop_flat_map(|(year, default_uncertainty, factors)| {
            let n = factors.len();
            prop::collection::vec(line(n), 1..=12).prop_map(move |lines| Spec {
                year,
                default_uncertainty,
                factors: factors.clone(),
                lines,
            })
        })
}

/// The generated factors as the project's own CSV.
fn base_csv(spec: &Spec) -> String {
    let mut csv = factor_csv::HEADER.join(",");
    csv.push('\n');
    for (i, f) in spec.factors.iter().enumerate() {
        let total = if f.negative { -f.total } else { f.total };
        let uncertainty = f.uncertainty.map_or(String::new(), |u| u.to_string());
        writeln!(
            csv,
            "G{i},Facteur {i},{},{total},{uncertainty},{},,généré",
            GENERATED_UNITS[f.unit].0, CATEGORIES[f.category]
        )
        .unwrap();
        // Each part kind once (a part given twice is an error of the base).
        let mut written = Vec::new();
        for (kind, percent) in &f.parts {
            if written.contains(kind) {
                continue;
            }
            written.push(*kind);
            let value = f.total * Decimal::from(*percent) / Decimal::ONE_HUNDRED;
            writeln!(
                csv,
                "G{i},,{},{value},,,{},",
                GENERATED_UNITS[f.unit].0, PART_KINDS[*kind]
            )
            .unwrap();
        }
    }
    csv
}

/// The inventory as YAML, its lines in `order` (indices into `spec.lines`).
fn yaml(spec: &Spec, order: &[usize], scale: u32) -> String {
    let mut text = format!(
        "bilan: 1\norganisation: {{ name: Propriétés }}\nperiod: {{ year: {} }}\n",
        spec.year
    );
    if let Some(u) = spec.default_uncertainty {
        writeln!(text, "defaults: {{ uncertainty: {u}% }}").unwrap();
    }
    text.push_str("lines:\n");
    for &i in order {
        let l = &spec.lines[i];
        let (factor, unit, kind) = match KNOWN.get(l.factor) {
            Some((id, units, kind)) => (id.to_string(), units[l.unit % units.len()], *kind),
            None => {
                let g = l.factor - KNOWN.len();
                let units = GENERATED_UNITS[spec.factors[g].unit].1;
                (format!("G{g}"), units[l.unit % units.len()], Kind::Plain)
            }
        };
        let quantity = l.quantity * Decimal::from(scale);
        writeln!(
            text,
            "  - id: l{i}\n    label: Ligne {i}\n    factor: \"{factor}\"\n    quantity: {quantity}\n    unit: {unit}"
        )
        .unwrap();
        match &l.certainty {
            Certainty::None => {}
            Certainty::Percent(p) => writeln!(text, "    uncertainty: {p}%").unwrap(),
            Certainty::Quality([r, t, g, ti, c]) => writeln!(
                text,
                "    quality: {{ reliability: {r}, technical: {t}, geographic: {g}, temporal: {ti}, completeness: {c} }}"
            )
            .unwrap(),
        }
        if let Some(u) = l.factor_uncertainty {
            writeln!(text, "    factor_uncertainty: {u}%").unwrap();
        }
        match kind {
            Kind::Plain => {}
            Kind::Passenger => {
                let purpose = ["business", "commute", "visitors"][l.purpose];
                writeln!(text, "    purpose: {purpose}").unwrap();
            }
            Kind::Freight => {
                let direction = ["upstream", "downstream"][l.direction];
                writeln!(text, "    direction: {direction}").unwrap();
            }
            Kind::Capital => {
                if let Some((acquired, years)) = l.amortization {
                    writeln!(
                        text,
                        "    amortization: {{ acquired: {acquired}, years: {years} }}"
                    )
                    .unwrap();
                }
            }
            Kind::Mobile => text.push_str("    mobile: true\n"),
            Kind::Pcs => {
                let ratio = Decimal::new(i64::from(l.pci_per_pcs), 3);
                writeln!(text, "    pci_per_pcs: {ratio}").unwrap();
            }
        }
    }
    text
}

fn embedded() -> &'static FactorBase {
    static BASE: OnceLock<FactorBase> = OnceLock::new();
    BASE.get_or_init(|| bilan::embedded::base().unwrap())
}

fn base(spec: &Spec) -> FactorBase {
    let mut base = embedded().clone();
    if !spec.factors.is_empty() {
        let loaded = factor_csv::load(&Arc::from("generated.csv"), &base_csv(spec), String::new())
            .unwrap_or_else(|e| panic!("{e}\n{}", base_csv(spec)));
        base.merge(loaded);
    }
    base
}

fn natural(spec: &Spec) -> Vec<usize> {
    (0..spec.lines.len()).collect()
}

/// Computes the inventory of `spec` with its lines in `order` and quantities × `scale`.
fn report(spec: &Spec, order: &[usize], scale: u32) -> Report {
    let text = yaml(spec, order, scale);
    let inventory = inventory::parse("prop.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    compute(&inventory, &base(spec)).unwrap_or_else(|e| panic!("{e}\n{text}\n{}", base_csv(spec)))
}

/// True when no figure of `report` comes near a decimal's 28 significant digits. Beyond them
/// rust_decimal rounds products and sums (inventory.md), and a rounded value shows up in the
/// report with 27 digits or more: then exact equalities of sums and products can fail by one in
/// the last digit, and the properties that need them are not checked for that case.
fn within_precision(report: &Report) -> bool {
    let limit = 10i128.pow(26);
    let gases = |g: &bilan::report::GasBreakdown| {
        let a = g.amounts;
        [a.co2f, a.ch4f, a.ch4b, a.n2o, a.other, g.covered_kgco2e]
    };
    let mut values: Vec<Decimal> = vec![
        report.total.kgco2e,
        report.avoided.figure.kgco2e,
        report.removals.figure.kgco2e,
        report.co2_biogenic,
    ];
    values.extend(gases(&report.gases));
    for post in &report.posts {
        values.push(post.figure.kgco2e);
        values.extend(gases(&post.gases));
    }
    for line in &report.lines {
        values.extend([
            line.figure.kgco2e,
            line.converted_quantity,
            line.co2_biogenic,
        ]);
        values.extend(line.parts.iter().map(|(_, v)| *v));
        let by_post = bilan::gas::by_post(&line.factor, &line.parts, line.post, line.gas_scale);
        for (_, g) in &by_post.unwrap_or_default() {
            values.extend([g.co2f, g.ch4f, g.ch4b, g.n2o, g.other]);
        }
    }
    values.iter().all(|v| v.mantissa().abs() < limit)
}

fn sum(values: impl IntoIterator<Item = Decimal>) -> Decimal {
    bilan::number::checked_sum(values).unwrap()
}

/// The JSON with what depends on the order of lines made order-free: the `lines` array and
/// the line lists of avoided emissions and removals sorted by id, and warnings (which follow
/// the lines and quote their positions in the file) sorted without their position.
fn json_without_line_order(report: &Report) -> serde_json::Value {
    let text = render::json::render(report, Lang::En);
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let by_id =
        |a: &serde_json::Value, b: &serde_json::Value| a["id"].as_str().cmp(&b["id"].as_str());
    json["lines"].as_array_mut().unwrap().sort_by(by_id);
    for block in ["avoided", "removals"] {
        json[block]["lines"].as_array_mut().unwrap().sort_by(by_id);
    }
    let warnings = json["warnings"].as_array_mut().unwrap();
    for warning in warnings.iter_mut() {
        let text = warning.as_str().unwrap();
        // "prop.yaml:12:5: line `l3` …" → "line `l3` …"
        let message = match text.strip_prefix("prop.yaml:") {
            Some(rest) => rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ':'),
            None => text,
        };
        *warning = serde_json::Value::String(message.trim_start().to_string());
    }
    warnings.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    json
}

/// 64 cases each (set PROPTEST_CASES for a longer run).
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// The 22 posts partition the total exactly, always; the 3 scopes, and the lines that are
    /// emissions (not avoided emissions or removals), add up to it too.
    #[test]
    fn posts_partition_the_total(spec in spec()) {
        let report = report(&spec, &natural(&spec), 1);
        prop_assert_eq!(report.posts.len(), 22);
        prop_assert_eq!(sum(report.posts.iter().map(|p| p.figure.kgco2e)), report.total.kgco2e);
        // The scopes are sums of their posts too; they add up to the total exactly unless a
        // sum rounds (the total is the sum of the posts, not of the scopes).
        if within_precision(&report) {
            prop_assert_eq!(sum(report.scopes.iter().map(|s| s.figure.kgco2e)), report.total.kgco2e);
            let emitted = report
                .lines
                .iter()
                .filter(|l| l.destination == Destination::Emissions)
                .map(|l| l.figure.kgco2e);
            prop_assert_eq!(sum(emitted), report.total.kgco2e);
        }
        let apart = |d: Destination| sum(report.lines.iter().filter(|l| l.destination == d).map(|l| l.figure.kgco2e));
        prop_assert_eq!(apart(Destination::Avoided), report.avoided.figure.kgco2e);
        prop_assert_eq!(apart(Destination::Removals), report.removals.figure.kgco2e);
    }

    /// Every line's parts add up to the line.
    #[test]
    fn parts_add_up_to_their_line(spec in spec()) {
        let report = report(&spec, &natural(&spec), 1);
        prop_assume!(within_precision(&report));
        for line in &report.lines {
            prop_assert_eq!(sum(line.parts.iter().map(|(_, v)| *v)), line.figure.kgco2e, "line {}", &line.id);
        }
    }

    /// Multiplying every quantity by an integer k multiplies every emission by k, exactly.
    #[test]
    fn scaling_quantities_scales_emissions(spec in spec(), k in 2u32..=1000) {
        let one = report(&spec, &natural(&spec), 1);
        let scaled = report(&spec, &natural(&spec), k);
        prop_assume!(within_precision(&one) && within_precision(&scaled));
        let k = Decimal::from(k);
        prop_assert_eq!(scaled.total.kgco2e, one.total.kgco2e * k);
        for (a, b) in one.posts.iter().zip(&scaled.posts) {
            prop_assert_eq!(b.figure.kgco2e, a.figure.kgco2e * k, "post {}", a.post);
            prop_assert_eq!(b.gases.amounts.co2f, a.gases.amounts.co2f * k);
            prop_assert_eq!(b.gases.covered_kgco2e, a.gases.covered_kgco2e * k);
        }
        for (a, b) in one.scopes.iter().zip(&scaled.scopes) {
            prop_assert_eq!(b.figure.kgco2e, a.figure.kgco2e * k);
        }
        for (a, b) in one.lines.iter().zip(&scaled.lines) {
            prop_assert_eq!(b.figure.kgco2e, a.figure.kgco2e * k, "line {}", &a.id);
            let parts: Vec<_> = a.parts.iter().map(|(p, v)| (*p, *v * k)).collect();
            prop_assert_eq!(&b.parts, &parts, "line {}", &a.id);
        }
        prop_assert_eq!(scaled.avoided.figure.kgco2e, one.avoided.figure.kgco2e * k);
        prop_assert_eq!(scaled.removals.figure.kgco2e, one.removals.figure.kgco2e * k);
        prop_assert_eq!(scaled.co2_biogenic, one.co2_biogenic * k);
        prop_assert_eq!(scaled.gases.amounts.n2o, one.gases.amounts.n2o * k);
    }

    /// The order of the lines changes no figure: the posts CSV is byte-identical and the JSON
    /// differs only by the order of what lists lines.
    #[test]
    fn reordering_lines_changes_no_figure(
        (spec, order) in spec().prop_flat_map(|spec| {
            let order = Just((0..spec.lines.len()).collect::<Vec<_>>()).prop_shuffle();
            (Just(spec), order)
        })
    ) {
        let a = report(&spec, &natural(&spec), 1);
        let b = report(&spec, &order, 1);
        // Beyond 28 digits a sum is rounded, and in another order it may round to another
        // last digit (inventory.md): not checked then.
        prop_assume!(within_precision(&a) && within_precision(&b));
        for lang in [Lang::Fr, Lang::En] {
            prop_assert_eq!(render::csv::posts(&a, lang), render::csv::posts(&b, lang));
        }
        prop_assert_eq!(json_without_line_order(&a), json_without_line_order(&b));
        prop_assert_eq!(a.total, b.total);
        prop_assert_eq!(&a.posts, &b.posts);
        prop_assert_eq!(&a.scopes, &b.scopes);
    }

    /// Uncertainties are α = k − 1 ≥ 0, and a post is never more uncertain than the most
    /// uncertain line with a part in it (a sum of non-negative terms narrows: uncertainty.md).
    #[test]
    fn uncertainty_is_bounded_by_the_lines(spec in spec()) {
        let report = report(&spec, &natural(&spec), 1);
        let figures = report
            .lines
            .iter()
            .map(|l| &l.figure)
            .chain(report.posts.iter().map(|p| &p.figure))
            .chain(report.scopes.iter().map(|s| &s.figure))
            .chain([&report.total, &report.avoided.figure, &report.removals.figure]);
        for figure in figures {
            prop_assert!(figure.alpha() >= 0.0, "α = {}", figure.alpha());
        }
        for post in &report.posts {
            let contributions: Vec<(Decimal, f64)> = report
                .lines
                .iter()
                .filter(|l| l.destination == Destination::Emissions)
                .flat_map(|l| {
                    l.parts
                        .iter()
                        .filter(|(p, v)| *p == post.post && !v.is_zero())
                        .map(|(_, v)| (*v, l.figure.k))
                })
                .collect();
            // A sum with negative terms can be more uncertain than each of them; generated
            // parts are never negative, so this skips nothing but says why it would.
            if contributions.iter().any(|(v, _)| v.is_sign_negative()) {
                continue;
            }
            let largest = contributions.iter().map(|(_, k)| *k).fold(1.0, f64::max);
            prop_assert!(
                post.figure.k <= largest * (1.0 + 1e-12),
                "post {}: k = {} > {}", post.post, post.figure.k, largest
            );
        }
    }

    /// Rendering is a pure function of the report: the same JSON twice.
    #[test]
    fn rendering_json_twice_is_identical(spec in spec()) {
        let report = report(&spec, &natural(&spec), 1);
        for lang in [Lang::Fr, Lang::En] {
            prop_assert_eq!(render::json::render(&report, lang), render::json::render(&report, lang));
        }
    }
}
