//! The registry of diagnostic codes, the list in docs/language.md and the
//! fixtures agree: the table of codes in the docs is the registry's own
//! (generated from it), every code named in the docs exists, and every
//! code (but those that report a bug in notice) is produced by some fixture
//! under tests/cases or by a command line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use notice_rules::{eval, report, time, Code, Diagnostic, Disk, Project};

use crate::cli::{notice, stderr};

const TABLE_START: &str =
    "<!-- codes: generated from src/diagnostics/codes.rs by tests/codes.rs -->";
const TABLE_END: &str = "<!-- end of codes -->";

/// The table of codes as the docs show it, from the registry.
fn table() -> String {
    let mut out = String::from("| code | severity | reports |\n| --- | --- | --- |\n");
    for c in Code::ALL {
        let severity = match c.severity() {
            miette::Severity::Warning => "warning",
            miette::Severity::Advice => "advice",
            miette::Severity::Error => "error",
        };
        out.push_str(&format!("| `{c}` | {severity} | {} |\n", c.summary()));
    }
    out
}

/// The docs' table of codes is the registry's; `NOTICE_BLESS=1 cargo test
/// codes` writes it when a code is added.
#[test]
fn the_docs_table_of_codes_is_generated_from_the_registry() {
    let path = "docs/language.md";
    let doc = std::fs::read_to_string(path).unwrap();
    let start = doc.find(TABLE_START).expect("the table's opening marker") + TABLE_START.len();
    let end = doc.find(TABLE_END).expect("the table's closing marker");
    let expected = format!("\n{}", table());
    if doc[start..end] != expected {
        if std::env::var_os("NOTICE_BLESS").is_some() {
            let blessed = format!("{}{expected}{}", &doc[..start], &doc[end..]);
            std::fs::write(path, blessed).unwrap();
        } else {
            panic!("docs/language.md's table of codes differs from the registry: run `NOTICE_BLESS=1 cargo test codes`");
        }
    }
}

fn documented() -> BTreeSet<String> {
    let doc = std::fs::read_to_string("docs/language.md").unwrap();
    let mut out = BTreeSet::new();
    for (i, _) in doc.match_indices("notice::") {
        let code: String = doc[i..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ':' || c.is_ascii_digit())
            .collect();
        if code.split("::").count() == 3 && !code.ends_with("::") {
            out.insert(code);
        }
    }
    out
}

#[test]
fn every_code_is_documented_and_every_documented_code_exists() {
    let docs = documented();
    let registry: BTreeSet<String> = Code::ALL.iter().map(|c| c.to_string()).collect();
    let undocumented: Vec<&String> = registry.difference(&docs).collect();
    let unknown: Vec<&String> = docs.difference(&registry).collect();
    assert!(
        undocumented.is_empty(),
        "codes missing from docs/language.md: {undocumented:?}"
    );
    assert!(
        unknown.is_empty(),
        "codes in docs/language.md that notice never uses: {unknown:?}"
    );
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.to_string_lossy().ends_with(ext) {
            out.push(path);
        }
    }
}

fn codes(diags: &[Diagnostic], found: &mut BTreeSet<String>) {
    for d in diags {
        // What miette draws is the registry's code and severity.
        let drawn = miette::Diagnostic::code(d).map(|c| c.to_string());
        assert_eq!(drawn.as_deref(), Some(d.code.as_str()));
        assert_eq!(miette::Diagnostic::severity(d), Some(d.code.severity()));
        found.insert(d.code.to_string());
    }
}

