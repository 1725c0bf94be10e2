//! The England and Wales bank-holiday calendar.
//!
//! The regular days follow the rule (New Year, Good Friday, Easter Monday,
//! first and last Mondays of May, last Monday of August, Christmas and
//! Boxing Day with substitutes); the days moved or added by proclamation are
//! data below. The published calendar runs from 2010 to 2027 (the project's
//! reference, from GOV.UK's published data); later years, up to
//! [`RULE_LAST_YEAR`], follow the rule and are *not yet confirmed* (a
//! proclamation can still move or add a day), which every answer that uses
//! them says. Years before 2010 are refused rather than guessed.

use chrono::{Datelike, NaiveDate, Weekday};

use super::{Date, TimeError};

/// The first year the calendar knows.
pub(crate) const CALENDAR_FIRST_YEAR: i32 = 2010;
/// The last year whose bank holidays are published (and tested date by date).
pub(crate) const CALENDAR_LAST_YEAR: i32 = 2027;
/// The last year computed by the rule, not yet confirmed by publication.
pub(crate) const RULE_LAST_YEAR: i32 = 2200;

/// Whether a year's bank holidays are published, rather than computed by the rule.
pub(crate) fn is_confirmed(year: i32) -> bool {
    year <= CALENDAR_LAST_YEAR
}

/// Days moved by proclamation: (year, month, day of the rule's date, month, day it moved to).
const MOVED: &[(i32, u32, u32, u32, u32)] = &[
    (2012, 5, 28, 6, 4), // spring bank holiday moved for the Diamond Jubilee
    (2020, 5, 4, 5, 8),  // early May bank holiday moved to VE Day
    (2022, 5, 30, 6, 2), // spring bank holiday moved for the Platinum Jubilee
];

/// Days added by proclamation.
const EXTRA: &[(i32, u32, u32)] = &[
    (2011, 4, 29), // royal wedding
    (2012, 6, 5),  // Diamond Jubilee
    (2022, 6, 3),  // Platinum Jubilee
    (2022, 9, 19), // state funeral
    (2023, 5, 8),  // coronation
];

/// Whether `date` is a weekday that is not a bank holiday.
pub(crate) fn is_working_day(date: Date) -> Result<bool, TimeError> {
    if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        return Ok(false);
    }
    Ok(!is_bank_holiday(date)?)
}

/// Whether `date` is a bank holiday in England and Wales.
pub(crate) fn is_bank_holiday(date: Date) -> Result<bool, TimeError> {
    let year = date.year();
    if !(CALENDAR_FIRST_YEAR..=RULE_LAST_YEAR).contains(&year) {
        return Err(TimeError::UnknownYear { year });
    }
    Ok(holidays(year).contains(&date))
}

/// Every bank holiday of a year, by the rule and the proclamations.
fn holidays(year: i32) -> Vec<Date> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let mut days: Vec<Date> = Vec::with_capacity(10);
    if let Some(new_year) = ymd(1, 1) {
        days.push(next_weekday(new_year));
    }
    if let Some(easter) = easter_sunday(year) {
        days.extend(easter.pred_opt().and_then(|d| d.pred_opt()));
        days.extend(easter.succ_opt());
    }
    days.extend(nth_monday(year, 5, First));
    days.extend(nth_monday(year, 5, Last));
    days.extend(nth_monday(year, 8, Last));
    if let (Some(christmas), Some(boxing)) = (ymd(12, 25), ymd(12, 26)) {
        match christmas.weekday() {
            // Christmas on Saturday: Monday 27 and Tuesday 28.
            Weekday::Sat => days.extend([ymd(12, 27), ymd(12, 28)].into_iter().flatten()),
            // Christmas on Sunday: Boxing Day Monday 26, Christmas Tuesday 27.
            Weekday::Sun => days.extend([boxing, christmas + chrono::Days::new(2)]),
            // Christmas on Friday: Boxing Day moves to Monday 28.
            Weekday::Fri => days.extend([christmas, christmas + chrono::Days::new(3)]),
            _ => days.extend([christmas, boxing]),
        }
    }
    for &(y, from_m, from_d, to_m, to_d) in MOVED {
        if y == year {
            days.retain(|&d| Some(d) != ymd(from_m, from_d));
            days.extend(ymd(to_m, to_d));
        }
    }
    for &(y, m, d) in EXTRA {
        if y == year {
            days.extend(ymd(m, d));
        }
    }
    days.sort_unstable();
    days
}

fn next_weekday(date: Date) -> Date {
    match date.weekday() {
        Weekday::Sat => date + chrono::Days::new(2),
        Weekday::Sun => date + chrono::Days::new(1),
        _ => date,
    }
}

use Nth::{First, Last};
enum Nth {
    First,
    Last,
}

fn nth_monday(year: i32, month: u32, nth: Nth) -> Option<Date> {
    match nth {
        First => NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1),
        Last => NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 5)
            .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 4)),
    }
}

