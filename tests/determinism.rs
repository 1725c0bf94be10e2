//! Same input, same output: every command and format gives the same bytes
//! on every run, and shuffling the data's rows changes only the lines cited.

fn run(args: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let out = crate::cli::notice(args);
    (out.stdout, out.stderr)
}

const W: &str = "notices/waltham-forest-2012.notice";
const S: &str = "notices/wiltshire-2012.notice";

#[test]
fn every_command_gives_the_same_bytes_on_every_run() {
    let commands: Vec<Vec<&str>> = vec![
        vec!["eval", W, "--as-of", "2012-09-30"],
        vec!["eval", S, "--as-of", "2013-06-30", "--format", "json"],
        vec!["eval", W, "--as-of", "2012-09-30", "--format", "junit"],
        vec!["timeline", W, "--from", "2012-01-01", "--to", "2013-01-01"],
        vec![
            "timeline",
            S,
            "--from",
            "2012-10-01",
            "--to",
            "2013-10-01",
            "--format",
            "json",
        ],
        vec!["explain", W, "--measure", "vi", "--as-of", "2012-08-01"],
        vec![
            "check",
            "tests/cases/check/calendar_edges.notice",
            "tests/cases/parse/hint_milestone.notice",
        ],
        vec![
            "check",
            "--format",
            "sarif",
            "tests/cases/lint/confusable_names.notice",
        ],
        vec!["test", "--format", "json"],
        vec!["report", W, "--as-of", "2012-08-01", "--format", "md"],
    ];
    for args in &commands {
        let first = run(args);
        for _ in 0..3 {
            assert!(run(args) == first, "{args:?} changed between runs");
        }
    }
}

/// JSON without the rows cited, whose line numbers depend on row order.
fn without_rows(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .filter(|(k, _)| k != "sources" && k != "source")
                .map(|(k, v)| (k, without_rows(v)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(without_rows).collect())
        }
        other => other,
    }
}

#[test]
fn shuffled_rows_change_only_the_lines_cited() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bundled = root.join("notices/data/waltham-forest-2012");
    for name in ["observations.csv", "evidence.csv"] {
        let text = std::fs::read_to_string(bundled.join(name)).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines.remove(0);
        // A fixed shuffle: every row moves.
        let n = lines.len();
        let shuffled: Vec<&str> = (0..n).map(|i| lines[(i * 7 + 3) % n]).collect();
        assert_eq!(
            {
                let mut s = shuffled.clone();
                s.sort();
                s
            },
            {
                let mut s = lines.clone();
                s.sort();
                s
            },
            "the shuffle is a permutation"
        );
        std::fs::write(
            dir.path().join(name),
            format!("{header}\n{}\n", shuffled.join("\n")),
        )
        .unwrap();
    }
    let data = dir.path().to_str().unwrap();
    for as_of in ["2012-02-15", "2012-07-23", "2013-01-31"] {
        let json = |extra: &[&str]| {
            let mut args = vec!["eval", W, "--as-of", as_of, "--format", "json"];
            args.extend_from_slice(extra);
            let (out, _) = run(&args);
            without_rows(serde_json::from_slice(&out).unwrap())
        };
        assert_eq!(json(&["--data", data]), json(&[]), "{as_of}");
        let (table, _) = run(&["eval", W, "--as-of", as_of, "--data", data]);
        let (bundled_table, _) = run(&["eval", W, "--as-of", as_of]);
        assert_eq!(table, bundled_table, "{as_of}");
    }
}
