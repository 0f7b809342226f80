//! The engine on hand-computed inventories: real ADEME Base Carbone V23.6 values written in the
//! project's own CSV format, expected figures computed here by hand.

use bilan::compute::compute;
use bilan::factor_base::FactorBase;
use bilan::load::{factor_csv, inventory};
use bilan::post::Post;
use bilan::report::{Destination, PostStatus, Report};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::Arc;

/// Real values of ADEME Base Carbone V23.6 (ids kept).
const BASE: &str = "\
id,name,unit,kgco2e,uncertainty,category,part,source
42513,Electricité - 2022 - mix moyen - consommation,kgCO2e/kWh,0.052,10,Electricité > Mix réseau électrique > France continentale > Moyen,,ADEME Base Carbone V23.6 id 42513
42513,,kgCO2e/kWh,0.0338,,,Combustion à la centrale,
42513,,kgCO2e/kWh,0.0135,,,Amont,
42513,Pertes,kgCO2e/kWh,0.00474,,,Transport et distribution,
27002,Ordinateur - portable,kgCO2e/unité,156,50,Achats de biens > Machines et équipements > Informatique et électronique,,ADEME Base Carbone V23.6 id 27002
43443,\"Programmation, conseil IT / Services d'information – 2021\",kgCO2e/keuro (2021) HT,78,80,Achats de services > Ratios monétaires,,ADEME Base Carbone V23.6 id 43443
37142,TGV - 2021,kgCO2e/passager.km,0.00334,20,Transport de personnes > Ferroviaire > France continentale,,ADEME Base Carbone V23.6 id 37142
34481,Emballages - Carton - Recyclage - Emissions évitées,kgCO2e/tonne de déchets,-379,20,Traitement des déchets > Ménages et assimilés > Emballages,,ADEME Base Carbone V23.6 id 34481
34650,Ordures ménagères résiduelles - Incinération - Impacts,kgCO2e/tonne de déchets,374,20,Traitement des déchets > Ménages et assimilés > Ordures Ménagères,,ADEME Base Carbone V23.6 id 34650
";

const INVENTORY: &str = r#"bilan: 1
organisation: { name: Fokus IT }
period: { year: 2021 }
indicators:
  etp: { label: ETP, value: 49 }
posts:
  "1.5": { status: not-applicable, reason: Pas de sols }
  "3.12": { status: in-progress }
lines:
  - id: elec
    label: Électricité siège
    factor: 42513
    quantity: 21340
    unit: kWh
    uncertainty: 5%
  - id: laptops
    label: Ordinateurs portables
    factor: "27002"
    quantity: 10
    unit: unité
    uncertainty: 10%
    amortization: { acquired: 2019, years: 5 }
  - id: it-services
    label: Infogérance
    factor: "43443"
    quantity: 50
    unit: k€
    uncertainty: 10%
  - id: it-services-2
    label: Développement
    factor: "43443"
    quantity: 20000
    unit: €
    uncertainty: 10%
  - id: train
    label: TGV
    factor: "37142"
    quantity: 100000
    unit: p.km
    purpose: business
    uncertainty: 10%
  - id: carton
    label: Carton recyclé
    factor: "34481"
    quantity: 2
    unit: t
    uncertainty: 10%
  - id: omr
    label: Ordures ménagères
    factor: "34650"
    quantity: 5000
    unit: kg
    uncertainty: 10%
"#;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn base() -> FactorBase {
    let mut base = FactorBase::new();
    base.merge(factor_csv::load(&Arc::from("base.csv"), BASE, String::new()).unwrap());
    base
}

fn run(text: &str) -> Report {
    let inventory = inventory::parse("inv.yaml", text).unwrap();
    compute(&inventory, &base()).unwrap()
}

fn post(report: &Report, code: &str) -> Decimal {
    report.posts[Post::from_code(code).unwrap().index()]
        .figure
        .kgco2e
}

fn line<'a>(report: &'a Report, id: &str) -> &'a bilan::report::LineResult {
    report.lines.iter().find(|l| *l.id == *id).unwrap()
}

/// k of activity × factor, written out from uncertainty.md §3.
fn k_line(activity: f64, factor: f64) -> f64 {
    (2.0 * ((activity.sqrt().ln()).powi(2) + (factor.sqrt().ln()).powi(2)).sqrt()).exp()
}

/// k of a sum, written out from uncertainty.md §4.
fn k_sum(terms: &[(f64, f64)]) -> f64 {
    let total: f64 = terms.iter().map(|(e, _)| e).sum();
    let inner: f64 = terms
        .iter()
        .map(|(e, k)| (e / total).powi(2) * (k.sqrt().ln()).powi(2))
        .sum();
    inner.sqrt().exp().powi(2)
}