/// Command lines that go wrong, each with the code it must be reported under.
const COMMAND_LINES: &[(&[&str], Code)] = &[
    (
        &["eval", "notices/wiltshire-2012.notice", "--no-such-flag"],
        Code::UsageBadArguments,
    ),
    (
        &["evaluate", "notices/wiltshire-2012.notice"],
        Code::UsageBadArguments,
    ),
    (
        &[
            "eval",
            "notices/wiltshire-2012.notice",
            "--as-of",
            "2012-02-30",
        ],
        Code::UsageBadDate,
    ),
    (
        &[
            "eval",
            "notices/wiltshire-2012.notice",
            "--known-at",
            "soon",
        ],
        Code::UsageBadDate,
    ),
    (
        &[
            "timeline",
            "notices/wiltshire-2012.notice",
            "--from",
            "2013-01-01",
            "--to",
            "2012-01-01",
        ],
        Code::UsageReversedSpan,
    ),
    (
        &[
            "timeline",
            "notices/wiltshire-2012.notice",
            "--from",
            "1900-01-01",
            "--to",
            "2100-01-01",
            "--step",
            "week",
        ],
        Code::UsageTooManySteps,
    ),
    (
        &[
            "eval",
            "notices/wiltshire-2012.notice",
            "--area",
            "Nowhere At All",
        ],
        Code::UsageUnknownArea,
    ),
    (
        &[
            "eval",
            "notices/waltham-forest-2012.notice",
            "--area",
            "England",
        ],
        Code::UsageFixedArea,
    ),
    (
        &["eval", "notices/wiltshire-2012.notice", "--owner", "Nobody"],
        Code::UsageUnknownOwner,
    ),
    (
        &[
            "explain",
            "notices/wiltshire-2012.notice",
            "--measure",
            "zz",
        ],
        Code::UsageUnknownMeasure,
    ),
    (
        &["new", "--authority", " ", "--issued", "2012-01-01"],
        Code::UsageEmptyAuthority,
    ),
    (
        &[
            "new",
            "--authority",
            "A council",
            "--issued",
            "2012-01-01",
            "--out",
            "README.md",
        ],
        Code::FileExists,
    ),
    (
        &[
            "new",
            "--authority",
            "A council",
            "--issued",
            "2012-01-01",
            "--out",
            "no/such/folder/n.notice",
        ],
        Code::FileNotWritten,
    ),
    (
        &[
            "report",
            "notices/wiltshire-2012.notice",
            "--as-of",
            "2013-06-30",
            "--out",
            "notices/data/wiltshire-2012/observations.csv",
        ],
        Code::FileOverwritesInput,
    ),
    (
        &[
            "report",
            "notices/wiltshire-2012.notice",
            "--as-of",
            "2013-06-30",
            "--since",
            "2013-07-01",
        ],
        Code::UsageReversedSpan,
    ),
    (&["test", "tests/cases/check"], Code::TestNoFiles),
];

#[test]
fn every_command_line_error_has_its_code() {
    for (args, code) in COMMAND_LINES {
        let o = notice(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains(code.as_str()),
            "{args:?}: expected {code}:\n{err}"
        );
        assert!(
            !err.contains("error: "),
            "{args:?}: an uncoded error:\n{err}"
        );
    }
}

/// Every code the fixtures produce: notices (checked, their data loaded and
/// evaluated), test files, date expressions, and files that are not there.
fn produced() -> BTreeSet<String> {
    let project = Project::new(&Disk);
    let mut found = BTreeSet::new();
    let mut notices = Vec::new();
    files_under(Path::new("tests/cases"), ".notice", &mut notices);
    notices.sort();
    for path in &notices {
        match project.check_file(path) {
            Err(errors) => codes(&errors, &mut found),
            Ok((_, warnings)) => codes(&warnings, &mut found),
        }
        let notice = match project.load_notice(path) {
            Ok((notice, _)) => notice,
            Err(errors) => {
                codes(&errors, &mut found);
                continue;
            }
        };
        let text = std::fs::read_to_string(path).unwrap();
        let as_of = text
            .lines()
            .find_map(|l| l.strip_prefix("// as-of:"))
            .and_then(|d| time::parse_date(d.trim()));
        match project.load_data(&notice, notice_rules::DataFiles::Notice, Vec::new()) {
            Err(errors) => codes(&errors, &mut found),
            Ok((data, warnings)) => {
                codes(&warnings, &mut found);
                if let Some(as_of) = as_of {
                    let outcome = eval::evaluate(&notice, &data, as_of);
                    codes(
                        &report::verdict_diagnostics(&notice, &data, &outcome),
                        &mut found,
                    );
                }
            }
        }
    }
    let mut tests = Vec::new();
    files_under(Path::new("tests/cases/runner"), ".test.toml", &mut tests);
    for path in &tests {
        if let Err(errors) = notice_rules::runner::run_file(path) {
            codes(&errors, &mut found);
        }
    }
    let dates = std::fs::read_to_string("tests/cases/dates.txt").unwrap();
    for expr in dates
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        match notice_rules::date_expression(expr) {
            Err(errors) => codes(&errors, &mut found),
            Ok((_, warnings)) => codes(&warnings, &mut found),
        }
    }
    for missing in ["tests/cases/no-such.notice", "tests/cases/check"] {
        if let Err(errors) = project.load_notice(Path::new(missing)) {
            codes(&errors, &mut found);
        }
    }
    found
}

#[test]
fn every_code_is_produced_by_a_fixture() {
    let found = produced();
    let by_command_line: Vec<Code> = COMMAND_LINES.iter().map(|(_, c)| *c).collect();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !c.is_internal() && !by_command_line.contains(c))
        .map(|c| c.as_str())
        .filter(|c| !found.contains(*c))
        .collect();
    assert!(missing.is_empty(), "codes no fixture produces: {missing:?}");
}
