//! Consolidation of a group (GHG Protocol Corporate Standard ch. 3, ISO 14064-1 §5.1): the
//! share of each entity's emissions the group reports, the group's lines built from its
//! entities' lines, and the breakdown by entity. Pure: the entity files are read by
//! `load::group`.

use crate::inventory::{Certainty, Inventory, Line};
use crate::post::Post;
use crate::report::{Destination, Report};
use rust_decimal::Decimal;

/// The consolidation approach of a group (`perimeter: { consolidation: … }`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approach {
    /// 100 % of the entities under the group's operational control, 0 % of the others.
    OperationalControl,
    /// 100 % of the entities under the group's financial control, 0 % of the others.
    FinancialControl,
    /// The group's share of each entity's equity.
    EquityShare,
}

impl Approach {
    /// The approach written in `perimeter.consolidation`.
    pub fn parse(text: &str) -> Option<Approach> {
        match text {
            "operational-control" => Some(Approach::OperationalControl),
            "financial-control" => Some(Approach::FinancialControl),
            "equity-share" => Some(Approach::EquityShare),
            _ => None,
        }
    }

    /// Its name in the inventory.
    pub fn as_str(self) -> &'static str {
        match self {
            Approach::OperationalControl => "operational-control",
            Approach::FinancialControl => "financial-control",
            Approach::EquityShare => "equity-share",
        }
    }
}

/// The control the group has over an entity (`control:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Control {
    /// Financial control.
    pub financial: bool,
    /// Operational control.
    pub operational: bool,
}

impl Control {
    /// As written: `none`, `financial`, `operational` or both (`[financial, operational]`).
    pub fn name(self) -> &'static str {
        match (self.financial, self.operational) {
            (false, false) => "none",
            (true, false) => "financial",
            (false, true) => "operational",
            (true, true) => "financial+operational",
        }
    }
}

/// The fraction of an entity's emissions the group reports under `approach`: 1 or 0 under a
/// control approach, the equity `share` (a fraction in (0, 1]) under equity share. `None` when
/// the entry lacks what the approach needs (`share` under equity share, `control` under a
/// control approach).
pub fn factor(
    approach: Approach,
    share: Option<Decimal>,
    control: Option<Control>,
) -> Option<Decimal> {
    let whole = |held: bool| if held { Decimal::ONE } else { Decimal::ZERO };
    match approach {
        Approach::EquityShare => share,
        Approach::OperationalControl => control.map(|c| whole(c.operational)),
        Approach::FinancialControl => control.map(|c| whole(c.financial)),
    }
}

/// One entity of a group, flattened (an entity of a nested group carries the product of the
/// factors along its path).
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// Its prefix in line ids (`filiale-a/2025`, `sous-groupe/filiale-c/2025` when nested).
    pub id: String,
    /// Its inventory file as displayed.
    pub file: String,
    /// The fraction of its emissions the group reports.
    pub factor: Decimal,
    /// Its inventory (includes read; `factors:` paths made absolute).
    pub inventory: Inventory,
}

/// The separator between an entity's id and a line's own id in a consolidated report.
pub const SEPARATOR: char = ':';

/// The group's inventory: the group's own keys with its entities' lines, each multiplied by
/// its entity's factor (its quantity × factor: every figure of the line, its emissions, parts,
/// gases and market figure, scales exactly with it; its relative uncertainty does not change),
/// its id prefixed with the entity's (`filiale-a/2025:elec`). Lines of entities counted at 0 %
/// and `intragroup: true` lines are left out. A line that says no uncertainty takes its own
/// entity's `defaults:`. The counted entities' `factors:` files and the `price_index:`
/// changes (checked to agree when read) are merged, in entity order.
pub fn merge(group: &Inventory, entities: &[Entity]) -> Inventory {
    let mut merged = group.clone();
    merged.lines = Vec::new();
    for entity in entities {
        for (year, change) in &entity.inventory.price_index {
            if !merged.price_index.iter().any(|(y, _)| y == year) {
                merged.price_index.push((*year, *change));
            }
        }
        if entity.factor.is_zero() {
            continue;
        }
        for (path, at) in &entity.inventory.factor_files {
            if !merged.factor_files.iter().any(|(p, _)| p == path) {
                merged.factor_files.push((path.clone(), at.clone()));
            }
        }
        let defaults = &entity.inventory.defaults;
        let default = defaults
            .uncertainty
            .map(Certainty::Percent)
            .or(defaults.quality.map(Certainty::Quality));
        for line in entity.inventory.lines.iter().filter(|l| !l.intragroup) {
            merged.lines.push(Line {
                id: format!("{}{SEPARATOR}{}", entity.id, line.id).into(),
                quantity: line.quantity * entity.factor,
                certainty: line.certainty.or(default),
                ..line.clone()
            });
        }
    }
    merged
}

