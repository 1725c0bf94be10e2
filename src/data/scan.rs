//! CSV records read from a stream by the `csv` crate's reader
//! (`read_byte_record`, no allocation per record), each handed on with its
//! line, its fields trimmed and its text as written, so a diagnostic can
//! show the line byte for byte.
//!
//! A hand-written scanner stood here before, splitting unquoted lines in
//! place on two threads and building a `csv_core` parser for every quoted
//! record. Measured beside `csv::Reader::read_byte_record` on the same
//! files (`cargo bench --bench scan --features bench-internals`: 1,050,000
//! national-shaped rows, every field touched, medians on a 2-core machine):
//!
//! | file | csv crate alone | old scanner | this module |
//! | --- | --- | --- | --- |
//! | no quoted field | 73–82 ms | 108 ms | 140 ms |
//! | 2% of rows quote a council name ("Bristol, City of") | 72–82 ms | 609 ms | 160 ms |
//!
//! The old scanner won nothing clear where no field is quoted and lost
//! badly where any is, as every published national file has some. So the
//! crate reads; what this module adds to the crate's parse (line numbers
//! through `\r\n` and blank lines, the record's text, UTF-8, trimming) is
//! the difference between the first and last columns.

use std::io::Read;
use std::ops::Range;

/// One record: where it starts, its text as written and its fields.
pub(super) struct Record<'a> {
    /// The line the record starts on (one-based).
    pub(super) line: u64,
    /// The record as written, without its line end.
    pub(super) raw: &'a str,
    /// Each field's text, trimmed: a range of `raw`, or of `unquoted` for a
    /// record with quotes.
    fields: &'a [Range<usize>],
    /// The fields of a quoted record with their quotes removed.
    unquoted: Option<&'a str>,
    /// How many lines the record spans.
    lines: u64,
}

impl<'a> Record<'a> {
    /// A row of cells (a sheet's), shown as the CSV line `raw`; `fields`
    /// are ranges of `unquoted`, which holds the cells' texts.
    pub(super) fn of_cells(
        line: u64,
        raw: &'a str,
        fields: &'a [Range<usize>],
        unquoted: &'a str,
    ) -> Record<'a> {
        Record {
            line,
            raw,
            fields,
            unquoted: Some(unquoted),
            lines: 1,
        }
    }
}

/// Writes cells as one CSV line (quoted where a cell needs it, line ends
/// shown as spaces), and their texts, trimmed, as ranges of `unquoted`.
pub(super) fn cells_as_csv(
    cells: &[String],
    fields: &mut Vec<Range<usize>>,
    unquoted: &mut String,
) -> String {
    fields.clear();
    unquoted.clear();
    let mut raw = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            raw.push(',');
        }
        let shown = cell.replace(['\r', '\n'], " ");
        if shown.contains([',', '"']) {
            raw.push('"');
            raw.push_str(&shown.replace('"', "\"\""));
            raw.push('"');
        } else {
            raw.push_str(&shown);
        }
        let start = unquoted.len();
        unquoted.push_str(cell);
        fields.push(trim(unquoted, start, unquoted.len()));
    }
    raw
}

impl Record<'_> {
    /// Field `col`, trimmed; empty when the record is shorter.
    pub(super) fn get(&self, col: usize) -> &str {
        let text = self.unquoted.unwrap_or(self.raw);
        self.fields
            .get(col)
            .and_then(|r| text.get(r.clone()))
            .unwrap_or("")
    }

    /// How many fields.
    pub(super) fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether every field is blank (`,,,,` as spreadsheets export).
    pub(super) fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.is_empty())
    }

    /// How many lines the record spans.
    pub(super) fn lines(&self) -> u64 {
        self.lines
    }
}

/// Why reading stopped.
pub(super) enum ScanError {
    /// The stream could not be read.
    Io(std::io::Error),
    /// A byte that is not UTF-8, on this line; the line's text, lossily.
    NotUtf8 {
        line: u64,
        text: String,
        column: usize,
    },
}

/// Whether to read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Go,
    Stop,
}

/// Reads every record of a CSV stream, in order, and hands each to `each`;
/// stops early when `each` says so. A leading byte-order mark is dropped,
/// and a line of blanks holds no record.
pub(super) fn scan(
    input: impl Read,
    mut each: impl FnMut(&Record<'_>) -> Flow,
) -> Result<(), ScanError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Tape::new(input));
    let mut record = csv::ByteRecord::new();
    let mut shape = Shape::default();
    let mut start = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => return Err(ScanError::Io(std::io::Error::other(e))),
        }
        // The reader is past the record now (and past the line end that
        // closed it, or the `\r` of a `\r\n`): the bytes since the last
        // record are this one, after any empty lines; its last line is the
        // one before that line end, its first as many lines up as it spans.
        let end = reader.position().byte();
        let tape = reader.get_mut();
        let last = tape.line_before(end);
        let written = record_text(tape.between(start, end), start == 0);
        let found = shape.of(&record, written, last)?;
        if let Some(r) = found {
            if each(&r) == Flow::Stop {
                return Ok(());
            }
        }
        start = end;
        reader.get_mut().release(start);
    }
}

