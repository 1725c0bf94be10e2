//! All date arithmetic: durations, month clamping and working days.
//!
//! Months clamp to the end of the month: 31 January 2012 + 1 month is
//! 29 February 2012, and 29 February 2012 + 1 year is 28 February 2013.
//! This is chrono's `checked_add_months`, and it is what a person means by
//! "one month after 31 January". (Some engines roll over into March instead;
//! that makes a deadline later than the notice says.) Years are twelve months.

mod calendar;

pub(crate) use calendar::{
    is_confirmed, is_working_day, CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, RULE_LAST_YEAR,
};

use chrono::{Datelike, Days, Months, NaiveDate};
use thiserror::Error;

use crate::ast::{AddOp, Duration, DurationUnit, Period};

/// A calendar date.
pub type Date = NaiveDate;

/// Why a date could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeError {
    /// The result is outside the years the language supports.
    #[error("the date is outside the years {FIRST_YEAR} to {LAST_YEAR} the language supports")]
    OutOfRange,
    /// A working-day count needs bank holidays for a year the calendar does not know.
    #[error(
        "working days in {year} are not known: the bank-holiday calendar covers {CALENDAR_FIRST_YEAR} to {CALENDAR_LAST_YEAR} as published, and by the rule to {RULE_LAST_YEAR}"
    )]
    UnknownYear {
        /// The year outside the calendar.
        year: i32,
    },
}

/// The first year of the dates the language supports. Every date is in
/// 1900 to 2200: written, computed or read from data; outside, a date is a
/// located error. The range holds every notice and its history with room to
/// spare, and keeps all arithmetic on dates far from the calendar's limits.
pub const FIRST_YEAR: i32 = 1900;
/// The last year of the dates the language supports.
pub const LAST_YEAR: i32 = 2200;

/// The most days a count of working days may run: the supported range.
const MAX_DAYS: u32 = 110_000;

/// A date, if it is in the supported years.
pub fn supported(date: Date) -> Result<Date, TimeError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(TimeError::OutOfRange)
    }
}

/// The most periods a duty or a sustained condition may span: 38 years of
/// weeks, 166 of months. Each is judged at every evaluation (and at every
/// step of a timeline), so the count bounds the work.
pub(crate) const MAX_PERIODS: u32 = 2_000;

/// Whether `n` periods are a count a notice could mean: at most
/// [`MAX_PERIODS`], and within the supported years (`for 4294967295
/// consecutive weeks` is neither).
pub(crate) fn periods_fit(period: Period, n: u32) -> bool {
    if n > MAX_PERIODS {
        return false;
    }
    let years = u64::try_from(LAST_YEAR - FIRST_YEAR + 1).unwrap_or(0);
    match period_length(period) {
        (0, weeks) => u64::from(n) * u64::from(weeks) * 7 <= years * 366,
        (months, _) => u64::from(n) * u64::from(months) <= years * 12,
    }
}

/// Parses an ISO date (`YYYY-MM-DD`), refusing dates that do not exist and
/// dates outside the supported years ([`FIRST_YEAR`] to [`LAST_YEAR`]).
pub fn parse_date(text: &str) -> Option<Date> {
    parse_any_date(text).and_then(|d| supported(d).ok())
}

/// Parses an ISO date in any year chrono holds: for saying that a date is
/// outside the supported years rather than not a date.
pub(crate) fn parse_any_date(text: &str) -> Option<Date> {
    // Read by hand: the format is fixed, and a national file has millions
    // of dates (a format string is interpreted anew for each).
    let b = text.trim().as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| -> Option<u32> {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7])?, number(&b[8..10])?)
}

/// The first day of a month written `YYYY-MM` (`2017-05`), if it exists.
pub(crate) fn parse_month(text: &str) -> Option<Date> {
    let (year, month) = text.trim().split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
        .and_then(|d| supported(d).ok())
}

