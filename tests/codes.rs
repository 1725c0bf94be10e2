//! The registry of diagnostic codes, the list in docs/language.md and the
//! fixtures agree: every code is documented, every documented code exists,
//! and every code (but those that report a bug in notice) is produced by
//! some fixture under tests/cases.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use notice_rules::diagnostics::{code_of, CODES, INTERNAL};
use notice_rules::{eval, report, time, Diag, Disk, Project};

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
    let registry: BTreeSet<String> = CODES.iter().map(|c| c.code.to_string()).collect();
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

fn codes(diags: &[Diag], found: &mut BTreeSet<String>) {
    for d in diags {
        if let Some(c) = code_of(d.as_ref()) {
            // Each diagnostic's own severity is the registry's (none, for
            // miette, is an error).
            let expected = notice_rules::diagnostics::severity(&c);
            let own = d.severity().unwrap_or(miette::Severity::Error);
            assert_eq!(own, expected, "{c}");
            found.insert(c);
        }
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
        match project.load_data(&notice, &[], Vec::new()) {
            Err(errors) => codes(&errors, &mut found),
            Ok((data, warnings)) => {
                codes(&warnings, &mut found);
                if let Some(as_of) = as_of {
                    let outcome = eval::evaluate(&notice, &data, as_of);
                    let diags: Vec<Diag> = report::verdict_diagnostics(&notice, &data, &outcome)
                        .into_iter()
                        .map(notice_rules::diagnostics::boxed)
                        .collect();
                    codes(&diags, &mut found);
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
        let src = notice_rules::SourceFile::new("<expression>", expr);
        match notice_rules::syntax::parse_date_expr(&src) {
            Err(e) => codes(&[notice_rules::diagnostics::boxed(e)], &mut found),
            Ok(parsed) => match notice_rules::check::eval_date(&src, &parsed) {
                Err(e) => codes(&[notice_rules::diagnostics::boxed(e)], &mut found),
                Ok((_, warnings)) => {
                    codes(&notice_rules::diagnostics::boxed_all(warnings), &mut found)
                }
            },
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
    let missing: Vec<&str> = CODES
        .iter()
        .map(|c| c.code)
        .filter(|c| !found.contains(*c) && !INTERNAL.contains(c))
        .collect();
    assert!(missing.is_empty(), "codes no fixture produces: {missing:?}");
    let unregistered: Vec<&String> = found
        .iter()
        .filter(|c| notice_rules::diagnostics::lookup(c).is_none())
        .collect();
    assert!(
        unregistered.is_empty(),
        "codes produced but not registered: {unregistered:?}"
    );
}
