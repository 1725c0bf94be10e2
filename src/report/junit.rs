//! JUnit XML, in the shape of the Jenkins/Ant schema (`junit-10.xsd`):
//! `<testsuites>` of `<testsuite>`s of `<testcase>`s, each passed, failed,
//! in error or skipped. Written with quick-xml, which escapes every
//! attribute and text; characters XML 1.0 cannot hold at all (control
//! characters) are dropped first.

use std::borrow::Cow;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// A test suite: a name and its cases.
pub(crate) struct Suite {
    pub name: String,
    pub cases: Vec<Case>,
}

/// One test case.
pub(crate) struct Case {
    pub classname: String,
    pub name: String,
    pub result: CaseResult,
}

/// How a case ended, with what it says.
pub(crate) enum CaseResult {
    /// Passed; its output, if it has something to say.
    Passed { output: Option<String> },
    /// An assertion failed: `<failure>`.
    Failure {
        kind: &'static str,
        message: String,
        detail: String,
    },
    /// It could not be decided: `<error>`.
    Error {
        kind: &'static str,
        message: String,
        detail: String,
    },
    /// Not run: `<skipped>`.
    Skipped { message: String },
}

/// Counts of a suite or of all suites, as the schema's attributes give them.
#[derive(Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of<'a>(cases: impl IntoIterator<Item = &'a Case>) -> Counts {
        let mut c = Counts::default();
        for case in cases {
            c.tests += 1;
            match case.result {
                CaseResult::Passed { .. } => {}
                CaseResult::Failure { .. } => c.failures += 1,
                CaseResult::Error { .. } => c.errors += 1,
                CaseResult::Skipped { .. } => c.skipped += 1,
            }
        }
        c
    }
}

/// The suites as one JUnit XML document.
pub(crate) fn write(name: &str, suites: &[Suite]) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into memory cannot fail; an error would leave the document short.
    let _ = document(&mut w, name, suites);
    let mut text = String::from_utf8(w.into_inner()).unwrap_or_default();
    text.push('\n');
    text
}

fn document(w: &mut Writer<Vec<u8>>, name: &str, suites: &[Suite]) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let all = Counts::of(suites.iter().flat_map(|s| &s.cases));
    // `<testsuites>` has no `skipped` in the schema: only the suites count them.
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", safe(name).as_ref()));
    root.push_attribute(("tests", all.tests.to_string().as_str()));
    root.push_attribute(("failures", all.failures.to_string().as_str()));
    root.push_attribute(("errors", all.errors.to_string().as_str()));
    w.write_event(Event::Start(root))?;
    for suite in suites {
        let c = Counts::of(&suite.cases);
        let mut start = BytesStart::new("testsuite");
        start.push_attribute(("name", safe(&suite.name).as_ref()));
        start.push_attribute(("tests", c.tests.to_string().as_str()));
        start.push_attribute(("failures", c.failures.to_string().as_str()));
        start.push_attribute(("errors", c.errors.to_string().as_str()));
        start.push_attribute(("skipped", c.skipped.to_string().as_str()));
        w.write_event(Event::Start(start))?;
        for case in &suite.cases {
            test_case(w, case)?;
        }
        w.write_event(Event::End(BytesEnd::new("testsuite")))?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuites")))?;
    Ok(())
}

fn test_case(w: &mut Writer<Vec<u8>>, case: &Case) -> std::io::Result<()> {
    let mut start = BytesStart::new("testcase");
    start.push_attribute(("classname", safe(&case.classname).as_ref()));
    start.push_attribute(("name", safe(&case.name).as_ref()));
    let (element, kind, message, text) = match &case.result {
        CaseResult::Passed { output: None } => {
            return w.write_event(Event::Empty(start));
        }
        CaseResult::Passed {
            output: Some(output),
        } => ("system-out", None, None, Some(output)),
        CaseResult::Failure {
            kind,
            message,
            detail,
        } => ("failure", Some(*kind), Some(message), Some(detail)),
        CaseResult::Error {
            kind,
            message,
            detail,
        } => ("error", Some(*kind), Some(message), Some(detail)),
        CaseResult::Skipped { message } => ("skipped", None, Some(message), None),
    };
    w.write_event(Event::Start(start))?;
    let mut inner = BytesStart::new(element);
    if let Some(message) = message {
        inner.push_attribute(("message", safe(message).as_ref()));
    }
    if let Some(kind) = kind {
        inner.push_attribute(("type", kind));
    }
    match text {
        None => w.write_event(Event::Empty(inner))?,
        Some(text) => {
            w.write_event(Event::Start(inner))?;
            w.write_event(Event::Text(BytesText::new(&safe(text))))?;
            w.write_event(Event::End(BytesEnd::new(element)))?;
        }
    }
    w.write_event(Event::End(BytesEnd::new("testcase")))
}

/// Text without the characters XML 1.0 cannot hold: control characters
/// other than tab, line feed and carriage return, and U+FFFE and U+FFFF
/// (its `Char` production).
fn safe(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..);
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| allowed(*c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        let suites = [Suite {
            name: "a<b".into(),
            cases: vec![Case {
                classname: "c\"d".into(),
                name: "e\u{1}f\u{FFFE}\u{FFFF}".into(),
                result: CaseResult::Failure {
                    kind: "not_met",
                    message: "x & y".into(),
                    detail: "</failure>".into(),
                },
            }],
        }];
        let xml = write("n", &suites);
        assert!(xml.contains("name=\"a&lt;b\""), "{xml}");
        assert!(xml.contains("classname=\"c&quot;d\""), "{xml}");
        assert!(xml.contains("name=\"ef\""), "{xml}");
        assert!(xml.contains("&lt;/failure&gt;"), "{xml}");
        assert!(
            xml.contains("tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\""),
            "{xml}"
        );
    }
}
