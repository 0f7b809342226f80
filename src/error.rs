//! Errors about the user's input: where (file, line, column), what, and what to do.

use std::fmt;
use std::sync::Arc;

/// A position in an input file (1-based line and column; 0 when unknown).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Position {
    /// The file, as the user named it.
    pub file: Arc<str>,
    /// 1-based line, 0 when unknown.
    pub line: u64,
    /// 1-based column, 0 when unknown.
    pub column: u64,
}

impl Position {
    /// A position in `file` at `line`:`column`.
    pub fn new(file: &Arc<str>, line: u64, column: u64) -> Self {
        Position {
            file: Arc::clone(file),
            line,
            column,
        }
    }

    /// The whole file, no line known.
    pub fn file(file: &Arc<str>) -> Self {
        Position::new(file, 0, 0)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.file),
            (line, 0) => write!(f, "{}:{line}", self.file),
            (line, column) => write!(f, "{}:{line}:{column}", self.file),
        }
    }
}

/// Errors printed per file; the rest are counted.
pub const PER_FILE: usize = 100;

/// The longest source line quoted under an error, in characters.
const SNIPPET_CHARS: usize = 200;

/// One problem found in the input, with its place and a hint to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// Where the problem is.
    pub position: Position,
    /// What is wrong, quoting the offending value.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The source line, for display under the message.
    pub snippet: Option<String>,
}

impl InputError {
    /// An error at `position`.
    pub fn new(position: Position, message: impl Into<String>) -> Self {
        InputError {
            position,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    /// Adds a hint saying what to do.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds the source line the error points at, taken from `text`.
    #[must_use]
    pub fn with_source(self, text: &str) -> Self {
        self.with_line(&Lines::new(text))
    }

    /// Adds the source line the error points at, found in `lines` in constant time.
    #[must_use]
    pub fn with_line(self, lines: &Lines<'_>) -> Self {
        let line = usize::try_from(self.position.line.saturating_sub(1))
            .ok()
            .and_then(|index| lines.get(index));
        self.with_line_text(line)
    }

    /// Adds `line`, the text of the line the error points at, as its snippet.
    #[must_use]
    pub fn with_line_text(mut self, line: Option<&str>) -> Self {
        if self.position.line > 0 {
            // A very long line (minified YAML, a nesting bomb) is cut rather than echoed whole.
            let column = usize::try_from(self.position.column).unwrap_or(usize::MAX);
            self.snippet = line.and_then(|l| {
                let l = l.trim_end();
                match l.char_indices().nth(SNIPPET_CHARS) {
                    None => Some(l.to_string()),
                    Some((cut, _)) if column <= SNIPPET_CHARS => {
                        Some(format!("{}…", l.get(..cut).unwrap_or("")))
                    }
                    Some(_) => None,
                }
            });
        }
        self
    }
}

/// Where each line of a text starts, indexed once, so the line of each of 100,000 errors is
/// found in constant time.
#[derive(Clone, Debug, Default)]
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    /// Indexes `text`'s lines (`\n`, `\r\n`).
    pub fn new(text: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts(starts)
    }

    /// Line `index` (0-based) of `text` (the text indexed), without its line end; `None` past
    /// the last line, as [`str::lines`].
    pub fn line<'t>(&self, text: &'t str, index: usize) -> Option<&'t str> {
        let start = *self.0.get(index)?;
        if start >= text.len() {
            return None;
        }
        let end = self.0.get(index + 1).map_or(text.len(), |next| next - 1);
        let line = text.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// A text and its [`LineStarts`].
#[derive(Clone, Debug)]
pub struct Lines<'a> {
    text: &'a str,
    starts: LineStarts,
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            starts: LineStarts::new(text),
        }
    }

    /// Line `index` (0-based).
    pub fn get(&self, index: usize) -> Option<&'a str> {
        self.starts.line(self.text, index)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position, self.message)?;
        if let Some(snippet) = &self.snippet {
            let gutter = self.position.line.to_string();
            let pad = " ".repeat(gutter.len());
            write!(f, "\n{pad} |\n{gutter} | {snippet}")?;
            if self.position.column > 0 {
                // Columns count characters; a tab stays a tab so the caret lines up.
                let lead: String = snippet
                    .chars()
                    .take(usize::try_from(self.position.column - 1).unwrap_or(0))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n{pad} | {lead}^")?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// Every problem found in one pass over the input (a `check` reports them all).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct InputErrors(pub Vec<InputError>);

impl InputErrors {
    /// `Ok(value)` when `errors` is empty, else all of them, each with its line from `text`.
    pub fn or_ok<T>(errors: Vec<InputError>, text: &str, value: T) -> Result<T, InputErrors> {
        if errors.is_empty() {
            Ok(value)
        } else {
            let lines = Lines::new(text);
            Err(InputErrors(
                errors.into_iter().map(|e| e.with_line(&lines)).collect(),
            ))
        }
    }

    /// The errors as printed: each one, but after [`PER_FILE`] of one file a count of the rest
    /// (100,000 errors of a broken file are not worth 100,000 screens).
    pub fn printed(&self) -> Vec<String> {
        let mut shown: Vec<(Arc<str>, usize)> = Vec::new();
        let mut out = Vec::new();
        for error in &self.0 {
            let file = &error.position.file;
            let count = match shown.iter_mut().find(|(f, _)| f == file) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    shown.push((Arc::clone(file), 1));
                    1
                }
            };
            if count <= PER_FILE {
                out.push(error.to_string());
            }
        }
        for (file, count) in shown {
            if count > PER_FILE {
                out.push(format!(
                    "{file}: {} more errors not shown (fix the first ones and check again)",
                    count - PER_FILE
                ));
            }
        }
        out
    }

    /// One error.
    pub fn one(error: InputError) -> Self {
        InputErrors(vec![error])
    }
}

impl From<InputError> for InputErrors {
    fn from(error: InputError) -> Self {
        InputErrors::one(error)
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} errors", self.0.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

/// A command line that asks for something that does not go together (`--lines` with a table):
/// exit 2, like the errors clap finds itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage(pub String);

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Returns early with a [`Usage`] error: `usage!("--lines applies to --format csv")`.
#[macro_export]
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err($crate::error::Usage(format!($($arg)*)).into())
    };
}
