//! The one place that knows the YAML crate. serde-saphyr is maintained (serde_yaml is
//! archived) and gives every value its line and column (`Spanned<T>`), so an error about a
//! valid value ("unknown factor on line 42") can still point at the line.

use crate::error::{InputError, Position};
use serde::de::DeserializeOwned;
use std::sync::Arc;

pub use serde_saphyr::{Location, Spanned};

/// A mapping kept in file order (serde's maps lose it), keys spanned.
pub struct Ordered<V>(pub Vec<(Spanned<String>, V)>);

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for Ordered<V> {
    fn deserialize<D: serde::de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for OrderedVisitor<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor(std::marker::PhantomData))
    }
}

/// Largest inventory accepted (inventory.md): 256 MB.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

/// Parses `text` into `T`, with budgets that bound alias bombs and deep nesting.
pub fn parse<T: DeserializeOwned>(file: &Arc<str>, text: &str) -> Result<T, InputError> {
    // Budgets scale with the input so a big honest inventory loads while an alias bomb
    // (a few bytes expanding to millions of nodes) is stopped early.
    let events = text.len().saturating_mul(2).max(100_000);
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: events,
            max_nodes: events,
            max_depth: 64,
            max_aliases: 10_000,
            max_anchors: 10_000,
            max_documents: 1,
            max_total_scalar_bytes: MAX_BYTES,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| convert(file, text, &e))
}

/// `value` at `line`, `column` (1-based), as the parser would have spanned it.
pub fn spanned<T>(value: T, line: u64, column: u64) -> Spanned<T> {
    let at = location(line, column);
    Spanned::new(value, at, at)
}

/// serde-saphyr builds its locations itself; its `Deserialize` is the public way to make one.
pub fn location(line: u64, column: u64) -> Location {
    use serde::Deserialize;
    use serde::de::value::{Error, MapDeserializer};
    let line = u32::try_from(line).unwrap_or(u32::MAX);
    let column = u32::try_from(column).unwrap_or(u32::MAX);
    let fields = [("line", line), ("column", column)].into_iter();
    Location::deserialize(MapDeserializer::<_, Error>::new(fields)).unwrap_or(Location::UNKNOWN)
}

/// The position of a spanned value in `file`.
pub fn position<T>(file: &Arc<str>, value: &Spanned<T>) -> Position {
    Position::new(file, value.referenced.line(), value.referenced.column())
}

fn convert(file: &Arc<str>, text: &str, error: &serde_saphyr::Error) -> InputError {
    let inner = error.without_snippet();
    let (line, column) = inner.location().map_or((0, 0), |l| (l.line(), l.column()));
    let mut message = inner.to_string();
    // The crate appends "at line L, column C"; we print the position ourselves.
    if let Some(cut) = message.rfind(" at line ") {
        message.truncate(cut);
    }
    let (message, help) = explain(&message);
    let mut error = InputError::new(Position::new(file, line, column), message);
    if let Some(help) = help {
        error = error.help(help);
    }
    error.with_source(text)
}

/// Rewrites the crate's messages into ours, with a hint.
fn explain(message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split([',', ' '])
            .map(|s| s.trim().trim_matches('`'))
            .filter(|s| !s.is_empty() && *s != "or")
            .collect();
        let suggestion = expected
            .iter()
            .map(|e| (strsim::levenshtein(field, e), *e))
            .filter(|(d, e)| *d <= 2.max(e.len() / 3))
            .min();
        let help = match suggestion {
            Some((_, e)) => format!(
                "did you mean `{e}`? (known fields: {})",
                expected.join(", ")
            ),
            None if expected.is_empty() => "remove it".to_string(),
            None => format!("known fields here: {}", expected.join(", ")),
        };
        return (format!("unknown field `{field}`"), Some(help));
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            format!("`{key}` is given twice in the same place"),
            Some(format!(
                "keep one `{key}:` (YAML keeps no duplicate; which one was meant is not known)"
            )),
        );
    }
    if message.starts_with("cannot deserialize null") {
        return (
            "a value is missing here (`~` or nothing after the colon is YAML's null)".to_string(),
            Some("write the value, or remove the key if it is optional".into()),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: floating point `") {
        let number = rest.split('`').next().unwrap_or("");
        if message.contains("factor id") {
            return (
                format!(
                    "a factor id written as a number (read as {number}): a leading zero or a decimal point changes it"
                ),
                Some("quote factor ids: `factor: \"042513\"`".into()),
            );
        }
        return (
            format!("unexpected number `{number}` here"),
            Some("quote the value if it is text".into()),
        );
    }
    if message.starts_with("missing field") {
        return (
            message.to_string(),
            Some("add it: see the inventory format in the README".into()),
        );
    }
    if message.contains("unexpected end of input") {
        return (
            "the file is empty or ends early".to_string(),
            Some("an inventory starts with `bilan: 1`, then organisation, period and lines".into()),
        );
    }
    if let Some(breach) = message.strip_prefix("budget breached: ") {
        // The crate prints the breach with `Debug` (`Events { events: 100001 }`).
        let what = match breach.split([' ', '{']).next().unwrap_or("") {
            "Events" | "Nodes" => "the YAML expands to too many values (aliases?)",
            "Aliases" => "the YAML uses too many aliases (more than 10,000 `*name`)",
            "Anchors" => "the YAML defines too many anchors (more than 10,000 `&name`)",
            "Depth" => "the YAML is nested too deep (more than 64 levels)",
            "Documents" => "the file holds several YAML documents (`---`); an inventory is one",
            _ => "the YAML exceeds bilan's limits",
        };
        return (
            what.to_string(),
            Some("the YAML expands too much (aliases or nesting); write the values out".into()),
        );
    }
    if message.contains("recursion limit exceeded") {
        return (
            "the YAML is nested too deep".to_string(),
            Some("the YAML expands too much (aliases or nesting); write the values out".into()),
        );
    }
    if message.contains("budget") || message.contains("limit") {
        return (
            message.to_string(),
            Some("the YAML expands too much (aliases or nesting); write the values out".into()),
        );
    }
    (message.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_get_a_did_you_mean() {
        let (message, help) =
            explain("unknown field `qantity`, expected one of label, quantity, unit");
        assert_eq!(message, "unknown field `qantity`");
        assert_eq!(
            help.as_deref(),
            Some("did you mean `quantity`? (known fields: label, quantity, unit)")
        );
    }
}
