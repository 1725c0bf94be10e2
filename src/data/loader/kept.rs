//! The lines kept of a file being read: its header, the rows kept and the
//! first row of each kind passed over, each with its line number, so a
//! diagnostic can show any of them while the rest of a national file is
//! never held.

use crate::data::row::field_span;
use crate::data::scan::Record;

/// The lines kept of a file being read: its header, the rows kept and the
/// first row of each kind passed over, each with its line number.
#[derive(Default)]
pub(super) struct KeptLines {
    pub(super) text: String,
    pub(super) numbers: Vec<u32>,
    /// Where the last record kept starts in `text`.
    pub(super) last: usize,
}

impl KeptLines {
    /// Keeps a record's lines (once); where it starts in the text kept.
    pub(super) fn keep(&mut self, record: &Record<'_>) -> usize {
        if self
            .numbers
            .last()
            .is_some_and(|&n| u64::from(n) >= record.line)
        {
            return self.last;
        }
        self.last = self.text.len();
        if record.raw.len() > 2 * crate::data::row::MAX_SHOWN && !record.raw.contains('\n') {
            // A row of a million fields is kept in part: a snippet shows its start.
            let (shown, _) = crate::data::row::window(record.raw, crate::source::Span::new(0, 0));
            self.text.push_str(&shown);
        } else {
            self.text.push_str(record.raw);
        }
        self.text.push('\n');
        for i in 0..record.lines() {
            self.numbers
                .push(u32::try_from(record.line + i).unwrap_or(u32::MAX));
        }
        self.last
    }

    /// The span of field `col` of the record kept at `start`.
    pub(super) fn field(&self, start: usize, col: usize) -> crate::source::Span {
        field_span(&self.text, start, col)
    }
}
