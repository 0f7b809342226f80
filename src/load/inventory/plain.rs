//! The plain items of a big `lines:` block, read without the YAML parser.
//!
//! Most of a big inventory's load is serde-saphyr going through its lines, and most big
//! inventories are written by programs in the plainest YAML: each item a block mapping of
//! `key: value` on its own line, each value a plain or quoted scalar on that line. Such a chunk
//! of items is read here, line by line, into the same raw lines serde-saphyr gives (same texts,
//! same positions) and checked by the same [`Checker::line`].
//!
//! The subset is narrow on purpose, and anything outside it gives the chunk back to
//! serde-saphyr ([`None`]): a key this reader does not know or given twice, a nested value
//! (`quality:`, an inline factor, tags other than one line of plain words or simple quoted
//! texts), a value continued on the next line, a block
//! scalar, an escape in a quoted text, an anchor, alias or tag, a tab, a value YAML reads as
//! null or as a boolean where a text is expected, a factor id that YAML would read as a
//! number other than its digits. What is read here is therefore what the parser reads; a test
//! compares both on every kind of value.

use super::{Checker, RawFactorRef, RawLine, Text};
use crate::inventory::Line;
use crate::load::yaml;

/// The lines of `text` (whole items of one indentation, as cut), checked by `checker`; `None`
/// when an item is out of the plain subset (the checker is then left half-way: drop it).
pub(super) fn lines(text: &str, checker: &mut Checker) -> Option<Vec<Line>> {
    let mut lines = Vec::new();
    let mut item: Option<Item> = None;
    let mut indent = None;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let number = index as u64 + 1;
        let content = raw.strip_suffix('\n').unwrap_or(raw);
        let content = content.strip_suffix('\r').unwrap_or(content);
        if content.bytes().any(|b| b == b'\t' || b == b'\r') {
            return None;
        }
        let trimmed = content.trim_start_matches(' ');
        let spaces = content.len() - trimmed.len();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('#') {
            // A comment line ends a plain value; deeper than the keys, it could be read
            // otherwise.
            if indent.is_some_and(|items_at| spaces > items_at + 2) {
                return None;
            }
            continue;
        }
        let items_at = *indent.get_or_insert(spaces);
        let keys_at = items_at + 2;
        let entry = if spaces == items_at {
            let rest = trimmed.strip_prefix("- ")?;
            if let Some(done) = item.take() {
                lines.push(done.line(checker)?);
            }
            item = Some(Item::new(number, keys_at as u64 + 1));
            rest
        } else if spaces == keys_at {
            trimmed
        } else {
            return None;
        };
        item.as_mut()?.entry(entry, number, keys_at)?;
    }
    if let Some(done) = item.take() {
        lines.push(done.line(checker)?);
    }
    Some(lines)
}

/// An item's keys read so far.
#[derive(Default)]
struct Item {
    line: u64,
    column: u64,
    id: Option<Text>,
    label: Option<Text>,
    factor: Option<yaml::Spanned<RawFactorRef>>,
    quantity: Option<Text>,
    unit: Option<Text>,
    uncertainty: Option<Text>,
    post: Option<Text>,
    purpose: Option<Text>,
    direction: Option<Text>,
    mobile: Option<yaml::Spanned<bool>>,
    sold_products: Option<bool>,
    ets: Option<bool>,
    intragroup: Option<bool>,
    pci_per_pcs: Option<Text>,
    factor_uncertainty: Option<Text>,
    site: Option<String>,
    tags: Option<Vec<String>>,
    comment: Option<String>,
    market_factor: Option<yaml::Spanned<RawFactorRef>>,
}

/// A scalar as written: plain, or quoted (its text between the quotes).
struct Scalar<'a> {
    text: &'a str,
    quoted: bool,
    /// Its 1-based column.
    column: u64,
}

impl Item {
    fn new(line: u64, column: u64) -> Item {
        Item {
            line,
            column,
            ..Item::default()
        }
    }

