//! The registry of diagnostic codes, the one source of every code: its
//! text, severity, one-line summary and where it is documented. Every
//! diagnostic names its code by this enum; the table of codes in
//! `docs/language.md` is generated from it (a test keeps them in step), and
//! SARIF rules and editor diagnostics link to [`Code::docs_url`].

use miette::Severity;

/// Where the registry is documented: the rustdoc page of [`Code`], one
/// anchor a code. Changing where the docs are published is changing this line.
pub(crate) const DOCS_URL: &str = "https://docs.rs/notice-rules/latest/notice_rules/enum.Code.html";

macro_rules! codes {
    ($( $variant:ident = $text:literal, $severity:ident, $summary:literal; )*) => {
        /// A diagnostic code: one distinct mistake (or verdict) that
        /// notice reports. Each variant's documentation is its summary.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( #[doc = $summary] $variant, )*
        }

        impl Code {
            /// Every code, in the order of the documentation's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable code as written in diagnostics, `notice::STAGE::NAME`.
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// Error or warning.
            pub const fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// What it reports, in a line.
            pub const fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// The variant's name, the anchor of its documentation.
            const fn variant(self) -> &'static str {
                match self { $(Code::$variant => stringify!($variant),)* }
            }
        }
    };
}

codes! {
    // Files
    FileNotFound = "notice::file::not_found", Error, "a file named on the command line, in `data` or in a test file does not exist";
    FileUnreadable = "notice::file::unreadable", Error, "a file exists but cannot be read";
    FileNotUtf8 = "notice::file::not_utf8", Error, "a file is not UTF-8 text";
    FileExists = "notice::file::exists", Error, "a file the command would write already exists (`notice new` never overwrites)";
    FileNotWritten = "notice::file::not_written", Error, "an output file that cannot be written";
    FileOverwritesInput = "notice::file::overwrites_input", Error, "an output file that is one of the run's inputs (the notice, a library, a data file)";
    // Syntax
    SyntaxUnexpected = "notice::syntax::unexpected", Error, "the text does not fit the grammar here";
    SyntaxTooDeep = "notice::syntax::too_deep", Error, "brackets or `not` nested deeper than the parser allows";
    SyntaxNumberTooLarge = "notice::syntax::number_too_large", Error, "a whole number too large to use";
    SyntaxNotANotice = "notice::syntax::not_a_notice", Error, "a library given where a notice is needed";
    SyntaxInternal = "notice::syntax::internal", Error, "the parser met a shape the grammar rules out (a bug in notice)";
    // Libraries
    UsesNotFound = "notice::uses::not_found", Error, "a `use` names a file that cannot be read";
    UsesOutside = "notice::uses::outside", Error, "a `use` leaves the notice's folder";
    UsesCycle = "notice::uses::cycle", Error, "libraries that use each other";
    UsesNotALibrary = "notice::uses::not_a_library", Error, "a `use` names a notice, not a library";
    // Check
    CheckUnknownName = "notice::check::unknown_name", Error, "a name that is not declared";
    CheckDuplicateName = "notice::check::duplicate_name", Error, "a name declared twice in one file";
    CheckDeclaredInLibrary = "notice::check::declared_in_library", Error, "a name the notice declares again after a library it uses";
    CheckDuplicateMeasure = "notice::check::duplicate_measure", Error, "two measures with one number";
    CheckDuplicateField = "notice::check::duplicate_field", Error, "a header field given twice";
    CheckMissingField = "notice::check::missing_field", Error, "a header field the notice must have";
    CheckUnitMismatch = "notice::check::unit_mismatch", Error, "values of units that cannot be compared, added or subtracted";
    CheckRatingVsNumber = "notice::check::rating_vs_number", Error, "a rating compared with a number";
    CheckInvalidDate = "notice::check::invalid_date", Error, "a date that is not on the calendar";
    CheckDateError = "notice::check::date_error", Error, "date arithmetic that cannot be done";
    CheckAnchorOutsideNotice = "notice::check::anchor_outside_notice", Error, "`issued` or a milestone in a date expression that stands alone";
    CheckMilestoneCycle = "notice::check::milestone_cycle", Error, "a milestone defined in terms of itself";
    CheckBadNumber = "notice::check::bad_number", Error, "a number with more digits than can be held exactly";
    CheckEmptyDuty = "notice::check::empty_duty", Error, "a recurring duty that ends before it starts";
    CheckEmptySustained = "notice::check::empty_sustained", Error, "`for 0 consecutive ...`";
    CheckSustainedRecurring = "notice::check::sustained_recurring", Error, "a recurring duty that is also sustained";
    CheckTrendWithoutDirection = "notice::check::trend_without_direction", Error, "a trend of a metric with no better direction";
    CheckBadAggregate = "notice::check::bad_aggregate", Error, "an aggregate without a window, at one date, or a mean of a rating";
    CheckLevelAsMetric = "notice::check::level_as_metric", Error, "a rating level written with an area, date or aggregate";
    CheckReversedWindow = "notice::check::reversed_window", Error, "a window `from A until B` that starts after it ends";
    CheckEvidenceAsMetric = "notice::check::evidence_as_metric", Error, "an evidence kind used where a metric's value is read";
    CheckNotACalendarPeriod = "notice::check::not_a_calendar_period", Error, "`every N months` where N does not divide a year, or an empty period";
    CheckRollingNotDelivery = "notice::check::rolling_not_delivery", Error, "`at least every ...` on a condition that is not made of records";
    CheckBadTolerance = "notice::check::bad_tolerance", Error, "a trend's `by at least` in a unit the metric does not move in, or negative";
    CheckTooManyPeriods = "notice::check::too_many_periods", Error, "more periods (`for N consecutive weeks`, `every week from A until B`) than the 2,000 a duty may span";
    CheckUnconfirmedHolidays = "notice::check::unconfirmed_holidays", Warning, "working days counted in a year whose bank holidays are not yet published";
    CheckDeadlineBeforeIssued = "notice::check::deadline_before_issued", Warning, "a deadline before the notice was issued";
    // Lints
    LintUnusedMetric = "notice::lint::unused_metric", Warning, "a metric no requirement uses";
    LintUnusedEvidence = "notice::lint::unused_evidence", Warning, "an evidence kind nothing requires";
    LintImpossibleRequirement = "notice::lint::impossible_requirement", Warning, "a requirement that cannot be met as written";
    LintMeasureWithoutRequirement = "notice::lint::measure_without_requirement", Warning, "a measure with nothing to check";
    LintMeasureWithoutText = "notice::lint::measure_without_text", Warning, "a measure that does not quote the notice";
    LintMissingLabel = "notice::lint::missing_label", Warning, "a metric, evidence kind or milestone with no words for a reader";
    LintConfusableNames = "notice::lint::confusable_names", Warning, "two declared names that read alike";
    LintUndeclaredDataMetric = "notice::lint::undeclared_data_metric", Warning, "a comparator row for a metric the notice does not declare";
    LintUnknownAllow = "notice::lint::unknown_allow", Warning, "`// allow(NAME)` naming no warning";
    LintMisplacedAllow = "notice::lint::misplaced_allow", Warning, "`// allow(NAME)` of a data file's warning that is not on a `data` line";
    // Data
    DataNoData = "notice::data::no_data", Error, "no data given and the notice names none";
    DataEmptyFolder = "notice::data::empty_folder", Error, "a data folder with no CSV files";
    DataUnknownTable = "notice::data::unknown_table", Error, "a CSV that is neither observations nor evidence";
    DataBadRow = "notice::data::bad_row", Error, "a row that is not well-formed CSV or has the wrong number of fields";
    DataUnknownMetric = "notice::data::unknown_metric", Error, "a row of the council's for a metric the notice does not declare";
    DataUnknownEvidenceKind = "notice::data::unknown_evidence_kind", Error, "a record of an evidence kind the notice does not declare";
    DataBadDate = "notice::data::bad_date", Error, "a date field that is not a date";
    DataOutsideNotice = "notice::data::outside_notice", Error, "a data path in a notice that leads outside the notice's folder";
    DataBadWorkbook = "notice::data::bad_workbook", Error, "a workbook that cannot be read, or has no sheet of the name given";
    DataSheetNotRead = "notice::data::sheet_not_read", Warning, "a sheet whose first row is not a table's header, passed over when no sheet is named";
    DataBadPeriod = "notice::data::bad_period", Error, "a published statistics period (time_period, time_identifier) that is not one this tool reads";
    DataPublishedBeforeDate = "notice::data::published_before_date", Error, "a figure published before the date it is for";
    DataEmptyValue = "notice::data::empty_value", Error, "an empty value field";
    DataBadValue = "notice::data::bad_value", Error, "a value not in the metric's unit";
    DataPercentOutOfRange = "notice::data::percent_out_of_range", Error, "a percent outside 0 to 100";
    DataNotACount = "notice::data::not_a_count", Error, "a count that is not a whole number of 0 or more";
    DataUnknownLevel = "notice::data::unknown_level", Error, "a rating that is not a level of the metric's scale";
    DataBadGrouping = "notice::data::bad_grouping", Error, "a number whose commas are not thousands separators (`6,1%`)";
    DataTooManyDigits = "notice::data::too_many_digits", Error, "a value with more digits than can be held exactly";
    DataPercentAsFraction = "notice::data::percent_as_fraction", Warning, "a percent series whose values all lie between 0 and 1";
    DataHeaderOnlyColumn = "notice::data::header_only_column", Error, "a header column that no row has";
    DataAreasNotRead = "notice::data::areas_not_read", Warning, "rows of areas no rule reads, passed over (one warning counts them)";
    DataAuthorityNearMiss = "notice::data::authority_near_miss", Error, "no row for the notice's authority, but an area that nearly matches it";
    DataConflict = "notice::data::conflict", Error, "two rows that disagree for one area, metric and date";
    // Evaluation
    EvalNotMet = "notice::eval::not_met", Error, "a requirement that is not met";
    EvalExpectationNotMet = "notice::eval::expectation_not_met", Warning, "an `expect` that is not met";
    EvalUnknown = "notice::eval::unknown", Warning, "a requirement that cannot be judged: data missing";
    EvalStaleData = "notice::eval::stale_data", Warning, "a verdict on data older than the metric's freshness";
    EvalOlderFigure = "notice::eval::older_figure", Warning, "a verdict on an older figure: the newer one withheld (`c`), or older than the period the rule names";
    EvalAtRisk = "notice::eval::at_risk", Warning, "a requirement whose trend projects a miss at its deadline";
    // Test files
    TestInvalidFile = "notice::test::invalid_file", Error, "a test file that is not valid TOML of the test-file shape";
    TestBadDate = "notice::test::bad_date", Error, "a date in a test file that is not a date";
    TestUnknownStatus = "notice::test::unknown_status", Error, "an expected status that is not one of the five";
    TestUnknownMeasure = "notice::test::unknown_measure", Error, "an expectation for a measure the notice does not have";
    TestUnknownRequirement = "notice::test::unknown_requirement", Error, "an expectation for a requirement number the measure does not have";
    TestNoFiles = "notice::test::no_files", Error, "no test files (`NAME.test.toml`) in the paths given";
    // The command line
    UsageBadArguments = "notice::usage::bad_arguments", Error, "a command line that cannot be read: an unknown command or flag, or a value missing";
    UsageBadDate = "notice::usage::bad_date", Error, "a date on the command line (`--as-of`, `--from`, `--to`, `--known-at`, `--issued`) that is not a date";
    UsageReversedSpan = "notice::usage::reversed_span", Error, "dates given backwards: `--to` before `--from`, `--since` after `--as-of`";
    UsageTooManySteps = "notice::usage::too_many_steps", Error, "a timeline of more steps than it may take";
    UsageUnknownArea = "notice::usage::unknown_area", Error, "an `--area` the data has no rows of";
    UsageFixedArea = "notice::usage::fixed_area", Error, "an area the rules name as a comparator given to `--area` or `--areas`";
    UsageUnknownOwner = "notice::usage::unknown_owner", Error, "an `--owner` that owns nothing in the notice";
    UsageUnknownMeasure = "notice::usage::unknown_measure", Error, "a `--measure` the notice does not have";
    UsageEmptyAuthority = "notice::usage::empty_authority", Error, "an empty `--authority`";
    // Bugs
    InternalOutput = "notice::internal::output", Error, "an output notice could not make (JSON, the board paper's layout, a formatted file that would no longer parse): a bug in notice";
}

