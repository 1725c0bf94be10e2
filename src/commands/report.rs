//! `notice report`: the board paper, one self-contained HTML file or Markdown.

use std::path::Path;

use notice_rules::{report, Code};

use super::{evaluated, not_written, refuse, Evaluated, Input};
use crate::PaperFormat;

/// Writes the board paper of a notice as of a date, to `out` or stdout.
pub fn report_file(
    input: &Input,
    as_of: Option<&str>,
    format: PaperFormat,
    out: Option<&Path>,
) -> u8 {
    let Evaluated {
        notice,
        data,
        options,
        outcome,
    } = match evaluated(input, as_of) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let paper = report::paper::paper(&notice, &data, &outcome, options);
    let rendered = match format {
        PaperFormat::Html => report::paper::html(&paper),
        PaperFormat::Md => report::paper::markdown(&paper),
    };
    let text = match rendered {
        Ok(t) => t,
        Err(e) => {
            return refuse(
                Code::InternalOutput,
                format!("the report could not be laid out: {e}"),
                "this is a bug in notice: please report it with this notice".to_string(),
            );
        }
    };
    match out {
        None => print!("{text}"),
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                return not_written(path, &e);
            }
        }
    }
    // The paper is the product: written is success, whatever its verdicts say.
    notice_rules::exit::OK
}