/// A record's bytes as written: without the empty lines before it, its
/// line end, or (first in the stream) a byte-order mark. Neither end of a
/// record can be a line end of its own: a field holding one is quoted.
fn record_text(bytes: &[u8], first: bool) -> &[u8] {
    let bytes = if first {
        bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes)
    } else {
        bytes
    };
    let is_end = |b: &u8| matches!(b, b'\r' | b'\n');
    let from = bytes.iter().position(|b| !is_end(b)).unwrap_or(bytes.len());
    let to = bytes
        .iter()
        .rposition(|b| !is_end(b))
        .map_or(from, |i| i + 1);
    bytes.get(from..to).unwrap_or_default()
}

/// The stream as the csv reader reads it, with what the records need
/// besides their fields: the bytes since the record being read began (to
/// show it as written) and where each line ends (to say which line it is on;
/// the reader's own count misses a `\r\n` before a record). `\n`, `\r\n`
/// and a lone `\r` are one line end each, as the reader ends records.
struct Tape<R> {
    inner: R,
    /// Bytes read so far.
    read: u64,
    /// The bytes from `kept_from` on.
    kept: Vec<u8>,
    kept_from: u64,
    /// Where each line end not yet counted ends (the offset after it).
    ends: std::collections::VecDeque<u64>,
    /// Line ends before the last record's end.
    counted: u64,
    /// Whether the last byte read was a `\r` (a `\n` may follow in the next read).
    ended_with_cr: bool,
}

impl<R: Read> Tape<R> {
    fn new(inner: R) -> Self {
        Tape {
            inner,
            read: 0,
            kept: Vec::new(),
            kept_from: 0,
            ends: std::collections::VecDeque::new(),
            counted: 0,
            ended_with_cr: false,
        }
    }

    /// The line (from 1) of the last byte before `end`, where the reader
    /// stands once it has read a record: the record's last line. Records
    /// are asked for in order, so each line end is counted once.
    fn line_before(&mut self, end: u64) -> u64 {
        while self.ends.front().is_some_and(|&e| e < end) {
            self.ends.pop_front();
            self.counted += 1;
        }
        self.counted + 1
    }

    /// The bytes from offset `from` to `to`, which the tape still keeps.
    fn between(&self, from: u64, to: u64) -> &[u8] {
        let at = |offset: u64| {
            usize::try_from(offset.saturating_sub(self.kept_from)).unwrap_or(usize::MAX)
        };
        self.kept.get(at(from)..at(to)).unwrap_or_default()
    }

    /// Forgets the bytes before `offset`: every record before it has been
    /// read. The bytes are moved down only once enough are forgotten, so a
    /// record costs no copy of what the reader has read ahead.
    fn release(&mut self, offset: u64) {
        let done = usize::try_from(offset.saturating_sub(self.kept_from)).unwrap_or(0);
        if done >= (1 << 16) && done * 2 >= self.kept.len() {
            self.kept.drain(..done.min(self.kept.len()));
            self.kept_from = offset;
        }
    }
}

impl<R: Read> Read for Tape<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = buf.get(..n).unwrap_or_default();
        self.kept.extend_from_slice(chunk);
        for i in memchr::memchr2_iter(b'\n', b'\r', chunk) {
            let after = self.read + i as u64 + 1;
            let after_cr = match i.checked_sub(1) {
                None => self.ended_with_cr,
                Some(before) => chunk.get(before) == Some(&b'\r'),
            };
            match (chunk.get(i), self.ends.back_mut()) {
                // The `\n` of a `\r\n` moves that line end past it.
                (Some(b'\n'), Some(end)) if after_cr => *end = after,
                _ => self.ends.push_back(after),
            }
        }
        if let Some(&last) = chunk.last() {
            self.ended_with_cr = last == b'\r';
        }
        self.read += n as u64;
        Ok(n)
    }
}

