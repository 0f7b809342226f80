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
    pub fn with_source(mut self, text: &str) -> Self {
        if self.position.line > 0 {
            let index = usize::try_from(self.position.line - 1).unwrap_or(usize::MAX);
            // A very long line (minified YAML, a nesting bomb) is cut rather than echoed whole.
            let column = usize::try_from(self.position.column).unwrap_or(usize::MAX);
            self.snippet = text.lines().nth(index).and_then(|l| {
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
            Err(InputErrors(
                errors.into_iter().map(|e| e.with_source(text)).collect(),
            ))
        }
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
