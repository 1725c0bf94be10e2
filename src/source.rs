//! Source text, byte spans and line lookup, shared by every stage; and the
//! seam every file is read through ([`Sources`]), so that text can come
//! from disk or from memory (an editor's unsaved buffer, a web request).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A file's text, kept once and shared by every diagnostic that points into it.
///
/// A notice's text is kept whole. A data file may be kept in part: only the
/// lines something points at (the rows kept, the first row of each kind
/// passed over), each with its line number in the file, so that a national
/// file of millions of rows costs memory in proportion to what is read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics (the path as the user gave it).
    pub name: Arc<str>,
    /// The text kept: the whole file, or the lines kept of it.
    pub text: Arc<str>,
    /// Byte offset of the start of every line kept, for line and column lookup.
    line_starts: Arc<[usize]>,
    /// The file's line number of each line kept, when only some are; `None`
    /// when the text is the whole file.
    numbers: Option<Arc<[u32]>>,
}

/// The source text miette reads a diagnostic's snippet from.
pub(crate) type Named = NamedSource<SourceFile>;

impl SourceFile {
    /// Wraps a file's name and text.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            numbers: None,
        }
    }

    /// Some lines of a file: `text` holds them in order, and `numbers` says
    /// each one's line number in the file (one per line of `text`).
    pub fn lines_of(name: impl Into<Arc<str>>, text: String, numbers: Vec<u32>) -> Self {
        let mut src = SourceFile::new(name, text);
        src.numbers = Some(numbers.into());
        src
    }

    /// The source as miette wants it, named for the reader.
    pub fn named(&self) -> Named {
        NamedSource::new(&*self.name, self.clone())
    }

    /// The file's line number of the `index`th line kept (zero-based).
    fn number_of(&self, index: usize) -> usize {
        match &self.numbers {
            None => index + 1,
            Some(numbers) => numbers.get(index).map_or(index + 1, |&n| n as usize),
        }
    }

    /// The index of the line kept whose number in the file is `line`.
    fn index_of(&self, line: usize) -> Option<usize> {
        match &self.numbers {
            None => line.checked_sub(1),
            Some(numbers) => {
                let line = u32::try_from(line).ok()?;
                numbers.binary_search(&line).ok()
            }
        }
    }

    /// The index of the line kept that holds a byte offset.
    fn index_at(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let index = self.index_at(offset);
        let start = self.line_starts.get(index).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        (self.number_of(index), column)
    }

    /// The text of a span (empty if the span does not fit the text).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The span of a whole one-based line, without its line end (an empty
    /// span at the start when the line is not kept).
    pub fn line_span(&self, line: usize) -> Span {
        let Some(index) = self.index_of(line) else {
            return Span::new(0, 0);
        };
        let start = self.line_starts.get(index).copied().unwrap_or(0);
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next.saturating_sub(1));
        let end = if self.text.get(start..end).is_some_and(|l| l.ends_with('\r')) {
            end - 1
        } else {
            end
        };
        Span::new(start, end.max(start))
    }
}

/// Snippets are found through the line index: rendering one costs in
/// proportion to the lines shown, not to the size of the file.
impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > self.text.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let first = self.index_at(start);
        let last = self.index_at(end.saturating_sub(1).max(start));
        // Context lines are the file's neighbouring lines, so only lines
        // kept whose numbers follow on are shown.
        let follows = |a: usize, b: usize| self.number_of(a) + 1 == self.number_of(b);
        let mut from = first;
        while from > 0 && first - from < context_lines_before && follows(from - 1, from) {
            from -= 1;
        }
        let mut to = last;
        while to + 1 < self.line_starts.len()
            && to - last < context_lines_after
            && follows(to, to + 1)
        {
            to += 1;
        }
        let window_start = self.line_starts.get(from).copied().unwrap_or(0);
        let window_end = self
            .line_starts
            .get(to + 1)
            .copied()
            .unwrap_or(self.text.len());
        let window = self.text.get(window_start..window_end).unwrap_or("");
        let inner_span =
            SourceSpan::from((start - window_start.min(start))..(end - window_start.min(start)));
        let inner = window.read_span(&inner_span, context_lines_before, context_lines_after)?;
        let outer_start = inner.span().offset() + window_start;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::from(outer_start..outer_start + inner.span().len()),
            self.number_of(from) - 1 + inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// A byte range in a source text. A span alone does not say which text:
/// where that is not implied (a measure's spans are in its notice's text), the
/// span travels as a [`Site`] or inside a diagnostic that holds its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A span and the file it is in: where something from a notice or one of
/// its libraries was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Site {
    /// The file's name as shown in diagnostics ([`SourceFile::name`]).
    pub file: Arc<str>,
    /// Where in that file.
    pub span: Span,
}