/// Reads every record of a text already in memory, as [`scan`] reads a stream.
pub(super) fn scan_text(text: &str, each: impl FnMut(&Record<'_>) -> Flow) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Text in memory is UTF-8 already, and reading it cannot fail.
    let _ = scan(text.as_bytes(), each);
}

/// The buffers a record is shaped in, reused from one record to the next.
#[derive(Default)]
struct Shape {
    /// The fields as read, joined by commas.
    text: String,
    fields: Vec<Range<usize>>,
}

impl Shape {
    /// The record the reader read, `written` as those bytes and ending on
    /// line `last`, or `None` for a line of blanks.
    fn of<'s>(
        &'s mut self,
        record: &csv::ByteRecord,
        written: &'s [u8],
        last: u64,
    ) -> Result<Option<Record<'s>>, ScanError> {
        self.fields.clear();
        // The record's text holds every byte of its fields: valid, they are.
        let Ok(raw) = std::str::from_utf8(written) else {
            return Err(first_not_utf8(record, last));
        };
        if !written.contains(&b'"') {
            // Unquoted, the fields are the text between its commas.
            split_plain(raw, &mut self.fields);
            if self.fields.len() == 1 && self.fields.first().is_some_and(Range::is_empty) {
                return Ok(None);
            }
            return Ok(Some(Record {
                line: last,
                raw,
                fields: &self.fields,
                unquoted: None,
                lines: 1,
            }));
        }
        // Quoted: the fields as the reader unquoted them.
        self.text.clear();
        for (i, field) in record.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            let start = self.text.len();
            self.text.push_str(&String::from_utf8_lossy(field));
            self.fields.push(trim(&self.text, start, self.text.len()));
        }
        let lines = 1 + line_ends(written);
        Ok(Some(Record {
            line: last.saturating_sub(lines - 1).max(1),
            raw,
            fields: &self.fields,
            unquoted: Some(&self.text),
            lines,
        }))
    }
}

/// Splits a record without quotes at its commas, trimming each field.
fn split_plain(raw: &str, fields: &mut Vec<Range<usize>>) {
    let mut start = 0;
    for comma in memchr::memchr_iter(b',', raw.as_bytes()) {
        fields.push(trim(raw, start, comma));
        start = comma + 1;
    }
    fields.push(trim(raw, start, raw.len()));
}

/// The error for the first byte of a record that is not UTF-8.
fn first_not_utf8(record: &csv::ByteRecord, line: u64) -> ScanError {
    let bad = record
        .iter()
        .enumerate()
        .find_map(|(i, f)| std::str::from_utf8(f).err().map(|e| (i, e.valid_up_to())));
    let (index, valid) = bad.unwrap_or((0, 0));
    not_utf8(record, index, valid, line)
}

/// The error for a byte that is not UTF-8 in field `index` of a record.
fn not_utf8(record: &csv::ByteRecord, index: usize, valid: usize, line: u64) -> ScanError {
    let fields: Vec<String> = record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let before: usize = record
        .iter()
        .take(index)
        .map(|f| String::from_utf8_lossy(f).chars().count() + 1)
        .sum();
    let within = record.get(index).map_or(0, |f| {
        String::from_utf8_lossy(&f[..valid.min(f.len())])
            .chars()
            .count()
    });
    ScanError::NotUtf8 {
        line,
        text: fields.join(","),
        column: before + within + 1,
    }
}

/// How many line ends a text holds: `\n`, `\r\n` and a lone `\r` are one each.
fn line_ends(text: &[u8]) -> u64 {
    let crs = text
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && text.get(i + 1) != Some(&b'\n'))
        .count();
    (text.iter().filter(|&&b| b == b'\n').count() + crs) as u64
}

