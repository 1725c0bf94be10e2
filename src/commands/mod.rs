//! The commands of the `notice` binary, one file each, and what they share: how diagnostics are written, dates read from the command line, and a notice loaded with its data.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use notice_rules::exit::UNUSABLE;
use notice_rules::{check, data, eval, time, Code, Diagnostic, Disk, Project};

pub mod check_cmd;
pub mod date;
pub mod eval_cmd;
pub mod explain;
pub mod fmt;
pub mod new;
pub mod report;
pub mod screen;
pub mod test;
pub mod timeline;

/// How diagnostics are written, set once from the command line.
#[derive(Clone, Copy)]
pub struct Style {
    /// Colour.
    pub color: bool,
    /// Plain sentences (screen readers, logs) instead of drawn boxes.
    pub plain: bool,
}

static STYLE: std::sync::OnceLock<Style> = std::sync::OnceLock::new();

/// Sets the style once, from the command line.
pub fn set_style(color: bool, plain: bool) {
    let _ = STYLE.set(Style { color, plain });
}

/// Whether colour is on, for `--color auto`: a terminal, and no NO_COLOR.
pub fn auto_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// A notice and the data to read it with.
#[derive(Clone)]
pub struct Input {
    /// The notice file.
    pub file: PathBuf,
    /// Data files or folders, read after the notice's own `data`.
    pub data: Vec<PathBuf>,
    /// Whether `data` replaces the notice's own `data` (`--only-data`).
    pub only_data: bool,
    /// `--known-at`, as written.
    pub known_at: Option<String>,
}

impl Input {
    /// The files the data set is read from.
    pub fn files(&self) -> notice_rules::DataFiles<'_> {
        match (self.data.is_empty(), self.only_data) {
            (true, _) => notice_rules::DataFiles::Notice,
            (false, true) => notice_rules::DataFiles::Only(&self.data),
            (false, false) => notice_rules::DataFiles::Adding(&self.data),
        }
    }
}

/// The width diagnostics are drawn at (`COLUMNS`, else 100).
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Writes diagnostics to standard error in the chosen style.
pub fn emit(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let style = STYLE.get().copied().unwrap_or(Style {
            color: false,
            plain: false,
        });
        let text = if style.plain {
            notice_rules::render_narrated(d)
        } else {
            notice_rules::render(d, width(), style.color)
        };
        let _ = write!(err, "{}", notice_rules::report::shown(&text, style.color));
    }
}

/// Reports a mistake that has no place in a file (a flag, a file that
/// cannot be written) under its code; the exit code is 2.
pub fn refuse(code: Code, message: String, help: impl Into<Option<String>>) -> u8 {
    fail(Diagnostic::unlocated(code, message, help.into()))
}

/// Reports a file that could not be written; the exit code is 2.
pub fn not_written(path: &std::path::Path, e: &std::io::Error) -> u8 {
    // The reason in the user's terms: an error from writing through a
    // temporary file names that file, which the user never asked for.
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "its folder does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    refuse(
        Code::FileNotWritten,
        format!("cannot write `{}`: {reason}", path.display()),
        "check that its folder exists and that you may write there".to_string(),
    )
}

/// Parses a date given on the command line, or says how to write one.
pub fn cli_date(flag: &str, text: &str) -> Result<time::Date, u8> {
    time::parse_date(text).ok_or_else(|| {
        refuse(
            Code::UsageBadDate,
            format!("`{flag} {text}` is not a date"),
            format!(
                "dates are YYYY-MM-DD, must exist, and lie in the years {} to {}, e.g. 2012-08-01",
                time::FIRST_YEAR,
                time::LAST_YEAR
            ),
        )
    })
}

/// The evaluation date given with `--as-of`, or today.
pub fn as_of_date(as_of: Option<&str>) -> Result<time::Date, u8> {
    match as_of {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => cli_date("--as-of", text),
    }
}

/// Loads a notice and its data set, reporting every diagnostic.
pub fn load(input: &Input) -> Result<(check::Notice, data::DataSet, eval::Options), u8> {
    load_of(input, data::Areas::Notice)
}

