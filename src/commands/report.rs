//! `notice report`: the board paper, one self-contained HTML file or Markdown.

use std::path::Path;

use notice_rules::{eval, report, Code};

use super::{cli_date, evaluated, fail, not_written, refuse, Evaluated, Input};
use crate::PaperFormat;

/// What a paper covers: its date, the last paper's, and whose part.
pub struct PaperRequest<'a> {
    /// The evaluation date (default: today).
    pub as_of: Option<&'a str>,
    /// The last paper's date: what changed since is shown first.
    pub since: Option<&'a str>,
    /// Only this owner's part.
    pub owner: Option<&'a str>,
}

/// Writes the board paper of a notice as of a date, to `out` or stdout.
pub fn report_file(
    input: &Input,
    request: &PaperRequest<'_>,
    format: PaperFormat,
    out: Option<&Path>,
) -> u8 {
    let since = match request.since.map(|s| cli_date("--since", s)).transpose() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Evaluated {
        notice,
        data,
        options,
        outcome,
    } = match evaluated(input, request.as_of) {
        Ok(e) => e,
        Err(code) => return code,
    };
    if let Some(since) = since {
        if since > outcome.as_of {
            return refuse(
                Code::UsageReversedSpan,
                format!(
                    "`--since {since}` is after the paper's date ({})",
                    outcome.as_of
                ),
                "give the date of the last paper, before `--as-of`".to_string(),
            );
        }
    }
    let outcome = match request.owner {
        None => outcome,
        Some(owner) => match eval::owned_by(&notice, &outcome, owner) {
            Ok(o) => o,
            Err(d) => return fail(d),
        },
    };
    let paper_options = report::paper::PaperOptions {
        eval: options,
        since,
        owner: request.owner.map(str::to_string),
    };
    let paper = report::paper::paper(&notice, &data, &outcome, &paper_options);
    let rendered = match format {
        PaperFormat::Html => report::paper::html(&paper),
        PaperFormat::Md => report::paper::markdown(&paper),
    };
    // A paper is read by people: no control character of the input in it.
    let text = match rendered {
        Ok(t) => report::shown(&t, false).into_owned(),
        Err(e) => {
            return refuse(
                Code::InternalOutput,
                format!("the report could not be laid out: {e}"),
                "this is a bug in notice: please report it with this notice".to_string(),
            );
        }
    };
    match out {
        None => out!("{text}"),
        Some(path) if is_input(path, &notice, input) => {
            return refuse(
                Code::FileOverwritesInput,
                format!(
                    "`--out {}` is one of the files this report reads",
                    path.display()
                ),
                "write the paper to a new file, e.g. `--out paper.html`".to_string(),
            );
        }
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                return not_written(path, &e);
            }
        }
    }
    // The paper is the product: written is success, whatever its verdicts say.
    notice_rules::exit::OK
}

/// Whether a path is one of the files a report reads: the notice, a library
/// it declares names from, a data file (or one in a data folder).
fn is_input(out: &Path, notice: &notice_rules::check::Notice, input: &Input) -> bool {
    let Ok(target) = std::fs::canonicalize(out) else {
        // A file that does not exist yet is no input.
        return false;
    };
    let mut inputs: Vec<std::path::PathBuf> = vec![input.file.clone()];
    inputs.extend(notice.metrics.iter().map(|m| (*m.declared.file).into()));
    inputs.extend(notice.evidence.iter().map(|e| (*e.declared.file).into()));
    inputs.extend(notice.scales.iter().map(|s| (*s.declared.file).into()));
    for folder in notice.data.iter().chain(&input.data) {
        inputs.push(folder.clone());
        if let Ok(entries) = std::fs::read_dir(folder) {
            inputs.extend(entries.flatten().map(|e| e.path()));
        }
    }
    inputs
        .iter()
        .any(|i| std::fs::canonicalize(i).is_ok_and(|c| c == target))
}
