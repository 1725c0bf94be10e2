//! `notice explain`: one measure, part by part, in plain English.

use notice_rules::{eval, report};

use super::{as_of_date, fail, load, Input};

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
    let index = match eval::measure_index(&notice, measure) {
        Ok(index) => index,
        Err(d) => return fail(d),
    };
    let outcome = eval::evaluate_with(&notice, &data, as_of, options);
    out!("{}", report::explain(&notice, &data, &outcome, index));
    match outcome.measures.get(index) {
        Some(m) if m.has_unmet_requirement() => notice_rules::exit::NOT_MET,
        _ => notice_rules::exit::OK,
    }
}
