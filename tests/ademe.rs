#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The ADEME Base Carbone loader on the real 117-row extract, on broken inputs, and on the full
//! V23.6 export when it is present.

use bilan::error::InputError;
use bilan::factor::{Factor, FactorStatus};
use bilan::factor_base::{LoadedBase, SkippedRow};
use bilan::load::ademe::{self, SKIPPED_DUPLICATE, SKIPPED_SOURCE_DATA};
use bilan::load::encoding::decode;
use bilan::load::inventory;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/Base_Carbone_Test.csv"
);
const FULL_EXPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/basecarbone/Base_Carbone_V23.6.csv"
);

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn load(name: &str, bytes: &[u8]) -> Result<LoadedBase, InputError> {
    ademe::load(&Arc::from(name), bytes)
}

fn factor<'a>(base: &'a LoadedBase, id: &str) -> &'a Factor {
    base.factors
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("factor {id} not loaded"))
}

fn parts(factor: &Factor) -> Vec<(&str, &str, Decimal)> {
    factor
        .parts
        .iter()
        .map(|p| (p.kind.as_str(), p.name.as_str(), p.kgco2e))
        .collect()
}

/// The extract's lines (decoded), to build small broken files out of real rows.
fn fixture_lines() -> Vec<String> {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let text = decode(&Arc::from(FIXTURE), &bytes).unwrap();
    text.lines().map(str::to_string).collect()
}

/// A file made of the extract's header and the given lines (1-based, as in the extract).
fn file_of(lines: &[usize]) -> String {
    let all = fixture_lines();
    let mut text = format!("{}\n", all[0]);
    for line in lines {
        text.push_str(&all[line - 1]);
        text.push('\n');
    }
    text
}

#[test]
fn extract_loads_without_defects() {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let base = load("tests/fixtures/Base_Carbone_Test.csv", &bytes).unwrap();
    assert!(base.defects.is_empty(), "{:?}", base.defects);
    assert!(base.skipped.is_empty(), "{:?}", base.skipped);
    let source = base.source.as_ref().unwrap();
    assert_eq!(source.name, "tests/fixtures/Base_Carbone_Test.csv");
    assert_eq!(source.rows, 117);
    assert_eq!(source.factors, 53);
    assert_eq!(base.factors.len(), 53);
    // SOURCE.md gives the extract's hash.
    assert_eq!(
        source.sha256,
        "a8f0d5cc955cae6258ce0b3fd1a35f99e1fc1483adfb70e3b9e778758bff58cb"
    );
    // Every one of the 64 Poste rows found its factor.
    assert_eq!(
        base.factors.iter().map(|f| f.parts.len()).sum::<usize>(),
        64
    );
}

#[test]
fn extract_electricity_42513() {
    let base = load("Base_Carbone_Test.csv", &std::fs::read(FIXTURE).unwrap()).unwrap();
    let elec = factor(&base, "42513");
    assert_eq!(elec.name, "Electricité - 2022 - mix moyen - consommation");
    assert_eq!(elec.unit, "kgCO2e/kWh");
    assert_eq!(elec.per_unit(), "kWh");
    assert_eq!(elec.kgco2e, d("0.052"));
    assert_eq!(
        parts(elec),
        [
            ("Combustion à la centrale", "", d("0.0338")),
            ("Amont", "", d("0.0135")),
            ("Transport et distribution", "Pertes", d("0.00474")),
        ]
    );
    assert_eq!(
        elec.category,
        "Electricité > Mix réseau électrique > France continentale > Moyen"
    );
    assert_eq!(elec.tags, "Electricité,France continentale,Mix électrique");
    assert_eq!(elec.location, "France continentale");
    assert_eq!(elec.status, FactorStatus::ValidGeneric);
    assert_eq!(elec.uncertainty.percent, Some(d("0.10")));
    assert!(elec.uncertainty.quality.is_empty());
    assert!(elec.gases.is_empty());
    // No version in this file name.
    assert_eq!(elec.source, "ADEME Base Carbone id 42513");
    assert_eq!(elec.origin.line, 108);
    assert_eq!(elec.origin.file.as_ref(), "Base_Carbone_Test.csv");
}

