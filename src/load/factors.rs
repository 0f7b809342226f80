//! Reads a factor file of any format, detected by its content: the ADEME export as CSV
//! (official or data-fair), as data-fair JSON, as `.xlsx`, or the project's own CSV.

use super::{ademe, ademe_xlsx, data_fair, encoding, factor_csv};
use crate::error::{InputError, Position};
use crate::factor_base::LoadedBase;
use std::sync::Arc;

pub use super::digest::sha256_hex;

/// Reads a factor base from the bytes of file `name`: an ADEME Base Carbone export (CSV,
/// data-fair JSON or `.xlsx`) or the project's own CSV.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<LoadedBase, InputError> {
    let file: Arc<str> = Arc::from(name);
    if ademe_xlsx::looks_like(bytes) {
        return ademe_xlsx::load(&file, bytes);
    }
    if data_fair::looks_like(bytes) {
        return data_fair::load(&file, bytes);
    }
    // The header decides the format; decode only the first line for that.
    let header_end = bytes
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(bytes.len());
    let header = encoding::decode(&file, bytes.get(..header_end).unwrap_or(bytes))?;
    let first_line = header.trim_end_matches('\r');
    if ademe::looks_like(first_line) {
        ademe::load(&file, bytes)
    } else if factor_csv::looks_like(first_line) {
        let text = encoding::decode(&file, bytes)?;
        factor_csv::load(&file, &text, sha256_hex(bytes))
    } else {
        Err(InputError::new(
            Position::new(&file, 1, 1),
            "not a factor base: unknown header",
        )
        .help(format!(
            "use an ADEME Base Carbone export as downloaded (CSV, data-fair CSV or JSON, .xlsx), or a CSV with the header {}",
            factor_csv::HEADER.join(",")
        )))
    }
}
