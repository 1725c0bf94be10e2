//! `notice timeline`: statuses at every step between two dates.

use notice_rules::{eval, report, Code};

use super::{cli_date, load, print_json, refuse, Input};
use crate::{Format, Step};

/// Evaluates a notice at every step and prints the grid, or JSON.
pub fn timeline(input: &Input, (from, to): (&str, &str), step: Step, format: Format) -> u8 {
    let (from, to) = match (cli_date("--from", from), cli_date("--to", to)) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    if to < from {
        return refuse(
            Code::UsageReversedSpan,
            format!("`--to {to}` is before `--from {from}`"),
            "give the earlier date to --from".to_string(),
        );
    }
    let (notice, data, options) = match load(input) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // Monthly steps are a board paper's: each first of a month, and both ends.
    let steps = match step {
        Step::Month => eval::month_steps(from, to),
        Step::Week => eval::steps(from, to, notice_rules::check::Period::Week),
    };
    if steps.len() > eval::MAX_STEPS {
        return refuse(
            Code::UsageTooManySteps,
            format!(
                "{} steps from {from} to {to}: a timeline has at most {}",
                steps.len(),
                eval::MAX_STEPS
            ),
            "take a shorter span, or `--step month` for weeks".to_string(),
        );
    }
    let timeline = eval::timeline_of_statuses(&notice, &data, &steps, options);
    match format {
        Format::Json => {
            if let Err(code) = print_json(&report::timeline_json(&notice, &timeline)) {
                return code;
            }
        }
        Format::Human | Format::Plain => out!("{}", report::timeline_table(&notice, &timeline)),
    }
    timeline
        .outcomes
        .last()
        .map_or(notice_rules::exit::OK, notice_rules::exit::of)
}
