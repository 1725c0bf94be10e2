//! CSV records read from a stream block by block, without an allocation per
//! field: a national file of millions of rows is read in bounded memory, and
//! the rows a notice does not read cost a few comparisons each.
//!
//! A line with no quote is split at its commas where it lies; a record with
//! a quote (`"Bristol, City of"`, a field spanning lines) is parsed by
//! `csv_core`, the parser under the `csv` crate, one parser kept for the
//! whole file, so quoting follows RFC 4180 exactly as the crate reads it
//! (a property test holds the two to the same fields).
//!
//! Why not `csv::Reader::read_byte_record`: measured side by side
//! (`cargo bench --bench scan --features bench-internals`, 1,050,000
//! national-shaped rows, every field touched; medians on a 2-core machine),
//! this module reads what the loader needs (each record's line through
//! `\r\n` and blank lines, its text as written, UTF-8 checked, fields
//! trimmed) in 91 ms with no quoted field and 117 ms where 2% of rows quote a
//! council name; the crate's reader parses the same files in 84 ms, and
//! with the loader's needs added on top of it (a reader that kept each
//! record's text and counted its lines, written and measured for this
//! comparison) took 140 ms and 160 ms. On the national file
//! (`benches/national`, 10 million rows) evaluation stays where it was.
//! Before one parser was kept for the whole file, a parser was built for
//! every quoted record, and the quoted file took 609 ms.
//!
//! Each block is checked as UTF-8 once, by the reading thread (the text is
//! handed over as a `String`), and its buffer is sent back to be filled
//! again. On the national file of 10.7 million rows (`benches/national`)
//! that took eval from 0.80 s to 0.72 s and its peak memory from 56 MB to
//! 27 MB. Splitting the records on the reading thread too was tried and
//! measured: it left that thread doing everything while the loader waited
//! (eval 1.1 s).

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
    /// How many lines the record spans.
    lines: u64,
}

