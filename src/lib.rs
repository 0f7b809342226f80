//! `bilan`: a Bilan Carbone® calculator.
//!
//! Data flows one way: **load** (YAML inventory, factor CSV → typed values with source
//! positions) → **compute** (a pure function: inventory + factor base → [`result::Report`]) →
//! **render** (table, CSV, JSON, Markdown from the report).

pub mod error;
pub mod factor;
pub mod factor_base;
pub mod load;
pub mod number;
pub mod search;
pub mod text;
pub mod uncertainty;
