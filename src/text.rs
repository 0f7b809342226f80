//! Small text helpers: accent folding for search, and text
//! from input files made safe to print on a terminal.

/// Lowercase with French accents removed and ligatures spelled out (`œ` → `oe`), for accent-
/// and case-insensitive matching: Base Carbone writes both "Bœuf" and "Boeuf".
pub fn fold(text: &str) -> String {
    folded_chars(text).collect()
}

/// True when [`fold`]`(text)` starts with `prefix` (itself folded), without building the
/// folded text: the assignment rules ask it of a factor's name for every line.
pub fn folded_starts_with(text: &str, prefix: &str) -> bool {
    let mut folded = folded_chars(text);
    prefix.chars().all(|c| folded.next() == Some(c))
}

/// The characters of [`fold`]`(text)`.
fn folded_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(char::to_lowercase).flat_map(|c| {
        let (first, second) = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => ('a', None),
            'é' | 'è' | 'ê' | 'ë' => ('e', None),
            'î' | 'ï' | 'í' | 'ì' => ('i', None),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => ('o', None),
            'ù' | 'û' | 'ü' | 'ú' => ('u', None),
            'ç' => ('c', None),
            'ÿ' => ('y', None),
            'ñ' => ('n', None),
            'œ' => ('o', Some('e')),
            'æ' => ('a', Some('e')),
            other => (other, None),
        };
        std::iter::once(first).chain(second)
    })
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
        assert!(folded_starts_with("Traînées de condensation", "trainee"));
        assert!(folded_starts_with("Œuvre", "oeu"));
        assert!(folded_starts_with("Bœuf", "boeuf"));
        assert!(!folded_starts_with("Bœuf", "boeufs"));
        assert!(!folded_starts_with("Transit", "transport"));
        assert!(folded_starts_with("anything", ""));
    }
}