/// `date + duration` or `date - duration`.
pub(crate) fn shift(date: Date, op: AddOp, duration: Duration) -> Result<Date, TimeError> {
    let n = duration.amount;
    let result = match (duration.unit, op) {
        (DurationUnit::Days, AddOp::Add) => date.checked_add_days(Days::new(n.into())),
        (DurationUnit::Days, AddOp::Sub) => date.checked_sub_days(Days::new(n.into())),
        (DurationUnit::Weeks, AddOp::Add) => date.checked_add_days(Days::new(u64::from(n) * 7)),
        (DurationUnit::Weeks, AddOp::Sub) => date.checked_sub_days(Days::new(u64::from(n) * 7)),
        (DurationUnit::Months, AddOp::Add) => date.checked_add_months(Months::new(n)),
        (DurationUnit::Months, AddOp::Sub) => date.checked_sub_months(Months::new(n)),
        (DurationUnit::Years, op) => {
            let months = n.checked_mul(12).ok_or(TimeError::OutOfRange)?;
            match op {
                AddOp::Add => date.checked_add_months(Months::new(months)),
                AddOp::Sub => date.checked_sub_months(Months::new(months)),
            }
        }
        (DurationUnit::WorkingDays, op) => return add_working_days(date, op, n),
    };
    supported(result.ok_or(TimeError::OutOfRange)?)
}

/// Counts `n` working days forward (or back) from `date`, not counting
/// `date` itself: 2012-05-28 + 15 working days is 2012-06-20, because
/// 4 and 5 June 2012 were bank holidays.
pub(crate) fn add_working_days(date: Date, op: AddOp, n: u32) -> Result<Date, TimeError> {
    // More working days than the supported years hold is out of range,
    // found without counting them.
    if n > MAX_DAYS {
        return Err(TimeError::OutOfRange);
    }
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = match op {
            AddOp::Add => day.succ_opt(),
            AddOp::Sub => day.pred_opt(),
        }
        .ok_or(TimeError::OutOfRange)?;
        supported(day)?;
        if is_working_day(day)? {
            left -= 1;
        }
    }
    Ok(day)
}

/// The date a look-back of `duration` from `to` reaches: windows (`over 3
/// months`), trends, carry-forward limits and freshness all start after it.
/// Months and years follow the end-of-month rule: from a month's last day,
/// N months back is the last day of the month N months before, so a window
/// of 3 months ending 30 April starts on 1 February and holds three month-end
/// figures (plain subtraction would reach 30 January and hold four).
pub(crate) fn look_back(to: Date, duration: Duration) -> Result<Date, TimeError> {
    let back = shift(to, AddOp::Sub, duration)?;
    let by_months = matches!(duration.unit, DurationUnit::Months | DurationUnit::Years);
    if by_months && month_end(to) == to {
        Ok(month_end(back))
    } else {
        Ok(back)
    }
}

/// The last day of the month `date` falls in.
pub fn month_end(date: Date) -> Date {
    let first = date.with_day(1).unwrap_or(date);
    first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(date)
}

/// A calendar period: its first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The first day.
    pub start: Date,
    /// The last day.
    pub end: Date,
}

/// The Monday that runs of N weeks are counted from, so every notice
/// shares them.
fn weeks_epoch() -> Date {
    NaiveDate::from_ymd_opt(2000, 1, 3).unwrap_or_default()
}

