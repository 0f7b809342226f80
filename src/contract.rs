//! The JSON documents `bilan` writes: their schema names (one place, so readers and writers
//! agree) and the number type that keeps every digit of an exact decimal.

use serde::{Serialize, Serializer};
use std::str::FromStr;

/// `compute --format json`: one inventory's result.
pub const RESULT: &str = "bilan.result/1";
/// `compute --view … --format json`: the result in another framework.
pub const VIEW: &str = "bilan.view/1";
/// `trajectory --format json`.
pub const TRAJECTORY: &str = "bilan.trajectory/1";
/// `diff --format json`.
pub const DIFF: &str = "bilan.diff/1";
/// A trend of several inventories.
pub const TREND: &str = "bilan.trend/1";
/// `explain --format json`.
pub const EXPLAIN: &str = "bilan.explain/1";
/// `factors diff --format json`.
pub const FACTORS_DIFF: &str = "bilan.factors-diff/1";

/// A number printed from its text: with serde_json's arbitrary precision it keeps every digit
/// (`1109.68` stays `1109.68`, never `1109.6800000000001`).
pub struct Num(pub String);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match serde_json::Number::from_str(&self.0) {
            Ok(number) => number.serialize(serializer),
            Err(_) => serializer.serialize_none(),
        }
    }
}
