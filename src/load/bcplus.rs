//! Reading a Bilan Carbone+ emission-source export (`sources-emission-export.csv` or `.xlsx`),
//! as `ABC-TransitionBasCarbone/bilan-carbone` writes it at commit
//! `949af9c48dff4589450bff7e3ff41fb9eeae0d7a`: `exportEmissionSourcesToCSV` /
//! `exportEmissionSourcesToExcel` / `buildEmissionSourceRow` in
//! `apps/bilan-carbone/src/services/serverFunctions/importEmissionSources.ts`, the 37 positional
//! columns of `apps/bilan-carbone/src/types/importEmissionSources.types.ts`, CSV through
//! `packages/utils/csv.ts` (`;`, quotes only when needed, UTF-8 with BOM, header on line 1),
//! xlsx with the header on row 10 of the first sheet (`utils/excel.utils.ts`). Notes:
//! `../shared/data/research/bcplus-formats.md` §1a–1b.

use super::{encoding, files};
use crate::bcplus::{self, col};
use crate::error::{InputError, InputErrors, Position};
use crate::number;
use crate::post::Post;
use crate::uncertainty::Quality;
use rust_decimal::Decimal;
use std::path::Path;
use std::sync::Arc;

/// One source read as an inventory line.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedLine {
    /// Line id: the marker's, else `bcplus-<row>`.
    pub id: String,
    /// The source name (`Nom *`).
    pub label: String,
    /// The Base Carbone id.
    pub factor: String,
    /// The activity value, in the factor's unit.
    pub quantity: Decimal,
    /// The factor's unit, as its Base Carbone string (`tonne`).
    pub unit: String,
    /// Our post.
    pub post: Post,
    /// A stated percentage kept in the marker (`5%`).
    pub uncertainty: Option<String>,
    /// The activity-data qualities.
    pub quality: Option<Quality>,
    /// Depreciation: (acquisition year, years).
    pub amortization: Option<(i32, u32)>,
    /// The site.
    pub site: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Where it came from and the comment.
    pub comment: String,
}

/// A source that could not become a line, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmapped {
    /// Where.
    pub at: Position,
    /// Its name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// What an export gives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    /// The lines.
    pub lines: Vec<ImportedLine>,
    /// The sources left out.
    pub unmapped: Vec<Unmapped>,
}

/// One row of cells with its position maker.
struct Row {
    cells: Vec<String>,
    /// 1-based row number in the file.
    number: u64,
}

/// Reads a `.csv` or `.xlsx` export.
pub fn read_export(path: &Path) -> Result<Imported, InputErrors> {
    let bytes = files::read(path).map_err(InputErrors::one)?;
    let name = files::display(path);
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xls"));
    if is_xlsx {
        let (sheet, rows) = xlsx_rows(&name, bytes)?;
        let file: Arc<str> = Arc::from(format!("{name}!{sheet}").as_str());
        parse_rows(&file, rows, u64::from(bcplus::HEADER_ROW))
    } else {
        let file: Arc<str> = Arc::from(name.as_str());
        let text = encoding::decode(&file, &bytes).map_err(InputErrors::one)?;
        let rows = csv_rows(&file, &text)?;
        parse_rows(&file, rows, 1)
    }
}

fn csv_rows(file: &Arc<str>, text: &str) -> Result<Vec<Row>, InputErrors> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            InputErrors::one(InputError::new(
                Position::new(file, line, 1),
                format!("not a `;`-separated CSV: {e}"),
            ))
        })?;
        let number = record.position().map_or(0, csv::Position::line);
        rows.push(Row {
            cells: record.iter().map(str::to_string).collect(),
            number,
        });
    }
    Ok(rows)
}

fn xlsx_rows(name: &str, bytes: Vec<u8>) -> Result<(String, Vec<Row>), InputErrors> {
    use calamine::{Data, Reader};
    let at = Position::file(&Arc::from(name));
    let mut workbook =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            InputErrors::one(
                InputError::new(at.clone(), format!("not a readable workbook: {e}"))
                    .help("export the sources from Bilan Carbone+ as .xlsx or .csv"),
            )
        })?;
    let sheet = workbook.sheet_names().first().cloned().unwrap_or_default();
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| InputErrors::one(InputError::new(at.clone(), "the workbook has no sheet")))?
        .map_err(|e| InputErrors::one(InputError::new(at, format!("cannot read sheet: {e}"))))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells = vec![String::new(); first_col as usize];
        cells.extend(row.iter().map(|cell| match cell {
            Data::Empty => String::new(),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(d) => d.to_string(),
            Data::Error(e) => format!("#{e:?}"),
        }));
        rows.push(Row {
            cells,
            number: u64::from(first_row) + i as u64 + 1,
        });
    }
    Ok((sheet, rows))
}

fn cell(row: &Row, index: usize) -> &str {
    row.cells.get(index).map_or("", |c| c.trim())
}

