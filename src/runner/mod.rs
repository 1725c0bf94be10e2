//! `notice test`: test files that pin, for a notice, the data, the dates and
//! the statuses its measures and requirements must have.
//!
//! A test file is TOML, next to the notices it tests:
//!
//! ```toml
//! notice = "../waltham-forest-2012.notice"     # relative to this file
//!
//! [[case]]
//! name = "at the formal review"
//! as_of = "2012-07-23"
//! # data = ["../data/other"]   # default: the notice's own data
//! # observations = """area,metric,date,value,source ..."""   # inline CSV, added to the data
//! [case.expect]
//! notice = "not_met"
//! measures = { vi = "not_met", vii = "met_late" }
//! requirements = [{ measure = "vi", number = 2, status = "not_met" }]
//! ```

mod case;
mod file;
mod output;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use output::{human, junit};

use crate::source::{read_text, Disk, Role};
use crate::{Code, Diagnostic, Project};
use file::{unusable, TestFile};

/// The result of one case.
#[derive(Debug, Serialize)]
pub struct CaseResult {
    /// The test file.
    pub file: String,
    /// The case's name.
    pub name: String,
    /// Whether every expectation held.
    pub passed: bool,
    /// The expectations that did not hold.
    pub failures: Vec<Failure>,
}

/// An expectation that did not hold.
#[derive(Debug, Serialize)]
pub struct Failure {
    /// What was expected of: `notice`, `measure vi`, `measure vi requirement 2`.
    pub what: String,
    /// The expected status.
    pub expected: String,
    /// The actual status.
    pub actual: String,
    /// The verdicts' reasons behind the actual status.
    pub reasons: Vec<String>,
}

/// The test files under `paths` (files, or folders searched for `*.test.toml`).
pub fn find(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.to_vec();
    // Each folder is searched once, however many links lead to it: links
    // to a parent would otherwise make the walk endless.
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            let Ok(real) = std::fs::canonicalize(&p) else {
                continue;
            };
            if !seen.insert(real) {
                continue;
            }
            if let Ok(entries) = std::fs::read_dir(&p) {
                stack.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
            }
        } else if paths.contains(&p) || p.to_string_lossy().ends_with(".test.toml") {
            let real = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
            if seen.insert(real) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs one test file's cases.
pub fn run_file(path: &Path) -> Result<Vec<CaseResult>, Vec<Diagnostic>> {
    let src =
        read_text(&Disk, path, Role::TestFile).map_err(|e| vec![crate::Diagnostic::from(e)])?;
    let file: TestFile = toml::from_str(&src.text).map_err(|e| {
        vec![unusable(
            Code::TestInvalidFile,
            &src,
            e.span().unwrap_or(0..0),
            format!("this test file is not valid: {}", e.message()),
            "here",
            Some("see `notice test --help` and docs/language.md for the test file's fields".into()),
        )]
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let (notice, _) = Project::new(&Disk).load_notice(&dir.join(&file.notice))?;
    file.case
        .iter()
        .map(|c| case::run(&notice, path, &src, c))
        .collect()
}
