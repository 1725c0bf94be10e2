//! # notice
//!
//! A rules language for government improvement notices, and the interpreter
//! that tells a council, measure by measure, whether it is doing what it was
//! told as of any date.
//!
//! A [`Project`] reads files through a [`Sources`] seam (the disk, or
//! [`Memory`] for an editor's unsaved buffers) and runs the pipeline: a
//! notice parsed and checked into a [`check::Notice`], its data loaded into a
//! [`data::DataSet`], evaluated by [`eval::evaluate`] into an
//! [`eval::Outcome`] whose verdicts carry the typed findings they were
//! decided on ([`eval::trace`]), and rendered by [`report`] (the table,
//! explanations, JSON, the board paper, SARIF, GitHub annotations and
//! JUnit). Whatever goes wrong, or deserves a warning, is a [`Diagnostic`]
//! with its [`Code`] and the places it points at.
//!
//! ```
//! use notice_rules::{eval, Memory, Project};
//! let notice = r#"notice demo {
//!   title "Demo" authority "Somewhere" issued 2012-01-23
//!   data "evidence.csv"
//!   evidence plan "An action plan"
//!   measure "i" "Plan" { require evidence plan within 3 months of issued }
//! }"#;
//! let files = Memory::new()
//!     .with("demo/demo.notice", notice)
//!     .with("demo/evidence.csv", "kind,date,reference\nplan,2012-03-01,Board minute 4\n");
//! let project = Project::new(&files);
//! let (notice, _warnings) = project.load_notice("demo/demo.notice".as_ref()).unwrap();
//! let (data, _warnings) = project.load_data(&notice, notice_rules::DataFiles::Notice, Vec::new()).unwrap();
//! let as_of = notice_rules::time::parse_date("2012-08-01").unwrap();
//! let outcome = eval::evaluate(&notice, &data, as_of);
//! assert_eq!(outcome.status, eval::Status::Met);
//! assert_eq!(notice_rules::exit::of(&outcome), notice_rules::exit::OK);
//! ```

#![warn(missing_docs)]
#![warn(unreachable_pub, unnameable_types)]

mod ast;
pub mod check;
pub mod data;
mod diagnostics;
pub mod eval;
mod fmt;
mod load;
pub mod lsp;
pub mod report;
pub mod runner;
mod source;
mod syntax;
mod template;
pub mod time;
mod value;

use std::path::{Path, PathBuf};

pub use source::{Disk, Memory, Site, SourceFile, Sources, Span};

pub use diagnostics::{Code, Diagnostic, Label, Position};
pub use template::{new_notice, LIBRARY as SHARED_LIBRARY};

/// The data scanner, for `benches/scan.rs` only (feature `bench-internals`):
/// not part of the library's API.
#[cfg(feature = "bench-internals")]
#[doc(hidden)]
pub mod bench_internals {
    /// Reads a CSV file with the scanner the data loader uses, touching every
    /// field: how many records, and the bytes of their fields.
    pub fn scan_file(path: &std::path::Path) -> std::io::Result<(u64, usize)> {
        crate::data::scan_for_bench(std::fs::File::open(path)?)
    }
}

/// The exit codes every command uses; users script against them.
pub mod exit {
    /// Evaluated (or checked), and no `require` is not met.
    pub const OK: u8 = 0;
    /// At least one `require` is not met (or a test failed, or a file would be reformatted).
    pub const NOT_MET: u8 = 1;
    /// The input could not be used: usage, syntax, check or data error.
    pub const UNUSABLE: u8 = 2;

    /// The exit code of an evaluation.
    pub fn of(outcome: &crate::eval::Outcome) -> u8 {
        if outcome.has_unmet_requirement() {
            NOT_MET
        } else {
            OK
        }
    }
}

