//! Reads the official ADEME Base Carbone® CSV export (base-carbone.md).
//!
//! One `Elément` row per element (its total), then zero or more `Poste` rows with the same id
//! (its decomposition). Only "Facteur d'émission" elements become factors. Columns are found by
//! their header name, so a re-ordered or trimmed export still reads. Defective rows are
//! reported in [`LoadedBase::defects`] and skipped; only problems with the whole file (encoding,
//! separator, header, truncation, conflicting duplicates) are errors.

use crate::error::{InputError, Position};
use crate::factor::{BaseKind, Factor, FactorStatus, FactorUncertainty, Gases, Part};
use crate::factor_base::{BaseSource, LoadedBase, SkippedRow};
use crate::load::encoding::{Encoding, detect};
use crate::number::{NumberError, parse_decimal_comma};
use crate::text::fold;
use crate::uncertainty::Quality;
use csv::ByteRecord;
use foldhash::HashMap;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// Skip reason: a "Données source" element (input data of other factors, not a factor).
pub const SKIPPED_SOURCE_DATA: &str = "Données source element (not an emission factor)";
/// Skip reason: a row identical to an earlier one.
pub const SKIPPED_DUPLICATE: &str = "exact duplicate row";
/// Skip reason: a `Poste` row whose element is not a loaded factor.
pub const SKIPPED_ORPHAN_PART: &str = "Poste row of an element that is not a loaded factor";
/// Skip reason: a row with no value at all.
pub const SKIPPED_BLANK: &str = "blank row";

const ELEMENT_FACTOR: &str = "Facteur d'émission";
const ELEMENT_SOURCE_DATA: &str = "Données source";

#[derive(Clone, Copy)]
enum ElementType {
    Factor,
    SourceData,
}

const ELEMENT_TYPES: [(&str, ElementType); 2] = [
    (ELEMENT_FACTOR, ElementType::Factor),
    (ELEMENT_SOURCE_DATA, ElementType::SourceData),
];

const STATUSES: [(&str, FactorStatus); 3] = [
    ("Valide générique", FactorStatus::ValidGeneric),
    ("Valide spécifique", FactorStatus::ValidSpecific),
    ("Archivé", FactorStatus::Archived),
];

#[derive(Clone, Copy)]
enum LineType {
    Element,
    Part,
}

const LINE_TYPES: [(&str, LineType); 2] =
    [("Elément", LineType::Element), ("Poste", LineType::Part)];

const EXTRA_GAS_CODES: [&str; 5] = [
    "Code gaz supplémentaire 1",
    "Code gaz supplémentaire 2",
    "Code gaz supplémentaire 3",
    "Code gaz supplémentaire 4",
    "Code gaz supplémentaire 5",
];
const EXTRA_GAS_VALUES: [&str; 5] = [
    "Valeur gaz supplémentaire 1",
    "Valeur gaz supplémentaire 2",
    "Valeur gaz supplémentaire 3",
    "Valeur gaz supplémentaire 4",
    "Valeur gaz supplémentaire 5",
];

/// True when `header_line` (the first line of a file) is an ADEME Base Carbone header,
/// whatever its separator, with spaces in column names or the `_` of the data-fair API.
pub fn looks_like(header_line: &str) -> bool {
    // "Identifiant de l'élément" without its accents, which re-encoded files may have lost;
    // ADEME's data-fair API writes `_` for the spaces (`Type_Ligne`).
    let header = header_line.replace('_', " ");
    header.contains("Type Ligne") && header.contains("Identifiant de l")
}

/// Reads an ADEME Base Carbone CSV export: the official download (`;`, decimal commas,
/// Windows-1252) or the data-fair API's CSV (`,` or `;`, `_` in column names, UTF-8, decimal
/// points). `file` names it in errors, positions and provenance; a version such as `V23.6` in
/// the file name goes into each factor's `source`.
pub fn load(file: &Arc<str>, bytes: &[u8]) -> Result<LoadedBase, InputError> {
    with_digest(file, bytes, || {
        let (body, encoding) = detect(file, bytes)?;
        read_body(file, body, encoding, None, None, None)
    })
}

/// Runs `read` while another thread computes the SHA-256 of `bytes` (a tenth of the time of
/// reading the full export), then records the digest in the base's source.
fn with_digest(
    file: &Arc<str>,
    bytes: &[u8],
    read: impl FnOnce() -> Result<LoadedBase, InputError>,
) -> Result<LoadedBase, InputError> {
    std::thread::scope(|scope| {
        // Without a thread to spare (a process limit), the digest follows the read.
        let digest = std::thread::Builder::new()
            .spawn_scoped(scope, || super::digest::sha256_hex(bytes))
            .ok();
        let mut base = read()?;
        let sha256 = match digest {
            Some(digest) => digest.join().map_err(|_| {
                InputError::new(
                    Position::file(file),
                    "internal error: the file digest failed",
                )
            })?,
            None => super::digest::sha256_hex(bytes),
        };
        if let Some(source) = &mut base.source {
            source.sha256 = sha256;
        }
        Ok(base)
    })
}

/// Reads the export from its decoded `text` (`bytes` are the file's, for its digest).
/// `lines`, when given, holds the file line of each data record (for a converted file: JSON
/// lines, a spreadsheet's rows), used in positions instead of the text's own.
pub(crate) fn load_text(
    file: &Arc<str>,
    text: &str,
    bytes: &[u8],
    lines: Option<&[u64]>,
    content_version: Option<String>,
) -> Result<LoadedBase, InputError> {
    with_digest(file, bytes, || {
        read_body(
            file,
            text.as_bytes(),
            Encoding::Utf8,
            lines,
            content_version,
            None,
        )
    })
}

/// Bodies from this size are read in two halves on two threads (the full export: 10.7 MB).
const SPLIT_FROM: usize = 1 << 20;

