//! `notice check`: parse and check notices and libraries; every error at once.

use std::path::PathBuf;

use notice_rules::exit::{OK, UNUSABLE};
use notice_rules::{Checked, Disk, Project};

use super::emit;

/// Checks each file, notice or library; with `github`, diagnostics are
/// workflow annotations on standard output.
pub fn check_files(files: &[PathBuf], github: bool) -> u8 {
    let emit = |diags: &[notice_rules::Diag]| {
        if github {
            for d in diags {
                println!(
                    "{}",
                    notice_rules::report::ci::github_annotation(d.as_ref())
                );
            }
        } else {
            emit(diags);
        }
    };
    let project = Project::new(&Disk);
    let mut code = OK;
    for file in files {
        match project.check_file(file) {
            Ok((checked, warnings)) => {
                emit(&warnings);
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
                    plural_warnings(warnings.len())
                );
            }
            Err(errors) => {
                emit(&errors);
                let warnings = errors
                    .iter()
                    .filter(|d| d.severity() == Some(miette::Severity::Warning))
                    .count();
                let count = errors.len() - warnings;
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