    /// Reads `key: value` (the text from the key on), on line `line` with the key at
    /// 0-based column `key_at`.
    fn entry(&mut self, entry: &str, line: u64, key_at: usize) -> Option<()> {
        let (key, after) = entry.split_once(':')?;
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return None;
        }
        let value = after.strip_prefix(' ')?;
        let value_start = value.trim_start_matches(' ');
        let column = (key_at + key.len() + 1 + after.len() - value_start.len()) as u64 + 1;
        if key == "tags" {
            return set(&mut self.tags, tags(value_start)?);
        }
        let scalar = scalar(value_start, column)?;
        let text = |s: &Scalar| text(s, line);
        match key {
            "id" => set(&mut self.id, text(&scalar)?),
            "label" => set(&mut self.label, text(&scalar)?),
            "quantity" => set(&mut self.quantity, text(&scalar)?),
            "unit" => set(&mut self.unit, text(&scalar)?),
            "uncertainty" => set(&mut self.uncertainty, text(&scalar)?),
            "post" => set(&mut self.post, text(&scalar)?),
            "purpose" => set(&mut self.purpose, text(&scalar)?),
            "direction" => set(&mut self.direction, text(&scalar)?),
            "pci_per_pcs" => set(&mut self.pci_per_pcs, text(&scalar)?),
            "factor_uncertainty" => set(&mut self.factor_uncertainty, text(&scalar)?),
            "site" => set(&mut self.site, text(&scalar)?.value),
            "comment" => set(&mut self.comment, text(&scalar)?.value),
            "factor" => set(&mut self.factor, factor(&scalar, line)?),
            "market_factor" => set(&mut self.market_factor, factor(&scalar, line)?),
            "mobile" => set(
                &mut self.mobile,
                yaml::spanned(boolean(&scalar)?, line, scalar.column),
            ),
            "sold_products" => set(&mut self.sold_products, boolean(&scalar)?),
            "ets" => set(&mut self.ets, boolean(&scalar)?),
            "intragroup" => set(&mut self.intragroup, boolean(&scalar)?),
            _ => None,
        }
    }

    /// The item checked into a line; `None` when a required key is missing (the parser's
    /// error) or the line has an error.
    fn line(self, checker: &mut Checker) -> Option<Line> {
        let raw = RawLine {
            id: self.id,
            label: self.label?,
            factor: self.factor?,
            quantity: self.quantity?,
            unit: self.unit?,
            uncertainty: self.uncertainty,
            quality: None,
            post: self.post,
            purpose: self.purpose,
            direction: self.direction,
            mobile: self.mobile,
            amortization: None,
            sold_products: self.sold_products,
            ets: self.ets,
            intragroup: self.intragroup,
            pci_per_pcs: self.pci_per_pcs,
            factor_uncertainty: self.factor_uncertainty,
            factor_quality: None,
            site: self.site,
            tags: self.tags.unwrap_or_default(),
            comment: self.comment,
            market_factor: self.market_factor,
        };
        let errors = checker.errors.len();
        let line = checker.line(yaml::spanned(raw, self.line, self.column))?;
        (checker.errors.len() == errors).then_some(line)
    }
}

/// Sets a key given once; `None` for the second time.
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

/// The scalar that `value` (from its first character to the end of the line) holds, at
/// `column`; `None` when it is not a single-line plain or quoted scalar without escapes.
fn scalar(value: &str, column: u64) -> Option<Scalar<'_>> {
    let first = value.chars().next()?;
    let (text, rest, quoted) = match first {
        '"' | '\'' => {
            let inner = &value[1..];
            let end = inner.find(first)?;
            let text = &inner[..end];
            if first == '"' && text.contains('\\') {
                return None;
            }
            (text, &inner[end + 1..], true)
        }
        '-' | '?' | ':' | ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '%'
        | '@' | '`' => return None,
        _ => {
            let end = value.find(" #").unwrap_or(value.len());
            let text = value[..end].trim_end_matches(' ');
            if text.contains(": ") || text.ends_with(':') {
                return None;
            }
            (text, &value[end..], false)
        }
    };
    // After the scalar: nothing, or spaces and a comment.
    let after = rest.trim_start_matches(' ');
    if !(after.is_empty() || (after.starts_with('#') && after.len() < rest.len())) {
        return None;
    }
    if text.chars().any(char::is_control) {
        return None;
    }
    Some(Scalar {
        text,
        quoted,
        column,
    })
}

