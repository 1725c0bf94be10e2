//! The `notice` command line.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use notice_rules::{check, data, eval, report, syntax, time, Diag, SourceFile};

/// Exit codes: users script against them.
const OK: u8 = 0;
const NOT_MET: u8 = 1;
const UNUSABLE: u8 = 2;

/// Check an improvement notice's rules, and evaluate a council's data against them.
#[derive(Parser)]
#[command(name = "notice", version, about, long_about = None)]
struct Cli {
    /// When to colour diagnostics: on a terminal unless NO_COLOR is set (auto), always, or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How diagnostics are written, set once from the command line.
#[derive(Clone, Copy)]
struct Style {
    color: bool,
    /// Plain sentences (screen readers, logs) instead of drawn boxes.
    plain: bool,
}

static STYLE: std::sync::OnceLock<Style> = std::sync::OnceLock::new();

#[derive(Subcommand)]
enum Command {
    /// Parse and check notice files; report every error and warning.
    Check {
        /// Notice files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to write diagnostics: drawn (human) or as plain sentences (plain).
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
    },
    /// Lay out notice files in the one canonical layout (indentation), keeping every word and comment.
    Fmt {
        /// Notice or library files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing; list the files that would change and exit 1 if any would.
        #[arg(long)]
        check: bool,
    },
    /// Write a starting notice for an authority, ready to fill in.
    New {
        /// The council the notice is given to.
        #[arg(long)]
        authority: String,
        /// The date of the notice (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        issued: String,
        /// The file to write (it must not exist); default: standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Evaluate a notice against its data as of a date.
    Eval {
        #[command(flatten)]
        input: Input,
        /// The evaluation date (YYYY-MM-DD); only data dated on or before it is seen. Default: today.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Evaluate a notice at every month (or week) between two dates, and show when each measure changed.
    Timeline {
        #[command(flatten)]
        input: Input,
        /// The first step (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        /// The last step is on or before this date (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        /// The distance between steps.
        #[arg(long, value_enum, default_value_t = Step::Month)]
        step: Step,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Run test files (`*.test.toml`) that pin the statuses a notice must have.
    Test {
        /// Test files or folders to search; default: notices/tests.
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TestFormat::Human)]
        format: TestFormat,
    },
    /// Explain one measure's evaluation: every part of every requirement with its values and status.
    Explain {
        #[command(flatten)]
        input: Input,
        /// The measure's number, as in the notice (e.g. `vi`).
        #[arg(long)]
        measure: String,
        /// The evaluation date (YYYY-MM-DD). Default: today.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// Print the date a date expression stands for, e.g. "2012-01-31 + 1 month".
    Date {
        /// The expression.
        expr: String,
    },
}

/// A notice and the data to read it with.
#[derive(Args)]
struct Input {
    /// The notice file.
    file: PathBuf,
    /// Data files or folders (replace the notice's own `data`); may be repeated.
    #[arg(long = "data", value_name = "PATH")]
    data: Vec<PathBuf>,
    /// Read only figures published on or before this date (YYYY-MM-DD), as a board knew them then.
    #[arg(long, value_name = "YYYY-MM-DD")]
    known_at: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Step {
    Month,
    Week,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    /// As human, with diagnostics in plain sentences.
    Plain,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TestFormat {
    Human,
    Json,
    Junit,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Plain,
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
    let plain = match &cli.command {
        Command::Check { format, .. } => *format == CheckFormat::Plain,
        Command::Eval { format, .. } | Command::Timeline { format, .. } => *format == Format::Plain,
        _ => false,
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    };
    let _ = STYLE.set(Style { color, plain });
    match cli.command {
        Command::Check { files, .. } => check_files(&files),
        Command::Fmt { files, check } => fmt_files(&files, check),
        Command::Test { paths, format } => run_tests(&paths, format),
        Command::Explain {
            input,
            measure,
            as_of,
        } => explain(&input, &measure, as_of.as_deref()),
        Command::New {
            authority,
            issued,
            out,
        } => new_notice(&authority, &issued, out.as_deref()),
        Command::Eval {
            input,
            as_of,
            format,
        } => eval_file(&input, as_of.as_deref(), format),
        Command::Timeline {
            input,
            from,
            to,
            step,
            format,
        } => timeline(&input, (&from, &to), step, format),
        Command::Date { expr } => date(&expr),
    }
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
        let style = STYLE.get().copied().unwrap_or(Style {
            color: false,
            plain: false,
        });
        let text = if style.plain {
            notice_rules::render_narrated(d.as_ref())
        } else {
            notice_rules::render(d.as_ref(), width(), style.color)
        };
        let _ = write!(err, "{text}");
    }
}

fn check_files(files: &[PathBuf]) -> u8 {
    let mut code = OK;
    for file in files {
        match notice_rules::load_notice(file) {
            Ok((notice, warnings)) => {
                emit(&warnings);
                let measures = notice.measures.len();
                let requirements: usize =
                    notice.measures.iter().map(|m| m.requirements.len()).sum();
                eprintln!(
                    "{}: ok ({}, {}{})",
                    file.display(),
                    count(measures, "measure"),
                    count(requirements, "requirement"),
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

/// `1 measure`, `2 measures`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn plural_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".into(),
        n => format!(", {n} warnings"),
    }
}

/// Parses a date given on the command line, or says how to write one.
fn cli_date(flag: &str, text: &str) -> Result<time::Date, u8> {
    time::parse_date(text).ok_or_else(|| {
        eprintln!("error: `{flag} {text}` is not a date\n  help: dates are YYYY-MM-DD and must exist, e.g. 2012-08-01");
        UNUSABLE
    })
}

/// The evaluation date given with `--as-of`, or today.
fn as_of_date(as_of: Option<&str>) -> Result<time::Date, u8> {
    match as_of {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => cli_date("--as-of", text),
    }
}

/// Loads a notice and its data set, reporting every diagnostic.
fn load(input: &Input) -> Result<(check::Notice, data::DataSet, eval::Options), u8> {
    let known_at = match &input.known_at {
        Some(text) => Some(cli_date("--known-at", text)?),
        None => None,
    };
    let (file, data_paths) = (input.file.as_path(), input.data.as_slice());
    let (notice, warnings) = notice_rules::load_notice(file).map_err(|errors| {
        emit(&errors);
        UNUSABLE
    })?;
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
        return Err(UNUSABLE);
    }
    let mut data = data::load(&notice, &paths).map_err(|errors| {
        let diags: Vec<Diag> = errors.into_iter().map(|e| Box::new(e) as Diag).collect();
        emit(&diags);
        UNUSABLE
    })?;
    let warnings: Vec<Diag> = std::mem::take(&mut data.warnings)
        .into_iter()
        .map(|w| Box::new(w) as Diag)
        .collect();
    emit(&warnings);
    Ok((notice, data, eval::Options { known_at }))
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), u8> {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            println!("{text}");
            Ok(())
        }
        Err(e) => {
            eprintln!("error: cannot write JSON: {e}");
            Err(UNUSABLE)
        }
    }
}

fn eval_file(input: &Input, as_of: Option<&str>, format: Format) -> u8 {
    let as_of = match as_of_date(as_of) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let (notice, data, options) = match load(input) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let outcome = eval::evaluate_with(&notice, &data, as_of, options);
    match format {
        Format::Json => {
            if let Err(code) = print_json(&report::to_json(&notice, &data, &outcome)) {
                return code;
            }
        }
        Format::Human | Format::Plain => {
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "{}", report::table(&notice, &outcome));
            let diags: Vec<Diag> = report::verdict_diagnostics(&notice, &data, &outcome)
                .into_iter()
                .map(|d| Box::new(d) as Diag)
                .collect();
            if !diags.is_empty() {
                let _ = writeln!(out);
            }
            let _ = out.flush();
            emit(&diags);
        }
    }
    if outcome.has_unmet_requirement() {
        NOT_MET
    } else {
        OK
    }
}

fn timeline(input: &Input, (from, to): (&str, &str), step: Step, format: Format) -> u8 {
    let (from, to) = match (cli_date("--from", from), cli_date("--to", to)) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    if to < from {
        eprintln!(
            "error: `--to {to}` is before `--from {from}`\n  help: give the earlier date to --from"
        );
        return UNUSABLE;
    }
    let (notice, data, options) = match load(input) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let period = match step {
        Step::Month => notice_rules::ast::Period::Month,
        Step::Week => notice_rules::ast::Period::Week,
    };
    let steps = eval::steps(from, to, period);
    let timeline = eval::timeline(&notice, &data, &steps, options);
    match format {
        Format::Json => {
            if let Err(code) = print_json(&report::timeline_json(&notice, &timeline)) {
                return code;
            }
        }
        Format::Human | Format::Plain => print!("{}", report::timeline_table(&notice, &timeline)),
    }
    match timeline.outcomes.last() {
        Some(last) if last.has_unmet_requirement() => NOT_MET,
        _ => OK,
    }
}

fn explain(input: &Input, measure: &str, as_of: Option<&str>) -> u8 {
    let as_of = match as_of_date(as_of) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let (notice, data, options) = match load(input) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let Some(index) = notice.measures.iter().position(|m| m.id == measure) else {
        let ids: Vec<&str> = notice.measures.iter().map(|m| m.id.as_str()).collect();
        let hint = check::did_you_mean(measure, ids.iter().copied()).map_or_else(
            || format!("the measures are {}", ids.join(", ")),
            |s| format!("did you mean `{s}`?"),
        );
        eprintln!(
            "error: no measure `{measure}` in `{}`\n  help: {hint}",
            input.file.display()
        );
        return UNUSABLE;
    };
    let outcome = eval::evaluate_with(&notice, &data, as_of, options);
    print!("{}", report::explain(&notice, &data, &outcome, index));
    match outcome.measures.get(index) {
        Some(m)
            if m.requirements.iter().any(|v| {
                v.kind == notice_rules::ast::Kind::Require && v.status == eval::Status::NotMet
            }) =>
        {
            NOT_MET
        }
        _ => OK,
    }
}

fn run_tests(paths: &[PathBuf], format: TestFormat) -> u8 {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("notices/tests")]
    } else {
        paths.to_vec()
    };
    let files = notice_rules::runner::find(&paths);
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "error: no test files in {}\n  help: test files are named NAME.test.toml; see docs/language.md",
            shown.join(", ")
        );
        return UNUSABLE;
    }
    let mut results = Vec::new();
    for file in &files {
        match notice_rules::runner::run_file(file) {
            Ok(r) => results.extend(r),
            Err(errors) => {
                emit(&errors);
                return UNUSABLE;
            }
        }
    }
    let text = match format {
        TestFormat::Human => notice_rules::runner::human(&results),
        TestFormat::Junit => notice_rules::runner::junit(&results),
        TestFormat::Json => match serde_json::to_string_pretty(&results) {
            Ok(t) => format!("{t}\n"),
            Err(e) => {
                eprintln!("error: cannot write JSON: {e}");
                return UNUSABLE;
            }
        },
    };
    print!("{text}");
    if results.iter().all(|r| r.passed) {
        OK
    } else {
        NOT_MET
    }
}