/// Reads the export from its `body` (the file's bytes after any BOM) in `encoding`, decoding
/// only the cells it keeps. A body of [`SPLIT_FROM`] bytes or more is read in two halves at
/// once (cut at byte `cut` when given), when a second core is there and no `lines` are
/// given; the result is the one pass's.
fn read_body(
    file: &Arc<str>,
    body: &[u8],
    encoding: Encoding,
    lines: Option<&[u64]>,
    content_version: Option<String>,
    cut: Option<usize>,
) -> Result<LoadedBase, InputError> {
    if is_blank(body, encoding) {
        return Err(InputError::new(Position::file(file), "empty file"));
    }
    let separator = separator(file, body, encoding)?;
    let mut reader = reader(separator, body);
    let mut record = ByteRecord::new();
    if !read(file, &mut reader, &mut record)? {
        return Err(InputError::new(Position::file(file), "empty file"));
    }
    let columns =
        Columns::find(&record, encoding).map_err(|missing| missing_columns(file, &missing))?;
    let version = version_in(file).or(content_version);
    let rows = RowReader {
        file,
        body,
        columns,
        width: record.len(),
        source_prefix: match &version {
            Some(version) => format!("{} {version} id ", base_name(file)),
            None => format!("{} id ", base_name(file)),
        },
        lines,
    };
    let data_start = usize::try_from(reader.position().byte()).unwrap_or(0);
    let boundary = match cut {
        Some(cut) => (data_start < cut && cut < body.len()).then_some(cut),
        None => split_point(body, data_start),
    };
    let halves = match boundary {
        Some(boundary) if lines.is_none() => rows.in_halves(reader, separator, boundary)?,
        _ => None,
    };
    let read = match halves {
        Some(read) => read,
        None => {
            let mut reader = self::reader(separator, body);
            read(file, &mut reader, &mut record)?;
            rows.read(&mut reader, Offset::default(), usize::MAX)?
        }
    };
    if read.rows.is_empty() && read.more.is_empty() && read.blank == 0 {
        return Err(InputError::new(
            Position::new(file, 1, 0),
            "no data rows: the file has only a header",
        ));
    }
    // Before the last row's check: a read stopped at the limit has not reached the last row.
    if let Some(error) = too_many_defects(file, read.rows.iter().chain(&read.more)) {
        return Err(error);
    }
    let (last_line, last_width) = read.last;
    if last_width < rows.width && !body.ends_with(b"\n") && !body.ends_with(b"\r") {
        return Err(InputError::new(
            Position::new(file, last_line, 0),
            format!(
                "truncated file: the last row has {last_width} of {} columns and no final newline",
                rows.width
            ),
        )
        .help("the file was cut short (interrupted download or copy?): download it again"));
    }
    let count = read.rows.len() + read.more.len() + read.blank;
    let elements = read
        .rows
        .iter()
        .chain(&read.more)
        .filter(|row| matches!(row.kind, RowKind::Element { .. }))
        .count();
    let mut loader = Loader {
        file,
        body,
        factors: Vec::with_capacity(elements),
        elements: HashMap::with_capacity_and_hasher(elements, Default::default()),
        parts: HashMap::default(),
        skipped_source_data: 0,
        skipped_duplicates: 0,
        skipped_blank: read.blank,
        defects: Vec::new(),
    };
    for row in read.rows.into_iter().chain(read.more) {
        loader.row(row)?;
    }
    let base = loader.finish(count, version);
    // Defective rows speak for themselves (a warning each, an error where a line uses one);
    // a file of blank rows or source data would load as an empty base without a word.
    if base.factors.is_empty() && base.defects.is_empty() {
        return Err(no_factor(file, count, &base));
    }
    Ok(base)
}

/// Defective rows a file may have: past them it is refused rather than read as a base whose
/// every warning is a skipped row (the official exports have none; a file of 200 MB of
/// one-cell rows would hold a hundred million of them).
const MAX_DEFECTS: usize = 10_000;

/// The error of a file with more than [`MAX_DEFECTS`] defective rows, at the first row past
/// them. Each half of a file keeps its first `MAX_DEFECTS + 1`, so that row is among `rows`.
fn too_many_defects<'r>(
    file: &Arc<str>,
    rows: impl Iterator<Item = &'r Row>,
) -> Option<InputError> {
    let row = rows.filter(|row| row.is_defect()).nth(MAX_DEFECTS)?;
    Some(
        InputError::new(
            Position::new(file, row.line, 0),
            format!("more than {MAX_DEFECTS} defective rows: is this a Base Carbone export?"),
        )
        .help("check that the file is the export as downloaded (separator, columns, encoding)"),
    )
}

/// The error of a file whose rows give no factor and none defective, saying what they were.
fn no_factor(file: &Arc<str>, rows: usize, base: &LoadedBase) -> InputError {
    let kinds: Vec<String> = base
        .skipped
        .iter()
        .map(|(reason, n)| format!("{n}: {reason}"))
        .collect();
    InputError::new(
        Position::new(file, 1, 0),
        format!(
            "no emission factor in the file: of its {rows} rows, {}",
            kinds.join("; ")
        ),
    )
    .help("a factor is an `Elément` row of type \"Facteur d'émission\": is this the Base Carbone export?")
}

/// True when the body holds only white space.
fn is_blank(body: &[u8], encoding: Encoding) -> bool {
    let rest = body.trim_ascii_start();
    match rest.first() {
        None => true,
        Some(b) if b.is_ascii() => false,
        Some(_) => encoding.text(rest).trim().is_empty(),
    }
}

/// A CSV reader of `input` (records of any width: a short row is a defect, not an error).
fn reader(separator: u8, input: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(input)
}

/// Where to cut the data in two: the start of the line after the middle of the data, when
/// the body is big enough, a second core is there and the cut leaves rows on both sides.
fn split_point(body: &[u8], data_start: usize) -> Option<usize> {
    if body.len() < SPLIT_FROM || std::thread::available_parallelism().map_or(1, usize::from) < 2 {
        return None;
    }
    let middle = data_start + (body.len().saturating_sub(data_start)) / 2;
    let newline = body.get(middle..)?.iter().position(|b| *b == b'\n')?;
    let boundary = middle + newline + 1;
    (boundary < body.len()).then_some(boundary)
}

/// Reads the next record; false at the end of the input.
fn read(
    file: &Arc<str>,
    reader: &mut csv::Reader<&[u8]>,
    record: &mut ByteRecord,
) -> Result<bool, InputError> {
    // With `flexible`, the csv crate reports no error on a byte slice; map one anyway rather
    // than assume.
    reader.read_byte_record(record).map_err(|e| {
        let line = e.position().map_or(0, csv::Position::line);
        InputError::new(Position::new(file, line, 0), format!("unreadable CSV: {e}"))
    })
}

/// Moves a record's start past the line ends that precede it. After a CRLF record the csv
/// crate places the next record at its pending `\n` (and before any blank lines), one line
/// early; a record itself never starts with a line end, as blank lines are skipped.
fn skip_line_ends(body: &[u8], start: usize, end: usize, line: u64) -> (usize, u64) {
    let raw = body.get(start..end).unwrap_or_default();
    let lead = raw
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(raw.len());
    let newlines = raw
        .get(..lead)
        .map_or(0, |l| l.iter().filter(|b| **b == b'\n').count());
    (start + lead, line + u64::try_from(newlines).unwrap_or(0))
}

/// Refuses a header line without `;`, naming the separator it seems to use.
/// `;` as the official download, or `,` as ADEME's data-fair API serves the same data (its
/// decimals are then points, which the reader takes too).
fn separator(file: &Arc<str>, body: &[u8], encoding: Encoding) -> Result<u8, InputError> {
    let header = body.split(|b| *b == b'\n').next().unwrap_or_default();
    if header.contains(&b';') {
        return Ok(b';');
    }
    if header.contains(&b',') {
        return Ok(b',');
    }
    let header = encoding.text(header);
    let found = [('\t', "tab"), ('|', "'|'")]
        .into_iter()
        .map(|(c, name)| (header.matches(c).count(), name))
        .filter(|(count, _)| *count > 0)
        .max_by_key(|(count, _)| *count)
        .map_or_else(String::new, |(_, name)| format!(", found {name}"));
    Err(InputError::new(
        Position::new(file, 1, 0),
        format!("wrong separator: expected ';' (the Base Carbone export layout) or ','{found}"),
    )
    .help("export the file again with ';' as separator, as the official download does"))
}

