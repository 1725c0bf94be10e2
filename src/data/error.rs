//! Data errors: each names the file, the line and the field.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A data file or row that cannot be used.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum DataError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(
        code(notice::data::unreadable),
        help("check the path; data paths in a notice are relative to the notice file")
    )]
    Unreadable { path: String, reason: String },
    /// A folder named as a data set has no CSV files.
    #[error("no CSV files in `{path}`")]
    #[diagnostic(
        code(notice::data::empty_folder),
        help("put the observations and evidence CSV files in the folder")
    )]
    EmptyFolder { path: String },
    /// A CSV whose header is neither observations nor evidence.
    #[error("`{file}` is neither observations nor evidence")]
    #[diagnostic(
        code(notice::data::unknown_table),
        help("observations have the header `area,metric,date,value,source`; evidence has `kind,date,reference`")
    )]
    UnknownTable {
        file: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("this header")]
        span: SourceSpan,
    },
    /// A row that is not well-formed CSV or has the wrong number of fields.
    #[error("{file} line {line}: {reason}")]
    #[diagnostic(code(notice::data::bad_row), help("every row has the header's columns, separated by commas; quote a field that holds a comma"))]
    BadRow {
        file: String,
        line: u64,
        reason: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("this row")]
        span: SourceSpan,
    },
    /// A field that cannot be used.
    #[error("{file} line {line} column {column}: {message}")]
    #[diagnostic(code(notice::data::bad_field))]
    BadField {
        file: String,
        line: u64,
        column: usize,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },
    /// A file that is not UTF-8 text.
    #[error("{file} line {line}: the file is not UTF-8 text")]
    #[diagnostic(
        code(notice::data::not_utf8),
        help("save the file as UTF-8 (in a spreadsheet, as \"CSV UTF-8\")")
    )]
    NotUtf8 {
        file: String,
        line: u64,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("the first character that is not UTF-8 is on this row")]
        span: SourceSpan,
    },
    /// A comparator row (another area) for a metric the notice does not
    /// declare: shared comparator files hold more metrics than one notice uses.
    #[error("{file} line {line}: metric `{metric}` for {area} is not declared by the notice; the row is not read")]
    #[diagnostic(
        code(notice::lint::undeclared_data_metric),
        severity(Warning),
        help("declare the metric (or `use` the library that does) to read it, or remove the row")
    )]
    UndeclaredMetric {
        file: String,
        line: u64,
        metric: String,
        area: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("not declared")]
        span: SourceSpan,
    },
    /// Two rows give different values for one area, metric and date.
    #[error("{file} line {line}: `{metric}` for {area} on {date} is {value} here but {other_value} at {other}")]
    #[diagnostic(
        code(notice::data::conflict),
        help("keep one of the two rows, or correct the date of one")
    )]
    Conflict {
        file: String,
        line: u64,
        metric: String,
        area: String,
        date: String,
        value: String,
        other_value: String,
        other: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("disagrees with {other}")]
        span: SourceSpan,
    },
}
