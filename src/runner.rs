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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::eval::{self, Status};
use crate::source::{read_text, Disk, Role, SourceFile};
use crate::{time, Diag, Project};

/// What is wrong with a test file: each its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestFileProblem {
    /// Not TOML of the test-file shape.
    InvalidFile,
    /// A date that is not a date.
    BadDate,
    /// A status that is not one of the five.
    UnknownStatus,
    /// A measure the notice does not have.
    UnknownMeasure,
    /// A requirement number the measure does not have.
    UnknownRequirement,
}

impl TestFileProblem {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            TestFileProblem::InvalidFile => "notice::test::invalid_file",
            TestFileProblem::BadDate => "notice::test::bad_date",
            TestFileProblem::UnknownStatus => "notice::test::unknown_status",
            TestFileProblem::UnknownMeasure => "notice::test::unknown_measure",
            TestFileProblem::UnknownRequirement => "notice::test::unknown_requirement",
        }
    }
}

type Text = toml::Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    notice: String,
    #[serde(default)]
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    as_of: Text,
    #[serde(default)]
    known_at: Option<Text>,
    #[serde(default)]
    data: Vec<String>,
    #[serde(default)]
    observations: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    notice: Option<Text>,
    #[serde(default)]
    measures: BTreeMap<Text, Text>,
    #[serde(default)]
    requirements: Vec<RequirementExpect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementExpect {
    measure: Text,
    /// 1 for the measure's first requirement.
    number: toml::Spanned<usize>,
    status: Text,
}

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
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&p) {
                stack.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
            }
        } else if paths.contains(&p) || p.to_string_lossy().ends_with(".test.toml") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn unusable(
    problem: TestFileProblem,
    src: &SourceFile,
    at: std::ops::Range<usize>,
    message: String,
    label: &str,
    help: Option<String>,
) -> Diag {
    crate::diagnostics::boxed(crate::diagnostics::Located {
        code: problem.code(),
        message,
        src: src.named(),
        span: at.into(),
        label: label.to_string(),
        help,
    })
}

/// Runs one test file's cases.
pub fn run_file(path: &Path) -> Result<Vec<CaseResult>, Vec<Diag>> {
    let project = Project::new(&Disk);
    let src =
        read_text(&Disk, path, Role::TestFile).map_err(|e| vec![crate::diagnostics::boxed(e)])?;
    let file: TestFile = toml::from_str(&src.text).map_err(|e| {
        vec![unusable(
            TestFileProblem::InvalidFile,
            &src,
            e.span().unwrap_or(0..0),
            format!("this test file is not valid: {}", e.message()),
            "here",
            Some("see `notice test --help` and docs/language.md for the test file's fields".into()),
        )]
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let (notice, _) = project.load_notice(&dir.join(&file.notice))?;
    let mut results = Vec::new();
    for case in &file.case {
        let parse_date = |text: &Text, what: &str| {
            time::parse_date(text.get_ref()).ok_or_else(|| {
                vec![unusable(
                    TestFileProblem::BadDate,
                    &src,
                    text.span(),
                    format!("`{}` is not a date", text.get_ref()),
                    what,
                    Some("dates are YYYY-MM-DD".into()),
                )]
            })
        };
        let as_of = parse_date(&case.as_of, "as_of")?;
        let known_at = case
            .known_at
            .as_ref()
            .map(|k| parse_date(k, "known_at"))
            .transpose()?;
        let paths: Vec<PathBuf> =
            if case.data.is_empty() && case.observations.is_none() && case.evidence.is_none() {
                notice.data.clone()
            } else {
                case.data.iter().map(|d| dir.join(d)).collect()
            };
        let mut texts = Vec::new();
        for (kind, text) in [
            ("observations", &case.observations),
            ("evidence", &case.evidence),
        ] {
            if let Some(text) = text {
                texts.push(SourceFile::new(
                    format!("{} [{}] {kind}", path.display(), case.name),
                    text.trim_start(),
                ));
            }
        }
        // Exactly these paths (inline CSV alone is a whole data set), read
        // the way `eval` reads data, so a bad row gives the same error.
        let data = crate::data::load_from(&Disk, &notice, &paths, texts)
            .map_err(crate::diagnostics::boxed_all)?;
        let outcome = eval::evaluate_with(&notice, &data, as_of, eval::Options { known_at });
        let mut failures = Vec::new();
        let mut compare = |what: String,
                           expected_at: &Text,
                           actual: Status,
                           reasons: Vec<String>|
         -> Result<(), Vec<Diag>> {
            let expected = expected_at.get_ref();
            let Some(want) = Status::parse(expected) else {
                return Err(vec![unusable(
                    TestFileProblem::UnknownStatus,
                    &src,
                    expected_at.span(),
                    format!("`{expected}` is not a status"),
                    "not a status",
                    Some("a status is met, met_late, not_met, not_yet_due or unknown".into()),
                )]);
            };
            if want != actual {
                failures.push(Failure {
                    what,
                    expected: expected.to_string(),
                    actual: actual.as_str().to_string(),
                    reasons,
                });
            }
            Ok(())
        };
        if let Some(expected) = &case.expect.notice {
            compare("notice".into(), expected, outcome.status, Vec::new())?;
        }
        let measure = |id_at: &Text| {
            let id = id_at.get_ref();
            let index = notice.measures.iter().position(|m| m.id == *id);
            index
                .and_then(|i| outcome.measures.iter().find(|m| m.index == i))
                .ok_or_else(|| {
                    let ids: Vec<&str> = notice.measures.iter().map(|m| m.id.as_str()).collect();
                    vec![unusable(
                        TestFileProblem::UnknownMeasure,
                        &src,
                        id_at.span(),
                        format!("the notice has no measure `{id}`"),
                        "no such measure",
                        Some(format!("the measures are {}", ids.join(", "))),
                    )]
                })
        };
        for (id, expected) in &case.expect.measures {
            let m = measure(id)?;
            let reasons = m
                .requirements
                .iter()
                .filter(|v| v.status != Status::Met)
                .map(|v| crate::report::prose::verdict_reason(&notice, m.index, v))
                .collect();
            compare(
                format!("measure {}", id.get_ref()),
                expected,
                m.status,
                reasons,
            )?;
        }
        for r in &case.expect.requirements {
            let m = measure(&r.measure)?;
            let number = *r.number.get_ref();
            let Some(v) = number.checked_sub(1).and_then(|i| m.requirements.get(i)) else {
                return Err(vec![unusable(
                    TestFileProblem::UnknownRequirement,
                    &src,
                    r.number.span(),
                    format!(
                        "measure `{}` has no requirement number {number}",
                        r.measure.get_ref()
                    ),
                    "no such requirement",
                    Some(format!(
                        "its requirements are numbered 1 to {}",
                        m.requirements.len()
                    )),
                )]);
            };
            compare(
                format!("measure {} requirement {number}", r.measure.get_ref()),
                &r.status,
                v.status,
                vec![crate::report::prose::verdict_reason(&notice, m.index, v)],
            )?;
        }
        results.push(CaseResult {
            file: path.display().to_string(),
            name: case.name.clone(),
            passed: failures.is_empty(),
            failures,
        });
    }
    Ok(results)
}

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

/// Escapes text for XML attributes and content.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