/// Loads a notice and the rows of `areas` of its data set, reporting every diagnostic.
pub fn load_of(
    input: &Input,
    areas: data::Areas,
) -> Result<(check::Notice, data::DataSet, eval::Options), u8> {
    let known = match &input.known_at {
        None => eval::Knowledge::AsOf,
        Some(text) => eval::Knowledge::parse(text).ok_or_else(|| {
            refuse(
                Code::UsageBadDate,
                format!("`--known-at {text}` is not a date or `latest`"),
                "dates are YYYY-MM-DD and must exist, e.g. 2012-08-10; `latest` reads every version".to_string(),
            )
        })?,
    };
    let project = Project::new(&Disk);
    let (notice, warnings) = project.load_notice(&input.file).map_err(|errors| {
        emit(&errors);
        UNUSABLE
    })?;
    emit(&warnings);
    let (data, warnings) = project
        .load_data_of(&notice, input.files(), Vec::new(), areas)
        .map_err(|errors| {
            emit(&errors);
            UNUSABLE
        })?;
    emit(&warnings);
    Ok((notice, data, eval::Options { known }))
}

/// A notice evaluated as of a date (`--as-of`, default today), with what it was read from.
pub struct Evaluated {
    /// The notice.
    pub notice: check::Notice,
    /// Its data set.
    pub data: data::DataSet,
    /// How the data was read.
    pub options: eval::Options,
    /// The verdicts.
    pub outcome: eval::Outcome,
}

/// Loads a notice and its data and evaluates it as of `as_of`, reporting
/// every diagnostic; the exit code when that cannot be done.
pub fn evaluated(input: &Input, as_of: Option<&str>) -> Result<Evaluated, u8> {
    let as_of = as_of_date(as_of)?;
    let (notice, data, options) = load(input)?;
    Ok(Evaluated::of(notice, data, options, as_of))
}

impl Evaluated {
    /// A loaded notice evaluated as of a date.
    fn of(
        notice: check::Notice,
        data: data::DataSet,
        options: eval::Options,
        as_of: time::Date,
    ) -> Self {
        let outcome = eval::evaluate_with(&notice, &data, as_of, options);
        Evaluated {
            notice,
            data,
            options,
            outcome,
        }
    }
}

/// Loads a notice and every area of its data and evaluates it for `area` as
/// of `as_of`: the notice's authority stands for that area, as in a screen.
pub fn evaluated_for(input: &Input, as_of: Option<&str>, area: &str) -> Result<Evaluated, u8> {
    let as_of = as_of_date(as_of)?;
    // The area's rows are read, and the other areas' names kept for a
    // near miss: never every area's rows.
    let (notice, mut data, options) = load_of(input, data::Areas::Also(area.to_string()))?;
    let notice = eval::for_area(notice, &mut data, area).map_err(fail)?;
    Ok(Evaluated::of(notice, data, options, as_of))
}

/// Reports a diagnostic that stops a command; the exit code is 2.
pub fn fail(d: Diagnostic) -> u8 {
    emit(&[d]);
    UNUSABLE
}

/// Writes to standard output, as `print!` does, but a reader that has
/// gone (a closed pipe) ends the output quietly instead of a panic. Output
/// for people shows any control character of the input as an escape.
pub fn write_out(args: std::fmt::Arguments<'_>, for_people: bool) {
    use std::io::Write;
    let text = args.to_string();
    let text = if for_people {
        notice_rules::report::shown(&text, false)
    } else {
        std::borrow::Cow::Borrowed(text.as_str())
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => eprintln!("error: the output could not be written: {e}"),
        Ok(()) => {}
    }
}

/// Prints a value as JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), u8> {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            outln_raw!("{text}");
            Ok(())
        }
        Err(e) => Err(refuse(
            Code::InternalOutput,
            format!("cannot write JSON: {e}"),
            "this is a bug in notice: please report it with this notice".to_string(),
        )),
    }
}
