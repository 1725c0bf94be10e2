//! `notice explain`: one measure, part by part, in plain English.

use notice_rules::{check, eval, report, Code};

use super::{as_of_date, load, refuse, Input};

/// Explains one measure.
pub fn explain(input: &Input, measure: &str, as_of: Option<&str>) -> u8 {
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
        return refuse(
            Code::UsageUnknownMeasure,
            format!("no measure `{measure}` in `{}`", input.file.display()),
            hint,
        );
    };
    let outcome = eval::evaluate_with(&notice, &data, as_of, options);
    print!("{}", report::explain(&notice, &data, &outcome, index));
    match outcome.measures.get(index) {
        Some(m) if m.has_unmet_requirement() => notice_rules::exit::NOT_MET,
        _ => notice_rules::exit::OK,
    }
}
