//! Runs the fuzz targets of `tests/support/fuzz.rs` for as long as asked,
//! and writes each failing input to `target/fuzz-failures/TARGET-N.txt`:
//! `cargo run --release --example fuzz -- [TARGET] [--iterations N] [--seed S]`
//! (default: every target, 100,000 inputs each, seed 1). Prints each
//! target's executions, executions per second and failures.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../tests/support/fuzz.rs"]
mod harness;

use std::time::Instant;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.replace('_', "").parse::<u64>().ok())
    };
    let iterations = value("--iterations").unwrap_or(100_000);
    let seed = value("--seed").unwrap_or(1);
    let named: Vec<&str> = args
        .iter()
        .filter(|a| harness::TARGETS.contains(&a.as_str()))
        .map(String::as_str)
        .collect();
    let targets: Vec<&str> = if named.is_empty() {
        harness::TARGETS.to_vec()
    } else {
        named
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/fuzz-failures");
    std::panic::set_hook(Box::new(|_| {}));
    let mut failed = false;
    for target in targets {
        let started = Instant::now();
        let (done, failures) = harness::campaign(root, target, iterations, seed);
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{target}: {done} executions in {secs:.1} s ({:.0}/s), {} failures",
            done as f64 / secs.max(1e-9),
            failures.len()
        );
        for (k, (input, failure)) in failures.iter().enumerate() {
            failed = true;
            let _ = std::fs::create_dir_all(&out);
            let path = out.join(format!("{target}-{seed}-{k}.txt"));
            let _ = std::fs::write(&path, input);
            eprintln!("  {failure:?}: {}", path.display());
        }
    }
    if failed {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
