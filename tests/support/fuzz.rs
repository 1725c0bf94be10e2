//! Fuzz targets and a seeded mutation loop, on the stable toolchain: each
//! target takes one input through an entry point of the engine and checks
//! what must hold of any input (no panic, an answer within a second, and the
//! target's own properties). Seeds are the repository's notices, CSV files
//! and date expressions; mutations are byte flips, inserted tokens, deleted
//! and repeated ranges, and splices of two seeds, from a seeded generator,
//! so a run is the same on every machine.
//!
//! `cargo test` runs every target for a few thousand inputs (`tests/fuzz.rs`);
//! `cargo run --release --example fuzz -- [TARGET] [--iterations N] [--seed S]`
//! runs them as long as one likes and writes each failing input to
//! `target/fuzz-failures/`. An input that ever failed is kept in
//! `tests/fuzz-regressions/TARGET/` and run by `cargo test`.

#![allow(dead_code)]

#[path = "fuzz_national.rs"]
mod national;
#[path = "fuzz_workbooks.rs"]
mod workbooks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notice_rules::{check, eval, load_notice_text, report, time, Disk, Project, SourceFile};

/// The longest any one input may take.
pub const LIMIT: Duration = Duration::from_secs(1);

/// The targets, by name.
pub const TARGETS: [&str; 11] = [
    "parse_check",
    "data",
    "eval",
    "fmt",
    "date",
    "xlsx",
    "ods",
    "renderers",
    "published",
    "screen",
    "zip",
];

/// Why an input failed.
#[derive(Debug)]
pub enum Failure {
    /// The target panicked, with this message.
    Panic(String),
    /// The target took longer than [`LIMIT`].
    Slow(Duration),
    /// A property of the target did not hold.
    Property(String),
}

/// Runs one input through a target.
pub fn run(target: &str, input: &str) -> Result<(), Failure> {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| match target {
        "parse_check" => parse_check(input),
        "data" => data_load(input),
        "eval" => evaluate(input),
        "fmt" => format(input),
        "date" => date(input),
        "xlsx" | "ods" => workbooks::workbook(Path::new(env!("CARGO_MANIFEST_DIR")), target, input),
        "renderers" => workbooks::renderers(input),
        "published" | "screen" => national::screen(target, input),
        "zip" => national::zipped(input),
        _ => Ok(()),
    }));
    let took = started.elapsed();
    match result {
        Err(payload) => Err(Failure::Panic(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        )),
        Ok(Err(property)) => Err(Failure::Property(property)),
        Ok(Ok(())) if took > LIMIT => Err(Failure::Slow(took)),
        Ok(Ok(())) => Ok(()),
    }
}

fn render_all(diags: &[notice_rules::Diagnostic]) {
    for d in diags {
        let _ = notice_rules::render_plain(d, 100);
    }
}

/// Parse and check: any text is a notice or located diagnostics.
fn parse_check(text: &str) -> Result<(), String> {
    match load_notice_text("fuzz.notice", text, Path::new("tests/cases")) {
        Ok((_, warnings)) => render_all(&warnings),
        Err(errors) => {
            if errors.is_empty() {
                return Err("refused with no diagnostic".into());
            }
            render_all(&errors);
        }
    }
    Ok(())
}

/// The notice the data target reads CSV for: a metric of every unit.
const DATA_NOTICE: &str = "notice fuzz {\n  title \"F\" authority \"Somewhere\" code \"E09000031\" issued 2012-01-23\n  metric visits : percent, higher is better, column \"pc_visits\"\n  metric gap : pp\n  metric children : count\n  metric days_taken : days\n  metric budget : money\n  metric caseload : ratio\n  scale judgement { inadequate < adequate < good < outstanding }\n  metric rating : rating judgement\n  evidence plan \"Plan\"\n  measure \"i\" \"I\" {\n    text \"x\"\n    require visits >= visits[England] and caseload <= 20 and evidence plan\n  }\n}\n";