/// The files a notice's data set is read from, each with who named it.
pub(crate) fn data_paths(
    notice: &check::Notice,
    files: DataFiles<'_>,
) -> Vec<(PathBuf, data::Given)> {
    let own = notice.data.iter().enumerate().map(|(i, p)| {
        let given = data::Given::ByNotice {
            line: notice.data_spans.get(i).copied(),
            published: notice.data_published.get(i).copied().flatten(),
        };
        (p.clone(), given)
    });
    let given = |paths: &[PathBuf]| {
        paths
            .iter()
            .map(|p| (p.clone(), data::Given::OnCommandLine))
            .collect::<Vec<_>>()
    };
    match files {
        DataFiles::Notice => own.collect(),
        DataFiles::Adding(paths) => own.chain(given(paths)).collect(),
        DataFiles::Only(paths) => given(paths),
    }
}

/// Which files a notice's data set is read from.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum DataFiles<'a> {
    /// The notice's own `data` line.
    Notice,
    /// The notice's own `data`, and these files or folders after them
    /// (`notice eval --data`).
    Adding(&'a [PathBuf]),
    /// These files or folders only, not the notice's own `data`
    /// (`--only-data`, `notice screen`).
    Only(&'a [PathBuf]),
}

/// A file that was checked: a notice, or a library of shared declarations.
pub enum Checked {
    /// A notice, ready to evaluate.
    Notice(Box<check::Notice>),
    /// A library: its name and how many declarations it has.
    Library {
        /// Its name.
        name: String,
        /// How many metrics, scales and evidence kinds it declares.
        declarations: usize,
    },
}

/// The whole pipeline over a source of files: disk for the command line,
/// memory for an editor or a service that holds unsaved text.
pub struct Project<'s> {
    sources: &'s dyn Sources,
}

impl<'s> Project<'s> {
    /// A project reading its files through `sources`.
    pub fn new(sources: &'s dyn Sources) -> Self {
        Project { sources }
    }

    /// Reads a notice file and the libraries it uses, parses and checks
    /// them. On success, the notice and its warnings; otherwise every error.
    pub fn load_notice(
        &self,
        path: &Path,
    ) -> Result<(check::Notice, Vec<Diagnostic>), Vec<Diagnostic>> {
        let src = source::read_text(self.sources, path, source::Role::Notice)
            .map_err(|e| vec![crate::Diagnostic::from(e)])?;
        self.check_notice_text(src, folder_of(path))
    }

    /// Parses and checks a notice's text; `dir` is the folder its data and
    /// `use` paths are relative to.
    pub fn check_notice_text(
        &self,
        src: SourceFile,
        dir: &Path,
    ) -> Result<(check::Notice, Vec<Diagnostic>), Vec<Diagnostic>> {
        self.check_loaded(load::load(self.sources, src, dir)?, dir)
    }

    fn check_loaded(
        &self,
        loaded: load::Loaded,
        dir: &Path,
    ) -> Result<(check::Notice, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (notice, warnings) =
            check::check_with(&loaded.source, &loaded.notice, dir, &loaded.libraries)
                .map_err(diagnostics::all)?;
        Ok((notice, diagnostics::all(warnings)))
    }

    /// Checks any file, a notice or a library, as an editor does on save.
    pub fn check_file(&self, path: &Path) -> Result<(Checked, Vec<Diagnostic>), Vec<Diagnostic>> {
        let src = source::read_text(self.sources, path, source::Role::Notice)
            .map_err(|e| vec![crate::Diagnostic::from(e)])?;
        let dir = folder_of(path);
        match syntax::parse_file(&src).map_err(diagnostics::all)? {
            ast::File::Notice(parsed) => {
                let loaded = load::load_parsed(self.sources, src, parsed, dir)?;
                let (notice, warnings) = self.check_loaded(loaded, dir)?;
                Ok((Checked::Notice(Box::new(notice)), warnings))
            }
            ast::File::Library(lib) => {
                let (libraries, errors) = load::follow_uses(self.sources, &src, dir, &lib.uses);
                if !errors.is_empty() {
                    return Err(errors);
                }
                let warnings =
                    check::check_library(&src, &lib, &libraries).map_err(diagnostics::all)?;
                Ok((
                    Checked::Library {
                        name: lib.id.node.clone(),
                        declarations: lib.decls.len(),
                    },
                    diagnostics::all(warnings),
                ))
            }
        }
    }

