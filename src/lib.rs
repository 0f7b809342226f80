//! `bilan`: a Bilan Carbone® calculator.
//!
//! Data flows one way: **load** (YAML inventory, factor CSV → typed values with source
//! positions) → **compute** (a pure function: inventory + factor base → a report) →
//! **render** (table, CSV, JSON, Markdown from the report).

pub mod action;
pub mod analysed;
pub mod assignment;
pub mod batch;
pub mod bcplus;
pub mod bcplus_export;
pub mod bcplus_units;
mod blocks;
pub mod breakdown;
pub mod cli;
pub mod cmd;
pub mod compute;
pub mod consolidation;
pub mod contract;
pub mod diff;
pub mod embedded;
pub mod energy_split;
pub mod error;
pub mod exact_sum;
pub mod explain;
pub mod factor;
pub mod factor_base;
pub mod factor_diff;
pub mod fec;
pub mod gas;
pub mod interrupt;
pub mod inventory;
pub mod load;
pub mod monte_carlo;
pub mod number;
pub mod output;
pub mod post;
pub mod post_lines;
pub mod post_map;
pub mod price_index;
pub mod render;
pub mod report;
pub mod search;
pub mod session;
pub mod snbc;
pub mod text;
pub mod trajectory;
pub mod trend;
pub mod uncertainty;
pub mod uncertainty_analysis;
pub mod unit;
pub mod view;
pub mod vsme;
pub mod warning;
