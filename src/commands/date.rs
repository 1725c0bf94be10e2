//! `notice date`: the date a date expression stands for.

use notice_rules::exit::{OK, UNUSABLE};
use notice_rules::{check, syntax, SourceFile};

use super::emit;

/// Prints the date an expression stands for.
pub fn date(expr: &str) -> u8 {
    let src = SourceFile::new("<expression>", expr);
    let parsed = match syntax::parse_date_expr(&src) {
        Ok(p) => p,
        Err(e) => {
            emit(&[notice_rules::diagnostics::boxed(e)]);
            return UNUSABLE;
        }
    };
    match check::eval_date(&src, &parsed) {
        Ok((d, warnings)) => {
            emit(&notice_rules::diagnostics::boxed_all(warnings));
            println!("{d}");
            OK
        }
        Err(e) => {
            emit(&[notice_rules::diagnostics::boxed(e)]);
            UNUSABLE
        }
    }
}
