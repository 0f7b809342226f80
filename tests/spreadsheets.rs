//! Spreadsheets in and out: lines included from CSV and xlsx files give the same results as the
//! same lines in YAML; their errors point at the cell.

use crate::common::run_at;
use rust_xlsxwriter::Workbook;
use std::path::Path;

const HEAD: &str = "bilan: 1
organisation: { name: Test }
period: { year: 2022 }
";

/// The lines of the YAML reference, every kind of column used.
const YAML_LINES: &str = r#"lines:
  - id: elec
    label: Électricité siège
    factor: "42513"
    quantity: 21340.5
    unit: kWh
    uncertainty: 5%
    site: Lyon
    tags: [energie, siege]
  - id: pc
    label: Ordinateurs portables
    factor: "27002"
    quantity: 12
    unit: unité
    amortization: { acquired: 2021, years: 5 }
    quality: { reliability: 4, technical: 3, geographic: 5, temporal: 4, completeness: 3 }
  - id: tgv
    label: TGV
    factor: "43256"
    quantity: 0.1
    unit: p.km
    purpose: business
    uncertainty: 12.5%
    comment: un essai
"#;

/// The same lines as a header and rows of text cells.
const HEADER: [&str; 15] = [
    "id",
    "label",
    "factor",
    "quantity",
    "unit",
    "uncertainty",
    "purpose",
    "amortization.acquired",
    "amortization.years",
    "quality.reliability",
    "quality.technical",
    "quality.geographic",
    "quality.temporal",
    "quality.completeness",
    "site",
];

fn rows() -> Vec<Vec<&'static str>> {
    vec![
        vec![
            "elec",
            "Électricité siège",
            "42513",
            "21340.5",
            "kWh",
            "5%",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "Lyon",
        ],
        vec![
            "pc",
            "Ordinateurs portables",
            "27002",
            "12",
            "unité",
            "",
            "",
            "2021",
            "5",
            "4",
            "3",
            "5",
            "4",
            "3",
            "",
        ],
        vec![
            "tgv", "TGV", "43256", "0.1", "p.km", "12.5%", "business", "", "", "", "", "", "", "",
            "",
        ],
    ]
}

/// The two columns the header above leaves out, with their cells.
const TAGS: [&str; 3] = ["energie|siege", "", ""];
const COMMENTS: [&str; 3] = ["", "", "un essai"];

fn csv(separator: char, decimal_comma: bool) -> String {
    let mut out = HEADER.join(&separator.to_string());
    out.push_str(&format!("{separator}tags{separator}comment\n"));
    for (i, row) in rows().into_iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                if decimal_comma {
                    c.replace("21340.5", "21340,5")
                        .replace("0.1", "0,1")
                        .replace("12.5%", "12,5 %")
                } else {
                    c.to_string()
                }
            })
            .collect();
        out.push_str(&cells.join(&separator.to_string()));
        out.push_str(&format!(
            "{separator}{}{separator}{}\n",
            TAGS[i], COMMENTS[i]
        ));
    }
    out
}

/// The rows in a workbook: quantities, years and scores as number cells, the rest as text.
fn write_xlsx(path: &Path, sheet: &str) {
    let mut workbook = Workbook::new();
    workbook.add_worksheet().set_name("notes").unwrap();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (c, name) in HEADER.iter().chain(["tags", "comment"].iter()).enumerate() {
        ws.write_string(0, c as u16, *name).unwrap();
    }
    for (r, row) in rows().into_iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row
            .iter()
            .chain([TAGS[r as usize - 1], COMMENTS[r as usize - 1]].iter())
            .enumerate()
        {
            let c = c as u16;
            if cell.is_empty() {
                continue;
            }
            let numeric = matches!(HEADER.get(c as usize), Some(h) if *h == "quantity" || h.starts_with("amortization") || h.starts_with("quality"));
            if numeric {
                ws.write_number(r, c, cell.parse::<f64>().unwrap()).unwrap();
            } else {
                ws.write_string(r, c, *cell).unwrap();
            }
        }
    }
    workbook.save(path).unwrap();
}

