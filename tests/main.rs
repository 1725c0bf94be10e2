//! The one integration-test binary: fixtures, the command line, robustness.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod browser;
mod ci_formats;
mod cli;
mod codes;
mod data_files;
mod determinism;
mod editor;
mod facade;
mod fixtures;
mod formatting;
mod fuzz;
mod hostile;
mod lsp;
mod national;
mod notices;
mod report;
mod robustness;
mod semantics;
mod structure;
mod trace;
mod verdicts;