fn close(a: f64, b: f64) {
    assert!(((a - b) / b).abs() < 1e-12, "{a} vs {b}");
}

#[test]
fn electricity_is_split_between_2_6_and_3_8() {
    let r = run(INVENTORY);
    let elec = line(&r, "elec");
    // 21,340 kWh × 0.052 = 1,109.68; 21,340 × 0.0338 = 721.292 to 2.6; the rest, 388.388, to 3.8.
    assert_eq!(elec.figure.kgco2e, d("1109.68"));
    let parts: Vec<(&str, Decimal)> = elec.parts.iter().map(|(p, v)| (p.code(), *v)).collect();
    assert_eq!(parts, vec![("2.6", d("721.292")), ("3.8", d("388.388"))]);
    assert_eq!(post(&r, "2.6"), d("721.292"));
    assert_eq!(post(&r, "3.8"), d("388.388"));
    // 5 % activity, 10 % factor.
    close(elec.figure.k, k_line(1.05, 1.10));
    assert!((elec.figure.k - 1.113).abs() < 5e-4);
    assert_eq!(elec.rule.to_string(), "Electricité > … → 2.6");
}

#[test]
fn capital_goods_are_amortised() {
    let r = run(INVENTORY);
    // 10 laptops × 156 / 5 years, acquired 2019, period 2021 (year 3 of 5).
    assert_eq!(line(&r, "laptops").figure.kgco2e, d("312"));
    assert_eq!(post(&r, "3.10"), d("312"));
    let later = run(&INVENTORY.replace("year: 2021", "year: 2024"));
    let laptops = line(&later, "laptops");
    assert_eq!(laptops.figure.kgco2e, d("0"));
    assert_eq!(laptops.amortization.map(|(_, fully)| fully), Some(true));
    let before = run(&INVENTORY.replace("acquired: 2019", "acquired: 2022"));
    assert_eq!(line(&before, "laptops").figure.kgco2e, d("0"));
}

#[test]
fn units_convert_before_multiplying() {
    let r = run(INVENTORY);
    // 50 k€ × 78 = 3,900; 20,000 € = 20 k€ × 78 = 1,560.
    assert_eq!(line(&r, "it-services").figure.kgco2e, d("3900"));
    assert_eq!(line(&r, "it-services-2").converted_quantity, d("20"));
    assert_eq!(line(&r, "it-services-2").figure.kgco2e, d("1560"));
    // 5,000 kg = 5 t × 374 = 1,870.
    assert_eq!(line(&r, "omr").figure.kgco2e, d("1870"));
    // 100,000 p.km × 0.00334 = 334.
    assert_eq!(post(&r, "3.13"), d("334"));
}

#[test]
fn post_uncertainty_follows_the_sum_formula() {
    let r = run(INVENTORY);
    let k = k_line(1.10, 1.80);
    let expected = k_sum(&[(3900.0, k), (1560.0, k)]);
    let p = &r.posts[Post::from_code("3.9").unwrap().index()];
    assert_eq!(p.figure.kgco2e, d("5460"));
    close(p.figure.k, expected);
}

#[test]
fn total_counts_each_split_line_once_whole() {
    let r = run(INVENTORY);
    // Total = 1109.68 + 312 + 3900 + 1560 + 334 + 1870 = 9085.68 (carton is avoided, apart).
    assert_eq!(r.total.kgco2e, d("9085.68"));
    let terms = [
        (1109.68, k_line(1.05, 1.10)),
        (312.0, k_line(1.10, 1.50)),
        (3900.0, k_line(1.10, 1.80)),
        (1560.0, k_line(1.10, 1.80)),
        (334.0, k_line(1.10, 1.20)),
        (1870.0, k_line(1.10, 1.20)),
    ];
    close(r.total.k, k_sum(&terms));
    // Scope 2 holds only the 2.6 part of the electricity line, with the line's k.
    assert_eq!(r.scopes[1].figure.kgco2e, d("721.292"));
    close(r.scopes[1].figure.k, k_line(1.05, 1.10));
    // Ratio: 9085.68 / 49 ETP = 185.4220408…
    assert_eq!(r.ratios[0].kgco2e_per_unit.round_dp(6), d("185.422041"));
}

#[test]
fn negative_lines_are_reported_apart() {
    let r = run(INVENTORY);
    let carton = line(&r, "carton");
    assert_eq!(carton.figure.kgco2e, d("-758"));
    assert_eq!(carton.destination, Destination::Avoided);
    assert_eq!(r.avoided.figure.kgco2e, d("-758"));
    assert_eq!(post(&r, "3.11"), d("1870"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("`carton` is negative"))
    );
}