/// Data loading: any text is a data set or located diagnostics.
fn data_load(text: &str) -> Result<(), String> {
    static NOTICE: std::sync::OnceLock<Option<check::Notice>> = std::sync::OnceLock::new();
    let notice = NOTICE
        .get_or_init(|| {
            load_notice_text("fuzz.notice", DATA_NOTICE, Path::new("."))
                .ok()
                .map(|(n, _)| n)
        })
        .as_ref()
        .ok_or("the data target's notice does not check")?;
    let notice = notice.clone();
    let project = Project::new(&Disk);
    match project.load_data(
        &notice,
        notice_rules::DataFiles::Notice,
        vec![SourceFile::new("fuzz.csv", text)],
    ) {
        Ok((data, warnings)) => {
            for w in &warnings {
                let _ = notice_rules::render_plain(w, 100);
            }
            let as_of = time::parse_date("2012-08-01").ok_or("date")?;
            let outcome = eval::evaluate(&notice, &data, as_of);
            for d in report::verdict_diagnostics(&notice, &data, &outcome) {
                let _ = notice_rules::render_plain(&d, 100);
            }
        }
        Err(errors) => {
            if errors.is_empty() {
                return Err("refused with no diagnostic".into());
            }
            for e in &errors {
                let _ = notice_rules::render_plain(e, 100);
            }
        }
    }
    Ok(())
}

/// The data the eval target reads notices with.
const EVAL_DATA: &str = "area,metric,date,value\nSomewhere,visits,2012-03-31,61%\nSomewhere,visits,2012-06-30,70%\nEngland,visits,2012-06-30,69%\nSomewhere,caseload,2012-06-30,14\nSomewhere,icpc_within_15wd,2012-06-30,40%\nEngland,icpc_within_15wd,2012-06-30,69%\n";
const EVAL_EVIDENCE: &str = "kind,date,reference\nplan,2012-02-20,minutes\naction_plan,2012-02-20,minutes\ncase_file_audit_report,2012-03-30,audit\n";

/// Evaluation, timeline and explanation of any notice that checks.
fn evaluate(text: &str) -> Result<(), String> {
    let Ok((notice, _)) = load_notice_text("fuzz.notice", text, Path::new("tests/cases")) else {
        return Ok(());
    };
    let data = match notice_rules::Project::new(&notice_rules::Disk)
        .load_data_texts(
            &notice,
            vec![
                SourceFile::new("obs.csv", EVAL_DATA),
                SourceFile::new("evidence.csv", EVAL_EVIDENCE),
            ],
        )
        .map(|(d, _)| d)
    {
        Ok(d) => d,
        Err(_) => return Ok(()),
    };
    let mut dates = vec![notice.issued];
    for d in ["2012-02-15", "2012-08-01", "2013-06-30"] {
        dates.extend(time::parse_date(d));
    }
    for as_of in &dates {
        let outcome = eval::evaluate(&notice, &data, *as_of);
        let _ = report::table(&notice, &outcome);
        let _ = serde_json::to_string(&report::to_json(&notice, &data, &outcome));
        for d in report::verdict_diagnostics(&notice, &data, &outcome) {
            let _ = notice_rules::render_plain(&d, 100);
        }
        for m in &outcome.measures {
            let _ = report::explain(&notice, &data, &outcome, m.index);
        }
    }
    if let (Some(from), Some(to)) = (
        time::parse_date("2012-01-01"),
        time::parse_date("2013-12-31"),
    ) {
        let steps = eval::steps(from, to, notice_rules::check::Period::Month);
        let timeline = eval::timeline(&notice, &data, &steps, eval::Options::default());
        let _ = report::timeline_table(&notice, &timeline);
    }
    Ok(())
}

/// Formatting: idempotent, strings kept byte for byte, and a notice that
/// parses still parses.
fn format(text: &str) -> Result<(), String> {
    let once = notice_rules::format_text(text);
    let twice = notice_rules::format_text(&once);
    if once != twice {
        return Err("formatting twice changed the text".into());
    }
    let src = SourceFile::new("fuzz.notice", text);
    if notice_rules::syntax_errors(&src).is_empty() {
        let formatted = SourceFile::new("fuzz.notice", once.as_str());
        if !notice_rules::syntax_errors(&formatted).is_empty() {
            return Err("a notice that parsed no longer parses once formatted".into());
        }
        if strings(text) != strings(&once) {
            return Err("a string changed".into());
        }
    }
    Ok(())
}

/// The string literals of a text that parses, in order (by its quotes,
/// outside comments).
fn strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (&mut current, c) {
            (Some(s), '\\') => {
                s.push(c);
                if let Some(n) = chars.next() {
                    s.push(n);
                }
            }
            (Some(_), '"') => out.extend(current.take()),
            (Some(s), c) => s.push(c),
            (None, '"') => current = Some(String::new()),
            (None, '/') if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
            }
            (None, _) => {}
        }
    }
    out
}

