//! Files of `bilan import fec`: the FEC itself (UTF-8 or Windows-1252) and mapping files
//! (YAML, every error at file:line:column), including the default mapping compiled in.

use super::yaml::{self, Ordered, Spanned};
use super::{encoding, files};
use crate::error::{InputError, InputErrors, Position};
use crate::factor_base::FactorBase;
use crate::fec::{Condition, Ledger, Mapping, ReadOptions, Rule};
use crate::post::Post;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// The default mapping's name in messages and comments.
pub const DEFAULT_MAPPING_NAME: &str = "embedded:fec_mapping.yaml";

/// The default mapping (`factors/fec_mapping.yaml`).
pub const DEFAULT_MAPPING: &str = include_str!("../../factors/fec_mapping.yaml");

/// Reads a FEC file and sums it (see [`super::ledger::read`]).
pub fn read_fec(path: &Path, options: &ReadOptions<'_>) -> Result<Ledger, InputErrors> {
    let name = files::display(path);
    let bytes = files::read(path)?;
    let text = encoding::decode_one_encoding(&Arc::from(name.as_str()), &bytes)?;
    super::ledger::read(&name, &text, options)
}

/// The default mapping, parsed.
pub fn default_mapping() -> Result<Mapping, InputErrors> {
    parse_mapping(DEFAULT_MAPPING_NAME, DEFAULT_MAPPING)
}

/// Reads a mapping file (UTF-8 or Windows-1252).
pub fn read_mapping(path: &Path) -> Result<Mapping, InputErrors> {
    let name = files::display(path);
    let bytes = files::read(path)?;
    let text = encoding::decode(&Arc::from(name.as_str()), &bytes)?;
    parse_mapping(&name, &text)
}

type Text = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    #[serde(default)]
    accounts: Option<Ordered<Spanned<RawRule>>>,
    #[serde(default)]
    suppliers: Option<Ordered<Spanned<RawRule>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(default)]
    factor: Option<Text>,
    #[serde(default)]
    label: Option<Text>,
    #[serde(default)]
    post: Option<Text>,
    #[serde(default)]
    years: Option<Text>,
    #[serde(default)]
    exclude: Option<Text>,
    #[serde(default)]
    when: Option<Text>,
}

/// Parses a mapping from its text; `file` names it in errors.
pub fn parse_mapping(file: &str, text: &str) -> Result<Mapping, InputErrors> {
    let file: Arc<str> = Arc::from(file);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(
            InputError::new(Position::file(&file), "the mapping is empty")
                .help("a mapping holds `accounts:` (prefix → { factor, label }) and `suppliers:`")
                .into(),
        );
    }
    let raw: RawMapping = yaml::parse(&file, text)?;
    let mut checker = Checker {
        file: Arc::clone(&file),
        errors: Vec::new(),
    };
    let mut mapping = Mapping {
        files: vec![file.to_string()],
        ..Mapping::default()
    };
    if let Some(accounts) = raw.accounts {
        mapping.accounts = checker.rules(accounts, true);
    }
    if let Some(suppliers) = raw.suppliers {
        mapping.suppliers = checker.rules(suppliers, false);
    }
    InputErrors::or_ok(checker.errors, text, mapping)
}

struct Checker {
    file: Arc<str>,
    errors: Vec<InputError>,
}

impl Checker {
    fn at<T>(&self, value: &Spanned<T>) -> Position {
        yaml::position(&self.file, value)
    }

    fn error(&mut self, at: Position, message: impl Into<String>, help: impl Into<String>) {
        self.errors.push(InputError::new(at, message).help(help));
    }

    fn rules(&mut self, raw: Ordered<Spanned<RawRule>>, accounts: bool) -> BTreeMap<String, Rule> {
        let mut rules = BTreeMap::new();
        for (key, rule) in raw.0 {
            let name = key.value.trim().to_string();
            if name.is_empty() {
                let at = self.at(&key);
                self.error(
                    at,
                    "empty key",
                    if accounts {
                        "write an account prefix, e.g. \"626\""
                    } else {
                        "write a supplier's auxiliary account (CompAuxNum), e.g. FOURN01"
                    },
                );
                continue;
            }
            if let Some(rule) = self.rule(&name, &key, rule, accounts) {
                rules.insert(name, rule);
            }
        }
        rules
    }

