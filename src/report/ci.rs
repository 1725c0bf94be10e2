//! Formats that CI systems read: SARIF 2.1.0 and GitHub workflow
//! annotations for diagnostics, and JUnit XML with one test case per
//! requirement.

use miette::Severity;

use crate::diagnostics::{Code, Diagnostic};

use crate::check::Notice;
use crate::eval::{Outcome, Status};

use super::prose;

/// A diagnostic as a GitHub Actions workflow command
/// (`::error file=F,line=L,col=C,title=CODE::MESSAGE`), located at its
/// main place when it has one.
pub fn github_annotation(d: &Diagnostic) -> String {
    let level = match d.severity() {
        Severity::Warning => "warning",
        Severity::Advice => "notice",
        Severity::Error => "error",
    };
    let mut properties = Vec::new();
    if let Some(at) = d.primary() {
        if let Some(name) = &at.file {
            properties.push(format!("file={}", property(name)));
        }
        properties.push(format!("line={}", at.start.line));
        properties.push(format!("col={}", at.start.column));
    }
    properties.push(format!("title={}", property(d.code.as_str())));
    format!(
        "::{level} {}::{}",
        properties.join(","),
        data(&d.message_with_help())
    )
}

/// A file's name as a URI reference, as SARIF's `uri` must be: every byte
/// but the unreserved characters and `/` percent-encoded (`a b#c.notice` is
/// `a%20b%23c.notice`).
fn uri_reference(path: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    const KEEP: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    utf8_percent_encode(path, KEEP).to_string()
}

/// A label as a SARIF location.
fn location(at: &crate::diagnostics::Label) -> serde_json::Value {
    let mut location = serde_json::json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri_reference(at.file.as_deref().unwrap_or_default()) },
            "region": {
                "startLine": at.start.line,
                "startColumn": at.start.column,
                "endLine": at.end.line,
                "endColumn": at.end.column
            }
        }
    });
    if let Some(text) = &at.text {
        location["message"] = serde_json::json!({ "text": text });
    }
    location
}

/// Diagnostics as one SARIF 2.1.0 log: a run of the tool `notice`, a rule
/// for each code (from the registry, with its one-line summary and the
/// address of its documentation), a result for each diagnostic with its
/// level, its place and the places related to it (the data rows of a verdict).
pub fn sarif(diags: &[Diagnostic]) -> serde_json::Value {
    use serde_json::json;
    let mut rules: Vec<Code> = Vec::new();
    let results: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let level = sarif_level(d.severity());
            if !rules.contains(&d.code) {
                rules.push(d.code);
            }
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "level": level,
                "message": { "text": d.message_with_help() }
            });
            if let Some(at) = d.primary() {
                result["locations"] = json!([location(at)]);
            }
            let related: Vec<serde_json::Value> = d
                .labels
                .iter()
                .skip(1)
                .chain(&d.related)
                .map(location)
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "shortDescription": { "text": code.summary() },
                "helpUri": code.docs_url(),
                "defaultConfiguration": { "level": sarif_level(code.severity()) }
            })
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
                    "informationUri": crate::diagnostics::DOCS_URL,
                    "rules": rules
                }
            },
            "results": results
        }]
    })
}

/// A severity as SARIF names its levels.
fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Warning => "warning",
        Severity::Advice => "note",
        Severity::Error => "error",
    }
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
    use super::junit::{Case, CaseResult, Suite};
    let mut cases = Vec::new();
    for m in &outcome.measures {
        let Some(measure) = notice.measures.get(m.index) else {
            continue;
        };
        for v in &m.requirements {
            let Some(r) = measure.requirements.get(v.index) else {
                continue;
            };
            let reason = prose::reason(notice, r, v);
            let result = match (v.status, v.kind) {
                (Status::NotMet, crate::ast::Kind::Require) => CaseResult::Failure {
                    kind: "not_met",
                    message: format!("not met: {reason}"),
                    detail: reason,
                },
                (Status::Unknown, _) => CaseResult::Error {
                    kind: "unknown",
                    message: format!("unknown: {reason}"),
                    detail: reason,
                },
                (Status::NotYetDue, _) => CaseResult::Skipped {
                    message: format!("not yet due: {reason}"),
                },
                (status, _) => CaseResult::Passed {
                    output: Some(format!("{}: {reason}", prose::status_words(status))),
                },
            };
            cases.push(Case {
                classname: format!("{}.{}", notice.id, measure.id),
                name: format!(
                    "measure {} requirement {}: {}",
                    measure.id,
                    v.index + 1,
                    r.rule
                ),
                result,
            });
        }
    }
    let suite = Suite {
        name: format!("{} as of {}", notice.id, outcome.as_of),
        cases,
    };
    super::junit::write("notice", &[suite])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_is_a_uri_reference() {
        assert_eq!(
            uri_reference("notices/a b#c%d.notice"),
            "notices/a%20b%23c%25d.notice"
        );
        assert_eq!(uri_reference("Łódź.notice"), "%C5%81%C3%B3d%C5%BA.notice");
        assert_eq!(
            uri_reference("notices/wiltshire-2012.notice"),
            "notices/wiltshire-2012.notice"
        );
    }
}