impl Code {
    /// The warnings about a data file that are raised while it is read,
    /// each silenced by `// allow(NAME)` on the notice's `data` line that
    /// brings the file in (or the line above it): the file is the
    /// council's, so the notice is where an author says a warning is expected.
    pub(crate) const DATA_FILE_WARNINGS: [Code; 4] = [
        Code::DataSheetNotRead,
        Code::DataAreasNotRead,
        Code::LintUndeclaredDataMetric,
        Code::DataPercentAsFraction,
    ];

    /// The code with this text (`notice::check::unknown_name`).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }

    /// The stage a code belongs to: `check` in `notice::check::unknown_name`.
    pub fn stage(self) -> &'static str {
        self.as_str().split("::").nth(1).unwrap_or_default()
    }

    /// The last part of the code, by which a warning is silenced (`// allow(NAME)`).
    pub fn name(self) -> &'static str {
        self.as_str().rsplit("::").next().unwrap_or_default()
    }

    /// Whether the code reports a bug in notice rather than a mistake in its input.
    pub fn is_internal(self) -> bool {
        matches!(self, Code::SyntaxInternal | Code::InternalOutput)
    }

    /// The address of the code's documentation.
    pub fn docs_url(self) -> String {
        format!("{DOCS_URL}#variant.{}", self.variant())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            let parts: Vec<&str> = c.as_str().split("::").collect();
            assert_eq!(parts.len(), 3, "{c}");
            assert_eq!(parts.first(), Some(&"notice"));
            assert_eq!(Code::parse(c.as_str()), Some(*c));
            assert!(!c.summary().is_empty());
        }
    }

    #[test]
    fn a_code_links_to_its_own_anchor() {
        assert_eq!(
            Code::CheckUnknownName.docs_url(),
            format!("{DOCS_URL}#variant.CheckUnknownName")
        );
        assert_eq!(Code::LintUnusedMetric.name(), "unused_metric");
        assert_eq!(Code::DataBadDate.stage(), "data");
    }
}
