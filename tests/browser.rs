//! The board papers in a real browser (headless Chromium): what a reader
//! sees on screen, on a phone and on A4 paper. Each bundled paper is tried
//! at three dates; the pages printed are kept as PNG files in
//! `target/browser/` to look at.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use notice_rules::{load_notice, report};

use crate::report::{paper_with, DATES};

/// Headless Chromium, if installed (`.ci/run` installs Debian's `chromium`).
fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("NOTICE_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
    ];
    candidates.into_iter().flatten().find(|p| p.exists())
}

/// Whether a command runs (poppler's `pdftotext` and `pdftoppm`).
fn has(command: &str) -> bool {
    Command::new(command).arg("-v").output().is_ok()
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
            "--hide-scrollbars",
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

/// A script the test adds to its own copy of a paper (the paper itself has
/// none): it measures the page as laid out and writes the figures as JSON
/// into the DOM, which `--dump-dom` returns.
const PROBE: &str = r#"<script>
(() => {
  for (const e of document.querySelectorAll('.written')) e.style.display = 'none';
  const text = document.body.innerText;
  for (const e of document.querySelectorAll('.written')) e.style.display = '';
  let minSvgText = 1e9;
  for (const t of document.querySelectorAll('svg text')) {
    const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    minSvgText = Math.min(minSvgText, size);
  }
  // The right edge of every element, but inside a box that scrolls on its own.
  let right = 0;
  for (const e of document.querySelectorAll('body *')) {
    const box = e.parentElement && e.parentElement.closest('.scroll');
    if (box) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0) right = Math.max(right, r.right);
  }
  const probe = document.createElement('pre');
  probe.id = 'probe';
  probe.textContent = JSON.stringify({
    text, minSvgText, right,
    width: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
  });
  // In a frame (the phone's width), the figures go to the page that holds it.
  (window.parent === window ? document : window.parent.document).body.appendChild(probe);
})();
</script>"#;