    /// Whether a data path the notice names is inside the notice's folder
    /// (links resolved). A path that does not exist is left to the loader to
    /// report as missing.
    fn inside_notice_folder(&self, notice: &check::Notice, path: &Path) -> bool {
        let folder = notice.folder.as_path();
        let file = data::without_sheet(path);
        let Ok(target) = self.sources.canonical(&file) else {
            return true;
        };
        match self.sources.canonical(folder) {
            Ok(root) => target.starts_with(root),
            Err(_) => false,
        }
    }

    /// Loads the data set for a notice from `files` (its own `data`, more
    /// files added to it, or other files only); its warnings are returned
    /// beside it.
    pub fn load_data(
        &self,
        notice: &check::Notice,
        files: DataFiles<'_>,
        texts: Vec<SourceFile>,
    ) -> Result<(data::DataSet, Vec<Diagnostic>), Vec<Diagnostic>> {
        self.load_data_of(notice, files, texts, data::Areas::Notice)
    }

    /// Loads the data set for a notice as [`Project::load_data`] does,
    /// reading the rows of `areas`.
    pub fn load_data_of(
        &self,
        notice: &check::Notice,
        files: DataFiles<'_>,
        texts: Vec<SourceFile>,
        areas: data::Areas,
    ) -> Result<(data::DataSet, Vec<Diagnostic>), Vec<Diagnostic>> {
        let paths = data_paths(notice, files);
        {
            // A notice names data inside its own folder tree, as it names
            // libraries: a notice from elsewhere cannot read `/etc/shadow`.
            // Paths given on the command line may point anywhere.
            let outside: Vec<Diagnostic> = paths
                .iter()
                .filter_map(|(p, given)| match given {
                    data::Given::ByNotice { line, .. } => Some((p, line.unwrap_or_default())),
                    data::Given::OnCommandLine => None,
                })
                .filter(|(p, _)| !self.inside_notice_folder(notice, p))
                .map(|(p, span)| {
                    crate::Diagnostic::from(data::DataError::OutsideNotice {
                        path: p.display().to_string(),
                        src: notice.source.named(),
                        span: span.into(),
                    })
                })
                .collect();
            if !outside.is_empty() {
                return Err(outside);
            }
        }
        if paths.is_empty() && texts.is_empty() {
            return Err(vec![crate::Diagnostic::from(data::DataError::NoData {
                notice: notice.source.name.to_string(),
            })]);
        }
        let mut data = data::load_areas(self.sources, notice, &paths, texts, areas)
            .map_err(diagnostics::all)?;
        let warnings = diagnostics::all(std::mem::take(&mut data.warnings));
        Ok((data, warnings))
    }

    /// Loads a data set from files already in memory only (an editor's
    /// unsaved data, a test), whatever the notice's own `data` names.
    pub fn load_data_texts(
        &self,
        notice: &check::Notice,
        texts: Vec<SourceFile>,
    ) -> Result<(data::DataSet, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut data = data::load_areas(self.sources, notice, &[], texts, data::Areas::Notice)
            .map_err(diagnostics::all)?;
        let warnings = diagnostics::all(std::mem::take(&mut data.warnings));
        Ok((data, warnings))
    }

