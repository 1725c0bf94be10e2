//! CSV observations and evidence, validated against a checked notice.
//! Every value keeps the file and line it came from; a bad row is a located
//! error, never skipped.

mod error;
mod loader;
mod published;
mod row;
mod scan;
mod set;
mod values;
mod workbook;

use std::path::{Path, PathBuf};

pub(crate) use error::DataError;
pub use published::Withheld;
pub use set::{DataSet, EvidenceRecord, Level, Observation, Provenance};

use crate::check::Notice;
use crate::diagnostics::Code;
use crate::source::{FileError, Role, SourceFile, Sources};
use loader::Loader;

/// Which areas' rows are read.
///
/// Reading the rules for another area than the authority (`Every`, `Also`),
/// the other areas' rows of a declared metric no rule reads are counted and
/// passed over, not stored: a notice using a national library of hundreds
/// of metrics screens in the memory of the few its rules read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Areas {
    /// The notice's authority and the areas its rules name; rows of other
    /// areas are passed over, and counted.
    #[default]
    Notice,
    /// Every area: for a screen, which reads the rules for each in turn.
    Every,
    /// The notice's areas and this one (`eval --area`); the other areas'
    /// names are kept, for a name given that is not quite one of them.
    Also(String),
}

/// Who named a data file: its error says where the path is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Given {
    /// The notice's `data` line, or a test file's; relative to that file.
    ByNotice {
        /// Where the path is written in the notice: an `// allow(...)`
        /// there silences the file's warnings.
        line: Option<crate::source::Span>,
        /// The day the notice says the file was published.
        published: Option<crate::time::Date>,
    },
    /// `--data` on the command line, relative to the current folder.
    OnCommandLine,
}

impl Given {
    /// The day the notice says the file was published, if it does.
    fn published(self) -> Option<crate::time::Date> {
        match self {
            Given::ByNotice { published, .. } => published,
            Given::OnCommandLine => None,
        }
    }

    fn role(self) -> Role {
        match self {
            Given::ByNotice { .. } => Role::Data,
            Given::OnCommandLine => Role::GivenData,
        }
    }
}

/// Loads a data set from files or folders read through `sources`, and from
/// text already in memory (a test file's inline CSV), in that order.
pub(crate) fn load_from(
    sources: &dyn Sources,
    notice: &Notice,
    paths: &[PathBuf],
    texts: Vec<SourceFile>,
) -> Result<DataSet, Vec<DataError>> {
    let paths: Vec<(PathBuf, Given)> = paths
        .iter()
        .map(|p| {
            let given = Given::ByNotice {
                line: None,
                published: None,
            };
            (p.clone(), given)
        })
        .collect();
    load_areas(sources, notice, &paths, texts, Areas::Notice)
}

/// Loads a data set as [`load_from`] does, reading the rows of `areas`.
pub(crate) fn load_areas(
    sources: &dyn Sources,
    notice: &Notice,
    paths: &[(PathBuf, Given)],
    texts: Vec<SourceFile>,
    areas: Areas,
) -> Result<DataSet, Vec<DataError>> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    // A folder the notice names is read for its files inside the notice's
    // own folder only: a link in it to anywhere else is refused, by the
    // path it resolves to.
    let root = sources.canonical(&notice.folder).ok();
    for (path, given) in paths {
        let (path, sheet) = sheet_of(path);
        match expand(sources, &path, given.role()) {
            Ok(found) => {
                for p in found {
                    if let (Given::ByNotice { line, .. }, Some(root)) = (given, &root) {
                        let inside = sources.canonical(&p).map_or(true, |t| t.starts_with(root));
                        if !inside {
                            errors.push(DataError::OutsideNotice {
                                path: p.display().to_string(),
                                src: notice.source.named(),
                                span: line.unwrap_or_default().into(),
                            });
                            continue;
                        }
                    }
                    files.push((p, sheet.clone(), *given));
                }
            }
            Err(e) => errors.push(e),
        }
    }
    let mut loader = Loader::new(notice, areas);
    for (path, sheet, given) in files {
        loader.set_source(allowed_on(notice, given), given.published());
        let shown = path.display().to_string();
        if workbook::is_workbook(&path) {
            let sheets = sources
                .read(&path)
                .map_err(|e| DataError::File(FileError::io(&path, &e, given.role())))
                .and_then(|bytes| {
                    workbook::read(bytes, sheet.as_deref()).map_err(|r| DataError::Workbook {
                        file: shown.clone(),
                        reason: r.reason,
                        help: r.help,
                    })
                });
            match sheets {
                Ok(sheets) => {
                    for s in &sheets {
                        loader.sheet(&shown, s, sheet.is_none(), &mut errors);
                    }
                }
                Err(e) => errors.push(e),
            }
            continue;
        }
        match sources.open(&path) {
            Ok(input) => loader.file(shown.into(), input, &mut errors),
            Err(e) => errors.push(DataError::File(FileError::io(&path, &e, given.role()))),
        }
    }
    loader.set_source(Vec::new(), None);
    for src in texts {
        loader.text(std::sync::Arc::clone(&src.name), &src.text, &mut errors);
    }
    let data = loader.finish(&mut errors);
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}