fn missing_columns(file: &Arc<str>, missing: &[&str]) -> InputError {
    let message = match missing {
        [one] => format!("Missing column: {one}"),
        many => format!("Missing columns: {}", many.join(", ")),
    };
    InputError::new(Position::new(file, 1, 0), message).help(
        "is this an ADEME Base Carbone export? Its header names the columns in French \
         (\"Type Ligne\", \"Identifiant de l'élément\", \"Unité français\", …)",
    )
}

/// The base a file in the Base Carbone columns holds, from its name: NegaOctet and the AIB
/// residual mixes are published in the same columns; anything else is the Base Carbone.
fn base_name(file: &str) -> &'static str {
    let name = fold(file.rsplit(['/', '\\']).next().unwrap_or(file));
    if name.contains("negaoctet") {
        "NegaOctet"
    } else if name.contains("aib") && name.contains("residual") {
        "AIB European Residual Mixes"
    } else {
        "ADEME Base Carbone"
    }
}

/// The version (`V23.6`) in a file name such as `Base_Carbone_V23.6.csv`.
pub(crate) fn version_in(file: &str) -> Option<String> {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let mut previous = None;
    for (i, c) in name.char_indices() {
        let at_word_start = previous.is_none_or(|p: char| !p.is_alphanumeric());
        previous = Some(c);
        if !(at_word_start && (c == 'V' || c == 'v')) {
            continue;
        }
        let rest = name.get(i + 1..).unwrap_or("");
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = rest.get(..len).unwrap_or("").trim_end_matches('.');
        if number.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(format!("V{number}"));
        }
    }
    None
}

/// The label among `table` that `value` spells, ignoring case and accents when not exact
/// (re-saved files lose accents).
fn classify<T: Copy>(value: &str, table: &[(&str, T)]) -> Option<T> {
    if let Some((_, t)) = table.iter().find(|(label, _)| *label == value) {
        return Some(*t);
    }
    let folded = fold(value);
    table
        .iter()
        .find(|(label, _)| fold(label) == folded)
        .map(|(_, t)| *t)
}

/// Undoes the extra CSV quoting of some V23.6 names (Agribalyse rows): the cell
/// `"""Bière """"spéciale"""" (5-6° alcool)"""` is `Bière "spéciale" (5-6° alcool)` quoted
/// once more. A level is removed only when the text is enclosed in quotes and every quote
/// inside is doubled, which plain text such as `Régime "classique"` never is.
fn unquote(text: &str) -> Cow<'_, str> {
    let mut current = Cow::Borrowed(text);
    while let Some(inner) = current.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        let all_doubled = inner
            .split(|c| c != '"')
            .all(|quotes| quotes.len() % 2 == 0);
        if !all_doubled {
            break;
        }
        let next = inner.replace("\"\"", "\"").trim().to_string();
        current = Cow::Owned(next);
    }
    current
}

/// One column: its header name (for messages) and its index (`None`: optional and absent).
#[derive(Clone, Copy)]
struct Col {
    name: &'static str,
    index: Option<usize>,
    encoding: Encoding,
}

impl Col {
    /// The trimmed cell, empty when absent. Only the cells read are decoded: fields are cut at
    /// ASCII bytes (`;`, `"`, line ends), so a UTF-8 file's fields are valid UTF-8 too.
    fn text(self, record: &ByteRecord) -> Cow<'_, str> {
        let bytes = self.index.and_then(|i| record.get(i)).unwrap_or(b"");
        match self.encoding.text(bytes.trim_ascii()) {
            Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
            Cow::Owned(text) if text.trim().len() == text.len() => Cow::Owned(text),
            Cow::Owned(text) => Cow::Owned(text.trim().to_string()),
        }
    }

    /// A decimal-comma number; `None` when empty.
    fn decimal(self, record: &ByteRecord) -> Result<Option<Decimal>, String> {
        let text = self.text(record);
        if text.is_empty() {
            return Ok(None);
        }
        parse_decimal_comma(&text).map(Some).map_err(|e| match e {
            NumberError::NotANumber => {
                format!("column \"{}\": \"{text}\" is not a number", self.name)
            }
            NumberError::OutOfRange | NumberError::MissingPercent => {
                format!("column \"{}\": \"{text}\" is {e}", self.name)
            }
        })
    }

    /// A required decimal-comma number.
    fn required_decimal(self, record: &ByteRecord) -> Result<Decimal, String> {
        self.decimal(record)?.ok_or_else(|| self.empty())
    }

    /// A quality score 1–5; `0` or empty mean absent (base-carbone.md).
    fn score(self, record: &ByteRecord) -> Result<Option<u8>, String> {
        match &*self.text(record) {
            "" | "0" => Ok(None),
            text => match text.parse::<u8>() {
                Ok(score @ 1..=5) => Ok(Some(score)),
                _ => Err(format!(
                    "column \"{}\": \"{text}\" is not a quality score (1 to 5; 0 or empty for none)",
                    self.name
                )),
            },
        }
    }

    fn empty(self) -> String {
        format!("column \"{}\": empty", self.name)
    }
}

/// The columns `bilan` reads, found by header name.
struct Columns {
    line_type: Col,
    id: Col,
    element_type: Col,
    status: Col,
    name_base: Col,
    name_attribute: Col,
    name_boundary: Col,
    category: Col,
    tags: Col,
    unit: Col,
    location: Col,
    uncertainty: Col,
    quality_technical: Col,
    quality_geographic: Col,
    quality_temporal: Col,
    quality_completeness: Col,
    part_type: Col,
    part_name: Col,
    total: Col,
    co2f: Col,
    ch4f: Col,
    ch4b: Col,
    n2o: Col,
    extra_gas_codes: [Col; 5],
    extra_gas_values: [Col; 5],
    other_ghg: Col,
    co2b: Col,
    comment: Col,
}