/// The calendar period of a kind that contains `date`: the ISO week
/// (Monday to Sunday), the month, the quarter, N months counted from
/// January, or N weeks counted from Monday 3 January 2000. A period that is
/// not a calendar one (checked notices have none) is the day itself.
pub(crate) fn period_containing(period: Period, date: Date) -> Span {
    let months = |n: u32| {
        let month = (date.month0() / n) * n + 1;
        let start = NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date);
        let end = start
            .checked_add_months(Months::new(n))
            .and_then(|d| d.pred_opt())
            .unwrap_or(start);
        Span { start, end }
    };
    match period {
        Period::Week => {
            let start = date - Days::new(u64::from(date.weekday().num_days_from_monday()));
            Span {
                start,
                end: start + Days::new(6),
            }
        }
        Period::Month => months(1),
        Period::Quarter => months(3),
        Period::Months(n) if n > 0 && 12 % n == 0 => months(n),
        Period::Weeks(n) if n > 0 => {
            let length = i64::from(n) * 7;
            let offset = (date - weeks_epoch()).num_days().rem_euclid(length);
            let start = date - chrono::Duration::days(offset);
            let end = start + chrono::Duration::days(length - 1);
            Span { start, end }
        }
        Period::Months(_) | Period::Weeks(_) => Span {
            start: date,
            end: date,
        },
    }
}

/// How many months or weeks a period spans.
fn period_length(period: Period) -> (u32, u32) {
    match period {
        Period::Week => (0, 1),
        Period::Weeks(n) => (0, n),
        Period::Month => (1, 0),
        Period::Quarter => (3, 0),
        Period::Months(n) => (n, 0),
    }
}

/// The whole calendar periods that lie between `from` and `until`, both
/// days included. A period only partly inside is not one of them: a monthly
/// duty from 23 January starts with February.
pub(crate) fn whole_periods(period: Period, from: Date, until: Date) -> Vec<Span> {
    let mut out = Vec::new();
    let mut p = period_containing(period, from);
    if p.start < from {
        match p.end.succ_opt() {
            Some(next) => p = period_containing(period, next),
            None => return out,
        }
    }
    while p.end <= until {
        out.push(p);
        match p.end.succ_opt() {
            Some(next) => p = period_containing(period, next),
            None => break,
        }
    }
    out
}

/// The last day of the first run of `n` whole periods that starts on or
/// after `from`: the first day `for n consecutive ...` can be shown from
/// `from` on. Computed, not counted, so any `n` costs the same; `None` past
/// the calendar's end.
pub(crate) fn first_run_end(period: Period, n: u32, from: Date) -> Option<Date> {
    let containing = period_containing(period, from);
    let start = if containing.start < from {
        containing.end.succ_opt()?
    } else {
        containing.start
    };
    let n = n.max(1);
    let end = match period_length(period) {
        (0, weeks) => start.checked_add_days(Days::new(u64::from(n.checked_mul(weeks)?) * 7 - 1)),
        (months, _) => start
            .checked_add_months(Months::new(n.checked_mul(months)?))?
            .pred_opt(),
    }?;
    supported(end).ok()
}

