//! The planning: each group of the ledger mapped to an inventory line, or listed with why not.

use crate::factor_base::FactorBase;
use crate::fec::*;
use crate::post::{Post, codes};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Which table a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// `accounts:`, by prefix.
    Account,
    /// `suppliers:`.
    Supplier,
}

/// A rule applied, named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// Account prefix or supplier.
    pub key: String,
    /// Which table.
    pub kind: RuleKind,
    /// The rule.
    pub rule: Rule,
}

impl Applied {
    /// The rule for people: `rule 626 of mapping.yaml`.
    pub fn describe(&self) -> String {
        let file = &self.rule.at.file;
        match self.kind {
            RuleKind::Account => format!("rule {} of {file}", self.key),
            RuleKind::Supplier => format!("supplier rule {} of {file}", self.key),
        }
    }
}

/// A group turned into an inventory line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// The amounts.
    pub group: Group,
    /// The factor id.
    pub factor: String,
    /// The factor's name in the base.
    pub factor_name: String,
    /// The post.
    pub post: Post,
    /// Amortisation years (capital goods).
    pub years: Option<u32>,
    /// The rule that gave the factor.
    pub rule: Applied,
}

/// A group left out, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The amounts.
    pub group: Group,
    /// The rule that excluded it (none for unmapped accounts and net credits).
    pub rule: Option<Applied>,
}

/// Sums in euros over the groups with a net debit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// All groups with a net debit.
    pub considered: Decimal,
    /// Written as lines.
    pub mapped: Decimal,
    /// Excluded by a rule.
    pub excluded: Decimal,
    /// Without a rule.
    pub unmapped: Decimal,
}

/// What an import writes and reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Lines to write, sorted by account then supplier.
    pub lines: Vec<Planned>,
    /// Excluded groups (any sign).
    pub excluded: Vec<Listed>,
    /// Groups with a net debit and no rule.
    pub unmapped: Vec<Listed>,
    /// Groups mapped or unmapped with a net credit: not counted.
    pub credits: Vec<Listed>,
    /// Rules whose exclusion depends on the inventory, applied without one (key, condition).
    pub unchecked: Vec<(String, Condition)>,
    /// Sums.
    pub totals: Totals,
    /// The period's year (capital goods are acquired in it).
    pub year: i32,
}

enum Decision {
    Mapped(Applied, Post, Option<u32>, String),
    Excluded(Applied),
    Unmapped,
}

fn applied(key: &str, kind: RuleKind, rule: &Rule) -> Applied {
    Applied {
        key: key.to_string(),
        kind,
        rule: rule.clone(),
    }
}

fn decide(
    mapping: &Mapping,
    counted: &Counted,
    group: &Group,
    unchecked: &mut Vec<(String, Condition)>,
) -> Decision {
    let account = mapping
        .account_rule(&group.account)
        .map(|(key, rule)| applied(key, RuleKind::Account, rule));
    let supplier = group.supplier.as_ref().and_then(|s| {
        mapping
            .suppliers
            .get_key_value(&s.num)
            .map(|(key, rule)| applied(key, RuleKind::Supplier, rule))
    });
    let mut excludes = |a: &Applied| match (&a.rule.exclude, a.rule.when) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(_), Some(condition)) if counted.known => counted.holds(condition),
        (Some(_), Some(condition)) => {
            if !unchecked.iter().any(|(k, _)| *k == a.key) {
                unchecked.push((a.key.clone(), condition));
            }
            false
        }
    };
    // An exclusion wins over a factor, whichever table it is in: energy bought from any
    // supplier is counted physically.
    for rule in account.iter().chain(supplier.iter()) {
        if excludes(rule) {
            return Decision::Excluded(rule.clone());
        }
    }
    let with_factor = supplier
        .iter()
        .chain(account.iter())
        .find(|a| a.rule.factor.is_some());
    let Some(chosen) = with_factor else {
        return Decision::Unmapped;
    };
    let years = supplier
        .as_ref()
        .and_then(|s| s.rule.years)
        .or_else(|| account.as_ref().and_then(|a| a.rule.years));
    let post = supplier
        .as_ref()
        .and_then(|s| s.rule.post)
        .or_else(|| account.as_ref().and_then(|a| a.rule.post))
        .unwrap_or(if years.is_some() {
            codes::CAPITAL_GOODS
        } else {
            codes::PURCHASES
        });
    let factor = chosen.rule.factor.clone().unwrap_or_default();
    Decision::Mapped(chosen.clone(), post, years, factor)
}

/// Regroups a ledger's groups: by supplier with `by_supplier`, else by account except the
/// suppliers that have a rule of their own.
fn regroup(ledger: &Ledger, mapping: &Mapping, by_supplier: bool) -> Vec<Group> {
    let mut merged: BTreeMap<(String, Option<Supplier>), Group> = BTreeMap::new();
    for group in &ledger.groups {
        let supplier = group
            .supplier
            .clone()
            .filter(|s| by_supplier || mapping.suppliers.contains_key(&s.num));
        let key = (group.account.clone(), supplier.clone());
        match merged.get_mut(&key) {
            Some(g) => {
                g.net = g.net.checked_add(group.net).unwrap_or(g.net);
                g.lines += group.lines;
            }
            None => {
                merged.insert(
                    key,
                    Group {
                        supplier,
                        ..group.clone()
                    },
                );
            }
        }
    }
    merged.into_values().collect()
}

/// Maps each group: a line, an exclusion, unmapped, or a net credit.
pub fn plan(
    ledger: &Ledger,
    mapping: &Mapping,
    counted: &Counted,
    by_supplier: bool,
    base: &FactorBase,
) -> Plan {
    let mut plan = Plan {
        lines: Vec::new(),
        excluded: Vec::new(),
        unmapped: Vec::new(),
        credits: Vec::new(),
        unchecked: Vec::new(),
        totals: Totals::default(),
        year: ledger.period.year(),
    };
    let add = |sum: &mut Decimal, net: Decimal| {
        if net.is_sign_positive() {
            *sum = sum.checked_add(net).unwrap_or(*sum);
        }
    };
    for group in regroup(ledger, mapping, by_supplier) {
        if group.net.is_zero() {
            continue;
        }
        let debit = group.net.is_sign_positive();
        if debit {
            add(&mut plan.totals.considered, group.net);
        }
        match decide(mapping, counted, &group, &mut plan.unchecked) {
            Decision::Excluded(rule) => {
                add(&mut plan.totals.excluded, group.net);
                plan.excluded.push(Listed {
                    group,
                    rule: Some(rule),
                });
            }
            _ if !debit => plan.credits.push(Listed { group, rule: None }),
            Decision::Unmapped => {
                add(&mut plan.totals.unmapped, group.net);
                plan.unmapped.push(Listed { group, rule: None });
            }
            Decision::Mapped(rule, post, years, factor) => {
                add(&mut plan.totals.mapped, group.net);
                let factor_name = base
                    .get(&factor)
                    .map_or_else(String::new, |f| f.name.clone());
                plan.lines.push(Planned {
                    group,
                    factor,
                    factor_name,
                    post,
                    years,
                    rule,
                });
            }
        }
    }
    plan
}