/// The data warnings a file's `data` line allows (`Code::DATA_FILE_WARNINGS`).
fn allowed_on(notice: &Notice, given: Given) -> Vec<Code> {
    let Given::ByNotice {
        line: Some(span), ..
    } = given
    else {
        return Vec::new();
    };
    Code::DATA_FILE_WARNINGS
        .into_iter()
        .filter(|&code| crate::check::lint::silenced(&notice.source, code, span))
        .collect()
}

/// A data path without the `#Sheet` of a workbook.
pub(crate) fn without_sheet(path: &Path) -> PathBuf {
    sheet_of(path).0
}

/// A workbook's path and the sheet its `#NAME` suffix names
/// (`board.xlsx#Figures`); any other path as it is. The suffix starts at the
/// first `#` after a workbook's extension, so a sheet's name may hold `#`
/// (`board.xlsx#Q1 #2`).
fn sheet_of(path: &Path) -> (PathBuf, Option<String>) {
    let text = path.to_string_lossy();
    for (at, _) in text.match_indices('#') {
        let (file, sheet) = (&text[..at], &text[at + 1..]);
        let file = PathBuf::from(file);
        if workbook::is_workbook(&file) && !sheet.is_empty() {
            return (file, Some(sheet.to_string()));
        }
    }
    (path.to_path_buf(), None)
}

/// A file, or the CSV files and workbooks of a folder in name order.
fn expand(sources: &dyn Sources, path: &Path, role: Role) -> Result<Vec<PathBuf>, DataError> {
    let entries = sources
        .list(path)
        .map_err(|e| DataError::File(FileError::io(path, &e, role)))?;
    let Some(entries) = entries else {
        return Ok(vec![path.to_path_buf()]);
    };
    let found: Vec<PathBuf> = entries
        .into_iter()
        .filter(|p| {
            p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) || workbook::is_workbook(p)
        })
        .collect();
    if found.is_empty() {
        return Err(DataError::EmptyFolder {
            path: path.display().to_string(),
        });
    }
    Ok(found)
}

/// Reads a CSV stream with the scanner, touching every field: how many
/// records, and the bytes of their fields (for `benches/scan.rs`).
#[cfg(feature = "bench-internals")]
pub(crate) fn scan_for_bench(input: impl std::io::Read + Send) -> std::io::Result<(u64, usize)> {
    let (mut records, mut bytes) = (0u64, 0usize);
    let scanned = scan::scan(input, |record| {
        records += 1;
        bytes += (0..record.len())
            .map(|c| record.get(c).len())
            .sum::<usize>();
        scan::Flow::Go
    });
    match scanned {
        Ok(()) => Ok((records, bytes)),
        Err(scan::ScanError::Io(e)) => Err(e),
        Err(scan::ScanError::NotUtf8 { line, .. }) => {
            Err(std::io::Error::other(format!("line {line} is not UTF-8")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_is_named_after_the_first_hash_past_the_extension() {
        let split = |p: &str| sheet_of(Path::new(p));
        assert_eq!(
            split("data/board.xlsx#Figures"),
            (PathBuf::from("data/board.xlsx"), Some("Figures".into()))
        );
        assert_eq!(
            split("board.xlsx#a#b"),
            (PathBuf::from("board.xlsx"), Some("a#b".into()))
        );
        assert_eq!(
            split("odd#folder/board.ods#Q1"),
            (PathBuf::from("odd#folder/board.ods"), Some("Q1".into()))
        );
        assert_eq!(split("data.csv#x"), (PathBuf::from("data.csv#x"), None));
        assert_eq!(split("board.xlsx#"), (PathBuf::from("board.xlsx#"), None));
    }
}
