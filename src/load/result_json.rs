//! A saved JSON result (`bilan compute --format json`) read back as one side of a diff.

use crate::diff::{Side, SideLine};
use crate::error::{InputError, Position};
use crate::number::parse_decimal;
use crate::post::Post;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// True when `text` looks like a saved result rather than an inventory: JSON (a YAML
/// inventory never starts with `{`), with or without its `schema`, which [`parse`] checks.
pub fn looks_like(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn wrong(file: &Arc<str>, what: &str) -> InputError {
    InputError::new(
        Position::file(file),
        format!("not a bilan JSON result: {what}"),
    )
    .help("give an inventory (.yaml) or a result saved with `bilan compute --format json`")
}

/// A result whose figures disagree with each other: edited by hand, or truncated.
fn edited(file: &Arc<str>, what: &str) -> InputError {
    InputError::new(
        Position::file(file),
        format!("the saved result does not add up: {what}"),
    )
    .help("use a result written by `bilan compute --format json`, unedited (or compute the inventory again)")
}

fn decimal(file: &Arc<str>, value: &Value, what: &str) -> Result<Decimal, InputError> {
    match value {
        Value::Number(n) => parse_decimal(&n.to_string()).map_err(|_| wrong(file, what)),
        Value::String(s) => Err(wrong(
            file,
            &format!(
                "{what} is the string \"{s}\" where a number goes (write {s}, without quotes)"
            ),
        )),
        Value::Null => Err(wrong(file, &format!("{what} is missing"))),
        _ => Err(wrong(file, &format!("{what} is not a number"))),
    }
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Reads a saved result.
pub fn parse(name: &str, text_in: &str) -> Result<Side, InputError> {
    let file: Arc<str> = Arc::from(name);
    let root: Value = serde_json::from_str(text_in).map_err(|e| {
        InputError::new(
            Position::new(&file, e.line() as u64, e.column() as u64),
            format!("invalid JSON: {e}"),
        )
    })?;
    let schema = text(&root, "schema");
    if schema.is_empty() {
        return Err(wrong(
            &file,
            &format!(
                "it has no `schema` (a result saved by bilan says \"schema\": \"{}\")",
                crate::contract::RESULT
            ),
        ));
    }
    if schema != crate::contract::RESULT {
        return Err(wrong(
            &file,
            &format!("schema `{schema}`, expected `{}`", crate::contract::RESULT),
        ));
    }
    let mut posts = vec![Decimal::ZERO; 22];
    let mut seen = [false; 22];
    for post in root
        .get("posts")
        .and_then(Value::as_array)
        .ok_or_else(|| wrong(&file, "no posts"))?
    {
        let code = text(post, "code");
        let p =
            Post::from_code(code).ok_or_else(|| wrong(&file, &format!("unknown post `{code}`")))?;
        let kg = decimal(
            &file,
            post.get("kgco2e").unwrap_or(&Value::Null),
            "post kgco2e",
        )?;
        if seen.get(p.index()) == Some(&true) {
            return Err(edited(&file, &format!("post {code} is listed twice")));
        }
        if let Some(slot) = seen.get_mut(p.index()) {
            *slot = true;
        }
        if let Some(slot) = posts.get_mut(p.index()) {
            *slot = kg;
        }
    }
    if let Some(missing) = Post::all().find(|p| seen.get(p.index()) != Some(&true)) {
        return Err(edited(
            &file,
            &format!("post {} is missing (a result lists all 22)", missing.code()),
        ));
    }
    // The total is the sum of the posts, exactly.
    let total = decimal(
        &file,
        root.get("total")
            .and_then(|t| t.get("kgco2e"))
            .unwrap_or(&Value::Null),
        "total kgco2e",
    )?;
    let sum = posts
        .iter()
        .try_fold(Decimal::ZERO, |a, p| a.checked_add(*p))
        .ok_or_else(|| wrong(&file, "posts beyond range"))?;
    if sum != total {
        return Err(edited(
            &file,
            &format!(
                "its posts add up to {} kgCO2e but its total says {} kgCO2e",
                sum.normalize(),
                total.normalize()
            ),
        ));
    }
    let apart: HashSet<&str> = ["avoided", "removals"]
        .iter()
        .filter_map(|k| root.get(*k)?.get("lines")?.as_array())
        .flatten()
        .map(|l| text(l, "id"))
        .collect();
    let mut lines = Vec::new();
    let mut ids: HashSet<&str> = HashSet::new();
    let mut by_post = vec![Decimal::ZERO; 22];
    for line in root
        .get("lines")
        .and_then(Value::as_array)
        .ok_or_else(|| wrong(&file, "no lines"))?
    {
        let id = text(line, "id");
        if !ids.insert(id) {
            return Err(edited(&file, &format!("line `{id}` is listed twice")));
        }
        if apart.contains(id) {
            continue;
        }
        let converted = decimal(
            &file,
            line.get("converted_quantity").unwrap_or(&Value::Null),
            "converted_quantity",
        )?;
        let quantity = match line.get("amortization") {
            Some(a) if a.get("fully_amortized").and_then(Value::as_bool) == Some(true) => {
                Decimal::ZERO
            }
            Some(a) => {
                let years = a
                    .get("years")
                    .and_then(Value::as_u64)
                    .filter(|y| *y >= 1)
                    .unwrap_or(1);
                converted / Decimal::from(years)
            }
            None => converted,
        };
        let mut parts = Vec::new();
        for part in line
            .get("parts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let code = text(part, "post");
            let p = Post::from_code(code)
                .ok_or_else(|| wrong(&file, &format!("unknown post `{code}`")))?;
            let kg = decimal(
                &file,
                part.get("kgco2e").unwrap_or(&Value::Null),
                "part kgco2e",
            )?;
            if let Some(slot) = by_post.get_mut(p.index()) {
                *slot = slot
                    .checked_add(kg)
                    .ok_or_else(|| wrong(&file, "parts beyond range"))?;
            }
            parts.push((p, kg));
        }
        lines.push(SideLine {
            id: id.to_string(),
            label: text(line, "label").to_string(),
            factor: text(line, "factor").to_string(),
            factor_name: text(line, "factor_name").to_string(),
            factor_unit: text(line, "factor_unit").to_string(),
            factor_kgco2e: decimal(
                &file,
                line.get("factor_kgco2e").unwrap_or(&Value::Null),
                "factor_kgco2e",
            )?,
            quantity,
            parts,
        });
    }
    // Each post is the sum of its lines' parts: a figure edited by hand shows here.
    for post in Post::all() {
        let (Some(listed), Some(from_lines)) = (posts.get(post.index()), by_post.get(post.index()))
        else {
            continue;
        };
        if listed != from_lines {
            return Err(edited(
                &file,
                &format!(
                    "post {} says {} kgCO2e but its lines add up to {} kgCO2e",
                    post.code(),
                    listed.normalize(),
                    from_lines.normalize()
                ),
            ));
        }
    }
    let period = root.get("period").map_or_else(String::new, |p| {
        format!("{} – {}", text(p, "start"), text(p, "end"))
    });
    Ok(Side {
        name: name.to_string(),
        period,
        posts,
        lines,
    })
}