#[test]
fn statuses() {
    let r = run(INVENTORY);
    let status = |code: &str| {
        r.posts[Post::from_code(code).unwrap().index()]
            .status
            .clone()
    };
    assert_eq!(status("2.6"), PostStatus::Collected);
    assert_eq!(status("3.8"), PostStatus::Collected);
    assert_eq!(
        status("1.5"),
        PostStatus::NotApplicable("Pas de sols".into())
    );
    assert_eq!(status("3.12"), PostStatus::InProgress);
    assert_eq!(status("1.1"), PostStatus::NotCollected);
}

#[test]
fn the_22_posts_partition_the_total_and_parts_sum_to_lines() {
    let r = run(INVENTORY);
    assert_eq!(r.posts.len(), 22);
    let posts: Decimal = r.posts.iter().map(|p| p.figure.kgco2e).sum();
    assert_eq!(posts, r.total.kgco2e);
    let scopes: Decimal = r.scopes.iter().map(|s| s.figure.kgco2e).sum();
    assert_eq!(scopes, r.total.kgco2e);
    for l in &r.lines {
        let parts: Decimal = l.parts.iter().map(|(_, v)| *v).sum();
        assert_eq!(parts, l.figure.kgco2e, "line {}", l.id);
    }
}

#[test]
fn scaling_every_quantity_scales_every_figure_exactly() {
    let r = run(INVENTORY);
    let scaled_text = INVENTORY
        .replace("quantity: 21340", "quantity: 64020")
        .replace("quantity: 10\n", "quantity: 30\n")
        .replace("quantity: 50\n", "quantity: 150\n")
        .replace("quantity: 20000", "quantity: 60000")
        .replace("quantity: 100000", "quantity: 300000")
        .replace("quantity: 2\n", "quantity: 6\n")
        .replace("quantity: 5000", "quantity: 15000");
    let s = run(&scaled_text);
    let three = Decimal::from(3);
    assert_eq!(s.total.kgco2e, r.total.kgco2e * three);
    for (a, b) in r.posts.iter().zip(&s.posts) {
        assert_eq!(b.figure.kgco2e, a.figure.kgco2e * three, "post {}", a.post);
        assert!((a.figure.k - b.figure.k).abs() < 1e-12);
    }
    assert_eq!(s.avoided.figure.kgco2e, r.avoided.figure.kgco2e * three);
}

#[test]
fn line_order_changes_no_figure() {
    let r = run(INVENTORY);
    let (head, lines) = INVENTORY.split_once("lines:\n").unwrap();
    let mut entries: Vec<String> = lines
        .split("  - ")
        .filter(|s| !s.is_empty())
        .map(|s| format!("  - {s}"))
        .collect();
    entries.reverse();
    let reversed = run(&format!("{head}lines:\n{}", entries.concat()));
    assert_eq!(reversed.lines.first().map(|l| &*l.id), Some("omr"));
    assert_eq!(reversed.total.kgco2e, r.total.kgco2e);
    for (a, b) in r.posts.iter().zip(&reversed.posts) {
        assert_eq!(a.figure.kgco2e, b.figure.kgco2e);
        assert!((a.figure.k - b.figure.k).abs() < 1e-12);
    }
}

#[test]
fn undeclared_quality_counts_at_the_worst_case() {
    let text = INVENTORY.replace("    uncertainty: 5%\n", "");
    let r = run(&text);
    close(line(&r, "elec").figure.k, k_line(2.5163566012590954, 1.10));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("`elec` has no declared uncertainty"))
    );
    // Inventory defaults apply before the worst case.
    let with_default = text.replace("posts:\n", "defaults: { uncertainty: 15% }\nposts:\n");
    close(
        line(&run(&with_default), "elec").figure.k,
        k_line(1.15, 1.10),
    );
}

