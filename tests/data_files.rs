//! Which data files a command reads: `--data` added to the notice's own,
//! `--only-data` alone, and a file's publication day from its `data` line.

use crate::cli::{notice, stderr};

/// `--data` adds files to the notice's own data; `--only-data` reads the
/// given files alone.
#[test]
fn eval_data_flag_adds_to_the_notice_data_and_only_data_replaces_it() {
    let args = [
        "eval",
        "tests/cases/data/bad_date.notice",
        "--data",
        "tests/cases/data/percent_range.csv",
        "--as-of",
        "2012-08-01",
    ];
    let added = notice(&args);
    assert_eq!(added.status.code(), Some(2));
    let err = stderr(&added);
    assert!(err.contains("outside 0–100%"), "{err}");
    assert!(err.contains("`2012-02-30` is not a date"), "{err}");
    let only = notice(&[&args[..], &["--only-data"]].concat());
    assert_eq!(only.status.code(), Some(2));
    let err = stderr(&only);
    assert!(err.contains("outside 0–100%"), "{err}");
    assert!(!err.contains("is not a date"), "{err}");
    // `--only-data` with nothing to read instead is a usage error.
    let alone = notice(&["eval", "tests/cases/data/bad_date.notice", "--only-data"]);
    assert_eq!(alone.status.code(), Some(2));
    assert!(
        stderr(&alone).contains("notice::usage::bad_arguments"),
        "{}",
        stderr(&alone)
    );
}

/// A `--data` path that does not exist is relative to the current folder,
/// and the help says so, not that data paths are relative to the notice.
#[test]
fn a_missing_data_path_on_the_command_line_says_where_it_is_looked_for() {
    let o = notice(&[
        "eval",
        "notices/waltham-forest-2012.notice",
        "--data",
        "no/such.csv",
        "--as-of",
        "2012-08-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("`no/such.csv` does not exist"), "{err}");
    assert!(err.contains("relative to the current folder"), "{err}");
    assert!(!err.contains("relative to the notice file"), "{err}");
}

/// A file's publication day on its `data` line is honoured as a row's
/// `published`: unknown before the release (the fixture), met after it, and
/// met before it too when every version is read (`--known-at latest`).
#[test]
fn a_files_publication_day_is_honoured() {
    let statuses = |extra: &[&str]| {
        let o = notice(
            &[
                &[
                    "eval",
                    "tests/cases/data/published_release.notice",
                    "--format",
                    "json",
                ][..],
                extra,
            ]
            .concat(),
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["status"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(statuses(&["--as-of", "2012-10-31"]), ["met", "met", "met"]);
    assert_eq!(
        statuses(&["--as-of", "2012-09-26"]),
        ["unknown", "unknown", "met"]
    );
    assert_eq!(
        statuses(&["--as-of", "2012-09-26", "--known-at", "latest"]),
        ["met", "met", "met"]
    );
}

/// Two series of one figure (two_series.notice): the council's own until the
/// Department's, published on the day its `data` line gives, supersedes it.
#[test]
fn a_published_figure_supersedes_the_councils_own_from_its_day() {
    let status = |as_of: &str| {
        let o = notice(&[
            "eval",
            "tests/cases/data/two_series.notice",
            "--as-of",
            as_of,
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["measures"][0]["requirements"][0]["observed"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("2013-10-30"), "77%");
    assert_eq!(status("2013-10-31"), "71.8%");
}
