//! The `notice` command line: it parses arguments, calls the library and
//! prints. Each command is in its own file under `commands/`; the exit
//! codes are the library's (`notice_rules::exit`).

/// `print!` for people: no control character from the input reaches the
/// terminal (`report::shown`), and a reader that has gone (`notice ... |
/// head`) ends the output quietly instead of a panic.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::commands::write_out(format_args!($($arg)*), true)
    };
}

/// `println!`, as [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::commands::write_out(format_args!("{}\n", format_args!($($arg)*)), true)
    };
}

/// `println!` for programs (JSON, CSV, XML, SARIF): written as is, since
/// their own escaping is what a reader parses.
macro_rules! outln_raw {
    ($($arg:tt)*) => {
        $crate::commands::write_out(format_args!("{}\n", format_args!($($arg)*)), false)
    };
}

/// `print!` for programs, as [`outln_raw!`].
macro_rules! out_raw {
    ($($arg:tt)*) => {
        $crate::commands::write_out(format_args!($($arg)*), false)
    };
}

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

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

#[derive(Subcommand)]
enum Command {
    /// Parse and check notice files; report every error and warning.
    Check {
        /// Notice files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to write diagnostics: drawn (human), as plain sentences (plain), as GitHub
        /// workflow annotations (github) or one SARIF 2.1.0 log (sarif) on standard output.
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
        /// Format read-only files too (they are left as they are otherwise).
        #[arg(long)]
        force: bool,
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
        input: InputArgs,
        /// The evaluation date (YYYY-MM-DD); only data dated on or before it is seen. Default: today.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = EvalFormat::Human)]
        format: EvalFormat,
        /// Only what this owner owes (an `owner` of the notice, or its authority).
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        /// Read the rules for another area of the data (as `notice screen` does), not the
        /// notice's authority.
        #[arg(long, value_name = "NAME")]
        area: Option<String>,
    },
    /// Read a notice's rules for every area of a data set (a national file): the notice's authority
    /// stands for each area in turn, while the areas its rules name (England) stay fixed. Every
    /// area is read from the same data: the `--data` files only (the notice's own `data` when
    /// none is given).
    Screen {
        #[command(flatten)]
        input: InputArgs,
        /// `all`, or the areas to screen, separated by commas, as the data names them.
        #[arg(long, value_name = "all|NAME,...", default_value = "all")]
        areas: String,
        /// The evaluation date (YYYY-MM-DD). Default: today.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ScreenFormat::Human)]
        format: ScreenFormat,
        /// Row order: by area name, or worst first.
        #[arg(long, value_enum, default_value_t = ScreenSort::Area)]
        sort: ScreenSort,
        /// With `--areas all`, the areas of this geographic level in published statistics
        /// (areas of a file that gives no level are screened at any).
        #[arg(long, value_enum, default_value_t = ScreenLevel::LocalAuthority)]
        level: ScreenLevel,
    },
    /// Evaluate a notice at every month (or week) between two dates, and show when each measure changed.
    Timeline {
        #[command(flatten)]
        input: InputArgs,
        /// The first step (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        /// The last step: by the month, this date itself; by the week, the last step on or
        /// before it (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        /// The steps: `month` is the first date, the first of every month after it, and the
        /// last date (the steps of a board paper's strip); `week` is every 7 days from the first.
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
        input: InputArgs,
        /// The measure's number, as in the notice (e.g. `vi`).
        #[arg(long)]
        measure: String,
        /// The evaluation date (YYYY-MM-DD). Default: today.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// Write the board paper: measures, verdicts, evidence, charts and the status over time.
    Report {
        #[command(flatten)]
        input: InputArgs,
        /// The evaluation date (YYYY-MM-DD). Default: today.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// One self-contained HTML file, or Markdown for a board paper (charts left out).
        #[arg(long, value_enum, default_value_t = PaperFormat::Html)]
        format: PaperFormat,
        /// The file to write; default: standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The date of the last paper: a "Changed since" box opens the paper, and the summary
        /// shows each measure's status then (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        since: Option<String>,
        /// Only what this owner owes (an `owner` of the notice, or its authority).
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
    },
    /// Serve an editor: the Language Server Protocol over standard input and output
    /// (diagnostics, hover, definitions, completion, fixes, formatting, outline, dates, statuses).
    Lsp,
    /// Print the date a date expression stands for, e.g. "2012-01-31 + 1 month".
    Date {
        /// The expression.
        expr: String,
    },
}

/// A notice and the data to read it with.
#[derive(Args)]
struct InputArgs {
    /// The notice file.
    file: PathBuf,
    /// Data files or folders to read besides the notice's own `data` (relative to the current
    /// folder); may be repeated.
    #[arg(long = "data", value_name = "PATH")]
    data: Vec<PathBuf>,
    /// Read only the `--data` files, not the notice's own `data`.
    #[arg(long, requires = "data")]
    only_data: bool,
    /// Read only figures and records published on or before this date, as a board knew them
    /// then (default: the evaluation date); `latest` reads every version, however late.
    #[arg(long, value_name = "YYYY-MM-DD|latest")]
    known_at: Option<String>,
}

/// The board paper's formats.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum PaperFormat {
    /// One self-contained HTML file.
    Html,
    /// Markdown.
    Md,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Step {
    /// The first date, each first of a month, and the last date.
    Month,
    /// Every 7 days from the first date.
    Week,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
    /// As human, with diagnostics in plain sentences.
    Plain,
}

/// A screen's formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScreenFormat {
    /// A table of areas by measures.
    Human,
    Json,
    /// One row an area, one column a measure.
    Csv,
}

