//! The inventory's `actions:` → [`Action`]s, every value checked with its position, all
//! errors collected (like the lines).

use super::yaml::{self, Spanned};
use crate::action::{Action, End, Reduction, Status, When};
use crate::error::{InputError, Position};
use crate::number::{parse_decimal, parse_percent};
use crate::post::Post;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::Arc;

type Text = Spanned<String>;

/// One entry of `actions:` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAction {
    id: Text,
    label: Text,
    #[serde(default)]
    post: Option<Text>,
    #[serde(default)]
    posts: Option<Vec<Text>>,
    #[serde(default)]
    reduction: Option<Text>,
    start: Text,
    #[serde(default)]
    end: Option<Text>,
    #[serde(default)]
    duration: Option<Text>,
    #[serde(default)]
    impact: Option<Text>,
    #[serde(default)]
    ease: Option<Text>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    status: Option<Text>,
    #[serde(default)]
    comment: Option<String>,
}

/// Checks the actions of `file`, adding every problem to `errors`.
pub(super) fn check(
    file: &Arc<str>,
    raw: Vec<Spanned<RawAction>>,
    errors: &mut Vec<InputError>,
) -> Vec<Action> {
    let mut checker = ActionChecker {
        file,
        errors,
        ids: HashSet::new(),
    };
    raw.into_iter().filter_map(|a| checker.action(a)).collect()
}

struct ActionChecker<'a> {
    file: &'a Arc<str>,
    errors: &'a mut Vec<InputError>,
    ids: HashSet<String>,
}

