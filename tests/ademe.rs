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

/// One inventory line (YAML flow mapping) computed for 2024 with `base` alone.
fn compute_line(base: &LoadedBase, line: &str) -> bilan::report::Report {
    let inventory = inventory::parse(
        "inv.yaml",
        &format!(
            "bilan: 1\norganisation: {{ name: T }}\nperiod: {{ year: 2024 }}\nlines:\n  - {line}\n"
        ),
    )
    .unwrap();
    let mut merged = bilan::factor_base::FactorBase::new();
    merged.merge(base.clone());
    bilan::compute::compute(&inventory, &merged).unwrap()
}

/// A post's kgCO2e in `report`.
fn post_kg(report: &bilan::report::Report, code: &str) -> Decimal {
    report
        .posts
        .iter()
        .find(|p| p.post.code() == code)
        .unwrap()
        .figure
        .kgco2e
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
    // `,` is data-fair's separator and reads; a tab is refused.
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

// ---- The same export in every shape ADEME serves it ----

const XLSX_EXPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/basecarbone-v23.6-xlsx/Base_Carbone_V23.6-v2.xlsx"
);

/// The extract's records (header first), decoded from Windows-1252.
fn fixture_records() -> Vec<Vec<String>> {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let text = decode(&Arc::from(FIXTURE), &bytes).unwrap();
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A decimal-comma number of the export (`0,052`, `4,74E-3`, `2935`), with a point instead.
fn with_point(cell: &str) -> Option<String> {
    let number = cell.replacen(',', ".", 1);
    let valid = !number.is_empty()
        && number
            .trim_start_matches('-')
            .split(['E', 'e'])
            .enumerate()
            .all(|(i, piece)| {
                let piece = if i == 1 {
                    piece.trim_start_matches('-')
                } else {
                    piece
                };
                !piece.is_empty()
                    && piece.chars().all(|c| c.is_ascii_digit() || c == '.')
                    && piece.matches('.').count() <= usize::from(i == 0)
            });
    valid.then_some(number)
}

/// The extract as data-fair serves it in CSV: `_` for spaces in column names, `,` between
/// fields, decimal points, UTF-8.
fn data_fair_csv_bytes() -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    for (i, record) in fixture_records().iter().enumerate() {
        let cells: Vec<String> = record
            .iter()
            .map(|c| match i {
                0 => c.replace(' ', "_"),
                _ => with_point(c).unwrap_or_else(|| c.clone()),
            })
            .collect();
        writer.write_record(&cells).unwrap();
    }
    writer.into_inner().unwrap()
}

/// The extract as data-fair JSON lines: one object a row, numbers as JSON numbers, empty
/// cells left out.
fn data_fair_json_lines() -> String {
    let records = fixture_records();
    let header: Vec<String> = records[0].iter().map(|c| c.replace(' ', "_")).collect();
    let mut text = String::new();
    for record in &records[1..] {
        let mut object = serde_json::Map::new();
        object.insert("_i".into(), serde_json::json!(1));
        for (key, cell) in header.iter().zip(record) {
            let value = match with_point(cell) {
                Some(n) => serde_json::Value::Number(n.parse().unwrap()),
                None if cell.is_empty() => continue,
                None => serde_json::Value::String(cell.clone()),
            };
            object.insert(key.clone(), value);
        }
        text.push_str(&serde_json::Value::Object(object).to_string());
        text.push('\n');
    }
    text
}

/// The factors without their line (the shapes number their rows differently).
fn without_lines(base: &LoadedBase) -> Vec<Factor> {
    base.factors
        .iter()
        .cloned()
        .map(|mut f| {
            f.origin.line = 0;
            f
        })
        .collect()
}

#[test]
fn data_fair_csv_gives_the_same_factors() {
    let official = load("Base_Carbone_Test.csv", &std::fs::read(FIXTURE).unwrap()).unwrap();
    let bytes = data_fair_csv_bytes();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with("Type_Ligne,Identifiant_de_l'élément,Structure,"));
    assert!(text.contains(",0.052,"), "decimal points");
    let fair = bilan::load::factors::load_bytes("Base_Carbone_Test.csv", &bytes).unwrap();
    // 53 of the extract's rows are `Elément` rows of type "Facteur d'émission" (counted with
    // Python's csv module on the fixture).
    assert_eq!(official.factors.len(), 53);
    assert_eq!(fair.factors, official.factors);
    assert_eq!(fair.skipped, official.skipped);
    assert!(fair.defects.is_empty(), "{:?}", fair.defects);
    // 42513: 0,052 in the official file, 0.052 here.
    assert_eq!(factor(&fair, "42513").kgco2e, d("0.052"));
}

