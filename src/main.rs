//! The `notice` command line.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use notice_rules::{check, data, eval, report, syntax, time, Diag, SourceFile};

/// Exit codes: users script against them.
const OK: u8 = 0;
const NOT_MET: u8 = 1;
const UNUSABLE: u8 = 2;

/// Check an improvement notice's rules, and evaluate a council's data against them.
#[derive(Parser)]
#[command(name = "notice", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and check notice files; report every error and warning.
    Check {
        /// Notice files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Evaluate a notice against its data as of a date.
    Eval {
        /// The notice file.
        file: PathBuf,
        /// Data files or folders (replace the notice's own `data`); may be repeated.
        #[arg(long = "data", value_name = "PATH")]
        data: Vec<PathBuf>,
        /// The evaluation date (YYYY-MM-DD); only data dated on or before it is seen. Default: today.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print the date a date expression stands for, e.g. "2012-01-31 + 1 month".
    Date {
        /// The expression.
        expr: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    // Parsing is bounded in depth, but the work runs on a thread with a
    // generous stack so that no input can come near the end of it.
    let worker = std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(|| run(Cli::parse()));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => ExitCode::from(101),
    }
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check { files } => check_files(&files),
        Command::Eval {
            file,
            data,
            as_of,
            format,
        } => eval_file(&file, &data, as_of.as_deref(), format),
        Command::Date { expr } => date(&expr),
    }
}

/// Whether diagnostics on stderr get colour.
fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn emit(diags: &[Diag]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = write!(
            err,
            "{}",
            notice_rules::render(d.as_ref(), width(), color())
        );
    }
}

fn check_files(files: &[PathBuf]) -> u8 {
    let mut code = OK;
    for file in files {
        match notice_rules::load_notice(file) {
            Ok((notice, warnings)) => {
                emit(&warnings);
                eprintln!(
                    "{}: ok ({} measures, {} requirements{})",
                    file.display(),
                    notice.measures.len(),
                    notice
                        .measures
                        .iter()
                        .map(|m| m.requirements.len())
                        .sum::<usize>(),
                    plural_warnings(warnings.len())
                );
            }
            Err(errors) => {
                emit(&errors);
                let warnings = errors
                    .iter()
                    .filter(|d| d.severity() == Some(miette::Severity::Warning))
                    .count();
                let count = errors.len() - warnings;
                eprintln!(
                    "{}: {count} error{}{}",
                    file.display(),
                    if count == 1 { "" } else { "s" },
                    plural_warnings(warnings)
                );
                code = UNUSABLE;
            }
        }
    }
    code
}

fn plural_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".into(),
        n => format!(", {n} warnings"),
    }
}

fn eval_file(file: &Path, data_paths: &[PathBuf], as_of: Option<&str>, format: Format) -> u8 {
    let as_of = match as_of {
        None => chrono::Local::now().date_naive(),
        Some(text) => match time::parse_date(text) {
            Some(d) => d,
            None => {
                eprintln!("error: `--as-of {text}` is not a date\n  help: dates are YYYY-MM-DD and must exist, e.g. 2012-08-01");
                return UNUSABLE;
            }
        },
    };
    let (notice, warnings) = match notice_rules::load_notice(file) {
        Ok(loaded) => loaded,
        Err(errors) => {
            emit(&errors);
            return UNUSABLE;
        }
    };
    emit(&warnings);
    let paths: Vec<PathBuf> = if data_paths.is_empty() {
        notice.data.clone()
    } else {
        data_paths.to_vec()
    };
    if paths.is_empty() {
        eprintln!(
            "error: no data for `{}`\n  help: give `--data PATH`, or add `data \"file.csv\"` to the notice",
            file.display()
        );
        return UNUSABLE;
    }
    let data = match data::load(&notice, &paths) {
        Ok(d) => d,
        Err(errors) => {
            let diags: Vec<Diag> = errors.into_iter().map(|e| Box::new(e) as Diag).collect();
            emit(&diags);
            return UNUSABLE;
        }
    };
    let outcome = eval::evaluate(&notice, &data, as_of);
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let json = report::to_json(&notice, &data, &outcome);
            match serde_json::to_string_pretty(&json) {
                Ok(text) => {
                    let _ = writeln!(out, "{text}");
                }
                Err(e) => {
                    eprintln!("error: cannot write JSON: {e}");
                    return UNUSABLE;
                }
            }
        }
        Format::Human => {
            let _ = write!(out, "{}", report::table(&notice, &outcome));
            let _ = out.flush();
            let diags: Vec<Diag> = report::verdict_diagnostics(&notice, &data, &outcome)
                .into_iter()
                .map(|d| Box::new(d) as Diag)
                .collect();
            if !diags.is_empty() {
                let _ = writeln!(out);
                let _ = out.flush();
            }
            emit(&diags);
        }
    }
    if outcome.has_unmet_requirement() {
        NOT_MET
    } else {
        OK
    }
}

fn date(expr: &str) -> u8 {
    let src = SourceFile::new("<expression>", expr);
    let parsed = match syntax::parse_date_expr(&src) {
        Ok(p) => p,
        Err(e) => {
            emit(&[Box::new(e) as Diag]);
            return UNUSABLE;
        }
    };
    match check::eval_date(&src, &parsed) {
        Ok(d) => {
            println!("{d}");
            OK
        }
        Err(e) => {
            emit(&[Box::new(e) as Diag]);
            UNUSABLE
        }
    }
}
