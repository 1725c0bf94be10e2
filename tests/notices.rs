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