impl Columns {
    /// Finds the columns in the header; lists the required ones that are missing. Required
    /// are those without which a factor cannot be read; descriptive ones may be absent.
    fn find(header: &ByteRecord, encoding: Encoding) -> Result<Columns, Vec<&'static str>> {
        // The data-fair API writes `_` for the spaces of column names.
        let names: Vec<String> = header
            .iter()
            .map(|h| {
                encoding
                    .text(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .replace('_', " ")
                    .replace('\u{2019}', "'")
            })
            .collect();
        // Data-fair names replace spaces with `_` (`Identifiant_de_l'élément`).
        let folded: Vec<String> = names.iter().map(|h| fold(&h.replace('_', " "))).collect();
        let index = |name: &str| {
            names.iter().position(|h| h == name).or_else(|| {
                let wanted = fold(name);
                folded.iter().position(|h| *h == wanted)
            })
        };
        let mut missing = Vec::new();
        let mut required = |name: &'static str| {
            let found = index(name);
            if found.is_none() {
                missing.push(name);
            }
            Col {
                name,
                index: found,
                encoding,
            }
        };
        let line_type = required("Type Ligne");
        let id = required("Identifiant de l'élément");
        let element_type = required("Type de l'élément");
        let status = required("Statut de l'élément");
        let name_base = required("Nom base français");
        let category = required("Code de la catégorie");
        let unit = required("Unité français");
        let part_type = required("Type poste");
        let total = required("Total poste non décomposé");
        if !missing.is_empty() {
            return Err(missing);
        }
        let optional = |name: &'static str| Col {
            name,
            index: index(name),
            encoding,
        };
        Ok(Columns {
            line_type,
            id,
            element_type,
            status,
            name_base,
            name_attribute: optional("Nom attribut français"),
            name_boundary: optional("Nom frontière français"),
            category,
            tags: optional("Tags français"),
            unit,
            location: optional("Localisation géographique"),
            uncertainty: optional("Incertitude"),
            quality_technical: optional("Qualité TeR"),
            quality_geographic: optional("Qualité GR"),
            quality_temporal: optional("Qualité TiR"),
            quality_completeness: optional("Qualité C"),
            part_type,
            part_name: optional("Nom poste français"),
            total,
            co2f: optional("CO2f"),
            ch4f: optional("CH4f"),
            ch4b: optional("CH4b"),
            n2o: optional("N2O"),
            extra_gas_codes: EXTRA_GAS_CODES.map(optional),
            extra_gas_values: EXTRA_GAS_VALUES.map(optional),
            other_ghg: optional("Autres GES"),
            co2b: optional("CO2b"),
            comment: optional("Commentaire français"),
        })
    }
}

/// The part kind given to a heat or cooling network's combustion value (it stays in 2.7).
pub const NETWORK_COMBUSTION: &str = "Combustion";
/// The part kind given to the rest of a network's life-cycle total (it goes to 3.8).
pub const NETWORK_UPSTREAM: &str = "Amont";

/// A heat or cooling network factor (`Réseaux de chaleur / froid`) is a life-cycle total with
/// no `Poste` rows; its comment states the combustion value (`Valeur DPE de combustion sans
/// ACV = 0,201 kgCO2/kWh`). That value becomes a `Combustion` part (2.7) and the rest of the
/// total an `Amont` part (3.8), as the energy split does for electricity. Nothing is made up:
/// no parts unless the comment states exactly one value, in the factor's own unit, between 0
/// and the total. The comment is read (decoded) only for a network.
fn heat_network_parts<'c>(
    category: &str,
    unit: &str,
    total: Decimal,
    comment: impl FnOnce() -> Cow<'c, str>,
) -> Vec<Part> {
    const PREFIX: &str = "Valeur DPE de combustion sans ACV = ";
    if !category.trim().starts_with("Réseaux de chaleur") {
        return Vec::new();
    }
    let comment = comment();
    if comment.matches(PREFIX).count() != 1 {
        return Vec::new();
    }
    let Some(rest) = comment.split_once(PREFIX).map(|(_, rest)| rest) else {
        return Vec::new();
    };
    let number: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    let per = rest.get(number.len()..).unwrap_or("").trim_start();
    // The comment's unit is kgCO2/kWh; the factor's must be per kWh too.
    let factor_per = unit.split_once('/').map_or("", |(_, per)| per.trim());
    if !per.starts_with("kgCO2/kWh") || !factor_per.eq_ignore_ascii_case("kWh") {
        return Vec::new();
    }
    let Ok(combustion) = crate::number::parse_decimal_comma(number.trim_end_matches(['.', ',']))
    else {
        return Vec::new();
    };
    if combustion.is_sign_negative() || combustion > total {
        return Vec::new();
    }
    let part = |kind: &str, name: &str, kgco2e: Decimal| Part {
        kind: kind.to_string(),
        name: name.to_string(),
        kgco2e,
        gases: Gases::default(),
    };
    vec![
        part(
            NETWORK_COMBUSTION,
            "Valeur DPE de combustion (commentaire de l'ADEME)",
            combustion,
        ),
        part(NETWORK_UPSTREAM, "Reste du total ACV", total - combustion),
    ]
}

/// Where a reader's input sits in the body: its first byte and the lines before it.
#[derive(Clone, Copy, Default)]
struct Offset {
    byte: usize,
    lines: u64,
}

/// The rows of one pass (or of both halves, in file order).
struct Read {
    rows: Vec<Row>,
    /// The second half's rows, after `rows`.
    more: Vec<Row>,
    /// Blank records (counted, not kept).
    blank: usize,
    /// The last record's line and width, to tell a truncated file from a defective last row.
    last: (u64, usize),
}

/// One data record, read: where it is and what it holds.
struct Row {
    line: u64,
    /// Its bytes in the body, to compare duplicates.
    raw: Range<usize>,
    kind: RowKind,
}

/// What a record holds, checked on its own (duplicates are found in file order after).
enum RowKind {
    Blank,
    /// A defective row; with an id, the factor of that id is not loaded.
    Defect {
        id: Option<String>,
        reason: String,
    },
    /// An `Elément` row.
    Element {
        id: String,
        element: Element,
    },
    /// A `Poste` row: a part of element `id`, or why not.
    Part {
        id: String,
        part: Result<Part, String>,
    },
}

impl Row {
    /// True for a row skipped as defective (reported in the base's defects).
    fn is_defect(&self) -> bool {
        match &self.kind {
            RowKind::Blank => false,
            RowKind::Defect { .. } => true,
            RowKind::Element { element, .. } => {
                matches!(element, Element::Factor(Err(_)) | Element::Unknown(_))
            }
            RowKind::Part { part, .. } => part.is_err(),
        }
    }
}

/// What an `Elément` row holds.
enum Element {
    /// A factor, or why its row is defective.
    Factor(Result<Box<Factor>, String>),
    /// Input data of other factors.
    SourceData,
    /// Neither: why.
    Unknown(String),
}

/// Reads records into rows; shared by the threads reading halves.
struct RowReader<'a> {
    file: &'a Arc<str>,
    body: &'a [u8],
    columns: Columns,
    /// The header's width.
    width: usize,
    source_prefix: String,
    lines: Option<&'a [u64]>,
}

