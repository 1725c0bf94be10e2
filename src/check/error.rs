//! The checker's diagnostics: each with a stable code, a label and help.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A mistake in a notice that parses but does not make sense.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum CheckError {
    /// A name that is not declared.
    #[error("unknown {what} `{name}`")]
    #[diagnostic(code(notice::check::unknown_name))]
    UnknownName {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("not declared in this notice")]
        span: SourceSpan,
        what: &'static str,
        name: String,
        #[help]
        help: Option<String>,
    },
    /// A name declared twice.
    #[error("`{name}` is declared twice")]
    #[diagnostic(
        code(notice::check::duplicate_name),
        help("rename one of them, or remove the second")
    )]
    DuplicateName {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("declared again here")]
        span: SourceSpan,
        #[label("first declared here")]
        first: SourceSpan,
        name: String,
    },
    /// Two measures with the same number.
    #[error("measure `{id}` appears twice")]
    #[diagnostic(
        code(notice::check::duplicate_measure),
        help("give each measure the number the notice gives it, once")
    )]
    DuplicateMeasure {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("again here")]
        span: SourceSpan,
        #[label("first here")]
        first: SourceSpan,
        id: String,
    },
    /// A header field given twice.
    #[error("`{field}` is given twice")]
    #[diagnostic(code(notice::check::duplicate_field), help("keep one `{field}` line"))]
    DuplicateField {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("again here")]
        span: SourceSpan,
        #[label("first here")]
        first: SourceSpan,
        field: &'static str,
    },
    /// A header field the notice must have.
    #[error("the notice has no `{field}`")]
    #[diagnostic(code(notice::check::missing_field))]
    MissingField {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("in this notice")]
        span: SourceSpan,
        field: &'static str,
        #[help]
        help: String,
    },
    /// Two values of units that cannot be compared or added.
    #[error("cannot {verb} {left} and {right}")]
    #[diagnostic(code(notice::check::unit_mismatch))]
    UnitMismatch {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{left}")]
        left_span: SourceSpan,
        #[label("{right}")]
        right_span: SourceSpan,
        verb: &'static str,
        left: String,
        right: String,
        #[help]
        help: String,
    },
    /// A rating compared with a number.
    #[error("cannot compare a rating with a number")]
    #[diagnostic(code(notice::check::rating_vs_number))]
    RatingVsNumber {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{rating}")]
        rating_span: SourceSpan,
        #[label("{number}")]
        number_span: SourceSpan,
        rating: String,
        number: String,
        #[help]
        help: String,
    },
    /// A date that is not on the calendar.
    #[error("`{text}` is not a date")]
    #[diagnostic(
        code(notice::check::invalid_date),
        help("dates are YYYY-MM-DD and must exist: February 2012 has 29 days")
    )]
    InvalidDate {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("no such day")]
        span: SourceSpan,
        text: String,
    },
    /// Date arithmetic that cannot be done.
    #[error("cannot compute this date: {reason}")]
    #[diagnostic(code(notice::check::date_error))]
    DateError {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("here")]
        span: SourceSpan,
        reason: String,
        #[help]
        help: Option<String>,
    },
    /// A milestone defined in terms of itself.
    #[error("milestone `{name}` is defined in terms of itself")]
    #[diagnostic(
        code(notice::check::milestone_cycle),
        help("define one of the milestones in the cycle from `issued` or a date: {cycle}")
    )]
    MilestoneCycle {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("this definition leads back to `{name}`")]
        span: SourceSpan,
        name: String,
        cycle: String,
    },
    /// A number that cannot be held exactly.
    #[error("`{text}` is not a number notice can hold")]
    #[diagnostic(
        code(notice::check::bad_number),
        help("numbers have at most 28 significant digits")
    )]
    BadNumber {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("this number")]
        span: SourceSpan,
        text: String,
    },
    /// Something allowed by the grammar but meaningless here.
    #[error("{message}")]
    #[diagnostic(code(notice::check::invalid))]
    Invalid {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        message: String,
        label: String,
        #[help]
        help: Option<String>,
    },
    /// A lint: the notice checks, but probably does not say what was meant.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Lint(#[from] super::lint::Lint),
    /// A deadline that falls before the notice was issued.
    #[error("deadline {deadline} is before the notice was issued ({issued})")]
    #[diagnostic(
        code(notice::check::deadline_before_issued),
        severity(Warning),
        help("a notice cannot require something before it exists: check the date or the anchor")
    )]
    DeadlineBeforeIssued {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("due {deadline}")]
        span: SourceSpan,
        deadline: String,
        issued: String,
    },
}

impl CheckError {
    /// Whether this is only a warning.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            CheckError::DeadlineBeforeIssued { .. } | CheckError::Lint(_)
        )
    }
}
