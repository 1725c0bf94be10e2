//! The registry of diagnostic codes: every distinct mistake has one stable
//! code, and this table is the one place its severity and its one-line
//! description live. Every warning is built on [`Located`] (or, for
//! verdicts, reads [`severity`]), so it takes its severity from here; the
//! errors derived with `miette` have none of their own, which miette reads
//! as an error (tests/codes.rs checks each produced diagnostic against this
//! table). `docs/language.md` lists the same codes (a test keeps
//! them in step, and another that each is produced by some fixture).

use miette::{Diagnostic, LabeledSpan, Severity, SourceSpan};
use thiserror::Error;

/// One diagnostic code.
#[derive(Debug, Clone, Copy)]
pub struct Code {
    /// The stable code, `notice::STAGE::NAME`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What it reports, in a line.
    pub summary: &'static str,
}

const fn error(code: &'static str, summary: &'static str) -> Code {
    Code {
        code,
        severity: Severity::Error,
        summary,
    }
}

const fn warning(code: &'static str, summary: &'static str) -> Code {
    Code {
        code,
        severity: Severity::Warning,
        summary,
    }
}

/// Every code, by stage.
pub const CODES: &[Code] = &[
    // Files
    error(
        "notice::file::not_found",
        "a file named on the command line, in `data` or in a test file does not exist",
    ),
    error(
        "notice::file::unreadable",
        "a file exists but cannot be read",
    ),
    error("notice::file::not_utf8", "a file is not UTF-8 text"),
    // Syntax
    error(
        "notice::syntax::unexpected",
        "the text does not fit the grammar here",
    ),
    error(
        "notice::syntax::too_deep",
        "brackets or `not` nested deeper than the parser allows",
    ),
    error(
        "notice::syntax::number_too_large",
        "a whole number too large to use",
    ),
    error(
        "notice::syntax::not_a_notice",
        "a library given where a notice is needed",
    ),
    error(
        "notice::syntax::internal",
        "the parser met a shape the grammar rules out (a bug in notice)",
    ),
    // Libraries
    error(
        "notice::uses::not_found",
        "a `use` names a file that cannot be read",
    ),
    error(
        "notice::uses::outside",
        "a `use` leaves the notice's folder",
    ),
    error("notice::uses::cycle", "libraries that use each other"),
    error(
        "notice::uses::not_a_library",
        "a `use` names a notice, not a library",
    ),
    // Check
    error("notice::check::unknown_name", "a name that is not declared"),
    error(
        "notice::check::duplicate_name",
        "a name declared twice in one file",
    ),
    error(
        "notice::check::declared_in_library",
        "a name the notice declares again after a library it uses",
    ),
    error(
        "notice::check::duplicate_measure",
        "two measures with one number",
    ),
    error(
        "notice::check::duplicate_field",
        "a header field given twice",
    ),
    error(
        "notice::check::missing_field",
        "a header field the notice must have",
    ),
    error(
        "notice::check::unit_mismatch",
        "values of units that cannot be compared, added or subtracted",
    ),
    error(
        "notice::check::rating_vs_number",
        "a rating compared with a number",
    ),
    error(
        "notice::check::invalid_date",
        "a date that is not on the calendar",
    ),
    error(
        "notice::check::date_error",
        "date arithmetic that cannot be done",
    ),
    error(
        "notice::check::anchor_outside_notice",
        "`issued` or a milestone in a date expression that stands alone",
    ),
    error(
        "notice::check::milestone_cycle",
        "a milestone defined in terms of itself",
    ),
    error(
        "notice::check::bad_number",
        "a number with more digits than can be held exactly",
    ),
    error(
        "notice::check::empty_duty",
        "a recurring duty that ends before it starts",
    ),
    error("notice::check::empty_sustained", "`for 0 consecutive ...`"),
    error(
        "notice::check::sustained_recurring",
        "a recurring duty that is also sustained",
    ),
    error(
        "notice::check::trend_without_direction",
        "a trend of a metric with no better direction",
    ),
    error(
        "notice::check::bad_aggregate",
        "an aggregate without a window, at one date, or a mean of a rating",
    ),
    error(
        "notice::check::level_as_metric",
        "a rating level written with an area, date or aggregate",
    ),
    error(
        "notice::check::reversed_window",
        "a window `from A until B` that starts after it ends",
    ),
    error(
        "notice::check::evidence_as_metric",
        "an evidence kind used where a metric's value is read",
    ),
    error(
        "notice::check::not_a_calendar_period",
        "`every N months` where N does not divide a year, or an empty period",
    ),
    error(
        "notice::check::rolling_not_delivery",
        "`at least every ...` on a condition that is not made of records",
    ),
    error(
        "notice::check::bad_tolerance",
        "a trend's `by at least` in a unit the metric does not move in, or negative",
    ),
    error(
        "notice::check::too_many_periods",
        "more periods (`for N consecutive weeks`, `every week from A until B`) than the 2,000 a duty may span",
    ),
    warning(
        "notice::check::unconfirmed_holidays",
        "working days counted in a year whose bank holidays are not yet published",
    ),
    warning(
        "notice::check::deadline_before_issued",
        "a deadline before the notice was issued",
    ),
    // Lints
    warning(
        "notice::lint::unused_metric",
        "a metric no requirement uses",
    ),
    warning(
        "notice::lint::unused_evidence",
        "an evidence kind nothing requires",
    ),
    warning(
        "notice::lint::impossible_requirement",
        "a requirement that cannot be met as written",
    ),
    warning(
        "notice::lint::measure_without_requirement",
        "a measure with nothing to check",
    ),
    warning(
        "notice::lint::measure_without_text",
        "a measure that does not quote the notice",
    ),
    warning(
        "notice::lint::confusable_names",
        "two declared names that read alike",
    ),
    warning(
        "notice::lint::undeclared_data_metric",
        "a comparator row for a metric the notice does not declare",
    ),
    warning(
        "notice::lint::unknown_allow",
        "`// allow(NAME)` naming no warning",
    ),
    // Data
    error(
        "notice::data::no_data",
        "no data given and the notice names none",
    ),
    error(
        "notice::data::empty_folder",
        "a data folder with no CSV files",
    ),
    error(
        "notice::data::unknown_table",
        "a CSV that is neither observations nor evidence",
    ),
    error(
        "notice::data::bad_row",
        "a row that is not well-formed CSV or has the wrong number of fields",
    ),
    error(
        "notice::data::unknown_metric",
        "a row of the council's for a metric the notice does not declare",
    ),
    error(
        "notice::data::unknown_evidence_kind",
        "a record of an evidence kind the notice does not declare",
    ),
    error("notice::data::bad_date", "a date field that is not a date"),
    error(
        "notice::data::outside_notice",
        "a data path in a notice that leads outside the notice's folder",
    ),
    error(
        "notice::data::bad_workbook",
        "a workbook that cannot be read, or has no sheet of the name given",
    ),
    warning(
        "notice::data::sheet_not_read",
        "a sheet whose first row is not a table's header, passed over when no sheet is named",
    ),
    error(
        "notice::data::bad_period",
        "a published statistics period (time_period, time_identifier) that is not one this tool reads",
    ),
    error(
        "notice::data::published_before_date",
        "a figure published before the date it is for",
    ),
    error("notice::data::empty_value", "an empty value field"),
    error(
        "notice::data::bad_value",
        "a value not in the metric's unit",
    ),
    error(
        "notice::data::percent_out_of_range",
        "a percent outside 0 to 100",
    ),
    error(
        "notice::data::not_a_count",
        "a count that is not a whole number of 0 or more",
    ),
    error(
        "notice::data::unknown_level",
        "a rating that is not a level of the metric's scale",
    ),
    error(
        "notice::data::bad_grouping",
        "a number whose commas are not thousands separators (`6,1%`)",
    ),
    error(
        "notice::data::too_many_digits",
        "a value with more digits than can be held exactly",
    ),
    warning(
        "notice::data::percent_as_fraction",
        "a percent series whose values all lie between 0 and 1",
    ),
    error(
        "notice::data::header_only_column",
        "a header column that no row has",
    ),
    warning(
        "notice::data::areas_not_read",
        "rows of areas no rule reads, passed over (one warning counts them)",
    ),
    error(
        "notice::data::authority_near_miss",
        "no row for the notice's authority, but an area that nearly matches it",
    ),
    error(
        "notice::data::conflict",
        "two rows that disagree for one area, metric and date",
    ),
    // Evaluation
    error("notice::eval::not_met", "a requirement that is not met"),
    warning(
        "notice::eval::expectation_not_met",
        "an `expect` that is not met",
    ),
    warning(
        "notice::eval::unknown",
        "a requirement that cannot be judged: data missing",
    ),
    warning(
        "notice::eval::stale_data",
        "a verdict on data older than the metric's freshness",
    ),
    warning(
        "notice::eval::at_risk",
        "a requirement whose trend projects a miss at its deadline",
    ),
    // Test files
    error(
        "notice::test::invalid_file",
        "a test file that is not valid TOML of the test-file shape",
    ),
    error(
        "notice::test::bad_date",
        "a date in a test file that is not a date",
    ),
    error(
        "notice::test::unknown_status",
        "an expected status that is not one of the five",
    ),
    error(
        "notice::test::unknown_measure",
        "an expectation for a measure the notice does not have",
    ),
    error(
        "notice::test::unknown_requirement",
        "an expectation for a requirement number the measure does not have",
    ),
];