/// The page laid out at a width: the probe's figures. A headless window
/// is at least 500 px wide, so a narrower page is laid out in a frame of
/// that width (its `srcdoc`, so that the probe may write to the page).
fn probe(browser: &Path, profile: &Path, page: &Path, width: u32) -> serde_json::Value {
    let host = page.with_extension(format!("{width}.html"));
    let inner = std::fs::read_to_string(page).unwrap();
    let framed = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe style=\"width:{width}px;height:900px;border:0\" srcdoc=\"{}\"></iframe></body></html>",
        inner.replace('&', "&amp;").replace('"', "&quot;")
    );
    std::fs::write(&host, framed).unwrap();
    let (dom, log) = run_chromium(
        browser,
        profile,
        &[
            "--window-size=1000,900".into(),
            "--dump-dom".into(),
            format!("file://{}", host.display()),
        ],
    );
    for bad in ["Uncaught", "net::ERR_"] {
        assert!(
            !log.contains(bad),
            "{}: `{bad}` in the log:\n{log}",
            page.display()
        );
    }
    let json = dom
        .split("<pre id=\"probe\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("{}: no probe in the DOM", page.display()));
    let json = json
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

#[test]
fn papers_read_on_screen_on_a_phone_and_on_a4() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser check: install `chromium`"
        );
        eprintln!("skipped: no chromium (install Debian's `chromium` to run the browser check)");
        return;
    };
    let poppler = has("pdftotext") && has("pdftoppm");
    assert!(
        poppler || std::env::var_os("CI").is_none(),
        "CI must print the papers: install `poppler-utils`"
    );
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&out_dir).unwrap();
    let profile = tempfile::tempdir().unwrap();
    for (file, dates) in DATES {
        let (notice, _) = load_notice(Path::new(file)).unwrap();
        // Every identifier that has a label: none may show in the paper.
        let mut labelled: Vec<&str> = Vec::new();
        labelled.extend(
            notice
                .metrics
                .iter()
                .filter(|m| m.description.is_some())
                .map(|m| m.name.as_str()),
        );
        labelled.extend(
            notice
                .evidence
                .iter()
                .filter(|e| e.description.is_some())
                .map(|e| e.name.as_str()),
        );
        labelled.extend(
            notice
                .milestones
                .iter()
                .filter(|m| m.label.is_some())
                .map(|m| m.name.as_str()),
        );
        // A scale is named by its levels, never its identifier.
        labelled.extend(notice.scales.iter().map(|s| &*s.name));
        let stem = Path::new(file)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        for as_of in dates {
            let (p, json) = paper_with(file, as_of, None);
            let html = report::paper::html(&p).unwrap();
            let name = format!("{stem}-{as_of}");
            std::fs::write(out_dir.join(format!("{name}.html")), &html).unwrap();
            let page = out_dir.join(format!("{name}.probe.html"));
            std::fs::write(&page, html.replace("</body>", &format!("{PROBE}</body>"))).unwrap();

            // On screen, at the width of an A4 page's text (184 mm, 695 px).
            let a4 = probe(&browser, profile.path(), &page, 695);
            let text = a4["text"].as_str().unwrap();
            for id in &labelled {
                assert!(!text.contains(id), "{name}: `{id}` shows; its label should");
            }
            assert!(!text.contains('`'), "{name}: a backtick shows");
            assert!(
                a4["right"].as_f64().unwrap() <= a4["width"].as_f64().unwrap() + 0.5,
                "{name}: something is wider than an A4 page: {a4}"
            );
            reading_order_and_links(&name, &html, &json);

            // On a phone.
            let phone = probe(&browser, profile.path(), &page, 390);
            assert!(
                phone["scrollWidth"].as_f64().unwrap() <= 390.0,
                "{name}: the page scrolls sideways on a phone: {}",
                phone["scrollWidth"]
            );
            assert!(
                phone["minSvgText"].as_f64().unwrap() >= 10.0,
                "{name}: chart text under 10 px on a phone: {}",
                phone["minSvgText"]
            );

            if poppler {
                print_to_a4(&browser, profile.path(), &out_dir, &name);
            }
        }
    }
}

