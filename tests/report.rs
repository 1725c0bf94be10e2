//! The board paper: its summary in Markdown (snapshots), Markdown that a
//! GFM renderer reads as written, one HTML file with nothing outside it,
//! hostile text shown as text, amber and met late told apart, what changed
//! since the last paper, owners, and no local paths.

use std::path::Path;

use notice_rules::{eval, load_notice, report, time};

/// The bundled notices, each at a date within its life.
pub(crate) const NOTICES: [(&str, &str); 2] = [
    ("notices/waltham-forest-2012.notice", "2012-08-01"),
    ("notices/wiltshire-2012.notice", "2013-06-30"),
];

/// A paper, and the JSON outcome it was made from.
pub(crate) fn paper_with(
    file: &str,
    as_of: &str,
    since: Option<&str>,
) -> (report::paper::Paper, serde_json::Value) {
    // Relative to the crate (the tests' folder), so the rows cited are the same on every machine.
    let (notice, _) =
        load_notice(Path::new(file)).unwrap_or_else(|e| panic!("{file}: {} errors", e.len()));
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
        .map(|(d, _)| d)
        .unwrap();
    let options = eval::Options::default();
    let outcome = eval::evaluate_with(&notice, &data, time::parse_date(as_of).unwrap(), options);
    let json = serde_json::to_value(report::to_json(&notice, &data, &outcome)).unwrap();
    let paper = report::paper::paper(
        &notice,
        &data,
        &outcome,
        &report::paper::PaperOptions {
            eval: options,
            since: since.map(|s| time::parse_date(s).unwrap()),
            owner: None,
        },
    );
    (paper, json)
}

fn paper(file: &str, as_of: &str) -> report::paper::Paper {
    paper_with(file, as_of, None).0
}

/// The board summary of a Markdown paper: everything before the measures.
fn summary_part(md: &str) -> &str {
    md.split("\n## Measures\n").next().unwrap_or(md)
}

#[test]
fn markdown_summary_of_each_bundled_notice() {
    // Waltham Forest with the box of what changed since the last paper.
    let (wf, _) = paper_with(NOTICES[0].0, NOTICES[0].1, Some("2012-07-01"));
    let md = report::paper::markdown(&wf).unwrap();
    insta::assert_snapshot!("paper_summary_waltham-forest-2012", summary_part(&md));
    let md = report::paper::markdown(&paper(NOTICES[1].0, NOTICES[1].1)).unwrap();
    insta::assert_snapshot!("paper_summary_wiltshire-2012", summary_part(&md));
}

/// The dates each bundled paper is tried at: before its first deadline,
/// just after the six-month review, after the notice's end.
pub(crate) const DATES: [(&str, [&str; 3]); 2] = [
    (
        "notices/waltham-forest-2012.notice",
        ["2012-02-15", "2012-08-01", "2013-03-01"],
    ),
    (
        "notices/wiltshire-2012.notice",
        ["2012-11-01", "2013-05-01", "2014-02-01"],
    ),
];

/// Every table of a Markdown paper has as many cells in each row as in its
/// header, and a GFM renderer (pulldown-cmark) reads every one as a table;
/// headings never skip a level.
#[test]
fn markdown_papers_read_as_written_by_a_gfm_renderer() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    for (file, dates) in DATES {
        for as_of in dates {
            let md = report::paper::markdown(
                &paper_with(file, as_of, Some("2012-07-01").filter(|s| *s < as_of)).0,
            )
            .unwrap();
            let mut tables = 0;
            let mut level = 0;
            for (event, range) in Parser::new_ext(&md, Options::ENABLE_TABLES).into_offset_iter() {
                match event {
                    Event::Start(Tag::Table(columns)) => {
                        tables += 1;
                        for line in md[range].lines().filter(|l| !l.trim().is_empty()) {
                            assert_eq!(
                                cells(line),
                                columns.len(),
                                "{file} at {as_of}: a row with the wrong number of cells: {line}"
                            );
                        }
                    }
                    Event::Start(Tag::Heading { level: h, .. }) => {
                        let h = h as usize;
                        assert!(
                            h <= level + 1,
                            "{file} at {as_of}: a heading of level {h} after one of {level}"
                        );
                        level = h;
                    }
                    _ => {}
                }
            }
            let written = md
                .split("\n\n")
                .filter(|block| block.trim_start().starts_with('|'))
                .count();
            assert_eq!(
                tables, written,
                "{file} at {as_of}: a table not read as one"
            );
            assert!(
                !md.contains("| |\n| --- | --- |"),
                "{file}: an empty header row"
            );
        }
    }
}

