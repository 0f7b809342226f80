//! A group inventory (`entities:`) → its own keys and its entities, flattened: nested groups
//! read, every entity inventory read with its includes, each with the fraction the group
//! reports of it. Every error points at the entry of the group file that causes it.

use super::files::{self, Sources};
use super::inventory;
use super::yaml::{self, Spanned};
use crate::consolidation::{self, Approach, Control, Entity};
use crate::error::{InputError, InputErrors, Position};
use crate::inventory::{Inventory, Period};
use crate::number::parse_percent;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Visitor};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

type Text = Spanned<String>;

/// A group file read: its own keys, its approach and its entities (nested groups flattened).
pub struct Group {
    /// The group's own keys (organisation, period, perimeter, indicators…), no lines.
    pub inventory: Inventory,
    /// Its consolidation approach.
    pub approach: Approach,
    /// Its entities, in file order, nested groups' entities in place of the nested group.
    pub entities: Vec<Entity>,
    /// The texts read, for error snippets.
    pub sources: Sources,
}

/// Only the `entities:` of a group file (its other keys are read by
/// [`inventory::parse_group`]).
#[derive(Deserialize)]
struct RawGroup {
    entities: Spanned<Vec<Spanned<RawEntity>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    inventory: Text,
    #[serde(default)]
    id: Option<Text>,
    #[serde(default)]
    share: Option<Text>,
    #[serde(default)]
    control: Option<Spanned<RawControl>>,
}

/// `control:` is one name or a list of names.
struct RawControl(Vec<String>);

impl<'de> Deserialize<'de> for RawControl {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ControlVisitor;
        impl<'de> Visitor<'de> for ControlVisitor {
            type Value = RawControl;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "financial, operational, none, or a list such as [financial, operational]",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawControl, E> {
                Ok(RawControl(vec![v.trim().to_string()]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawControl, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name.trim().to_string());
                }
                Ok(RawControl(names))
            }
        }
        deserializer.deserialize_any(ControlVisitor)
    }
}

/// Reads the group at `path` and every entity under it; `within` confines the files read
/// (`batch`'s input folder).
pub fn read_group(path: &Path, within: Option<&Path>) -> Result<Group, InputErrors> {
    let text = files::read_text(path)?;
    let name = files::display(path);
    let file: Arc<str> = Arc::from(name.as_str());
    let header = inventory::parse_group(&name, &text)?;
    let raw: RawGroup = yaml::parse(&file, &text)?;
    let Some(approach) = approach_of(&header, &file, &raw, &text)? else {
        return Err(missing_approach(&file, &raw, &text).into());
    };
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut walk = Walk {
        within,
        approach,
        period: header.period,
        prices: header.price_index.clone(),
        seen: vec![(real.clone(), Position::file(&file))],
        stack: vec![real],
        entities: Vec::new(),
        errors: Vec::new(),
        sources: Sources::default(),
    };
    walk.group(path, &file, &text, raw, "", Decimal::ONE);
    let mut ids: Vec<&str> = walk.entities.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|w| w.first() == w.get(1))
        && let Some(id) = pair.first()
    {
        walk.errors.push(
            InputError::new(
                Position::file(&file),
                format!("two entities have the id `{id}`: their lines' ids would mix"),
            )
            .help("give one of them its own `id:` in its entry"),
        );
    }
    if !walk.errors.is_empty() {
        return Err(InputErrors(walk.errors));
    }
    Ok(Group {
        inventory: header,
        approach,
        entities: walk.entities,
        sources: walk.sources,
    })
}

/// The group's approach, `None` when it names none; an error when it names one the parser
/// let through (cannot happen: the inventory checks the names).
fn approach_of(
    header: &Inventory,
    file: &Arc<str>,
    raw: &RawGroup,
    text: &str,
) -> Result<Option<Approach>, InputError> {
    match &header.perimeter.consolidation {
        None => Ok(None),
        Some(name) => Approach::parse(name)
            .map(Some)
            .ok_or_else(|| missing_approach(file, raw, text)),
    }
}

fn missing_approach(file: &Arc<str>, raw: &RawGroup, text: &str) -> InputError {
    InputError::new(
        entities_key(file, raw),
        "the group names no consolidation approach",
    )
    .help(
        "add `perimeter: { consolidation: operational-control }` (or financial-control, equity-share)",
    )
    .with_source(text)
}

/// Where the entities are listed (their first entry).
fn entities_key(file: &Arc<str>, raw: &RawGroup) -> Position {
    yaml::position(file, &raw.entities)
}

struct Walk<'a> {
    within: Option<&'a Path>,
    approach: Approach,
    period: Period,
    /// The price changes of the group and of the entities read so far (`price_index:`).
    prices: Vec<(i32, Decimal)>,
    /// Files read so far (groups and entities), by real path, with the entry that named them.
    seen: Vec<(PathBuf, Position)>,
    /// The groups being read, outermost first (a cycle comes back to one of them).
    stack: Vec<PathBuf>,
    entities: Vec<Entity>,
    errors: Vec<InputError>,
    sources: Sources,
}