#[test]
fn extract_archived_paper_22024_with_gases() {
    let base = load("Base_Carbone_Test.csv", &std::fs::read(FIXTURE).unwrap()).unwrap();
    let paper = factor(&base, "22024");
    assert_eq!(paper.status, FactorStatus::Archived);
    assert_eq!(paper.name, "Papier - fin de vie moyenne");
    assert_eq!(paper.unit, "kgCO2e/tonne");
    assert_eq!(paper.kgco2e, d("300"));
    assert_eq!(paper.gases.co2f, Some(d("33.6")));
    assert_eq!(paper.gases.ch4f, Some(d("264")));
    assert_eq!(paper.gases.ch4b, Some(d("0")));
    assert_eq!(paper.gases.n2o, Some(d("2.04")));
    assert_eq!(paper.gases.other, [("Autres GES".to_string(), d("0"))]);
    // Biogenic CO2, reported apart: larger than the total itself.
    assert_eq!(paper.gases.co2b, Some(d("344.7095467")));
    assert_eq!(paper.uncertainty.percent, None);
    // Its quality columns hold 0: absent.
    assert!(paper.uncertainty.quality.is_empty());
    assert!(paper.parts.is_empty());
}

#[test]
fn extract_plane_28130_gases_quality_and_parts() {
    let base = load("Base_Carbone_Test.csv", &std::fs::read(FIXTURE).unwrap()).unwrap();
    let plane = factor(&base, "28130");
    assert_eq!(plane.unit, "kgCO2e/peq.km");
    assert_eq!(plane.kgco2e, d("0.259"));
    assert_eq!(plane.uncertainty.percent, Some(d("0.70")));
    let q = plane.uncertainty.quality;
    assert_eq!(
        (
            q.reliability,
            q.technical,
            q.geographic,
            q.temporal,
            q.completeness
        ),
        (None, Some(5), Some(2), Some(4), Some(5))
    );
    assert_eq!(plane.gases.co2f, Some(d("0.138")));
    assert_eq!(plane.gases.ch4f, Some(d("0.00105")));
    assert_eq!(plane.gases.n2o, Some(d("0.00202")));
    assert_eq!(
        plane.gases.other,
        [
            ("Divers".to_string(), d("0.117")),
            ("Autres GES".to_string(), d("0"))
        ]
    );
    assert_eq!(
        parts(plane),
        [
            ("Amont", "Carburant", d("0.0242")),
            ("Combustion", "Carburant", d("0.117")),
            (
                "Emissions fugitives",
                "Trainées de condensation",
                d("0.117")
            ),
            ("Fabrication", "", d("0.00038")),
        ]
    );
    let fuel = factor(&base, "14087");
    assert_eq!(fuel.name, "Fioul domestique");
    assert_eq!(fuel.kgco2e, d("3.25"));
    assert_eq!(fuel.uncertainty.percent, Some(d("0.05")));
    assert_eq!(
        parts(fuel),
        [("Combustion", "", d("2.68")), ("Amont", "", d("0.567"))]
    );
}

#[test]
fn extract_as_utf8_with_bom_and_crlf_reads_the_same() {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let text = decode(&Arc::from(FIXTURE), &bytes).unwrap();
    let utf8 = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let a = load("a.csv", &bytes).unwrap();
    let b = load("a.csv", utf8.as_bytes()).unwrap();
    assert_eq!(a.factors, b.factors);
}

#[test]
fn truncated_file_is_an_error() {
    let mut text = file_of(&[107]);
    let row = &fixture_lines()[107];
    text.push_str(&row[..row.len() / 2]);
    let error = load("cut.csv", text.as_bytes()).unwrap_err();
    assert_eq!(error.position.to_string(), "cut.csv:3");
    assert!(
        error
            .message
            .starts_with("truncated file: the last row has "),
        "{}",
        error.message
    );
    assert!(
        error
            .message
            .ends_with(" of 67 columns and no final newline")
    );
}

#[test]
fn a_complete_last_row_without_final_newline_is_fine() {
    let text = file_of(&[108]);
    let base = load("b.csv", text.trim_end().as_bytes()).unwrap();
    assert_eq!(base.factors.len(), 1);
}

#[test]
fn wrong_separator_is_an_error() {
    let text = file_of(&[108]).replace(';', "\t");
    let error = load("tabs.csv", text.as_bytes()).unwrap_err();
    assert_eq!(error.position.to_string(), "tabs.csv:1");
    assert_eq!(
        error.message,
        "wrong separator: expected ';' (the Base Carbone export layout) or ',', found tab"
    );
}

