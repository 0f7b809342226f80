//! Text encoding detection: UTF-8 (with or without BOM), else Windows-1252.
//! (Placeholder until the full loader lands.)
use crate::error::InputError;
use std::borrow::Cow;
use std::sync::Arc;

/// Decodes a file's bytes.
pub fn decode<'a>(_file: &Arc<str>, bytes: &'a [u8]) -> Result<Cow<'a, str>, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Ok(String::from_utf8_lossy(bytes))
}
