//! The Department's published statistics: Explore Education Statistics
//! tidy CSV. Its time columns become a date, its geography an area, and the
//! symbols it publishes in place of a figure become missing data with the
//! reason kept.

use serde::Serialize;

use crate::time::Date;

/// The columns of a tidy file that say when and where, never a figure.
pub(super) const STRUCTURE: [&str; 18] = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "lad_code",
    "lad_name",
    "pcon_code",
    "pcon_name",
    "opportunity_area_code",
    "opportunity_area_name",
    "source",
    // Not in the Department's files; a column a user adds to say when each
    // row was published, read as in every other table.
    "published",
];

/// A symbol published in place of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Withheld {
    /// `c`: suppressed to protect confidential data.
    Confidential,
    /// `x`: not available.
    NotAvailable,
    /// `z`: not applicable.
    NotApplicable,
    /// `low`: rounds to zero, but is not zero.
    Low,
    /// `u`: low reliability.
    LowReliability,
    /// `:`: not available (the older convention).
    Colon,
}

impl Withheld {
    /// The symbol a published cell holds, if it is one.
    pub fn of(text: &str) -> Option<Withheld> {
        Some(match text {
            "c" => Withheld::Confidential,
            "x" => Withheld::NotAvailable,
            "z" => Withheld::NotApplicable,
            "low" => Withheld::Low,
            "u" => Withheld::LowReliability,
            ":" => Withheld::Colon,
            _ => return None,
        })
    }

    /// The symbol as published.
    pub fn symbol(self) -> &'static str {
        match self {
            Withheld::Confidential => "c",
            Withheld::NotAvailable => "x",
            Withheld::NotApplicable => "z",
            Withheld::Low => "low",
            Withheld::LowReliability => "u",
            Withheld::Colon => ":",
        }
    }
}

/// The date a published figure is for: the last day of its period.
///
/// `time_period` is a year (`2012`) or a pair of years (`201112`), as
/// `time_identifier` says: a calendar year ends on 31 December; a financial
/// or reporting year on 31 March (the reporting year `2012` is the year to
/// 31 March 2012); a tax year on 5 April; an academic year on 31 August; a
/// month (`January`) on its last day; a calendar quarter (`Calendar year Q1`)
/// on its last day; a financial-year quarter (`Financial year Q1` of
/// `201213`) likewise, counted from April.
pub(super) fn period_end(period: &str, identifier: &str) -> Result<Date, String> {
    let digits = |t: &str| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit());
    let year: i32 = match period.len() {
        4 if digits(period) => period.parse().map_err(|_| bad_period(period))?,
        6 if period.bytes().all(|b| b.is_ascii_digit()) => {
            let (a, b) = period.split_at(4);
            let first: i32 = a.parse().map_err(|_| bad_period(period))?;
            let second: i32 = b.parse().map_err(|_| bad_period(period))?;
            if (first + 1) % 100 != second {
                return Err(format!(
                    "`{period}` is not a pair of consecutive years (`201112` is 2011-12)"
                ));
            }
            // The period's second year: 201112 ends in 2012.
            first + 1
        }
        _ => return Err(bad_period(period)),
    };
    let two_years = period.len() == 6;
    let id = identifier.trim().to_ascii_lowercase();
    let (y, m, d) = match id.as_str() {
        "calendar year" if !two_years => (year, 12, 31),
        "financial year" | "reporting year" => (year, 3, 31),
        "tax year" => (year, 4, 5),
        "academic year" => (year, 8, 31),
        _ => {
            if let Some(q) = id.strip_prefix("calendar year q").and_then(quarter) {
                if two_years {
                    return Err(format!(
                        "a calendar quarter's period is one year, not `{period}`"
                    ));
                }
                (year, q * 3, 0)
            } else if let Some(q) = id.strip_prefix("financial year q").and_then(quarter) {
                // Q1 is April to June of the first year; Q4 ends in March.
                let first = if two_years { year - 1 } else { year };
                match q {
                    4 => (first + 1, 3, 0),
                    q => (first, q * 3 + 3, 0),
                }
            } else if let Some(m) = month(&id) {
                if two_years {
                    return Err(format!("a month's period is one year, not `{period}`"));
                }
                (year, m, 0)
            } else {
                return Err(format!(
                    "`{identifier}` is not a time identifier this tool reads with `{period}`"
                ));
            }
        }
    };
    let date = if d == 0 {
        Date::from_ymd_opt(y, m, 1).map(crate::time::month_end)
    } else {
        Date::from_ymd_opt(y, m, d)
    };
    let date = date.ok_or_else(|| bad_period(period))?;
    // The same years as every other date (`0001` and `999900` are not figures).
    crate::time::supported(date).map_err(|e| format!("`{period}`: {e}"))
}

fn bad_period(period: &str) -> String {
    format!("`{period}` is not a time period (`2012`, or `201112` for 2011-12)")
}

fn quarter(text: &str) -> Option<u32> {
    match text {
        "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        "4" => Some(4),
        _ => None,
    }
}

fn month(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .position(|m| *m == name)
        .and_then(|i| u32::try_from(i + 1).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_outside_the_supported_years_is_refused() {
        for (period, identifier) in [
            ("0001", "Calendar year"),
            ("1899", "Calendar year"),
            ("999900", "Financial year"),
        ] {
            let e = period_end(period, identifier).unwrap_err();
            assert!(
                e.contains("outside the years 1900 to 2200"),
                "{period}: {e}"
            );
        }
        assert!(period_end("2200", "Calendar year").is_ok());
    }

    fn on(period: &str, identifier: &str) -> String {
        period_end(period, identifier).map_or_else(|e| e, |d| d.to_string())
    }

    #[test]
    fn periods_end_where_the_documentation_says() {
        assert_eq!(on("2012", "Calendar year"), "2012-12-31");
        assert_eq!(on("2012", "Reporting year"), "2012-03-31");
        assert_eq!(on("201112", "Financial year"), "2012-03-31");
        assert_eq!(on("201112", "Academic year"), "2012-08-31");
        assert_eq!(on("201112", "Tax year"), "2012-04-05");
        assert_eq!(on("2012", "February"), "2012-02-29");
        assert_eq!(on("2012", "Calendar year Q2"), "2012-06-30");
        assert_eq!(on("201213", "Financial year Q1"), "2012-06-30");
        assert_eq!(on("201213", "Financial year Q4"), "2013-03-31");
        assert!(on("201113", "Financial year").contains("consecutive"));
        assert!(on("12", "Calendar year").contains("not a time period"));
        assert!(on("2012", "Spring term").contains("not a time identifier"));
    }

    #[test]
    fn published_symbols_are_known_and_nothing_else_is() {
        for s in ["c", "x", "z", "low", "u", ":"] {
            assert_eq!(Withheld::of(s).map(Withheld::symbol), Some(s));
        }
        assert_eq!(Withheld::of("0"), None);
        assert_eq!(Withheld::of("C"), None);
    }
}