/// The tags of a one-line flow sequence (`[a, b]`, `["a b", 'c']`, `[]`): plain words of
/// letters, digits and `_-./` (starting with a letter or digit), or quoted texts without
/// quotes, escapes, commas or brackets; `None` otherwise.
fn tags(value: &str) -> Option<Vec<String>> {
    let inner = value.strip_prefix('[')?;
    let end = inner.find(']')?;
    let rest = inner.get(end + 1..)?;
    let after = rest.trim_start_matches(' ');
    if !(after.is_empty() || (after.starts_with('#') && after.len() < rest.len())) {
        return None;
    }
    let inner = inner.get(..end)?;
    if inner.trim_matches(' ').is_empty() {
        return Some(Vec::new());
    }
    inner
        .split(',')
        .map(|tag| tag_text(tag.trim_matches(' ')))
        .collect()
}

/// One tag of a flow sequence, as [`tags`] takes them.
fn tag_text(tag: &str) -> Option<String> {
    let plain = |text: &str| {
        text.starts_with(|c: char| c.is_alphanumeric())
            && text
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
            && !is_special(text)
    };
    let quoted = |quote: char| {
        tag.strip_prefix(quote)
            .and_then(|t| t.strip_suffix(quote))
            .filter(|t| {
                !t.contains(['"', '\\', '\'', ',', '[', ']', '{', '}'])
                    && !t.chars().any(char::is_control)
            })
    };
    match quoted('"').or_else(|| quoted('\'')) {
        Some(text) => Some(text.to_string()),
        None => plain(tag).then(|| tag.to_string()),
    }
}

/// Plain scalars YAML reads as null or as a boolean (core schema and YAML 1.1).
fn is_special(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "~" | "null"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | ".inf"
            | "-.inf"
            | "+.inf"
            | ".nan"
            | "inf"
            | "nan"
            | "infinity"
    )
}

/// A text value; a plain scalar YAML reads as null or a boolean is left to the parser.
fn text(scalar: &Scalar, line: u64) -> Option<Text> {
    if !scalar.quoted && is_special(scalar.text) {
        return None;
    }
    Some(yaml::spanned(scalar.text.to_string(), line, scalar.column))
}

/// A factor id: quoted (trimmed), plain digits YAML reads as the same integer, or a plain
/// text starting with a letter.
fn factor(scalar: &Scalar, line: u64) -> Option<yaml::Spanned<RawFactorRef>> {
    let id = if scalar.quoted {
        scalar.text.trim()
    } else {
        let text = scalar.text;
        let digits = text.bytes().all(|b| b.is_ascii_digit());
        let integer = digits && (text == "0" || !text.starts_with('0')) && text.len() <= 18;
        let word = text.starts_with(|c: char| c.is_ascii_alphabetic()) && !is_special(text);
        if !(integer || word) {
            return None;
        }
        text
    };
    Some(yaml::spanned(
        RawFactorRef::Id(id.to_string()),
        line,
        scalar.column,
    ))
}