fn fmt_files(files: &[PathBuf], check: bool) -> u8 {
    let mut code = OK;
    for path in files {
        let source = match notice_rules::load::read_source(path) {
            Ok(s) => s,
            Err(reason) => {
                eprintln!("error: cannot read `{}`: {reason}", path.display());
                code = UNUSABLE;
                continue;
            }
        };
        // Only a file that parses is formatted: the layout follows its brackets.
        if let Err(errors) = syntax::parse_file(&source) {
            let diags: Vec<Diag> = errors.into_iter().map(|e| Box::new(e) as Diag).collect();
            emit(&diags);
            code = UNUSABLE;
            continue;
        }
        let formatted = notice_rules::fmt::format(&source.text);
        if formatted == *source.text {
            continue;
        }
        if check {
            println!("{}", path.display());
            if code == OK {
                code = NOT_MET;
            }
            continue;
        }
        if syntax::parse_file(&SourceFile::new(
            path.display().to_string(),
            formatted.as_str(),
        ))
        .is_err()
        {
            eprintln!(
                "error: formatting `{}` would break it; it is left as it was (this is a bug in notice)",
                path.display()
            );
            code = UNUSABLE;
            continue;
        }
        if let Err(e) = write_atomically(path, &formatted) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            code = UNUSABLE;
        } else {
            eprintln!("formatted {}", path.display());
        }
    }
    code
}

