//! A data value read in its metric's unit, exactly as written or refused.

use crate::check::Notice;
use crate::diagnostics::Code;
use crate::value::{read_decimal, NumberProblem, Unit, Value, MAX_DIGITS};

/// Parses a data value in a metric's unit.
pub(super) fn parse_value(
    text: &str,
    unit: &Unit,
    notice: &Notice,
) -> Result<Value, (Code, String, String)> {
    // A value is quoted in a message whole, unless it is long.
    let shown = super::row::short(text);
    let bad = |what: &str, example: &str| {
        (
            Code::DataBadValue,
            format!("`{shown}` is not {what}"),
            format!(
                "the metric's unit is {}: write a value such as `{example}`",
                unit.name()
            ),
        )
    };
    if text.is_empty() {
        return Err((
            Code::DataEmptyValue,
            "the value is empty".to_string(),
            "missing figures are left out of the data, not written as empty or zero".to_string(),
        ));
    }
    // A number read exactly as written: thousands commas only in groups of
    // three, never more digits than exact arithmetic holds.
    let exact = |t: &str| -> Result<Option<rust_decimal::Decimal>, (Code, String, String)> {
        match read_decimal(t) {
            Ok(n) => Ok(Some(n)),
            Err(NumberProblem::NotANumber) => Ok(None),
            Err(NumberProblem::Grouping) => Err((
                Code::DataBadGrouping,
                format!("`{shown}` has a comma that is not a thousands separator"),
                "thousands commas come in groups of three (`1,000`); a decimal is written with a point (`6.1`)".into(),
            )),
            Err(NumberProblem::TooManyDigits) => Err((
                Code::DataTooManyDigits,
                format!("`{shown}` has more digits than can be held exactly"),
                format!("a value has at most {MAX_DIGITS} significant digits; it is never rounded"),
            )),
        }
    };
    let number = |t: &str| exact(t);
    let value = match unit {
        Unit::Percent => {
            let n = number(text.strip_suffix('%').unwrap_or(text).trim())?
                .ok_or_else(|| bad("a percent", "15%"))?;
            if n < rust_decimal::Decimal::ZERO || n > rust_decimal::Decimal::ONE_HUNDRED {
                return Err((
                    Code::DataPercentOutOfRange,
                    format!("{shown} is outside 0–100%"),
                    "a percent is between 0 and 100; a change of a percent is in percentage points (pp)".into(),
                ));
            }
            Value::Num(n, Unit::Percent)
        }
        Unit::Pp => Value::Num(
            number(text.strip_suffix("pp").unwrap_or(text).trim())?
                .ok_or_else(|| bad("percentage points", "5pp"))?,
            Unit::Pp,
        ),
        Unit::Days => {
            let t = text
                .strip_suffix("days")
                .or_else(|| text.strip_suffix("day"))
                .unwrap_or(text)
                .trim();
            Value::Num(
                number(t)?.ok_or_else(|| bad("a number of days", "45"))?,
                Unit::Days,
            )
        }
        Unit::Money => {
            // `£500`, `-£500` and `£-500` are all read; the sign stays.
            let t = text.replacen('£', "", 1);
            let t = t.trim();
            Value::Num(
                number(t)?.ok_or_else(|| bad("an amount of money", "£500,000"))?,
                Unit::Money,
            )
        }
        Unit::Count => {
            let n = number(text)?.ok_or_else(|| bad("a count", "12"))?;
            if n.fract() != rust_decimal::Decimal::ZERO || n.is_sign_negative() {
                let (_, message, help) = bad("a count (a whole number, 0 or more)", "12");
                return Err((Code::DataNotACount, message, help));
            }
            Value::Num(n, Unit::Count)
        }
        Unit::Ratio | Unit::Number => Value::Num(
            number(text)?.ok_or_else(|| bad("a number", "1.5"))?,
            Unit::Ratio,
        ),
        Unit::Rating(scale) => {
            let sc = notice
                .scale_by_name(scale)
                .and_then(|id| notice.scale(id))
                .ok_or_else(|| bad("a rating", "good"))?;
            let level = sc.levels.iter().find(|l| l.eq_ignore_ascii_case(text));
            match level.and_then(|l| sc.level(l)) {
                Some(v) => v,
                None => {
                    let levels: Vec<String> = sc.levels.iter().map(|l| format!("`{l}`")).collect();
                    return Err((
                        Code::DataUnknownLevel,
                        format!("`{shown}` is not a level of `{scale}`"),
                        format!("the levels are {}", levels.join(", ")),
                    ));
                }
            }
        }
    };
    Ok(value)
}
