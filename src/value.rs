//! Units and exact values.
//!
//! Numbers are decimals (`rust_decimal`), never floats, so 15% against 69%
//! is compared exactly as written. A percent is held as its number of
//! percent (15% is 15).

use std::fmt;
use std::sync::Arc;

use rust_decimal::Decimal;

/// The unit of a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A percentage, 0 to 100.
    Percent,
    /// Percentage points: the difference of two percentages.
    Pp,
    /// A count of things.
    Count,
    /// A number of days.
    Days,
    /// Pounds sterling.
    Money,
    /// A ratio (cases per worker, say).
    Ratio,
    /// A bare number literal: it takes the unit of a count or ratio it meets.
    Number,
    /// An ordinal rating on the named scale.
    Rating(Arc<str>),
}

impl Unit {
    /// The unit's name as an author writes it.
    pub fn name(&self) -> String {
        match self {
            Unit::Percent => "percent".into(),
            Unit::Pp => "pp".into(),
            Unit::Count => "count".into(),
            Unit::Days => "days".into(),
            Unit::Money => "money".into(),
            Unit::Ratio => "ratio".into(),
            Unit::Number => "number".into(),
            Unit::Rating(scale) => format!("rating {scale}"),
        }
    }

    /// The unit of a plain unit keyword.
    pub fn from_keyword(word: &str) -> Option<Unit> {
        Some(match word {
            "percent" => Unit::Percent,
            "pp" => Unit::Pp,
            "count" => Unit::Count,
            "days" => Unit::Days,
            "money" => Unit::Money,
            "ratio" => Unit::Ratio,
            _ => return None,
        })
    }

    /// The unit two values share when compared, if they can be.
    pub fn comparable(&self, other: &Unit) -> Option<Unit> {
        match (self, other) {
            (a, b) if a == b => Some(a.clone()),
            (Unit::Number, u @ (Unit::Count | Unit::Ratio))
            | (u @ (Unit::Count | Unit::Ratio), Unit::Number) => Some(u.clone()),
            _ => None,
        }
    }

    /// The unit of `self + other` (`add`) or `self - other`, if it has one.
    pub fn combine(&self, other: &Unit, add: bool) -> Option<Unit> {
        use Unit::*;
        match (self, other, add) {
            (Rating(_), _, _) | (_, Rating(_), _) => None,
            (Percent, Pp, _) => Some(Percent),
            (Pp, Percent, true) => Some(Percent),
            (Percent, Percent, false) => Some(Pp),
            (Percent, Percent, true) => None,
            (a, b, _) => a.comparable(b),
        }
    }
}

/// An exact value with its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A number in a unit.
    Num(Decimal, Unit),
    /// A level of a rating scale: its rank (0 is the worst) and name.
    Rating {
        /// The scale.
        scale: Arc<str>,
        /// 0 for the scale's first (worst) level.
        rank: usize,
        /// The level's name.
        name: Arc<str>,
    },
}

impl Value {
    /// Compares two values of comparable units.
    pub fn compare(&self, other: &Value) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Value::Num(a, _), Value::Num(b, _)) => Some(a.cmp(b)),
            (
                Value::Rating {
                    scale: s1, rank: a, ..
                },
                Value::Rating {
                    scale: s2, rank: b, ..
                },
            ) if s1 == s2 => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// `self + other` or `self - other`, exactly; `None` on overflow or a unit mismatch.
    pub fn combine(&self, other: &Value, add: bool) -> Option<Value> {
        match (self, other) {
            (Value::Num(a, ua), Value::Num(b, ub)) => {
                let unit = ua.combine(ub, add)?;
                let n = if add {
                    a.checked_add(*b)
                } else {
                    a.checked_sub(*b)
                }?;
                Some(Value::Num(n, unit))
            }
            _ => None,
        }
    }
}

/// Parses a decimal as an author writes it: digits, thousands commas, a point.
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    read_decimal(text).ok()
}

/// Why a number cannot be read exactly as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberProblem {
    /// Not digits, an optional sign, thousands commas and a point.
    NotANumber,
    /// Thousands commas not in groups of three (`6,1`, `1,2,3`).
    Grouping,
    /// More significant digits than exact decimal arithmetic holds.
    TooManyDigits,
}

/// The most significant digits a number may have: exact decimal arithmetic
/// holds 28 (rust_decimal's 96-bit mantissa), and a number is read exactly
/// or refused, never rounded.
pub(crate) const MAX_DIGITS: usize = 28;

