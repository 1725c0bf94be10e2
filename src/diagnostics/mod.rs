//! Diagnostics as they cross the library's API: one typed value, a
//! [`Diagnostic`], with its [`Code`] (from the registry in [`codes`]), its
//! message, help and labels, each label with its file, line and column.
//! miette draws it for a terminal, and the SARIF, GitHub and JUnit writers
//! and an editor read its fields; none of them needs to know which stage
//! made it.
//!
//! Inside the crate each stage keeps its own error type (derived with
//! miette for its labels and help); [`Coded`] names the code of each, and
//! converting one into a [`Diagnostic`] is the one place its places are
//! worked out.

mod codes;

use std::sync::Arc;

use miette::{LabeledSpan, Severity, SourceSpan};
use thiserror::Error;

pub use codes::Code;
pub(crate) use codes::DOCS_URL;

/// An internal error type whose code is one of the registry's.
pub(crate) trait Coded: miette::Diagnostic + Send + Sync + 'static {
    /// The code this error is reported under.
    fn diagnostic_code(&self) -> Code;
}

/// A line and column, both counted from 1 (columns in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
}

/// A place a diagnostic points at, with the words under it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Label {
    /// The file's name as the diagnostic shows it (`None`: no file, such as
    /// a date expression given on the command line).
    pub file: Option<Arc<str>>,
    /// The byte offset of the place in its file.
    pub offset: usize,
    /// Its length in bytes.
    pub len: usize,
    /// Where it starts.
    pub start: Position,
    /// Where it ends: the column just after its last character.
    pub end: Position,
    /// The words under the underline, if any.
    pub text: Option<String>,
}

/// One diagnostic of any stage: what every function of the library that can
/// fail, or warn, returns.
#[derive(Debug)]
#[non_exhaustive]
pub struct Diagnostic {
    /// The registry's code; its severity is the diagnostic's.
    pub code: Code,
    /// What is wrong, in a sentence.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Where: the first label is the main place, the others more places in
    /// the same file (the first declaration of a name declared twice).
    pub labels: Vec<Label>,
    /// Places in other files that bear on it: the data rows a verdict was
    /// decided on, each with what the row says as its text.
    pub related: Vec<Label>,
    /// What draws it: the stage's own error, with its source text.
    drawn: Box<dyn miette::Diagnostic + Send + Sync>,
}

impl Diagnostic {
    /// A diagnostic with no place in a file: a mistake on the command line,
    /// or a file that could not be written.
    pub fn unlocated(code: Code, message: impl Into<String>, help: Option<String>) -> Self {
        let message = message.into();
        Diagnostic {
            code,
            drawn: Box::new(Plain {
                message: message.clone(),
            }),
            message,
            help,
            labels: Vec::new(),
            related: Vec::new(),
        }
    }

    /// Error or warning, from the registry.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Whether it is only a warning.
    pub fn is_warning(&self) -> bool {
        self.severity() == Severity::Warning
    }

    /// The main place, if it has one.
    pub fn primary(&self) -> Option<&Label> {
        self.labels.first()
    }

    /// The message with its help on the next line, as the CI formats write it.
    pub fn message_with_help(&self) -> String {
        match &self.help {
            Some(help) => format!("{}\nhelp: {help}", self.message),
            None => self.message.clone(),
        }
    }
}

/// The text of a diagnostic with no place: drawn as its message alone.
#[derive(Debug, Error)]
#[error("{message}")]
struct Plain {
    message: String,
}

impl miette::Diagnostic for Plain {}

impl<E: Coded> From<E> for Diagnostic {
    fn from(error: E) -> Self {
        let labels = labels_of(&error);
        let related = error
            .related()
            .into_iter()
            .flatten()
            .flat_map(|r| {
                let text = r.to_string();
                labels_of(r).into_iter().map(move |mut l| {
                    l.text = Some(text.clone());
                    l
                })
            })
            .collect();
        Diagnostic {
            code: error.diagnostic_code(),
            message: error.to_string(),
            help: miette::Diagnostic::help(&error).map(|h| h.to_string()),
            labels,
            related,
            drawn: Box::new(error),
        }
    }
}

/// The places an error points at, worked out once from its source text.
fn labels_of(error: &dyn miette::Diagnostic) -> Vec<Label> {
    let (Some(labels), Some(src)) = (error.labels(), error.source_code()) else {
        return Vec::new();
    };
    labels
        .filter_map(|label| {
            let start = src.read_span(label.inner(), 0, 0).ok()?;
            let last = label.offset() + label.len().saturating_sub(1);
            let end = src
                .read_span(&SourceSpan::from((last, 0)), 0, 0)
                .ok()
                .map_or((start.line(), start.column()), |e| {
                    (e.line(), e.column() + usize::from(!label.is_empty()))
                });
            Some(Label {
                file: start.name().map(Arc::from),
                offset: label.offset(),
                len: label.len(),
                start: Position {
                    line: start.line() + 1,
                    column: start.column() + 1,
                },
                end: Position {
                    line: end.0 + 1,
                    column: end.1 + 1,
                },
                text: label.label().map(str::to_string),
            })
        })
        .collect()
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }
    fn severity(&self) -> Option<Severity> {
        Some(self.code.severity())
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.drawn.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.drawn.labels()
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        self.drawn.related()
    }
}

/// A mistake at one place in one file, whose code is chosen when it is
/// made: the shape shared by the checker's, the data loader's, the lints'
/// and the test runner's errors that have one code per kind of mistake.
#[derive(Debug, Error)]
#[error("{message}")]
pub(crate) struct Located {
    /// The code.
    pub code: Code,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The file it is in.
    pub src: crate::source::Named,
    /// Where.
    pub span: SourceSpan,
    /// The words under the underline.
    pub label: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl miette::Diagnostic for Located {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}

impl Coded for Located {
    fn diagnostic_code(&self) -> Code {
        self.code
    }
}

/// Converts many errors of a stage.
pub(crate) fn all<E: Coded>(errors: impl IntoIterator<Item = E>) -> Vec<Diagnostic> {
    errors.into_iter().map(Diagnostic::from).collect()
}
