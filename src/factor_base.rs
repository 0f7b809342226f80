//! A set of emission factors merged from several bases, each traced to its file.

use crate::factor::{BaseKind, Factor};
use std::collections::HashMap;
use std::sync::Arc;

/// One file a base was read from, as JSON provenance reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseSource {
    /// File name as the user gave it (or `embedded:…`).
    pub name: String,
    /// Which format it was read as.
    pub kind: BaseKind,
    /// Data rows read (header excluded).
    pub rows: usize,
    /// Factors it provided.
    pub factors: usize,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The base's version (`V23.6`), read from the file name or its content, when known.
    pub version: Option<String>,
}

/// A row of a base file that was not turned into a factor, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedRow {
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    /// The factor id of the row, when it could be read.
    pub id: Option<String>,
    /// Why it was skipped.
    pub reason: String,
}

/// The result of reading one base file.
#[derive(Clone, Debug, Default)]
pub struct LoadedBase {
    /// Where it came from.
    pub source: Option<BaseSource>,
    /// Its factors, in file order.
    pub factors: Vec<Factor>,
    /// Rows that were skipped by design (e.g. "Données source"), counted by reason.
    pub skipped: Vec<(String, usize)>,
    /// Defective rows, reported and skipped.
    pub defects: Vec<SkippedRow>,
}

/// An id provided by a later base that replaced the one of an earlier base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// The factor id.
    pub id: String,
    /// The base whose factor was replaced.
    pub replaced: String,
    /// The base whose factor now applies.
    pub by: String,
}

/// True when two factors of one id say the same: value, unit, parts, gases, uncertainty,
/// category and status (their file and row may differ).
fn same_values(a: &Factor, b: &Factor) -> bool {
    a.kgco2e == b.kgco2e
        && a.unit == b.unit
        && a.parts == b.parts
        && a.gases == b.gases
        && a.uncertainty == b.uncertainty
        && a.category == b.category
        && a.status == b.status
}

/// Factors by id, merged in order: a later base overrides an id of an earlier one.
#[derive(Clone, Debug, Default)]
pub struct FactorBase {
    factors: HashMap<String, Arc<Factor>>,
    /// Ids whose row in a later base was defective: (file, line, reason). A line using one is
    /// an error; it never quietly takes the value of an earlier base.
    defective: HashMap<String, (String, u64, String)>,
    sources: Vec<BaseSource>,
    overrides: Vec<Override>,
}

impl FactorBase {
    /// An empty base.
    pub fn new() -> Self {
        FactorBase::default()
    }

    /// Merges a loaded base on top of this one.
    pub fn merge(&mut self, loaded: LoadedBase) {
        let source_name = loaded
            .source
            .as_ref()
            .map_or_else(String::new, |s| s.name.clone());
        for defect in &loaded.defects {
            if let Some(id) = &defect.id {
                self.factors.remove(id);
                self.defective.insert(
                    id.clone(),
                    (source_name.clone(), defect.line, defect.reason.clone()),
                );
            }
        }
        self.factors.reserve(loaded.factors.len());
        for factor in loaded.factors {
            if !self.defective.is_empty() {
                self.defective.remove(&factor.id);
            }
            if let Some(previous) = self.factors.get(&factor.id) {
                let replaced = previous.origin.file.to_string();
                // The same row in two bases (the embedded one and the full export) replaces
                // nothing: only a change of value is an override worth reporting.
                if replaced != source_name && !same_values(previous, &factor) {
                    self.overrides.push(Override {
                        id: factor.id.clone(),
                        replaced,
                        by: source_name.clone(),
                    });
                }
            }
            self.factors.insert(factor.id.clone(), Arc::new(factor));
        }
        if let Some(source) = loaded.source {
            self.sources.push(source);
        }
    }

    /// The factor of this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Factor>> {
        self.factors.get(id)
    }

    /// Where this id's row was defective in the last base that had it: (file, line, reason).
    pub fn defective(&self, id: &str) -> Option<&(String, u64, String)> {
        self.defective.get(id)
    }

    /// Number of factors.
    pub fn len(&self) -> usize {
        self.factors.len()
    }

    /// True when there is no factor.
    pub fn is_empty(&self) -> bool {
        self.factors.is_empty()
    }

    /// Every factor, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Factor> {
        self.factors.values().map(Arc::as_ref)
    }

    /// The files merged, in order.
    pub fn sources(&self) -> &[BaseSource] {
        &self.sources
    }

    /// Ids that a later base overrode, in merge order.
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
    }

    /// Up to `n` ids or names closest to `wanted`, for "did you mean" hints.
    pub fn closest(&self, wanted: &str, n: usize) -> Vec<&Factor> {
        let wanted_lower = wanted.to_lowercase();
        let mut scored: Vec<(usize, &str, &Factor)> = self
            .factors
            .values()
            .map(|f| {
                let f = f.as_ref();
                let by_id = strsim::levenshtein(wanted, &f.id);
                let by_name = if wanted_lower.chars().any(char::is_alphabetic) {
                    strsim::levenshtein(&wanted_lower, &f.name.to_lowercase())
                } else {
                    usize::MAX
                };
                (by_id.min(by_name), f.id.as_str(), f)
            })
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        scored.into_iter().take(n).map(|(_, _, f)| f).collect()
    }
}