impl RowReader<'_> {
    /// Reads the records of `reader` (whose input starts at `offset` in the body) until one
    /// starts at or after byte `until` of the body, which is left unread. Returns the rows and,
    /// in `last`, the last row's line and width.
    fn read(
        &self,
        reader: &mut csv::Reader<&[u8]>,
        offset: Offset,
        until: usize,
    ) -> Result<Read, InputError> {
        self.read_to(reader, offset, until).map(|(read, _)| read)
    }

    /// [`RowReader::read`], also telling where the first record left unread starts (`None`
    /// at the end of the input).
    fn read_to(
        &self,
        reader: &mut csv::Reader<&[u8]>,
        offset: Offset,
        until: usize,
    ) -> Result<(Read, Option<usize>), InputError> {
        let mut record = ByteRecord::new();
        let input = self.body.get(offset.byte..until.min(self.body.len()));
        let mut read = Read {
            rows: Vec::with_capacity(input.map_or(1, reservation)),
            more: Vec::new(),
            blank: 0,
            last: (0, self.width),
        };
        let mut records = 0;
        let mut defects = 0;
        while self::read(self.file, reader, &mut record)? {
            let (start, line) = record.position().map_or((0, 0), |p| {
                (usize::try_from(p.byte()).unwrap_or(0), p.line())
            });
            let start = offset.byte + start;
            let end = offset.byte + usize::try_from(reader.position().byte()).unwrap_or(0);
            let (start, line) = skip_line_ends(self.body, start, end.max(start), line);
            if start >= until {
                return Ok((read, Some(start)));
            }
            let line = match self.lines {
                Some(lines) => lines.get(records).copied().unwrap_or(line),
                None => line + offset.lines,
            };
            records += 1;
            read.last = (line, record.len());
            let row = self.row(&record, line, start..end);
            match row.kind {
                // Counted, not kept: a file of blank lines takes no memory per line.
                RowKind::Blank => read.blank += 1,
                _ => {
                    defects += usize::from(row.is_defect());
                    read.rows.push(row);
                    // Past the limit the file is refused (see `too_many_defects`): no need to
                    // read, or hold, the rest.
                    if defects > MAX_DEFECTS {
                        return Ok((read, None));
                    }
                }
            }
        }
        Ok((read, None))
    }

    /// Reads the data in two halves at once, the second from `boundary`. `None` when the
    /// first half's records do not end exactly there (the cut fell inside a quoted cell, or
    /// before blank lines): the caller then reads in one pass.
    fn in_halves(
        &self,
        mut first: csv::Reader<&[u8]>,
        separator: u8,
        boundary: usize,
    ) -> Result<Option<Read>, InputError> {
        let rest = self.body.get(boundary..).unwrap_or_default();
        let before = self.body.get(..boundary).unwrap_or_default();
        let offset = Offset {
            byte: boundary,
            lines: u64::try_from(newlines(before)).unwrap_or(0),
        };
        let (head, tail) = std::thread::scope(|scope| {
            let tail = std::thread::Builder::new().spawn_scoped(scope, || {
                self.read(&mut reader(separator, rest), offset, usize::MAX)
            });
            // Without a thread to spare (a process limit), one pass.
            let Ok(tail) = tail else {
                return (None, None);
            };
            let head = self.read_to(&mut first, Offset::default(), boundary);
            (Some(head), Some(tail.join()))
        });
        let (Some(head), Some(tail)) = (head, tail) else {
            return Ok(None);
        };
        let (mut head, next) = head?;
        if next != Some(boundary) {
            return Ok(None);
        }
        let tail = tail.map_err(|_| {
            InputError::new(Position::file(self.file), "internal error: a reader failed")
        })??;
        if tail.rows.is_empty() && tail.blank == 0 {
            return Ok(None);
        }
        head.more = tail.rows;
        head.blank += tail.blank;
        head.last = tail.last;
        Ok(Some(head))
    }

    /// Checks one record on its own.
    fn row(&self, record: &ByteRecord, line: u64, raw: Range<usize>) -> Row {
        let kind = self.kind(record, line, &raw);
        Row { line, raw, kind }
    }

    fn kind(&self, record: &ByteRecord, line: u64, raw: &Range<usize>) -> RowKind {
        let c = &self.columns;
        let line_type = c.line_type.text(record);
        if line_type.is_empty() && record.iter().all(|f| f.trim_ascii().is_empty()) {
            return RowKind::Blank;
        }
        if record.len() != self.width {
            // A record running over several lines has swallowed line ends: an unbalanced quote.
            let inner_newlines = raw_text(self.body, raw)
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            let spans = if inner_newlines > 0 {
                let last_line = line + u64::try_from(inner_newlines).unwrap_or(0);
                format!(", spanning lines {line}–{last_line}: unbalanced quote?")
            } else {
                " (broken quoting or stray ';'?)".to_string()
            };
            let reason = format!(
                "row has {} columns, expected {}{spans}",
                record.len(),
                self.width
            );
            // Its id, when readable, is not taken from another base instead.
            let id = c.id.text(record);
            let id = (!id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()))
                .then(|| id.into_owned());
            return RowKind::Defect { id, reason };
        }
        let id = c.id.text(record);
        if id.is_empty() {
            return RowKind::Defect {
                id: None,
                reason: c.id.empty(),
            };
        }
        match classify(&line_type, &LINE_TYPES) {
            Some(LineType::Element) => {
                let element_type = c.element_type.text(record);
                let element = match classify(&element_type, &ELEMENT_TYPES) {
                    Some(ElementType::SourceData) => Element::SourceData,
                    Some(ElementType::Factor) => {
                        Element::Factor(self.factor(record, &id, line).map(Box::new))
                    }
                    None => Element::Unknown(format!(
                        "column \"{}\": \"{element_type}\" is neither \"{ELEMENT_FACTOR}\" nor \"{ELEMENT_SOURCE_DATA}\"",
                        c.element_type.name
                    )),
                };
                RowKind::Element {
                    id: id.into_owned(),
                    element,
                }
            }
            Some(LineType::Part) => RowKind::Part {
                part: self.part(record),
                id: id.into_owned(),
            },
            None => RowKind::Defect {
                id: None,
                reason: format!(
                    "column \"{}\": \"{line_type}\" is neither \"Elément\" nor \"Poste\"",
                    c.line_type.name
                ),
            },
        }
    }

    fn part(&self, record: &ByteRecord) -> Result<Part, String> {
        let c = &self.columns;
        let kind = c.part_type.text(record);
        if kind.is_empty() {
            return Err(c.part_type.empty());
        }
        let kgco2e = c.total.required_decimal(record)?;
        Ok(Part {
            kind: kind.into_owned(),
            name: c.part_name.text(record).into_owned(),
            kgco2e,
            gases: self.gases(record)?,
        })
    }

    fn factor(&self, record: &ByteRecord, id: &str, line: u64) -> Result<Factor, String> {
        let c = &self.columns;
        let status_text = c.status.text(record);
        let status = classify(&status_text, &STATUSES).ok_or_else(|| {
            format!(
                "column \"{}\": \"{status_text}\" is not a known status (Valide générique, Valide spécifique, Archivé)",
                c.status.name
            )
        })?;
        let unit = c.unit.text(record);
        if unit.is_empty() {
            return Err(c.unit.empty());
        }
        let kgco2e = c.total.required_decimal(record)?;
        let percent = c.uncertainty.decimal(record)?;
        if percent.is_some_and(|p| p.is_sign_negative()) {
            return Err(format!(
                "column \"{}\": \"{}\" is not a percentage",
                c.uncertainty.name,
                c.uncertainty.text(record)
            ));
        }
        let quality = Quality {
            reliability: None,
            technical: c.quality_technical.score(record)?,
            geographic: c.quality_geographic.score(record)?,
            temporal: c.quality_temporal.score(record)?,
            completeness: c.quality_completeness.score(record)?,
        };
        let mut name = String::new();
        for piece in [c.name_base, c.name_attribute, c.name_boundary] {
            let piece = piece.text(record);
            let piece = unquote(&piece);
            if !piece.is_empty() {
                if !name.is_empty() {
                    name.push_str(" - ");
                }
                name.push_str(&piece);
            }
        }
        let category = c.category.text(record);
        let parts = heat_network_parts(&category, &unit, kgco2e, || c.comment.text(record));
        Ok(Factor {
            id: id.to_string(),
            name,
            unit: unit.into_owned(),
            kgco2e,
            parts,
            gases: self.gases(record)?,
            uncertainty: FactorUncertainty {
                percent: percent.map(|p| p / Decimal::ONE_HUNDRED),
                quality,
            },
            category: category.into_owned(),
            tags: c.tags.text(record).into_owned(),
            location: c.location.text(record).into_owned(),
            status,
            source: format!("{}{id}", self.source_prefix),
            origin: Position::new(self.file, line, 0),
        })
    }

    fn gases(&self, record: &ByteRecord) -> Result<Gases, String> {
        let c = &self.columns;
        let mut other = Vec::new();
        let extra_gases = c.extra_gas_codes.iter().zip(&c.extra_gas_values);
        for (n, (code, value)) in extra_gases.enumerate() {
            if let Some(v) = value.decimal(record)? {
                let code = code.text(record);
                if !code.is_empty() {
                    other.push((code.into_owned(), v));
                } else if !v.is_zero() {
                    // Code-less cells hold a placeholder 0 (about 5,900 in V23.6); keep a real
                    // value.
                    other.push((format!("Gaz supplémentaire {}", n + 1), v));
                }
            }
        }
        if let Some(v) = c.other_ghg.decimal(record)? {
            other.push(("Autres GES".to_string(), v));
        }
        Ok(Gases {
            co2f: c.co2f.decimal(record)?,
            ch4f: c.ch4f.decimal(record)?,
            ch4b: c.ch4b.decimal(record)?,
            n2o: c.n2o.decimal(record)?,
            other,
            co2b: c.co2b.decimal(record)?,
        })
    }
}