    fn rule(
        &mut self,
        name: &str,
        key: &Text,
        raw: Spanned<RawRule>,
        account: bool,
    ) -> Option<Rule> {
        let at = self.at(key);
        let rule = raw.value;
        let what = if account { "account" } else { "supplier" };
        let non_empty = |t: &Option<Text>| {
            t.as_ref()
                .map(|t| t.value.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let factor = non_empty(&rule.factor);
        let exclude = non_empty(&rule.exclude);
        let mut ok = true;
        if let Some(f) = &rule.factor
            && factor.is_none()
        {
            let fat = self.at(f);
            self.error(fat, "empty factor id", "write a factor id, e.g. \"43510\"");
            ok = false;
        }
        if let Some(e) = &rule.exclude
            && exclude.is_none()
        {
            let eat = self.at(e);
            self.error(
                eat,
                "empty exclusion reason",
                "say why the amounts are left out, e.g. \"counted physically in kWh\"",
            );
            ok = false;
        }
        if factor.is_none() && exclude.is_none() && ok {
            self.error(
                at.clone(),
                format!("{what} rule `{name}` has neither `factor:` nor `exclude:`"),
                "give the factor id of a monetary ratio, or `exclude:` with a reason",
            );
            ok = false;
        }
        let post = rule.post.as_ref().and_then(|p| {
            let post = Post::from_code(p.value.trim());
            if post.is_none() {
                let pat = self.at(p);
                let codes: Vec<&str> = Post::all().map(Post::code).collect();
                self.error(
                    pat,
                    format!("unknown post `{}`", p.value),
                    format!("posts are: {}", codes.join(", ")),
                );
                ok = false;
            }
            post
        });
        let years = rule.years.as_ref().and_then(|y| {
            let years = y.value.trim().parse::<u32>().ok().filter(|y| *y >= 1);
            if years.is_none() {
                let yat = self.at(y);
                self.error(
                    yat,
                    format!("`years` must be a whole number ≥ 1: `{}`", y.value),
                    "write the amortisation period in years, e.g. 5",
                );
                ok = false;
            }
            years
        });
        let when = rule.when.as_ref().and_then(|w| {
            let when = Condition::parse(&w.value);
            if when.is_none() {
                let wat = self.at(w);
                let names: Vec<&str> = Condition::ALL.iter().map(|(_, n)| *n).collect();
                self.error(
                    wat,
                    format!("unknown condition `{}`", w.value),
                    format!("use one of: {}", names.join(", ")),
                );
                ok = false;
            } else if exclude.is_none() {
                let wat = self.at(w);
                self.error(
                    wat,
                    "`when:` without `exclude:`",
                    "`when:` says when the exclusion holds; add `exclude:` with a reason",
                );
                ok = false;
            }
            when
        });
        if account
            && name.starts_with('2')
            && factor.is_some()
            && years.is_none()
            && rule.years.is_none()
        {
            self.error(
                at.clone(),
                format!("capital account rule `{name}` has no `years:`"),
                "class 2 holds capital goods: give their amortisation years, e.g. years: 5",
            );
            ok = false;
        }
        if !ok {
            return None;
        }
        let factor_at = rule.factor.as_ref().map_or(at.clone(), |f| self.at(f));
        Some(Rule {
            factor,
            label: non_empty(&rule.label),
            post,
            years,
            exclude,
            when,
            at,
            factor_at,
        })
    }
}

/// Checks that every factor a mapping names is in `base` and is a monetary ratio.
pub fn check_factors(mapping: &Mapping, base: &FactorBase) -> Result<(), InputErrors> {
    let mut errors = Vec::new();
    for rule in mapping.accounts.values().chain(mapping.suppliers.values()) {
        let Some(id) = &rule.factor else {
            continue;
        };
        match base.get(id) {
            None => {
                let closest: Vec<String> = base
                    .closest(id, 3)
                    .iter()
                    .map(|f| format!("{} ({})", f.id, f.name))
                    .collect();
                errors.push(
                    InputError::new(rule.factor_at.clone(), format!("unknown factor `{id}`"))
                        .help(format!(
                            "closest: {}; `bilan factors search --unit keuro …` finds monetary ratios",
                            closest.join(", ")
                        )),
                );
            }
            Some(factor) => {
                let money = matches!(
                    crate::unit::parse(factor.per_unit()),
                    crate::unit::Unit::Known {
                        dimension: crate::unit::Dimension::Money,
                        ..
                    }
                );
                if !money {
                    errors.push(
                        InputError::new(
                            rule.factor_at.clone(),
                            format!(
                                "factor {id} is per {}, not per amount of money",
                                factor.per_unit()
                            ),
                        )
                        .help("an account holds euros: use a monetary ratio (kgCO2e/keuro)"),
                    );
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(InputErrors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_mapping_names_only_monetary_ratios_of_the_embedded_base() {
        let mapping = default_mapping().unwrap();
        let base = crate::embedded::base().unwrap();
        check_factors(&mapping, &base).unwrap();
        assert!(mapping.accounts.len() > 30);
        assert_eq!(mapping.files, vec![DEFAULT_MAPPING_NAME.to_string()]);
    }

    #[test]
    fn the_longest_prefix_wins() {
        let mapping = default_mapping().unwrap();
        let rule = |account: &str| mapping.account_rule(account).map(|(k, _)| k.to_string());
        assert_eq!(rule("62600000").as_deref(), Some("626"));
        assert_eq!(rule("6251").as_deref(), Some("6251"));
        assert_eq!(rule("62570000").as_deref(), Some("625"));
        assert_eq!(rule("60611"), Some("6061".to_string()));
        assert_eq!(rule("6185"), None);
        assert!(mapping.considered("6185"));
        assert!(mapping.considered("6333"));
        assert!(!mapping.considered("641"));
    }

    #[test]
    fn errors_point_at_the_value() {
        let text = "accounts:\n  \"626\": { factor: \"43510\", post: \"3.99\" }\n  \"2183\": { factor: \"43420\" }\n  \"6\": { label: x }\nsuppliers:\n  F1: { exclude: x, when: travel }\n";
        let errors = parse_mapping("m.yaml", text).unwrap_err();
        let messages: Vec<String> = errors
            .0
            .iter()
            .map(|e| format!("{}: {}", e.position, e.message))
            .collect();
        assert_eq!(
            messages,
            vec![
                "m.yaml:2:35: unknown post `3.99`",
                "m.yaml:3:3: capital account rule `2183` has no `years:`",
                "m.yaml:4:3: account rule `6` has neither `factor:` nor `exclude:`",
                "m.yaml:6:27: unknown condition `travel`",
            ]
        );
    }
}
