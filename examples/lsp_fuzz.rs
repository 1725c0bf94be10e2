//! The language server under random edits for as long as asked:
//! `cargo run --release --example lsp_fuzz -- [--edits N] [--seed S]`
//! (default 1,000,000 edits, seed 1). Prints the edits, the requests
//! answered, the failures and the rate; exits 1 if anything failed.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../tests/support/lsp_fuzz.rs"]
mod lsp_fuzz;

use std::time::Instant;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.replace('_', "").parse::<u64>().ok())
    };
    let edits = value("--edits").unwrap_or(1_000_000);
    let seed = value("--seed").unwrap_or(1);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let started = Instant::now();
    let s = lsp_fuzz::session(root, edits, seed);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} edits, {} requests answered, {} failures, in {secs:.0} s ({:.0} edits/s)",
        s.edits,
        s.requests,
        s.failures,
        s.edits as f64 / secs.max(f64::EPSILON)
    );
    if s.failures == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