/// The JSON result and the warnings (none of which points at a line: they would name the file).
fn compute_json(dir: &Path, inventory: &str) -> (String, String) {
    std::fs::write(dir.join("inv.yaml"), inventory).unwrap();
    let (code, stdout, stderr) = run_at(dir, &["compute", "inv.yaml", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    (stdout, stderr)
}

#[test]
fn lines_from_csv_and_xlsx_give_the_yaml_results() {
    let dir = tempfile::tempdir().unwrap();
    let reference = compute_json(dir.path(), &format!("{HEAD}{YAML_LINES}"));
    // Hand figures: electricity 21340.5 kWh × 0.0338 (combustion part of 42513) = 721.3089 in
    // 2.6; the train 0.1 p.km stays exact (no 0.1000000000000000055…).
    assert!(
        reference.0.contains("\"kgco2e\": 721.3089"),
        "{reference:?}"
    );
    assert!(reference.0.contains("\"quantity\": 0.1,"), "{reference:?}");
    // No warning points at a line (it would name its file, which differs below).
    assert!(
        !reference
            .1
            .lines()
            .any(|l| l.starts_with("warning: inv.yaml:")
                && l.chars().nth(18).is_some_and(|c| c.is_ascii_digit())),
        "{reference:?}"
    );

    let include = |file: &str| format!("{HEAD}lines: []\ninclude: [{file}]\n");
    std::fs::write(dir.path().join("comma.csv"), csv(',', false)).unwrap();
    assert_eq!(compute_json(dir.path(), &include("comma.csv")), reference);

    // French Excel: `;`, decimal commas, Windows-1252 (é is 0xE9).
    let french_text = csv(';', true);
    let (french, _, _) = encoding_rs::WINDOWS_1252.encode(&french_text);
    assert!(french.contains(&0xE9));
    std::fs::write(dir.path().join("french.csv"), &french).unwrap();
    assert_eq!(compute_json(dir.path(), &include("french.csv")), reference);

    write_xlsx(&dir.path().join("lines.xlsx"), "lines");
    assert_eq!(compute_json(dir.path(), &include("lines.xlsx")), reference);
    // Without a sheet named `lines`, the first sheet is read (here `notes`, empty).
    write_xlsx(&dir.path().join("other.xlsx"), "Feuil1");
    std::fs::write(dir.path().join("inv.yaml"), include("other.xlsx")).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: other.xlsx!notes: the file has no header row"),
        "{stderr}"
    );
}

/// `check` on an inventory including `file` = `bytes`: its stderr.
fn check_included(file: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), bytes).unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        format!("{HEAD}lines: []\ninclude: [{file}]\n"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["check", "inv.yaml"]);
    assert_eq!(code, 1, "{stderr}");
    stderr
}

#[test]
fn csv_errors_point_at_row_and_column() {
    let stderr = check_included(
        "l.csv",
        "label,factor,quantity,unit,uncertainty,mobile\n\
         A,42513,\"1,5\",kWh,5%,maybe\n\
         \n\
         B,42513,3,kWh,5%,\n\
         C,42513,,kWh,5%,\n\
         D,42513,2,kWh,-5%,,extra\n"
            .as_bytes(),
    );
    assert_eq!(
        stderr,
        "error: l.csv:2:6: `mobile` is not true or false: `maybe`
  = help: write true or false (or leave the cell empty for false)
error: l.csv:2:3: `quantity` is not a decimal number: `1,5`
  = help: write a plain decimal number such as 1250.5 (no unit, no thousands separator)
error: l.csv:5:3: the line has no `quantity`
  = help: each line needs label, factor, quantity, unit
error: l.csv:6:7: a value in a column without a header: `extra`
  = help: name the column in the header row, or empty the cell
error: l.csv:6:5: `uncertainty` is outside 0–1000 %: `-5%`
  = help: a percentage of uncertainty is between 0% and 1000%
"
    );
    let stderr = check_included("h.csv", b"label;factor;qty;unit\n");
    assert!(
        stderr.starts_with("error: h.csv:1:3: unknown column `qty`\n  = help: the header names the keys of a line: id, label, factor, quantity,"),
        "{stderr}"
    );
    let stderr = check_included("h.csv", b"label;factor;unit\n");
    assert_eq!(
        stderr,
        "error: h.csv:1: the header has no column `quantity`
  = help: the first row names the columns; each line needs label, factor, quantity, unit
"
    );
}

