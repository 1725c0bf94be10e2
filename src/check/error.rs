//! The checker's diagnostics: each with a stable code, a label and help.

use miette::{Diagnostic, SourceSpan};
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
    #[diagnostic(
        code(notice::check::duplicate_name),
        help("rename one of them, or remove the second")
    )]
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
    #[diagnostic(
        code(notice::check::duplicate_measure),
        help("give each measure the number the notice gives it, once")
    )]
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
    #[diagnostic(code(notice::check::duplicate_field), help("keep one `{field}` line"))]
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
    #[diagnostic(code(notice::check::missing_field))]
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
    #[diagnostic(code(notice::check::unit_mismatch))]
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
    #[diagnostic(code(notice::check::rating_vs_number))]
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
    #[diagnostic(
        code(notice::check::invalid_date),
        help("dates are YYYY-MM-DD and must exist: February 2012 has 29 days")
    )]
    InvalidDate {
        #[source_code]
        src: crate::source::Named,
        #[label("no such day")]
        span: SourceSpan,
        text: String,
    },
    /// Date arithmetic that cannot be done.
    #[error("cannot compute this date: {reason}")]
    #[diagnostic(code(notice::check::date_error))]
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
    #[diagnostic(
        code(notice::check::milestone_cycle),
        help("define one of the milestones in the cycle from `issued` or a date: {cycle}")
    )]
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
    #[diagnostic(
        code(notice::check::bad_number),
        help("numbers have at most 28 significant digits")
    )]
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
    pub fn is_warning(&self) -> bool {
        crate::diagnostics::is_warning(self)
    }

    /// Whether this is a warning about `src` silenced there by `// allow(NAME)`.
    pub fn silenced_in(&self, src: &crate::source::SourceFile) -> bool {
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
        kind: InvalidKind,
        src: &crate::source::SourceFile,
        span: crate::source::Span,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> CheckError {
        CheckError::Invalid(crate::diagnostics::Located {
            code: kind.code(),
            message,
            src: src.named(),
            span: span.into(),
            label: label.to_string(),
            help,
        })
    }
}

/// Which meaningless construction: each has its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidKind {
    /// `issued` or a milestone in a date expression standing alone.
    AnchorOutsideNotice,
    /// A name declared by a library the notice uses, declared again.
    DeclaredInLibrary,
    /// A recurring duty that ends before it starts.
    EmptyDuty,
    /// `for 0 consecutive ...`.
    EmptySustained,
    /// `every ...` and `for N consecutive ...` together.
    SustainedRecurring,
    /// A trend of a metric with no direction.
    TrendWithoutDirection,
    /// An aggregate without a window, at one date, or a mean of a rating.
    BadAggregate,
    /// A rating level with an area, date or aggregate.
    LevelAsMetric,
    /// A window `from A until B` whose A is after its B.
    ReversedWindow,
    /// An evidence kind read as if it were a metric.
    EvidenceAsMetric,
    /// `every N months` where N does not divide a year, or `every 0 ...`.
    NotACalendarPeriod,
    /// `at least every ...` on a condition that is not made of records.
    RollingNotDelivery,
    /// A trend's `by at least` in a unit the metric does not move in, or negative.
    BadTolerance,
    /// More periods (`for N consecutive weeks`, `every N weeks`) than the
    /// supported years hold.
    TooManyPeriods,
}

impl InvalidKind {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            InvalidKind::AnchorOutsideNotice => "notice::check::anchor_outside_notice",
            InvalidKind::DeclaredInLibrary => "notice::check::declared_in_library",
            InvalidKind::EmptyDuty => "notice::check::empty_duty",
            InvalidKind::EmptySustained => "notice::check::empty_sustained",
            InvalidKind::SustainedRecurring => "notice::check::sustained_recurring",
            InvalidKind::TrendWithoutDirection => "notice::check::trend_without_direction",
            InvalidKind::BadAggregate => "notice::check::bad_aggregate",
            InvalidKind::LevelAsMetric => "notice::check::level_as_metric",
            InvalidKind::ReversedWindow => "notice::check::reversed_window",
            InvalidKind::EvidenceAsMetric => "notice::check::evidence_as_metric",
            InvalidKind::NotACalendarPeriod => "notice::check::not_a_calendar_period",
            InvalidKind::RollingNotDelivery => "notice::check::rolling_not_delivery",
            InvalidKind::BadTolerance => "notice::check::bad_tolerance",
            InvalidKind::TooManyPeriods => "notice::check::too_many_periods",
        }
    }
}