#[test]
fn a_big_inventory_gives_the_same_bytes_on_any_number_of_threads() {
    // 10,000 lines (three chunks of the parallel aggregation): electricity, services, train.
    let mut text = String::from(
        "bilan: 1\norganisation: { name: Big }\nperiod: { year: 2021 }\ndefaults: { uncertainty: 10% }\nlines:\n",
    );
    let mut kwh = Decimal::ZERO;
    for i in 0..10_000u32 {
        let q = Decimal::from(i % 97 + 1) + Decimal::new(25, 2);
        match i % 3 {
            0 => {
                kwh += q;
                text.push_str(&format!("  - {{ label: E{i}, factor: \"42513\", quantity: {q}, unit: kWh }}\n"));
            }
            1 => text.push_str(&format!("  - {{ label: S{i}, factor: \"43443\", quantity: {q}, unit: k€ }}\n")),
            _ => text.push_str(&format!("  - {{ label: T{i}, factor: \"37142\", quantity: {q}, unit: p.km, purpose: business }}\n")),
        }
    }
    let inventory = inventory::parse("big.yaml", &text).unwrap();
    let render = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let report = pool.install(|| compute(&inventory, &base())).unwrap();
        (
            report.posts[Post::from_code("2.6").unwrap().index()]
                .figure
                .kgco2e,
            bilan::render::json::render(&report, bilan::post::Lang::Fr),
        )
    };
    let (elec, one) = render(1);
    // 2.6 holds Σ kWh × 0.0338 (the combustion part of 42513).
    assert_eq!(elec, kwh * d("0.0338"));
    for threads in [2, 3] {
        assert!(render(threads).1 == one, "{threads} threads");
    }
}

#[test]
fn totals_without_lines_are_those_with_lines() {
    // 10,000 lines over three chunks, with avoided emissions and a warning here and there.
    let mut text = String::from(
        "bilan: 1\norganisation: { name: Big }\nperiod: { year: 2021 }\nindicators:\n  etp: { label: ETP, value: 12 }\nlines:\n",
    );
    let mut avoided = Vec::new();
    let mut carton_tonnes = Decimal::ZERO;
    for i in 0..10_000u32 {
        let q = Decimal::from(i % 89 + 1) + Decimal::new(5, 1);
        match i % 5 {
            0 => text.push_str(&format!("  - {{ label: E{i}, factor: \"42513\", quantity: {q}, unit: kWh, uncertainty: 5% }}\n")),
            1 => text.push_str(&format!("  - {{ label: S{i}, factor: \"43443\", quantity: {q}, unit: k€, uncertainty: 10% }}\n")),
            // No uncertainty: a warning per line.
            2 => text.push_str(&format!("  - {{ label: T{i}, factor: \"37142\", quantity: {q}, unit: p.km, purpose: business }}\n")),
            3 if i % 1000 == 3 => {
                avoided.push(format!("line-{}", i + 1));
                carton_tonnes += q;
                text.push_str(&format!("  - {{ label: C{i}, factor: \"34481\", quantity: {q}, unit: t, uncertainty: 10% }}\n"));
            }
            _ => text.push_str(&format!("  - {{ label: O{i}, factor: \"34650\", quantity: {q}, unit: kg, uncertainty: 20% }}\n")),
        }
    }
    let inventory = inventory::parse("big.yaml", &text).unwrap();
    let full = compute(&inventory, &base()).unwrap();
    let totals = bilan::compute::compute_totals(&inventory, &base()).unwrap();
    // Only the avoided lines are kept, in file order, and the block indexes them.
    let ids = |r: &Report, indices: &[usize]| -> Vec<String> {
        indices.iter().map(|i| r.lines[*i].id.to_string()).collect()
    };
    assert_eq!(avoided.len(), 10);
    assert_eq!(ids(&totals, &totals.avoided.lines), avoided);
    assert_eq!(ids(&full, &full.avoided.lines), avoided);
    assert_eq!(totals.lines.len(), avoided.len());
    // -379 kgCO2e per tonne of carton recycled.
    assert_eq!(totals.avoided.figure.kgco2e, carton_tonnes * d("-379"));
    assert_eq!(totals.avoided.figure, full.avoided.figure);
    assert_eq!(totals.total, full.total);
    assert_eq!(totals.posts, full.posts);
    assert_eq!(totals.scopes, full.scopes);
    assert_eq!(totals.gases, full.gases);
    assert_eq!(totals.warnings, full.warnings);
    // 2,000 lines without uncertainty, 10 negative lines reported apart.
    assert_eq!(totals.warnings.len(), 2_010);
    assert_eq!(totals.ratios, full.ratios);
    assert_eq!(
        (
            totals.co2_biogenic,
            totals.scope2_market,
            totals.market_lines
        ),
        (full.co2_biogenic, full.scope2_market, full.market_lines)
    );
    for lang in [bilan::post::Lang::Fr, bilan::post::Lang::En] {
        assert_eq!(
            bilan::render::table::render(&totals, lang),
            bilan::render::table::render(&full, lang)
        );
        assert_eq!(
            bilan::render::markdown::render(&totals, lang),
            bilan::render::markdown::render(&full, lang)
        );
    }
    // Lines given a batch at a time, in batches of any size, sum as the whole: the same
    // chunks of 4,096 lines in the same order (the uncertainties, sums of floats, would
    // differ in their last bits otherwise), the same warnings in the same order.
    let base_ = base();
    let sizes: [&[usize]; 3] = [&[1, 4095, 4097, 7], &[5000, 3, 1, 4096], &[10_000]];
    for sizes in sizes {
        let batched = in_batches(&inventory, &base_, sizes);
        assert_eq!(batched.posts, totals.posts, "{sizes:?}");
        assert_eq!(batched.scopes, totals.scopes, "{sizes:?}");
        assert_eq!(batched.total, totals.total, "{sizes:?}");
        assert_eq!(batched.avoided, totals.avoided, "{sizes:?}");
        assert_eq!(batched.lines, totals.lines, "{sizes:?}");
        assert_eq!(batched.warnings, totals.warnings, "{sizes:?}");
    }
    // The JSON document, each line's text made a batch at a time, is the full one; a report
    // of the totals alone never writes its few lines as if they were all.
    let texts = |write: &mut dyn FnMut(&[&str]) -> bool| {
        for lines in inventory.lines.chunks(3000) {
            let results = bilan::compute::line_results(&inventory, &base_, lines)
                .ok_or_else(|| "no".to_string())?;
            let results: Vec<_> = results.iter().collect();
            let texts = bilan::render::json::line_texts(&results)?;
            if !write(&texts.iter().map(String::as_str).collect::<Vec<_>>()) {
                return Err("stopped".to_string());
            }
        }
        Ok(())
    };
    let json = |report: &Report, source| {
        let mut out = Vec::new();
        let analysed = bilan::analysed::Analysed::of(report);
        bilan::render::json::write_lines_from(&analysed, bilan::post::Lang::Fr, source, &mut out)
            .map(|()| String::from_utf8(out).unwrap())
    };
    let streamed = json(&totals, bilan::render::json::LineSource::Texts(&texts)).unwrap();
    assert!(streamed == bilan::render::json::render(&full, bilan::post::Lang::Fr));
    assert_eq!(streamed.matches("\"factor_name\"").count(), 10_000);
    assert!(json(&totals, bilan::render::json::LineSource::Report).is_err());
    // An error is the same error.
    let broken = text.replace("quantity: 7.5, unit: kWh", "quantity: 7.5, unit: litre");
    let inventory = inventory::parse("big.yaml", &broken).unwrap();
    let a = compute(&inventory, &base()).unwrap_err().to_string();
    let b = bilan::compute::compute_totals(&inventory, &base())
        .unwrap_err()
        .to_string();
    assert!(a.contains("litre"), "{a}");
    assert_eq!(a, b);
}

