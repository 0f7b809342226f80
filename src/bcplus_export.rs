//! An inventory as Bilan Carbone+ emission sources (the rows of its import sheet,
//! `../shared/data/research/bcplus-formats.md` §1a, read in
//! `apps/bilan-carbone/src/utils/importEmissionSources.utils.ts` and
//! `apps/bilan-carbone/src/types/importEmissionSources.types.ts` at commit
//! `949af9c48dff4589450bff7e3ff41fb9eeae0d7a`), and the lines that cannot be written faithfully.
//! Pure: from the checked inventory and its computed report.

use crate::bcplus::{self, col};
use crate::bcplus_units::UNITS;
use crate::inventory::{Certainty, FactorRef, Inventory};
use crate::report::Report;
use crate::unit::Dimension;
use rust_decimal::Decimal;

/// One cell of the sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// An exact decimal (written as a number when f64 holds it exactly, else as text, which
    /// Bilan Carbone+ reads too: it parses cells as formatted text).
    Number(Decimal),
}

/// A line left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The line id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// The sources, each a row of the 37 columns, and the lines left out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sources {
    /// Rows, in inventory order.
    pub rows: Vec<Vec<Cell>>,
    /// Lines left out.
    pub skipped: Vec<Skipped>,
    /// Lines exported with a caveat (id, what).
    pub caveats: Vec<Skipped>,
}

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

/// Builds the rows. The site is the line's `site:`, else the perimeter's first site, else the
/// organisation's name (Bilan Carbone+ requires one and matches it to the study's sites).
pub fn sources(inventory: &Inventory, report: &Report) -> Sources {
    let mut out = Sources::default();
    let default_site = inventory
        .perimeter
        .sites
        .first()
        .cloned()
        .unwrap_or_else(|| inventory.organisation.name.clone());
    for line in &inventory.lines {
        let skip = |out: &mut Sources, reason: &str| {
            out.skipped.push(Skipped {
                id: line.id.to_string(),
                reason: reason.to_string(),
            });
        };
        let FactorRef::Id(_) = &line.factor else {
            skip(
                &mut out,
                "inline factor without a Base Carbone id: Bilan Carbone+ imports factors by id (or guesses by name); add the factor to Bilan Carbone+ and the source by hand",
            );
            continue;
        };
        let Some(result) = report.lines.iter().find(|r| r.id == line.id) else {
            skip(
                &mut out,
                "negative line (avoided emissions or removals): Bilan Carbone+ sources have no negative value",
            );
            continue;
        };
        let factor = &result.factor;
        if factor.id.is_empty() || !factor.id.chars().all(|c| c.is_ascii_digit()) {
            skip(
                &mut out,
                &format!("factor `{}` is not a Base Carbone id", factor.id),
            );
            continue;
        }
        let base_unit = factor
            .unit
            .trim()
            .strip_prefix("kgCO2e/")
            .unwrap_or(factor.unit.trim());
        let Some(unit) = UNITS.iter().find(|u| {
            u.base_carbone
                .iter()
                .any(|b| bcplus::fold(b) == bcplus::fold(base_unit))
        }) else {
            skip(
                &mut out,
                &format!(
                    "factor unit `{}` is not one of Bilan Carbone+'s units",
                    factor.unit
                ),
            );
            continue;
        };
        let monetary = matches!(
            crate::unit::parse(base_unit),
            crate::unit::Unit::Known {
                dimension: Dimension::Money,
                ..
            }
        );
        let Some((sub, caracterisation)) = bcplus::sub_post_for(
            result.post,
            &factor.category,
            monetary,
            line.purpose,
            line.direction,
        ) else {
            skip(&mut out, "no sub-post");
            continue;
        };
        let certainty = line.certainty.or_else(|| {
            inventory
                .defaults
                .uncertainty
                .map(Certainty::Percent)
                .or(inventory.defaults.quality.map(Certainty::Quality))
        });
        let mut marker = vec![format!("id={}", line.id)];
        if bcplus::post_of(sub, caracterisation) != Some(result.post) {
            marker.push(format!("post={}", result.post.code()));
        }
        let quality = match certainty {
            Some(Certainty::Percent(p)) => {
                marker.push(format!(
                    "uncertainty={}%",
                    crate::render::exact(p * Decimal::ONE_HUNDRED)
                ));
                Some(bcplus::scores_for_percent(p))
            }
            Some(Certainty::Quality(q)) => Some(q),
            None => None,
        };
        if line.factor_certainty().is_some() {
            out.caveats.push(Skipped {
                id: line.id.to_string(),
                reason: "its factor uncertainty override is not exported (Bilan Carbone+ ignores factor qualities on import)".into(),
            });
        }
        if line.market_factor().is_some() {
            out.caveats.push(Skipped {
                id: line.id.to_string(),
                reason: "its market_factor is not exported (add a market-based source in Bilan Carbone+)".into(),
            });
        }
        if let Some((_, true)) = result.amortization {
            out.caveats.push(Skipped {
                id: line.id.to_string(),
                reason: "its amortisation is over (0 here) but Bilan Carbone+ still counts value / years".into(),
            });
        }
        let mut row = vec![Cell::Empty; bcplus::COLUMNS.len()];
        let mut set = |index: usize, cell: Cell| {
            if let Some(slot) = row.get_mut(index) {
                *slot = cell;
            }
        };
        set(
            col::SITE,
            text(line.site.clone().unwrap_or_else(|| default_site.clone())),
        );
        set(col::POST, text(sub.post_fr));
        set(col::SUB_POST, text(sub.fr));
        set(col::NAME, text(line.label.to_string()));
        set(col::TAG, text(line.tags.join(", ")));
        set(col::CARACTERISATION, text(caracterisation));
        set(col::VALUE, Cell::Number(result.converted_quantity));
        set(col::UNIT, text(unit.fr));
        if let Some(a) = line.amortization {
            set(col::DEPRECIATION, Cell::Number(Decimal::from(a.years)));
            set(col::ACQUIRED, Cell::Number(Decimal::from(a.acquired)));
        }
        if let Some(q) = quality {
            for (i, score) in bcplus::quality_columns(&q).iter().enumerate() {
                if let Some(s) = score {
                    set(col::QUALITY + i, text(bcplus::quality_label(*s)));
                }
            }
        }
        let mut comment = line.comment().unwrap_or_default().to_string();
        if !comment.is_empty() {
            comment.push(' ');
        }
        comment.push_str(&format!("{}{}]", bcplus::MARKER, marker.join(" ")));
        set(col::COMMENT, text(comment));
        set(col::FACTOR_ID, text(factor.id.clone()));
        set(col::FACTOR_NAME, text(factor.name.clone()));
        set(col::FACTOR_VALUE, Cell::Number(factor.kgco2e));
        set(col::FACTOR_UNIT, text(format!("kgCO2e/{}", unit.fr)));
        set(col::FACTOR_LOCATION, text(factor.location.clone()));
        out.rows.push(row);
    }
    out
}
