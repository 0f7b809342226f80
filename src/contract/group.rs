//! A group's consolidation in the result document (`group`, README *Groups*): the approach,
//! the entities with the share applied, and the intra-group lines left out.

use super::{Num, Text};
use serde::{Deserialize, Serialize};

/// `group`: present for a group only.
#[derive(Debug, Serialize, Deserialize)]
pub struct Group<'a> {
    /// `operational-control`, `financial-control` or `equity-share`.
    pub consolidation: Text<'a>,
    /// The entities, in the group's order (nested groups flattened).
    pub entities: Vec<Entity<'a>>,
    /// The intra-group lines left out of the consolidated figures.
    pub intragroup_lines: Vec<IntragroupLine<'a>>,
}

/// One entity.
#[derive(Debug, Serialize, Deserialize)]
pub struct Entity<'a> {
    /// The prefix of its lines' ids.
    pub id: Text<'a>,
    /// Its organisation's name.
    pub name: Text<'a>,
    /// Its inventory file.
    pub file: Text<'a>,
    /// The fraction of its emissions counted (1 for 100 %).
    pub share_applied: Num,
    /// Its total computed alone (intra-group lines included), kgCO2e.
    pub total_kgco2e: Num,
    /// What the group counts of it, kgCO2e.
    pub consolidated_kgco2e: Num,
}

/// One intra-group line.
#[derive(Debug, Serialize, Deserialize)]
pub struct IntragroupLine<'a> {
    /// Its entity's id.
    pub entity: Text<'a>,
    /// Its own id in its entity.
    pub id: Text<'a>,
    /// Its label.
    pub label: Text<'a>,
    /// Its post.
    pub post: Text<'a>,
    /// Its emissions in its entity alone, kgCO2e.
    pub kgco2e: Num,
}