/// Codes no input can produce: they report a bug in notice itself.
pub const INTERNAL: &[&str] = &["notice::syntax::internal"];

/// The registry's entry for a code.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code == code)
}

/// A code's severity; a code missing from the registry is an error.
pub fn severity(code: &str) -> Severity {
    lookup(code).map_or(Severity::Error, |c| c.severity)
}

/// The code of a diagnostic, as text.
pub fn code_of(d: &(impl Diagnostic + ?Sized)) -> Option<String> {
    d.code().map(|c| c.to_string())
}

/// Whether a diagnostic is only a warning, by its code.
pub fn is_warning(d: &(impl Diagnostic + ?Sized)) -> bool {
    code_of(d).is_some_and(|c| severity(&c) == Severity::Warning)
}

/// A mistake at one place in one file, whose code is chosen when it is
/// made: the shape shared by the checker's, the data loader's, the lints'
/// and the test runner's errors that have one code per kind of mistake.
#[derive(Debug, Error)]
#[error("{message}")]
pub struct Located {
    /// The stable code (one of [`CODES`]).
    pub code: &'static str,
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

impl Diagnostic for Located {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<Severity> {
        Some(severity(self.code))
    }
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

/// Boxes a diagnostic for rendering.
pub fn boxed<E: Diagnostic + Send + Sync + 'static>(e: E) -> crate::Diag {
    Box::new(e)
}

/// Boxes many.
pub fn boxed_all<E: Diagnostic + Send + Sync + 'static>(
    errors: impl IntoIterator<Item = E>,
) -> Vec<crate::Diag> {
    errors.into_iter().map(boxed).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in CODES {
            assert!(seen.insert(c.code), "{} twice", c.code);
            let parts: Vec<&str> = c.code.split("::").collect();
            assert_eq!(parts.len(), 3, "{}", c.code);
            assert_eq!(parts.first(), Some(&"notice"));
        }
        for i in INTERNAL {
            assert!(lookup(i).is_some());
        }
    }
}
