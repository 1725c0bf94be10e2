//! No input makes the parser panic or hang: truncations, random bytes,
//! mutations and deep nesting all end in located diagnostics.

use std::path::Path;
use std::time::{Duration, Instant};

use notice_rules::{load_notice_text, render_plain};

const LIMIT: Duration = Duration::from_secs(1);

/// Parses and checks `text`; returns whether it was accepted. Every error
/// must render and point somewhere.
fn try_text(text: &str) -> bool {
    try_text_in(text, Path::new("."))
}

/// As [`try_text`], with `use` and data paths relative to `dir`.
fn try_text_in(text: &str, dir: &Path) -> bool {
    let started = Instant::now();
    let result = load_notice_text("input.notice", text, dir);
    assert!(
        started.elapsed() < LIMIT,
        "took {:?} on {:?}",
        started.elapsed(),
        text
    );
    match result {
        Ok(_) => true,
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                assert!(e.primary().is_some(), "no location: {e}");
                assert!(!render_plain(e, 100).is_empty());
            }
            false
        }
    }
}

fn waltham_forest() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join("notices/waltham-forest-2012.notice")).unwrap()
}

#[test]
fn every_truncation_is_an_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![
        root.join("notices/waltham-forest-2012.notice"),
        root.join("notices/wiltshire-2012.notice"),
    ];
    for entry in std::fs::read_dir(root.join("tests/cases/eval")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "notice") {
            files.push(path);
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let dir = file.parent().unwrap();
        assert!(try_text_in(&text, dir), "{} does not check", file.display());
        let end = text.rfind('}').unwrap();
        for (i, _) in text.char_indices().filter(|&(i, _)| i <= end) {
            assert!(
                !try_text_in(&text[..i], dir),
                "{}: a truncation at byte {i} was accepted",
                file.display()
            );
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn random_bytes_and_mutations_never_panic() {
    let mut rng = Lcg(7);
    for _ in 0..300 {
        let len = (rng.next() % 400) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        try_text(&String::from_utf8_lossy(&bytes));
    }
    let text = waltham_forest().into_bytes();
    let alphabet = b"{}()[]\"%<>=!+-,.:/\\ \n0123456789abcnotallanyrequireby\xc2\xa3";
    for _ in 0..300 {
        let mut mutated = text.clone();
        for _ in 0..1 + rng.next() % 4 {
            let at = (rng.next() as usize) % mutated.len();
            mutated[at] = alphabet[(rng.next() as usize) % alphabet.len()];
        }
        try_text(&String::from_utf8_lossy(&mutated));
    }
}

fn with_condition(cond: &str) -> String {
    format!(
        "notice deep {{ title \"t\" authority \"a\" issued 2012-01-23 metric m : count\n measure \"i\" \"t\" {{ require {cond} }} }}"
    )
}

#[test]
fn nesting_thousands_deep_is_refused() {
    let n = 5000;
    for cond in [
        format!("{}m > 1{}", "(".repeat(n), ")".repeat(n)),
        format!("{}m > 1", "not ".repeat(n)),
        format!("{}m > 1{}", "all { ".repeat(n), " }".repeat(n)),
        format!("{}m > 1", "(".repeat(n)),
        "m[".repeat(n),
    ] {
        let text = with_condition(&cond);
        assert!(!try_text(&text));
    }
    // Long flat chains are fine: they are loops, not recursion.
    let chain = vec!["m > 1"; n].join(" and ");
    assert!(try_text(&with_condition(&chain)));
    let sum = vec!["m"; n].join(" + ");
    assert!(try_text(&with_condition(&format!("{sum} > 1"))));
}

#[test]
fn nesting_within_the_limit_is_accepted() {
    let n = notice_rules::MAX_NESTING - 2;
    assert!(try_text(&with_condition(&format!(
        "{}m > 1{}",
        "(".repeat(n),
        ")".repeat(n)
    ))));
}

/// The deepest nesting the language accepts is parsed, checked, evaluated,
/// explained and rendered on a thread of 2 MiB, the default of a spawned
/// thread: an embedder's thread needs no larger stack.
#[test]
fn the_deepest_nesting_fits_a_two_mib_thread() {
    let depth = notice_rules::MAX_NESTING - 2;
    for cond in [
        format!("{}m > 1{}", "all { ".repeat(depth), " }".repeat(depth)),
        format!("{}m > 1{}", "(".repeat(depth), ")".repeat(depth)),
        format!(
            "{}m > 1{}",
            "any { not ".repeat(depth / 2),
            " }".repeat(depth / 2)
        ),
    ] {
        let text = with_condition(&cond);
        let worker = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let (notice, _) = load_notice_text("deep.notice", &text, Path::new("."))
                    .unwrap_or_else(|e| panic!("{} errors", e.len()));
                let data = notice_rules::Project::new(&notice_rules::Disk)
                    .load_data_texts(
                        &notice,
                        vec![notice_rules::SourceFile::new(
                            "d.csv",
                            "area,metric,date,value\n,m,2012-06-30,3\n",
                        )],
                    )
                    .map(|(d, _)| d)
                    .unwrap();
                let as_of = notice_rules::time::parse_date("2012-08-01").unwrap();
                let outcome = notice_rules::eval::evaluate(&notice, &data, as_of);
                let json = notice_rules::report::to_json(&notice, &data, &outcome);
                let diags = notice_rules::report::verdict_diagnostics(&notice, &data, &outcome);
                let explained = notice_rules::report::explain(&notice, &data, &outcome, 0);
                (
                    serde_json::to_string(&json).map(|s| s.len()).unwrap_or(0),
                    diags.len(),
                    !explained.is_empty(),
                )
            })
            .unwrap();
        let (json, _, explained) = worker.join().expect("the worker's stack overflowed");
        assert!(json > 0 && explained);
    }
}
