//! A national file (every council, hundreds of metrics) holding the bundled
//! rows gives the bundled verdicts; screening it lists every council.

use std::path::Path;

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

fn json_of(args: &[&str]) -> (serde_json::Value, String) {
    let (_, stdout, stderr) = run(args);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{stderr}"));
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
        let (bundled, _) = json_of(&["eval", NOTICE, "--as-of", as_of, "--format", "json"]);
        let (national, stderr) = json_of(&[
            "eval",
            NOTICE,
            "--data",
            data,
            "--only-data",
            "--as-of",
            as_of,
            "--format",
            "json",
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
        // Five councils and nine regions.
        assert!(
            stderr.contains("rows of 14 areas no rule reads"),
            "{stderr}"
        );
    }
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = crate::cli::notice(args);
    (
        out.status.code().unwrap_or(-1),
        crate::cli::stdout(&out),
        crate::cli::stderr(&out),
    )
}

/// A notice of one metric, `visits`, required to be at least 50%.
const VISITS: &str = "notice n {\n  title \"N\" authority \"Somewhere\" issued 2012-01-23\n  metric visits : percent, higher is better\n  measure \"i\" \"Visits\" {\n    text \"Visits.\"\n    require visits >= 50%\n  }\n}\n";

/// A notice and its data in a new folder: the folder, the notice's path
/// and the data's.
fn case(notice: &str, csv: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let (n, d) = (dir.path().join("n.notice"), dir.path().join("d.csv"));
    std::fs::write(&n, notice).unwrap();
    std::fs::write(&d, csv).unwrap();
    let path = |p: std::path::PathBuf| p.to_str().unwrap().to_string();
    (dir, path(n), path(d))
}

/// Each measure's status in an `eval --format json`.
fn statuses(eval: &serde_json::Value) -> Vec<String> {
    eval["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_screen_lists_every_council_with_the_verdicts_of_eval() {
    let (dir, the_notice) = small_national();
    let data = dir.path().to_str().unwrap();
    let as_of = "2012-09-30";
    let (screen, _) = json_of(&[
        "screen", NOTICE, "--data", data, "--as-of", as_of, "--format", "json",
    ]);
    let areas: Vec<&str> = screen["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["area"].as_str().unwrap())
        .collect();
    let councils = generator::councils(&the_notice, generator::Shape::SMALL);
    let mut expected: Vec<&str> = councils.iter().map(String::as_str).collect();
    expected.sort();
    assert_eq!(expected.len(), 6);
    assert!(expected.contains(&"Kingston upon Hull, City of"));
    assert_eq!(
        areas, expected,
        "every council once, England left fixed, no region"
    );
    assert_eq!(screen["fixed"], serde_json::json!(["England"]));
    // Each area's row is what `eval` gives for it.
    for area in [the_notice.authority.as_str(), "Bristol, City of"] {
        let row = screen["areas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["area"] == area)
            .unwrap();
        let mut args = vec![
            "eval",
            NOTICE,
            "--data",
            data,
            "--only-data",
            "--as-of",
            as_of,
            "--format",
            "json",
        ];
        if area != the_notice.authority {
            args.extend(["--area", area]);
        }
        let (eval, _) = json_of(&args);
        let row_statuses: Vec<String> = row["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        assert_eq!(row_statuses, statuses(&eval), "{area}");
        assert_eq!(row["status"], eval["status"], "{area}");
    }
    let total: u64 = screen["counts"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, areas.len());
}

#[test]
fn a_screen_reads_only_the_areas_named_and_writes_csv() {
    let (dir, _) = small_national();
    let data = dir.path().to_str().unwrap();
    let (code, csv, _) = run(&[
        "screen",
        NOTICE,
        "--data",
        data,
        "--as-of",
        "2012-09-30",
        "--format",
        "csv",
        "--areas",
        // Each area once, however often it is named.
        &["Darlington, Bristol, City of"; 500].join(", "),
    ]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("area,status,plan,review,i,"), "{csv}");
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1].starts_with("\"Bristol, City of\","),
        "sorted by area: {csv}"
    );
    let (code, _, stderr) = run(&["screen", NOTICE, "--data", data, "--areas", "Darlingtn"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `Darlington`?"), "{stderr}");
    // A comparator the rules name stays fixed: it is not screened.
    for args in [
        vec!["screen", NOTICE, "--data", data, "--areas", "England"],
        vec!["eval", NOTICE, "--data", data, "--area", "England"],
    ] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains("stays fixed"), "{stderr}");
    }
    // Evidence is the authority's: for another council a record is unknown, never missing.
    let (_, table, _) = run(&[
        "eval",
        NOTICE,
        "--data",
        data,
        "--only-data",
        "--as-of",
        "2012-09-30",
        "--area",
        "Darlington",
    ]);
    assert!(table.contains("Darlington as of 2012-09-30"), "{table}");
    assert!(table.contains("  plan     unknown"), "{table}");
}

#[test]
fn a_screen_groups_the_warnings_of_many_areas() {
    let mut csv = String::from("area,metric,date,value\n");
    for area in ["A", "B", "C", "D", "Somewhere"] {
        csv.push_str(&format!("{area},visits,2012-06-30,0.61\n"));
    }
    let (_dir, notice, data) = case(VISITS, &csv);
    let (code, out, stderr) = run(&["screen", &notice, "--data", &data, "--as-of", "2012-08-01"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.matches("notice::data::percent_as_fraction").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("for each of 5 areas (Somewhere, A, B, …)"),
        "{stderr}"
    );
    assert!(out.contains("5 not met"), "{out}");
    // The command it gives to see one area reads the same data as the screen.
    assert!(
        out.contains(&format!(
            "--data {data} --only-data --as-of 2012-08-01 --area NAME"
        )),
        "{out}"
    );
}

/// Published statistics give each area its level: a screen reads councils
/// by default, so a region is not screened as one; `--level` chooses.
#[test]
fn a_screen_of_published_statistics_reads_one_level() {
    let screen = |level: Option<&str>| {
        let mut args = vec![
            "screen",
            "tests/cases/data/published.notice",
            "--as-of",
            "2013-06-30",
            "--format",
            "csv",
        ];
        if let Some(level) = level {
            args.extend(["--level", level]);
        }
        let (code, csv, stderr) = run(&args);
        assert_eq!(code, 0, "{stderr}");
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let councils = ["Hackney", "London Borough of Waltham Forest"];
    assert_eq!(screen(None), councils);
    assert_eq!(screen(Some("local-authority")), councils);
    assert_eq!(screen(Some("regional")), ["Inner London"]);
    assert_eq!(
        screen(Some("any")),
        [
            "Hackney",
            "Inner London",
            "London Borough of Waltham Forest"
        ]
    );
}

/// Ward rows of published statistics are a geography no rule reads: a
/// screen and `eval --area` pass them over with one warning that counts
/// them, rather than reading every ward as one area "Ward" whose rows all
/// disagree.
#[test]
fn ward_rows_are_passed_over_and_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let header = std::fs::read_to_string("tests/cases/data/published.csv").unwrap();
    let mut csv = header.clone();
    for ward in 0..300 {
        csv.push_str(&format!(
            "2012,Reporting year,Ward,E92000001,England,E13000001,Inner London,E09000012,Hackney,{}.0,{}.5\n",
            ward % 40,
            ward % 50
        ));
    }
    std::fs::write(dir.path().join("published.csv"), csv).unwrap();
    let data = dir.path().join("published.csv");
    let data = data.to_str().unwrap();
    let notice = "tests/cases/data/published.notice";
    let (code, out, stderr) = run(&[
        "screen",
        notice,
        "--data",
        data,
        "--only-data",
        "--as-of",
        "2013-06-30",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("notice::data::conflict"), "{stderr}");
    assert!(
        stderr.contains("300 rows of 1 geographic level no rule reads were not read"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("geographic level").count(), 1, "{stderr}");
    assert!(!out.contains("Ward"), "{out}");
    let (code, _, stderr) = run(&[
        "eval",
        notice,
        "--data",
        data,
        "--only-data",
        "--as-of",
        "2013-06-30",
        "--area",
        "Hackney",
    ]);
    assert!(matches!(code, 0 | 1), "{stderr}");
    assert!(!stderr.contains("notice::data::conflict"), "{stderr}");
}

/// A long table may give each row's `geographic_level`, as the national
/// generator's file does: a screen then reads councils, not regions.
#[test]
fn a_long_table_with_levels_is_screened_by_level() {
    let csv = "geographic_level,area,metric,date,value\nNational,England,visits,2012-06-30,60%\nRegional,London,visits,2012-06-30,62%\nLocal authority,Somewhere,visits,2012-06-30,70%\nLocal authority,\"Bristol, City of\",visits,2012-06-30,50%\nWard,Somewhere Central,visits,2012-06-30,1%\n,Unlevelled,visits,2012-06-30,65%\n";
    let (_dir, notice, data) = case(
        "notice n {\n  title \"N\" authority \"Somewhere\" issued 2012-01-23\n  metric visits : percent, higher is better\n  measure \"i\" \"Visits\" {\n    text \"Visits.\"\n    require visits >= visits[England]\n  }\n}\n",
        csv,
    );
    let args = |level: &'static str| {
        vec![
            "screen".to_string(),
            notice.clone(),
            "--data".to_string(),
            data.clone(),
            "--as-of".to_string(),
            "2012-08-01".to_string(),
            "--format".to_string(),
            "csv".to_string(),
            "--level".to_string(),
            level.to_string(),
        ]
    };
    let screened = |level: &'static str| {
        let a = args(level);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let (code, out, stderr) = run(&a);
        assert!(matches!(code, 0 | 1), "{stderr}");
        assert!(stderr.contains("1 row of 1 geographic level"), "{stderr}");
        out.lines().skip(1).map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(
        screened("local-authority"),
        [
            "\"Bristol, City of\",not_met,not_met",
            "Somewhere,met,met",
            "Unlevelled,met,met"
        ]
    );
    assert_eq!(
        screened("regional"),
        ["London,met,met", "Unlevelled,met,met"]
    );
}

/// Rows that disagree are shown one by one up to twenty, then counted in
/// one more diagnostic: never one per pair of a million.
#[test]
fn many_rows_that_disagree_are_counted_past_the_first_twenty() {
    let mut csv = String::from("area,metric,date,value\n");
    for day in 1..=25 {
        csv.push_str(&format!("Somewhere,visits,2012-06-{day:02},50%\n"));
        for value in [51, 52, 53] {
            csv.push_str(&format!("Somewhere,visits,2012-06-{day:02},{value}%\n"));
        }
    }
    let (_dir, notice, data) = case(VISITS, &csv);
    let (code, _, stderr) = run(&[
        "eval",
        &notice,
        "--data",
        &data,
        "--only-data",
        "--as-of",
        "2012-08-01",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr.matches("notice::data::conflict").count(),
        21,
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "55 more rows disagree with an earlier row for the same area, metric and date"
        ),
        "{stderr}"
    );
}

/// A screen stores other areas' figures only for metrics some rule reads:
/// the rest are counted (`not_read`), and the verdicts are those of eval.
#[test]
fn a_screen_counts_the_figures_no_rule_reads_and_does_not_store_them() {
    let csv = "area,metric,date,value\nSomewhere,visits,2012-06-30,60%\nSomewhere,spare,2012-06-30,1%\n\"Bristol, City of\",visits,2012-06-30,40%\n\"Bristol, City of\",spare,2012-06-30,2%\n\"Bristol, City of\",spare,2012-05-31,not a percent\n";
    let (_dir, n, d) = case(
        "notice n {\n  title \"N\" authority \"Somewhere\" issued 2012-01-23\n  metric visits : percent, higher is better \"Visits\"\n  metric spare : percent \"Spare\"\n  measure \"i\" \"Visits\" {\n    text \"Visits.\"\n    require visits >= 50%\n  }\n}\n",
        csv,
    );
    let (n, d) = (n.as_str(), d.as_str());
    let (screen, stderr) = json_of(&[
        "screen",
        n,
        "--data",
        d,
        "--as-of",
        "2012-08-01",
        "--format",
        "json",
    ]);
    assert_eq!(screen["not_read"], 2, "{stderr}");
    let statuses: Vec<&str> = screen["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["not_met", "met"]);
    let (_, table, _) = run(&["screen", n, "--data", d, "--as-of", "2012-08-01"]);
    assert!(
        table.contains("2 figures of metrics no rule reads passed over"),
        "{table}"
    );
    // The authority's own figures are read and checked as in eval.
    let (code, _, stderr) = run(&[
        "eval",
        n,
        "--data",
        d,
        "--only-data",
        "--as-of",
        "2012-08-01",
        "--area",
        "Bristol, City of",
    ]);
    assert_eq!(code, 1, "{stderr}");
}