impl Walk<'_> {
    fn error(&mut self, at: Position, text: &str, message: String, help: &str) {
        self.errors
            .push(InputError::new(at, message).help(help).with_source(text));
    }

    /// The entries of the group at `path` (its text `text`, parsed `raw`), their ids under
    /// `prefix`, their factors × `factor`.
    fn group(
        &mut self,
        path: &Path,
        file: &Arc<str>,
        text: &str,
        raw: RawGroup,
        prefix: &str,
        factor: Decimal,
    ) {
        let folder = path.parent().unwrap_or(Path::new(""));
        for entry in raw.entities.value {
            let at = yaml::position(file, &entry);
            let entry = entry.value;
            let Some(own) = self.factor(file, text, &entry, &at) else {
                continue;
            };
            let written = entry.inventory.value.trim().to_string();
            let inventory_at = yaml::position(file, &entry.inventory);
            let entity_path = folder.join(&written);
            if let Some(root) = self.within
                && !files::is_within(&entity_path, root)
            {
                let message = format!(
                    "entity `{written}` is outside the folder {}",
                    root.display()
                );
                self.error(
                    inventory_at,
                    text,
                    message,
                    "batch reads only files inside its input folder",
                );
                continue;
            }
            let real = match std::fs::canonicalize(&entity_path) {
                Ok(real) => real,
                Err(e) => {
                    let message = format!("cannot read entity `{written}`: {e}");
                    self.error(
                        inventory_at,
                        text,
                        message,
                        "the path is relative to the group file",
                    );
                    continue;
                }
            };
            if self.stack.contains(&real) {
                let message = format!(
                    "`{written}` is a group that lists itself, directly or through another group"
                );
                self.error(
                    inventory_at,
                    text,
                    message,
                    "a group lists its entities and the groups below it, never one above",
                );
                continue;
            }
            if let Some((_, first)) = self.seen.iter().find(|(p, _)| *p == real) {
                let message = format!(
                    "entity `{written}` is listed twice (also at {first}): it would count twice"
                );
                self.error(
                    inventory_at,
                    text,
                    message,
                    "list each entity once in the whole group",
                );
                continue;
            }
            self.seen.push((real.clone(), inventory_at.clone()));
            let own_id = entry.id.as_ref().map_or_else(
                || {
                    let trimmed = written
                        .strip_suffix(".yaml")
                        .or_else(|| written.strip_suffix(".yml"));
                    trimmed.unwrap_or(&written).to_string()
                },
                |id| id.value.trim().to_string(),
            );
            if own_id.is_empty() || own_id.contains(consolidation::SEPARATOR) {
                let at = entry
                    .id
                    .as_ref()
                    .map_or(inventory_at.clone(), |i| yaml::position(file, i));
                let message = format!(
                    "entity id `{own_id}` is empty or holds `{}`",
                    consolidation::SEPARATOR
                );
                self.error(
                    at,
                    text,
                    message,
                    "give the entry an `id:` of letters, digits, `-` or `/`",
                );
                continue;
            }
            let id = if prefix.is_empty() {
                own_id
            } else {
                format!("{prefix}/{own_id}")
            };
            let combined = factor * own;
            // Read as one inventory first (a big entity is read once); a group says so.
            let read = files::read_inventory_within(&entity_path, self.within);
            match read {
                Err(errors) if errors.0.iter().any(|e| e.message == inventory::GROUP_FILE) => {
                    let entity_text = match files::read_text(&entity_path) {
                        Ok(t) => t,
                        Err(e) => {
                            self.errors.extend(e.0);
                            continue;
                        }
                    };
                    self.nested(
                        &entity_path,
                        real,
                        &entity_text,
                        &inventory_at,
                        text,
                        &id,
                        combined,
                    );
                }
                Err(errors) => self.errors.extend(errors.0),
                Ok(read) => self.entity(read, &entity_path, &inventory_at, text, id, combined),
            }
        }
    }

    /// The fraction an entry's own `share:`/`control:` give under the approach.
    fn factor(
        &mut self,
        file: &Arc<str>,
        text: &str,
        entry: &RawEntity,
        at: &Position,
    ) -> Option<Decimal> {
        let mut ok = true;
        let share = match &entry.share {
            None => None,
            Some(share) => {
                let share_at = yaml::position(file, share);
                match parse_percent(&share.value) {
                    Ok(value) if value > Decimal::ZERO && value <= Decimal::ONE => Some(value),
                    Ok(_) => {
                        let message =
                            format!("share `{}` is outside (0 %, 100 %]", share.value.trim());
                        self.error(share_at, text, message, "write the group's share of the entity's equity, above 0 % and at most 100 %");
                        ok = false;
                        None
                    }
                    Err(_) => {
                        let message = format!("share `{}` is not a percentage", share.value.trim());
                        self.error(share_at, text, message, "write a percentage such as 60%");
                        ok = false;
                        None
                    }
                }
            }
        };
        let control = match &entry.control {
            None => None,
            Some(control) => {
                let mut parsed = Control::default();
                for name in &control.value.0 {
                    match name.as_str() {
                        "financial" => parsed.financial = true,
                        "operational" => parsed.operational = true,
                        "none" if control.value.0.len() == 1 => {}
                        _ => {
                            let message = format!("unknown control `{name}`");
                            let control_at = yaml::position(file, control);
                            self.error(
                                control_at,
                                text,
                                message,
                                "use financial, operational, [financial, operational] or none",
                            );
                            ok = false;
                        }
                    }
                }
                Some(parsed)
            }
        };
        if !ok {
            return None;
        }
        let found = consolidation::factor(self.approach, share, control);
        if found.is_none() {
            let (message, help) = match self.approach {
                Approach::EquityShare => (
                    "the entry has no `share:`, which equity-share consolidation needs",
                    "add the group's share of the entity's equity, e.g. `share: 60%`",
                ),
                _ => (
                    "the entry has no `control:`, which a control approach needs",
                    "add `control: financial`, `operational`, `[financial, operational]` or `none`",
                ),
            };
            self.error(
                at.clone(),
                text,
                format!("{message} ({})", self.approach.as_str()),
                help,
            );
        }
        found
    }

    #[allow(clippy::too_many_arguments)]
    fn nested(
        &mut self,
        path: &Path,
        real: PathBuf,
        text: &str,
        entry_at: &Position,
        parent_text: &str,
        prefix: &str,
        factor: Decimal,
    ) {
        let name = files::display(path);
        let file: Arc<str> = Arc::from(name.as_str());
        let header = match inventory::parse_group(&name, text) {
            Ok(h) => h,
            Err(e) => return self.errors.extend(e.0),
        };
        let raw: RawGroup = match yaml::parse(&file, text) {
            Ok(raw) => raw,
            Err(e) => return self.errors.push(e),
        };
        match header
            .perimeter
            .consolidation
            .as_deref()
            .and_then(Approach::parse)
        {
            None => return self.errors.push(missing_approach(&file, &raw, text)),
            Some(approach) if approach != self.approach => {
                let message = format!(
                    "the group `{name}` consolidates by {}, the group above by {}",
                    approach.as_str(),
                    self.approach.as_str()
                );
                return self.error(
                    entry_at.clone(),
                    parent_text,
                    message,
                    "consolidate a whole group with one approach",
                );
            }
            Some(_) => {}
        }
        if header.period != self.period {
            return self.wrong_period(entry_at, parent_text, &name, header.period);
        }
        self.stack.push(real);
        self.group(path, &file, text, raw, prefix, factor);
        self.stack.pop();
    }

    fn entity(
        &mut self,
        (mut inventory, sources): (Inventory, Sources),
        path: &Path,
        entry_at: &Position,
        parent_text: &str,
        id: String,
        factor: Decimal,
    ) {
        let name = files::display(path);
        if inventory.period != self.period {
            return self.wrong_period(entry_at, parent_text, &name, inventory.period);
        }
        // One price index for the whole group: an entity's change for a year must agree.
        for (year, change) in &inventory.price_index {
            match self.prices.iter().find(|(y, _)| y == year) {
                Some((_, other)) if other != change => {
                    let message = format!(
                        "`{name}` gives the price change of {year} as {} %, the group (or an entity before it) as {} %",
                        (change * Decimal::ONE_HUNDRED).normalize(),
                        (other * Decimal::ONE_HUNDRED).normalize()
                    );
                    return self.error(
                        entry_at.clone(),
                        parent_text,
                        message,
                        "give every entity of a group the same `price_index:` changes",
                    );
                }
                Some(_) => {}
                None => self.prices.push((*year, *change)),
            }
        }
        // The group's base merges the entities' `factors:` files: named by real path.
        for (file, _) in &mut inventory.factor_files {
            let joined = path.parent().unwrap_or(Path::new("")).join(&*file);
            let real = std::fs::canonicalize(&joined).unwrap_or(joined);
            *file = files::display(&real);
        }
        self.sources.extend(sources);
        self.entities.push(Entity {
            id,
            file: name,
            factor,
            inventory,
        });
    }

    fn wrong_period(&mut self, entry_at: &Position, parent_text: &str, name: &str, period: Period) {
        let message = format!(
            "`{name}` covers {} to {}, the group {} to {}",
            period.start, period.end, self.period.start, self.period.end
        );
        self.error(
            entry_at.clone(),
            parent_text,
            message,
            "consolidate the entities' inventories of the group's period",
        );
    }
}
