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
}

/// A row of a base file that was not turned into a factor, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedRow {
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    /// Why it was skipped.
    pub reason: String,
    /// The factor id the row is for, when it could be read.
    pub id: Option<String>,
}

/// Where a factor id's row was found defective: a line using the id must not quietly take
/// an earlier base's factor of the same id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefectiveRow {
    /// The base file.
    pub file: String,
    /// Its row (1-based line; the header is line 1).
    pub line: u64,
    /// What is wrong with it.
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

/// Factors by id, merged in order: a later base overrides an id of an earlier one.
#[derive(Clone, Debug, Default)]
pub struct FactorBase {
    factors: HashMap<String, Arc<Factor>>,
    sources: Vec<BaseSource>,
    overrides: Vec<Override>,
    defective: HashMap<String, DefectiveRow>,
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
        for factor in loaded.factors {
            if let Some(previous) = self.factors.get(&factor.id) {
                let replaced = previous.origin.file.to_string();
                if replaced != source_name {
                    self.overrides.push(Override {
                        id: factor.id.clone(),
                        replaced,
                        by: source_name.clone(),
                    });
                }
            }
            self.defective.remove(&factor.id);
            self.factors.insert(factor.id.clone(), Arc::new(factor));
        }
        // A defective row (a factor's or one of its parts') makes the id unusable, whatever an
        // earlier base says; a later base giving the id again replaces it as usual.
        for defect in loaded.defects {
            if let Some(id) = defect.id {
                self.defective.insert(
                    id,
                    DefectiveRow {
                        file: source_name.clone(),
                        line: defect.line,
                        reason: defect.reason,
                    },
                );
            }
        }
        if let Some(source) = loaded.source {
            self.sources.push(source);
        }
    }

    /// The defective row of a base for this id, when the last base that mentions the id could
    /// not read it.
    pub fn defective(&self, id: &str) -> Option<&DefectiveRow> {
        self.defective.get(id)
    }

    /// The factor of this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Factor>> {
        self.factors.get(id)
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
                let by_id = crate::text::edit_distance(wanted, &f.id);
                let by_name = if wanted_lower.chars().any(char::is_alphabetic) {
                    crate::text::edit_distance(&wanted_lower, &f.name.to_lowercase())
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