impl Site {
    /// A span of a file.
    pub fn new(src: &SourceFile, span: Span) -> Self {
        Site {
            file: Arc::clone(&src.name),
            span,
        }
    }
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> Self {
        (span.start..span.end).into()
    }
}

impl<'i> From<pest::Span<'i>> for Span {
    fn from(span: pest::Span<'i>) -> Self {
        Span::new(span.start(), span.end())
    }
}

/// A value with the span it was written at. Equality compares the values
/// only, so two notices that differ only in layout compare equal; the span
/// is a byte range in the text of the file the value was parsed from.
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a value with its span.
    pub(crate) fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

/// Where files come from: the disk, or memory.
pub trait Sources: Send + Sync {
    /// The bytes of a file.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    /// A file as a stream, for files too large to hold (national data).
    fn open(&self, path: &Path) -> std::io::Result<Box<dyn std::io::Read + Send>> {
        Ok(Box::new(std::io::Cursor::new(self.read(path)?)))
    }
    /// The entries of a folder, or `None` when `path` is not a folder.
    fn list(&self, path: &Path) -> std::io::Result<Option<Vec<PathBuf>>>;
    /// The path with links and `.`/`..` resolved, for comparing two paths.
    fn canonical(&self, path: &Path) -> std::io::Result<PathBuf>;
}

/// The largest file read whole (a notice, a library, a test file, a
/// workbook). CSV data is streamed, and may be of any size.
pub(crate) const MAX_READ_WHOLE: u64 = 256 << 20;

/// The metadata of a regular file (links followed), or an error for
/// anything else: a FIFO would block forever and a device never end.
fn regular_file(path: &Path) -> std::io::Result<std::fs::Metadata> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        Ok(meta)
    } else if meta.is_dir() {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is a folder",
        ))
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is not a regular file (a device, a pipe or a socket)",
        ))
    }
}

/// Files on disk.
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk;

impl Sources for Disk {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let size = regular_file(path)?.len();
        if size > MAX_READ_WHOLE {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the file is {} MiB; files read whole (notices, libraries, test files, workbooks) are at most {} MiB",
                    size >> 20,
                    MAX_READ_WHOLE >> 20
                ),
            ));
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::fs::File::open(path)?, MAX_READ_WHOLE + 1),
            &mut bytes,
        )?;
        Ok(bytes)
    }
    fn open(&self, path: &Path) -> std::io::Result<Box<dyn std::io::Read + Send>> {
        regular_file(path)?;
        Ok(Box::new(std::fs::File::open(path)?))
    }
    fn list(&self, path: &Path) -> std::io::Result<Option<Vec<PathBuf>>> {
        if !std::fs::metadata(path)?.is_dir() {
            return Ok(None);
        }
        let mut out = Vec::new();
        for entry in std::fs::read_dir(path)? {
            out.push(entry?.path());
        }
        out.sort();
        Ok(Some(out))
    }
    fn canonical(&self, path: &Path) -> std::io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
}

/// Files held in memory, by path: an editor's buffers, or a test's.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Memory {
    /// No files.
    pub fn new() -> Self {
        Memory::default()
    }

    /// Adds (or replaces) a file.
    pub fn with(mut self, path: impl AsRef<Path>, text: impl Into<Vec<u8>>) -> Self {
        self.files.insert(normalize(path.as_ref()), text.into());
        self
    }
}

impl Sources for Memory {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.files
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
    fn list(&self, path: &Path) -> std::io::Result<Option<Vec<PathBuf>>> {
        let dir = normalize(path);
        if self.files.contains_key(&dir) {
            return Ok(None);
        }
        let inside: Vec<PathBuf> = self
            .files
            .keys()
            .filter(|p| p.parent() == Some(dir.as_path()))
            .cloned()
            .collect();
        if inside.is_empty() {
            return Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        }
        Ok(Some(inside))
    }
    fn canonical(&self, path: &Path) -> std::io::Result<PathBuf> {
        let p = normalize(path);
        if self.files.contains_key(&p) || self.list(&p).is_ok() {
            Ok(p)
        } else {
            Err(std::io::Error::from(std::io::ErrorKind::NotFound))
        }
    }
}

/// A path with `.` and `..` resolved by its words alone.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// What a file is read for, so that its error can say what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A notice given to a command.
    Notice,
    /// A data file or folder a notice names.
    Data,
    /// A data file or folder given on the command line.
    GivenData,
    /// A test file.
    TestFile,
    /// A file to format.
    Format,
}

impl Role {
    fn help(self) -> &'static str {
        match self {
            Role::Notice => "check the file name: give the path of a `.notice` file, e.g. `notice check notices/waltham-forest-2012.notice`",
            Role::Data => "check the path; data paths in a notice are relative to the notice file",
            Role::GivenData => "check the path; a path given with `--data` is relative to the current folder",
            Role::TestFile => "test files are named NAME.test.toml; their `notice` path is relative to the test file",
            Role::Format => "give the path of a `.notice` file",
        }
    }
}