/// Rows to reserve for reading `input`: one per line, as a record takes at least one, but no
/// more than one per 256 bytes (an export row takes about 575): a hostile file of 256 MB of
/// empty lines must not reserve room for 256 million rows. More rows grow the vector.
fn reservation(input: &[u8]) -> usize {
    (newlines(input) + 1).min(input.len() / 256 + 1)
}

/// The number of line feeds in `bytes`.
fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

/// A row's bytes without its line end.
fn raw_text<'b>(body: &'b [u8], range: &Range<usize>) -> &'b [u8] {
    let raw = body.get(range.clone()).unwrap_or_default();
    let end = raw
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b'\n'))
        .map_or(0, |i| i + 1);
    raw.get(..end).unwrap_or_default()
}

/// An `Elément` row already read: where, and its raw text to compare duplicates.
struct Seen {
    line: u64,
    raw: Range<usize>,
}

/// Gathers the rows in file order: duplicates, parts attached to their factor, defects.
struct Loader<'a> {
    file: &'a Arc<str>,
    body: &'a [u8],
    factors: Vec<Factor>,
    /// Every `Elément` id seen (factors or not), to catch duplicates.
    elements: HashMap<String, Seen>,
    /// Parts by element id in file order, attached at the end: `Poste` rows may come first.
    parts: HashMap<String, Vec<(Range<usize>, Part)>>,
    skipped_source_data: usize,
    skipped_duplicates: usize,
    skipped_blank: usize,
    defects: Vec<SkippedRow>,
}

