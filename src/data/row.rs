//! One CSV row and the means to point at its fields in the file.

use super::scan::Record;
use super::DataError;
use crate::diagnostics::Code;
use crate::source::{SourceFile, Span};
use crate::time::{self, Date};

/// A CSV record with the means to point at its fields.
pub(super) struct Row<'a> {
    /// The file's name as shown in diagnostics.
    pub(super) file: &'a std::sync::Arc<str>,
    pub(super) record: &'a Record<'a>,
    /// For a sheet of a workbook: its first column, so that a column is
    /// named by its letter and a record by its row.
    pub(super) sheet_col0: Option<u32>,
}

impl Row<'_> {
    pub(super) fn get(&self, col: usize) -> &str {
        self.record.get(col)
    }

    pub(super) fn line(&self) -> u64 {
        self.record.line
    }

    /// The record alone as a source: a diagnostic's snippet costs the row,
    /// never the file.
    pub(super) fn excerpt(&self) -> SourceFile {
        excerpt(self.file, self.record)
    }

    pub(super) fn date(&self, col: usize, errors: &mut Vec<DataError>) -> Option<Date> {
        let text = self.get(col);
        let date = time::parse_date(text);
        if date.is_none() {
            let text = short(text);
            let message = if time::parse_any_date(&text).is_some() {
                format!(
                    "`{text}` is outside the years {} to {} the language supports",
                    time::FIRST_YEAR,
                    time::LAST_YEAR
                )
            } else {
                format!("`{text}` is not a date")
            };
            errors.push(self.error(
                Code::DataBadDate,
                col,
                message,
                "not a date",
                Some("dates are YYYY-MM-DD and must exist, e.g. `2011-10-31`, in the years 1900 to 2200".into()),
            ));
        }
        date
    }

    pub(super) fn error(
        &self,
        problem: Code,
        col: usize,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> DataError {
        let raw = self.record.raw;
        let full = field_span(raw, 0, col);
        let column = raw.get(..full.start).map_or(1, |s| s.chars().count() + 1);
        let place = match self.sheet_col0 {
            Some(col0) => format!(
                "row {} column {}",
                self.line(),
                super::workbook::column_letters(col0 + u32::try_from(col).unwrap_or(0))
            ),
            None => format!("line {} column {column}", self.line()),
        };
        // A row of a million fields is shown around the field, not whole.
        let (src, span) = if raw.contains('\n') {
            (self.excerpt(), full)
        } else {
            let (text, span) = window(raw, full);
            let line = u32::try_from(self.line()).unwrap_or(u32::MAX);
            (
                SourceFile::lines_of(std::sync::Arc::clone(self.file), text + "\n", vec![line]),
                span,
            )
        };
        DataError::Field(crate::diagnostics::Located {
            code: problem,
            message: format!("{} {place}: {message}", src.name),
            src: src.named(),
            span: span.into(),
            label: label.to_string(),
            help,
        })
    }
}

/// A field as quoted in a message: whole, or its start and `…` when long.
pub(super) fn short(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 60;
    if text.len() <= MAX {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    std::borrow::Cow::Owned(format!("{}…", &text[..end]))
}

/// The most bytes of a row shown in a snippet: a longer row is shown
/// around the point, with `…` for what is left out.
pub(super) const MAX_SHOWN: usize = 120;

/// The part of a long line shown around a span, and the span in it.
pub(super) fn window(raw: &str, span: Span) -> (String, Span) {
    if raw.len() <= 2 * MAX_SHOWN {
        return (raw.to_string(), span);
    }
    let floor = |mut i: usize| {
        i = i.min(raw.len());
        while !raw.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    // A long field is shown by its start.
    let span = Span::new(
        span.start,
        floor(span.end.min(span.start + MAX_SHOWN)).max(span.start),
    );
    let start = floor(span.start.saturating_sub(MAX_SHOWN / 2));
    let end = floor(span.end.saturating_add(MAX_SHOWN / 2));
    let prefix = if start > 0 { "… " } else { "" };
    let suffix = if end < raw.len() { " …" } else { "" };
    let text = format!("{prefix}{}{suffix}", raw.get(start..end).unwrap_or(""));
    let shift = |i: usize| i.saturating_sub(start) + prefix.len();
    (text, Span::new(shift(span.start), shift(span.end.min(end))))
}

/// A record as a source of its own lines, numbered as in its file.
pub(super) fn excerpt(file: &std::sync::Arc<str>, record: &Record<'_>) -> SourceFile {
    let numbers = (0..record.lines())
        .map(|i| u32::try_from(record.line + i).unwrap_or(u32::MAX))
        .collect();
    SourceFile::lines_of(
        std::sync::Arc::clone(file),
        format!("{}\n", record.raw),
        numbers,
    )
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

/// For a row with the wrong number of fields.
pub(super) const EVERY_COLUMN: &str =
    "every row has the header's columns, separated by commas; quote a field that holds a comma";

pub(super) fn bad_row(
    src: &SourceFile,
    line: u64,
    reason: String,
    help: &'static str,
) -> DataError {
    DataError::BadRow {
        file: src.name.to_string(),
        line,
        reason,
        help,
        src: src.named(),
        span: src.line_span(line as usize).into(),
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