/// The `n` whole periods that end on or before `date`, oldest first.
pub(crate) fn last_whole_periods(period: Period, n: u32, date: Date) -> Vec<Span> {
    let mut out = Vec::new();
    let current = period_containing(period, date);
    let mut p = if current.end <= date {
        current
    } else {
        match current.start.pred_opt() {
            Some(prev) => period_containing(period, prev),
            None => return out,
        }
    };
    for _ in 0..n {
        out.push(p);
        match p.start.pred_opt().filter(|d| supported(*d).is_ok()) {
            Some(prev) => p = period_containing(period, prev),
            None => break,
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_needs_both_dashes_in_place() {
        assert_eq!(parse_any_date("2012-01-31"), Some(d("2012-01-31")));
        for text in [
            "2012x01-31",
            "2012-01x31",
            "2012/01/31",
            "2012-1-31",
            "20120-1-31",
        ] {
            assert_eq!(parse_any_date(text), None, "{text}");
        }
    }

    #[test]
    fn a_first_run_starts_with_the_first_whole_period() {
        assert_eq!(
            first_run_end(Period::Month, 3, d("2012-10-17")),
            Some(d("2013-01-31"))
        );
        assert_eq!(
            first_run_end(Period::Month, 3, d("2012-11-01")),
            Some(d("2013-01-31"))
        );
        assert_eq!(
            first_run_end(Period::Quarter, 2, d("2012-01-23")),
            Some(d("2012-09-30"))
        );
        // 2012-01-23 is a Monday.
        assert_eq!(
            first_run_end(Period::Week, 2, d("2012-01-23")),
            Some(d("2012-02-05"))
        );
        assert_eq!(
            first_run_end(Period::Month, u32::MAX, d("2012-01-23")),
            None
        );
    }

    #[test]
    fn dates_are_read_as_chrono_reads_them() {
        let mut day = d("1999-12-01");
        while day <= d("2001-03-31") {
            assert_eq!(parse_date(&day.to_string()), Some(day));
            day = day.succ_opt().unwrap();
        }
        for bad in [
            "2012-02-30",
            "2011-02-29",
            "2012-13-01",
            "2012-00-10",
            "2012-1-01",
            "2012/01/01",
            "+012-01-01",
            "20120101",
            "2012-01-1a",
            "",
            "2012-01-01x",
            "१२३४-01-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_date(" 2012-01-23 "), Some(d("2012-01-23")));
    }

    #[test]
    fn look_back_follows_the_end_of_month_rule() {
        let months = |n| Duration {
            amount: n,
            unit: DurationUnit::Months,
        };
        let back = |to: &str, dur| look_back(d(to), dur).unwrap();
        // From a month's end: the end of the month N before.
        assert_eq!(back("2012-04-30", months(3)), d("2012-01-31"));
        assert_eq!(back("2012-02-29", months(1)), d("2012-01-31"));
        assert_eq!(back("2012-06-30", months(1)), d("2012-05-31"));
        assert_eq!(
            back(
                "2013-02-28",
                Duration {
                    amount: 1,
                    unit: DurationUnit::Years
                }
            ),
            d("2012-02-29")
        );
        // Elsewhere in a month, and for days and weeks: plain subtraction.
        assert_eq!(back("2012-04-15", months(3)), d("2012-01-15"));
        assert_eq!(
            back(
                "2012-04-30",
                Duration {
                    amount: 30,
                    unit: DurationUnit::Days
                }
            ),
            d("2012-03-31")
        );
    }

    #[test]
    fn whole_periods_skip_partial_ends() {
        let months = whole_periods(Period::Month, d("2012-01-23"), d("2012-07-23"));
        let firsts: Vec<Date> = months.iter().map(|p| p.start).collect();
        let ends: Vec<Date> = months.iter().map(|p| p.end).collect();
        assert_eq!(firsts.first(), Some(&d("2012-02-01")));
        assert_eq!(ends.last(), Some(&d("2012-06-30")));
        assert_eq!(months.len(), 5);
        let all = whole_periods(Period::Month, d("2012-02-01"), d("2012-02-29"));
        assert_eq!(all.len(), 1);
    }

    #[test]
    fn periods_cross_the_year_end() {
        let quarters = whole_periods(Period::Quarter, d("2011-10-01"), d("2012-06-30"));
        let spans: Vec<(Date, Date)> = quarters.iter().map(|p| (p.start, p.end)).collect();
        assert_eq!(
            spans,
            [
                (d("2011-10-01"), d("2011-12-31")),
                (d("2012-01-01"), d("2012-03-31")),
                (d("2012-04-01"), d("2012-06-30"))
            ]
        );
        let weeks = whole_periods(Period::Week, d("2011-12-26"), d("2012-01-08"));
        assert_eq!(weeks.len(), 2);
        assert_eq!(weeks[1].start, d("2012-01-02"));
        let last = last_whole_periods(Period::Month, 3, d("2012-01-15"));
        let firsts: Vec<Date> = last.iter().map(|p| p.start).collect();
        assert_eq!(firsts, [d("2011-10-01"), d("2011-11-01"), d("2011-12-01")]);
        let last = last_whole_periods(Period::Month, 1, d("2012-01-31"));
        assert_eq!(
            (last[0].start, last[0].end),
            (d("2012-01-01"), d("2012-01-31"))
        );
    }

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn add(s: &str, amount: u32, unit: DurationUnit) -> Date {
        shift(d(s), AddOp::Add, Duration { amount, unit }).unwrap()
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(add("2012-01-31", 1, DurationUnit::Months), d("2012-02-29"));
        assert_eq!(add("2011-01-31", 1, DurationUnit::Months), d("2011-02-28"));
        assert_eq!(add("2012-03-31", 1, DurationUnit::Months), d("2012-04-30"));
        assert_eq!(add("2012-08-31", 6, DurationUnit::Months), d("2013-02-28"));
        assert_eq!(add("2012-01-23", 6, DurationUnit::Months), d("2012-07-23"));
    }

    #[test]
    fn month_end_crosses_the_year_end() {
        assert_eq!(add("2011-12-31", 2, DurationUnit::Months), d("2012-02-29"));
        assert_eq!(
            shift(
                d("2012-03-31"),
                AddOp::Sub,
                Duration {
                    amount: 1,
                    unit: DurationUnit::Months
                }
            )
            .unwrap(),
            d("2012-02-29")
        );
    }

    #[test]
    fn leap_days() {
        assert_eq!(add("2012-02-29", 1, DurationUnit::Years), d("2013-02-28"));
        assert_eq!(add("2012-02-29", 4, DurationUnit::Years), d("2016-02-29"));
        assert_eq!(add("2012-02-28", 1, DurationUnit::Days), d("2012-02-29"));
        assert_eq!(add("2011-02-28", 1, DurationUnit::Days), d("2011-03-01"));
        assert!(parse_date("2012-02-29").is_some());
        assert!(parse_date("2011-02-29").is_none());
        assert!(parse_date("2012-02-30").is_none());
        assert!(parse_date("2000-02-29").is_some());
        assert!(parse_date("1900-02-29").is_none());
    }

    #[test]
    fn weeks_and_days() {
        assert_eq!(add("2012-01-23", 6, DurationUnit::Weeks), d("2012-03-05"));
        assert_eq!(add("2012-12-25", 10, DurationUnit::Days), d("2013-01-04"));
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        assert_eq!(
            add("2012-05-28", 15, DurationUnit::WorkingDays),
            d("2012-06-20")
        );
        // Adding no working days counts none, so skips none: a holiday stays.
        assert_eq!(
            add("2012-12-25", 0, DurationUnit::WorkingDays),
            d("2012-12-25")
        );
        // Friday + 1 working day is Monday.
        assert_eq!(
            add("2012-01-06", 1, DurationUnit::WorkingDays),
            d("2012-01-09")
        );
        // Over the 2011 royal wedding and early May bank holiday.
        assert_eq!(
            add("2011-04-28", 1, DurationUnit::WorkingDays),
            d("2011-05-03")
        );
        assert_eq!(
            shift(
                d("2012-06-06"),
                AddOp::Sub,
                Duration {
                    amount: 1,
                    unit: DurationUnit::WorkingDays
                }
            )
            .unwrap(),
            d("2012-06-01")
        );
    }

    #[test]
    fn working_days_outside_the_calendar_are_refused() {
        let one = Duration {
            amount: 1,
            unit: DurationUnit::WorkingDays,
        };
        let err = shift(d("2009-12-30"), AddOp::Add, one);
        assert_eq!(err, Err(TimeError::UnknownYear { year: 2009 }));
        // Past the last supported year there is no calendar to count in.
        let err = shift(d("2200-12-31"), AddOp::Add, one);
        assert_eq!(err, Err(TimeError::OutOfRange));
    }

    #[test]
    fn the_period_containing_a_date() {
        let span = |p, day| {
            let s = period_containing(p, d(day));
            (s.start, s.end)
        };
        // A Wednesday's week runs from the Monday before to the Sunday after.
        assert_eq!(
            span(Period::Week, "2012-03-07"),
            (d("2012-03-05"), d("2012-03-11"))
        );
        assert_eq!(
            span(Period::Week, "2012-03-11"),
            (d("2012-03-05"), d("2012-03-11"))
        );
        assert_eq!(
            span(Period::Quarter, "2012-05-15"),
            (d("2012-04-01"), d("2012-06-30"))
        );
        assert_eq!(
            span(Period::Months(6), "2012-08-01"),
            (d("2012-07-01"), d("2012-12-31"))
        );
        // Runs of two weeks are counted from Monday 3 January 2000.
        assert_eq!(
            span(Period::Weeks(2), "2000-01-16"),
            (d("2000-01-03"), d("2000-01-16"))
        );
        assert_eq!(
            span(Period::Weeks(2), "2000-01-17"),
            (d("2000-01-17"), d("2000-01-30"))
        );
        // Lengths the checker refuses (months that do not divide a year, an
        // empty period) are the day itself, never a panic.
        for p in [Period::Months(5), Period::Months(0), Period::Weeks(0)] {
            assert_eq!(span(p, "2012-03-07"), (d("2012-03-07"), d("2012-03-07")));
        }
    }

    #[test]
    fn a_date_or_month_of_another_shape_is_refused() {
        // Each part has its own length: nothing more, nothing less, no other separator.
        for text in [
            "2012-01-011",
            "2012-01-1",
            "2012-1-01",
            "2012-0",
            "12012-01-01",
            "2012/01/01",
        ] {
            assert_eq!(parse_any_date(text), None, "{text}");
        }
        assert_eq!(parse_any_date(" 2012-01-31 "), Some(d("2012-01-31")));
        for text in ["2017-5", "17-05", "2017-005", "2017"] {
            assert_eq!(parse_month(text), None, "{text}");
        }
        assert_eq!(parse_month("2017-05"), Some(d("2017-05-01")));
    }

    #[test]
    fn dates_are_in_the_supported_years() {
        assert_eq!(parse_date("1900-01-01"), Some(d("1900-01-01")));
        assert_eq!(parse_date("2200-12-31"), Some(d("2200-12-31")));
        assert_eq!(parse_date("1899-12-31"), None);
        assert_eq!(parse_date("2201-01-01"), None);
        assert!(parse_any_date("2201-01-01").is_some());
        let day = Duration {
            amount: 1,
            unit: DurationUnit::Days,
        };
        assert_eq!(
            shift(d("2200-12-31"), AddOp::Add, day),
            Err(TimeError::OutOfRange)
        );
        assert_eq!(
            shift(d("1900-01-01"), AddOp::Sub, day),
            Err(TimeError::OutOfRange)
        );
        let many = Duration {
            amount: u32::MAX,
            unit: DurationUnit::WorkingDays,
        };
        assert_eq!(
            shift(d("2012-01-02"), AddOp::Add, many),
            Err(TimeError::OutOfRange)
        );
        assert!(!periods_fit(Period::Week, u32::MAX));
        assert!(periods_fit(Period::Week, 2_000));
        assert!(!periods_fit(Period::Week, 2_001));
        // Years are bounded by the 301 supported years (1900 to 2200), all of them.
        assert!(periods_fit(Period::Months(12), 301));
        assert!(!periods_fit(Period::Months(12), 302));
        // Runs of 52 weeks are bounded by the days of those years: 302 fit, 303 do not.
        assert!(periods_fit(Period::Weeks(52), 302));
        assert!(!periods_fit(Period::Weeks(52), 303));
    }

    #[test]
    fn out_of_range_is_an_error_not_a_panic() {
        let far = shift(
            d("2012-01-01"),
            AddOp::Add,
            Duration {
                amount: u32::MAX,
                unit: DurationUnit::Years,
            },
        );
        assert_eq!(far, Err(TimeError::OutOfRange));
    }
}
