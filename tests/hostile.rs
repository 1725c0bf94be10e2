//! Hostile inputs through the binary: files it should not read, paths that
//! loop, calendar edges. Each ends with exit 0, 1 or 2, never a panic (101)
//! or a hang, and never echoes a file it was not meant to read.

use std::path::Path;
use std::process::{Command, Output};

use crate::cli::{notice, stderr};

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

const WALTHAM: &str = "notices/waltham-forest-2012.notice";

#[test]
fn a_notice_reads_data_only_inside_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        dir.path().join("secret.csv"),
        "area,metric,date,value\nsecret,x,2012-01-31,1\n",
    )
    .unwrap();
    for data in ["/etc/passwd", "../secret.csv"] {
        let file = sub.join("n.notice");
        std::fs::write(
            &file,
            format!("notice n {{\n  title \"N\" authority \"S\" issued 2012-01-23\n  data \"{data}\"\n}}\n"),
        )
        .unwrap();
        let out = notice(&["eval", file.to_str().unwrap(), "--as-of", "2012-08-01"]);
        assert_eq!(code(&out), 2, "{data}");
        let err = stderr(&out);
        assert!(err.contains("notice::data::outside_notice"), "{err}");
        assert!(!err.contains("root:") && !err.contains("secret,x"), "{err}");
    }
}

#[test]
fn data_on_the_command_line_is_never_echoed_unless_it_is_a_table() {
    let out = notice(&[
        "eval",
        WALTHAM,
        "--data",
        "/etc/passwd",
        "--as-of",
        "2012-08-01",
    ]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("is not a CSV table"), "{err}");
    assert!(!err.contains("root:"), "{err}");
}

#[test]
fn devices_and_pipes_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.csv");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut paths = vec!["/dev/zero".to_string()];
    if made {
        paths.push(fifo.display().to_string());
    }
    for path in paths {
        for args in [
            vec![
                "eval",
                WALTHAM,
                "--data",
                path.as_str(),
                "--as-of",
                "2012-08-01",
            ],
            vec!["check", path.as_str()],
        ] {
            let out = notice(&args);
            assert_eq!(code(&out), 2, "{args:?}");
            assert!(stderr(&out).contains("not a regular file"), "{args:?}");
        }
    }
}

#[cfg(unix)]
#[test]
fn test_folders_with_links_to_their_parents_are_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("a");
    std::fs::create_dir(&inner).unwrap();
    std::os::unix::fs::symlink(dir.path(), inner.join("up1")).unwrap();
    std::os::unix::fs::symlink(dir.path(), inner.join("up2")).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::write(
        inner.join("w.test.toml"),
        format!(
            "notice = \"{}\"\n[[case]]\nname = \"issued\"\nas_of = \"2012-02-15\"\n[case.expect]\nnotice = \"not_yet_due\"\n",
            root.join(WALTHAM).display()
        ),
    )
    .unwrap();
    let out = notice(&["test", dir.path().to_str().unwrap(), "--format", "json"]);
    assert!(matches!(code(&out), 0..=2), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("w.test.toml").count(), 1, "{text}");
}

#[test]
fn calendar_edges_end_in_a_verdict_or_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        "milestone far = 9999-12-31 + 252143 years",
        "milestone near = 0000-01-01 - 262143 years",
        "milestone w = issued + 4294967295 working days",
        "measure \"i\" \"I\" { text \"x\" require v >= 1% for 4294967295 consecutive weeks }",
        "measure \"i\" \"I\" { text \"x\" require evidence e every week from issued until 9999-12-31 }",
        "measure \"i\" \"I\" { text \"x\" require evidence e every month from issued until 2200-12-31 }",
        "measure \"i\" \"I\" { text \"x\" require evidence e every quarter from 1900-01-01 until 2200-12-31 }",
        "measure \"i\" \"I\" { text \"x\" require v >= 1% for 2000 consecutive weeks }",
    ];
    for (k, case) in cases.iter().enumerate() {
        let file = dir.path().join(format!("e{k}.notice"));
        std::fs::write(
            &file,
            format!("notice e {{\n  title \"E\" authority \"S\" issued 2012-01-23\n  metric v : percent\n  evidence e \"E\"\n  {case}\n}}\n"),
        )
        .unwrap();
        let data = dir.path().join("d.csv");
        std::fs::write(&data, "area,metric,date,value\nS,v,2012-06-30,5%\n").unwrap();
        for args in [
            vec!["check", file.to_str().unwrap()],
            vec![
                "eval",
                file.to_str().unwrap(),
                "--data",
                data.to_str().unwrap(),
                "--as-of",
                "2200-12-31",
            ],
            vec![
                "timeline",
                file.to_str().unwrap(),
                "--data",
                data.to_str().unwrap(),
                "--from",
                "2012-01-01",
                "--to",
                "2020-01-01",
            ],
        ] {
            let out = notice(&args);
            assert!(
                matches!(code(&out), 0..=2),
                "{case} {args:?}: {}",
                stderr(&out)
            );
        }
    }
}

