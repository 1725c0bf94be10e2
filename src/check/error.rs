//! The checker's diagnostics: each with a stable code, a label and help.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::diagnostics::{Code, Coded};

/// A mistake in a notice that parses but does not make sense.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub(crate) enum CheckError {
    /// A name that is not declared.
    #[error("unknown {what} `{name}`")]
    UnknownName {
        #[source_code]
        src: crate::source::Named,
        #[label("not declared in this notice")]
        span: SourceSpan,
        what: &'static str,
        name: String,
        #[help]
        help: Option<String>,
    },
    /// A name declared twice.
    #[error("`{name}` is declared twice")]
    #[diagnostic(help("rename one of them, or remove the second"))]
    DuplicateName {
        #[source_code]
        src: crate::source::Named,
        #[label("declared again here")]
        span: SourceSpan,
        #[label("first declared here")]
        first: SourceSpan,
        name: String,
    },
    /// Two measures with the same number.
    #[error("measure `{id}` appears twice")]
    #[diagnostic(help("give each measure the number the notice gives it, once"))]
    DuplicateMeasure {
        #[source_code]
        src: crate::source::Named,
        #[label("again here")]
        span: SourceSpan,
        #[label("first here")]
        first: SourceSpan,
        id: String,
    },
    /// A header field given twice.
    #[error("`{field}` is given twice")]
    #[diagnostic(help("keep one `{field}` line"))]
    DuplicateField {
        #[source_code]
        src: crate::source::Named,
        #[label("again here")]
        span: SourceSpan,
        #[label("first here")]
        first: SourceSpan,
        field: &'static str,
    },
    /// A header field the notice must have.
    #[error("the notice has no `{field}`")]
    MissingField {
        #[source_code]
        src: crate::source::Named,
        #[label("in this notice")]
        span: SourceSpan,
        field: &'static str,
        #[help]
        help: String,
    },
    /// Two values of units that cannot be compared or added.
    #[error("cannot {verb} {left} and {right}")]
    UnitMismatch {
        #[source_code]
        src: crate::source::Named,
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
    RatingVsNumber {
        #[source_code]
        src: crate::source::Named,
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
    #[diagnostic(help("dates are YYYY-MM-DD and must exist: February 2012 has 29 days"))]
    InvalidDate {
        #[source_code]
        src: crate::source::Named,
        #[label("no such day")]
        span: SourceSpan,
        text: String,
    },
    /// Date arithmetic that cannot be done.
    #[error("cannot compute this date: {reason}")]
    DateError {
        #[source_code]
        src: crate::source::Named,
        #[label("here")]
        span: SourceSpan,
        reason: String,
        #[help]
        help: Option<String>,
    },
    /// A milestone defined in terms of itself.
    #[error("milestone `{name}` is defined in terms of itself")]
    #[diagnostic(help(
        "define one of the milestones in the cycle from `issued` or a date: {cycle}"
    ))]
    MilestoneCycle {
        #[source_code]
        src: crate::source::Named,
        #[label("this definition leads back to `{name}`")]
        span: SourceSpan,
        name: String,
        cycle: String,
    },
    /// A number that cannot be held exactly.
    #[error("`{text}` is not a number notice can hold")]
    #[diagnostic(help("numbers have at most 28 significant digits"))]
    BadNumber {
        #[source_code]
        src: crate::source::Named,
        #[label("this number")]
        span: SourceSpan,
        text: String,
    },
    /// Something allowed by the grammar but meaningless here: each its own code.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(crate::diagnostics::Located),
    /// A lint: the notice checks, but probably does not say what was meant.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Lint(#[from] super::lint::Lint),
    /// A deadline that falls before the notice was issued: a warning
    /// (`notice::check::deadline_before_issued`).
    #[error(transparent)]
    #[diagnostic(transparent)]
    DeadlineBeforeIssued(crate::diagnostics::Located),
    /// Working days counted in years whose bank holidays are not yet
    /// published: computed by the rule (`notice::check::unconfirmed_holidays`).
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnconfirmedHolidays(crate::diagnostics::Located),
}

impl CheckError {
    /// Whether this is only a warning (by the registry of codes).
    pub(crate) fn is_warning(&self) -> bool {
        self.diagnostic_code().severity() == miette::Severity::Warning
    }

    /// Whether this is a warning about `src` silenced there by `// allow(NAME)`.
    pub(crate) fn silenced_in(&self, src: &crate::source::SourceFile) -> bool {
        let located = match self {
            CheckError::DeadlineBeforeIssued(l)
            | CheckError::UnconfirmedHolidays(l)
            | CheckError::Lint(l) => l,
            _ => return false,
        };
        let span = crate::source::Span::new(
            located.span.offset(),
            located.span.offset() + located.span.len(),
        );
        self.is_warning()
            && located.src.name() == &*src.name
            && super::lint::silenced(src, located.code, span)
    }

    /// A mistake the grammar allows but that means nothing here.
    pub(crate) fn invalid(
        kind: Code,
        src: &crate::source::SourceFile,
        span: crate::source::Span,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> CheckError {
        CheckError::Invalid(crate::diagnostics::Located {
            code: kind,
            message,
            src: src.named(),
            span: span.into(),
            label: label.to_string(),
            help,
        })
    }
}

impl Coded for CheckError {
    fn diagnostic_code(&self) -> Code {
        match self {
            CheckError::UnknownName { .. } => Code::CheckUnknownName,
            CheckError::DuplicateName { .. } => Code::CheckDuplicateName,
            CheckError::DuplicateMeasure { .. } => Code::CheckDuplicateMeasure,
            CheckError::DuplicateField { .. } => Code::CheckDuplicateField,
            CheckError::MissingField { .. } => Code::CheckMissingField,
            CheckError::UnitMismatch { .. } => Code::CheckUnitMismatch,
            CheckError::RatingVsNumber { .. } => Code::CheckRatingVsNumber,
            CheckError::InvalidDate { .. } => Code::CheckInvalidDate,
            CheckError::DateError { .. } => Code::CheckDateError,
            CheckError::MilestoneCycle { .. } => Code::CheckMilestoneCycle,
            CheckError::BadNumber { .. } => Code::CheckBadNumber,
            CheckError::Invalid(l)
            | CheckError::Lint(l)
            | CheckError::DeadlineBeforeIssued(l)
            | CheckError::UnconfirmedHolidays(l) => l.code,
        }
    }
}