/// The extract as ADEME's data-fair API serves it: `_` for spaces in the column names, `,` as
/// separator (quoting where needed), decimal points, UTF-8.
fn data_fair_csv() -> String {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let text = decode(&Arc::from(FIXTURE), &bytes).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    let decimal_comma = |cell: &str| {
        let (int, frac) = cell.split_once(',')?;
        let int = int.strip_prefix('-').unwrap_or(int);
        (!int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && !frac.is_empty()
            && frac
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'E' || b == b'e' || b == b'-'))
        .then(|| cell.replace(',', "."))
    };
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let cells: Vec<String> = record
            .iter()
            .map(|cell| {
                if i == 0 {
                    cell.replace(' ', "_")
                } else {
                    decimal_comma(cell).unwrap_or_else(|| cell.to_string())
                }
            })
            .collect();
        writer.write_record(&cells).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[test]
fn the_data_fair_csv_gives_the_same_factors_as_the_export() {
    let official = load("Base_Carbone_Test.csv", &std::fs::read(FIXTURE).unwrap()).unwrap();
    let csv = data_fair_csv();
    assert!(
        csv.starts_with("Type_Ligne,Identifiant_de_l'élément,"),
        "{}",
        &csv[..80]
    );
    let fair = load("base-carboner.csv", csv.as_bytes()).unwrap();
    assert!(fair.defects.is_empty(), "{:?}", fair.defects);
    assert_eq!(fair.factors.len(), official.factors.len());
    for (a, b) in official.factors.iter().zip(&fair.factors) {
        assert_eq!(
            (
                &a.id,
                &a.name,
                &a.unit,
                a.kgco2e,
                &a.parts,
                &a.gases,
                &a.uncertainty,
                &a.category,
                a.status
            ),
            (
                &b.id,
                &b.name,
                &b.unit,
                b.kgco2e,
                &b.parts,
                &b.gases,
                &b.uncertainty,
                &b.category,
                b.status
            ),
        );
    }
}

#[test]
fn missing_column_is_an_error_naming_the_file() {
    let text = file_of(&[108]).replacen("\"Unité français\"", "\"Unité\"", 1);
    let error = load("no-unit.csv", text.as_bytes()).unwrap_err();
    assert_eq!(error.message, "Missing column: Unité français");
    assert_eq!(error.position.file.as_ref(), "no-unit.csv");
    assert!(
        error
            .to_string()
            .starts_with("no-unit.csv:1: Missing column")
    );
}

#[test]
fn non_numeric_total_is_a_defect_with_row_and_column() {
    let text = file_of(&[107, 108, 109]).replacen(";0,052;", ";#N/A;", 1);
    let base = load("na.csv", text.as_bytes()).unwrap();
    assert_eq!(
        base.defects,
        [SkippedRow {
            line: 3,
            id: Some("42513".to_string()),
            reason: "column \"Total poste non décomposé\": \"#N/A\" is not a number".to_string()
        }]
    );
    // The photovoltaic factor still loads; the Poste row of the defective 42513 is orphaned.
    let ids: Vec<_> = base.factors.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["34721"]);
}

#[test]
fn utf16_is_an_error() {
    let text = file_of(&[108]);
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let error = load("unicode.csv", &bytes).unwrap_err();
    assert_eq!(
        error.message,
        "unsupported encoding (UTF-16?): save the file as UTF-8 or Windows-1252"
    );
}

#[test]
fn empty_file_and_header_only_are_errors() {
    assert_eq!(load("e.csv", b"").unwrap_err().message, "empty file");
    let header_only = file_of(&[]);
    assert_eq!(
        load("h.csv", header_only.as_bytes()).unwrap_err().message,
        "no data rows: the file has only a header"
    );
}

#[test]
fn duplicates_exact_tolerated_conflicting_refused() {
    let text = file_of(&[108, 109, 110, 111, 108, 109, 110, 111]);
    let base = load("dup.csv", text.as_bytes()).unwrap();
    assert_eq!(base.factors.len(), 1);
    assert_eq!(base.factors[0].parts.len(), 3);
    assert_eq!(base.skipped, [(SKIPPED_DUPLICATE.to_string(), 4)]);

    let conflicting = format!(
        "{}{}\n",
        file_of(&[108, 109]),
        fixture_lines()[107].replacen(";0,052;", ";0,06;", 1)
    );
    let error = load("conflict.csv", conflicting.as_bytes()).unwrap_err();
    assert_eq!(
        error.message,
        "element 42513 appears twice with different content: lines 2 and 4"
    );
    assert_eq!(error.position.to_string(), "conflict.csv:4");
}

