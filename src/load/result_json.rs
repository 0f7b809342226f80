//! A saved JSON result (`bilan compute --format json`) read back as one side of a diff: the
//! [`contract::result`] document deserialized, then checked (its figures must add up).

use crate::contract::{self, result::Document};
use crate::diff::{Side, SideLines};
use crate::error::{InputError, Position};
use crate::post::Post;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::Arc;

/// True when `text` looks like a saved result rather than an inventory: JSON (a YAML
/// inventory never starts with `{`), with or without its `schema`, which [`parse`] checks.
pub fn looks_like(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn wrong_at(position: Position, what: &str) -> InputError {
    InputError::new(position, format!("not a bilan JSON result: {what}"))
        .help("give an inventory (.yaml) or a result saved with `bilan compute --format json`")
}

fn wrong(file: &Arc<str>, what: &str) -> InputError {
    wrong_at(Position::file(file), what)
}

/// A result whose figures disagree with each other: edited by hand, or truncated.
fn edited(file: &Arc<str>, what: &str) -> InputError {
    InputError::new(
        Position::file(file),
        format!("the saved result does not add up: {what}"),
    )
    .help("use a result written by `bilan compute --format json`, unedited (or compute the inventory again)")
}

/// The error's position, and its message without serde_json's own ` at line L column C`.
fn located(file: &Arc<str>, e: &serde_json::Error) -> (Position, String) {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = message
        .strip_suffix(&suffix)
        .map_or_else(|| message.clone(), str::to_string);
    let position = if e.line() == 0 {
        Position::file(file)
    } else {
        Position::new(file, e.line() as u64, e.column() as u64)
    };
    (position, message)
}

/// Only the schema, read first: a document of another kind is named as such before its
/// fields are.
#[derive(Deserialize)]
struct Schema {
    #[serde(default)]
    schema: Option<String>,
}

/// The JSON as a result document. serde_path_to_error adds where a field failed
/// (`posts[3].kgco2e: the string "12" where a number goes`), which serde alone does not say.
fn document<'a>(file: &Arc<str>, text: &'a str) -> Result<Document<'a>, InputError> {
    let header: Schema = serde_json::from_str(text).map_err(|e| {
        let (position, message) = located(file, &e);
        if e.is_syntax() || e.is_eof() {
            InputError::new(position, format!("invalid JSON: {e}"))
        } else {
            wrong_at(position, &format!("`schema`: {message}"))
        }
    })?;
    match header.schema.as_deref() {
        None | Some("") => {
            return Err(wrong(
                file,
                &format!(
                    "it has no `schema` (a result saved by bilan says \"schema\": \"{}\")",
                    contract::RESULT
                ),
            ));
        }
        Some(schema) if schema != contract::RESULT => {
            return Err(wrong(
                file,
                &format!("schema `{schema}`, expected `{}`", contract::RESULT),
            ));
        }
        Some(_) => {}
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let document: Document<'a> =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let (position, message) = located(file, e.inner());
            if path == "." {
                wrong_at(position, &message)
            } else {
                wrong_at(position, &format!("{path}: {message}"))
            }
        })?;
    // The first reading checked the whole text's syntax, to its end.
    Ok(document)
}

fn post(file: &Arc<str>, code: &str) -> Result<Post, InputError> {
    Post::from_code(code).ok_or_else(|| wrong(file, &format!("unknown post `{code}`")))
}

/// Reads a saved result.
pub fn parse(name: &str, text: &str) -> Result<Side, InputError> {
    let file: Arc<str> = Arc::from(name);
    let document = document(&file, text)?;
    let mut posts = vec![Decimal::ZERO; 22];
    let mut seen = [false; 22];
    for p in &document.posts {
        let post = post(&file, &p.code)?;
        if seen.get(post.index()) == Some(&true) {
            return Err(edited(&file, &format!("post {} is listed twice", p.code)));
        }
        if let Some(slot) = seen.get_mut(post.index()) {
            *slot = true;
        }
        if let Some(slot) = posts.get_mut(post.index()) {
            *slot = p.kgco2e.0;
        }
    }
    if let Some(missing) = Post::all().find(|p| seen.get(p.index()) != Some(&true)) {
        return Err(edited(
            &file,
            &format!("post {} is missing (a result lists all 22)", missing.code()),
        ));
    }
    // The total is the sum of the posts, exactly.
    let total = document.total.kgco2e.0;
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
    let apart: HashSet<&str> = [&document.avoided, &document.removals]
        .into_iter()
        .flat_map(|block| &block.lines)
        .map(|l| l.id.as_ref())
        .collect();
    let mut lines = SideLines::default();
    let mut ids: HashSet<&str> = HashSet::new();
    let mut by_post = vec![Decimal::ZERO; 22];
    for line in &document.lines {
        let id: &str = &line.id;
        if !ids.insert(id) {
            return Err(edited(&file, &format!("line `{id}` is listed twice")));
        }
        if apart.contains(id) {
            continue;
        }
        let converted = line.converted_quantity.0;
        let quantity = match &line.amortization {
            Some(a) if a.fully_amortized => Decimal::ZERO,
            Some(a) => converted
                .checked_div(Decimal::from(a.years))
                .ok_or_else(|| {
                    wrong(
                        &file,
                        &format!("line `{id}` is amortised over {} years", a.years),
                    )
                })?,
            None => converted,
        };
        let mut parts = Vec::new();
        for part in &line.parts {
            let p = post(&file, &part.post)?;
            let kg = part.kgco2e.0;
            if let Some(slot) = by_post.get_mut(p.index()) {
                *slot = slot
                    .checked_add(kg)
                    .ok_or_else(|| wrong(&file, "parts beyond range"))?;
            }
            parts.push((p, kg));
        }
        let factor = lines.factor(
            &line.factor,
            &line.factor_name,
            &line.factor_unit,
            line.factor_kgco2e.0,
        );
        lines.push(id, &line.label, factor, quantity, &parts);
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
    Ok(Side {
        name: name.to_string(),
        period: format!("{} – {}", document.period.start, document.period.end),
        posts,
        lines,
    })
}
