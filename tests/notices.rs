//! The bundled notices check clean and evaluate as their data says.

use std::path::Path;

use notice_rules::{data, eval, load_notice, time};

fn evaluate(file: &str, as_of: &str) -> (notice_rules::check::Notice, eval::Outcome) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (notice, warnings) =
        load_notice(&root.join(file)).unwrap_or_else(|e| panic!("{file}: {} errors", e.len()));
    assert!(warnings.is_empty(), "{file}: warnings");
    let data = data::load(&notice, &notice.data).unwrap_or_else(|e| panic!("{file}: {e:?}"));
    let outcome = eval::evaluate(&notice, &data, time::parse_date(as_of).unwrap());
    (notice, outcome)
}

fn statuses(
    notice: &notice_rules::check::Notice,
    outcome: &eval::Outcome,
) -> Vec<(String, &'static str)> {
    outcome
        .measures
        .iter()
        .map(|m| (notice.measures[m.index].id.clone(), m.status.as_str()))
        .collect()
}

#[test]
fn waltham_forest_at_the_formal_review() {
    let (notice, outcome) = evaluate("notices/waltham-forest-2012.notice", "2012-08-01");
    insta::assert_debug_snapshot!(statuses(&notice, &outcome));
    assert!(outcome.has_unmet_requirement());
}

#[test]
fn waltham_forest_before_the_first_deadline() {
    let (notice, outcome) = evaluate("notices/waltham-forest-2012.notice", "2012-02-01");
    insta::assert_debug_snapshot!(statuses(&notice, &outcome));
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
            .map(|e| notice_rules::render_plain(e.as_ref(), 100))
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
    let data = data::load(&notice, &notice.data).unwrap();
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
