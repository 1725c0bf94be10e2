//! Test results written for people and as JUnit XML.

use super::CaseResult;

/// The results for people.
pub fn human(results: &[CaseResult]) -> String {
    let mut out = String::new();
    let mut file = "";
    for r in results {
        if r.file != file {
            file = &r.file;
            out.push_str(&format!("{file}\n"));
        }
        out.push_str(&format!(
            "  {}  {}\n",
            if r.passed { "ok    " } else { "FAILED" },
            r.name
        ));
        for f in &r.failures {
            out.push_str(&format!(
                "      {}: expected {}, got {}\n",
                f.what, f.expected, f.actual
            ));
            for reason in &f.reasons {
                out.push_str(&format!("        - {reason}\n"));
            }
        }
    }
    let passed = results.iter().filter(|r| r.passed).count();
    out.push_str(&format!(
        "{} passed, {} failed\n",
        passed,
        results.len() - passed
    ));
    out
}

/// The results as JUnit XML, for CI systems.
pub fn junit(results: &[CaseResult]) -> String {
    use crate::report::junit::{Case, CaseResult as Ended, Suite};
    let mut files: Vec<&str> = results.iter().map(|r| r.file.as_str()).collect();
    files.dedup();
    let suites: Vec<Suite> = files
        .into_iter()
        .map(|file| Suite {
            name: file.to_string(),
            cases: results
                .iter()
                .filter(|r| r.file == file)
                .map(|c| Case {
                    classname: file.to_string(),
                    name: c.name.clone(),
                    result: if c.passed {
                        Ended::Passed { output: None }
                    } else {
                        Ended::Failure {
                            kind: "expectation",
                            message: c
                                .failures
                                .iter()
                                .map(|f| {
                                    format!("{}: expected {}, got {}", f.what, f.expected, f.actual)
                                })
                                .collect::<Vec<_>>()
                                .join("; "),
                            detail: c
                                .failures
                                .iter()
                                .map(|f| {
                                    format!(
                                        "{}: expected {}, got {}\n{}",
                                        f.what,
                                        f.expected,
                                        f.actual,
                                        f.reasons.join("\n")
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join("\n\n"),
                        }
                    },
                })
                .collect(),
        })
        .collect();
    crate::report::junit::write("notice", &suites)
}