#[test]
fn a_line_of_a_million_fields_is_shown_in_part() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.csv");
    let mut text = String::from("area,metric,date,value\nSomewhere,visits,2012-01-31,");
    text.push_str(&vec!["x"; 1_000_000].join(","));
    text.push_str("\nSomewhere,visits,2012-02-29,");
    text.push_str(&"9".repeat(5_000));
    text.push('\n');
    std::fs::write(&data, text).unwrap();
    let out = notice(&[
        "eval",
        "tests/cases/data/wide.notice",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("1000003 fields where the header has 4"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(err.contains("…"), "{}", &err[..err.len().min(2000)]);
    assert!(err.len() < 20_000, "{} bytes of diagnostics", err.len());
}

/// A file cut short inside a quoted field is an error at its line, not a
/// value read as if it were whole.
#[test]
fn a_quoted_field_that_never_closes_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("n.notice");
    std::fs::write(
        &file,
        "notice n {\n  title \"N\" authority \"Somewhere\" issued 2012-01-23\n  data \"d.csv\"\n  metric visits : percent, higher is better \"Visits\"\n  measure \"1\" \"V\" {\n    text \"t\"\n    require visits >= 10%\n  }\n}\n",
    )
    .unwrap();
    for cut in [
        "Somewhere,visits,2012-03-31,12%,\"illustrative",
        "Somewhere,visits,2012-03-31,\"12%",
    ] {
        std::fs::write(
            dir.path().join("d.csv"),
            format!("area,metric,date,value,source\n{cut}"),
        )
        .unwrap();
        let out = notice(&["eval", file.to_str().unwrap(), "--as-of", "2012-08-01"]);
        assert_eq!(code(&out), 2, "{cut}");
        let err = stderr(&out);
        assert!(
            err.contains("notice::data::bad_row") && err.contains("line 2"),
            "{err}"
        );
    }
}

/// A reader that stops reading (`notice ... | head`) ends the output
/// quietly: no panic, whatever the command.
#[test]
fn a_closed_pipe_ends_the_output_without_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let commands: [&[&str]; 3] = [
        &[
            "timeline",
            "notices/waltham-forest-2012.notice",
            "--from",
            "2012-01-23",
            "--to",
            "2013-01-23",
            "--format",
            "json",
        ],
        &[
            "report",
            "notices/waltham-forest-2012.notice",
            "--as-of",
            "2012-08-01",
        ],
        &[
            "eval",
            "notices/waltham-forest-2012.notice",
            "--as-of",
            "2012-08-01",
            "--format",
            "json",
        ],
    ];
    for args in commands {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_notice"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe's reading end is dropped here.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// An authority with a line break, quotes or control characters still gives
/// a notice that checks.
#[test]
fn new_takes_any_authority_and_writes_a_notice_that_parses() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("n.notice");
    let o = notice(&[
        "new",
        "--authority",
        "Line one\nLine \"two\" \\ \u{1b}[2J",
        "--issued",
        "2012-01-01",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = notice(&["check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!std::fs::read_to_string(&file).unwrap().contains('\u{1b}'));
}

/// Escape sequences and bidirectional controls in a notice's strings and
/// data reach no terminal, paper or table as themselves: each is shown as
/// an escape (`\u{1b}`).
#[test]
fn control_characters_from_input_are_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("n.notice");
    std::fs::write(
        &file,
        "notice n {\n  title \"Title \u{1b}]0;owned\u{7} \u{202e}tem ton\" authority \"Somewhere\u{1b}[2J\" issued 2012-01-23\n  data \"d.csv\"\n  metric visits : percent, higher is better \"Visits \u{1b}[31m\"\n  measure \"1\" \"Vis\u{1b}[Hits\" {\n    text \"t\u{9b}31m\"\n    require visits >= 90% by 2012-06-30\n    require visit >= 1% // \u{1b}]0;owned\u{7} \u{202e}\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("d.csv"),
        "area,metric,date,value,source\nSomewhere\u{1b}[2J,visits,2012-03-31,12%,x\u{7}\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    // An error (the misspelt `visit`) in colour and without, then the rule fixed.
    for color in ["always", "never"] {
        let out = notice(&["--color", color, "check", f]);
        let err = stderr(&out);
        // The misspelt rule's line is shown, its controls as escapes.
        assert!(
            err.contains("unknown metric `visit`") && err.contains("\\u{1b}]0;owned\\u{7}"),
            "{err}"
        );
        assert!(
            !err.contains("\u{1b}]") && !err.contains('\u{7}') && !err.contains('\u{202e}'),
            "{err:?}"
        );
    }
    let fixed = std::fs::read_to_string(&file)
        .unwrap()
        .replace("require visit >= 1% // \u{1b}]0;owned\u{7} \u{202e}\n", "");
    std::fs::write(&file, fixed).unwrap();
    for args in [
        vec!["eval", f, "--as-of", "2012-08-01"],
        vec!["explain", f, "--measure", "1", "--as-of", "2012-08-01"],
        vec!["timeline", f, "--from", "2012-01-23", "--to", "2012-08-01"],
        vec!["report", f, "--as-of", "2012-08-01", "--format", "md"],
        vec!["report", f, "--as-of", "2012-08-01"],
    ] {
        let out = notice(&args);
        assert!(matches!(code(&out), 0..=2), "{args:?}");
        if args[0] == "eval" {
            // The measure's title is in the table, its ESC shown.
            assert!(
                crate::cli::stdout(&out).contains("Vis\\u{1b}[Hits"),
                "{args:?}"
            );
        }
        for (name, text) in [
            ("stdout", crate::cli::stdout(&out)),
            ("stderr", stderr(&out)),
        ] {
            for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
                assert!(!text.contains(bad), "{args:?} {name}: {bad:?} in {text:?}");
            }
        }
    }
}

/// A link inside the notice's data folder to a file outside it is refused
/// by where it leads, and the file is not echoed.
#[cfg(unix)]
#[test]
fn a_link_in_the_data_folder_to_outside_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let notice_dir = dir.path().join("notice");
    let data = notice_dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        dir.path().join("secret.csv"),
        "area,metric,date,value,source\nsecret-row,visits,2012-03-31,12%,x\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.csv"), data.join("link.csv")).unwrap();
    let file = notice_dir.join("n.notice");
    std::fs::write(
        &file,
        "notice n {\n  title \"N\" authority \"Somewhere\" issued 2012-01-23\n  data \"data\"\n  metric visits : percent, higher is better \"Visits\"\n  measure \"1\" \"V\" {\n    text \"t\"\n    require visits >= 10%\n  }\n}\n",
    )
    .unwrap();
    let out = notice(&["eval", file.to_str().unwrap(), "--as-of", "2012-08-01"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("notice::data::outside_notice") && err.contains("link.csv"),
        "{err}"
    );
    assert!(!err.contains("secret-row"), "{err}");
}

/// A notice in a folder whose name is not UTF-8 reads its own data: paths
/// are compared as paths, not as their names shown.
#[cfg(target_os = "linux")]
#[test]
fn a_folder_whose_name_is_not_utf8_reads_its_own_data() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    std::fs::create_dir(&odd).unwrap();
    std::fs::write(
        odd.join("d.csv"),
        "area,metric,date,value,source\nSomewhere,visits,2012-03-31,12%,x\n",
    )
    .unwrap();
    let file = odd.join("n.notice");
    std::fs::write(
        &file,
        "notice n {\n  title \"N\" authority \"Somewhere\" issued 2012-01-23\n  data \"d.csv\"\n  metric visits : percent, higher is better \"Visits\"\n  measure \"1\" \"V\" {\n    text \"t\"\n    require visits >= 10%\n  }\n}\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_notice"))
        .arg("eval")
        .arg(&file)
        .args(["--as-of", "2012-08-01"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

/// `fmt` on a hard-linked, a read-only and a setgid file of another owner:
/// every name keeps the new text; a read-only file is left as it was unless
/// `--force`; the setgid bit and the owner survive the rewrite.
#[cfg(unix)]
#[test]
fn fmt_keeps_links_modes_and_read_only_files() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let messy = "notice n {\ntitle \"T\" authority \"A\" issued 2012-01-23\n}\n";
    let tidy = "notice n {\n  title \"T\" authority \"A\" issued 2012-01-23\n}\n";
    let dir = tempfile::tempdir().unwrap();

    // A hard link: both names see the formatted text.
    let file = dir.path().join("linked.notice");
    let other = dir.path().join("other-name.notice");
    std::fs::write(&file, messy).unwrap();
    std::fs::hard_link(&file, &other).unwrap();
    let o = notice(&["fmt", file.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&other).unwrap(), tidy);
    assert_eq!(
        std::fs::metadata(&file).unwrap().ino(),
        std::fs::metadata(&other).unwrap().ino()
    );

    // Read-only: refused, unchanged; with --force, formatted and still read-only.
    let file = dir.path().join("read-only.notice");
    std::fs::write(&file, messy).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = notice(&["fmt", file.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is read-only"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), messy);
    let o = notice(&["fmt", "--force", file.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), tidy);
    assert_eq!(std::fs::metadata(&file).unwrap().mode() & 0o7777, 0o444);

    // setgid, and (when the test may give it away) another user's file.
    let file = dir.path().join("setgid.notice");
    std::fs::write(&file, messy).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o2664)).unwrap();
    let other_owner = std::os::unix::fs::chown(&file, Some(4321), Some(4321)).is_ok();
    if other_owner {
        // The chown cleared the bit; set it again, as the owner would.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o2664)).unwrap();
    }
    let o = notice(&["fmt", file.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), tidy);
    assert_eq!(meta.mode() & 0o7777, 0o2664, "the setgid bit was lost");
    if other_owner {
        assert_eq!((meta.uid(), meta.gid()), (4321, 4321));
    }
}

/// A paper two centuries on is bounded as a timeline is: the strip shows
/// its last steps and says from when the changes are listed.
#[test]
fn a_paper_far_in_the_future_is_bounded() {
    let out = notice(&["report", WALTHAM, "--as-of", "2200-01-01", "--format", "md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = crate::cli::stdout(&out);
    assert!(
        md.contains("From 1 June 2108 (the steps before it"),
        "{}",
        &md[md.len().saturating_sub(2000)..]
    );
}

/// Two hundred weekly duties over twenty years, stepped monthly (241
/// steps): each step keeps its statuses and judges only the periods not
/// yet settled, so the grid comes out whole (the speed is in
/// `benches/engine.rs`, `timeline_200_weekly_duties_241_steps`).
#[test]
fn a_timeline_of_many_duties_over_many_steps_comes_out_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.notice");
    let mut text = String::from(
        "notice big {\n  title \"Big\" authority \"Somewhere\" issued 2000-01-03\n  evidence visit \"Visit\"\n",
    );
    for i in 1..=200 {
        text.push_str(&format!("  measure \"{i}\" \"M{i}\" {{\n    text \"t\"\n    require evidence visit every week from 2000-01-03 until 2020-01-01\n  }}\n"));
    }
    text.push_str("}\n");
    std::fs::write(&file, text).unwrap();
    // A visit every week, one year missing its last week.
    let mut csv = String::from("kind,date,reference\n");
    let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let mut day = date(2000, 1, 3);
    while day < date(2020, 1, 1) {
        if day != date(2010, 12, 27) {
            csv.push_str(&format!("visit,{day},weekly visit\n"));
        }
        day = day + chrono::Days::new(7);
    }
    let data = dir.path().join("e.csv");
    std::fs::write(&data, csv).unwrap();
    let out = notice(&[
        "timeline",
        file.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--from",
        "2000-01-03",
        "--to",
        "2020-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 241);
    let measures = json["measures"].as_array().unwrap();
    assert_eq!(measures.len(), 200);
    // Met until the missed week (27 December 2010 to 2 January 2011) has
    // ended: not met from the first step after it.
    for m in measures {
        let changes = m["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 2, "{m}");
        assert_eq!(changes[1]["date"], "2011-02-01", "{m}");
        assert_eq!(changes[1]["to"], "not_met", "{m}");
    }
}

/// A data file whose every row names a different near miss of a declared
/// metric: each is an error with its suggestion, found without comparing
/// every pair of names in full (the speed is in `benches/engine.rs`).
#[test]
fn rows_of_distinct_near_misses_are_each_an_error_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("notice near {\n  title \"N\" authority \"S\" issued 2012-01-23\n");
    for i in 0..500 {
        text.push_str(&format!("  metric metric_{i:05} : percent \"M{i}\"\n"));
    }
    text.push_str(
        "  measure \"1\" \"One\" {\n    text \"t\"\n    require metric_00000 >= 1%\n  }\n}\n",
    );
    let file = dir.path().join("near.notice");
    std::fs::write(&file, text).unwrap();
    let mut csv = String::from("area,metric,date,value\n");
    for i in 0..500 {
        csv.push_str(&format!("S,metrik_{i:05},2012-03-31,5%\n"));
    }
    let data = dir.path().join("near.csv");
    std::fs::write(&data, csv).unwrap();
    let out = notice(&[
        "eval",
        file.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--as-of",
        "2012-08-01",
    ]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert_eq!(err.matches("notice::data::unknown_metric").count(), 500);
    assert!(
        err.contains("did you mean `metric_00499`?"),
        "{}",
        &err[..err.len().min(3000)]
    );
}
