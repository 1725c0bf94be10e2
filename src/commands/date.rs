//! `notice date`: the date a date expression stands for.

use notice_rules::exit::{OK, UNUSABLE};

use super::emit;

/// Prints the date an expression stands for.
pub fn date(expr: &str) -> u8 {
    match notice_rules::date_expression(expr) {
        Ok((d, warnings)) => {
            emit(&warnings);
            outln!("{d}");
            OK
        }
        Err(errors) => {
            emit(&errors);
            UNUSABLE
        }
    }
}
