//! YAML inventory → [`Inventory`]: the file's shape is checked by serde (unknown fields
//! rejected), then every value is checked here, collecting all errors with their positions.

use super::yaml::{self, Ordered, Spanned};
use crate::error::{InputError, InputErrors, Position};
use crate::factor::{Factor, FactorStatus, FactorUncertainty};
use crate::inventory::{
    Amortization, Certainty, Date, Declared, Defaults, Direction, FactorRef, Indicator, Inventory,
    Line, LineDetails, LinePositions, Organisation, Perimeter, Period, PostDeclaration, Published,
    Purpose,
};
use crate::number::{parse_decimal, parse_percent};
use crate::post::Post;
use crate::uncertainty::Quality;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use std::fmt;
use std::sync::Arc;

mod chunks;
mod plain;
mod table;
pub use chunks::LineBlock;
pub use table::{Cell, KEYS, LAST_KEY, TableLines, column_letters};

type Text = Spanned<String>;

/// The error on a group file read as one inventory (callers that read groups catch it).
pub const GROUP_FILE: &str =
    "`entities:` makes this file a group inventory, which cannot be read here";

/// The longest amortisation period accepted, in years.
pub const MAX_AMORTIZATION_YEARS: u32 = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInventory {
    bilan: Text,
    organisation: RawOrganisation,
    period: Spanned<RawPeriod>,
    #[serde(default)]
    perimeter: Option<RawPerimeter>,
    #[serde(default)]
    indicators: Option<Ordered<RawIndicator>>,
    #[serde(default)]
    factors: Option<Vec<Text>>,
    #[serde(default)]
    defaults: Option<Spanned<RawDefaults>>,
    #[serde(default)]
    posts: Option<Ordered<Spanned<RawPostDeclaration>>>,
    /// Optional when `include:` brings the lines.
    #[serde(default)]
    lines: Option<Spanned<CheckedLines>>,
    #[serde(default)]
    include: Option<Vec<Text>>,
    #[serde(default)]
    actions: Option<Vec<Spanned<super::actions::RawAction>>>,
    #[serde(default)]
    published: Option<RawPublished>,
    #[serde(default)]
    allow: Option<Vec<Text>>,
    #[serde(default)]
    price_index: Option<Ordered<Text>>,
    /// A group's entity inventories (read by `load::group`).
    #[serde(default)]
    entities: Option<Spanned<de::IgnoredAny>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublished {
    #[serde(default)]
    total_kgco2e: Option<Text>,
    #[serde(default)]
    tolerance: Option<Text>,
    #[serde(default)]
    posts: Option<Ordered<Text>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganisation {
    name: Text,
    #[serde(default)]
    id: Option<Text>,
    #[serde(default)]
    siren: Option<Text>,
    #[serde(default)]
    naf: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    #[serde(default)]
    year: Option<Text>,
    #[serde(default)]
    start: Option<Text>,
    #[serde(default)]
    end: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerimeter {
    #[serde(default)]
    consolidation: Option<Text>,
    #[serde(default)]
    sites: Vec<String>,
    #[serde(default)]
    exclusions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    label: Text,
    value: Text,
    #[serde(default)]
    unit: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawQuality {
    #[serde(default)]
    reliability: Option<Text>,
    #[serde(default)]
    technical: Option<Text>,
    #[serde(default)]
    geographic: Option<Text>,
    #[serde(default)]
    temporal: Option<Text>,
    #[serde(default)]
    completeness: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    #[serde(default)]
    uncertainty: Option<Text>,
    #[serde(default)]
    quality: Option<RawQuality>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPostDeclaration {
    status: Text,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAmortization {
    acquired: Text,
    years: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInlineFactor {
    name: Text,
    kgco2e: Text,
    unit: Text,
    #[serde(default)]
    uncertainty: Option<Text>,
    #[serde(default)]
    quality: Option<RawQuality>,
    #[serde(default)]
    category: Option<String>,
    source: Text,
    #[serde(default)]
    id: Option<Text>,
}

/// `factor:` is an id (string or integer) or an inline factor (a mapping).
enum RawFactorRef {
    Id(String),
    Inline(Box<RawInlineFactor>),
}

impl<'de> Deserialize<'de> for RawFactorRef {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RefVisitor;
        impl<'de> Visitor<'de> for RefVisitor {
            type Value = RawFactorRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a factor id (\"42513\") or an inline factor { name, kgco2e, unit, source }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawFactorRef, E> {
                Ok(RawFactorRef::Id(v.trim().to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawFactorRef, E> {
                Ok(RawFactorRef::Id(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawFactorRef, E> {
                Ok(RawFactorRef::Id(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawFactorRef, A::Error> {
                RawInlineFactor::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|f| RawFactorRef::Inline(Box::new(f)))
            }
        }
        deserializer.deserialize_any(RefVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLine {
    #[serde(default)]
    id: Option<Text>,
    label: Text,
    factor: Spanned<RawFactorRef>,
    quantity: Text,
    unit: Text,
    #[serde(default)]
    uncertainty: Option<Text>,
    #[serde(default)]
    quality: Option<Spanned<RawQuality>>,
    #[serde(default)]
    post: Option<Text>,
    #[serde(default)]
    purpose: Option<Text>,
    #[serde(default)]
    direction: Option<Text>,
    #[serde(default)]
    mobile: Option<Spanned<bool>>,
    #[serde(default)]
    amortization: Option<Spanned<RawAmortization>>,
    #[serde(default)]
    sold_products: Option<bool>,
    #[serde(default)]
    ets: Option<bool>,
    #[serde(default)]
    intragroup: Option<bool>,
    #[serde(default)]
    pci_per_pcs: Option<Text>,
    #[serde(default)]
    factor_uncertainty: Option<Text>,
    #[serde(default)]
    factor_quality: Option<Spanned<RawQuality>>,
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    market_factor: Option<Spanned<RawFactorRef>>,
}

/// The lines, checked one by one as the parser reads them: a big inventory never holds its
/// raw YAML lines (with every field's span) all at once.
struct CheckedLines(Vec<Line>);

std::thread_local! {
    /// The checker of the inventory being parsed on this thread, for [`CheckedLines`].
    static LINE_CHECKER: std::cell::RefCell<Option<Checker>> = const { std::cell::RefCell::new(None) };
}

impl<'de> Deserialize<'de> for CheckedLines {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LinesVisitor;
        impl<'de> Visitor<'de> for LinesVisitor {
            type Value = CheckedLines;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of lines")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<CheckedLines, A::Error> {
                let mut lines = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(raw) = seq.next_element::<Spanned<RawLine>>()? {
                    let line = LINE_CHECKER
                        .with(|cell| cell.borrow_mut().as_mut().and_then(|c| c.line(raw)));
                    lines.extend(line);
                }
                Ok(CheckedLines(lines))
            }
        }
        deserializer.deserialize_seq(LinesVisitor)
    }
}

/// Reads an inventory from its text. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Inventory, InputErrors> {
    let file: Arc<str> = Arc::from(file);
    if text.len() > yaml::MAX_BYTES {
        return Err(InputError::new(
            Position::file(&file),
            format!(
                "the file is {} MB; inventories are limited to 256 MB",
                text.len() >> 20
            ),
        )
        .help("split it with one file per organisation or year")
        .into());
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(InputError::new(Position::file(&file), "the file is empty")
            .help("an inventory starts with `bilan: 1`, then organisation, period and lines")
            .into());
    }
    if let Some(cut) = chunks::cut(text)
        && let Some(inventory) = chunks::parse(&file, text, &cut)
    {
        return Ok(inventory);
    }
    parse_whole(&file, text, Checker::new(&file, LineIds::default(), 0))
}

/// [`parse`], leaving a big `lines:` block unread: the inventory without its lines and the
/// block ([`LineBlock::read`] reads it from `text`); or the whole inventory and `None`.
pub fn parse_head(file: &str, text: &str) -> Result<(Inventory, Option<LineBlock>), InputErrors> {
    let unmarked = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() <= yaml::MAX_BYTES
        && let Some(cut) = chunks::cut(unmarked)
        && let Some((inventory, block)) =
            chunks::head(&Arc::from(file), cut, text.len() - unmarked.len())
    {
        return Ok((inventory, Some(block)));
    }
    parse(file, text).map(|inventory| (inventory, None))
}

/// [`parse`] in one pass of the parser over the whole text, `checker` checking its lines.
fn parse_whole(file: &Arc<str>, text: &str, checker: Checker) -> Result<Inventory, InputErrors> {
    let (parsed, checker) = parse_checked::<RawInventory>(file, text, checker);
    let raw = parsed?;
    let mut checker = checker.ok_or_else(|| lost_checker(file))?;
    let inventory = checker.inventory(raw);
    InputErrors::or_ok(checker.errors, text, inventory)
}

/// Parses `text` into `T`, `checker` checking each line as the parser reads it (a big
/// inventory never holds its raw lines); gives the checker back.
fn parse_checked<T: serde::de::DeserializeOwned>(
    file: &Arc<str>,
    text: &str,
    checker: Checker,
) -> (Result<T, InputError>, Option<Checker>) {
    LINE_CHECKER.with(|cell| *cell.borrow_mut() = Some(checker));
    let parsed = yaml::parse(file, text);
    let checker = LINE_CHECKER.with(|cell| cell.borrow_mut().take());
    (parsed, checker)
}

/// The error of a checker that was not given back (a bug).
fn lost_checker(file: &Arc<str>) -> InputError {
    InputError::new(
        Position::file(file),
        "internal error: lost the line checker",
    )
}

/// Reads a group inventory's own keys (organisation, period, perimeter…; its `entities:` are
/// read by [`crate::load::group`]).
pub fn parse_group(file: &str, text: &str) -> Result<Inventory, InputErrors> {
    let file: Arc<str> = Arc::from(file);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut checker = Checker::new(&file, LineIds::default(), 0);
    checker.group = true;
    parse_whole(&file, text, checker)
}

/// A file named by an inventory's `include:`: lines only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIncluded {
    lines: Spanned<CheckedLines>,
}

/// Reads the lines of a file named by `include:`. Their default ids continue the numbering
/// after `lines_before` lines; `ids` holds the ids already taken (a repeat is an error).
pub fn parse_included(
    file: &str,
    text: &str,
    lines_before: usize,
    ids: &mut LineIds,
) -> Result<Vec<Line>, InputErrors> {
    let file: Arc<str> = Arc::from(file);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(
            InputError::new(Position::file(&file), "the included file is empty")
                .help("an included file holds `lines:` and their entries")
                .into(),
        );
    }
    if let Some(cut) = chunks::cut(text)
        && let Some(lines) = chunks::parse_included(&file, text, &cut, lines_before, ids)
    {
        return Ok(lines);
    }
    let checker = Checker::new(&file, std::mem::take(ids), lines_before);
    let (parsed, checker) = parse_checked::<RawIncluded>(&file, text, checker);
    let checker = checker.ok_or_else(|| lost_checker(&file))?;
    *ids = checker.seen;
    let raw = parsed?;
    InputErrors::or_ok(checker.errors, text, raw.lines.value.0)
}

/// The big `lines:` block of a file named by `include:`, left unread; `None` when the file
/// must be read whole ([`parse_included`]).
pub fn included_block(file: &str, text: &str) -> Option<LineBlock> {
    let unmarked = text.strip_prefix('\u{feff}').unwrap_or(text);
    let cut = chunks::cut(unmarked)?;
    chunks::included_block(&Arc::from(file), cut, text.len() - unmarked.len())
}

/// The line ids taken so far (foldhash: fast and seeded per process, as the ids come from
/// files written by others).
pub type LineIds = foldhash::HashSet<Arc<str>>;

struct Checker {
    file: Arc<str>,
    errors: Vec<InputError>,
    /// Line ids seen so far.
    seen: LineIds,
    /// Whether ids are checked against each other here; false when the caller checks every
    /// id of the file itself (lines read a batch at a time).
    check_ids: bool,
    /// Lines read so far (for the default id `line-<n>`).
    next_line: usize,
    /// The sheet, for lines read from a workbook (positions are cells: `file!sheet!C12`).
    sheet: Option<Arc<str>>,
    /// Lines before the parsed text in the file (a chunk of a big `lines:` block).
    line_offset: u64,
    /// Reading a group's own keys (`entities:` instead of `lines:`).
    group: bool,
    /// The factor ids named so far, each kept once: a million lines name a few hundred factors.
    factor_ids: LineIds,
}

impl Checker {
    /// A checker of `file`'s lines; default ids count from `lines_before`.
    fn new(file: &Arc<str>, seen: LineIds, lines_before: usize) -> Checker {
        Checker {
            // A name of its own, not a clone: every line's positions hold it, and checkers run
            // on every core at once, which would all count references to one shared name
            // (its counter going from core to core took a tenth of the time of a big file).
            file: Arc::from(&**file),
            errors: Vec::new(),
            seen,
            check_ids: true,
            next_line: lines_before,
            sheet: None,
            line_offset: 0,
            group: false,
            factor_ids: LineIds::default(),
        }
    }

    /// The factor id `id`, shared with the lines that named it before.
    fn factor_id(&mut self, id: String) -> Arc<str> {
        if let Some(shared) = self.factor_ids.get(id.as_str()) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(id);
        self.factor_ids.insert(Arc::clone(&shared));
        shared
    }

    fn at<T>(&self, value: &Spanned<T>) -> Position {
        match self.sheet {
            None => chunks::shifted(yaml::position(&self.file, value), self.line_offset),
            Some(_) => self.cell_at(value.referenced.line(), value.referenced.column()),
        }
    }

    fn error(&mut self, at: Position, message: impl Into<String>, help: impl Into<String>) {
        self.errors.push(InputError::new(at, message).help(help));
    }

    /// One of the `choices` by name; an error naming them all otherwise.
    fn choice<T: Copy>(&mut self, text: &Text, what: &str, choices: &[(&str, T)]) -> Option<T> {
        let found = choices
            .iter()
            .find(|(name, _)| *name == text.value)
            .map(|(_, value)| *value);
        if found.is_none() {
            let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
            let help = match names.split_last() {
                Some((last, [])) => format!("use {last}"),
                Some((last, rest)) => format!("use {} or {last}", rest.join(", ")),
                None => String::new(),
            };
            let at = self.at(text);
            self.error(at, format!("unknown {what} `{}`", text.value), help);
        }
        found
    }

    fn inventory(&mut self, raw: RawInventory) -> Inventory {
        if raw.bilan.value.trim() != "1" {
            let at = self.at(&raw.bilan);
            self.error(
                at,
                format!("unsupported format version `bilan: {}`", raw.bilan.value),
                "this version of bilan reads `bilan: 1`",
            );
        }
        let organisation = self.organisation(raw.organisation);
        let period = self.period(&raw.period);
        let perimeter = raw.perimeter.map(|p| self.perimeter(p)).unwrap_or_default();
        let indicators = raw
            .indicators
            .map(|i| self.indicators(i))
            .unwrap_or_default();
        let factor_files: Vec<(String, Position)> = raw
            .factors
            .unwrap_or_default()
            .into_iter()
            .map(|t| {
                let at = self.at(&t);
                (t.value, at)
            })
            .collect();
        if self.group
            && let Some((_, at)) = factor_files.first()
        {
            self.error(
                at.clone(),
                "a group has no `factors:`: its lines take their own entity's",
                "name the factor files in the entities' inventories (or give them with --factors)",
            );
        }
        let defaults_at = raw.defaults.as_ref().map(|d| self.at(d));
        let defaults = raw
            .defaults
            .map(|d| self.defaults(d.value))
            .unwrap_or_default();
        let posts = raw.posts.map(|p| self.posts(p)).unwrap_or_default();
        if let Some(entities) = &raw.entities
            && !self.group
        {
            let at = self.at(entities);
            self.error(
                at,
                GROUP_FILE,
                "give a group to compute or check, or give one entity's own inventory",
            );
        }
        if self.group {
            if let Some(lines) = &raw.lines {
                let at = self.at(lines);
                self.error(
                    at,
                    "a group lists `entities:`, not `lines:`",
                    "put these lines in an entity's inventory and list it under `entities:`",
                );
            }
            if let Some(at) = defaults_at {
                self.error(
                    at,
                    "a group has no `defaults:`: its lines take their own entity's",
                    "put `defaults:` in the entities' inventories",
                );
            }
            if let Some(first) = raw.include.as_ref().and_then(|i| i.first()) {
                let at = self.at(first);
                self.error(
                    at,
                    "a group lists `entities:`, not `include:`",
                    "include the files from an entity's inventory and list it under `entities:`",
                );
            }
        } else if raw.lines.is_none() && raw.include.as_ref().is_none_or(Vec::is_empty) {
            self.error(
                Position::new(&self.file, 1, 1),
                "the inventory has no `lines:`",
                "add `lines:` with the activity lines, or `include:` files holding them",
            );
        }
        let lines = raw.lines.map(|l| l.value.0).unwrap_or_default();
        let includes = raw
            .include
            .unwrap_or_default()
            .into_iter()
            .map(|t| {
                let at = self.at(&t);
                (t.value, at)
            })
            .collect();
        let published = raw.published.map(|p| self.published(p)).unwrap_or_default();
        let actions = raw
            .actions
            .map(|a| super::actions::check(&self.file, a, &mut self.errors))
            .unwrap_or_default();
        let mut allow = Vec::new();
        for text in raw.allow.unwrap_or_default() {
            match crate::warning::Code::parse(&text.value) {
                Some(code) => allow.push(code),
                None => {
                    let at = self.at(&text);
                    let codes: Vec<&str> = crate::warning::Code::ALL
                        .iter()
                        .map(|c| c.as_str())
                        .collect();
                    self.error(
                        at,
                        format!("unknown warning code `{}`", text.value),
                        format!("allow: takes warning codes: {}", codes.join(", ")),
                    );
                }
            }
        }
        let mut price_index = Vec::new();
        for (year, change) in raw.price_index.map(|o| o.0).unwrap_or_default() {
            let Some(year_value) = year
                .value
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|y| (1950..=2200).contains(y))
            else {
                let at = self.at(&year);
                self.error(
                    at,
                    format!("`price_index` key `{}` is not a year", year.value),
                    "write the year the change is for, e.g. \"2026\": 1.2%",
                );
                continue;
            };
            let Some(value) = self.percent_signed(&change, "price_index") else {
                continue;
            };
            price_index.push((year_value, value));
        }
        Inventory {
            file: self.file.to_string(),
            organisation,
            period,
            perimeter,
            indicators,
            factor_files,
            defaults,
            posts,
            lines,
            published,
            includes,
            actions,
            allow,
            price_index,
        }
    }

    fn published(&mut self, raw: RawPublished) -> Vec<Published> {
        let tolerance = match &raw.tolerance {
            Some(t) => self.percent(t, "published.tolerance").unwrap_or_default(),
            None => Decimal::ZERO,
        };
        let mut out = Vec::new();
        if let Some(total) = &raw.total_kgco2e
            && let Some(kgco2e) = self.decimal(total, "published.total_kgco2e")
        {
            out.push(Published {
                post: None,
                kgco2e,
                tolerance,
                at: self.at(total),
            });
        }
        for (code, value) in raw.posts.map(|p| p.0).unwrap_or_default() {
            let post = self.post_code(&code);
            let kgco2e = self.decimal(&value, "published.posts");
            if let (Some(post), Some(kgco2e)) = (post, kgco2e) {
                out.push(Published {
                    post: Some(post),
                    kgco2e,
                    tolerance,
                    at: self.at(&value),
                });
            }
        }
        out
    }

    fn organisation(&mut self, raw: RawOrganisation) -> Organisation {
        let name = self.non_empty(&raw.name, "organisation.name");
        let siren = raw.siren.and_then(|text| {
            let digits = crate::inventory::siren(&text.value);
            if digits.is_none() {
                let at = self.at(&text);
                let nine = text.value.chars().filter(char::is_ascii_digit).count() == 9
                    && text.value.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '\u{a0}');
                let why = if nine {
                    "its last digit is not the check key (Luhn) of the others: a digit is wrong"
                } else {
                    "a SIREN is 9 digits"
                };
                self.error(
                    at,
                    format!("`organisation.siren` is not a SIREN number: `{}` ({why})", text.value),
                    "write the 9 digits of the SIREN (spaces allowed), e.g. \"123 456 782\"; its last digit is a check key (Luhn): copy it from the Kbis or annuaire-entreprises.data.gouv.fr",
                );
            }
            digits
        });
        let naf = raw.naf.and_then(|text| {
            let code = crate::inventory::naf(&text.value);
            if code.is_none() {
                let at = self.at(&text);
                self.error(
                    at,
                    format!("`organisation.naf` is not a NAF (APE) code: `{}`", text.value),
                    "write the activity code as on the INSEE notice: two digits, a dot, two digits and a letter, e.g. \"62.02A\"",
                );
            }
            code
        });
        Organisation {
            name,
            id: raw.id.map(|t| t.value),
            siren,
            naf,
        }
    }

    fn non_empty(&mut self, text: &Text, field: &str) -> String {
        if text.value.trim().is_empty() {
            let at = self.at(text);
            self.error(at, format!("`{field}` is empty"), "write a value");
        }
        text.value.clone()
    }

    fn period(&mut self, raw: &Spanned<RawPeriod>) -> Period {
        let at = self.at(raw);
        let period = &raw.value;
        let date = |checker: &mut Checker, text: &Text, field: &str| {
            let parsed = Date::parse(&text.value);
            if parsed.is_none() {
                let at = checker.at(text);
                checker.error(
                    at,
                    format!("`period.{field}` is not a date: `{}`", text.value),
                    "write it as YYYY-MM-DD, e.g. 2025-01-01",
                );
            }
            parsed
        };
        match (&period.year, &period.start, &period.end) {
            (Some(year), None, None) => {
                let parsed = year
                    .value
                    .trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1900..=2200).contains(y));
                match parsed {
                    Some(y) => Period {
                        start: Date {
                            year: y,
                            month: 1,
                            day: 1,
                        },
                        end: Date {
                            year: y,
                            month: 12,
                            day: 31,
                        },
                    },
                    None => {
                        let at = self.at(year);
                        self.error(
                            at,
                            format!("`period.year` is not a year: `{}`", year.value),
                            "write a year such as 2025",
                        );
                        Period::default()
                    }
                }
            }
            (None, Some(start), Some(end)) => {
                let s = date(self, start, "start");
                let e = date(self, end, "end");
                match (s, e) {
                    (Some(start_date), Some(end_date)) if end_date < start_date => {
                        let at = self.at(end);
                        self.error(
                            at,
                            format!("the period ends ({end_date}) before it starts ({start_date})"),
                            "swap `start` and `end`",
                        );
                        Period::default()
                    }
                    (Some(start), Some(end)) => Period { start, end },
                    _ => Period::default(),
                }
            }
            _ => {
                self.error(
                    at,
                    "`period` needs either `year:` or both `start:` and `end:`",
                    "write `period: { year: 2025 }` or `period: { start: 2025-01-01, end: 2025-12-31 }`",
                );
                Period::default()
            }
        }
    }

    fn perimeter(&mut self, raw: RawPerimeter) -> Perimeter {
        const CONSOLIDATIONS: [&str; 3] =
            ["operational-control", "financial-control", "equity-share"];
        if let Some(c) = &raw.consolidation
            && !CONSOLIDATIONS.contains(&c.value.as_str())
        {
            let at = self.at(c);
            self.error(
                at,
                format!("unknown consolidation `{}`", c.value),
                format!("use one of: {}", CONSOLIDATIONS.join(", ")),
            );
        }
        Perimeter {
            consolidation: raw.consolidation.map(|c| c.value),
            sites: raw.sites,
            exclusions: raw.exclusions,
        }
    }

    fn decimal(&mut self, text: &Text, field: &str) -> Option<Decimal> {
        match parse_decimal(&text.value) {
            Ok(value) => Some(value),
            Err(problem) => {
                let at = self.at(text);
                self.error(
                    at,
                    format!("`{field}` is {problem}: `{}`", text.value),
                    "write a plain decimal number such as 1250.5 (no unit, no thousands separator)",
                );
                None
            }
        }
    }

    fn indicators(&mut self, raw: Ordered<RawIndicator>) -> Vec<Indicator> {
        let mut out = Vec::new();
        for (key, indicator) in raw.0 {
            let Some(value) = self.decimal(&indicator.value, "value") else {
                continue;
            };
            if value <= Decimal::ZERO {
                let at = self.at(&indicator.value);
                self.error(
                    at,
                    format!("indicator `{}` must be positive, got {value}", key.value),
                    "an intensity ratio divides by it; remove the indicator if it is unknown",
                );
                continue;
            }
            out.push(Indicator {
                key: key.value,
                label: indicator.label.value,
                value,
                unit: indicator.unit,
            });
        }
        out
    }

    /// A signed percentage (a price change may be negative), within ±100 %.
    fn percent_signed(&mut self, text: &Text, field: &str) -> Option<Decimal> {
        match parse_percent(&text.value) {
            Ok(v) if v > -Decimal::ONE && v < Decimal::ONE => Some(v),
            Ok(_) => {
                let at = self.at(text);
                self.error(
                    at,
                    format!("`{field}` is outside ±100 %: `{}`", text.value),
                    "an annual price change is a percentage such as 2.1% or -0.5%",
                );
                None
            }
            Err(problem) => {
                let at = self.at(text);
                let help = match problem {
                    crate::number::NumberError::MissingPercent => {
                        crate::number::percent_hint(&text.value)
                    }
                    _ => "write an annual price change such as 2.1%".to_string(),
                };
                self.error(
                    at,
                    format!("`{field}` is {problem}: `{}`", text.value),
                    help,
                );
                None
            }
        }
    }

    fn percent(&mut self, text: &Text, field: &str) -> Option<Decimal> {
        let value = match parse_percent(&text.value) {
            Ok(v) => v,
            Err(problem) => {
                let at = self.at(text);
                let help = match problem {
                    crate::number::NumberError::MissingPercent => {
                        crate::number::percent_hint(&text.value)
                    }
                    _ => "write a percentage such as 15%".to_string(),
                };
                self.error(
                    at,
                    format!("`{field}` is {problem}: `{}`", text.value),
                    help,
                );
                return None;
            }
        };
        if value < Decimal::ZERO || value > Decimal::TEN {
            let at = self.at(text);
            self.error(
                at,
                format!("`{field}` is outside 0–1000 %: `{}`", text.value),
                "a percentage of uncertainty is between 0% and 1000%",
            );
            return None;
        }
        Some(value)
    }

    fn quality(&mut self, raw: &RawQuality) -> Quality {
        let mut score = |text: &Option<Text>, name: &str| -> Option<u8> {
            let text = text.as_ref()?;
            match text.value.trim().parse::<u8>() {
                Ok(v) if (1..=5).contains(&v) => Some(v),
                _ => {
                    let at = self.at(text);
                    self.error(
                        at,
                        format!("quality score `{name}` is outside 1–5: `{}`", text.value),
                        "scores go from 1 (very poor) to 5 (very good)",
                    );
                    None
                }
            }
        };
        Quality {
            reliability: score(&raw.reliability, "reliability"),
            technical: score(&raw.technical, "technical"),
            geographic: score(&raw.geographic, "geographic"),
            temporal: score(&raw.temporal, "temporal"),
            completeness: score(&raw.completeness, "completeness"),
        }
    }

    fn defaults(&mut self, raw: RawDefaults) -> Defaults {
        Defaults {
            uncertainty: raw
                .uncertainty
                .as_ref()
                .and_then(|u| self.percent(u, "defaults.uncertainty")),
            quality: raw.quality.as_ref().map(|q| self.quality(q)),
        }
    }

    fn post_code(&mut self, text: &Text) -> Option<Post> {
        let post = Post::from_code(&text.value);
        if post.is_none() {
            let at = self.at(text);
            let codes: Vec<&str> = Post::all().map(Post::code).collect();
            self.error(
                at,
                format!("unknown post `{}`", text.value),
                format!("posts are: {}", codes.join(", ")),
            );
        }
        post
    }

    fn posts(&mut self, raw: Ordered<Spanned<RawPostDeclaration>>) -> Vec<PostDeclaration> {
        let mut out = Vec::new();
        for (code, declaration) in raw.0 {
            let Some(post) = self.post_code(&code) else {
                continue;
            };
            let at = self.at(&declaration);
            let status = &declaration.value.status;
            let status = match status.value.as_str() {
                "not-applicable" => match &declaration.value.reason {
                    Some(reason) if !reason.trim().is_empty() => {
                        Declared::NotApplicable(reason.clone())
                    }
                    _ => {
                        self.error(
                            at.clone(),
                            format!("post {post} is declared not-applicable without a reason"),
                            "add `reason:` saying why the post does not apply",
                        );
                        continue;
                    }
                },
                "in-progress" => Declared::InProgress,
                other => {
                    let at = self.at(status);
                    self.error(
                        at,
                        format!("unknown post status `{other}`"),
                        "declare `not-applicable` (with a reason) or `in-progress`; `collected` comes from lines",
                    );
                    continue;
                }
            };
            if out.iter().any(|d: &PostDeclaration| d.post == post) {
                self.error(
                    at,
                    format!("post {post} is declared twice"),
                    "keep one declaration",
                );
                continue;
            }
            out.push(PostDeclaration { post, status, at });
        }
        out
    }

    fn certainty(
        &mut self,
        uncertainty: Option<&Text>,
        quality: Option<&Spanned<RawQuality>>,
        field: &str,
    ) -> Option<Certainty> {
        if let Some(u) = uncertainty {
            return self.percent(u, field).map(Certainty::Percent);
        }
        quality.map(|q| Certainty::Quality(self.quality(&q.value)))
    }

    fn line(&mut self, raw: Spanned<RawLine>) -> Option<Line> {
        self.next_line += 1;
        let index = self.next_line;
        let at = self.at(&raw);
        let raw = raw.value;
        let id = match &raw.id {
            Some(id) if id.value.trim().is_empty() => {
                let at = self.at(id);
                self.error(at, "empty line id", "remove `id:` or give a value");
                return None;
            }
            Some(id) => Arc::from(id.value.trim()),
            None => Arc::from(format!("line-{index}")),
        };
        if self.check_ids && !self.seen.insert(Arc::clone(&id)) {
            let where_ = raw.id.as_ref().map_or_else(|| at.clone(), |i| self.at(i));
            self.error(
                where_,
                format!("duplicate line id `{id}`"),
                "line ids must be unique",
            );
        }
        let label = self.non_empty(&raw.label, "label");
        let quantity = self.decimal(&raw.quantity, "quantity");
        if let Some(q) = quantity
            && q < Decimal::ZERO
        {
            let qat = self.at(&raw.quantity);
            self.error(
                qat,
                format!("negative quantity `{}`", raw.quantity.value),
                "quantities are ≥ 0; avoided emissions come from negative factors, not quantities",
            );
        }
        if raw.unit.value.trim().is_empty() {
            let uat = self.at(&raw.unit);
            self.error(
                uat,
                "empty unit",
                "write the unit the quantity is in, e.g. kWh",
            );
        }
        let post = raw.post.as_ref().and_then(|p| self.post_code(p));
        let purpose = raw.purpose.as_ref().and_then(|p| {
            self.choice(
                p,
                "purpose",
                &[
                    ("business", Purpose::Business),
                    ("commute", Purpose::Commute),
                    ("visitors", Purpose::Visitors),
                ],
            )
        });
        let direction = raw.direction.as_ref().and_then(|d| {
            self.choice(
                d,
                "direction",
                &[
                    ("upstream", Direction::Upstream),
                    ("downstream", Direction::Downstream),
                ],
            )
        });
        let amortization = raw.amortization.as_ref().and_then(|a| self.amortization(a));
        let pci_per_pcs = raw.pci_per_pcs.as_ref().and_then(|p| {
            let value = self.decimal(p, "pci_per_pcs")?;
            if value <= Decimal::ZERO || value > Decimal::ONE {
                let pat = self.at(p);
                self.error(
                    pat,
                    format!("`pci_per_pcs` must be in (0, 1], got {value}"),
                    "kWh PCI per kWh PCS is below 1 (about 0.9 for natural gas)",
                );
                return None;
            }
            Some(value)
        });
        let certainty = self.certainty(
            raw.uncertainty.as_ref(),
            raw.quality.as_ref(),
            "uncertainty",
        );
        let factor_certainty = self.certainty(
            raw.factor_uncertainty.as_ref(),
            raw.factor_quality.as_ref(),
            "factor_uncertainty",
        );
        let factor_at = self.at(&raw.factor);
        let factor = match raw.factor.value {
            RawFactorRef::Id(id) if id.is_empty() => {
                self.error(
                    factor_at.clone(),
                    "empty factor id",
                    "write the id of a factor, e.g. \"42513\"",
                );
                return None;
            }
            RawFactorRef::Id(id) => FactorRef::Id(self.factor_id(id)),
            RawFactorRef::Inline(inline) => {
                FactorRef::Inline(Box::new(self.inline_factor(&id, *inline, &factor_at)?))
            }
        };
        let (market_factor, market_at) = match raw.market_factor {
            None => (None, None),
            Some(market) => {
                let market_at = self.at(&market);
                let reference = match market.value {
                    RawFactorRef::Id(id) => Some(FactorRef::Id(self.factor_id(id))),
                    RawFactorRef::Inline(inline) => self
                        .inline_factor(&format!("{id}:market"), *inline, &market_at)
                        .map(|f| FactorRef::Inline(Box::new(f))),
                };
                (reference, Some(market_at))
            }
        };
        let positions = LinePositions::new(
            &at,
            &factor_at,
            market_at.as_ref(),
            &self.at(&raw.unit),
            [
                raw.purpose.as_ref().map(|p| self.at(p)).as_ref(),
                raw.direction.as_ref().map(|d| self.at(d)).as_ref(),
                raw.mobile.as_ref().map(|m| self.at(m)).as_ref(),
            ],
        );
        Some(Line {
            id,
            label: label.into(),
            factor,
            quantity: quantity?,
            unit: raw.unit.value.trim().into(),
            certainty,
            post,
            purpose,
            direction,
            mobile: raw.mobile.as_ref().is_some_and(|m| m.value),
            amortization,
            sold_products: raw.sold_products.unwrap_or(false),
            ets: raw.ets.unwrap_or(false),
            intragroup: raw.intragroup.unwrap_or(false),
            site: raw.site,
            tags: raw.tags,
            details: LineDetails {
                factor_certainty,
                pci_per_pcs,
                market_factor,
                comment: raw.comment,
            }
            .boxed(),
            at: positions,
        })
    }

    fn amortization(&mut self, raw: &Spanned<RawAmortization>) -> Option<Amortization> {
        let acquired = raw
            .value
            .acquired
            .value
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y));
        if acquired.is_none() {
            let at = self.at(&raw.value.acquired);
            self.error(
                at,
                format!(
                    "`amortization.acquired` is not a year: `{}`",
                    raw.value.acquired.value
                ),
                "write the year the good was acquired, e.g. 2022",
            );
        }
        // Buildings are amortised over 50 years in the method; beyond 100 a figure is a typo,
        // and a dropped amortisation would count the good whole.
        let years = raw.value.years.value.trim().parse::<u32>().ok();
        let years = match years {
            Some(y) if (1..=MAX_AMORTIZATION_YEARS).contains(&y) => Some(y),
            _ => {
                let at = self.at(&raw.value.years);
                self.error(
                    at,
                    format!(
                        "`amortization.years` must be a whole number from 1 to {MAX_AMORTIZATION_YEARS}: `{}`",
                        raw.value.years.value
                    ),
                    "write the amortisation period in years, e.g. 5 (IT), 10 (furniture), 50 (buildings)",
                );
                None
            }
        };
        Some(Amortization {
            acquired: acquired?,
            years: years?,
        })
    }

    fn inline_factor(
        &mut self,
        line_id: &str,
        raw: RawInlineFactor,
        at: &Position,
    ) -> Option<Factor> {
        let kgco2e = self.decimal(&raw.kgco2e, "kgco2e")?;
        let percent = raw
            .uncertainty
            .as_ref()
            .and_then(|u| self.percent(u, "uncertainty"));
        let quality = raw
            .quality
            .as_ref()
            .map(|q| self.quality(q))
            .unwrap_or_default();
        let unit = raw.unit.value.trim().to_string();
        if !unit.contains('/') {
            let uat = self.at(&raw.unit);
            self.error(
                uat,
                format!("an inline factor's unit needs a denominator: `{unit}`"),
                "write it like kgCO2e/kWh or kgCO2e/keuro",
            );
            return None;
        }
        if raw.source.value.trim().is_empty() {
            let sat = self.at(&raw.source);
            self.error(
                sat,
                "an inline factor needs its `source`",
                "say where the value comes from",
            );
        }
        let id = raw.id.map_or_else(
            || format!("inline:{line_id}"),
            |i| i.value.trim().to_string(),
        );
        Some(Factor {
            id,
            name: raw.name.value,
            unit,
            kgco2e,
            parts: Vec::new(),
            gases: Default::default(),
            uncertainty: FactorUncertainty { percent, quality },
            category: raw.category.unwrap_or_default(),
            tags: String::new(),
            location: String::new(),
            status: FactorStatus::ValidSpecific,
            source: raw.source.value,
            origin: at.clone(),
        })
    }
}
