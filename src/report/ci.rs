//! Formats that CI systems read: SARIF 2.1.0 and GitHub workflow
//! annotations for diagnostics, and JUnit XML with one test case per
//! requirement.

use miette::{Diagnostic, Severity};

use crate::check::Notice;
use crate::eval::{Outcome, Status};

use super::prose;

/// A diagnostic as a GitHub Actions workflow command
/// (`::error file=F,line=L,col=C,title=CODE::MESSAGE`), located at its
/// first label when it has one.
pub fn github_annotation(d: &dyn Diagnostic) -> String {
    let level = match d.severity() {
        Some(Severity::Warning) => "warning",
        Some(Severity::Advice) => "notice",
        _ => "error",
    };
    let mut properties = Vec::new();
    if let Some(at) = place(d) {
        if let Some(name) = at.file {
            properties.push(format!("file={}", property(&name)));
        }
        properties.push(format!("line={}", at.start.0));
        properties.push(format!("col={}", at.start.1));
    }
    if let Some(code) = d.code() {
        properties.push(format!("title={}", property(&code.to_string())));
    }
    let mut message = d.to_string();
    if let Some(help) = d.help() {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!("::{level} {}::{}", properties.join(","), data(&message))
}

/// Where a diagnostic points: its file's name, and the first and last line
/// and column (one-based) of its first label.
struct Place {
    file: Option<String>,
    start: (usize, usize),
    end: (usize, usize),
}

fn place(d: &dyn Diagnostic) -> Option<Place> {
    let label = d.labels()?.next()?;
    let src = d.source_code()?;
    let start = src.read_span(label.inner(), 0, 0).ok()?;
    let end_offset = label.offset() + label.len().saturating_sub(1);
    let end = src
        .read_span(&miette::SourceSpan::from((end_offset, 0)), 0, 0)
        .ok()?;
    Some(Place {
        file: start.name().map(str::to_string),
        start: (start.line() + 1, start.column() + 1),
        end: (end.line() + 1, end.column() + 2),
    })
}

/// Diagnostics as one SARIF 2.1.0 log: a run of the tool `notice`, a rule
/// for each code (from the registry, with its one-line summary), a result
/// for each diagnostic with its level and place.
pub fn sarif(diags: &[&dyn Diagnostic]) -> serde_json::Value {
    use serde_json::json;
    let mut rules: Vec<String> = Vec::new();
    let results: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let code = crate::diagnostics::code_of(*d);
            let level = match d.severity() {
                Some(Severity::Warning) => "warning",
                Some(Severity::Advice) => "note",
                _ => "error",
            };
            let mut message = d.to_string();
            if let Some(help) = d.help() {
                message.push_str(&format!("\nhelp: {help}"));
            }
            let mut result = json!({ "level": level, "message": { "text": message } });
            if let Some(code) = code {
                result["ruleId"] = json!(code);
                if !rules.contains(&code) {
                    rules.push(code);
                }
            }
            if let Some(at) = place(*d) {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": at.file.unwrap_or_default() },
                        "region": {
                            "startLine": at.start.0,
                            "startColumn": at.start.1,
                            "endLine": at.end.0,
                            "endColumn": at.end.1
                        }
                    }
                }]);
            }
            result
        })
        .collect();
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|code| {
            let summary = crate::diagnostics::lookup(code).map_or("", |c| c.summary);
            json!({ "id": code, "shortDescription": { "text": summary } })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "notice",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules
                }
            },
            "results": results
        }]
    })
}

/// A workflow command's message: `%`, CR and LF encoded.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property: as a message, and `:` and `,` too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// An evaluation as JUnit XML: one test suite, one test case per
/// requirement. A `require` not met is a failure; unknown (data missing) an
/// error, so it is told apart; not yet due is skipped; met and met late
/// pass (met late says so); an `expect` not met passes with a warning in
/// its output, since an expectation never fails.
pub fn junit(notice: &Notice, outcome: &Outcome) -> String {
    let mut cases = String::new();
    let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
    for m in &outcome.measures {
        let Some(measure) = notice.measures.get(m.index) else {
            continue;
        };
        for v in &m.requirements {
            let Some(r) = measure.requirements.get(v.index) else {
                continue;
            };
            tests += 1;
            let reason = prose::reason(notice, r, v);
            let name = format!(
                "measure {} requirement {}: {}",
                measure.id,
                v.index + 1,
                r.rule
            );
            let classname = format!("{}.{}", notice.id, measure.id);
            let body = match (v.status, v.kind) {
                (Status::NotMet, crate::ast::Kind::Require) => {
                    failures += 1;
                    format!(
                        "<failure message=\"{}\" type=\"not_met\">{}</failure>",
                        xml(&format!("not met: {reason}")),
                        xml(&reason)
                    )
                }
                (Status::Unknown, _) => {
                    errors += 1;
                    format!(
                        "<error message=\"{}\" type=\"unknown\">{}</error>",
                        xml(&format!("unknown: {reason}")),
                        xml(&reason)
                    )
                }
                (Status::NotYetDue, _) => {
                    skipped += 1;
                    format!(
                        "<skipped message=\"{}\"/>",
                        xml(&format!("not yet due: {reason}"))
                    )
                }
                (status, _) => format!(
                    "<system-out>{}</system-out>",
                    xml(&format!("{}: {reason}", prose::status_words(status)))
                ),
            };
            cases.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\">{body}</testcase>\n",
                xml(&classname),
                xml(&name)
            ));
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"notice\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n  <testsuite name=\"{} as of {}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n{cases}  </testsuite>\n</testsuites>\n",
        xml(&notice.id),
        outcome.as_of
    )
}

/// Text escaped for XML attributes and content; characters XML cannot
/// hold at all (control characters) are dropped.
pub fn xml(text: &str) -> String {
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