#[test]
fn full_export_v23_6() {
    if !Path::new(FULL_EXPORT).exists() {
        eprintln!("skipped: the full Base Carbone export is not at {FULL_EXPORT}");
        return;
    }
    let bytes = std::fs::read(FULL_EXPORT).unwrap();
    let base = load("Base_Carbone_V23.6.csv", &bytes).unwrap();
    // The export's real defects (#N/A, double-encoded text, odd quoting) are all in columns
    // bilan does not read, or parse as CSV: no row is lost.
    assert!(base.defects.is_empty(), "{:?}", base.defects);
    let source = base.source.as_ref().unwrap();
    assert_eq!(source.rows, 18_616);
    assert_eq!(source.factors, 10_939);

    let count = |status| base.factors.iter().filter(|f| f.status == status).count();
    assert_eq!(count(FactorStatus::ValidGeneric), 6_447);
    assert_eq!(count(FactorStatus::ValidSpecific), 71);
    assert_eq!(count(FactorStatus::Archived), 4_421);
    assert_eq!(base.skipped, [(SKIPPED_SOURCE_DATA.to_string(), 1_878)]);
    // Every one of the 5,799 Poste rows belongs to a factor; the 847 heat networks with a
    // usable combustion value (archived or not) get their two parts from their comment.
    let parts_total: usize = base.factors.iter().map(|f| f.parts.len()).sum();
    let networks_split = base
        .factors
        .iter()
        .filter(|f| f.category.starts_with("Réseaux de chaleur") && !f.parts.is_empty())
        .count();
    assert_eq!(parts_total, 5_799 + 2 * networks_split);
    // base-carbone.md: about 290 valid factors have a negative total (credits, recycling).
    let negative_valid = base
        .factors
        .iter()
        .filter(|f| f.status != FactorStatus::Archived && f.kgco2e.is_sign_negative())
        .count();
    assert_eq!(negative_valid, 290);

    let elec = factor(&base, "42513");
    assert_eq!(elec.kgco2e, d("0.052"));
    assert_eq!(
        parts(elec),
        [
            ("Combustion à la centrale", "", d("0.0338")),
            ("Amont", "", d("0.0135")),
            ("Transport et distribution", "Pertes", d("0.00474")),
        ]
    );
    assert_eq!(elec.source, "ADEME Base Carbone V23.6 id 42513");
    // Physical line: three comments above hold line breaks inside quotes.
    assert_eq!(elec.origin.line, 6581);
    assert_eq!(factor(&base, "27061").origin.line, 2091);
    assert_eq!(factor(&base, "27062").origin.line, 18387);
    // A name quoted once too often in the export ("""Bière """"coeur de marché""""…""").
    assert_eq!(
        factor(&base, "39789").name,
        "Bière \"coeur de marché\" (4-5° alcool)"
    );
}

#[test]
fn search_the_extract() {
    use bilan::search::search;
    let base = load("Base_Carbone_Test.csv", &std::fs::read(FIXTURE).unwrap()).unwrap();
    let ids = |found: Vec<&Factor>| found.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(search(base.factors.iter(), "electricite", Some("kWh"))),
        ["42513", "34721"]
    );
    assert_eq!(
        ids(search(base.factors.iter(), "voiture gazole", None)),
        ["27966"]
    );
    assert_eq!(
        ids(search(
            base.factors.iter(),
            "porte-conteneur asie",
            Some("t.km")
        )),
        ["28203"]
    );
}

#[test]
fn road_biofuels_of_the_full_export_go_to_mobile_combustion() {
    if !Path::new(FULL_EXPORT).is_file() {
        eprintln!("skipped: {FULL_EXPORT} is absent");
        return;
    }
    let bytes = std::fs::read(FULL_EXPORT).unwrap();
    let base = load("Base_Carbone_V23.6.csv", &bytes).unwrap();
    let line = |id: &str| {
        let mut inventory = inventory::parse(
            "inv.yaml",
            &format!("bilan: 1\norganisation: {{ name: T }}\nperiod: {{ year: 2024 }}\nlines:\n  - {{ id: l, label: L, factor: \"{id}\", quantity: 1, unit: {}, uncertainty: 5% }}\n",
                factor(&base, id).per_unit()),
        )
        .unwrap();
        inventory.lines.truncate(1);
        let mut merged = bilan::factor_base::FactorBase::new();
        merged.merge(base.clone());
        let report = bilan::compute::compute(&inventory, &merged).unwrap();
        report.lines[0].post.code()
    };
    // Biodiesel (litre), bioethanol, BioGNC for road vehicles, BioGNL fuel, HVO 100: 1.2.
    for id in ["14256", "14271", "28295", "27061", "37112"] {
        assert_eq!(line(id), "1.2", "{id}");
    }
    // Biomethane injected in the gas network and wood pellets stay stationary.
    for id in ["43576", "34942"] {
        assert_eq!(line(id), "1.1", "{id}");
    }
}

