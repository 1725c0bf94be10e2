//! `notice timeline`: statuses at every step between two dates.

use notice_rules::exit::UNUSABLE;
use notice_rules::{eval, report};

use super::{cli_date, load, print_json, Input};
use crate::{Format, Step};

/// Evaluates a notice at every step and prints the grid, or JSON.
pub fn timeline(input: &Input, (from, to): (&str, &str), step: Step, format: Format) -> u8 {
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
    if steps.len() > eval::MAX_STEPS {
        eprintln!(
            "error: {} steps from {from} to {to}: a timeline has at most {}\n  help: take a shorter span, or `--step month` for weeks",
            steps.len(),
            eval::MAX_STEPS
        );
        return UNUSABLE;
    }
    let timeline = eval::timeline(&notice, &data, &steps, options);
    match format {
        Format::Json => {
            if let Err(code) = print_json(&report::timeline_json(&notice, &timeline)) {
                return code;
            }
        }
        Format::Human | Format::Plain => print!("{}", report::timeline_table(&notice, &timeline)),
    }
    timeline
        .outcomes
        .last()
        .map_or(notice_rules::exit::OK, notice_rules::exit::of)
}