#[test]
fn xlsx_errors_point_at_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("collecte.xlsx");
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name("lines").unwrap();
    for (c, name) in ["label", "factor", "quantity", "unit", "uncertainty", "post"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *name).unwrap();
    }
    // Row 2: a percentage as a number cell (5 or 0.05?); row 12: an unknown post and a
    // negative quantity.
    ws.write_string(1, 0, "Électricité").unwrap();
    ws.write_string(1, 1, "42513").unwrap();
    ws.write_number(1, 2, 100.0).unwrap();
    ws.write_string(1, 3, "kWh").unwrap();
    ws.write_number(1, 4, 0.05).unwrap();
    ws.write_string(11, 0, "Gaz").unwrap();
    ws.write_number(11, 1, 37226.0).unwrap();
    ws.write_number(11, 2, -3.0).unwrap();
    ws.write_string(11, 3, "kWh").unwrap();
    ws.write_string(11, 4, "5%").unwrap();
    ws.write_string(11, 5, "9.9").unwrap();
    workbook.save(&path).unwrap();
    let stderr = check_included("collecte.xlsx", &std::fs::read(&path).unwrap());
    assert_eq!(
        stderr,
        "error: collecte.xlsx!lines!E2: `uncertainty` is a number cell (`0.05`): 5% or 5?
  = help: write the percentage as text, such as 5% (format the cell as text)
error: collecte.xlsx!lines!C12: negative quantity `-3`
  = help: quantities are ≥ 0; avoided emissions come from negative factors, not quantities
error: collecte.xlsx!lines!F12: unknown post `9.9`
  = help: posts are: 1.1, 1.2, 1.3, 1.4, 1.5, 2.6, 2.7, 3.8, 3.9, 3.10, 3.11, 3.12, 3.13, 3.14, 3.15, 3.16, 3.17, 3.18, 3.19, 3.20, 3.21, 3.22
"
    );
}

// --- Results for Excel ----------------------------------------------------------------------

/// 21,340 kWh of electricity (42513, 0.052 kgCO2e/kWh: 0.0338 combustion in 2.6, the rest
/// upstream in 3.8), one line so every figure is by hand: 1,109.68 kg = 21,340 × 0.052,
/// 2.6 = 21,340 × 0.0338 = 721.292, 3.8 = 388.388.
const ELECTRICITY: &str = "bilan: 1
organisation: { name: Gamma SARL }
period: { year: 2024 }
indicators:
  etp: { label: ETP, value: 2 }
lines:
  - id: elec
    label: Électricité
    factor: \"42513\"
    quantity: 21340
    unit: kWh
    uncertainty: 5%
";

fn cell(range: &calamine::Range<calamine::Data>, row: u32, column: u32) -> calamine::Data {
    range.get_value((row, column)).cloned().unwrap_or_default()
}