#[test]
fn heat_networks_book_their_stated_combustion_in_2_7_and_the_rest_in_3_8() {
    if !Path::new(FULL_EXPORT).is_file() {
        eprintln!("skipped: {FULL_EXPORT} is absent");
        return;
    }
    let bytes = std::fs::read(FULL_EXPORT).unwrap();
    let base = load("Base_Carbone_V23.6.csv", &bytes).unwrap();
    // 36330: total 0.228 kgCO2e/kWh, comment "Valeur DPE de combustion sans ACV = 0,201
    // kgCO2/kWh": 100 MWh → 2.7 = 100,000 × 0.201 = 20,100 kg; 3.8 = 100,000 × 0.027 = 2,700.
    let f = factor(&base, "36330");
    assert_eq!(
        parts(f),
        [
            (
                "Combustion",
                "Valeur DPE de combustion (commentaire de l'ADEME)",
                d("0.201")
            ),
            ("Amont", "Reste du total ACV", d("0.027"))
        ]
    );
    let inventory = inventory::parse(
        "inv.yaml",
        "bilan: 1\norganisation: { name: T }\nperiod: { year: 2024 }\nlines:\n  - { id: rc, label: Réseau, factor: \"36330\", quantity: 100, unit: MWh, uncertainty: 5% }\n",
    )
    .unwrap();
    let mut merged = bilan::factor_base::FactorBase::new();
    merged.merge(base.clone());
    let report = bilan::compute::compute(&inventory, &merged).unwrap();
    let post = |code: &str| {
        report
            .posts
            .iter()
            .find(|p| p.post.code() == code)
            .unwrap()
            .figure
            .kgco2e
    };
    assert_eq!(post("2.7"), d("20100"));
    assert_eq!(post("3.8"), d("2700"));
    // The 872 valid networks of V23.6 all state a value; 25 state one above their life-cycle
    // total (36304: 0.068 for a total of 0.034): those are not split (a negative 3.8 is never
    // made), the others add up exactly to their total.
    let networks: Vec<&Factor> = base
        .factors
        .iter()
        .filter(|f| {
            f.category.starts_with("Réseaux de chaleur") && f.status != FactorStatus::Archived
        })
        .collect();
    assert_eq!(networks.len(), 872);
    let split: Vec<&&Factor> = networks.iter().filter(|f| !f.parts.is_empty()).collect();
    assert_eq!(split.len(), 847);
    for f in split {
        assert_eq!(f.parts[0].kgco2e + f.parts[1].kgco2e, f.kgco2e, "{}", f.id);
        assert!(!f.parts[1].kgco2e.is_sign_negative(), "{}", f.id);
    }
    assert!(factor(&base, "36304").parts.is_empty());
}

#[test]
fn later_versions_spellings_are_read() {
    // Real V23.6 rows of 42513 (electricity 2022: combustion 0.0338, upstream 0.0135, grid
    // losses 0.00474), its upstream row renamed as V23.9 writes its hydropower part (a literal
    // `?` for the apostrophe). Derived from the extract: the later exports are not in ../shared.
    let text = file_of(&[108, 109, 110, 111]).replacen(
        ";Amont;",
        ";Autres émissions liées à la consommation d?électricité (barrage?);",
        1,
    );
    assert!(text.contains("(barrage?)"));
    let base = load("Base_Carbone_V23.9.csv", text.as_bytes()).unwrap();
    assert!(base.defects.is_empty(), "{:?}", base.defects);
    assert_eq!(
        factor(&base, "42513").source,
        "ADEME Base Carbone V23.9 id 42513"
    );
    let inventory = inventory::parse(
        "inv.yaml",
        "bilan: 1\norganisation: { name: T }\nperiod: { year: 2024 }\nlines:\n  - { id: e, label: E, factor: \"42513\", quantity: 1000, unit: kWh, uncertainty: 5% }\n",
    )
    .unwrap();
    let mut merged = bilan::factor_base::FactorBase::new();
    merged.merge(base);
    let report = bilan::compute::compute(&inventory, &merged).unwrap();
    let post = |code: &str| {
        report
            .posts
            .iter()
            .find(|p| p.post.code() == code)
            .unwrap()
            .figure
            .kgco2e
    };
    // The hydropower part stays with the combustion, as Bilan Carbone+ books it:
    // 2.6 = 1,000 × (0.0338 + 0.0135) = 47.3; 3.8 = 52 − 47.3 = 4.7.
    assert_eq!(post("2.6"), d("47.3"));
    assert_eq!(post("3.8"), d("4.7"));
}
