//! `notice eval`: a notice's measures and verdicts as of a date.

use std::io::Write;

use notice_rules::{eval, report};

use super::{emit, evaluated, evaluated_for, fail, print_json, Evaluated, Input};
use crate::EvalFormat;

/// Evaluates a notice as of a date and prints the table and diagnostics, or JSON.
pub fn eval_file(
    input: &Input,
    as_of: Option<&str>,
    format: EvalFormat,
    owner: Option<&str>,
    area: Option<&str>,
) -> u8 {
    let Evaluated {
        notice,
        data,
        outcome,
        ..
    } = match area.map_or_else(
        || evaluated(input, as_of),
        |a| evaluated_for(input, as_of, a),
    ) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let outcome = match owner {
        None => outcome,
        Some(name) => match eval::owned_by(&notice, &outcome, name) {
            Ok(owned) => owned,
            Err(d) => return fail(d),
        },
    };
    match format {
        EvalFormat::Junit => out_raw!("{}", report::ci::junit(&notice, &outcome)),
        EvalFormat::Json => {
            if let Err(code) = print_json(&report::to_json(&notice, &data, &outcome)) {
                return code;
            }
        }
        EvalFormat::Human | EvalFormat::Plain => {
            let mut out = std::io::stdout().lock();
            let _ = write!(
                out,
                "{}",
                report::shown(&report::table(&notice, &outcome), false)
            );
            let diags = report::verdict_diagnostics(&notice, &data, &outcome);
            if !diags.is_empty() {
                let _ = writeln!(out);
            }
            let _ = out.flush();
            emit(&diags);
        }
    }
    notice_rules::exit::of(&outcome)
}