    /// A file's text in the canonical layout (the file as read, and its
    /// formatted text); a file that does not parse, or whose layout would not
    /// parse, is refused.
    pub fn format(&self, path: &Path) -> Result<(SourceFile, String), Vec<Diagnostic>> {
        let src = source::read_text(self.sources, path, source::Role::Format)
            .map_err(|e| vec![crate::Diagnostic::from(e)])?;
        // Only a file that parses is formatted: the layout follows its brackets.
        syntax::parse_file(&src).map_err(diagnostics::all)?;
        let formatted = fmt::format(&src.text);
        // A layout that would break the file is a bug, and the file is left as it was.
        if syntax::parse_file(&SourceFile::new(src.name.to_string(), formatted.as_str())).is_err() {
            return Err(vec![Diagnostic::unlocated(
                Code::InternalOutput,
                format!(
                    "formatting `{}` would break it; it is left as it was",
                    src.name
                ),
                Some("this is a bug in notice: please report it with this file".to_string()),
            )]);
        }
        Ok((src, formatted))
    }
}

/// The folder a file's relative paths start from.
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Parses and checks a notice's text, with the libraries it `use`s read
/// from disk. `dir` is the folder its data and `use` paths are relative to.
pub fn load_notice_text(
    name: &str,
    text: &str,
    dir: &Path,
) -> Result<(check::Notice, Vec<Diagnostic>), Vec<Diagnostic>> {
    Project::new(&Disk).check_notice_text(SourceFile::new(name, text), dir)
}

/// Reads, parses and checks a notice file from disk.
pub fn load_notice(path: &Path) -> Result<(check::Notice, Vec<Diagnostic>), Vec<Diagnostic>> {
    Project::new(&Disk).load_notice(path)
}

/// How deeply brackets and `not` may nest in a notice: deeper is the
/// syntax error `notice::syntax::too_deep`, so that no input can exhaust
/// the parser's stack.
pub const MAX_NESTING: usize = syntax::MAX_DEPTH;

/// Every syntax error of a text (a notice or a library), all at once, as an
/// editor shows them while the author types; none when it parses.
pub fn syntax_errors(src: &SourceFile) -> Vec<Diagnostic> {
    match syntax::parse_file(src) {
        Ok(_) => Vec::new(),
        Err(errors) => diagnostics::all(errors),
    }
}

/// A text in the canonical layout (what `notice fmt` writes): indentation
/// by nesting, one blank line at most, comments kept, and every string kept
/// byte for byte. It lays out any text; [`Project::format`] refuses a file
/// that does not parse.
pub fn format_text(text: &str) -> String {
    fmt::format(text)
}

/// The date a date expression stands for (`2012-01-31 + 1 month`,
/// `2012-05-28 + 15 working days`), with its warnings (working days in a
/// year whose bank holidays are not yet published); what `notice date` prints.
pub fn date_expression(text: &str) -> Result<(time::Date, Vec<Diagnostic>), Vec<Diagnostic>> {
    let src = SourceFile::new("<expression>", text);
    let parsed = syntax::parse_date_expr(&src).map_err(|e| vec![Diagnostic::from(e)])?;
    let (date, warnings) =
        check::eval_date(&src, &parsed).map_err(|e| vec![Diagnostic::from(e)])?;
    Ok((date, diagnostics::all(warnings)))
}

/// Renders a diagnostic without colour at a fixed width (tests, logs, pipes).
pub fn render_plain(diag: &Diagnostic, width: usize) -> String {
    render(diag, width, false)
}

/// Renders a diagnostic as plain sentences (miette's narratable handler),
/// for screen readers and logs.
pub fn render_narrated(diag: &Diagnostic) -> String {
    let mut out = String::new();
    if miette::NarratableReportHandler::new()
        .render_report(&mut out, diag)
        .is_err()
    {
        out = format!("{diag}\n");
    }
    out
}

/// Renders a diagnostic with miette's graphical handler.
pub fn render(diag: &Diagnostic, width: usize, color: bool) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    // Lines break at spaces only: a date (`2012-07-23`) or a number is never split.
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_break_words(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    if handler.render_report(&mut out, diag).is_err() {
        out = format!("{diag}\n");
    }
    out
}
