//! `bilan factors diff`: the factors added, removed and changed between two bases, as a
//! table, CSV, JSON or Markdown. One row per factor: added, removed, then changed, each in
//! id order.

use super::exact;
use super::grid::{self, Grid};
use crate::contract::Num;
use crate::contract::factors_diff as doc;
use crate::factor::{Factor, Part};
use crate::factor_diff::FactorDiff;
use rust_decimal::Decimal;

const HEADER: [&str; 9] = [
    "change",
    "id",
    "name",
    "unit",
    "kgco2e_old",
    "kgco2e_new",
    "delta",
    "parts_old",
    "parts_new",
];

/// The parts as one cell: `Combustion 0.0338; Amont 0.0135`.
fn parts_cell(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| {
            let label = if p.name.is_empty() {
                p.kind.clone()
            } else {
                format!("{} ({})", p.kind, p.name)
            };
            format!("{label} {}", exact(p.kgco2e))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn rows(diff: &FactorDiff<'_>) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let one = |change: &str, f: &Factor, old: bool| {
        let (value, parts) = (exact(f.kgco2e), parts_cell(&f.parts));
        let (v_old, v_new, p_old, p_new) = if old {
            (value, String::new(), parts, String::new())
        } else {
            (String::new(), value, String::new(), parts)
        };
        vec![
            change.to_string(),
            f.id.clone(),
            f.name.clone(),
            f.unit.clone(),
            v_old,
            v_new,
            String::new(),
            p_old,
            p_new,
        ]
    };
    rows.extend(diff.added.iter().map(|f| one("added", f, false)));
    rows.extend(diff.removed.iter().map(|f| one("removed", f, true)));
    for c in &diff.changed {
        let what: Vec<&str> = [(c.value, "value"), (c.unit, "unit"), (c.parts, "parts")]
            .into_iter()
            .filter(|(yes, _)| *yes)
            .map(|(_, w)| w)
            .collect();
        let delta = c
            .new
            .kgco2e
            .checked_sub(c.old.kgco2e)
            .map_or_else(String::new, |d| {
                if d.is_zero() {
                    String::new()
                } else {
                    signed(d)
                }
            });
        let unit = if c.unit {
            format!("{} → {}", c.old.unit, c.new.unit)
        } else {
            c.new.unit.clone()
        };
        rows.push(vec![
            format!("changed: {}", what.join(", ")),
            c.new.id.clone(),
            c.new.name.clone(),
            unit,
            exact(c.old.kgco2e),
            exact(c.new.kgco2e),
            delta,
            parts_cell(&c.old.parts),
            parts_cell(&c.new.parts),
        ]);
    }
    rows
}

/// The rows as a grid, the three value columns aligned right.
fn grid_of(diff: &FactorDiff<'_>) -> Grid {
    Grid {
        header: HEADER.map(String::from).to_vec(),
        rows: rows(diff),
        right: vec![4, 5, 6],
    }
}

fn signed(d: Decimal) -> String {
    if d.is_sign_negative() {
        exact(d)
    } else {
        format!("+{}", exact(d))
    }
}

fn summary(diff: &FactorDiff<'_>, old: &str, new: &str) -> String {
    format!(
        "{old} → {new}: {} added, {} removed, {} changed\n",
        diff.added.len(),
        diff.removed.len(),
        diff.changed.len()
    )
}

/// A terminal table, with a summary line first.
pub fn table(diff: &FactorDiff<'_>, old: &str, new: &str) -> String {
    let mut out = summary(diff, old, new);
    if !(diff.added.is_empty() && diff.removed.is_empty() && diff.changed.is_empty()) {
        out.push_str(&grid_of(diff).table());
        out.push('\n');
    }
    out
}

/// Markdown: the summary and a table.
pub fn markdown(diff: &FactorDiff<'_>, old: &str, new: &str) -> String {
    let mut out = format!("## Factors: {}\n", summary(diff, old, new).trim_end());
    if !(diff.added.is_empty() && diff.removed.is_empty() && diff.changed.is_empty()) {
        out.push('\n');
        out.push_str(&grid_of(diff).markdown());
    }
    out
}

/// CSV: a header and one row per factor.
pub fn csv(diff: &FactorDiff<'_>) -> String {
    let header = vec![HEADER.map(String::from).to_vec()];
    grid::csv(header.into_iter().chain(rows(diff)))
}

fn json_factor(f: &Factor) -> doc::Factor<'_> {
    doc::Factor {
        id: f.id.as_str().into(),
        name: f.name.as_str().into(),
        unit: f.unit.as_str().into(),
        kgco2e: Num(f.kgco2e),
        parts: f
            .parts
            .iter()
            .map(|p| doc::Part {
                kind: p.kind.as_str().into(),
                name: p.name.as_str().into(),
                kgco2e: Num(p.kgco2e),
            })
            .collect(),
    }
}

/// The diff as its JSON document (`bilan.factors-diff/1`).
pub fn document<'a>(diff: &'a FactorDiff<'_>, old: &'a str, new: &'a str) -> doc::Document<'a> {
    doc::Document {
        schema: crate::contract::FACTORS_DIFF.into(),
        old: old.into(),
        new: new.into(),
        added: diff.added.iter().map(|f| json_factor(f)).collect(),
        removed: diff.removed.iter().map(|f| json_factor(f)).collect(),
        changed: diff
            .changed
            .iter()
            .map(|c| doc::Changed {
                id: c.new.id.as_str().into(),
                changes: [(c.value, "value"), (c.unit, "unit"), (c.parts, "parts")]
                    .into_iter()
                    .filter(|(yes, _)| *yes)
                    .map(|(_, w)| w.into())
                    .collect(),
                old: json_factor(c.old),
                new: json_factor(c.new),
            })
            .collect(),
    }
}

/// JSON (schema `bilan.factors-diff/1`): values exact, as numbers.
pub fn json(diff: &FactorDiff<'_>, old: &str, new: &str) -> String {
    let mut text = serde_json::to_string_pretty(&document(diff, old, new)).unwrap_or_default();
    text.push('\n');
    text
}