#[test]
fn data_fair_csv_with_semicolons_and_decimal_commas_reads_too() {
    // data-fair's `sep=;` option, decimal commas kept, UTF-8 with underscores.
    let records = fixture_records();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    for (i, record) in records.iter().enumerate() {
        let cells: Vec<String> = match i {
            0 => record.iter().map(|c| c.replace(' ', "_")).collect(),
            _ => record.clone(),
        };
        writer.write_record(&cells).unwrap();
    }
    let bytes = writer.into_inner().unwrap();
    let official = load("Base_Carbone_Test.csv", &std::fs::read(FIXTURE).unwrap()).unwrap();
    let fair = load("Base_Carbone_Test.csv", &bytes).unwrap();
    assert_eq!(fair.factors, official.factors);
}

#[test]
fn data_fair_json_lines_give_the_same_factors() {
    let official = load("Base_Carbone_Test.csv", &std::fs::read(FIXTURE).unwrap()).unwrap();
    let text = data_fair_json_lines();
    let fair = bilan::load::factors::load_bytes("Base_Carbone_Test.csv", text.as_bytes()).unwrap();
    assert_eq!(without_lines(&fair), without_lines(&official));
    assert!(fair.defects.is_empty(), "{:?}", fair.defects);
    // Positions are JSON lines: the extract's first row (line 2) is the first object.
    assert_eq!(factor(&fair, "20591").origin.line, 1);
    assert_eq!(factor(&official, "20591").origin.line, 2);

    // One page of the API's `lines` reads the same.
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let page = serde_json::json!({ "total": objects.len(), "results": objects }).to_string();
    let paged = bilan::load::factors::load_bytes("Base_Carbone_Test.csv", page.as_bytes()).unwrap();
    assert_eq!(without_lines(&paged), without_lines(&official));
}

#[test]
fn broken_json_line_is_an_error_at_its_line() {
    let text = data_fair_json_lines();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "{\"Type_Ligne\": \"Elément\",";
    let broken = lines.join("\n");
    let error = bilan::load::factors::load_bytes("fair.jsonl", broken.as_bytes()).unwrap_err();
    // The object is cut at the end of the line: its 26th byte ("Elément" has a 2-byte é).
    assert_eq!(error.position.to_string(), "fair.jsonl:3:26");
    assert!(
        error.message.starts_with("invalid JSON: "),
        "{}",
        error.message
    );
}

/// A minimal `.xlsx` of the extract, as French Excel saves the CSV: numbers (`0,052`, and
/// names such as `0,335`) become floats written with 17 significant digits, the rest inline
/// strings, and trailing empty cells are not stored.
fn extract_as_xlsx() -> Vec<u8> {
    xlsx_of(&fixture_records(), "Base_Carbone_Test")
}

