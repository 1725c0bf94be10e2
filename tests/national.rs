//! A national file (every council, hundreds of metrics) holding the bundled
//! rows gives the bundled verdicts; screening it lists every council.

use std::path::Path;
use std::process::Command;

#[path = "support/national.rs"]
mod generator;

const NOTICE: &str = "notices/waltham-forest-2012.notice";

/// Writes the small national data set for the Waltham Forest notice, with
/// its bundled evidence, into a new folder.
fn small_national() -> (tempfile::TempDir, notice_rules::check::Notice) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (notice, _) = notice_rules::load_notice(&root.join(NOTICE)).unwrap();
    let bundled = root.join("notices/data/waltham-forest-2012");
    let dir = tempfile::tempdir().unwrap();
    let observations = std::fs::read_to_string(bundled.join("observations.csv")).unwrap();
    let mut out = Vec::new();
    generator::write(&notice, &observations, generator::Shape::SMALL, &mut out).unwrap();
    std::fs::write(dir.path().join("observations.csv"), out).unwrap();
    std::fs::copy(
        bundled.join("evidence.csv"),
        dir.path().join("evidence.csv"),
    )
    .unwrap();
    (dir, notice)
}

fn notice(args: &[&str]) -> (serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_notice"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{stderr}"));
    (json, stderr)
}

/// The verdicts without the rows they cite (whose lines differ between files).
fn without_rows(mut v: serde_json::Value) -> serde_json::Value {
    match &mut v {
        serde_json::Value::Object(map) => {
            map.remove("sources");
            map.remove("source");
            for value in map.values_mut() {
                *value = without_rows(value.take());
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                *item = without_rows(item.take());
            }
        }
        _ => {}
    }
    v
}

#[test]
fn a_national_file_gives_the_bundled_verdicts() {
    let (dir, _) = small_national();
    let data = dir.path().to_str().unwrap();
    for as_of in ["2012-02-15", "2012-07-23", "2012-09-30", "2013-06-30"] {
        let (bundled, _) = notice(&["eval", NOTICE, "--as-of", as_of, "--format", "json"]);
        let (national, stderr) = notice(&[
            "eval", NOTICE, "--data", data, "--as-of", as_of, "--format", "json",
        ]);
        assert_eq!(without_rows(national), without_rows(bundled), "{as_of}");
        // Other councils and undeclared metrics are passed over with one
        // warning each, never one per row.
        assert_eq!(stderr.matches("notice::data::areas_not_read").count(), 1);
        assert_eq!(
            stderr
                .matches("notice::lint::undeclared_data_metric")
                .count(),
            1
        );
        assert!(stderr.contains("rows of 5 areas no rule reads"), "{stderr}");
    }
}
