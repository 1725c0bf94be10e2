//! One CSV row and the means to point at its fields in the file.

use super::{DataError, FieldProblem};
use crate::source::{SourceFile, Span};
use crate::time::{self, Date};

/// A CSV record with the means to point at its fields.
pub(super) struct Row<'a> {
    pub(super) src: &'a SourceFile,
    pub(super) record: &'a csv::StringRecord,
    pub(super) start: usize,
    pub(super) line: u64,
}

impl Row<'_> {
    pub(super) fn get(&self, col: usize) -> &str {
        self.record.get(col).unwrap_or("").trim()
    }

    pub(super) fn date(&self, col: usize, errors: &mut Vec<DataError>) -> Option<Date> {
        let text = self.get(col);
        let date = time::parse_date(text);
        if date.is_none() {
            errors.push(self.error(
                FieldProblem::BadDate,
                col,
                format!("`{text}` is not a date"),
                "not a date",
                Some("dates are YYYY-MM-DD and must exist, e.g. `2011-10-31`".into()),
            ));
        }
        date
    }

    pub(super) fn error(
        &self,
        problem: FieldProblem,
        col: usize,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> DataError {
        let span = field_span(&self.src.text, self.start, col);
        let (_, column) = self.src.line_col(span.start);
        DataError::Field(crate::diagnostics::Located {
            code: problem.code(),
            message: format!(
                "{} line {} column {column}: {message}",
                self.src.name, self.line
            ),
            src: self.src.named(),
            span: span.into(),
            label: label.to_string(),
            help,
        })
    }
}

/// The byte span of field `col` of the record starting at `start`, found by
/// walking the raw text (the csv crate reports record positions only).
pub(super) fn field_span(text: &str, start: usize, col: usize) -> Span {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut field = 0;
    let mut field_start = start;
    let mut quoted = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                if field == col {
                    return trimmed(text, field_start, i);
                }
                field += 1;
                field_start = i + 1;
            }
            b'\n' | b'\r' if !quoted => break,
            _ => {}
        }
        i += 1;
    }
    if field == col {
        trimmed(text, field_start, i)
    } else {
        Span::new(start, i)
    }
}

pub(super) fn trimmed(text: &str, start: usize, end: usize) -> Span {
    let slice = text.get(start..end).unwrap_or("");
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let (s, e) = (start + lead, end.saturating_sub(trail));
    if e > s {
        Span::new(s, e)
    } else {
        Span::new(start, start.max(end))
    }
}

pub(super) fn bad_row(src: &SourceFile, line: u64, reason: String) -> DataError {
    DataError::BadRow {
        file: src.name.to_string(),
        line,
        reason,
        src: src.named(),
        span: src.line_span(line as usize).into(),
    }
}

pub(super) fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8 text".to_string(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn field_spans_respect_quotes() {
        let text = "a,b,c\nx,\"y, z\",w\n";
        assert_eq!(field_span(text, 6, 0), Span::new(6, 7));
        assert_eq!(field_span(text, 6, 1), Span::new(8, 14));
        assert_eq!(field_span(text, 6, 2), Span::new(15, 16));
    }
}