/// The cells of a table row: its `|` that are not escaped, less one.
fn cells(line: &str) -> usize {
    let mut n: usize = 0;
    let mut escaped = false;
    for c in line.trim().chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    n.saturating_sub(1)
}

/// The box of what changed since the last paper lists exactly the changes
/// `notice timeline` shows between the two dates.
#[test]
fn the_changed_box_is_the_timeline_between_the_papers() {
    let o = crate::cli::notice(&[
        "timeline",
        "notices/waltham-forest-2012.notice",
        "--from",
        "2012-07-01",
        "--to",
        "2012-08-01",
        "--format",
        "json",
    ]);
    let timeline: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut expected: Vec<(String, String, String, String)> = Vec::new();
    for m in timeline["measures"].as_array().unwrap() {
        for c in m["changes"].as_array().unwrap() {
            expected.push((
                c["date"].as_str().unwrap().to_string(),
                m["id"].as_str().unwrap().to_string(),
                c["from"].as_str().unwrap().replace('_', " "),
                c["to"].as_str().unwrap().replace('_', " "),
            ));
        }
    }
    expected.sort();
    let (p, _) = paper_with(NOTICES[0].0, "2012-08-01", Some("2012-07-01"));
    let since = p.since.as_ref().unwrap();
    let iso = |people: &str| {
        chrono::NaiveDate::parse_from_str(people, "%d %B %Y")
            .unwrap()
            .to_string()
    };
    let mut shown: Vec<(String, String, String, String)> = since
        .changes
        .iter()
        .map(|c| {
            (
                iso(&c.date),
                c.measure.clone(),
                c.from.word.to_string(),
                c.to.word.to_string(),
            )
        })
        .collect();
    shown.sort();
    assert!(!expected.is_empty());
    assert_eq!(shown, expected);
    // The summary's column of statuses then agrees with the first step.
    for row in &p.summary {
        assert!(
            row.previous.is_some(),
            "{}: no status at the last paper",
            row.id
        );
    }
}

#[test]
fn html_paper_is_one_file_with_nothing_outside_it() {
    for (file, as_of) in NOTICES {
        let p = paper(file, as_of);
        let html = report::paper::html(&p).unwrap();
        for outside in ["src=", "url(", "@import", "<script", "<link"] {
            assert!(!html.contains(outside), "{file}: `{outside}` in the report");
        }
        // Links only within the paper.
        assert!(
            html.matches("href=\"").count() == html.matches("href=\"#").count(),
            "{file}: a link out of the paper"
        );
        for g in &p.groups {
            for m in &g.measures {
                assert!(
                    html.contains(&format!("data-measure=\"{}\"", m.id)),
                    "{file}: {}",
                    m.id
                );
            }
        }
    }
}

#[test]
fn hostile_text_is_escaped_in_the_html_source() {
    let html =
        report::paper::html(&paper("tests/cases/report/hostile.notice", "2012-08-01")).unwrap();
    assert!(!html.contains("<script"), "a script tag came through");
    assert!(!html.contains("<em>more") && !html.contains("<i>LSCB") && !html.contains("<b>Br"));
    assert!(html.contains("&lt;script&gt;alert(5)&lt;"));
    assert!(html.contains("Łódź") && html.contains("naïve café") && html.contains("Ørsted"));
    // The running header is a CSS string: nothing in the title can end it.
    let style = html.split("</style>").next().unwrap();
    assert!(
        !style.contains("<script") && !style.contains("alert('title')"),
        "{style}"
    );
}

