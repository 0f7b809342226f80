//! Reads the official ADEME Base Carbone® CSV export. (Placeholder until the loader lands.)
use crate::error::{InputError, Position};
use crate::factor_base::LoadedBase;
use std::sync::Arc;

/// True when the header is the ADEME export's.
pub fn looks_like(header_line: &str) -> bool {
    header_line.contains("Type Ligne")
}

/// Reads an export.
pub fn load(file: &Arc<str>, _bytes: &[u8]) -> Result<LoadedBase, InputError> {
    Err(InputError::new(Position::file(file), "not yet"))
}