/// One entity's figures in a consolidated report.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityFigure {
    /// Its id (the prefix of its lines' ids).
    pub id: String,
    /// Its organisation's name.
    pub name: String,
    /// Its inventory file.
    pub file: String,
    /// The fraction applied (1 for 100 %).
    pub factor: Decimal,
    /// Its total computed alone, kgCO2e (intra-group lines included).
    pub total_kgco2e: Decimal,
    /// What the group counts of it, kgCO2e (intra-group lines left out, × factor).
    pub consolidated_kgco2e: Decimal,
}

/// An intra-group line left out of the consolidated figure.
#[derive(Clone, Debug, PartialEq)]
pub struct IntragroupLine {
    /// Its entity's id.
    pub entity: String,
    /// The line's own id in its entity.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its post.
    pub post: Post,
    /// Its emissions in its entity alone, kgCO2e.
    pub kgco2e: Decimal,
}

/// The consolidation of a group: approach, entities and the intra-group lines left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Consolidation {
    /// The approach applied.
    pub approach: Approach,
    /// The entities, in the group's order (nested groups flattened).
    pub entities: Vec<EntityFigure>,
    /// The intra-group lines, in entity order.
    pub intragroup: Vec<IntragroupLine>,
}

impl Consolidation {
    /// The entity a consolidated line comes from, and the line's own id in it (the longest
    /// entity id the line's id starts with, followed by [`SEPARATOR`]).
    pub fn entity_of<'a>(&self, line_id: &'a str) -> Option<(&EntityFigure, &'a str)> {
        self.entities
            .iter()
            .filter_map(|e| {
                let own = line_id
                    .strip_prefix(e.id.as_str())?
                    .strip_prefix(SEPARATOR)?;
                Some((e, own))
            })
            .max_by_key(|(e, _)| e.id.len())
    }
}

/// The breakdown by entity, from each entity computed alone (`alone`, in the order of
/// `entities`) and the group's report computed from [`merge`]. Checks that every consolidated
/// line used the factor it uses in its entity alone (two entities' `factors:` files could
/// give one id two values); an error message otherwise.
pub fn breakdown(
    approach: Approach,
    entities: &[Entity],
    alone: &[Report],
    group: &Report,
) -> Result<Consolidation, String> {
    let mut figures = Vec::new();
    let mut intragroup = Vec::new();
    let mut next = group.lines.iter();
    for (entity, report) in entities.iter().zip(alone) {
        if entity.inventory.lines.len() != report.lines.len() {
            return Err(format!(
                "entity `{}`: its lines and results differ",
                entity.id
            ));
        }
        let mut consolidated = Decimal::ZERO;
        for (line, result) in entity.inventory.lines.iter().zip(&report.lines) {
            if line.intragroup {
                intragroup.push(IntragroupLine {
                    entity: entity.id.clone(),
                    id: result.id.to_string(),
                    label: result.label.to_string(),
                    post: result.post,
                    kgco2e: result.figure.kgco2e,
                });
                continue;
            }
            if entity.factor.is_zero() {
                continue;
            }
            let Some(counted) = next.next() else {
                return Err(format!(
                    "entity `{}`: line `{}` is missing",
                    entity.id, line.id
                ));
            };
            if *counted.id != format!("{}{SEPARATOR}{}", entity.id, line.id) {
                return Err(format!(
                    "entity `{}`: line `{}` is out of place",
                    entity.id, line.id
                ));
            }
            if counted.factor != result.factor {
                return Err(format!(
                    "factor id `{}` is not the same factor in entity `{}` and in the group (another entity's `factors:` file gives it another value)",
                    result.factor.id, entity.id
                ));
            }
            if counted.destination == Destination::Emissions {
                consolidated += counted.figure.kgco2e;
            }
        }
        figures.push(EntityFigure {
            id: entity.id.clone(),
            name: entity.inventory.organisation.name.clone(),
            file: entity.file.clone(),
            factor: entity.factor,
            total_kgco2e: report.total.kgco2e,
            consolidated_kgco2e: consolidated,
        });
    }
    Ok(Consolidation {
        approach,
        entities: figures,
        intragroup,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_follow_the_approach() {
        let sixty = Decimal::new(6, 1);
        let financial = Control {
            financial: true,
            operational: false,
        };
        assert_eq!(
            factor(Approach::EquityShare, Some(sixty), Some(financial)),
            Some(sixty)
        );
        assert_eq!(
            factor(Approach::FinancialControl, Some(sixty), Some(financial)),
            Some(Decimal::ONE)
        );
        assert_eq!(
            factor(Approach::OperationalControl, Some(sixty), Some(financial)),
            Some(Decimal::ZERO)
        );
        assert_eq!(factor(Approach::EquityShare, None, Some(financial)), None);
        assert_eq!(
            factor(Approach::OperationalControl, Some(sixty), None),
            None
        );
    }
}