/// The columns that must be there, with the header Bilan Carbone+ writes (French, English).
const REQUIRED: [(usize, &str, &str); 6] = [
    (col::SITE, "Site *", "Site *"),
    (col::SUB_POST, "Sous-poste *", "Subcategory *"),
    (col::NAME, "Nom *", "Name *"),
    (col::VALUE, "Valeur", "Value"),
    (
        col::FACTOR_ID,
        "ID (Base empreinte uniquement)",
        "ID (Base empreinte only)",
    ),
    (col::FACTOR_UNIT, "Unité", "Unit"),
];

fn parse_rows(file: &Arc<str>, rows: Vec<Row>, header_row: u64) -> Result<Imported, InputErrors> {
    let Some(header) = rows.iter().find(|r| r.number == header_row) else {
        return Err(InputErrors::one(
            InputError::new(
                Position::new(file, header_row, 1),
                format!(
                    "no header row: Bilan Carbone+ writes the column headers on row {header_row}"
                ),
            )
            .help("give the emission-source export of Bilan Carbone+ as it was downloaded"),
        ));
    };
    for (index, fr, en) in REQUIRED {
        let got = bcplus::fold(cell(header, index));
        if got != bcplus::fold(fr) && got != bcplus::fold(en) {
            let column = index as u64 + 1;
            let message = if header.cells.len() <= index {
                format!("missing column `{fr}` (column {column} of Bilan Carbone+'s 37)")
            } else {
                format!(
                    "expected column `{fr}` here, found `{}`",
                    cell(header, index)
                )
            };
            return Err(InputErrors::one(
                InputError::new(Position::new(file, header.number, column), message).help(
                    "Bilan Carbone+ reads its columns by position: keep the 37 columns of its export in order",
                ),
            ));
        }
    }
    let mut imported = Imported::default();
    let mut errors = Vec::new();
    for row in rows.iter().filter(|r| r.number > header_row) {
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match parse_row(file, row) {
            Ok(Ok(line)) => imported.lines.push(line),
            Ok(Err(unmapped)) => imported.unmapped.push(unmapped),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(imported)
    } else {
        Err(InputErrors(errors))
    }
}

fn at(file: &Arc<str>, row: &Row, index: usize) -> Position {
    Position::new(file, row.number, index as u64 + 1)
}

fn parse_number(
    file: &Arc<str>,
    row: &Row,
    index: usize,
    what: &str,
) -> Result<Option<Decimal>, InputError> {
    let text = cell(row, index);
    if text.is_empty() {
        return Ok(None);
    }
    number::parse_decimal(text)
        .or_else(|_| number::parse_decimal_comma(text))
        .map(Some)
        .map_err(|_| {
            InputError::new(
                at(file, row, index),
                format!("{what}: `{text}` is not a number"),
            )
            .help("write a number such as 1234.5 (or 1234,5)")
        })
}

fn parse_row(file: &Arc<str>, row: &Row) -> Result<Result<ImportedLine, Unmapped>, InputError> {
    let name = cell(row, col::NAME).to_string();
    let unmapped = |index: usize, reason: String| Unmapped {
        at: at(file, row, index),
        name: name.clone(),
        reason,
    };
    let sub_label = cell(row, col::SUB_POST);
    let sub = bcplus::sub_post(sub_label).ok_or_else(|| {
        InputError::new(
            at(file, row, col::SUB_POST),
            format!("unknown sub-post `{sub_label}`"),
        )
        .help("use a Bilan Carbone+ sub-post label, e.g. `Électricité` or `Déplacements professionnels`")
    })?;
    if name.is_empty() {
        return Err(InputError::new(
            at(file, row, col::NAME),
            "the source has no name (`Nom *`)",
        ));
    }
    let quantity = parse_number(file, row, col::VALUE, "activity value")?;
    let (marker, rest) = bcplus::split_marker(cell(row, col::COMMENT));
    let post = match &marker.post {
        Some(code) => Post::from_code(code).ok_or_else(|| {
            InputError::new(
                at(file, row, col::COMMENT),
                format!("unknown post `{code}` in `[bilan …]`"),
            )
        })?,
        None => match bcplus::post_of(sub, cell(row, col::CARACTERISATION)) {
            Some(post) => post,
            None => {
                let c = cell(row, col::CARACTERISATION);
                let reason = if c.is_empty() {
                    format!(
                        "sub-post `{}` needs a characterisation to have a post (`Opéré, procédé` → 1.3, `Opéré, fugitive` → 1.4, `Opéré, CAS` → 1.5)",
                        sub.fr
                    )
                } else {
                    format!(
                        "sub-post `{}` characterised `{c}` has no post among the 22",
                        sub.fr
                    )
                };
                return Ok(Err(unmapped(col::SUB_POST, reason)));
            }
        },
    };
    let factor = cell(row, col::FACTOR_ID).to_string();
    if factor.is_empty() {
        return Ok(Err(unmapped(
            col::FACTOR_ID,
            "no Base Carbone id (a factor of the user's or of another base): add it to a factor base and write the line by hand".into(),
        )));
    }
    let Some(quantity) = quantity else {
        return Ok(Err(unmapped(col::VALUE, "no activity value".into())));
    };
    let unit_text = cell(row, col::FACTOR_UNIT);
    let label = strip_kgco2e(unit_text);
    let unit = crate::bcplus_units::UNITS
        .iter()
        .find(|u| {
            bcplus::fold(u.fr) == bcplus::fold(label)
                || bcplus::fold(u.en) == bcplus::fold(label)
                || u.base_carbone
                    .iter()
                    .any(|b| bcplus::fold(b) == bcplus::fold(label))
        })
        .ok_or_else(|| {
            InputError::new(
                at(file, row, col::FACTOR_UNIT),
                format!("unknown unit `{unit_text}`"),
            )
            .help("write `kgCO2e/` and a unit of Bilan Carbone+, e.g. `kgCO2e/kWh`")
        })?;
    let unit = unit
        .base_carbone
        .first()
        .copied()
        .unwrap_or(unit.fr)
        .to_string();
    let mut quality = Quality::default();
    let mut slots = [
        &mut quality.reliability,
        &mut quality.technical,
        &mut quality.geographic,
        &mut quality.temporal,
        &mut quality.completeness,
    ];
    for (i, slot) in slots.iter_mut().enumerate() {
        let text = cell(row, col::QUALITY + i);
        if text.is_empty() {
            continue;
        }
        **slot = Some(bcplus::quality_score(text).ok_or_else(|| {
            InputError::new(
                at(file, row, col::QUALITY + i),
                format!("unknown quality `{text}`"),
            )
            .help("use Très mauvaise, Mauvaise, Moyenne, Bonne or Très bonne")
        })?);
    }
    let years = parse_number(file, row, col::DEPRECIATION, "depreciation period")?;
    let acquired = parse_number(file, row, col::ACQUIRED, "acquisition year")?;
    // Bilan Carbone+ divides by the depreciation period only for the Immobilisations sub-posts
    // (`hasDeprecationPeriod`, `apps/bilan-carbone/src/utils/study.ts`;
    // `getEmissionSourceEmission`, `services/emissionSource.ts`); elsewhere I and J change nothing.
    let amortization = match (acquired, years) {
        _ if !bcplus::is_capital(sub) => None,
        (_, None) => None,
        (None, Some(_)) => {
            return Ok(Err(unmapped(
                col::ACQUIRED,
                "a depreciation period without an acquisition year: `amortization:` needs the year (add it in Bilan Carbone+)".into(),
            )));
        }
        (Some(a), Some(y)) => {
            let a = i32::try_from(a.trunc().mantissa())
                .ok()
                .filter(|_| a.fract().is_zero());
            let y = u32::try_from(y.trunc().mantissa())
                .ok()
                .filter(|_| y.fract().is_zero() && !y.is_zero());
            match (a, y) {
                (Some(a), Some(y)) => Some((a, y)),
                _ => {
                    return Err(InputError::new(
                        at(file, row, col::DEPRECIATION),
                        "depreciation period and acquisition year must be whole numbers (years ≥ 1)",
                    ));
                }
            }
        }
    };
    let site = Some(cell(row, col::SITE).to_string()).filter(|s| !s.is_empty());
    let tags = cell(row, col::TAG)
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let mut comment = format!(
        "Bilan Carbone+ {}, sous-poste {}",
        at(file, row, col::NAME),
        sub.fr
    );
    for (label, index) in [("source", col::SOURCE), ("hypothèses", usize::MAX)] {
        let text = if index == usize::MAX {
            rest.as_str()
        } else {
            cell(row, index)
        };
        if !text.is_empty() {
            comment.push_str(&format!("; {label}: {text}"));
        }
    }
    Ok(Ok(ImportedLine {
        id: marker
            .id
            .unwrap_or_else(|| format!("bcplus-{}", row.number)),
        label: name,
        factor,
        quantity,
        unit,
        post,
        uncertainty: marker.uncertainty,
        quality: Some(quality).filter(|q| !q.is_empty()),
        amortization,
        site,
        tags,
        comment,
    }))
}

/// `kgCO2e/tonne` → `tonne` (the prefix regex `^\s*kgCO2e\s*/\s*` of Bilan Carbone+'s import).
fn strip_kgco2e(text: &str) -> &str {
    let t = text.trim_start();
    match t.get(..6) {
        Some(p) if p.eq_ignore_ascii_case("kgco2e") => {
            let r = t.get(6..).unwrap_or("").trim_start();
            r.strip_prefix('/').map_or(t, str::trim_start)
        }
        _ => t,
    }
}
