//! Reading a notice file and the library files it `use`s.
//!
//! A `use` path is relative to the file that names it. Every library must
//! lie inside the folder of the notice that was given (so a notice cannot
//! read arbitrary files), a missing file is an error at its `use`, and a
//! cycle of `use`s is reported with the files in it. A library used twice
//! (by two libraries, say) is read once.

use std::path::{Path, PathBuf};

use miette::SourceSpan;
use thiserror::Error;

use crate::ast::{self, File};
use crate::source::{read_text, FileError, Role, SourceFile, Sources, Spanned};
use crate::{syntax, Diagnostic};

/// A `use` that cannot be followed.
#[derive(Debug, Error, miette::Diagnostic)]
#[non_exhaustive]
pub(crate) enum UseError {
    /// The file is not there.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(help("`use` paths are relative to the file that names them"))]
    NotFound {
        #[source_code]
        src: crate::source::Named,
        #[label("used here")]
        span: SourceSpan,
        path: String,
        reason: String,
    },
    /// The file is outside the notice's folder.
    #[error("`{path}` is outside the folder of the notice")]
    #[diagnostic(help(
        "keep libraries in the notice's folder or below it, e.g. `lib/indicators.notice`"
    ))]
    Outside {
        #[source_code]
        src: crate::source::Named,
        #[label("leaves the notice's folder")]
        span: SourceSpan,
        path: String,
    },
    /// Files that use each other.
    #[error("`use` cycle: {cycle}")]
    #[diagnostic(help("a library cannot use, directly or not, a file that uses it"))]
    Cycle {
        #[source_code]
        src: crate::source::Named,
        #[label("this closes the cycle")]
        span: SourceSpan,
        cycle: String,
    },
    /// A notice where a library is needed.
    #[error("`{path}` is a notice, not a library")]
    #[diagnostic(help("only `library NAME {{ ... }}` files can be used"))]
    NotALibrary {
        #[source_code]
        src: crate::source::Named,
        #[label("used here")]
        span: SourceSpan,
        path: String,
    },
}

/// A notice with the libraries it uses, in the order to read them.
pub(crate) struct Loaded {
    /// The notice's text.
    pub source: SourceFile,
    /// The notice as written.
    pub notice: ast::Notice,
    /// Every library reached, each before the files that use it.
    pub libraries: Vec<(SourceFile, ast::Library)>,
}

/// Parses a notice and follows its `use`s, reading through `sources`.
pub(crate) fn load(
    sources: &dyn Sources,
    source: SourceFile,
    dir: &Path,
) -> Result<Loaded, Vec<Diagnostic>> {
    let notice = syntax::parse(&source).map_err(crate::diagnostics::all)?;
    load_parsed(sources, source, notice, dir)
}

/// Follows the `use`s of a notice already parsed.
pub(crate) fn load_parsed(
    sources: &dyn Sources,
    source: SourceFile,
    notice: ast::Notice,
    dir: &Path,
) -> Result<Loaded, Vec<Diagnostic>> {
    let (libraries, errors) = follow_uses(sources, &source, dir, &notice.uses);
    if errors.is_empty() {
        Ok(Loaded {
            source,
            notice,
            libraries,
        })
    } else {
        Err(errors)
    }
}

/// Reads every library reached from `uses` (of the file `from`, in `dir`),
/// each before the files that use it; and the errors met.
pub(crate) fn follow_uses(
    sources: &dyn Sources,
    from: &SourceFile,
    dir: &Path,
    uses: &[Spanned<String>],
) -> (Vec<(SourceFile, ast::Library)>, Vec<Diagnostic>) {
    let root = sources.canonical(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut walk = Walk {
        sources,
        root,
        stack: Vec::new(),
        done: Vec::new(),
        libraries: Vec::new(),
        errors: Vec::new(),
    };
    walk.uses(from, dir, uses);
    (walk.libraries, walk.errors)
}

struct Walk<'s> {
    sources: &'s dyn Sources,
    root: PathBuf,
    /// The files being read, outermost first: a `use` of one of them is a cycle.
    stack: Vec<PathBuf>,
    /// The files already read.
    done: Vec<PathBuf>,
    libraries: Vec<(SourceFile, ast::Library)>,
    errors: Vec<Diagnostic>,
}

impl Walk<'_> {
    fn fail(&mut self, e: impl crate::diagnostics::Coded) {
        self.errors.push(crate::Diagnostic::from(e));
    }

    /// `use`d file `path` cannot be read: the error at the `use`.
    fn not_found(&mut self, from: &SourceFile, u: &Spanned<String>, path: &Path, reason: String) {
        self.fail(UseError::NotFound {
            src: from.named(),
            span: u.span.into(),
            path: path.display().to_string(),
            reason,
        });
    }

    fn uses(&mut self, from: &SourceFile, dir: &Path, uses: &[Spanned<String>]) {
        for u in uses {
            self.follow(from, dir, u);
        }
    }

    fn follow(&mut self, from: &SourceFile, dir: &Path, u: &Spanned<String>) {
        let path = dir.join(&u.node);
        let canonical = match self.sources.canonical(&path) {
            Ok(c) => c,
            Err(e) => return self.not_found(from, u, &path, e.to_string()),
        };
        if !canonical.starts_with(&self.root) {
            return self.fail(UseError::Outside {
                src: from.named(),
                span: u.span.into(),
                path: u.node.clone(),
            });
        }
        if let Some(at) = self.stack.iter().position(|p| *p == canonical) {
            let mut names: Vec<String> = self
                .stack
                .get(at..)
                .unwrap_or_default()
                .iter()
                .map(|p| short(p, &self.root))
                .collect();
            names.push(short(&canonical, &self.root));
            return self.fail(UseError::Cycle {
                src: from.named(),
                span: u.span.into(),
                cycle: names.join(" -> "),
            });
        }
        if self.done.contains(&canonical) {
            return;
        }
        let source = match read_text(self.sources, &path, Role::Notice) {
            Ok(s) => s,
            Err(e @ FileError::NotUtf8 { .. }) => return self.fail(e),
            Err(FileError::Unreadable { reason, .. }) => {
                return self.not_found(from, u, &path, reason)
            }
            Err(FileError::NotFound { .. }) => {
                return self.not_found(from, u, &path, "it does not exist".into())
            }
        };
        let library = match syntax::parse_file(&source) {
            Ok(File::Library(l)) => l,
            Ok(File::Notice(_)) => {
                return self.fail(UseError::NotALibrary {
                    src: from.named(),
                    span: u.span.into(),
                    path: u.node.clone(),
                })
            }
            Err(errors) => return self.errors.extend(crate::diagnostics::all(errors)),
        };
        self.stack.push(canonical.clone());
        let lib_dir = path
            .parent()
            .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
        self.uses(&source, &lib_dir, &library.uses);
        self.stack.pop();
        self.done.push(canonical);
        self.libraries.push((source, library));
    }
}

/// A path as the reader knows it: relative to the notice's folder.
fn short(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

impl crate::diagnostics::Coded for UseError {
    fn diagnostic_code(&self) -> crate::diagnostics::Code {
        use crate::diagnostics::Code;
        match self {
            UseError::NotFound { .. } => Code::UsesNotFound,
            UseError::Outside { .. } => Code::UsesOutside,
            UseError::Cycle { .. } => Code::UsesCycle,
            UseError::NotALibrary { .. } => Code::UsesNotALibrary,
        }
    }
}