/// Western Easter Sunday (the anonymous Gregorian algorithm).
fn easter_sunday(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published dates, 2010–2027 (GOV.UK's calendar data, as listed in
    /// the project's reference `bank-holidays-england-wales.md`; 2010–2011
    /// cross-checked there with a holiday library).
    const PUBLISHED: &str = "\
2010 01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28
2011 01-03 04-22 04-25 04-29 05-02 05-30 08-29 12-26 12-27
2012 01-02 04-06 04-09 05-07 06-04 06-05 08-27 12-25 12-26
2013 01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26
2014 01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26
2015 01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28
2016 01-01 03-25 03-28 05-02 05-30 08-29 12-26 12-27
2017 01-02 04-14 04-17 05-01 05-29 08-28 12-25 12-26
2018 01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26
2019 01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26
2020 01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28
2021 01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28
2022 01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27
2023 01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26
2024 01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26
2025 01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26
2026 01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28
2027 01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28
";

    /// Easter Sunday of every year the rule serves after the published
    /// calendar, 2028–2200, as python-dateutil's `easter` (an independent
    /// implementation of the Gregorian computus) gives them: a line a
    /// decade, its first year, then each year's date in turn.
    const EASTER: &str = "\
2028 04-16 04-01 04-21 04-13 03-28 04-17 04-09 03-25 04-13 04-05
2038 04-25 04-10 04-01 04-21 04-06 03-29 04-17 04-09 03-25 04-14
2048 04-05 04-18 04-10 04-02 04-21 04-06 03-29 04-18 04-02 04-22
2058 04-14 03-30 04-18 04-10 03-26 04-15 04-06 03-29 04-11 04-03
2068 04-22 04-14 03-30 04-19 04-10 03-26 04-15 04-07 04-19 04-11
2078 04-03 04-23 04-07 03-30 04-19 04-04 03-26 04-15 03-31 04-20
2088 04-11 04-03 04-16 04-08 03-30 04-12 04-04 04-24 04-15 03-31
2098 04-20 04-12 03-28 04-17 04-09 03-25 04-13 04-05 04-18 04-10
2108 04-01 04-21 04-06 03-29 04-17 04-02 04-22 04-14 03-29 04-18
2118 04-10 03-26 04-14 04-06 03-29 04-11 04-02 04-22 04-14 03-30
2128 04-18 04-10 03-26 04-15 04-06 04-19 04-11 04-03 04-22 04-07
2138 03-30 04-19 04-03 03-26 04-15 03-31 04-19 04-11 04-03 04-16
2148 04-07 03-30 04-12 04-04 04-23 04-15 03-31 04-20 04-11 03-27
2158 04-16 04-08 03-23 04-12 04-04 04-24 04-08 03-31 04-20 04-05
2168 03-27 04-16 04-01 04-21 04-12 04-04 04-17 04-09 03-31 04-20
2178 04-05 03-28 04-16 04-01 04-21 04-13 03-28 04-17 04-09 03-25
2188 04-13 04-05 04-25 04-10 04-01 04-21 04-06 03-29 04-17 04-09
2198 03-25 04-14 04-06
";

    #[test]
    fn easter_follows_the_computus_to_2200() {
        let mut count = 0;
        for line in EASTER.lines() {
            let mut words = line.split_whitespace();
            let first: i32 = words.next().unwrap().parse().unwrap();
            for (year, md) in (first..).zip(words) {
                let expected =
                    NaiveDate::parse_from_str(&format!("{year}-{md}"), "%Y-%m-%d").unwrap();
                assert_eq!(easter_sunday(year), Some(expected), "Easter {year}");
                count += 1;
            }
        }
        assert_eq!(count, RULE_LAST_YEAR - CALENDAR_LAST_YEAR);
    }

    #[test]
    fn matches_every_published_date_2010_to_2027() {
        let mut years = Vec::new();
        for line in PUBLISHED.lines() {
            let mut words = line.split_whitespace();
            let year: i32 = words.next().unwrap().parse().unwrap();
            let expected: Vec<Date> = words
                .map(|md| NaiveDate::parse_from_str(&format!("{year}-{md}"), "%Y-%m-%d").unwrap())
                .collect();
            assert_eq!(holidays(year), expected, "bank holidays of {year}");
            // And every other weekday of the year is a working day.
            let mut day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            while day.year() == year {
                let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
                assert_eq!(
                    is_working_day(day).unwrap(),
                    !weekend && !expected.contains(&day),
                    "{day}"
                );
                day = day.succ_opt().unwrap();
            }
            years.push(year);
        }
        assert_eq!(
            years,
            (CALENDAR_FIRST_YEAR..=CALENDAR_LAST_YEAR).collect::<Vec<_>>()
        );
    }

    #[test]
    fn later_years_follow_the_rule_and_are_not_confirmed() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // 2029: Easter is 1 April, so Good Friday is 30 March.
        assert!(is_bank_holiday(d("2029-03-30")).unwrap());
        assert!(is_bank_holiday(d("2029-01-01")).unwrap());
        assert!(is_confirmed(2027));
        assert!(!is_confirmed(2028));
        assert_eq!(
            is_bank_holiday(d("2201-01-01")),
            Err(TimeError::UnknownYear { year: 2201 })
        );
    }

    #[test]
    fn proclamation_years() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(is_bank_holiday(d("2022-09-19")).unwrap());
        assert!(is_bank_holiday(d("2020-05-08")).unwrap());
        assert!(!is_bank_holiday(d("2020-05-04")).unwrap());
        assert!(is_bank_holiday(d("2023-05-08")).unwrap());
        assert!(!is_bank_holiday(d("2012-05-28")).unwrap());
    }

    #[test]
    fn years_outside_the_calendar_are_refused() {
        let d = NaiveDate::from_ymd_opt(2009, 12, 31).unwrap();
        assert_eq!(
            is_bank_holiday(d),
            Err(TimeError::UnknownYear { year: 2009 })
        );
    }
}