impl ActionChecker<'_> {
    fn at<T>(&self, value: &Spanned<T>) -> Position {
        yaml::position(self.file, value)
    }

    fn error<T>(&mut self, value: &Spanned<T>, message: impl Into<String>, help: &str) {
        let at = self.at(value);
        self.errors.push(InputError::new(at, message).help(help));
    }

    fn action(&mut self, raw: Spanned<RawAction>) -> Option<Action> {
        let at = self.at(&raw);
        let raw = raw.value;
        let id = raw.id.value.trim().to_string();
        if id.is_empty() {
            self.error(
                &raw.id,
                "empty action id",
                "give every action a short unique id",
            );
        } else if !self.ids.insert(id.clone()) {
            self.error(
                &raw.id,
                format!("duplicate action id `{id}`"),
                "action ids must be unique",
            );
        }
        if raw.label.value.trim().is_empty() {
            self.error(&raw.label, "`label` is empty", "say what the action is");
        }
        let posts = self.posts(&raw, &at);
        let reduction = raw.reduction.as_ref().and_then(|r| self.reduction(r));
        let start = self.when(&raw.start, "start");
        let end = self.end(&raw, &at);
        let impact = raw.impact.as_ref().and_then(|s| self.score(s, "impact"));
        let ease = raw.ease.as_ref().and_then(|s| self.score(s, "ease"));
        let status = match &raw.status {
            Some(text) => {
                let status = Status::parse(&text.value);
                if status.is_none() {
                    self.error(
                        text,
                        format!("unknown action status `{}`", text.value),
                        "use planned, started or done",
                    );
                }
                status
            }
            None => Some(Status::Planned),
        };
        let action = Action {
            id,
            label: raw.label.value,
            posts: posts?,
            reduction,
            start: start?,
            end: end?,
            impact,
            ease,
            owner: raw.owner,
            status: status?,
            comment: raw.comment,
            at,
        };
        if action.ending() <= action.beginning() {
            let (text, field) = match (&raw.end, &raw.duration) {
                (Some(end), _) => (end, "end"),
                (None, Some(duration)) => (duration, "duration"),
                (None, None) => (&raw.start, "start"),
            };
            self.error(
                text,
                format!(
                    "action `{}` ends ({field}: {}) before it starts (start: {})",
                    action.id, text.value, raw.start.value
                ),
                "the end is the year (or quarter) the action is fully in effect, not before its start",
            );
            return None;
        }
        Some(action)
    }

    fn posts(&mut self, raw: &RawAction, at: &Position) -> Option<Vec<Post>> {
        let texts: Vec<&Text> = match (&raw.post, &raw.posts) {
            (Some(one), None) => vec![one],
            (None, Some(many)) if !many.is_empty() => many.iter().collect(),
            (Some(one), Some(_)) => {
                self.error(
                    one,
                    "an action has `post:` or `posts:`, not both",
                    "write `post: \"3.13\"` for one post, `posts: [\"3.13\", \"3.22\"]` for several",
                );
                return None;
            }
            _ => {
                self.errors.push(
                    InputError::new(at.clone(), "an action needs the post it reduces")
                        .help("add `post: \"3.13\"`, or `posts: [\"3.13\", \"3.22\"]` for several"),
                );
                return None;
            }
        };
        let mut posts = Vec::new();
        let mut ok = true;
        for text in texts {
            match Post::from_code(&text.value) {
                Some(post) if posts.contains(&post) => {
                    self.error(
                        text,
                        format!("post {post} is listed twice"),
                        "list each post once",
                    );
                    ok = false;
                }
                Some(post) => posts.push(post),
                None => {
                    let codes: Vec<&str> = Post::all().map(Post::code).collect();
                    let help = format!("posts are: {}", codes.join(", "));
                    self.error(text, format!("unknown post `{}`", text.value), &help);
                    ok = false;
                }
            }
        }
        ok.then_some(posts)
    }

    fn reduction(&mut self, text: &Text) -> Option<Reduction> {
        let value = text.value.trim();
        if value.ends_with('%') {
            let Ok(share) = parse_percent(value) else {
                self.error(
                    text,
                    format!("`reduction` is not a percentage: `{value}`"),
                    "write a share of the post such as 30%, or kgCO2e per year such as 1200",
                );
                return None;
            };
            if share <= Decimal::ZERO || share > Decimal::ONE {
                self.error(
                    text,
                    format!(
                        "`reduction` must be above 0 % and at most 100 % of the post: `{value}`"
                    ),
                    "an action cannot save more than the post emits",
                );
                return None;
            }
            return Some(Reduction::Share(share));
        }
        match parse_decimal(value) {
            Ok(kg) if kg > Decimal::ZERO => Some(Reduction::Kgco2e(kg)),
            Ok(_) => {
                self.error(
                    text,
                    format!("`reduction` must be positive: `{value}`"),
                    "kgCO2e saved per year; leave `reduction` out for an action not quantified",
                );
                None
            }
            Err(problem) => {
                self.error(
                    text,
                    format!("`reduction` is {problem}: `{value}`"),
                    "write kgCO2e per year such as 1200, or a share of the post such as 30%",
                );
                None
            }
        }
    }

    fn when(&mut self, text: &Text, field: &str) -> Option<When> {
        let when = When::parse(&text.value);
        if when.is_none() {
            self.error(
                text,
                format!(
                    "`{field}` is not a year or a quarter: `{}`",
                    text.value.trim()
                ),
                "write a year such as 2026, or a quarter such as 2026-Q3 (Q1 to Q4)",
            );
        }
        when
    }

    fn end(&mut self, raw: &RawAction, at: &Position) -> Option<End> {
        match (&raw.end, &raw.duration) {
            (Some(end), None) => self.when(end, "end").map(End::At),
            (None, Some(duration)) => match parse_decimal(&duration.value) {
                Ok(years) if years > Decimal::ZERO => Some(End::After(years)),
                _ => {
                    self.error(
                        duration,
                        format!(
                            "`duration` must be a positive number of years: `{}`",
                            duration.value.trim()
                        ),
                        "write the years the action takes to be fully in effect, e.g. 3",
                    );
                    None
                }
            },
            (None, None) => Some(End::StartYear),
            (Some(_), Some(_)) => {
                self.errors.push(
                    InputError::new(at.clone(), "an action has `end:` or `duration:`, not both")
                        .help("keep the one you know"),
                );
                None
            }
        }
    }

    fn score(&mut self, text: &Text, field: &str) -> Option<u8> {
        match text.value.trim().parse::<u8>() {
            Ok(v) if (1..=5).contains(&v) => Some(v),
            _ => {
                self.error(
                    text,
                    format!("`{field}` is outside 1–5: `{}`", text.value.trim()),
                    "scores go from 1 (low impact, hard) to 5 (high impact, easy)",
                );
                None
            }
        }
    }
}
