//! CSV records read from a stream block by block, without an allocation per
//! field: a national file of millions of rows is read in bounded memory, and
//! the rows a notice does not read cost a few comparisons each.
//!
//! A line with no quote is split at its commas where it lies; a record with
//! a quote (`"Bristol, City of"`, a field spanning lines) is parsed by
//! `csv_core`, the parser under the `csv` crate, so quoting follows RFC 4180
//! exactly as before.

use std::io::Read;
use std::ops::Range;

/// Bytes read from the stream at a time.
const BLOCK: usize = 4 << 20;

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
        (0..self.len()).all(|c| self.get(c).is_empty())
    }

    /// How many lines the record spans.
    pub(super) fn lines(&self) -> u64 {
        1 + memchr::memchr_iter(b'\n', self.raw.as_bytes()).count() as u64
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

/// Reads every record of a CSV stream, in order, and hands each to `each`;
/// stops early when `each` says so. A leading byte-order mark is dropped.
pub(super) fn scan(
    mut input: impl Read,
    mut each: impl FnMut(&Record<'_>) -> Flow,
) -> Result<(), ScanError> {
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK);
    let mut fields: Vec<Range<usize>> = Vec::new();
    let mut unquoted = String::new();
    let mut line = 1u64;
    let mut first = true;
    let mut eof = false;
    while !eof {
        let before = buf.len();
        buf.resize(before + BLOCK, 0);
        let n = read_full(&mut input, &mut buf[before..]).map_err(ScanError::Io)?;
        buf.truncate(before + n);
        eof = n == 0;
        if first && buf.len() >= 3 {
            if buf.starts_with("\u{feff}".as_bytes()) {
                buf.drain(..3);
            }
            first = false;
        }
        let end = if eof {
            buf.len()
        } else {
            record_boundary(&buf)
        };
        if end == 0 {
            continue;
        }
        let block = match std::str::from_utf8(&buf[..end]) {
            Ok(text) => text,
            Err(e) => return Err(not_utf8(&buf[..end], e.valid_up_to(), line)),
        };
        if scan_block(block, &mut line, &mut fields, &mut unquoted, &mut each) == Flow::Stop {
            return Ok(());
        }
        buf.drain(..end);
    }
    Ok(())
}

/// Whether to read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Go,
    Stop,
}

/// Fills `buf` unless the stream ends first; the bytes read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The end of the last whole record in `buf`: just past a line end outside
/// quotes (an even number of quotes before it); 0 when there is none yet.
fn record_boundary(buf: &[u8]) -> usize {
    let quotes: Vec<usize> = memchr::memchr_iter(b'"', buf).collect();
    let mut end = buf.len();
    while let Some(nl) = memchr::memrchr(b'\n', &buf[..end]) {
        if quotes.partition_point(|&q| q < nl) % 2 == 0 {
            return nl + 1;
        }
        end = nl;
    }
    0
}

fn not_utf8(bytes: &[u8], valid: usize, first_line: u64) -> ScanError {
    let head = &bytes[..valid];
    let newlines = memchr::memchr_iter(b'\n', head).count() as u64;
    let start = memchr::memrchr(b'\n', head).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[valid..]).map_or(bytes.len(), |i| valid + i);
    let text = String::from_utf8_lossy(&bytes[start..end]).into_owned();
    let column = String::from_utf8_lossy(&bytes[start..valid])
        .chars()
        .count()
        + 1;
    ScanError::NotUtf8 {
        line: first_line + newlines,
        text,
        column,
    }
}

