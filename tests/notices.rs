//! The bundled notices check clean and evaluate as their data says.

use std::path::Path;

use notice_rules::{eval, load_notice, time};

fn evaluate(file: &str, as_of: &str) -> (notice_rules::check::Notice, eval::Outcome) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (notice, warnings) =
        load_notice(&root.join(file)).unwrap_or_else(|e| panic!("{file}: {} errors", e.len()));
    assert!(warnings.is_empty(), "{file}: warnings");
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
        .map(|(d, _)| d)
        .unwrap_or_else(|e| panic!("{file}: {e:?}"));
    let outcome = eval::evaluate(&notice, &data, time::parse_date(as_of).unwrap());
    (notice, outcome)
}

/// The dates each notice is pinned at: before its first deadline, at its
/// review, and after its last milestone.
const DATES: [(&str, [&str; 3]); 2] = [
    (
        "notices/waltham-forest-2012.notice",
        ["2012-02-15", "2012-07-23", "2012-09-30"],
    ),
    (
        "notices/wiltshire-2012.notice",
        ["2012-11-01", "2012-12-31", "2014-01-31"],
    ),
];

/// Each measure's status at the three dates, one line a measure.
fn outcomes(file: &str, dates: [&str; 3]) -> String {
    let runs: Vec<(notice_rules::check::Notice, eval::Outcome)> =
        dates.iter().map(|d| evaluate(file, d)).collect();
    let notice = &runs[0].0;
    let mut out = format!(
        "{:<16}{:<14}{:<14}{}\n",
        "measure", dates[0], dates[1], dates[2]
    );
    for (i, m) in notice.measures.iter().enumerate() {
        let s: Vec<&str> = runs
            .iter()
            .map(|(_, o)| o.measures[i].status.as_str())
            .collect();
        out.push_str(&format!("{:<16}{:<14}{:<14}{}\n", m.id, s[0], s[1], s[2]));
    }
    out
}

#[test]
fn waltham_forest_at_three_dates() {
    let (file, dates) = DATES[0];
    insta::assert_snapshot!(outcomes(file, dates));
}

#[test]
fn wiltshire_at_three_dates() {
    let (file, dates) = DATES[1];
    insta::assert_snapshot!(outcomes(file, dates));
}

#[test]
fn every_status_appears_across_the_notices_and_dates() {
    let mut seen = std::collections::BTreeSet::new();
    for (file, dates) in DATES {
        for date in dates {
            let (_, outcome) = evaluate(file, date);
            for m in &outcome.measures {
                seen.insert(m.status.as_str());
                seen.extend(m.requirements.iter().map(|v| v.status.as_str()));
            }
        }
    }
    let all: std::collections::BTreeSet<&str> =
        ["met", "met_late", "not_met", "not_yet_due", "unknown"].into();
    assert_eq!(seen, all);
}

#[test]
fn waltham_forest_lists_every_measure_with_its_text() {
    let (notice, outcome) = evaluate(DATES[0].0, "2012-08-01");
    let ids: Vec<&str> = outcome
        .measures
        .iter()
        .map(|m| notice.measures[m.index].id.as_str())
        .collect();
    for id in [
        "plan", "review", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
        "reports",
    ] {
        assert!(ids.contains(&id), "measure {id} missing");
    }
    for m in &notice.measures {
        if m.id != "cp" {
            assert!(
                m.text.as_deref().is_some_and(|t| t.len() > 40),
                "measure {} has no text",
                m.id
            );
        }
    }
    let groups: std::collections::BTreeSet<&str> = notice
        .measures
        .iter()
        .filter_map(|m| m.group.as_deref())
        .collect();
    for g in [
        "Social Work Practice",
        "Capacity and Capability",
        "Partnership and Corporate",
    ] {
        assert!(groups.contains(g), "group {g} missing");
    }
}

#[test]
fn timelines_over_each_notice_life() {
    let cases = [
        (DATES[0].0, "2012-01-23", "2012-10-23"),
        (DATES[1].0, "2012-10-17", "2014-01-17"),
    ];
    for (file, from, to) in cases {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (notice, _) = load_notice(&root.join(file)).unwrap();
        let data = notice_rules::Project::new(&notice_rules::Disk)
            .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
            .map(|(d, _)| d)
            .unwrap();
        let steps = eval::steps(
            time::parse_date(from).unwrap(),
            time::parse_date(to).unwrap(),
            notice_rules::check::Period::Month,
        );
        let timeline = eval::timeline(&notice, &data, &steps, eval::Options::default());
        insta::assert_snapshot!(
            notice.id.clone(),
            notice_rules::report::timeline_table(&notice, &timeline)
        );
    }
}

/// The tour in README.md is a notice that checks.
#[test]
fn readme_tour_checks() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("```text\nnotice ")
        .expect("a tour in README.md")
        + "```text\n".len();
    let len = readme[start..].find("```").unwrap();
    let tour = &readme[start..start + len];
    if let Err(errors) = notice_rules::load_notice_text("README.md", tour, Path::new(".")) {
        let rendered: Vec<String> = errors
            .iter()
            .map(|e| notice_rules::render_plain(e, 100))
            .collect();
        panic!("the README tour does not check:\n{}", rendered.join("\n"));
    }
}