/// A field's range without its surrounding blanks (Unicode's, as `str::trim`).
fn trim(text: &str, start: usize, end: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let (mut s, mut e) = (start, end);
    // Spaces and tabs are trimmed byte by byte; only a field that starts or
    // ends with a byte beyond ASCII needs the Unicode rule.
    while s < e
        && matches!(
            bytes.get(s),
            Some(b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
        )
    {
        s += 1;
    }
    while e > s
        && matches!(
            bytes.get(e - 1),
            Some(b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
        )
    {
        e -= 1;
    }
    let ascii_ends = |i: usize| bytes.get(i).is_none_or(u8::is_ascii);
    if s == e || (ascii_ends(s) && ascii_ends(e - 1)) {
        return s..e;
    }
    let field = text.get(start..end).unwrap_or("");
    let lead = field.len() - field.trim_start().len();
    let kept = field.trim().len();
    start + lead..start + lead + kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<(u64, Vec<String>)> {
        let mut out = Vec::new();
        let ok = scan(text.as_bytes(), |r| {
            out.push((r.line, (0..r.len()).map(|c| r.get(c).to_string()).collect()));
            Flow::Go
        });
        assert!(ok.is_ok());
        out
    }

    #[test]
    fn reads_plain_quoted_and_multiline_records_with_their_lines() {
        let text =
            "\u{feff}a,b,c\r\n x , y ,z\n\n\"q, r\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,1,2";
        assert_eq!(
            records(text),
            vec![
                (1, vec!["a".into(), "b".into(), "c".into()]),
                (2, vec!["x".into(), "y".into(), "z".into()]),
                (
                    4,
                    vec!["q, r".into(), "say \"hi\"".into(), "two\nlines".into()]
                ),
                (6, vec!["last".into(), "1".into(), "2".into()]),
            ]
        );
    }

    /// The fields the `csv` crate reads from a text, trimmed, every record.
    fn csv_crate_records(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| r.iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn agrees_with_the_csv_crate() {
        let text = "h1,h2\n\"a\"\"b\",c\n,\n  ,  \n\"\",x\n\"x\"y,z\n";
        let got: Vec<Vec<String>> = records(text).into_iter().map(|(_, f)| f).collect();
        assert_eq!(got, csv_crate_records(text));
    }

    proptest::proptest! {
        /// Each record of unquoted lines, whatever their line ends and the
        /// blank lines between them, is on the line it is written on.
        #[test]
        fn every_record_is_on_its_own_line(
            lines in proptest::collection::vec(("[a-c ,]{0,4}", 0..3usize), 0..12)
        ) {
            let mut text = String::new();
            for (line, end) in &lines {
                text.push_str(line);
                text.push_str(["\n", "\r\n", "\r"][*end]);
            }
            // The lines as the text has them: a `\r` then a `\n` is one line end.
            let expected: Vec<u64> = text
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .split('\n')
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, _)| i as u64 + 1)
                .collect();
            let got: Vec<u64> = records(&text).into_iter().map(|(l, _)| l).collect();
            proptest::prop_assert_eq!(got, expected);
            // And each record's text is its line as written.
            let written: Vec<String> = text
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .split('\n')
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect();
            let mut raws = Vec::new();
            scan_text(&text, |r| {
                raws.push(r.raw.to_string());
                Flow::Go
            });
            proptest::prop_assert_eq!(raws, written);
        }

        /// Any text of commas, quotes, line ends, blanks and letters is read
        /// into the same fields as the `csv` crate reads it.
        #[test]
        fn any_text_reads_as_the_csv_crate_reads_it(text in "[a,\"\n\r \u{a0}é]{0,40}") {
            let expected: Vec<Vec<String>> = csv_crate_records(&text)
                .into_iter()
                .filter(|r| !(r.len() == 1 && r[0].is_empty()))
                .collect();
            let got: Vec<Vec<String>> = records(&text)
                .into_iter()
                .map(|(_, f)| f)
                .filter(|r| !(r.len() == 1 && r[0].is_empty()))
                .collect();
            proptest::prop_assert_eq!(got, expected);
            // Text in memory is read as a stream is.
            let mut in_memory = Vec::new();
            scan_text(&text, |r| {
                in_memory.push((r.line, (0..r.len()).map(|c| r.get(c).to_string()).collect::<Vec<_>>()));
                Flow::Go
            });
            proptest::prop_assert_eq!(in_memory, records(&text));
        }
    }

    #[test]
    fn a_long_quoted_field_spanning_lines_is_one_record() {
        let mut text = String::from("h,v\n");
        let long = "x".repeat(5 << 20);
        text.push_str(&format!("a,\"{long}\nmore\"\nb,2\n"));
        let got = records(&text);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].1[1].len(), (5 << 20) + 5);
        assert_eq!(got[2], (4, vec!["b".to_string(), "2".to_string()]));
    }

    #[test]
    fn lines_are_counted_through_blank_lines_and_every_kind_of_line_end() {
        let lines =
            |text: &str| -> Vec<u64> { records(text).into_iter().map(|(l, _)| l).collect() };
        assert_eq!(lines("a\n\n\n\nb\n"), [1, 5]);
        assert_eq!(lines("a\r\n\r\n\r\nb\r\nc"), [1, 4, 5]);
        assert_eq!(lines("a\rb\r\rc\n"), [1, 2, 4]);
        assert_eq!(lines("\n\na,\"x\ny\"\n\nb"), [3, 6]);
        assert_eq!(lines("  \n,\nb"), [2, 3]);
    }

    #[test]
    fn a_record_keeps_its_text_as_written() {
        let mut raws = Vec::new();
        scan_text(
            "a, b ,c\n\"Bristol, City of\",\"say \"\"hi\"\"\",2\r\n\"x\", y\n",
            |r| {
                raws.push((r.raw.to_string(), r.lines()));
                Flow::Go
            },
        );
        assert_eq!(
            raws,
            [
                ("a, b ,c".to_string(), 1),
                ("\"Bristol, City of\",\"say \"\"hi\"\"\",2".to_string(), 1),
                ("\"x\", y".to_string(), 1)
            ]
        );
    }

    #[test]
    fn a_byte_that_is_not_utf8_is_located() {
        let bytes: &[u8] = b"a,b\nc,\xff\n";
        match scan(bytes, |_| Flow::Go) {
            Err(ScanError::NotUtf8 { line, column, .. }) => assert_eq!((line, column), (2, 3)),
            _ => panic!("expected an error"),
        }
    }
}