/// Reads the records of a block that ends at a record boundary.
fn scan_block(
    block: &str,
    line: &mut u64,
    fields: &mut Vec<Range<usize>>,
    unquoted: &mut String,
    each: &mut impl FnMut(&Record<'_>) -> Flow,
) -> Flow {
    let bytes = block.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let (raw_end, next, quoted) = match memchr::memchr2(b'\n', b'"', rest) {
            Some(i) if rest[i] == b'\n' => (pos + i, pos + i + 1, false),
            Some(_) => {
                let end = quoted_record_end(rest);
                (pos + end, (pos + end + 1).min(bytes.len()), true)
            }
            None => (bytes.len(), bytes.len(), false),
        };
        let mut raw = block.get(pos..raw_end).unwrap_or("");
        raw = raw.strip_suffix('\r').unwrap_or(raw);
        let record_lines;
        if raw.trim().is_empty() {
            // A blank line holds no record.
            record_lines = 1 + memchr::memchr_iter(b'\n', raw.as_bytes()).count() as u64;
        } else {
            fields.clear();
            let unquoted_text = if quoted {
                split_quoted(raw, fields, unquoted);
                Some(unquoted.as_str())
            } else {
                split_plain(raw, fields);
                None
            };
            let record = Record {
                line: *line,
                raw,
                fields,
                unquoted: unquoted_text,
            };
            record_lines = record.lines();
            if each(&record) == Flow::Stop {
                return Flow::Stop;
            }
        }
        *line += record_lines;
        pos = next;
    }
    Flow::Go
}

/// Where a record holding a quote ends: its line end outside quotes, or the
/// end of the text.
fn quoted_record_end(text: &[u8]) -> usize {
    let mut quoted = false;
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'"', b'\n', &text[i..]) {
        let at = i + k;
        if text[at] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            return at;
        }
        i = at + 1;
    }
    text.len()
}

/// Splits a line without quotes at its commas, trimming each field.
fn split_plain(raw: &str, fields: &mut Vec<Range<usize>>) {
    let mut start = 0;
    for comma in memchr::memchr_iter(b',', raw.as_bytes()) {
        fields.push(trim(raw, start, comma));
        start = comma + 1;
    }
    fields.push(trim(raw, start, raw.len()));
}

/// Splits a record with quotes by `csv_core`, into `out` without quotes.
fn split_quoted(raw: &str, fields: &mut Vec<Range<usize>>, out: &mut String) {
    let mut reader = csv_core::Reader::new();
    let mut output = vec![0u8; raw.len() + 1];
    let mut ends = vec![0usize; memchr::memchr_iter(b',', raw.as_bytes()).count() + 2];
    let (mut input, mut written, mut ended) = (raw.as_bytes(), 0, 0);
    loop {
        let (result, nin, nout, nend) =
            reader.read_record(input, &mut output[written..], &mut ends[ended..]);
        input = &input[nin..];
        written += nout;
        ended += nend;
        match result {
            csv_core::ReadRecordResult::InputEmpty if input.is_empty() => {
                // The end of the record: a final call with no input closes it.
                let (_, _, nout, nend) =
                    reader.read_record(&[], &mut output[written..], &mut ends[ended..]);
                written += nout;
                ended += nend;
                break;
            }
            csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            csv_core::ReadRecordResult::InputEmpty => {}
            // The buffers are sized to the record, so neither fills.
            csv_core::ReadRecordResult::OutputFull | csv_core::ReadRecordResult::OutputEndsFull => {
                break
            }
        }
    }
    out.clear();
    out.push_str(&String::from_utf8_lossy(&output[..written]));
    let mut start = 0;
    for &end in ends.get(..ended).unwrap_or(&[]) {
        fields.push(trim(out, start, end));
        start = end;
    }
}

/// A field's range without its surrounding blanks.
fn trim(text: &str, start: usize, end: usize) -> Range<usize> {
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

    #[test]
    fn agrees_with_the_csv_crate() {
        let text = "h1,h2\n\"a\"\"b\",c\n,\n  ,  \n\"\",x\n\"x\"y,z\n";
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let expected: Vec<Vec<String>> = reader
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(str::to_string).collect())
                    .unwrap_or_default()
            })
            .collect();
        let got: Vec<Vec<String>> = records(text).into_iter().map(|(_, f)| f).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn blocks_end_outside_quotes() {
        assert_eq!(record_boundary(b"a,b\nc,\"d\ne"), 4);
        assert_eq!(record_boundary(b"a,\"b\nc\"\nd"), 8);
        assert_eq!(record_boundary(b"abc"), 0);
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
