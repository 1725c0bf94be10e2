//! The `notice` command: exit codes, output formats, and what users read.

use std::process::{Command, Output};

/// Runs the binary from the project's folder, as a user would.
pub(crate) fn notice(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notice"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_accepts_the_bundled_notices() {
    let o = notice(&["check", "notices/waltham-forest-2012.notice"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn check_reports_every_error_and_exits_2() {
    let o = notice(&["check", "tests/cases/check/percent_vs_days.notice"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(
        err.matches("notice::check::unit_mismatch").count(),
        3,
        "{err}"
    );
    assert!(err.contains("a percent") && err.contains("days"), "{err}");
}

#[test]
fn check_suggests_a_misspelt_metric() {
    let o = notice(&["check", "tests/cases/check/misspelt_metric.notice"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `icpc_within_15wd`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_of_a_missing_file_exits_2() {
    let o = notice(&["check", "notices/no-such.notice"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("notice::file::not_found"), "{err}");
    assert!(
        err.contains("`notices/no-such.notice` does not exist"),
        "{err}"
    );
    assert!(!err.contains("data paths"), "{err}");
}

#[test]
fn eval_json_has_the_documented_shape() {
    let o = notice(&[
        "eval",
        "notices/waltham-forest-2012.notice",
        "--as-of",
        "2012-08-01",
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a require is not met: {}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["notice"], "waltham_forest_2012");
    assert_eq!(v["as_of"], "2012-08-01");
    let statuses = ["met", "met_late", "not_met", "not_yet_due", "unknown"];
    assert!(statuses.contains(&v["status"].as_str().unwrap()));
    let measures = v["measures"].as_array().unwrap();
    assert!(!measures.is_empty());
    for m in measures {
        for key in ["id", "title", "group", "status", "text", "requirements"] {
            assert!(m.get(key).is_some(), "measure lacks {key}: {m}");
        }
        for r in m["requirements"].as_array().unwrap() {
            for key in [
                "status", "kind", "rule", "line", "column", "deadline", "observed", "required",
                "source", "reason",
            ] {
                assert!(r.get(key).is_some(), "requirement lacks {key}: {r}");
            }
            assert!(statuses.contains(&r["status"].as_str().unwrap()));
            assert!(["require", "expect"].contains(&r["kind"].as_str().unwrap()));
        }
    }
}

#[test]
fn eval_human_shows_the_table_and_the_failures() {
    let o = notice(&[
        "eval",
        "notices/waltham-forest-2012.notice",
        "--as-of",
        "2012-08-01",
    ]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("eval_human_stdout", stdout(&o));
    insta::assert_snapshot!("eval_human_stderr", stderr(&o));
}

#[test]
fn eval_exits_0_when_nothing_required_is_unmet() {
    let o = notice(&[
        "eval",
        "notices/waltham-forest-2012.notice",
        "--as-of",
        "2012-02-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn eval_with_a_bad_data_row_names_the_file_and_line() {
    let o = notice(&[
        "eval",
        "tests/cases/data/bad_date.notice",
        "--as-of",
        "2012-08-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("tests/cases/data/bad_date.csv line 3"),
        "{err}"
    );
    assert!(err.contains("`2012-02-30` is not a date"), "{err}");
}

#[test]
fn eval_refuses_a_bad_as_of_date() {
    let o = notice(&[
        "eval",
        "notices/waltham-forest-2012.notice",
        "--as-of",
        "2012-02-30",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a date"));
}

#[test]
fn date_clamps_months_and_counts_working_days() {
    let cases = [
        ("2012-01-31 + 1 month", "2012-02-29"),
        ("2011-01-31 + 1 month", "2011-02-28"),
        ("2012-02-29 + 1 year", "2013-02-28"),
        ("2012-01-23 + 6 weeks", "2012-03-05"),
        ("2012-05-28 + 15 working days", "2012-06-20"),
        ("2012-03-31 - 1 month", "2012-02-29"),
        ("2024-01-02 + 1 working day", "2024-01-03"),
        ("2026-12-24 + 1 working day", "2026-12-29"),
        ("2017-05", "2017-05-31"),
        ("2017-02 + 1 month", "2017-03-31"),
        ("2012-01-31 +\t1\tmonth", "2012-02-29"),
        ("2012-05-28 + 15 working\n days", "2012-06-20"),
    ];
    for (expr, expected) in cases {
        let o = notice(&["date", expr]);
        assert_eq!(o.status.code(), Some(0), "{expr}: {}", stderr(&o));
        assert_eq!(stdout(&o).trim(), expected, "{expr}");
    }
}

#[test]
fn date_refuses_what_it_cannot_compute() {
    for expr in [
        "2012-02-30",
        "issued + 1 month",
        "2009-12-30 + 1 working day",
        "2012-01-01 +",
    ] {
        let o = notice(&["date", expr]);
        assert_eq!(o.status.code(), Some(2), "{expr}");
        assert!(!stderr(&o).is_empty(), "{expr}");
    }
    let o = notice(&["date", "2009-12-30 + 1 working day"]);
    let err = stderr(&o);
    assert!(
        err.contains("2009 are not known") && err.contains("2027"),
        "{err}"
    );
}

#[test]
fn date_after_the_published_calendar_is_marked_as_by_the_rule() {
    let o = notice(&["date", "2029-01-02 + 1 working day"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "2029-01-03");
    let err = stderr(&o);
    assert!(
        err.contains("notice::check::unconfirmed_holidays")
            && err.contains("counted by the rule")
            && err.contains("2029"),
        "{err}"
    );
    // Within the published years there is no such warning.
    let o = notice(&["date", "2027-12-24 + 1 working day"]);
    assert_eq!(stdout(&o).trim(), "2027-12-29");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn unusable_input_exits_2_with_a_located_diagnostic() {
    let dir = std::env::temp_dir().join(format!("notice-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let deep = format!(
        "notice deep {{ title \"t\" authority \"a\" issued 2012-01-23 metric m : count\n measure \"i\" \"t\" {{ require {}m > 1 }} }}",
        "(".repeat(5000)
    );
    let cases: [(&str, Vec<u8>); 3] = [
        ("deep.notice", deep.into_bytes()),
        ("bytes.notice", (0..=255u8).cycle().take(2000).collect()),
        (
            "truncated.notice",
            b"notice t { title \"t\" authority \"a\" issued 2012-01-2".to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let started = std::time::Instant::now();
        let o = notice(&["check", path.to_str().unwrap()]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{name} took too long"
        );
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = stderr(&o);
        assert!(
            err.contains(&format!("[{}:", path.display())),
            "{name}: no location in\n{err}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn timeline_has_a_status_per_measure_per_monthly_step() {
    let o = notice(&[
        "timeline",
        "notices/waltham-forest-2012.notice",
        "--from",
        "2011-06-01",
        "--to",
        "2013-06-01",
        "--format",
        "json",
    ]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 25);
    assert_eq!(steps[0], "2011-06-01");
    assert_eq!(steps[24], "2013-06-01");
    for m in v["measures"].as_array().unwrap() {
        assert_eq!(m["statuses"].as_array().unwrap().len(), 25, "{}", m["id"]);
        for r in m["requirements"].as_array().unwrap() {
            assert_eq!(r["statuses"].as_array().unwrap().len(), 25);
        }
    }
    insta::assert_snapshot!("timeline_json", stdout(&o));
}

#[test]
fn timeline_human_shows_a_grid_and_the_changes() {
    let o = notice(&[
        "timeline",
        "notices/waltham-forest-2012.notice",
        "--from",
        "2012-01-01",
        "--to",
        "2012-12-31",
        "--step",
        "month",
    ]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    insta::assert_snapshot!("timeline_human", stdout(&o));
}

#[test]
fn timeline_refuses_reversed_dates() {
    let o = notice(&[
        "timeline",
        "notices/waltham-forest-2012.notice",
        "--from",
        "2013-01-01",
        "--to",
        "2012-01-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is before `--from"), "{}", stderr(&o));
}

#[test]
fn known_at_reads_only_what_had_been_published() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            "tests/cases/eval/revisions.notice",
            "--as-of",
            "2012-08-31",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let o = notice(&args);
        assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let then = run(&["--known-at", "2012-08-10"]);
    let now = run(&[]);
    let latest = run(&["--known-at", "latest"]);
    assert_eq!(then["known_at"], "2012-08-10");
    // By default an evaluation knows what was published by its own date.
    assert_eq!(now["known_at"], "2012-08-31");
    assert_eq!(latest["known_at"], serde_json::Value::Null);
    assert_eq!(then["measures"][0]["requirements"][0]["observed"], "60%");
    assert_eq!(now["measures"][0]["requirements"][0]["observed"], "75%");
    assert_eq!(then["measures"][1]["status"], "not_met");
    assert_eq!(now["measures"][1]["status"], "met");
}

#[test]
fn new_writes_a_notice_that_checks_clean() {
    let o = notice(&[
        "new",
        "--authority",
        "London Borough of Barnet",
        "--issued",
        "2013-05-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("new_standalone", stdout(&o));

    let dir = std::env::temp_dir().join(format!("notice-new-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("notices/lib/indicators.notice"),
        dir.join("lib/indicators.notice"),
    )
    .unwrap();
    for (file, lib) in [("with-library.notice", true), ("standalone.notice", false)] {
        let target = if lib {
            dir.join(file)
        } else {
            dir.join("sub").join(file)
        };
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let o = notice(&[
            "new",
            "--authority",
            "Wiltshire Council",
            "--issued",
            "2012-10-17",
            "--out",
            target.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = std::fs::read_to_string(&target).unwrap();
        assert_eq!(
            text.contains("use \"lib/indicators.notice\""),
            lib,
            "{text}"
        );
        let o = notice(&["check", target.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(": ok (1 measure, 1 requirement)"),
            "{}",
            stderr(&o)
        );
        // It never overwrites.
        let o = notice(&[
            "new",
            "--authority",
            "Other",
            "--issued",
            "2012-10-17",
            "--out",
            target.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), text);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diagnostics_in_plain_sentences_and_colour_on_request() {
    let file = "tests/cases/check/misspelt_metric.notice";
    let plain = notice(&["check", "--format", "plain", file]);
    assert_eq!(plain.status.code(), Some(2));
    let text = stderr(&plain);
    assert!(
        text.contains("Diagnostic severity: error") && text.contains("did you mean"),
        "{text}"
    );
    assert!(!text.contains('╭'), "{text}");

    let drawn = notice(&["check", file]);
    assert!(stderr(&drawn).contains('╭'));
    assert!(
        !stderr(&drawn).contains('\u{1b}'),
        "no colour off a terminal"
    );

    let coloured = notice(&["--color", "always", "check", file]);
    assert!(stderr(&coloured).contains('\u{1b}'), "colour when asked");
    let never = notice(&["--color", "never", "check", file]);
    assert!(!stderr(&never).contains('\u{1b}'));
}

#[test]
fn fmt_check_lists_what_would_change_and_fmt_rewrites_it() {
    let dir = std::env::temp_dir().join(format!("notice-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let messy = dir.join("messy.notice");
    let tidy = dir.join("tidy.notice");
    let text = "notice m {\ntitle \"M\" authority \"A\" issued 2012-01-23   \n  // a comment\n      evidence plan \"A plan\"\n}\n";
    std::fs::write(&messy, text).unwrap();
    std::fs::write(
        &tidy,
        "notice t {\n  title \"T\" authority \"A\" issued 2012-01-23\n}\n",
    )
    .unwrap();
    let (m, t) = (messy.to_str().unwrap(), tidy.to_str().unwrap());

    let o = notice(&["fmt", "--check", m, t]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o).trim(), m, "only the messy file is listed");
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        text,
        "--check changes nothing"
    );

    let o = notice(&["fmt", m, t]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let formatted = std::fs::read_to_string(&messy).unwrap();
    assert_eq!(
        formatted,
        "notice m {\n  title \"M\" authority \"A\" issued 2012-01-23\n  // a comment\n  evidence plan \"A plan\"\n}\n"
    );
    assert_eq!(notice(&["fmt", "--check", m, t]).status.code(), Some(0));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");

    std::fs::write(&messy, "notice broken {").unwrap();
    let o = notice(&["fmt", m]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a file that does not parse is not formatted"
    );
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), "notice broken {");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fmt_check_passes_on_every_bundled_notice() {
    let o = notice(&[
        "fmt",
        "--check",
        "notices/waltham-forest-2012.notice",
        "notices/wiltshire-2012.notice",
        "notices/lib/indicators.notice",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn explain_shows_every_part_of_a_measure() {
    for measure in ["cp", "iii", "vi"] {
        let o = notice(&[
            "explain",
            "notices/waltham-forest-2012.notice",
            "--measure",
            measure,
            "--as-of",
            "2012-08-01",
        ]);
        assert_eq!(o.status.code(), Some(1), "{measure}: {}", stderr(&o));
        insta::assert_snapshot!(format!("explain_{measure}"), stdout(&o));
    }
    let o = notice(&[
        "explain",
        "notices/waltham-forest-2012.notice",
        "--measure",
        "plan",
        "--as-of",
        "2012-08-01",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with(
        "measure plan (Action plan agreed by the Improvement Board): met as of 2012-08-01"
    ));
    let o = notice(&[
        "explain",
        "notices/waltham-forest-2012.notice",
        "--measure",
        "vii2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `vii`?"), "{}", stderr(&o));
}

#[test]
fn notice_test_passes_on_the_project_test_files() {
    let o = notice(&["test"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // However many cases the project's test files hold, all pass.
    let out = stdout(&o);
    let last = out.lines().last().unwrap_or_default();
    let passed: usize = last
        .strip_suffix(" passed, 0 failed")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    assert!(passed >= 8, "{out}");
}

#[test]
fn notice_test_shows_expected_against_actual() {
    let o = notice(&["test", "tests/cases/runner/wrong.test.toml"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("test_wrong_human", stdout(&o));

    let o = notice(&[
        "test",
        "tests/cases/runner/wrong.test.toml",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[1]["failures"][0]["expected"], "met");
    assert_eq!(v[1]["failures"][0]["actual"], "not_met");

    let o = notice(&[
        "test",
        "tests/cases/runner/wrong.test.toml",
        "--format",
        "junit",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let xml = stdout(&o);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures) = (0, 0);
    loop {
        match reader.read_event().expect("well-formed JUnit XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"testcase" => cases += 1,
                    b"failure" => failures += 1,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!((cases, failures), (2, 1), "{xml}");
}

#[test]
fn notice_test_refuses_unusable_test_files() {
    let o = notice(&["test", "tests/cases/runner/bad_status.test.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`done` is not a status"),
        "{}",
        stderr(&o)
    );
    let o = notice(&["test", "tests/cases/no-such-folder"]);
    assert_eq!(o.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn fmt_keeps_permissions_and_never_follows_a_planted_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("n.notice");
    std::fs::write(
        &file,
        "notice n {\ntitle \"T\" authority \"A\" issued 2012-01-23\n}\n",
    )
    .unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    // The name the old writer used, planted as a link to another file.
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "keep me").unwrap();
    let planted = dir
        .path()
        .join(format!(".n.notice.{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&other, planted).unwrap();
    let o = notice(&["fmt", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::symlink_metadata(&file).unwrap().is_file());
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("\n  title"));
}

#[test]
fn check_of_a_library_checks_it_as_a_library() {
    let o = notice(&["check", "notices/lib/indicators.notice"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("ok (library `"), "{}", stderr(&o));
}

#[test]
fn eval_owner_shows_only_what_that_owner_owes() {
    let file = "tests/cases/language/owners.notice";
    let o = notice(&[
        "eval",
        file,
        "--as-of",
        "2016-12-31",
        "--owner",
        "health partners",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["owner"], "health partners");
    assert_eq!(json["status"], "met");
    let measures = json["measures"].as_array().unwrap();
    assert_eq!(measures.len(), 1);
    let requirements = measures[0]["requirements"].as_array().unwrap();
    assert_eq!(requirements.len(), 1);
    assert_eq!(requirements[0]["owner"], "Health partners");
    // The council's own part: its authority is an owner too.
    let o = notice(&[
        "eval",
        file,
        "--as-of",
        "2016-12-31",
        "--owner",
        "Lancashire County Council",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("what Lancashire County Council owes"),
        "{}",
        stdout(&o)
    );
    // A name that owes nothing is refused, with the nearest owner.
    let o = notice(&["eval", file, "--as-of", "2016-12-31", "--owner", "LSBC"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `LSCB`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn explain_shows_the_value_at_the_deadline_of_a_late_target() {
    let o = notice(&[
        "explain",
        "notices/waltham-forest-2012.notice",
        "--measure",
        "x",
        "--as-of",
        "2012-09-30",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Met late: 88% now, but 84% when it was due.
    assert!(
        stdout(&o).contains("at the deadline: 84% on 30 June 2012"),
        "{}",
        stdout(&o)
    );
}

#[cfg(unix)]
#[test]
fn fmt_keeps_strings_byte_for_byte_and_formats_a_link_target() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("n.notice");
    let text = "notice n {\r\ntitle \"T\" authority \"A\" issued 2012-01-23\r\n  basis \"a  \r\n  b\t \r\r\n c\"   \r\n}\r\n";
    std::fs::write(&file, text).unwrap();
    let link = dir.path().join("link.notice");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    // Another owner, where this user may give one (as root): it is kept.
    let owner = std::fs::metadata(&file).unwrap().uid() == 0
        && std::os::unix::fs::chown(&file, Some(4242), Some(4242)).is_ok();
    let o = notice(&["fmt", link.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let formatted = std::fs::read_to_string(&file).unwrap();
    assert!(
        formatted.contains("\"a  \r\n  b\t \r\r\n c\""),
        "{formatted:?}"
    );
    assert!(
        formatted.starts_with("notice n {\n  title"),
        "{formatted:?}"
    );
    let o = notice(&["fmt", "--check", file.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "fmt then fmt --check: {}",
        stderr(&o)
    );
    if owner {
        assert_eq!(std::fs::metadata(&file).unwrap().uid(), 4242);
    }
}
