//! Loaders: files → typed values. The only place that reads input files.

mod actions;
pub mod ademe;
pub mod ademe_xlsx;
pub mod base_cache;
pub mod bcplus;
pub mod data_fair;
pub mod digest;
pub mod encoding;
pub mod factor_csv;
pub mod factors;
pub mod fec;
pub mod files;
pub mod group;
pub mod inventory;
mod inventory_parts;
pub mod ledger;
pub mod line_tables;
pub mod result_json;
pub mod seen_ids;
pub mod yaml;
