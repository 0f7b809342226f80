//! A saved JSON result (`bilan compute --format json`) read back as one side of a diff.

use crate::diff::{Side, SideLine};
use crate::error::{InputError, Position};
use crate::number::parse_decimal;
use crate::post::Post;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// True when `text` looks like a saved result rather than an inventory.
pub fn looks_like(text: &str) -> bool {
    text.trim_start().starts_with('{') && text.contains("\"schema\"")
}

fn wrong(file: &Arc<str>, what: &str) -> InputError {
    InputError::new(
        Position::file(file),
        format!("not a bilan JSON result: {what}"),
    )
    .help("give an inventory (.yaml) or a result saved with `bilan compute --format json`")
}

/// A result whose figures disagree with each other: edited by hand or damaged.
fn edited(file: &Arc<str>, what: String) -> InputError {
    InputError::new(Position::file(file), format!("inconsistent result: {what}")).help(
        "the figures of a saved result were changed after `bilan compute` wrote them: compute it again",
    )
}

fn shown(value: Decimal) -> String {
    value.normalize().to_string()
}

fn sum(values: impl Iterator<Item = Decimal>) -> Decimal {
    values.fold(Decimal::ZERO, Decimal::saturating_add)
}

/// Equal, up to the last of the 28 digits a sum of large figures may round away
/// (|a − b| ≤ 10⁻²⁴ × the larger).
fn agree(a: Decimal, b: Decimal) -> bool {
    let scale = a.abs().max(b.abs());
    let slack = scale
        .checked_mul(Decimal::new(1, 24))
        .unwrap_or(Decimal::ZERO);
    a.checked_sub(b).is_some_and(|d| d.abs() <= slack)
}

fn decimal(file: &Arc<str>, value: &Value, what: &str) -> Result<Decimal, InputError> {
    match value {
        Value::Number(n) => parse_decimal(&n.to_string()).map_err(|_| wrong(file, what)),
        _ => Err(wrong(file, what)),
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
    if schema != crate::render::json::SCHEMA {
        return Err(wrong(
            &file,
            &format!(
                "schema `{schema}`, expected `{}`",
                crate::render::json::SCHEMA
            ),
        ));
    }
    let mut posts = vec![Decimal::ZERO; 22];
    let mut seen_posts = [false; 22];
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
        if seen_posts.get(p.index()) == Some(&true) {
            return Err(edited(&file, format!("post {code} appears twice")));
        }
        if let (Some(slot), Some(seen)) = (posts.get_mut(p.index()), seen_posts.get_mut(p.index()))
        {
            *slot = kg;
            *seen = true;
        }
    }
    let missing: Vec<&str> = Post::all()
        .filter(|p| seen_posts.get(p.index()) != Some(&true))
        .map(|p| p.code())
        .collect();
    if !missing.is_empty() {
        return Err(edited(
            &file,
            format!(
                "post(s) {} missing: a result lists all 22",
                missing.join(", ")
            ),
        ));
    }
    let total = decimal(
        &file,
        root.get("total")
            .and_then(|t| t.get("kgco2e"))
            .unwrap_or(&Value::Null),
        "total kgco2e",
    )?;
    let posts_sum = sum(posts.iter().copied());
    if !agree(posts_sum, total) {
        return Err(edited(
            &file,
            format!(
                "the posts add up to {} kgCO2e but the total says {} kgCO2e",
                shown(posts_sum),
                shown(total)
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
    let mut from_lines = vec![Decimal::ZERO; 22];
    for line in root
        .get("lines")
        .and_then(Value::as_array)
        .ok_or_else(|| wrong(&file, "no lines"))?
    {
        let id = text(line, "id");
        if !ids.insert(id) {
            return Err(edited(&file, format!("line `{id}` appears twice")));
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
            if let Some(slot) = from_lines.get_mut(p.index()) {
                *slot = slot.saturating_add(kg);
            }
            parts.push((p, kg));
        }
        let line_kg = decimal(
            &file,
            line.get("kgco2e").unwrap_or(&Value::Null),
            "line kgco2e",
        )?;
        let parts_sum = sum(parts.iter().map(|(_, kg)| *kg));
        if !agree(parts_sum, line_kg) {
            return Err(edited(
                &file,
                format!(
                    "line `{id}`: its parts add up to {} kgCO2e but it says {} kgCO2e",
                    shown(parts_sum),
                    shown(line_kg)
                ),
            ));
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
    for post in Post::all() {
        let (Some(listed), Some(from)) = (posts.get(post.index()), from_lines.get(post.index()))
        else {
            continue;
        };
        if !agree(*from, *listed) {
            return Err(edited(
                &file,
                format!(
                    "post {}: its lines add up to {} kgCO2e but the post says {} kgCO2e",
                    post.code(),
                    shown(*from),
                    shown(*listed)
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
