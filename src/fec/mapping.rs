//! The mapping from the chart of accounts (PCG) and suppliers to factor ids, and what an
//! inventory already counts physically.

use crate::error::Position;
use crate::inventory::{Line, Purpose};
use crate::post::Post;
use std::collections::BTreeMap;

/// What an inventory may already count physically; a rule's exclusion can depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Lines with `purpose: business` (3.13).
    BusinessTravel,
    /// Lines with `purpose: commute` (3.22).
    Commute,
    /// Lines with `direction: upstream` (3.12).
    FreightUpstream,
    /// Lines with `direction: downstream` (3.17).
    FreightDownstream,
}

impl Condition {
    /// All conditions, as written in a mapping file.
    pub const ALL: [(Condition, &'static str); 4] = [
        (Condition::BusinessTravel, "business-travel"),
        (Condition::Commute, "commute"),
        (Condition::FreightUpstream, "freight-upstream"),
        (Condition::FreightDownstream, "freight-downstream"),
    ];

    /// Reads `business-travel`, ….
    pub fn parse(text: &str) -> Option<Condition> {
        Self::ALL
            .iter()
            .find(|(_, name)| *name == text.trim())
            .map(|(c, _)| *c)
    }

    /// Its name in a mapping file.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, name)| name)
    }
}

/// One rule of a mapping: an account prefix or a supplier → a factor, or an exclusion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The factor id.
    pub factor: Option<String>,
    /// What the rule covers.
    pub label: Option<String>,
    /// The post of the lines (default 3.9, or 3.10 with `years`).
    pub post: Option<Post>,
    /// Capital goods: amortisation years (the line gets `amortization:`).
    pub years: Option<u32>,
    /// Why the amounts are left out.
    pub exclude: Option<String>,
    /// The exclusion holds only when the inventory counts this physically.
    pub when: Option<Condition>,
    /// Where the rule is written.
    pub at: Position,
    /// Where its factor is written.
    pub factor_at: Position,
}

/// Account-prefix and supplier rules, from the default mapping and the user's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    /// Account prefix → rule.
    pub accounts: BTreeMap<String, Rule>,
    /// Auxiliary account (CompAuxNum) → rule.
    pub suppliers: BTreeMap<String, Rule>,
    /// The files the rules come from, in order.
    pub files: Vec<String>,
}

impl Mapping {
    /// Adds `other`'s rules; a rule of `other` replaces one with the same key.
    pub fn extend(&mut self, other: Mapping) {
        self.accounts.extend(other.accounts);
        self.suppliers.extend(other.suppliers);
        self.files.extend(other.files);
    }

    /// The rule of the longest prefix of `account`, with that prefix.
    pub fn account_rule(&self, account: &str) -> Option<(&str, &Rule)> {
        (1..=account.len()).rev().find_map(|end| {
            let prefix = account.get(..end)?;
            self.accounts
                .get_key_value(prefix)
                .map(|(k, r)| (k.as_str(), r))
        })
    }

    /// Whether an account's amounts are looked at: classes 60–62, tangible fixed assets (21)
    /// and any account a rule names.
    pub fn considered(&self, account: &str) -> bool {
        is_purchase_class(account) || is_capital(account) || self.account_rule(account).is_some()
    }
}

/// Classes 60, 61, 62: purchases and external services.
pub fn is_purchase_class(account: &str) -> bool {
    ["60", "61", "62"].iter().any(|p| account.starts_with(p))
}

/// Class 21: tangible fixed assets (capital goods).
pub fn is_capital(account: &str) -> bool {
    account.starts_with("21")
}

/// What the inventory already counts physically (from its lines), if an inventory was given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    /// An inventory was read.
    pub known: bool,
    /// It has `purpose: business` lines.
    pub business_travel: bool,
    /// It has `purpose: commute` lines.
    pub commute: bool,
    /// It has `direction: upstream` lines.
    pub freight_upstream: bool,
    /// It has `direction: downstream` lines.
    pub freight_downstream: bool,
}

impl Counted {
    /// What `lines` count.
    pub fn from_lines(lines: &[Line]) -> Counted {
        use crate::inventory::Direction;
        Counted {
            known: true,
            business_travel: lines.iter().any(|l| l.purpose == Some(Purpose::Business)),
            commute: lines.iter().any(|l| l.purpose == Some(Purpose::Commute)),
            freight_upstream: lines
                .iter()
                .any(|l| l.direction == Some(Direction::Upstream)),
            freight_downstream: lines
                .iter()
                .any(|l| l.direction == Some(Direction::Downstream)),
        }
    }

    /// Whether the inventory counts what `condition` names.
    pub fn holds(&self, condition: Condition) -> bool {
        match condition {
            Condition::BusinessTravel => self.business_travel,
            Condition::Commute => self.commute,
            Condition::FreightUpstream => self.freight_upstream,
            Condition::FreightDownstream => self.freight_downstream,
        }
    }
}