/// `true` or `false`, plain.
fn boolean(scalar: &Scalar) -> Option<bool> {
    match (scalar.quoted, scalar.text) {
        (false, "true") => Some(true),
        (false, "false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{CheckedLines, LineIds, parse_checked};
    use super::*;
    use std::sync::Arc;

    /// The chunk read here, or `None` when given back.
    fn here(text: &str) -> Option<Vec<Line>> {
        let file: Arc<str> = Arc::from("big.yaml");
        lines(text, &mut Checker::new(&file, LineIds::default(), 7))
    }

    /// The chunk read by serde-saphyr, or `None` on any error.
    fn parser(text: &str) -> Option<Vec<Line>> {
        let file: Arc<str> = Arc::from("big.yaml");
        let checker = Checker::new(&file, LineIds::default(), 7);
        let (parsed, checker) = parse_checked::<CheckedLines>(&file, text, checker);
        let CheckedLines(lines) = parsed.ok()?;
        checker?.errors.is_empty().then_some(lines)
    }

    const ITEM: &str =
        "  - label: Électricité\n    factor: \"42513\"\n    quantity: 1.5\n    unit: kWh\n";

    /// Three items, the middle one with `key: value` (replacing the key if it has it).
    fn chunk(key: &str, value: &str) -> String {
        let mut middle = String::from("  - id: own-2\n");
        let mut replaced = false;
        for line in ITEM.lines() {
            let field = line.trim_start_matches([' ', '-']);
            if field.starts_with(&format!("{key}:")) {
                middle.push_str(&format!("    {key}: {value}\n"));
                replaced = true;
            } else {
                middle.push_str(&format!("    {field}\n"));
            }
        }
        if !replaced {
            middle.push_str(&format!("    {key}: {value}\n"));
        }
        format!("{ITEM}{middle}{ITEM}")
    }

    /// Whatever is read here is what the parser reads; returns whether it was read here.
    fn same(text: &str) -> bool {
        let Some(fast) = here(text) else {
            return false;
        };
        let slow = parser(text);
        assert_eq!(Some(&fast), slow.as_ref(), "read otherwise:\n{text}");
        true
    }

    const TEXTS: &[&str] = &[
        "L0",
        "\"quoted\"",
        "'single'",
        "1.5",
        "1,5",
        "1_000",
        "0x1F",
        "0o17",
        "1e3",
        ".5",
        "+1",
        "-1",
        "-x",
        "null",
        "~",
        "Null",
        "NULL",
        "true",
        "True",
        "yes",
        "No",
        "on",
        "y",
        "n",
        ".inf",
        ".NaN",
        "inf",
        "nan",
        "Infinity",
        "2024-01-01",
        "12:30",
        "a: b",
        "a:b",
        "a #c",
        "a#b",
        "l'usine",
        "\"a #b\"",
        "\" padded \"",
        "'it''s'",
        "\"esc\\\"q\"",
        "\"tab\\t\"",
        "a  b",
        "x   ",
        "\"x\" # comment",
        "'x' #c",
        "\"x\"y",
        "'x' 'y'",
        "=",
        "<<",
        "!tag x",
        "!!str 5",
        "&a x",
        "*a",
        "|",
        ">",
        "%x",
        "@x",
        "`x",
        "[a]",
        "{a: 1}",
        "",
        "\"\"",
        "''",
        "   spaced",
        "\"a: b\"",
        "kgCO2e/kWh",
        "€",
        "10%",
        "5 %",
        "\"multi",
        "?x",
        ":x",
        ",x",
        "#x",
        "a ,b",
        "a]",
        "a}",
        "a{",
        "\"é\"",
        "2.7",
        "3.1",
        "business",
        "downstream",
    ];

    #[test]
    fn every_text_value_reads_as_the_parser_reads_it() {
        let mut read_here = 0;
        for key in [
            "id",
            "label",
            "quantity",
            "unit",
            "uncertainty",
            "post",
            "purpose",
            "direction",
            "pci_per_pcs",
            "factor_uncertainty",
            "site",
            "comment",
            "factor",
            "market_factor",
        ] {
            for value in TEXTS {
                read_here += usize::from(same(&chunk(key, value)));
            }
        }
        // Many values are plain texts (the others are refused by the checks of their key, or
        // given back): the comparison is not empty.
        assert!(read_here > 200, "{read_here}");
        for value in [
            "L0",
            "\"quoted\"",
            "'single'",
            "a #c",
            "l'usine",
            "12:30",
            "€",
        ] {
            assert!(same(&chunk("label", value)), "{value}");
        }
    }

    #[test]
    fn factor_ids_and_booleans_read_as_the_parser_reads_them() {
        let ids = [
            "42513",
            "\"42513\"",
            "042513",
            "0",
            "00",
            "12345678901234567890",
            "123456789012345678",
            "1.5",
            "1e5",
            "ABC",
            "abc-12",
            "' 42513 '",
            "0x10",
            "+5",
            "Inf",
            "nan",
            "true",
            "null",
            "x42513",
        ];
        for id in ids {
            same(&chunk("factor", id));
        }
        assert!(same(&chunk("factor", "42513")));
        assert!(same(&chunk("factor", "ABC")));
        for key in ["mobile", "sold_products", "ets", "intragroup"] {
            for value in [
                "true", "false", "True", "TRUE", "yes", "\"true\"", "1", "~", "",
            ] {
                same(&chunk(key, value));
            }
            assert!(same(&chunk(key, "true")));
            assert!(same(&chunk(key, "false")));
        }
    }

    #[test]
    fn layouts_read_as_the_parser_reads_them() {
        let plain = format!("{ITEM}{ITEM}");
        let layouts = [
            plain.clone(),
            plain.replace('\n', "\r\n"),
            plain.replace("  - ", "- ").replace("\n    ", "\n  "),
            plain.replace("    unit", "\n  # a comment\n    # another\n    unit"),
            plain.replace("    unit", "      # deeper\n    unit"),
            plain.replace("    unit", "# at the start\n    unit"),
            plain.replace("kWh\n", "kWh   \n"),
            plain.replace("label: ", "label:    "),
            plain.replace("label: ", "label:"),
            plain.replace("  - label", "  -   label"),
            plain.replace("  - label", "  -\n    label"),
            plain.replace("    unit: kWh", "    unit: kWh\n      more"),
            plain.replace("    unit: kWh", "    unit:\n      kWh"),
            plain.replace("    unit: kWh", "   unit: kWh"),
            plain.replace("    unit: kWh", "    unit: kWh\n    unit: kWh"),
            plain.replace("    unit: kWh", "    unit: kWh\n    tags: [a, b]"),
            plain.replace("    unit: kWh", "    unit: kWh\n    wrong: 1"),
            plain.replace("    unit: kWh\n", ""),
            plain.replace(
                "    unit: kWh",
                "    unit: kWh\n    quality: { reliability: 2 }",
            ),
            plain.replace("kWh", "kWh\t"),
            plain.replace("\"42513\"", "\"42513\" # the grid"),
            plain.replace("Électricité", "Électricité # with a comment"),
            format!("{plain}\n\n# after\n"),
            format!(
                "{ITEM}  - id: line-9\n{}",
                &ITEM[4..].replace("\n  ", "\n    ")
            ),
        ];
        for layout in &layouts {
            same(layout);
        }
        assert!(same(&layouts[0]));
        assert!(same(&layouts[1]));
        assert!(same(&layouts[2]));
        assert!(same(&layouts[3]));
    }

    #[test]
    fn tags_read_as_the_parser_reads_them() {
        let values = [
            "[a, b]",
            "[]",
            "[ ]",
            "[ a ,b ]",
            "[a,b]",
            "[\"x y\", 'z']",
            "[a b]",
            "[true]",
            "[null]",
            "[~]",
            "[1, 2.5]",
            "[a]  # c",
            "[a] # c",
            "[a]#c",
            "[a]x",
            "[a, [b]]",
            "[a, {b: c}]",
            "[a,]",
            "[, a]",
            "[é-1, site/2]",
            "[a:b]",
            "[a: b]",
            "[-a]",
            "[a",
            "['']",
            "[\"\"]",
            "[\"a,b\"]",
            "[\"a\\\"b\"]",
            "[&x a]",
            "[*x]",
            "[!t a]",
            "a",
            "[a, b] [c]",
        ];
        for value in values {
            same(&chunk("tags", value));
        }
        for value in [
            "[a, b]",
            "[]",
            "[ a ,b ]",
            "[\"x y\", 'z']",
            "[é-1, site/2]",
            "[a] # c",
        ] {
            assert!(same(&chunk("tags", value)), "{value}");
        }
        let read = here(&chunk("tags", "[\"x y\", 'z', w]")).unwrap();
        assert_eq!(read[1].tags, ["x y", "z", "w"]);
    }

    #[test]
    fn any_character_anywhere_reads_as_the_parser_reads_it() {
        // Two items with tags and a comment, a character put at every place in turn: read
        // here only as the parser reads it, and never a panic.
        let text = format!("{ITEM}{}", chunk("tags", "[a, \"b c\"] # t"));
        let mut read_here = 0;
        for (at, _) in text.char_indices() {
            for c in [
                '"', '\'', '#', ':', ' ', '\n', '\r', '\t', 'é', '[', ']', '{', '}', ',', '-', '?',
                '~', '\\', '&', '*', '!', '|', '>', '%', '@', '`',
            ] {
                let mut changed = text.clone();
                changed.insert(at, c);
                read_here += usize::from(same(&changed));
            }
        }
        assert!(read_here > 1500, "{read_here}");
    }

    #[test]
    fn lines_with_errors_are_given_back() {
        // A negative quantity, a repeated id: the parser's reading gives the errors.
        assert!(here(&chunk("quantity", "-1")).is_none());
        assert!(here(&chunk("id", "line-8")).is_none());
        assert!(here(&chunk("unit", "''")).is_none());
    }
}