/// Writes beside the target, then renames: an interrupted run never leaves half a file.
fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map_or("notice".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    let result = std::fs::write(&temp, text).and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn new_notice(authority: &str, issued: &str, out: Option<&std::path::Path>) -> u8 {
    let issued = match cli_date("--issued", issued) {
        Ok(d) => d,
        Err(code) => return code,
    };
    if authority.trim().is_empty() {
        eprintln!("error: `--authority` is empty\n  help: give the council's name, e.g. --authority \"Wiltshire Council\"");
        return UNUSABLE;
    }
    let Some(path) = out else {
        print!(
            "{}",
            notice_rules::template::new_notice(authority, issued, false)
        );
        return OK;
    };
    if path.exists() {
        eprintln!(
            "error: `{}` exists\n  help: choose another file name; `notice new` does not overwrite a notice",
            path.display()
        );
        return UNUSABLE;
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let use_library = dir.join(notice_rules::template::LIBRARY).is_file();
    let text = notice_rules::template::new_notice(authority, issued, use_library);
    if let Err(e) = write_atomically(path, &text) {
        eprintln!("error: cannot write `{}`: {e}", path.display());
        return UNUSABLE;
    }
    eprintln!(
        "wrote {}{}; next: notice check {}",
        path.display(),
        if use_library {
            " (using the shared indicator library)"
        } else {
            ""
        },
        path.display()
    );
    OK
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
