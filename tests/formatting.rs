//! Formatting changes the layout, never the meaning: a notice flattened and
//! formatted again evaluates as it did. (The formatter's own properties,
//! which compare syntax trees, are unit tests beside it: `src/fmt/properties.rs`.)

use std::path::Path;

use notice_rules::{eval, format_text, load_notice_text, report, time, Disk, Project};

#[test]
fn formatting_leaves_evaluation_unchanged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = [
        ("notices/waltham-forest-2012.notice", "2012-07-23"),
        ("notices/wiltshire-2012.notice", "2012-12-31"),
        ("tests/cases/eval/statuses.notice", "2012-08-01"),
        ("tests/cases/eval/windows.notice", "2012-08-01"),
    ];
    for (file, as_of) in cases {
        let path = root.join(file);
        let dir = path.parent().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        // Flattened, then formatted: every column may move, and must come back.
        let flat: String = text
            .lines()
            .map(|l| format!("{}\n", l.trim_start()))
            .collect();
        let json = |t: &str| {
            let (notice, _) = load_notice_text(file, t, dir).unwrap_or_else(|_| panic!("{file}"));
            let (data, _) = Project::new(&Disk)
                .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
                .unwrap();
            let outcome = eval::evaluate(&notice, &data, time::parse_date(as_of).unwrap());
            serde_json::to_string(&report::to_json(&notice, &data, &outcome)).unwrap()
        };
        assert_eq!(json(&format_text(&flat)), json(&text), "{file}");
    }
}