/// The areas a screen reads, by their geographic level.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScreenLevel {
    /// Councils (`geographic_level` "Local authority").
    LocalAuthority,
    /// Regions of England.
    Regional,
    /// England.
    National,
    /// Every level.
    Any,
}

/// A screen's row order.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScreenSort {
    /// By area name.
    Area,
    /// Worst first: areas with measures not met, most first.
    Worst,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TestFormat {
    Human,
    Json,
    Junit,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Plain,
    /// GitHub Actions workflow annotations (`::error file=...`), on standard output.
    Github,
    /// One SARIF 2.1.0 log on standard output, for code-scanning tools.
    Sarif,
}

/// The formats of `notice eval`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum EvalFormat {
    Human,
    Json,
    /// As human, with diagnostics in plain sentences.
    Plain,
    /// JUnit XML, one test case per requirement, for CI systems.
    Junit,
}

fn main() -> ExitCode {
    // Parsing is bounded in depth, but the work runs on a thread with a
    // generous stack so that no input can come near the end of it.
    let worker = std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(|| match parsed() {
            Ok(cli) => run(cli),
            Err(code) => code,
        });
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => ExitCode::from(101),
    }
}

impl From<InputArgs> for commands::Input {
    fn from(a: InputArgs) -> Self {
        commands::Input {
            file: a.file,
            data: a.data,
            only_data: a.only_data,
            known_at: a.known_at,
        }
    }
}

/// The command line, read; a mistake in it is reported as any other, under
/// its code, with clap's words and its usage as the help.
fn parsed() -> Result<Cli, u8> {
    use clap::error::ErrorKind;
    Cli::try_parse().map_err(|e| match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            notice_rules::exit::OK
        }
        // `notice` alone: the help, which lists the commands.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            notice_rules::exit::UNUSABLE
        }
        _ => {
            let text = e.render().to_string();
            let (first, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
            let message = first.trim_start_matches("error: ").to_string();
            let help = Some(rest.trim().to_string()).filter(|h| !h.is_empty());
            commands::emit(&[notice_rules::Diagnostic::unlocated(
                notice_rules::Code::UsageBadArguments,
                message,
                help,
            )]);
            notice_rules::exit::UNUSABLE
        }
    })
}

fn run(cli: Cli) -> u8 {
    let plain = match &cli.command {
        Command::Check { format, .. } => *format == CheckFormat::Plain,
        Command::Eval { format, .. } => *format == EvalFormat::Plain,
        Command::Timeline { format, .. } => *format == Format::Plain,
        _ => false,
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => commands::auto_color(),
    };
    commands::set_style(color, plain);
    match cli.command {
        Command::Check { files, format } => {
            let output = match format {
                CheckFormat::Human | CheckFormat::Plain => commands::check_cmd::Output::Human,
                CheckFormat::Github => commands::check_cmd::Output::Github,
                CheckFormat::Sarif => commands::check_cmd::Output::Sarif,
            };
            commands::check_cmd::check_files(&files, output)
        }
        Command::Fmt {
            files,
            check,
            force,
        } => commands::fmt::fmt_files(&files, check, force),
        Command::Test { paths, format } => commands::test::run_tests(&paths, format),
        Command::Explain {
            input,
            measure,
            as_of,
        } => commands::explain::explain(&input.into(), &measure, as_of.as_deref()),
        Command::New {
            authority,
            issued,
            out,
        } => commands::new::new_notice(&authority, &issued, out.as_deref()),
        Command::Eval {
            input,
            as_of,
            format,
            owner,
            area,
        } => commands::eval_cmd::eval_file(
            &input.into(),
            as_of.as_deref(),
            format,
            owner.as_deref(),
            area.as_deref(),
        ),
        Command::Screen {
            input,
            areas,
            as_of,
            format,
            sort,
            level,
        } => commands::screen::screen_file(
            &input.into(),
            &areas,
            as_of.as_deref(),
            (format, sort, level),
        ),
        Command::Report {
            input,
            as_of,
            format,
            out,
            since,
            owner,
        } => commands::report::report_file(
            &input.into(),
            &commands::report::PaperRequest {
                as_of: as_of.as_deref(),
                since: since.as_deref(),
                owner: owner.as_deref(),
            },
            format,
            out.as_deref(),
        ),
        Command::Timeline {
            input,
            from,
            to,
            step,
            format,
        } => commands::timeline::timeline(&input.into(), (&from, &to), step, format),
        Command::Date { expr } => commands::date::date(&expr),
        Command::Lsp => match notice_rules::lsp::serve_stdio() {
            Ok(()) => notice_rules::exit::OK,
            Err(e) => {
                eprintln!("error: notice lsp: {e}");
                notice_rules::exit::UNUSABLE
            }
        },
    }
}