#[test]
fn lines_summed_a_batch_at_a_time_round_as_the_whole() {
    // Emissions of 28 significant digits: their sums round, so adding them in other chunks
    // (or another order) would move the last digits.
    let mut text = String::from(
        "bilan: 1\norganisation: { name: Big }\nperiod: { year: 2021 }\ndefaults: { uncertainty: 10% }\nlines:\n",
    );
    for i in 0..9_000u32 {
        let q = format!("{}{}.123456789012345678901", i % 7 + 1, i % 1000);
        text.push_str(&format!(
            "  - {{ label: E{i}, factor: \"42513\", quantity: {q}, unit: kWh }}\n"
        ));
    }
    let inventory = inventory::parse("big.yaml", &text).unwrap();
    let base = base();
    let whole = bilan::compute::compute_totals(&inventory, &base).unwrap();
    let one_by_one = inventory
        .lines
        .iter()
        .map(|line| {
            bilan::compute::line_results(&inventory, &base, std::slice::from_ref(line)).unwrap()
        })
        .fold(Decimal::ZERO, |sum, r| sum + r[0].figure.kgco2e);
    // The test can tell: summed line after line, the total is another figure.
    assert_ne!(one_by_one, whole.total.kgco2e);
    for sizes in [&[1usize, 4095, 4097][..], &[4097, 1, 3], &[100], &[9_000]] {
        let batched = in_batches(&inventory, &base, sizes);
        assert_eq!(batched.total, whole.total, "{sizes:?}");
        assert_eq!(batched.posts, whole.posts, "{sizes:?}");
    }
}

/// The totals of `inventory`'s lines given to `LineSums` in batches of `sizes`, over and over.
fn in_batches(
    inventory: &bilan::inventory::Inventory,
    base: &FactorBase,
    sizes: &[usize],
) -> Report {
    let mut sums = bilan::compute::LineSums::new(inventory, base);
    let mut rest = inventory.lines.as_slice();
    for size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (batch, after) = rest.split_at((*size).min(rest.len()));
        sums.add(batch);
        rest = after;
    }
    sums.finish().unwrap()
}
