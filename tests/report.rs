//! The board paper: Markdown snapshots of the bundled notices, one HTML file
//! with nothing outside it, hostile text shown as text, and the same pages
//! in a real browser (headless Chromium).

use std::path::{Path, PathBuf};
use std::process::Command;

use notice_rules::{eval, load_notice, report, time};

/// The bundled notices, each at a date within its life.
const NOTICES: [(&str, &str); 2] = [
    ("notices/waltham-forest-2012.notice", "2012-08-01"),
    ("notices/wiltshire-2012.notice", "2013-06-30"),
];

fn paper(file: &str, as_of: &str) -> report::paper::Paper {
    // Relative to the crate (the tests' folder), so the rows cited are the same on every machine.
    let (notice, _) =
        load_notice(Path::new(file)).unwrap_or_else(|e| panic!("{file}: {} errors", e.len()));
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
        .map(|(d, _)| d)
        .unwrap();
    let options = eval::Options::default();
    let outcome = eval::evaluate_with(&notice, &data, time::parse_date(as_of).unwrap(), options);
    report::paper::paper(&notice, &data, &outcome, options)
}

#[test]
fn markdown_paper_of_each_bundled_notice() {
    for (file, as_of) in NOTICES {
        let md = report::paper::markdown(&paper(file, as_of)).unwrap();
        let name = Path::new(file)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        insta::assert_snapshot!(format!("paper_{name}"), md);
    }
}

#[test]
fn html_paper_is_one_file_with_nothing_outside_it() {
    for (file, as_of) in NOTICES {
        let p = paper(file, as_of);
        let html = report::paper::html(&p).unwrap();
        for outside in ["src=", "href=", "url(", "@import", "<script", "<link"] {
            assert!(!html.contains(outside), "{file}: `{outside}` in the report");
        }
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
}

/// Headless Chromium, if installed (`.ci/run` installs Debian's `chromium`).
fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("NOTICE_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
    ];
    candidates.into_iter().flatten().find(|p| p.exists())
}

/// Runs Chromium headless on a file with the flags a closed network needs.
fn run_chromium(browser: &Path, profile: &Path, args: &[String]) -> (String, String) {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn reports_render_in_a_real_browser() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser check: install `chromium`"
        );
        eprintln!("skipped: no chromium (install Debian's `chromium` to run the browser check)");
        return;
    };
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&out_dir).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut pages: Vec<(&str, &str)> = NOTICES.to_vec();
    pages.push(("tests/cases/report/hostile.notice", "2012-08-01"));
    for (file, as_of) in pages {
        let p = paper(file, as_of);
        let name = Path::new(file)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let page = out_dir.join(format!("{name}.html"));
        std::fs::write(&page, report::paper::html(&p).unwrap()).unwrap();
        let url = format!("file://{}", page.display());
        let (dom, log) = run_chromium(
            &browser,
            profile.path(),
            &["--dump-dom".into(), url.clone()],
        );
        // Loaded without errors: no console error, no failed request.
        for bad in ["CONSOLE", "Uncaught", "net::ERR_"] {
            assert!(
                !log.contains(bad),
                "{file}: `{bad}` in the browser's log:\n{log}"
            );
        }
        // Every measure, its status and every chart are in the DOM.
        let charts: usize = p
            .groups
            .iter()
            .flat_map(|g| &g.measures)
            .map(|m| m.charts.len())
            .sum();
        assert_eq!(
            dom.matches("<svg").count(),
            charts,
            "{file}: charts in the DOM"
        );
        for g in &p.groups {
            for m in &g.measures {
                let row = format!("data-measure=\"{}\"", html_attr(&m.id));
                assert!(dom.contains(&row), "{file}: measure {} missing", m.id);
                let status = format!("{} {}", m.status.symbol, m.status.word);
                assert!(dom.contains(&status), "{file}: status of {} missing", m.id);
            }
        }
        if name == "hostile" {
            // The DOM has no script or markup from the data: only text.
            assert!(!dom.contains("<script"), "a script element is in the DOM");
            assert!(!dom.contains("<em>") && !dom.contains("<i>") && !dom.contains("<b>"));
            assert!(
                dom.contains("&lt;script&gt;alert('title')&lt;/script&gt; &amp; \"quotes\" — Łódź"),
                "{dom}"
            );
        }
        let shot = out_dir.join(format!("{name}.png"));
        run_chromium(
            &browser,
            profile.path(),
            &[
                format!("--screenshot={}", shot.display()),
                "--window-size=1280,2400".into(),
                url,
            ],
        );
        assert!(
            std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000),
            "{}: no screenshot",
            shot.display()
        );
        eprintln!("screenshot: {}", shot.display());
    }
}

/// Text as the DOM serializes it inside an attribute.
fn html_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