impl<'a> Record<'a> {
    /// Whether a quoted field of the record never closes: an odd number of
    /// quotes (a quote inside a quoted field is written twice), which only
    /// the last record of a file cut short can have.
    pub(super) fn unterminated(&self) -> bool {
        self.unquoted.is_some() && self.raw.bytes().filter(|b| *b == b'"').count() % 2 == 1
    }

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
        // Most cells need neither quotes nor their line ends shown as spaces.
        if cell.contains([',', '"', '\r', '\n']) {
            let shown = cell.replace(['\r', '\n'], " ");
            if shown.contains([',', '"']) {
                raw.push('"');
                raw.push_str(&shown.replace('"', "\"\""));
                raw.push('"');
            } else {
                raw.push_str(&shown);
            }
        } else {
            raw.push_str(cell);
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

/// Reads every record of a CSV stream, in order, and hands each to `each`;
/// stops early when `each` says so. A leading byte-order mark is dropped.
///
/// Two threads share the work: one reads the stream and cuts it into blocks
/// of whole records checked as UTF-8, while the caller's thread reads the
/// records of the block before.
pub(super) fn scan(
    input: impl Read + Send,
    mut each: impl FnMut(&Record<'_>) -> Flow,
) -> Result<(), ScanError> {
    let (blocks, received) = std::sync::mpsc::sync_channel::<Result<Block, ScanError>>(2);
    // Blocks read are sent back to be filled again: a fresh 4 MiB block
    // each time cost its page faults and its zeroing.
    let (spent, reusable) = std::sync::mpsc::sync_channel::<Vec<u8>>(3);
    std::thread::scope(|scope| {
        scope.spawn(move || cut_blocks(input, &blocks, &reusable));
        let mut fields: Vec<Range<usize>> = Vec::new();
        let mut unquoted = String::new();
        let mut quoted = Quoted::default();
        let mut line = 1u64;
        // The start of a quoted record that the last block ended inside.
        let mut pending = String::new();
        let mut received = received.into_iter().peekable();
        while let Some(block) = received.next() {
            let block = block?;
            let Some(text) = block.text.get(block.skip..) else {
                continue;
            };
            let last = received.peek().is_none();
            let text = if pending.is_empty() {
                text
            } else {
                pending.push_str(text);
                pending.as_str()
            };
            let (flow, used) = scan_block(
                text,
                last,
                &mut line,
                &mut fields,
                &mut unquoted,
                &mut quoted,
                &mut each,
            );
            if flow == Flow::Stop {
                // Dropping the receiver stops the reading thread.
                return Ok(());
            }
            pending = text.get(used..).unwrap_or("").to_string();
            let _ = spent.try_send(block.text.into_bytes());
        }
        Ok(())
    })
}

/// Reads every record of a text already in memory, as [`scan`] reads a
/// stream, on the caller's thread (a test's inline CSV is too small to share).
pub(super) fn scan_text(text: &str, mut each: impl FnMut(&Record<'_>) -> Flow) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut fields: Vec<Range<usize>> = Vec::new();
    let mut unquoted = String::new();
    let mut line = 1u64;
    let mut quoted = Quoted::default();
    let _ = scan_block(
        text,
        true,
        &mut line,
        &mut fields,
        &mut unquoted,
        &mut quoted,
        &mut each,
    );
}

/// Whole records, checked as UTF-8 once, by the thread that read them;
/// the text from `skip` on (a byte-order mark before it).
struct Block {
    text: String,
    skip: usize,
}

/// Reads the stream and sends it on in blocks of whole records; stops at
/// the end, at an error, or when the receiver is gone. A block is read into
/// one sent back from the receiver when there is one.
fn cut_blocks(
    mut input: impl Read,
    blocks: &std::sync::mpsc::SyncSender<Result<Block, ScanError>>,
    reusable: &std::sync::mpsc::Receiver<Vec<u8>>,
) {
    let mut carry: Vec<u8> = Vec::new();
    let mut first = true;
    let mut line = 1u64;
    loop {
        let mut buf = reusable
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BLOCK + carry.len()));
        buf.clear();
        buf.extend_from_slice(&carry);
        let before = buf.len();
        buf.resize(before + BLOCK, 0);
        let n = match read_full(&mut input, buf.get_mut(before..).unwrap_or_default()) {
            Ok(n) => n,
            Err(e) => {
                let _ = blocks.send(Err(ScanError::Io(e)));
                return;
            }
        };
        buf.truncate(before + n);
        let eof = n == 0;
        let skip = if first && buf.starts_with("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
        if first && (buf.len() >= 3 || eof) {
            first = false;
        } else if first {
            carry = buf;
            continue;
        }
        let end = if eof { buf.len() } else { line_boundary(&buf) }.max(skip);
        carry.clear();
        carry.extend_from_slice(buf.get(end..).unwrap_or(&[]));
        buf.truncate(end);
        let text = match String::from_utf8(buf) {
            Ok(text) => text,
            Err(e) => {
                let bytes = e.as_bytes();
                let body = bytes.get(skip..).unwrap_or(&[]);
                let valid = e.utf8_error().valid_up_to().saturating_sub(skip);
                let _ = blocks.send(Err(not_utf8(body, valid, line)));
                return;
            }
        };
        let body = text.get(skip..).unwrap_or("");
        line += memchr::memchr_iter(b'\n', body.as_bytes()).count() as u64;
        if !body.is_empty() && blocks.send(Ok(Block { text, skip })).is_err() {
            return;
        }
        if eof {
            return;
        }
    }
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

/// The end of the last whole line in `buf` (so never inside a character),
/// 0 when there is none yet. A `\r` last in the buffer may be the first half
/// of `\r\n`, so the line before it is taken.
fn line_boundary(buf: &[u8]) -> usize {
    let mut end = buf.len();
    while let Some(at) = memchr::memrchr2(b'\n', b'\r', &buf[..end]) {
        if !(buf[at] == b'\r' && at + 1 == buf.len()) {
            return at + 1;
        }
        end = at;
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

/// Reads the records of a block that ends at a line end; returns how far it
/// read, which is short of the end only when a quoted field runs on past it
/// (and the block is not the `last`).
fn scan_block(
    block: &str,
    last: bool,
    line: &mut u64,
    fields: &mut Vec<Range<usize>>,
    unquoted: &mut String,
    quoted: &mut Quoted,
    each: &mut impl FnMut(&Record<'_>) -> Flow,
) -> (Flow, usize) {
    let bytes = block.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        // A line ends at `\n`, `\r\n` or a lone `\r` (as the csv crate reads).
        let line_end = memchr::memchr3(b'\n', b'\r', b'"', rest);
        fields.clear();
        let (raw_end, next, unquoted_text) = match line_end {
            Some(i) if rest[i] == b'"' => {
                let Some(consumed) = quoted.read(rest, last, fields, unquoted) else {
                    return (Flow::Go, pos);
                };
                let raw = rest.get(..consumed).unwrap_or(&[]);
                let body = raw
                    .strip_suffix(b"\n")
                    .map_or(raw, |r| r.strip_suffix(b"\r").unwrap_or(r));
                let body = if body.len() == raw.len() {
                    raw.strip_suffix(b"\r").unwrap_or(raw)
                } else {
                    body
                };
                (pos + body.len(), pos + consumed, Some(unquoted.as_str()))
            }
            Some(i) => (pos + i, pos + i + 1, None),
            None => (bytes.len(), bytes.len(), None),
        };
        // The `\n` of a `\r\n` the record ended at.
        let next =
            if bytes.get(next.wrapping_sub(1)) == Some(&b'\r') && bytes.get(next) == Some(&b'\n') {
                next + 1
            } else {
                next
            };
        let raw = block.get(pos..raw_end).unwrap_or("");
        let record_lines = if unquoted_text.is_some() {
            1 + line_ends(raw.as_bytes())
        } else {
            split_plain(raw, fields);
            1
        };
        // A blank line holds no record (most lines start with a letter).
        if raw
            .as_bytes()
            .first()
            .is_some_and(|b| !b.is_ascii_whitespace())
            || !raw.trim().is_empty()
        {
            let record = Record {
                line: *line,
                raw,
                fields,
                unquoted: unquoted_text,
                lines: record_lines,
            };
            if each(&record) == Flow::Stop {
                return (Flow::Stop, pos);
            }
        }
        *line += record_lines;
        pos = next;
    }
    (Flow::Go, bytes.len())
}

/// How many line ends a text holds: `\n`, `\r\n` and a lone `\r` are one each.
fn line_ends(text: &[u8]) -> u64 {
    let crs = memchr::memchr_iter(b'\r', text)
        .filter(|&i| text.get(i + 1) != Some(&b'\n'))
        .count();
    (memchr::memchr_iter(b'\n', text).count() + crs) as u64
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

/// The parser of records with a quote, `csv_core`'s, kept from one such
/// record to the next with its buffers: building one costs more than reading
/// a record (a reader built for every quoted record made a file where 2% of
/// rows quote a council name eight times slower to read).
pub(super) struct Quoted {
    reader: csv_core::Reader,
    output: Vec<u8>,
    ends: Vec<usize>,
}

impl Default for Quoted {
    fn default() -> Self {
        Quoted {
            reader: csv_core::Reader::new(),
            output: vec![0u8; 256],
            ends: vec![0usize; 16],
        }
    }
}

impl Quoted {
    /// Reads the record at the start of `text`, which holds a quote: its
    /// fields, without quotes, into `out`. Returns how many bytes it took,
    /// its line end included; `None` when the text ends inside the record
    /// and more may follow (`last` is false).
    fn read(
        &mut self,
        text: &[u8],
        last: bool,
        fields: &mut Vec<Range<usize>>,
        out: &mut String,
    ) -> Option<usize> {
        // Each record is read from its start, whatever the one before left.
        self.reader.reset();
        let (mut consumed, mut written, mut ended) = (0, 0, 0);
        loop {
            let input = text.get(consumed..).unwrap_or(&[]);
            // No input is the end of the stream to `csv_core`: only at the last block.
            if input.is_empty() && !last {
                return None;
            }
            let (result, nin, nout, nend) = self.reader.read_record(
                input,
                self.output.get_mut(written..).unwrap_or_default(),
                self.ends.get_mut(ended..).unwrap_or_default(),
            );
            consumed += nin;
            written += nout;
            ended += nend;
            match result {
                csv_core::ReadRecordResult::OutputFull => {
                    self.output.resize(self.output.len() * 2, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    self.ends.resize(self.ends.len() * 2, 0);
                }
                // The text ended inside the record: a call with no input closes
                // it, at the end of the stream.
                csv_core::ReadRecordResult::InputEmpty if input.is_empty() => break,
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            }
        }
        out.clear();
        out.push_str(&String::from_utf8_lossy(
            self.output.get(..written).unwrap_or(&[]),
        ));
        let mut start = 0;
        for &end in self.ends.get(..ended).unwrap_or(&[]) {
            fields.push(trim(out, start, end));
            start = end;
        }
        Some(consumed)
    }
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
#[path = "scan_tests.rs"]
mod tests;
