//! `notice test`: run test files that pin the statuses a notice must have.

use std::path::PathBuf;

use notice_rules::exit::{NOT_MET, OK, UNUSABLE};
use notice_rules::Code;

use super::{emit, print_json, refuse};
use crate::TestFormat;

/// Runs test files and prints their results.
pub fn run_tests(paths: &[PathBuf], format: TestFormat) -> u8 {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("notices/tests")]
    } else {
        paths.to_vec()
    };
    let files = notice_rules::runner::find(&paths);
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return refuse(
            Code::TestNoFiles,
            format!("no test files in {}", shown.join(", ")),
            "test files are named NAME.test.toml; see docs/language.md".to_string(),
        );
    }
    let mut results = Vec::new();
    for file in &files {
        match notice_rules::runner::run_file(file) {
            Ok(r) => results.extend(r),
            Err(errors) => {
                emit(&errors);
                return UNUSABLE;
            }
        }
    }
    match format {
        TestFormat::Human => out!("{}", notice_rules::runner::human(&results)),
        TestFormat::Junit => out_raw!("{}", notice_rules::runner::junit(&results)),
        TestFormat::Json => {
            if let Err(code) = print_json(&results) {
                return code;
            }
        }
    }
    if results.iter().all(|r| r.passed) {
        OK
    } else {
        NOT_MET
    }
}
