//! Small text helpers: accent folding for search, and text
//! from input files made safe to print on a terminal.

/// Lowercase with French accents removed and ligatures spelled out (`œ` → `oe`), for accent-
/// and case-insensitive matching: Base Carbone writes both "Bœuf" and "Boeuf".
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => folded.push('a'),
            'é' | 'è' | 'ê' | 'ë' => folded.push('e'),
            'î' | 'ï' | 'í' | 'ì' => folded.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => folded.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => folded.push('u'),
            'ç' => folded.push('c'),
            'ÿ' => folded.push('y'),
            'ñ' => folded.push('n'),
            'œ' => folded.push_str("oe"),
            'æ' => folded.push_str("ae"),
            other => folded.push(other),
        }
    }
    folded
}

/// `text` with its control characters shown instead of sent to the terminal: ESC, BEL, CR,
/// backspace, DEL and the C1 controls (which drive cursor moves, colours, window titles and
/// hyperlinks) become `\u{1b}`-style escapes. Line feeds stay when `keep_newlines` (multi-line
/// messages), tabs always.
pub fn printable(text: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\t' && !(keep_newlines && c == '\n');
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(printable("Électricité\tsiège", false), "Électricité\tsiège");
        assert_eq!(
            printable("a\u{1b}]8;;http://x\u{7}b\r\n", false),
            "a\\u{1b}]8;;http://x\\u{7}b\\u{d}\\u{a}"
        );
        assert_eq!(printable("one\ntwo\u{9b}", true), "one\ntwo\\u{9b}");
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Électricité À Noël"), "electricite a noel");
        assert_eq!(fold("Bœuf, Œuf, ex æquo"), "boeuf, oeuf, ex aequo");
    }
}
