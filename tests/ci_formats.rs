//! The formats CI systems read, through the binary: JUnit XML (validated
//! against Jenkins' schema), GitHub annotations and SARIF (validated
//! against the OASIS schema).

use crate::cli::{notice, stdout};

/// Counts the elements of each name in an XML document, which must be well-formed.
fn xml_elements(xml: &str) -> std::collections::BTreeMap<String, usize> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut counts = std::collections::BTreeMap::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                *counts
                    .entry(String::from_utf8_lossy(e.name().as_ref()).into_owned())
                    .or_insert(0) += 1;
            }
            _ => {}
        }
    }
    counts
}

#[test]
fn eval_junit_has_one_test_case_per_requirement() {
    let o = notice(&[
        "eval",
        "notices/waltham-forest-2012.notice",
        "--as-of",
        "2012-08-01",
        "--format",
        "junit",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let counts = xml_elements(&stdout(&o));
    assert_eq!(counts.get("testcase"), Some(&35), "{counts:?}");
    assert_eq!(counts.get("failure"), Some(&7), "{counts:?}");
    assert_eq!(counts.get("skipped"), Some(&2), "{counts:?}");
    // Unknown is an error, told apart from a failure.
    let o = notice(&[
        "eval",
        "tests/cases/semantics/not_policy.notice",
        "--as-of",
        "2012-05-15",
        "--format",
        "junit",
    ]);
    let counts = xml_elements(&stdout(&o));
    assert_eq!(counts.get("error"), Some(&1), "{counts:?}");
    assert_eq!(counts.get("failure"), Some(&5), "{counts:?}");
}

/// Validates XML against a schema with `xmllint` (Debian's `libxml2-utils`):
/// the errors it reports, or `None` where it is not installed (in CI it must be).
fn xsd_errors(xml: &str, schema: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.xml");
    std::fs::write(&file, xml).unwrap();
    let run = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", schema])
        .arg(&file)
        .output();
    match run {
        Ok(o) if o.status.success() => Some(String::new()),
        Ok(o) => Some(String::from_utf8_lossy(&o.stderr).into_owned()),
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("xmllint is needed in CI: apt-get install libxml2-utils")
        }
        Err(_) => None,
    }
}

#[test]
fn junit_validates_against_the_jenkins_schema() {
    const XSD: &str = "tests/schemas/junit-10.xsd";
    let runs: [&[&str]; 3] = [
        &[
            "eval",
            "notices/waltham-forest-2012.notice",
            "--as-of",
            "2012-08-01",
            "--format",
            "junit",
        ],
        &[
            "eval",
            "tests/cases/semantics/not_policy.notice",
            "--as-of",
            "2012-05-15",
            "--format",
            "junit",
        ],
        &[
            "test",
            "tests/cases/runner/wrong.test.toml",
            "--format",
            "junit",
        ],
    ];
    for args in runs {
        let xml = stdout(&notice(args));
        let Some(errors) = xsd_errors(&xml, XSD) else {
            eprintln!("xmllint is not installed: the JUnit schema check is skipped");
            return;
        };
        assert!(errors.is_empty(), "{args:?}:\n{errors}\n{xml}");
    }
    // The check can fail: `skipped` on <testsuites> is outside the schema.
    let xml = stdout(&notice(runs[0])).replacen("<testsuites ", "<testsuites skipped=\"2\" ", 1);
    assert!(!xsd_errors(&xml, XSD).unwrap_or_default().is_empty());
}

#[test]
fn check_github_writes_one_annotation_per_diagnostic() {
    let o = notice(&[
        "check",
        "--format",
        "github",
        "tests/cases/parse/three_errors.notice",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with(
        "::error file=tests/cases/parse/three_errors.notice,line=6,col=19,title=notice%3A%3Asyntax%3A%3Aunexpected::"
    ), "{out}");
    assert!(
        lines[0].contains("%0Ahelp: did you mean `percent`?"),
        "{out}"
    );
    // A warning is a warning annotation.
    let o = notice(&[
        "check",
        "--format",
        "github",
        "tests/cases/check/unconfirmed_holidays.notice",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("::warning file="), "{}", stdout(&o));
}

#[test]
fn check_sarif_validates_against_the_sarif_schema() {
    let o = notice(&[
        "check",
        "--format",
        "sarif",
        "tests/cases/parse/three_errors.notice",
        "tests/cases/check/unconfirmed_holidays.notice",
        "tests/cases/check/codes.notice",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/schemas/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft7::new(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() >= 3 + 1 + 4, "{results:#?}");
    assert!(results.iter().any(|r| r["level"] == "warning"));
    // Every rule a result names is described in the run's rules.
    let rules: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for r in results {
        assert!(rules.contains(&r["ruleId"].as_str().unwrap()), "{r}");
    }
    // Every rule links to its code's documentation.
    for r in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let code = notice_rules::Code::parse(r["id"].as_str().unwrap()).unwrap();
        assert_eq!(r["helpUri"].as_str(), Some(code.docs_url().as_str()), "{r}");
    }
    // A result that breaks the schema is caught: the test can fail.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(validator.iter_errors(&broken).next().is_some());
}
