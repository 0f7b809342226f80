//! Loaders: files → typed values. The only place that reads input files.

mod actions;
pub mod ademe;
pub mod base_cache;
pub mod bcplus;
pub mod encoding;
pub mod factor_csv;
pub mod factors;
pub mod fec;
pub mod files;
pub mod inventory;
pub mod result_json;
pub mod yaml;