impl Loader<'_> {
    fn row(&mut self, row: Row) -> Result<(), InputError> {
        let Row { line, raw, kind } = row;
        match kind {
            RowKind::Blank => self.skipped_blank += 1,
            RowKind::Defect { id, reason } => self.defects.push(SkippedRow { line, id, reason }),
            RowKind::Element { id, element } => self.element(id, element, line, raw)?,
            RowKind::Part { id, part } => self.part(id, part, line, raw),
        }
        Ok(())
    }

    fn element(
        &mut self,
        id: String,
        element: Element,
        line: u64,
        raw: Range<usize>,
    ) -> Result<(), InputError> {
        if let Some(seen) = self.elements.get(&id) {
            if self.same_raw(&seen.raw, &raw) {
                self.skipped_duplicates += 1;
                return Ok(());
            }
            return Err(InputError::new(
                Position::new(self.file, line, 0),
                format!(
                    "element {id} appears twice with different content: lines {} and {line}",
                    seen.line
                ),
            )
            .help("keep only one of the two rows (an export repeats a row only identically)"));
        }
        match element {
            Element::Factor(Ok(factor)) => self.factors.push(*factor),
            Element::SourceData => self.skipped_source_data += 1,
            Element::Factor(Err(reason)) => self.defects.push(SkippedRow {
                line,
                id: Some(id.clone()),
                reason,
            }),
            Element::Unknown(reason) => self.defects.push(SkippedRow {
                line,
                id: None,
                reason,
            }),
        }
        self.elements.insert(id, Seen { line, raw });
        Ok(())
    }

    fn part(&mut self, id: String, part: Result<Part, String>, line: u64, raw: Range<usize>) {
        if let Some(parts) = self.parts.get(&id)
            && parts.iter().any(|(r, _)| self.same_raw(r, &raw))
        {
            self.skipped_duplicates += 1;
            return;
        }
        match part {
            Ok(part) => self.parts.entry(id).or_default().push((raw, part)),
            Err(reason) => self.defects.push(SkippedRow {
                line,
                id: Some(id),
                reason,
            }),
        }
    }

    /// Two rows are the same when their text is, line ends aside.
    fn same_raw(&self, a: &Range<usize>, b: &Range<usize>) -> bool {
        raw_text(self.body, a) == raw_text(self.body, b)
    }

    fn finish(mut self, rows: usize, version: Option<String>) -> LoadedBase {
        let defective: std::collections::HashSet<&str> = self
            .defects
            .iter()
            .filter_map(|d| d.id.as_deref())
            .collect();
        if !defective.is_empty() {
            self.factors.retain(|f| !defective.contains(&f.id.as_str()));
        }
        for factor in &mut self.factors {
            if let Some(parts) = self.parts.remove(&factor.id) {
                factor.parts = parts.into_iter().map(|(_, part)| part).collect();
            }
        }
        let orphan_parts = self.parts.values().map(Vec::len).sum();
        let skipped = [
            (SKIPPED_SOURCE_DATA, self.skipped_source_data),
            (SKIPPED_DUPLICATE, self.skipped_duplicates),
            (SKIPPED_ORPHAN_PART, orphan_parts),
            (SKIPPED_BLANK, self.skipped_blank),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(reason, n)| (reason.to_string(), n))
        .collect();
        let source = BaseSource {
            name: self.file.to_string(),
            kind: BaseKind::Ademe,
            rows,
            factors: self.factors.len(),
            sha256: String::new(),
            version,
        };
        LoadedBase {
            source: Some(source),
            factors: self.factors,
            skipped,
            defects: self.defects,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    const HEADER: &str = "Type Ligne;Identifiant de l'élément;Structure;Type de l'élément;Statut de l'élément;Nom base français;Nom attribut français;Nom frontière français;Code de la catégorie;Tags français;Unité français;Localisation géographique;Incertitude;Qualité TeR;Qualité GR;Qualité TiR;Qualité C;Type poste;Nom poste français;Total poste non décomposé;CO2f;CH4f;CH4b;N2O;Code gaz supplémentaire 1;Valeur gaz supplémentaire 1;Autres GES;CO2b";

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn load_str(name: &str, body: &str) -> Result<LoadedBase, InputError> {
        load(&Arc::from(name), format!("{HEADER}\n{body}").as_bytes())
    }

    const ELEC: &str = "Elément;42513;;Facteur d'émission;Valide générique;Electricité;2022 - mix moyen;consommation;Electricité > Mix;Electricité,France;kgCO2e/kWh;France continentale;10;;;;;;;0,052;;;;;;;;\n";

    #[test]
    fn header_detection() {
        assert!(looks_like(HEADER));
        assert!(looks_like(&HEADER.replace(';', ",")));
        assert!(!looks_like("id,name,unit,kgco2e"));
    }

    #[test]
    fn names_quoted_once_more_are_unquoted() {
        let cases = [
            (
                r#""""Barre céréalière """"équilibre"""" aux fruits""""#,
                r#"Barre céréalière "équilibre" aux fruits"#,
            ),
            (
                r#""""Haricot mungo germé ou pousse de """"soja""""""""#,
                r#"Haricot mungo germé ou pousse de "soja""#,
            ),
            (
                "\"\"\"\tSalade César au poulet (salade verte\"\"\"",
                "Salade César au poulet (salade verte",
            ),
            (
                r#"""" """"à tartiner"""", doux""""#,
                r#""à tartiner", doux"#,
            ),
            (
                r#""16, Soyaux, Réseau ""Champ de manœuvre""""#,
                r#"16, Soyaux, Réseau "Champ de manœuvre""#,
            ),
            // Plain text keeps its quotes.
            (
                r#"Régime alimentaire "classique""#,
                r#"Régime alimentaire "classique""#,
            ),
            (r#""Bio" et "local""#, r#""Bio" et "local""#),
            ("\"", "\""),
            ("Electricité", "Electricité"),
        ];
        for (cell, name) in cases {
            assert_eq!(unquote(cell), name, "{cell}");
        }
    }

    #[test]
    fn other_bases_in_the_same_columns_keep_their_name() {
        let base = load_str("NegaOctet_V1.1.csv", ELEC).unwrap();
        assert_eq!(base.factors[0].source, "NegaOctet V1.1 id 42513");
        let base = load_str("aib_residual_mix_2023.csv", ELEC).unwrap();
        assert_eq!(
            base.factors[0].source,
            "AIB European Residual Mixes id 42513"
        );
        let base = load_str("export.csv", ELEC).unwrap();
        assert_eq!(base.factors[0].source, "ADEME Base Carbone id 42513");
        assert_eq!(base.source.unwrap().version, None);
    }

    #[test]
    fn versions_in_file_names() {
        assert_eq!(
            version_in("data/Base_Carbone_V23.6.csv").as_deref(),
            Some("V23.6")
        );
        assert_eq!(version_in("base-carbone-v23.csv").as_deref(), Some("V23"));
        assert_eq!(version_in("Base_Carbone_Test.csv"), None);
        assert_eq!(version_in("CSV_V/base.csv"), None);
    }

    #[test]
    fn reads_a_factor_and_parts_in_any_order() {
        let body = format!(
            "Poste;42513;;Facteur d'émission;Valide générique;;;;;;kgCO2e/kWh;;;;;;;Amont;;0,0135;;;;;;;;\n{ELEC}\
             Poste;42513;;Facteur d'émission;Valide générique;;;;;;kgCO2e/kWh;;;;;;;Transport et distribution;Pertes;4,74E-3;;;;;;;;\n"
        );
        let base = load_str("Base_Carbone_V23.6.csv", &body).unwrap();
        assert!(base.defects.is_empty(), "{:?}", base.defects);
        let [factor] = base.factors.as_slice() else {
            panic!("{:?}", base.factors)
        };
        assert_eq!(factor.name, "Electricité - 2022 - mix moyen - consommation");
        assert_eq!(factor.kgco2e, d("0.052"));
        assert_eq!(factor.source, "ADEME Base Carbone V23.6 id 42513");
        assert_eq!(factor.origin.line, 3);
        assert_eq!(factor.uncertainty.percent, Some(d("0.1")));
        let parts: Vec<_> = factor
            .parts
            .iter()
            .map(|p| (p.kind.as_str(), p.name.as_str(), p.kgco2e))
            .collect();
        assert_eq!(
            parts,
            [
                ("Amont", "", d("0.0135")),
                ("Transport et distribution", "Pertes", d("0.00474"))
            ]
        );
        let source = base.source.unwrap();
        assert_eq!((source.rows, source.factors), (3, 1));
        assert_eq!(source.sha256.len(), 64);
    }

    #[test]
    fn reads_gases_and_quality() {
        let body = "Elément;28130;;Facteur d'émission;Valide générique;Avion;;;Transport;;kgCO2e/peq.km;;70;5;2;0;;;;0,259;0,138;1,05E-3;0;2,02E-3;Divers;0,117;0;0\n";
        let factor = &load_str("b.csv", body).unwrap().factors[0];
        assert_eq!(factor.gases.co2f, Some(d("0.138")));
        assert_eq!(factor.gases.ch4f, Some(d("0.00105")));
        assert_eq!(factor.gases.n2o, Some(d("0.00202")));
        assert_eq!(
            factor.gases.other,
            [
                ("Divers".to_string(), d("0.117")),
                ("Autres GES".to_string(), d("0"))
            ]
        );
        assert_eq!(factor.uncertainty.quality.technical, Some(5));
        assert_eq!(factor.uncertainty.quality.geographic, Some(2));
        assert_eq!(factor.uncertainty.quality.temporal, None);
        assert_eq!(factor.uncertainty.quality.completeness, None);
        assert_eq!(factor.source, "ADEME Base Carbone id 28130");
    }

    #[test]
    fn defects_name_the_column_and_value() {
        let body = format!(
            "{}{}{}{ELEC}",
            ELEC.replace("42513", "1").replace("0,052", "#N/A"),
            ELEC.replace("42513", "2")
                .replace("Valide générique", "Périmé"),
            ELEC.replace("42513", "3").replace(";10;", ";10;9;"),
        );
        let base = load_str("b.csv", &body).unwrap();
        let defects: Vec<_> = base
            .defects
            .iter()
            .map(|d| (d.line, d.reason.as_str()))
            .collect();
        assert_eq!(
            defects,
            [
                (
                    2,
                    "column \"Total poste non décomposé\": \"#N/A\" is not a number"
                ),
                (
                    3,
                    "column \"Statut de l'élément\": \"Périmé\" is not a known status (Valide générique, Valide spécifique, Archivé)"
                ),
                (
                    4,
                    "row has 29 columns, expected 28 (broken quoting or stray ';'?)"
                ),
            ]
        );
        assert_eq!(base.factors.len(), 1);
    }

    /// Reading in two halves gives what one pass gives, wherever the cut falls: after every
    /// byte of files with quoted line ends, CRLF, blank lines, duplicates, parts before
    /// their element and defective rows (a cut inside a quoted cell is found and read again
    /// in one pass).
    #[test]
    fn halves_read_as_one_pass() {
        let bodies = [
            format!(
                "Poste;42513;;Facteur d'émission;Valide générique;;;;;;kgCO2e/kWh;;;;;;;Amont;;0,0135;;;;;;;;\n{ELEC}{ELEC}{}{}\n\n{}{}",
                ELEC.replace("42513", "1")
                    .replace("consommation", "\"multi\nline;Elément;2\""),
                ELEC.replace("42513", "2").trim_end(),
                ELEC.replace("42513", "3").replace("0,052", "x"),
                ELEC.replace("Elément;42513", "Poste;1")
                    .replace(";;;;;;;;0,052", ";;;;;;Amont;;0,01"),
            ),
            format!("{ELEC}{ELEC}").replace('\n', "\r\n"),
            format!("{ELEC}{}", ELEC.replace("0,052", "0,06")),
            format!(
                "{ELEC}{}",
                ELEC.replace("42513", "7").replace(";10;", ";\"open\n;")
            ),
        ];
        for body in bodies {
            let text = format!("{HEADER}\n{body}");
            let file = Arc::from("Base_Carbone_V23.6.csv");
            let bytes = text.as_bytes();
            let one = read_body(&file, bytes, Encoding::Utf8, None, None, Some(bytes.len()));
            let one = format!("{one:?}");
            for cut in 1..bytes.len() {
                let two = read_body(&file, bytes, Encoding::Utf8, None, None, Some(cut));
                assert_eq!(format!("{two:?}"), one, "cut at byte {cut} of {text:?}");
            }
        }
    }

    #[test]
    fn too_many_defective_rows_refuse_the_file_at_the_first_past_the_limit() {
        // One-cell rows (defects) and blank lines, read in one pass and in halves cut anywhere.
        let body = format!("{ELEC}{}", "x\n \n".repeat(MAX_DEFECTS + 5));
        let text = format!("{HEADER}\n{body}");
        let file = Arc::from("b.csv");
        let bytes = text.as_bytes();
        for cut in [
            None,
            Some(bytes.len()),
            Some(bytes.len() / 3),
            Some(bytes.len() / 2 + 1),
        ] {
            let error = read_body(&file, bytes, Encoding::Utf8, None, None, cut).unwrap_err();
            assert_eq!(
                error.message,
                "more than 10000 defective rows: is this a Base Carbone export?"
            );
            // The header, the factor, then a defect every other line: the 10,001st.
            assert_eq!(error.position.line, 3 + 2 * 10_000, "{cut:?}");
        }
        // At the limit the file reads, its defects reported and its blank rows counted.
        let body = format!("{ELEC}{}", "x\n \n".repeat(MAX_DEFECTS));
        let base = load_str("b.csv", &body).unwrap();
        assert_eq!(base.defects.len(), MAX_DEFECTS);
        assert_eq!(base.factors.len(), 1);
        assert_eq!(base.skipped, [(SKIPPED_BLANK.to_string(), MAX_DEFECTS)]);
        assert_eq!(base.source.unwrap().rows, 1 + 2 * MAX_DEFECTS);
    }

    #[test]
    fn a_file_without_factors_is_an_error_saying_what_its_rows_were() {
        let source_data = ELEC.replace("Facteur d'émission", "Données source");
        let error = load_str("b.csv", &format!("{source_data} ; \n;;\n")).unwrap_err();
        assert_eq!(
            error.message,
            format!(
                "no emission factor in the file: of its 3 rows, 1: {SKIPPED_SOURCE_DATA}; 2: {SKIPPED_BLANK}"
            )
        );
        assert_eq!(error.position.line, 1);
        // A defective factor row is not that: it is reported, and lines using it fail.
        let defective = ELEC.replace("0,052", "x");
        let base = load_str("b.csv", &defective).unwrap();
        assert_eq!((base.factors.len(), base.defects.len()), (0, 1));
    }

    #[test]
    fn rows_reserved_are_bounded_by_the_size() {
        // One per line for real rows (575 bytes each in V23.6), one per 256 bytes at most.
        let rows = "x;".repeat(287) + "\n";
        assert_eq!(reservation(rows.repeat(100).as_bytes()), 101);
        assert_eq!(reservation(&[b'\n'; 1 << 20]), 4097);
        assert_eq!(reservation(b""), 1);
    }

    #[test]
    fn blank_files_are_empty() {
        for blank in ["", "\r\n\n", "  "] {
            let error = load(&Arc::from("b.csv"), blank.as_bytes()).unwrap_err();
            assert_eq!(error.message, "empty file");
        }
    }

    #[test]
    fn duplicates() {
        let base = load_str("b.csv", &format!("{ELEC}{ELEC}")).unwrap();
        assert_eq!(base.factors.len(), 1);
        assert_eq!(base.skipped, [(SKIPPED_DUPLICATE.to_string(), 1)]);
        let error =
            load_str("b.csv", &format!("{ELEC}{}", ELEC.replace("0,052", "0,06"))).unwrap_err();
        assert_eq!(
            error.message,
            "element 42513 appears twice with different content: lines 2 and 3"
        );
    }

    #[test]
    fn accents_lost_in_labels_still_read() {
        let body = ELEC
            .replace("Elément", "ELEMENT")
            .replace("Valide générique", "Valide generique");
        let base = load_str("b.csv", &body).unwrap();
        assert_eq!(base.factors[0].status, FactorStatus::ValidGeneric);
    }

    #[test]
    fn line_numbers_with_crlf_blank_lines_and_quoted_newlines() {
        let text = format!(
            "{HEADER}\r\n{}\r\n\r\n{}{}{}{}",
            ELEC.replace("42513", "1").trim_end(),
            ELEC.replace("42513", "2")
                .replace("consommation", "\"multi\r\nline\"")
                .replace('\n', "\r\n"),
            ELEC.replace("42513", "3").replace('\n', "\r\n"),
            ELEC.replace("42513", "4")
                .replace("consommation", "\"open")
                .replace('\n', "\r\n"),
            // Swallowed by the quote opened above.
            ELEC.replace("42513", "5").replace('\n', "\r\n"),
        );
        let base = load(&Arc::from("b.csv"), text.as_bytes()).unwrap();
        let lines: Vec<_> = base
            .factors
            .iter()
            .map(|f| (f.id.as_str(), f.origin.line))
            .collect();
        assert_eq!(lines, [("1", 2), ("2", 4), ("3", 6)]);
        assert_eq!(
            base.defects,
            [SkippedRow {
                line: 7,
                id: Some("4".to_string()),
                reason: "row has 8 columns, expected 28, spanning lines 7–8: unbalanced quote?"
                    .to_string()
            }]
        );
    }

    #[test]
    fn line_numbers_count_newlines_inside_quotes() {
        let body = format!(
            "{}{ELEC}",
            ELEC.replace("42513", "1")
                .replace("consommation", "\"multi\nline\"")
        );
        let base = load_str("b.csv", &body).unwrap();
        assert_eq!(
            base.factors[0].name,
            "Electricité - 2022 - mix moyen - multi\nline"
        );
        assert_eq!(base.factors[1].origin.line, 4);
    }
}
