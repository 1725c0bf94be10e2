//! The judgement trace: JSON snapshots of its shapes, and the property that
//! `notice explain` walks the tree its verdict was decided on.

use std::path::{Path, PathBuf};

use notice_rules::check::Notice;
use notice_rules::data::DataSet;
use notice_rules::{eval, report, time};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A notice with its own data, loaded from the repository.
fn load(rel: &str) -> Option<(Notice, DataSet)> {
    // Relative to the package root (the tests' working folder), so that
    // snapshots name files as a reader of the repository does.
    let (notice, _) = notice_rules::load_notice(Path::new(rel)).ok()?;
    if notice.data.is_empty() {
        return None;
    }
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
        .map(|(d, _)| d)
        .ok()?;
    Some((notice, data))
}

#[test]
fn trace_json_of_each_shape() {
    let (notice, data) = load("tests/cases/trace/trace.notice").unwrap();
    let outcome = eval::evaluate(&notice, &data, time::parse_date("2012-08-15").unwrap());
    let json = serde_json::to_value(report::to_json(&notice, &data, &outcome)).unwrap();
    for m in json["measures"].as_array().unwrap() {
        let id = m["id"].as_str().unwrap();
        let r = &m["requirements"][0];
        let shown = serde_json::json!({
            "rule": r["rule"],
            "status": r["status"],
            "timing": r["timing"],
            "trace": r["trace"],
        });
        insta::assert_json_snapshot!(format!("trace_{id}"), shown);
    }
}

/// Every fixture with data and both bundled notices.
fn notices_with_data() -> Vec<String> {
    let mut out = vec![
        "notices/waltham-forest-2012.notice".to_string(),
        "notices/wiltshire-2012.notice".to_string(),
    ];
    let mut stack = vec![root().join("tests/cases")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path: PathBuf = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "notice") {
                let rel = path.strip_prefix(root()).unwrap();
                out.push(rel.display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// Months from a year before the notice to two years after its last deadline.
fn months_of_life(notice: &Notice) -> Vec<time::Date> {
    let last = notice
        .measures
        .iter()
        .flat_map(|m| &m.requirements)
        .filter_map(|r| r.deadline.as_ref().map(|d| d.date))
        .max()
        .unwrap_or(notice.issued);
    let from = notice.issued - chrono::Months::new(12);
    let to = last + chrono::Months::new(24);
    eval::steps(from, to, notice_rules::check::Period::Month)
}

#[test]
fn explain_root_agrees_with_the_verdict_at_every_month() {
    let mut checked = 0;
    for rel in notices_with_data() {
        let Some((notice, data)) = load(&rel) else {
            continue;
        };
        let steps = months_of_life(&notice);
        let timeline = eval::timeline(&notice, &data, &steps, eval::Options::default());
        for outcome in &timeline.outcomes {
            for m in &outcome.measures {
                for v in &m.requirements {
                    let tree = report::explain_tree(&notice, v);
                    let root = &tree[0];
                    assert!(
                        root.truth.agrees_with(v.status),
                        "{rel} as of {}: measure {} requirement {}: explain says {:?}, the verdict is {}",
                        outcome.as_of,
                        notice.measures[m.index].id,
                        v.index + 1,
                        root.truth,
                        v.status
                    );
                    assert_eq!(root.reason, report::prose::finding(&notice, &v.finding));
                    assert_eq!(root.sources, v.sources);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1_000, "only {checked} verdicts checked");
}

#[test]
fn not_not_of_a_missed_duty_is_explained_as_failing() {
    let (notice, data) = load("tests/cases/eval/not_not_recurring.notice").unwrap();
    let outcome = eval::evaluate(&notice, &data, time::parse_date("2012-08-15").unwrap());
    let v = &outcome.measures[0].requirements[0];
    assert_eq!(v.status, eval::Status::NotMet);
    let text = report::explain(&notice, &data, &outcome, 0);
    insta::assert_snapshot!(text);
    let tree = report::explain_tree(&notice, v);
    assert_eq!(tree[0].truth, eval::Truth::False);
    assert!(tree
        .iter()
        .any(|n| n.text == "in April 2012" && n.truth == eval::Truth::False));
}
