//! Text encoding detection: UTF-8 (with or without BOM), else Windows-1252.
//!
//! The official Base Carbone download is Windows-1252; files re-saved by spreadsheets are often
//! UTF-8, sometimes with a BOM. UTF-16 ("Unicode text" in Excel) is refused with a hint rather
//! than decoded into garbage.

use crate::error::{InputError, Position};
use std::borrow::Cow;
use std::sync::Arc;

pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a file's bytes are text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (any BOM already stripped).
    Utf8,
    /// Windows-1252 (the WHATWG mapping: every byte has a meaning).
    Windows1252,
}

impl Encoding {
    /// `bytes` as text: borrowed for UTF-8 and for ASCII. Bytes of a file [`detect`]ed as
    /// UTF-8 and cut at ASCII bytes are valid UTF-8; anything else reads as empty.
    pub fn text(self, bytes: &[u8]) -> Cow<'_, str> {
        match self {
            Encoding::Utf8 => Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or("")),
            Encoding::Windows1252 => {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
        }
    }
}

/// Finds how a text file is encoded without decoding it: UTF-8 BOM → UTF-8 (the body after
/// the BOM); valid UTF-8 → UTF-8; UTF-16 BOM or NUL bytes → error; anything else →
/// Windows-1252. Returns the body (the bytes after any BOM) and its encoding.
pub fn detect<'a>(file: &Arc<str>, bytes: &'a [u8]) -> Result<(&'a [u8], Encoding), InputError> {
    if bytes.is_empty() {
        return Err(empty(file));
    }
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        if rest.is_empty() {
            return Err(empty(file));
        }
        return match std::str::from_utf8(rest) {
            Ok(_) => Ok((rest, Encoding::Utf8)),
            Err(e) => Err(InputError::new(
                Position::file(file),
                format!(
                    "invalid UTF-8 at byte {} although the file starts with a UTF-8 BOM",
                    e.valid_up_to() + UTF8_BOM.len()
                ),
            )
            .help("save the file again as UTF-8 or Windows-1252")),
        };
    }
    // UTF-16 text has a BOM, or at least a NUL byte in every ASCII character.
    if starts_utf16(bytes) || bytes.contains(&0) {
        return Err(InputError::new(
            Position::file(file),
            "unsupported encoding (UTF-16?): save the file as UTF-8 or Windows-1252",
        ));
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Ok((bytes, Encoding::Utf8));
    }
    Ok((bytes, Encoding::Windows1252))
}

/// Whether `bytes` start with a UTF-16 byte order mark (either order).
pub fn starts_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")
}

/// Decodes a text file as [`detect`] finds it encoded. Borrows when the bytes are already
/// UTF-8.
pub fn decode<'a>(file: &Arc<str>, bytes: &'a [u8]) -> Result<Cow<'a, str>, InputError> {
    match detect(file, bytes)? {
        (body, Encoding::Utf8) => Ok(Cow::Borrowed(std::str::from_utf8(body).unwrap_or(""))),
        (body, Encoding::Windows1252) => Ok(Cow::Owned(decode_windows_1252(body))),
    }
}

/// [`decode`], refusing a file that mixes both encodings: not valid UTF-8 as a whole, yet
/// holding UTF-8 sequences of accented letters (`Ã©` once decoded), as when lines exported by
/// two programs are pasted together. Decoding it either way would garble some labels.
pub fn decode_one_encoding<'a>(
    file: &Arc<str>,
    bytes: &'a [u8],
) -> Result<Cow<'a, str>, InputError> {
    let text = decode(file, bytes)?;
    if let Cow::Owned(_) = &text
        && let Some(utf8) = bytes
            .windows(2)
            .position(|w| matches!(w, [0xC2..=0xDF, 0x80..=0xBF]))
    {
        let line_of = |at: usize| {
            bytes
                .get(..at)
                .map_or(1, |b| b.iter().filter(|c| **c == b'\n').count() + 1)
        };
        // The first byte that is not UTF-8.
        let at = std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        return Err(InputError::new(
            Position::new(file, line_of(at) as u64, 0),
            format!(
                "the file mixes encodings: UTF-8 on line {} and Windows-1252 here",
                line_of(utf8)
            ),
        )
        .help("export the file again from one program, or save it whole as UTF-8"));
    }
    Ok(text)
}

