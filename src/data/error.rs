//! Data errors: each names the file, the line and the field.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::diagnostics::{Code, Coded};

/// A data file or row that cannot be used.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub(crate) enum DataError {
    /// A data file that cannot be read as text.
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] crate::source::FileError),
    /// No data was given and the notice names none.
    #[error("no data for `{notice}`")]
    #[diagnostic(help("give `--data PATH`, or add `data \"file.csv\"` to the notice"))]
    NoData { notice: String },
    /// A data path in a notice that leads outside the notice's folder.
    #[error("`{path}` is outside the folder of the notice")]
    #[diagnostic(
        help("a notice's `data` names files in its own folder or below; give other files with `--data PATH`")
    )]
    OutsideNotice {
        path: String,
        #[source_code]
        src: crate::source::Named,
        #[label("named here")]
        span: SourceSpan,
    },
    /// A folder named as a data set has no CSV files.
    #[error("no CSV files in `{path}`")]
    #[diagnostic(help("put the observations and evidence CSV files in the folder"))]
    EmptyFolder { path: String },
    /// A CSV whose header is neither observations nor evidence.
    #[error("`{file}` is neither observations nor evidence")]
    #[diagnostic(
        help("observations have the header `area,metric,date,value,source`; evidence has `kind,date,reference`")
    )]
    UnknownTable {
        file: String,
        #[source_code]
        src: crate::source::Named,
        #[label("this header")]
        span: SourceSpan,
    },
    /// A file whose first line is not a CSV header at all (no commas): not
    /// shown, since it may be any file given by mistake.
    #[error("`{file}` is not a CSV table: its first line has no commas")]
    #[diagnostic(
        help("observations have the header `area,metric,date,value,source`; evidence has `kind,date,reference`")
    )]
    NotATable { file: String },
    /// A workbook that cannot be read, or has no sheet of the name given.
    #[error("{file}: {reason}")]
    Workbook {
        /// The file.
        file: String,
        /// Why.
        reason: String,
        /// What to do about it.
        #[help]
        help: &'static str,
    },
    /// A row that is not well-formed CSV or has the wrong number of fields.
    #[error("{file} line {line}: {reason}")]
    BadRow {
        file: String,
        line: u64,
        reason: String,
        /// What to do about it.
        #[help]
        help: &'static str,
        #[source_code]
        src: crate::source::Named,
        #[label("this row")]
        span: SourceSpan,
    },
    /// A field that cannot be used.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Field(crate::diagnostics::Located),
    /// A comparator row (another area) for a metric the notice does not
    /// declare: shared comparator files hold more metrics than one notice
    /// uses. A warning (`notice::lint::undeclared_data_metric`).
    #[error(transparent)]
    #[diagnostic(transparent)]
    UndeclaredMetric(crate::diagnostics::Located),
    /// Two rows give different values for one area, metric and date.
    #[error("{file} line {line}: `{metric}` for {area} on {date} is {value} here but {other_value} at {other}")]
    Conflict {
        /// What to do: within one file, keep one row; across two, say which
        /// is published later, and so supersedes the other.
        #[help]
        help: &'static str,
        file: String,
        line: u64,
        metric: String,
        area: String,
        date: String,
        value: String,
        other_value: String,
        other: String,
        #[source_code]
        src: crate::source::Named,
        #[label("disagrees with {other}")]
        span: SourceSpan,
    },
    /// Rows that disagree past the first few shown: counted, not listed
    /// (a national file of a wrong shape can hold a million such pairs).
    #[error("{count} more rows disagree with an earlier row for the same area, metric and date")]
    #[diagnostic(help(
        "the first {shown} are shown; mend those and read the file again, or check that each area, metric and date has one row"
    ))]
    MoreConflicts { count: String, shown: usize },
}

impl Coded for DataError {
    fn diagnostic_code(&self) -> Code {
        match self {
            DataError::File(e) => e.diagnostic_code(),
            DataError::NoData { .. } => Code::DataNoData,
            DataError::OutsideNotice { .. } => Code::DataOutsideNotice,
            DataError::EmptyFolder { .. } => Code::DataEmptyFolder,
            DataError::UnknownTable { .. } | DataError::NotATable { .. } => Code::DataUnknownTable,
            DataError::Workbook { .. } => Code::DataBadWorkbook,
            DataError::BadRow { .. } => Code::DataBadRow,
            DataError::Field(l) | DataError::UndeclaredMetric(l) => l.code,
            DataError::Conflict { .. } | DataError::MoreConflicts { .. } => Code::DataConflict,
        }
    }
}
