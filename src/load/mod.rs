//! Loaders: files → typed values. The only place that reads input files.

pub mod ademe;
pub mod encoding;
