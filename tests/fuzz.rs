//! The fuzz targets (`tests/support/fuzz.rs`), a few thousand inputs each
//! on every `cargo test`, and every input that ever failed, kept in
//! `tests/fuzz-regressions/TARGET/`. Longer runs:
//! `cargo run --release --example fuzz -- [TARGET] [--iterations N] [--seed S]`.

use std::path::Path;

#[path = "support/fuzz.rs"]
mod harness;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A few seconds of each target, from a fixed seed.
fn short_campaign(target: &str, iterations: u64) {
    // A panic is caught and reported as the input's failure; the default
    // hook would print each one.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (done, failures) = harness::campaign(root(), target, iterations, 0x6e6f_7469_6365);
    std::panic::set_hook(hook);
    assert_eq!(done, iterations, "{target}: no seeds");
    if let Some((input, failure)) = failures.first() {
        panic!(
            "{target}: {} of {done} inputs failed; the first ({failure:?}):\n{input:?}",
            failures.len()
        );
    }
}

#[test]
fn fuzz_parse_check() {
    short_campaign("parse_check", 5_000);
}

#[test]
fn fuzz_data() {
    short_campaign("data", 5_000);
}

#[test]
fn fuzz_eval() {
    short_campaign("eval", 500);
}

#[test]
fn fuzz_fmt() {
    short_campaign("fmt", 10_000);
}

#[test]
fn fuzz_date() {
    short_campaign("date", 20_000);
}

#[test]
fn fuzz_xlsx() {
    short_campaign("xlsx", 300);
}

#[test]
fn fuzz_ods() {
    short_campaign("ods", 300);
}

#[test]
fn fuzz_renderers() {
    short_campaign("renderers", 2_000);
}

#[test]
fn fuzz_published() {
    short_campaign("published", 1_000);
}

#[test]
fn fuzz_screen() {
    short_campaign("screen", 1_000);
}

#[test]
fn fuzz_zip() {
    short_campaign("zip", 300);
}

/// Every input that ever failed a target passes it now.
#[test]
fn fuzz_regressions() {
    let dir = root().join("tests/fuzz-regressions");
    let mut ran = 0;
    for target in harness::TARGETS {
        let Ok(entries) = std::fs::read_dir(dir.join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for file in files {
            let input = std::fs::read_to_string(&file).unwrap();
            if let Err(f) = harness::run(target, &input) {
                panic!("{}: {f:?}", file.display());
            }
            ran += 1;
        }
    }
    assert!(ran > 0, "no regression inputs found");
}