/// The JSON example in docs/json.md has the fields the program writes.
#[test]
fn json_doc_example_matches_the_output_fields() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
        .unwrap();
    let start = doc.find("```json\n").unwrap() + "```json\n".len();
    let len = doc[start..].find("```").unwrap();
    let example: serde_json::Value = serde_json::from_str(&doc[start..start + len]).unwrap();
    let (notice, outcome) = evaluate("notices/waltham-forest-2012.notice", "2012-08-01");
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
        .map(|(d, _)| d)
        .unwrap();
    let actual =
        serde_json::to_value(notice_rules::report::to_json(&notice, &data, &outcome)).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&example), keys(&actual));
    assert_eq!(keys(&example["measures"][0]), keys(&actual["measures"][0]));
    assert_eq!(
        keys(&example["measures"][0]["requirements"][0]),
        keys(&actual["measures"][0]["requirements"][0])
    );
    let vii = actual["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "vii")
        .unwrap();
    assert_eq!(
        vii["requirements"][0]["line"],
        example["measures"][0]["requirements"][0]["line"]
    );
}

/// A timeline with the default knowledge date replays each step with what
/// was known at that step, so it says at every step what `eval --as-of
/// STEP` says, reasons and notes included.
#[test]
fn timeline_steps_equal_evaluations_at_each_step() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The bundled notices, fixtures whose data was published late, and
    // those of each rule a verdict turns on at its deadline.
    let late = [
        "tests/cases/eval/revisions.notice",
        "tests/cases/semantics/known_at.notice",
        "tests/cases/semantics/comparator_at_deadline.notice",
        "tests/cases/semantics/windowed_delivery.notice",
        "tests/cases/semantics/standing_judgement.notice",
        "tests/cases/semantics/sustained_deadline.notice",
        "tests/cases/semantics/carry_window.notice",
        "tests/cases/semantics/duty_edges.notice",
        "tests/cases/data/suppressed_latest.notice",
        "tests/cases/data/published_release.notice",
        "tests/cases/data/two_series.notice",
    ];
    for file in DATES.iter().map(|(f, _)| *f).chain(late) {
        let (notice, _) = load_notice(&root.join(file)).unwrap();
        let data = notice_rules::Project::new(&notice_rules::Disk)
            .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
            .map(|(d, _)| d)
            .unwrap();
        // Weekly steps around the notice's life, so late publications fall between steps.
        let from = notice.issued - chrono::Months::new(3);
        let to = notice.issued + chrono::Months::new(30);
        let steps = eval::steps(from, to, notice_rules::check::Period::Week);
        let timeline = eval::timeline(&notice, &data, &steps, eval::Options::default());
        for (step, outcome) in steps.iter().zip(&timeline.outcomes) {
            let alone = eval::evaluate(&notice, &data, *step);
            assert_eq!(outcome.status, alone.status, "{file} at {step}");
            assert_eq!(outcome.known_at, Some(*step), "{file} at {step}");
            for (a, b) in outcome.measures.iter().zip(&alone.measures) {
                for (va, vb) in a.requirements.iter().zip(&b.requirements) {
                    let id = &notice.measures[a.index].id;
                    assert_eq!(va.status, vb.status, "{file} {id} at {step}");
                    assert_eq!(
                        notice_rules::report::prose::verdict_reason(&notice, a.index, va),
                        notice_rules::report::prose::verdict_reason(&notice, b.index, vb),
                        "{file} {id} at {step}"
                    );
                    assert_eq!(va.notes, vb.notes, "{file} {id} at {step}");
                }
            }
        }
    }
}

/// `notice timeline` keeps each step's statuses and drops its traces: the
/// statuses are those of the full timeline, measure by measure and
/// requirement by requirement.
#[test]
fn a_timeline_of_statuses_has_the_full_timelines_statuses() {
    for file in [
        "notices/waltham-forest-2012.notice",
        "notices/wiltshire-2012.notice",
    ] {
        let (notice, _) = notice_rules::load_notice(std::path::Path::new(file)).unwrap();
        let data = notice_rules::Project::new(&notice_rules::Disk)
            .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
            .map(|(d, _)| d)
            .unwrap();
        let steps = eval::month_steps(notice.issued, notice.issued + chrono::Months::new(26));
        let full = eval::timeline(&notice, &data, &steps, eval::Options::default());
        let light = eval::timeline_of_statuses(&notice, &data, &steps, eval::Options::default());
        for (i, m) in notice.measures.iter().enumerate() {
            assert_eq!(
                full.measure_statuses(i),
                light.measure_statuses(i),
                "{file} {}",
                m.id
            );
            for r in 0..m.requirements.len() {
                assert_eq!(
                    full.requirement_statuses(i, r),
                    light.requirement_statuses(i, r),
                    "{file} {} requirement {r}",
                    m.id
                );
            }
        }
    }
}