/// Date expressions, as `notice date` reads them.
fn date(text: &str) -> Result<(), String> {
    match notice_rules::date_expression(text) {
        Ok((d, _)) => {
            if time::supported(d).is_err() {
                return Err(format!("{d} is outside the supported years"));
            }
        }
        Err(errors) => {
            for e in &errors {
                let _ = notice_rules::render_plain(e, 100);
            }
        }
    }
    Ok(())
}

/// The seeds of a target: the repository's files of its kind.
pub fn seeds(root: &Path, target: &str) -> Vec<String> {
    if matches!(target, "xlsx" | "ods") {
        return workbooks::seeds(root, target);
    }
    if matches!(target, "published" | "screen" | "zip") {
        return national::seeds(root, target);
    }
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.join("tests/cases"), root.join("notices")];
    let wanted = match target {
        "data" => "csv",
        "date" => "txt",
        "renderers" => "csv",
        _ => "notice",
    };
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == wanted) {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    if target == "date" {
                        out.extend(
                            text.lines().map(|l| {
                                l.split_once("=>").map_or(l, |(e, _)| e).trim().to_string()
                            }),
                        );
                    } else {
                        out.push(text);
                    }
                }
            }
        }
    }
    if target == "date" {
        out.extend(
            [
                "2012-01-23 + 6 months",
                "2012-05-28 + 15 working days",
                "2200-12-31 + 1 day",
                "9999-12-31 + 252143 years",
                "2017-02 + 1 month",
            ]
            .map(String::from),
        );
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Words and bytes the mutator inserts: the language's own, and edges.
const TOKENS: [&str; 40] = [
    "notice ",
    "metric ",
    "evidence ",
    "milestone ",
    "measure ",
    "require ",
    "expect ",
    "all { ",
    "any { ",
    "not ",
    " and ",
    " or ",
    "every week ",
    "every month ",
    "from issued ",
    "until ",
    "for 4294967295 consecutive weeks",
    " by ",
    "within 3 months of issued",
    "9999-12-31",
    "0000-01-01",
    "1900-01-01",
    "2200-12-31",
    "+ 252143 years",
    "- 1 day",
    "4294967295",
    "18446744073709551615",
    "99999999999999999999999999999",
    "0.77",
    "-5pp",
    "£1,000",
    "\"",
    "{",
    "}",
    "(",
    ")",
    ",",
    "\r\n",
    "\u{feff}",
    "%",
];

/// SplitMix64: a small seeded generator.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// One mutation of a seed (1 to 4 edits), kept UTF-8.
pub fn mutate(rng: &mut Rng, seed: &str, other: &str) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let i = at.min(bytes.len() - 1);
                bytes[i] = (rng.next() & 0x7f) as u8;
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, token.bytes());
            }
            2 => {
                let end = (at + rng.below(32)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(64)).min(bytes.len());
                let part: Vec<u8> = bytes[at..end].to_vec();
                for _ in 0..=rng.below(8) {
                    bytes.splice(at..at, part.iter().copied());
                }
            }
            4 => {
                let o = other.as_bytes();
                let from = rng.below(o.len() + 1);
                let end = (from + rng.below(200)).min(o.len());
                bytes.splice(at..at, o[from..end].iter().copied());
            }
            _ => {
                let digit = b'0' + (rng.below(10) as u8);
                bytes.insert(at, digit);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Runs a target over `iterations` mutated inputs from `seed`; each
/// failure with its input.
pub fn campaign(
    root: &Path,
    target: &str,
    iterations: u64,
    seed: u64,
) -> (u64, Vec<(String, Failure)>) {
    let seeds = seeds(root, target);
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    let mut done = 0;
    if seeds.is_empty() {
        return (0, failures);
    }
    // With NOTICE_FUZZ_LAST set, each input is written there before it runs:
    // an input that takes the process down (an allocation that aborts) is
    // then on disk.
    let last = std::env::var_os("NOTICE_FUZZ_LAST");
    for _ in 0..iterations {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, a, b);
        if let Some(path) = &last {
            let _ = std::fs::write(path, &input);
        }
        done += 1;
        if let Err(f) = run(target, &input) {
            failures.push((input, f));
        }
    }
    (done, failures)
}
