//! # notice
//!
//! A rules language for government improvement notices, and the interpreter
//! that tells a council, measure by measure, whether it is doing what it was
//! told as of any date.
//!
//! The pipeline is the layout: [`syntax`] (text to AST) → [`check`] (AST to
//! checked notice) → [`data`] (CSV to observations) → [`eval`] (statuses) →
//! [`report`] (human and JSON). Every stage returns its errors as data, each
//! a [`miette::Diagnostic`] with a stable code.
//!
//! ```
//! use notice_rules::{load_notice_text, data, eval};
//! let text = r#"notice demo {
//!   title "Demo" authority "Somewhere" issued 2012-01-23
//!   evidence plan "An action plan"
//!   measure "i" "Plan" { require evidence plan within 3 months of issued }
//! }"#;
//! let (notice, _warnings) = load_notice_text("demo.notice", text, std::path::Path::new(".")).unwrap();
//! let csv = "kind,date,reference\nplan,2012-03-01,Board minute 4\n";
//! let data = data::load_texts(&notice, vec![notice_rules::SourceFile::new("e.csv", csv)]).unwrap();
//! let as_of = notice_rules::time::parse_date("2012-08-01").unwrap();
//! let outcome = eval::evaluate(&notice, &data, as_of);
//! assert_eq!(outcome.status, eval::Status::Met);
//! ```

pub mod ast;
pub mod check;
pub mod data;
pub mod eval;
pub mod fmt;
pub mod load;
pub mod report;
pub mod runner;
pub mod source;
pub mod syntax;
pub mod template;
pub mod time;
pub mod value;

use std::path::Path;

pub use source::{SourceFile, Span};

/// Any diagnostic of any stage, ready to render.
pub type Diag = Box<dyn miette::Diagnostic + Send + Sync + 'static>;

fn boxed<E: miette::Diagnostic + Send + Sync + 'static>(errors: Vec<E>) -> Vec<Diag> {
    errors.into_iter().map(|e| Box::new(e) as Diag).collect()
}

/// Parses and checks a notice's text, with the libraries it `use`s. `dir`
/// is the folder its data and `use` paths are relative to. On success,
/// returns the notice and its warnings; otherwise every error.
pub fn load_notice_text(
    name: &str,
    text: &str,
    dir: &Path,
) -> Result<(check::Notice, Vec<Diag>), Vec<Diag>> {
    let loaded = load::load(SourceFile::new(name, text), dir)?;
    let (notice, warnings) =
        check::check_with(&loaded.source, &loaded.notice, dir, &loaded.libraries).map_err(boxed)?;
    Ok((notice, boxed(warnings)))
}

/// Reads, parses and checks a notice file.
pub fn load_notice(path: &Path) -> Result<(check::Notice, Vec<Diag>), Vec<Diag>> {
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Box::new(data::DataError::Unreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        }) as Diag]
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let src = SourceFile::new(path.display().to_string(), lossy);
            return Err(vec![Box::new(syntax::ParseError::NotUtf8 {
                src: src.named(),
                span: Span::new(valid, valid + char::REPLACEMENT_CHARACTER.len_utf8()).into(),
            }) as Diag]);
        }
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    load_notice_text(&path.display().to_string(), &text, dir)
}

/// Renders a diagnostic without colour at a fixed width (tests, logs, pipes).
pub fn render_plain(diag: &dyn miette::Diagnostic, width: usize) -> String {
    render(diag, width, false)
}

/// Renders a diagnostic as plain sentences (miette's narratable handler),
/// for screen readers and logs.
pub fn render_narrated(diag: &dyn miette::Diagnostic) -> String {
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
pub fn render(diag: &dyn miette::Diagnostic, width: usize, color: bool) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(width);
    let mut out = String::new();
    if handler.render_report(&mut out, diag).is_err() {
        out = format!("{diag}\n");
    }
    out
}