/// A target projected to miss reads amber in the tiles and the summary; a
/// measure met late is told from one met on time by word and symbol.
#[test]
fn at_risk_is_amber_and_met_late_is_told_apart_without_colour() {
    let (p, json) = paper_with("tests/cases/report/amber.notice", "2012-05-15", None);
    let amber = |id: &str| {
        p.summary
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id} not in the summary"))
    };
    assert_eq!(amber("risk").rag.word, "amber");
    assert_eq!(amber("risk").status.word, "not yet due");
    assert_eq!(amber("late").rag.word, "amber");
    assert_eq!(amber("ontime").rag.word, "green");
    let (late, ontime) = (&amber("late").status, &amber("ontime").status);
    assert_ne!(late.word, ontime.word);
    assert_ne!(late.symbol, ontime.symbol);
    let tile = |word: &str| {
        p.tiles
            .iter()
            .find(|t| t.rag.word == word)
            .unwrap()
            .measures
    };
    assert_eq!(tile("amber"), 2);
    assert_eq!(tile("green"), 1);
    // The JSON says the same.
    let rags: Vec<&str> = json["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["rag"].as_str().unwrap())
        .collect();
    assert_eq!(rags, ["amber", "amber", "green"]);
    // Amber measures come first, each saying why.
    let first: Vec<&str> = p.exceptions.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(first, ["risk", "late"]);
    assert!(p.exceptions[0]
        .since
        .as_deref()
        .unwrap()
        .contains("at risk"));
}

/// A paper names its data rows from the notice's folder, whatever path the
/// notice was given by: no machine's folders in a board paper.
#[test]
fn a_paper_shows_no_local_paths() {
    let root = env!("CARGO_MANIFEST_DIR");
    let absolute = format!("{root}/notices/waltham-forest-2012.notice");
    for format in ["md", "html"] {
        let o = crate::cli::notice(&[
            "report",
            &absolute,
            "--as-of",
            "2012-08-01",
            "--format",
            format,
        ]);
        // HTML writes `/` as `&#x2f;`.
        let paper = crate::cli::stdout(&o).replace("&#x2f;", "/");
        assert!(
            !paper.contains(root),
            "{format}: the machine's folder is shown"
        );
        assert!(
            paper.contains("data/waltham-forest-2012/evidence.csv"),
            "{format}: rows are named from the notice's folder"
        );
    }
}

/// `report --owner` is one owner's part; a paper of several owners rolls
/// them up; `--since` after the paper's date is refused.
#[test]
fn owners_and_since_on_the_command_line() {
    let run = |args: &[&str]| {
        let mut all = vec![
            "report",
            "notices/waltham-forest-2012.notice",
            "--as-of",
            "2012-08-01",
            "--format",
            "md",
        ];
        all.extend_from_slice(args);
        crate::cli::notice(&all)
    };
    let full = crate::cli::stdout(&run(&[]));
    assert!(full.contains("## By owner"), "no roll-up by owner");
    let lscb = run(&["--owner", "Local Safeguarding Children Board"]);
    assert_eq!(lscb.status.code(), Some(0), "{}", crate::cli::stderr(&lscb));
    let lscb = crate::cli::stdout(&lscb);
    assert!(lscb.contains("the part owed by **Local Safeguarding Children Board**"));
    assert!(lscb.contains("| vi: Case file audits |") || lscb.contains("| xii: LSCB challenge"));
    assert!(
        !lscb.contains("| plan: "),
        "a measure the LSCB does not owe"
    );
    let unknown = run(&["--owner", "Nobody"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(crate::cli::stderr(&unknown).contains("notice::usage::unknown_owner"));
    let late = run(&["--since", "2012-09-01"]);
    assert_eq!(late.status.code(), Some(2));
    assert!(crate::cli::stderr(&late).contains("is after the paper's date"));
}

/// A diagnostic never breaks a date or a number across lines, at any width.
#[test]
fn diagnostics_never_break_a_date_or_a_number() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, as_of) in NOTICES {
        let (notice, _) = load_notice(&root.join(file)).unwrap();
        let data = notice_rules::Project::new(&notice_rules::Disk)
            .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
            .map(|(d, _)| d)
            .unwrap();
        let outcome = eval::evaluate(&notice, &data, time::parse_date(as_of).unwrap());
        for d in report::verdict_diagnostics(&notice, &data, &outcome) {
            for width in [50, 72, 100] {
                let text = notice_rules::render_plain(&d, width);
                for line in text.lines() {
                    let end = line.trim_end();
                    let broken = end.ends_with('-')
                        && end[..end.len() - 1].ends_with(|c: char| c.is_ascii_digit());
                    assert!(
                        !broken,
                        "{file} at width {width}: a line ends inside a date or number:\n{text}"
                    );
                }
            }
        }
    }
}