/// A minimal `.xlsx` holding `records` (see [`extract_as_xlsx`]).
fn xlsx_of(records: &[Vec<String>], sheet_name: &str) -> Vec<u8> {
    use std::io::Write;
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    for (r, record) in records.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        let last = record
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        for (c, cell) in record[..last].iter().enumerate() {
            let column = if c < 26 {
                format!("{}", char::from(b'A' + c as u8))
            } else {
                format!(
                    "{}{}",
                    char::from(b'A' + (c / 26 - 1) as u8),
                    char::from(b'A' + (c % 26) as u8)
                )
            };
            let at = format!("{column}{}", r + 1);
            match with_point(cell).filter(|_| r > 0) {
                Some(number) => {
                    let float: f64 = number.parse().unwrap();
                    sheet.push_str(&format!(r#"<c r="{at}"><v>{float:.16e}</v></c>"#));
                }
                None if cell.is_empty() => {}
                None => sheet.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    escape(cell)
                )),
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>"#.replace("{sheet_name}", sheet_name),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn xlsx_of_the_extract_gives_the_same_factors() {
    let official = load("Base_Carbone_Test.csv", &std::fs::read(FIXTURE).unwrap()).unwrap();
    let xlsx =
        bilan::load::factors::load_bytes("Base_Carbone_Test.csv", &extract_as_xlsx()).unwrap();
    assert!(xlsx.defects.is_empty(), "{:?}", xlsx.defects);
    // Same factors, same written digits, same lines (sheet row = CSV line: no row of the
    // extract spans lines).
    assert_eq!(xlsx.factors, official.factors);
    let digits = |b: &LoadedBase| {
        b.factors
            .iter()
            .map(|f| f.kgco2e.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(digits(&xlsx), digits(&official));
    // A file renamed by the user: the version comes from the sheet, named after the CSV.
    let renamed = xlsx_of(&fixture_records(), "Base_Carbone_V23.6");
    let renamed = bilan::load::factors::load_bytes("export.xlsx", &renamed).unwrap();
    assert_eq!(
        renamed.source.as_ref().unwrap().version.as_deref(),
        Some("V23.6")
    );
    assert_eq!(
        factor(&renamed, "42513").source,
        "ADEME Base Carbone V23.6 id 42513"
    );
    // 0,243 is 0.24299999999999999 in the sheet and 0.243 again here.
    assert_eq!(format!("{:.16e}", 0.243_f64), "2.4299999999999999e-1");
}

#[test]
fn xlsx_without_a_base_carbone_sheet_is_an_error() {
    // The same workbook with a header that names no Base Carbone column.
    let mut records = fixture_records();
    records[0][0] = "Type".to_string();
    let error = bilan::load::factors::load_bytes("b.xlsx", &xlsx_of(&records, "Base_Carbone_Test"))
        .unwrap_err();
    assert_eq!(error.position.to_string(), "b.xlsx");
    assert_eq!(
        error.message,
        "no sheet with a Base Carbone header (sheets: Base_Carbone_Test)"
    );
    // A cut archive.
    let bytes = extract_as_xlsx();
    let error = bilan::load::factors::load_bytes("b.xlsx", &bytes[..bytes.len() / 2]).unwrap_err();
    assert!(
        error.message.starts_with("unreadable .xlsx file: "),
        "{}",
        error.message
    );
}

/// The full .xlsx against the full CSV: 20 s in a debug build, so run by hand
/// (`cargo test --release --test ademe -- --ignored xlsx`).
#[test]
#[ignore = "slow in debug builds: run by hand with --release"]
fn xlsx_export_gives_the_factors_of_the_csv() {
    if !Path::new(XLSX_EXPORT).exists() || !Path::new(FULL_EXPORT).exists() {
        eprintln!("skipped: the V23.6 exports are not in ../shared");
        return;
    }
    let started = std::time::Instant::now();
    let xlsx = bilan::load::factors::load_bytes(
        "Base_Carbone_V23.6.xlsx",
        &std::fs::read(XLSX_EXPORT).unwrap(),
    )
    .unwrap();
    eprintln!("xlsx read in {:?}", started.elapsed());
    let csv = load(
        "Base_Carbone_V23.6.csv",
        &std::fs::read(FULL_EXPORT).unwrap(),
    )
    .unwrap();
    assert!(xlsx.defects.is_empty(), "{:?}", xlsx.defects);
    assert_eq!(xlsx.source.as_ref().unwrap().rows, 18_616);
    assert_eq!(xlsx.factors.len(), csv.factors.len());
    for (x, c) in xlsx.factors.iter().zip(&csv.factors) {
        // Same value and same written digits (so results print the same).
        assert_eq!(x.kgco2e.to_string(), c.kgco2e.to_string(), "{}", c.id);
        let mut x = x.clone();
        x.origin = c.origin.clone();
        assert_eq!(&x, c, "{}", c.id);
    }
}

const LATER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/Base_Carbone_V23.11_derived.csv"
);

#[test]
fn units_and_part_types_of_later_versions_read() {
    let base = bilan::load::factors::load_bytes(
        "Base_Carbone_V23.11_derived.csv",
        &std::fs::read(LATER).unwrap(),
    )
    .unwrap();
    assert!(base.defects.is_empty(), "{:?}", base.defects);
    let units: Vec<(&str, &str)> = base
        .factors
        .iter()
        .map(|f| (f.id.as_str(), f.unit.as_str()))
        .collect();
    assert_eq!(
        units,
        [
            ("42513", "kgCO2e/kWh"),
            ("28203", "kgCO2e/EVP.km"),
            ("20591", "kgCO2e/équipement"),
            ("27002", "kgCO2e/kW par an de puissance élec"),
        ]
    );
    assert_eq!(
        factor(&base, "42513").source,
        "ADEME Base Carbone V23.11 id 42513"
    );
    assert_eq!(
        factor(&base, "42513").parts[0].kind,
        "Autres émissions liées à la consommation d?électricité (barrage?)"
    );
}

#[test]
fn lines_in_later_units_compute_with_the_new_part_type_as_combustion() {
    let out = assert_cmd::Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
        .args([
            "compute",
            "later_units.yaml",
            "--factors",
            "Base_Carbone_V23.11_derived.csv",
            "--format",
            "csv",
            "--lines",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // 1,000 kWh: the V23.9 part type stays in 2.6 like combustion (1,000 × 0.0338 = 33.8),
    // the rest to 3.8 (1,000 × 0.052 − 33.8 = 18.2). 1,000 TEU.km on an EVP.km factor:
    // 1,000 × 0.00554 = 5.54. 2 appareils on an équipement factor over 5 years:
    // 2 × 2,935 / 5 = 1,174. 3 kW.an (Bilan Carbone+'s label) × 156 = 468.
    // (The uncertainty column, the method's default for undeclared lines, is left out.)
    let rows: Vec<String> = stdout
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string())
        .collect();
    assert_eq!(
        rows,
        [
            "line_id,label,post,factor,quantity,unit,kgco2e",
            "elec,L42513,2.6,42513,1000,kWh,33.8",
            "elec,L42513,3.8,42513,1000,kWh,18.2",
            "fret,L28203,3.12,28203,1000,TEU.km,5.54",
            "copieurs,L20591,3.10,20591,2,appareil,1174",
            "puissance,L27002,3.9,27002,3,kW.an,468",
        ]
    );
}

#[test]
fn every_shape_gives_byte_identical_results_on_the_examples() {
    let examples = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"));
    let shapes: [(&str, Vec<u8>); 4] = [
        ("csv", std::fs::read(FIXTURE).unwrap()),
        ("data-fair-csv", data_fair_csv_bytes()),
        ("data-fair-json", data_fair_json_lines().into_bytes()),
        ("xlsx", extract_as_xlsx()),
    ];
    let dir = tempfile::tempdir().unwrap();
    // Each shape under the same file name in its own folder: the format is read from the
    // content, and the name is what results cite.
    for (shape, bytes) in &shapes {
        std::fs::create_dir(dir.path().join(shape)).unwrap();
        std::fs::write(dir.path().join(shape).join("Base_Carbone_Test"), bytes).unwrap();
    }
    let mut compared = 0;
    for example in std::fs::read_dir(examples).unwrap() {
        let example = example.unwrap().path();
        if example.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        for format in ["json", "csv", "md"] {
            let outputs: Vec<String> = shapes
                .iter()
                .map(|(shape, _)| {
                    let out = assert_cmd::Command::cargo_bin("bilan")
                        .unwrap()
                        .current_dir(dir.path().join(shape))
                        .arg("compute")
                        .arg(&example)
                        .args(["--factors", "Base_Carbone_Test", "--format", format])
                        .output()
                        .unwrap();
                    assert_eq!(out.status.code(), Some(0), "{shape} {example:?}");
                    // The bytes differ, so does their digest; nothing else may.
                    String::from_utf8(out.stdout)
                        .unwrap()
                        .lines()
                        .filter(|l| !l.contains("\"sha256\""))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect();
            if format == "json" {
                // Lines do use factors of the extract (not only the embedded base's).
                assert!(
                    outputs[0].contains("\"factor_source\": \"ADEME Base Carbone id "),
                    "{example:?}"
                );
            }
            for (output, (shape, _)) in outputs.iter().zip(&shapes) {
                assert_eq!(output, &outputs[0], "{shape} {example:?} {format}");
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 9, "3 examples × 3 formats");
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
        let report = compute_line(
            &base,
            &format!(
                "{{ id: l, label: L, factor: \"{id}\", quantity: 1, unit: {}, uncertainty: 5% }}",
                factor(&base, id).per_unit()
            ),
        );
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
    let report = compute_line(
        &base,
        "{ id: rc, label: Réseau, factor: \"36330\", quantity: 100, unit: MWh, uncertainty: 5% }",
    );
    let post = |code: &str| post_kg(&report, code);
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
    let report = compute_line(
        &base,
        "{ id: e, label: E, factor: \"42513\", quantity: 1000, unit: kWh, uncertainty: 5% }",
    );
    let post = |code: &str| post_kg(&report, code);
    // The hydropower part stays with the combustion, as Bilan Carbone+ books it:
    // 2.6 = 1,000 × (0.0338 + 0.0135) = 47.3; 3.8 = 52 − 47.3 = 4.7.
    assert_eq!(post("2.6"), d("47.3"));
    assert_eq!(post("3.8"), d("4.7"));
}
