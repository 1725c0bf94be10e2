//! Test results written for people and as JUnit XML.

use super::CaseResult;
use crate::report::ci::xml;

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
    let failed = results.iter().filter(|r| !r.passed).count();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"notice\" tests=\"{}\" failures=\"{failed}\">\n",
        results.len()
    );
    let mut files: Vec<&str> = results.iter().map(|r| r.file.as_str()).collect();
    files.dedup();
    for file in files {
        let cases: Vec<&CaseResult> = results.iter().filter(|r| r.file == file).collect();
        let failures = cases.iter().filter(|r| !r.passed).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">\n",
            xml(file),
            cases.len()
        ));
        for c in cases {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(file),
                xml(&c.name)
            ));
            if c.passed {
                out.push_str("/>\n");
                continue;
            }
            let summary: Vec<String> = c
                .failures
                .iter()
                .map(|f| format!("{}: expected {}, got {}", f.what, f.expected, f.actual))
                .collect();
            let detail: Vec<String> = c
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
                .collect();
            out.push_str(&format!(
                ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                xml(&summary.join("; ")),
                xml(&detail.join("\n\n"))
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