/// A file that cannot be read as text.
#[derive(Debug, Error, Diagnostic)]
pub(crate) enum FileError {
    /// The file is not there.
    #[error("`{path}` does not exist")]
    NotFound {
        /// The path as given.
        path: String,
        /// What to do.
        #[help]
        help: &'static str,
    },
    /// The file is there but cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// Why.
        reason: String,
        /// What to do.
        #[help]
        help: &'static str,
    },
    /// The file is not UTF-8 text.
    #[error("{file} line {line}: the file is not UTF-8 text")]
    #[diagnostic(help("save the file as UTF-8 (in a spreadsheet, as \"CSV UTF-8\")"))]
    NotUtf8 {
        /// The file.
        file: String,
        /// The line of the first byte that is not UTF-8.
        line: usize,
        /// The text, with the bad bytes replaced.
        #[source_code]
        src: crate::source::Named,
        /// The first bad character.
        #[label("the first character that is not UTF-8")]
        span: SourceSpan,
    },
}

impl FileError {
    /// The error for an I/O failure on `path`.
    pub(crate) fn io(path: &Path, e: &std::io::Error, role: Role) -> FileError {
        let path = path.display().to_string();
        if e.kind() == std::io::ErrorKind::NotFound {
            FileError::NotFound {
                path,
                help: role.help(),
            }
        } else {
            FileError::Unreadable {
                path,
                reason: e.to_string(),
                help: role.help(),
            }
        }
    }
}

/// Reads a file as text, the one way every file is read: UTF-8, with a
/// leading byte-order mark (as spreadsheets write) dropped, and a located
/// error for the first byte that is not UTF-8.
pub(crate) fn read_text(
    sources: &dyn Sources,
    path: &Path,
    role: Role,
) -> Result<SourceFile, FileError> {
    let bytes = sources
        .read(path)
        .map_err(|e| FileError::io(path, &e, role))?;
    text_of(path.display().to_string(), bytes)
}

/// Decodes a file's bytes by the policy of [`read_text`].
pub(crate) fn text_of(name: String, bytes: Vec<u8>) -> Result<SourceFile, FileError> {
    let mut bytes = bytes;
    let bom = "\u{feff}".len();
    if bytes.starts_with("\u{feff}".as_bytes()) {
        bytes.drain(..bom);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let src = SourceFile::new(name.clone(), lossy);
            let (line, _) = src.line_col(valid);
            Err(FileError::NotUtf8 {
                file: name,
                line,
                span: Span::new(valid, valid + char::REPLACEMENT_CHARACTER.len_utf8()).into(),
                src: src.named(),
            })
        }
    }
}

impl crate::diagnostics::Coded for FileError {
    fn diagnostic_code(&self) -> crate::diagnostics::Code {
        use crate::diagnostics::Code;
        match self {
            FileError::NotFound { .. } => Code::FileNotFound,
            FileError::Unreadable { .. } => Code::FileUnreadable,
            FileError::NotUtf8 { .. } => Code::FileNotUtf8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = SourceFile::new("x", "ab\n£5 x\n");
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(3), (2, 1));
        // `x` is after `£` (2 bytes), `5` and a space.
        assert_eq!(src.line_col(7), (2, 4));
        assert_eq!(src.slice(src.line_span(2)), "£5 x");
    }

    #[test]
    fn lines_kept_of_a_file_keep_their_numbers() {
        use miette::SourceCode;
        let src = SourceFile::lines_of("f", "a\nb\nc\n".into(), vec![1, 5, 6]);
        assert_eq!(src.line_col(2), (5, 1));
        assert_eq!(src.slice(src.line_span(6)), "c");
        assert_eq!(src.line_span(3), Span::new(0, 0));
        // Context is the file's neighbouring lines: line 1 is not next to 5.
        let shown = src.read_span(&(2..3).into(), 1, 1).unwrap();
        assert_eq!(shown.line(), 4);
        assert_eq!(std::str::from_utf8(shown.data()).unwrap(), "b\nc\n");
        assert_eq!(shown.span().offset(), 2);
    }

    #[test]
    fn one_text_policy_for_every_file() {
        let mem = Memory::new()
            .with("a/b.csv", "\u{feff}x,y\n")
            .with("a/bad.csv", b"ok\n\xff\n".to_vec());
        let t = read_text(&mem, Path::new("a/./b.csv"), Role::Data).unwrap();
        assert_eq!(&*t.text, "x,y\n");
        match read_text(&mem, Path::new("a/bad.csv"), Role::Data) {
            Err(FileError::NotUtf8 { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read_text(&mem, Path::new("a/none.csv"), Role::Data),
            Err(FileError::NotFound { .. })
        ));
        assert_eq!(mem.list(Path::new("a")).unwrap().map(|v| v.len()), Some(2));
    }
}
