//! `notice check`: parse and check notices and libraries; every error at once.

use std::path::PathBuf;

use notice_rules::exit::{OK, UNUSABLE};
use notice_rules::{Checked, Disk, Project};

use super::emit;

/// Where `check` writes its diagnostics.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Drawn or plain, on standard error.
    Human,
    /// GitHub workflow annotations, on standard output.
    Github,
    /// One SARIF 2.1.0 log of every file, on standard output.
    Sarif,
}

/// Checks each file, notice or library, writing its diagnostics to `output`.
pub fn check_files(files: &[PathBuf], output: Output) -> u8 {
    let mut all: Vec<notice_rules::Diagnostic> = Vec::new();
    let mut emit = |diags: Vec<notice_rules::Diagnostic>| match output {
        Output::Human => emit(&diags),
        Output::Github => {
            for d in &diags {
                outln_raw!("{}", notice_rules::report::ci::github_annotation(d));
            }
        }
        Output::Sarif => all.extend(diags),
    };
    let project = Project::new(&Disk);
    let mut code = OK;
    for file in files {
        match project.check_file(file) {
            Ok((checked, warnings)) => {
                let warning_count = warnings.len();
                emit(warnings);
                let what = match checked {
                    Checked::Notice(notice) => {
                        let requirements: usize =
                            notice.measures.iter().map(|m| m.requirements.len()).sum();
                        format!(
                            "{}, {}",
                            count(notice.measures.len(), "measure"),
                            count(requirements, "requirement")
                        )
                    }
                    Checked::Library { name, declarations } => {
                        format!("library `{name}`, {}", count(declarations, "declaration"))
                    }
                };
                eprintln!(
                    "{}: ok ({what}{})",
                    file.display(),
                    plural_warnings(warning_count)
                );
            }
            Err(errors) => {
                let warnings = errors.iter().filter(|d| d.is_warning()).count();
                let count = errors.len() - warnings;
                emit(errors);
                eprintln!(
                    "{}: {count} error{}{}",
                    file.display(),
                    if count == 1 { "" } else { "s" },
                    plural_warnings(warnings)
                );
                code = UNUSABLE;
            }
        }
    }
    if output == Output::Sarif {
        let log = notice_rules::report::ci::sarif(&all);
        match serde_json::to_string_pretty(&log) {
            Ok(text) => outln_raw!("{text}"),
            Err(_) => return UNUSABLE,
        }
    }
    code
}

/// `1 measure`, `2 measures`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn plural_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".into(),
        n => format!(", {n} warnings"),
    }
}