/// Reads a decimal exactly as written: an optional `-`, digits, optional
/// thousands commas in groups of three (`1,000`, `12,345.5`; never `6,1`),
/// and an optional point with digits after it.
pub(crate) fn read_decimal(text: &str) -> Result<Decimal, NumberProblem> {
    let text = text.trim();
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if frac.is_some_and(|f| !all_digits(f)) {
        return Err(NumberProblem::NotANumber);
    }
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    if !all_digits(first) {
        return Err(if first.is_empty() && int.contains(',') {
            NumberProblem::Grouping
        } else {
            NumberProblem::NotANumber
        });
    }
    let rest: Vec<&str> = groups.collect();
    if !rest.is_empty() {
        if rest.iter().any(|g| !g.bytes().all(|b| b.is_ascii_digit())) {
            return Err(NumberProblem::NotANumber);
        }
        if first.len() > 3 || rest.iter().any(|g| g.len() != 3) {
            return Err(NumberProblem::Grouping);
        }
    }
    let int_digits = int.bytes().filter(u8::is_ascii_digit).count();
    let leading_zeros = int
        .bytes()
        .take_while(|&b| b == b'0' || b == b',')
        .filter(|&b| b == b'0')
        .count();
    let significant = int_digits - leading_zeros.min(int_digits) + frac.map_or(0, str::len);
    if significant > MAX_DIGITS || frac.is_some_and(|f| f.len() > MAX_DIGITS) {
        return Err(NumberProblem::TooManyDigits);
    }
    // Written without thousands commas, the number is read as it stands.
    let n = if rest.is_empty() {
        Decimal::from_str_exact(unsigned)
    } else {
        let digits: String = int.chars().filter(|&c| c != ',').collect();
        let plain = match frac {
            Some(f) => format!("{digits}.{f}"),
            None => digits,
        };
        Decimal::from_str_exact(&plain)
    }
    .map_err(|_| NumberProblem::TooManyDigits)?;
    Ok(if text.starts_with('-') { -n } else { n })
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Rating { name, .. } => write!(f, "{name}"),
            Value::Num(n, unit) => {
                let n = n.normalize();
                match unit {
                    Unit::Percent => write!(f, "{n}%"),
                    Unit::Pp => write!(f, "{n}pp"),
                    Unit::Days if n == Decimal::ONE => write!(f, "1 day"),
                    Unit::Days => write!(f, "{n} days"),
                    Unit::Money => {
                        let sign = if n.is_sign_negative() { "-" } else { "" };
                        write!(f, "{sign}£{}", group_thousands(&n.abs().to_string()))
                    }
                    _ => write!(f, "{n}"),
                }
            }
        }
    }
}

/// A count as people write it, with thousands separators: `9,966,000`.
pub(crate) fn count(n: usize) -> String {
    group_thousands(&n.to_string())
}

/// Digits with a comma every three from the right: `500000.5` becomes `500,000.5`.
pub(crate) fn group_thousands(digits: &str) -> String {
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_commas() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(9_966_000), "9,966,000");
    }

    fn num(s: &str, u: Unit) -> Value {
        Value::Num(parse_decimal(s).unwrap(), u)
    }

    #[test]
    fn arithmetic_is_exact() {
        let a = num("0.1", Unit::Ratio);
        let b = num("0.2", Unit::Ratio);
        assert_eq!(a.combine(&b, true), Some(num("0.3", Unit::Ratio)));
        let gap = num("69", Unit::Percent).combine(&num("15", Unit::Percent), false);
        assert_eq!(gap, Some(num("54", Unit::Pp)));
    }

    #[test]
    fn units_combine_by_their_rules() {
        assert_eq!(Unit::Percent.combine(&Unit::Pp, true), Some(Unit::Percent));
        assert_eq!(Unit::Percent.combine(&Unit::Percent, true), None);
        assert_eq!(Unit::Percent.combine(&Unit::Days, true), None);
        assert_eq!(Unit::Count.combine(&Unit::Number, false), Some(Unit::Count));
        assert_eq!(Unit::Percent.comparable(&Unit::Number), None);
    }

    #[test]
    fn display() {
        assert_eq!(num("500000", Unit::Money).to_string(), "£500,000");
        assert_eq!(num("15.50", Unit::Percent).to_string(), "15.5%");
        assert_eq!(num("45", Unit::Days).to_string(), "45 days");
        assert_eq!(num("1,234,567.25", Unit::Ratio).to_string(), "1234567.25");
    }

    #[test]
    fn numbers_are_read_exactly_as_written_or_refused() {
        let read = |s: &str| read_decimal(s).map(|d| d.to_string());
        assert_eq!(read("1,000"), Ok("1000".into()));
        assert_eq!(read("12,345.50"), Ok("12345.50".into()));
        assert_eq!(read("-1,234"), Ok("-1234".into()));
        assert_eq!(read("0.61"), Ok("0.61".into()));
        assert_eq!(read("6,1"), Err(NumberProblem::Grouping));
        assert_eq!(read("1,5"), Err(NumberProblem::Grouping));
        assert_eq!(read("1,2,3,4,5"), Err(NumberProblem::Grouping));
        assert_eq!(read("1234,567"), Err(NumberProblem::Grouping));
        assert_eq!(read(",123"), Err(NumberProblem::Grouping));
        assert_eq!(read("1.2.3"), Err(NumberProblem::NotANumber));
        assert_eq!(read("1,000.5,0"), Err(NumberProblem::NotANumber));
        assert_eq!(read("12a"), Err(NumberProblem::NotANumber));
        assert_eq!(read(""), Err(NumberProblem::NotANumber));
        assert_eq!(read("-"), Err(NumberProblem::NotANumber));
        assert_eq!(read("1."), Err(NumberProblem::NotANumber));
        // 28 significant digits are held; 29 are refused, not rounded.
        assert!(read("0.1234567890123456789012345678").is_ok());
        assert_eq!(
            read("0.12345678901234567890123456789"),
            Err(NumberProblem::TooManyDigits)
        );
        assert_eq!(
            read("99999999999999999999999999999"),
            Err(NumberProblem::TooManyDigits)
        );
        assert_eq!(read("000000000000000000000000000001"), Ok("1".into()));
    }
}
