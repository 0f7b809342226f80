//! `bilan`: a Bilan Carbone® calculator.
//!
//! Data flows one way: **load** (YAML inventory, factor CSV → typed values with source
//! positions) → **compute** (a pure function: inventory + factor base → a report) →
//! **render** (table, CSV, JSON, Markdown from the report).

pub mod error;
pub mod factor;
pub mod factor_base;
pub mod inventory;
pub mod load;
pub mod number;
pub mod post;
pub mod text;
pub mod uncertainty;
pub mod unit;
pub mod assignment;
pub mod energy_split;
pub mod compute;
pub mod report;
pub mod render;
pub mod embedded;
pub mod cli;
pub mod cmd;
pub mod output;
pub mod search;