#[test]
fn compute_as_a_workbook_numbers_as_numbers() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), ELECTRICITY).unwrap();
    let (code, _, stderr) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--format", "xlsx", "-o", "r.xlsx"],
    );
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::read(dir.path().join("r.xlsx")).unwrap();
    // The same inventory gives the same bytes (no date inside changes).
    run_at(
        dir.path(),
        &[
            "compute",
            "inv.yaml",
            "--format",
            "xlsx",
            "-o",
            "again.xlsx",
        ],
    );
    assert_eq!(std::fs::read(dir.path().join("again.xlsx")).unwrap(), bytes);

    let mut book: Xlsx<_> = open_workbook(dir.path().join("r.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Postes",
            "Lignes",
            "Incertitude",
            "Incertitude (2)",
            "Avertissements",
            "Provenance"
        ]
    );
    let posts = book.worksheet_range("Postes").unwrap();
    assert_eq!(cell(&posts, 0, 4), Data::String("kgco2e".into()));
    // Row of post 2.6 (the 15th post: 1.1–1.5, 2.1–2.2 … in code order): 721.292 kg.
    let row = (1..=22)
        .find(|&r| cell(&posts, r, 0) == Data::String("2.6".into()))
        .unwrap();
    assert_eq!(cell(&posts, row, 4), Data::Float(721.292));
    assert_eq!(cell(&posts, row, 5), Data::Float(0.65)); // 0.0338 / 0.052
    let upstream = (1..=22)
        .find(|&r| cell(&posts, r, 0) == Data::String("3.8".into()))
        .unwrap();
    assert_eq!(cell(&posts, upstream, 4), Data::Float(388.388));
    // Codes stay text: 3.10 is not 3.1.
    assert!((1..=22).any(|r| cell(&posts, r, 0) == Data::String("3.10".into())));
    // Scopes and total under the posts: 2 = 721.292, 3 = 388.388, total 1,109.68.
    assert_eq!(cell(&posts, 24, 0), Data::String("scope-1".into()));
    assert_eq!(cell(&posts, 25, 4), Data::Float(721.292));
    assert_eq!(cell(&posts, 26, 4), Data::Float(388.388));
    assert_eq!(cell(&posts, 27, 0), Data::String("total".into()));
    assert_eq!(cell(&posts, 27, 4), Data::Float(1109.68));
    let lines = book.worksheet_range("Lignes").unwrap();
    assert_eq!(cell(&lines, 1, 3), Data::String("42513".into()));
    assert_eq!(cell(&lines, 1, 4), Data::Float(21340.0));
    let provenance = book.worksheet_range("Provenance").unwrap();
    assert_eq!(cell(&provenance, 1, 1), Data::String("Gamma SARL".into()));
    // A native chart of the posts.
    let zip = String::from_utf8_lossy(&bytes);
    assert!(zip.contains("xl/charts/chart1.xml"));

    // --view adds its sheet.
    let (code, _, stderr) = run_at(
        dir.path(),
        &[
            "compute",
            "inv.yaml",
            "--format",
            "xlsx",
            "--view",
            "ghg-protocol",
            "-o",
            "v.xlsx",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let book: Xlsx<_> = open_workbook(dir.path().join("v.xlsx")).unwrap();
    assert!(book.sheet_names().contains(&"ghg-protocol".to_string()));
}

#[test]
fn csv_for_french_excel() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.yaml"), ELECTRICITY).unwrap();
    let (code, csv, stderr) = run_at(
        dir.path(),
        &[
            "compute",
            "inv.yaml",
            "--format",
            "csv",
            "--csv-dialect",
            "excel-fr",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        csv.starts_with("\u{feff}code;scope;name;status;kgco2e;share;uncertainty;low;high\r\n")
    );
    let row = csv.lines().find(|l| l.starts_with("2.6;")).unwrap();
    // Post codes keep their point; figures take a comma.
    assert!(row.starts_with("2.6;2;"), "{row}");
    assert!(row.contains(";721,292;0,65;"), "{row}");
    let (code, _, stderr) = run_at(
        dir.path(),
        &["compute", "inv.yaml", "--csv-dialect", "excel-fr"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--csv-dialect applies to --format csv"),
        "{stderr}"
    );
}

#[test]
fn batch_diff_and_trajectory_as_workbooks() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("in/gamma")).unwrap();
    std::fs::write(dir.path().join("in/gamma/2024.yaml"), ELECTRICITY).unwrap();
    let (code, _, stderr) = run_at(
        dir.path(),
        &[
            "batch",
            "in",
            "-o",
            "out",
            "--format",
            "xlsx",
            "--csv-dialect",
            "excel-fr",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut summary: Xlsx<_> = open_workbook(dir.path().join("out/summary.xlsx")).unwrap();
    let range = summary.worksheet_range("summary").unwrap();
    assert_eq!(cell(&range, 0, 4), Data::String("total_tco2e".into()));
    assert_eq!(cell(&range, 1, 4), Data::Float(1.10968));
    let csv = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'), "{csv}");
    assert!(csv.contains(";1,10968;"), "{csv}");
    let mut result: Xlsx<_> = open_workbook(dir.path().join("out/gamma/2024.xlsx")).unwrap();
    let posts = result.worksheet_range("Postes").unwrap();
    assert_eq!(cell(&posts, 27, 4), Data::Float(1109.68));

    // Diff: 2,000 kWh more is 2,000 × 0.052 = 104 kg more.
    let after = ELECTRICITY.replace("21340", "23340");
    std::fs::write(dir.path().join("after.yaml"), after).unwrap();
    std::fs::copy(
        dir.path().join("in/gamma/2024.yaml"),
        dir.path().join("before.yaml"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(
        dir.path(),
        &[
            "diff",
            "before.yaml",
            "after.yaml",
            "--format",
            "xlsx",
            "-o",
            "d.xlsx",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut diff: Xlsx<_> = open_workbook(dir.path().join("d.xlsx")).unwrap();
    let range = diff.worksheet_range("diff").unwrap();
    let header: Vec<Data> = (0..9).map(|c| cell(&range, 0, c)).collect();
    let change = header
        .iter()
        .position(|h| *h == Data::String("change".into()))
        .unwrap() as u32;
    let total_row = (1..range.height() as u32)
        .find(|&r| cell(&range, r, 0) == Data::String("total".into()))
        .unwrap();
    assert_eq!(cell(&range, total_row, change), Data::Float(104.0));

    let (code, _, stderr) = run_at(
        dir.path(),
        &[
            "trajectory",
            "before.yaml",
            "--until",
            "2030",
            "--format",
            "xlsx",
            "-o",
            "t.xlsx",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut trajectory: Xlsx<_> = open_workbook(dir.path().join("t.xlsx")).unwrap();
    let range = trajectory.worksheet_range("trajectory").unwrap();
    assert_eq!(cell(&range, 1, 0), Data::Float(2024.0));
    assert_eq!(range.height(), 8); // header + 2024…2030
}

// --- The collection workbook ------------------------------------------------------------------

/// The keys of a YAML line in the collection workbook's column order.
const TEMPLATE_KEYS: [&str; 30] = [
    "id",
    "label",
    "factor",
    "quantity",
    "unit",
    "uncertainty",
    "post",
    "purpose",
    "direction",
    "mobile",
    "amortization.acquired",
    "amortization.years",
    "sold_products",
    "ets",
    "pci_per_pcs",
    "factor_uncertainty",
    "market_factor",
    "site",
    "tags",
    "comment",
    "quality.reliability",
    "quality.technical",
    "quality.geographic",
    "quality.temporal",
    "quality.completeness",
    "factor_quality.reliability",
    "factor_quality.technical",
    "factor_quality.geographic",
    "factor_quality.temporal",
    "factor_quality.completeness",
];

/// The value of factor `id` read straight from the embedded CSV (`Elément` row, `Total poste
/// non décomposé`, decimal comma).
fn embedded_value(id: &str) -> f64 {
    let bytes = std::fs::read("factors/base_carbone_v23.6_default.csv").unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let mut rows = text.lines();
    let header: Vec<&str> = rows.next().unwrap().split(';').collect();
    let total = header
        .iter()
        .position(|h| *h == "Total poste non décomposé")
        .unwrap();
    let row = rows
        .find(|r| r.starts_with(&format!("Elément;{id};")))
        .unwrap();
    let cells: Vec<&str> = row.split(';').collect();
    cells[total].replace(',', ".").parse().unwrap()
}

/// The cells of `sheet` as text, row by row.
fn sheet_texts(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn the_collection_workbook_has_its_sheets_header_factors_and_drop_down_lists() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["template", "-o", "collecte-2025.xlsx"]);
    assert_eq!(code, 0, "{stderr}");
    let path = dir.path().join("collecte-2025.xlsx");
    let mut wb = calamine::open_workbook_auto(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["lines", "facteurs", "instructions", "lists"]
    );
    // The header is the first row, alone: the loader reads the first row as the header.
    let lines = sheet_texts(&path, "lines");
    assert_eq!(lines, vec![TEMPLATE_KEYS.map(String::from).to_vec()]);
    let range = wb.worksheet_range("lines").unwrap();
    assert_eq!(range.start(), Some((0, 0)));

    // Electricity 42513: 0.052 kgCO2e/kWh in the embedded CSV (`0,052`).
    let electricity = embedded_value("42513");
    assert_eq!(electricity, 0.052);
    let factors = wb.worksheet_range("facteurs").unwrap();
    let row = factors.rows().find(|r| r[0] == "42513").unwrap();
    assert_eq!(
        row[1].to_string(),
        "Electricité - 2022 - mix moyen - consommation"
    );
    assert_eq!(row[2].to_string(), "kWh");
    assert_eq!(row[3], calamine::Data::Float(electricity));
    assert_eq!(row[4].to_string(), "ADEME Base Carbone V23.6 id 42513");
    // Every listed factor's value is the CSV's; ids sorted, each once.
    let mut ids = Vec::new();
    for r in factors.rows().skip(1) {
        let id = r[0].to_string();
        let value = match &r[3] {
            calamine::Data::Float(f) => *f,
            other => other.to_string().parse().unwrap(),
        };
        assert_eq!(value, embedded_value(&id), "{id}");
        ids.push(id.parse::<u32>().unwrap());
    }
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted);
    // The examples' factors are there (fuel 14015, train 43256) and the FEC mapping's.
    assert!(ids.contains(&14015) && ids.contains(&43256), "{ids:?}");

    // The lists the drop-downs point at: 22 post codes, the purposes and directions.
    let lists = sheet_texts(&path, "lists");
    let column = |c: usize| -> Vec<String> {
        lists
            .iter()
            .skip(1)
            .map(|r| r[c].clone())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let mut codes: Vec<String> = (1..=5).map(|n| format!("1.{n}")).collect();
    codes.extend((6..=7).map(|n| format!("2.{n}")));
    codes.extend((8..=22).map(|n| format!("3.{n}")));
    assert_eq!(column(1), codes);
    assert_eq!(column(2), ["business", "commute", "visitors"]);
    assert_eq!(column(3), ["upstream", "downstream"]);
    assert_eq!(column(0)[0], "kWh");

    // calamine does not read validations: the sheet XML holds them. unit = E, post = G,
    // purpose = H, direction = I.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert_eq!(xml.matches("<dataValidation ").count(), 4, "{xml}");
    for (range, list) in [
        ("E2:E5001", "lists!$A$2:$A$26"),
        ("G2:G5001", "lists!$B$2:$B$23"),
        ("H2:H5001", "lists!$C$2:$C$4"),
        ("I2:I5001", "lists!$D$2:$D$3"),
    ] {
        assert!(
            xml.contains(&format!("sqref=\"{range}\"")),
            "{range}: {xml}"
        );
        assert!(
            xml.contains(&format!("<formula1>{list}</formula1>")),
            "{list}: {xml}"
        );
    }
    assert!(xml.contains("<pane ySplit=\"1\""), "frozen header: {xml}");
    // Codes are text cells (`3.10` typed in a General cell would become the number 3.1):
    // `factor` (C) and `unit` (E) have the text style, `quantity` (D) and
    // `amortization.acquired` (K) not.
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(styles.contains(r#"formatCode="@""#), "{styles}");
    for (column, text) in [(3, true), (4, false), (5, true), (11, false)] {
        let col = format!(r#"<col min="{column}" max="{column}""#);
        let at = xml.find(&col).unwrap_or_else(|| panic!("{col}: {xml}"));
        let tag = &xml[at..at + xml[at..].find('>').unwrap()];
        assert_eq!(tag.contains("style="), text, "{tag}");
    }
    // The same inputs give the same bytes (the instructions name the file: same name).
    std::fs::create_dir(dir.path().join("again")).unwrap();
    let (code, _, stderr) = run_at(
        &dir.path().join("again"),
        &["template", "-o", "collecte-2025.xlsx"],
    );
    assert_eq!(code, 0, "{stderr}");
    let again = std::fs::read(dir.path().join("again/collecte-2025.xlsx")).unwrap();
    assert!(again == std::fs::read(&path).unwrap(), "the bytes differ");

    // With an inventory: its organisation and period head the instructions; in English the
    // factors sheet is `factors`.
    std::fs::copy(
        "examples/pme-industrielle.yaml",
        dir.path().join("2023.yaml"),
    )
    .unwrap();
    let (code, _, stderr) = run_at(
        dir.path(),
        &[
            "template",
            "-o",
            "en.xlsx",
            "--inventory",
            "2023.yaml",
            "--lang",
            "en",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let en = dir.path().join("en.xlsx");
    let help = sheet_texts(&en, "instructions");
    assert_eq!(
        help[0][0],
        "Activity data collection — Chaudronnerie du Val de Saône — 2023-01-01 – 2023-12-31"
    );
    assert!(
        help.iter().any(|r| r[0].contains("include: [en.xlsx]")),
        "{help:?}"
    );
    let factors = sheet_texts(&en, "factors");
    assert_eq!(factors[0][0], "factor");
}

#[test]
fn the_collection_workbook_filled_in_is_an_include_as_is() {
    use bilan::render::template::{Template, workbook};
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbook(&Template {
        lang: bilan::post::Lang::Fr,
        inventory: None,
        factors: Vec::new(),
        file_name: "collecte-2025.xlsx",
    })
    .unwrap();
    let lines = wb.worksheet_from_name("lines").unwrap();
    // As a colleague fills it: numbers as numbers, the uncertainty as text.
    lines.write_string(1, 0, "elec").unwrap();
    lines.write_string(1, 1, "Électricité siège").unwrap();
    lines.write_number(1, 2, 42513).unwrap();
    lines.write_number(1, 3, 21340).unwrap();
    lines.write_string(1, 4, "kWh").unwrap();
    lines.write_string(1, 5, "10%").unwrap();
    lines.write_string(2, 0, "gnr").unwrap();
    lines.write_string(2, 1, "Gazole non routier").unwrap();
    lines.write_string(2, 2, "14015").unwrap();
    lines.write_number(2, 3, 250).unwrap();
    lines.write_string(2, 4, "L").unwrap();
    lines.write_string(2, 6, "1.1").unwrap();
    lines.write_string(2, 17, "chantier").unwrap();
    wb.save(dir.path().join("collecte-2025.xlsx")).unwrap();
    let (json, _) = compute_json(
        dir.path(),
        &format!("{HEAD}lines: []\ninclude: [collecte-2025.xlsx]\n"),
    );
    // 21,340 kWh × 0.052 = 1,109.68; 250 L × 3.16 (gazole non routier 14015) = 790;
    // total 1,899.68 kgCO2e.
    assert_eq!(embedded_value("14015"), 3.16);
    let result: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(result["total"]["kgco2e"].to_string(), "1899.68", "{json}");
}

#[test]
fn the_collection_workbook_refuses_other_extensions_and_missing_inventories() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_at(dir.path(), &["template", "-o", "x.csv"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with("error: -o x.csv: the collection workbook is an .xlsx file"),
        "{stderr}"
    );
    assert!(!dir.path().join("x.csv").exists());
    let (code, _, stderr) = run_at(
        dir.path(),
        &["template", "-o", "c.xlsx", "--inventory", "missing.yaml"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with("error: missing.yaml: cannot open: no such file"),
        "{stderr}"
    );
    assert!(!dir.path().join("c.xlsx").exists());

    // The inventory includes the workbook: written while it is not there, never over the
    // lines collected.
    std::fs::write(
        dir.path().join("2025.yaml"),
        format!("{HEAD}lines: []\ninclude: [collecte.xlsx]\n"),
    )
    .unwrap();
    let args = [
        "template",
        "-o",
        "collecte.xlsx",
        "--inventory",
        "2025.yaml",
    ];
    let (code, _, stderr) = run_at(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    let written = std::fs::read(dir.path().join("collecte.xlsx")).unwrap();
    let (code, _, stderr) = run_at(dir.path(), &args);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "error: collecte.xlsx is included by 2025.yaml: it holds the lines collected"
        ),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("collecte.xlsx")).unwrap(),
        written
    );
}

/// A CSV of `rows` data rows (factor 42513, 1 kWh each): row 5000 empty, every 7th row with its
/// own id; `edit` changes a row's cells (id, quantity) before it is written.
fn big_csv(rows: usize, edit: impl Fn(usize, &mut String, &mut String)) -> String {
    let mut text = String::from("id,label,factor,quantity,unit\n");
    for i in 1..=rows {
        if i == 5000 {
            text.push_str(",,,,\n");
            continue;
        }
        let mut id = if i % 7 == 0 {
            format!("own-{i}")
        } else {
            String::new()
        };
        let mut quantity = "1".to_string();
        edit(i, &mut id, &mut quantity);
        text.push_str(&format!("{id},L{i},42513,{quantity},kWh\n"));
    }
    text
}

#[test]
fn a_big_csv_read_on_every_core_gives_what_row_by_row_gives() {
    // 20,000 rows: two batches, each in many parts checked beside each other.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.csv"), big_csv(20_000, |_, _, _| {})).unwrap();
    let (json, _) = compute_json(dir.path(), &format!("{HEAD}include: [big.csv]\n"));
    let result: serde_json::Value = serde_json::from_str(&json).unwrap();
    let lines = result["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 19_999);
    let id_of = |label: &str| {
        lines.iter().find(|l| l["label"] == label).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Default ids count the lines before (the empty row 5000 is not one).
    assert_eq!(id_of("L1"), "line-1");
    assert_eq!(id_of("L4999"), "line-4999");
    assert_eq!(id_of("L5001"), "line-5000");
    assert_eq!(id_of("L16385"), "line-16384");
    assert_eq!(id_of("L20000"), "line-19999");
    assert_eq!(id_of("L14"), "own-14");
    // 19,999 kWh × 0.052 kgCO2e/kWh (42513).
    assert_eq!(result["total"]["kgco2e"].to_string(), "1039.948");

    // An id repeated 18,000 rows later, in the second batch, and a bad quantity after it: the
    // errors of a row-by-row reading, in file order (header on line 1).
    let bad = big_csv(20_000, |i, id, quantity| {
        if i == 18_000 {
            *id = "own-7".to_string();
        }
        if i == 19_000 {
            *quantity = "x".to_string();
        }
    });
    let stderr = check_included("big.csv", bad.as_bytes());
    assert_eq!(
        stderr,
        "error: big.csv:18001:1: duplicate line id `own-7`
  = help: line ids must be unique
error: big.csv:19001:4: `quantity` is not a decimal number: `x`
  = help: write a plain decimal number such as 1250.5 (no unit, no thousands separator)
"
    );
}