/// Decodes Windows-1252 (the WHATWG mapping: every byte has a meaning, so nothing fails).
fn decode_windows_1252(bytes: &[u8]) -> String {
    // encoding_rs sizes (and initialises) its buffer for 3 bytes per input byte: 32 MB touched
    // for the 10.7 MB export. A tight bound: ASCII → 1 byte, 0xA0–0xFF → 2, 0x80–0x9F → ≤ 3.
    let mut bound = bytes.len();
    // Per-chunk u8 counters (at most 2 × 127) let the loop vectorise.
    for chunk in bytes.chunks(127) {
        let extra = chunk.iter().fold(0u8, |n, &b| {
            n.wrapping_add(b >> 7)
                .wrapping_add(u8::from(b & 0xE0 == 0x80))
        });
        bound += usize::from(extra);
    }
    let mut text = String::with_capacity(bound);
    let mut decoder = encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling();
    let mut read = 0;
    loop {
        let rest = bytes.get(read..).unwrap_or_default();
        let (result, consumed, _) = decoder.decode_to_string(rest, &mut text, true);
        read += consumed;
        match result {
            encoding_rs::CoderResult::InputEmpty => return text,
            // Not expected with the bound above; grow rather than assume.
            encoding_rs::CoderResult::OutputFull => {
                text.reserve(3 * (bytes.len() - read) + 4);
            }
        }
    }
}

fn empty(file: &Arc<str>) -> InputError {
    InputError::new(Position::file(file), "empty file")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Arc<str> {
        Arc::from("base.csv")
    }

    #[test]
    fn utf8_is_borrowed() {
        let text = decode(&file(), "Électricité;0,052".as_bytes()).unwrap();
        assert_eq!(text, "Électricité;0,052");
        assert!(matches!(text, Cow::Borrowed(_)));
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let text = decode(&file(), b"\xEF\xBB\xBFType Ligne").unwrap();
        assert_eq!(text, "Type Ligne");
    }

    #[test]
    fn windows_1252_is_decoded() {
        // "Elément" and "€" as Windows-1252 bytes.
        let text = decode(&file(), b"El\xE9ment \x80").unwrap();
        assert_eq!(text, "Elément €");
    }

    #[test]
    fn every_windows_1252_byte_decodes_like_encoding_rs() {
        let bytes: Vec<u8> = (1..=255).chain([0xE9, 0x80, 0x9F, b'a']).collect();
        let (expected, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
        let text = decode(&file(), &bytes).unwrap();
        assert_eq!(text, expected);
        assert!(text.len() <= bytes.len() * 3);
    }

    #[test]
    fn utf16_is_refused() {
        for bytes in [
            &b"\xFF\xFET\x00y\x00"[..],
            &b"\xFE\xFF\x00T\x00y"[..],
            &b"T\x00y\x00p\x00e\x00"[..],
        ] {
            let error = decode(&file(), bytes).unwrap_err();
            assert_eq!(
                error.message,
                "unsupported encoding (UTF-16?): save the file as UTF-8 or Windows-1252"
            );
            assert_eq!(error.position.file.as_ref(), "base.csv");
        }
    }

    #[test]
    fn empty_file_is_refused() {
        assert_eq!(decode(&file(), b"").unwrap_err().message, "empty file");
        assert_eq!(decode(&file(), UTF8_BOM).unwrap_err().message, "empty file");
    }

    #[test]
    fn bad_utf8_after_bom_is_refused() {
        let error = decode(&file(), b"\xEF\xBB\xBFab\xE9").unwrap_err();
        assert!(
            error.message.contains("invalid UTF-8 at byte 5"),
            "{}",
            error.message
        );
    }
}