/// Red and amber measures come first in the summary and are all the
/// exceptions; the tiles count the JSON output's readings; every summary
/// row links to its measure's section.
fn reading_order_and_links(name: &str, html: &str, json: &serde_json::Value) {
    let attr = |tag: &str, key: &str| -> Option<String> {
        let at = tag.find(&format!("{key}=\""))? + key.len() + 2;
        Some(tag[at..].split('"').next()?.to_string())
    };
    let summary = html
        .split("<table id=\"summary\">")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .unwrap();
    let rows: Vec<(String, String, String)> = summary
        .split("<tr data-measure=")
        .skip(1)
        .map(|row| {
            let tag = format!("<tr data-measure={row}");
            (
                attr(&tag, "data-measure").unwrap(),
                attr(&tag, "data-rag").unwrap(),
                attr(&tag, "href").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows.len(),
        json["measures"].as_array().unwrap().len(),
        "{name}"
    );
    let exception = |rag: &str| rag == "red" || rag == "amber";
    let first_other = rows
        .iter()
        .position(|r| !exception(&r.1))
        .unwrap_or(rows.len());
    assert!(
        rows[first_other..].iter().all(|r| !exception(&r.1)),
        "{name}: a red or amber measure after the others: {rows:?}"
    );
    for (id, _, href) in &rows {
        let section = format!(
            "<section class=\"measure\" id=\"{}\" data-measure=\"{id}\">",
            &href[1..]
        );
        assert!(
            html.contains(&section),
            "{name}: the row of {id} does not link to its section"
        );
    }
    // Tiles against the JSON output.
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for m in json["measures"].as_array().unwrap() {
        let class = match m["rag"].as_str().unwrap() {
            "not_yet_due" => "grey",
            other => other,
        };
        *counted.entry(class.to_string()).or_default() += 1;
    }
    let tiles = html
        .split("<ul class=\"tiles\" id=\"tiles\">")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .unwrap();
    for tile in tiles.split("<li ").skip(1) {
        let rag = attr(tile, "data-rag").unwrap();
        let n: usize = attr(tile, "data-count").unwrap().parse().unwrap();
        assert_eq!(
            n,
            counted.get(&rag).copied().unwrap_or(0),
            "{name}: the {rag} tile"
        );
    }
    let exceptions =
        html.matches("<li class=\"red\"").count() + html.matches("<li class=\"amber\"").count();
    assert_eq!(
        exceptions,
        counted.get("red").unwrap_or(&0) + counted.get("amber").unwrap_or(&0),
        "{name}: the exceptions are the red and amber measures"
    );
}

/// Prints a paper to A4 and reads the PDF: the board summary on at most
/// two pages, a page number on each, nothing shrunk; the pages kept as PNG.
fn print_to_a4(browser: &Path, profile: &Path, out_dir: &Path, name: &str) {
    let pdf = out_dir.join(format!("{name}.pdf"));
    run_chromium(
        browser,
        profile,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            format!("file://{}", out_dir.join(format!("{name}.html")).display()),
        ],
    );
    let text = |args: &[&str]| {
        let o = Command::new("pdftotext")
            .args(args)
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(info.contains("(A4)"), "{name}: not A4:\n{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    let mut measures_on = None;
    for n in 1..=pages {
        let page = text(&["-f", &n.to_string(), "-l", &n.to_string()]);
        assert!(
            page.contains(&format!("Page {n} of {pages}")),
            "{name}: page {n} has no page number"
        );
        if measures_on.is_none() && page.lines().any(|l| l.trim() == "Measures") {
            measures_on = Some(n);
        }
    }
    let measures_on = measures_on.unwrap_or_else(|| panic!("{name}: no Measures heading"));
    assert!(
        measures_on <= 3,
        "{name}: the board summary takes {} pages",
        measures_on - 1
    );
    // Not shrunk: the body's words are at least 10 pt high on the page
    // (the paper sets 10.5 pt; a page scaled to fit would set them smaller).
    let boxes = text(&["-bbox", "-f", "1", "-l", "1"]);
    let mut heights: Vec<f64> = boxes
        .lines()
        .filter(|l| l.contains("<word "))
        .filter_map(|l| {
            let num = |key: &str| -> Option<f64> {
                let at = l.find(&format!("{key}=\""))? + key.len() + 2;
                l[at..].split('"').next()?.parse().ok()
            };
            Some(num("yMax")? - num("yMin")?)
        })
        .collect();
    heights.sort_by(f64::total_cmp);
    let median = heights[heights.len() / 2];
    assert!(median >= 10.0, "{name}: text printed at {median:.1} pt");
    let shots = out_dir.join(format!("{name}-page"));
    let o = Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(&pdf)
        .arg(&shots)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    eprintln!(
        "{name}: {pages} pages, summary on {}, PNG in {}",
        measures_on - 1,
        out_dir.display()
    );
}

/// Hostile text in a real browser: only text, never markup.
#[test]
fn hostile_paper_renders_as_text() {
    let Some(browser) = chromium() else {
        return;
    };
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&out_dir).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let (p, _) = paper_with("tests/cases/report/hostile.notice", "2012-08-01", None);
    let page = out_dir.join("hostile.html");
    std::fs::write(&page, report::paper::html(&p).unwrap()).unwrap();
    let (dom, log) = run_chromium(
        &browser,
        profile.path(),
        &["--dump-dom".into(), format!("file://{}", page.display())],
    );
    assert!(!log.contains("Uncaught"), "{log}");
    assert!(!dom.contains("<script"), "a script element is in the DOM");
    assert!(!dom.contains("<em>") && !dom.contains("<i>") && !dom.contains("<b>"));
    assert!(
        dom.contains("&lt;script&gt;alert('title')&lt;/script&gt; &amp; \"quotes\" — Łódź"),
        "{dom}"
    );
}
