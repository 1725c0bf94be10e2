//! A notice evaluated at a series of dates, and when its statuses changed.

use chrono::Datelike;
use serde::Serialize;

use crate::ast::{AddOp, Duration, DurationUnit, Period};
use crate::check::model::Notice;
use crate::data::DataSet;
use crate::time::{self, Date};

use super::{Evaluator, Options, Outcome, Status};

/// A notice evaluated at a series of dates.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Timeline {
    /// The evaluation dates, in order.
    pub steps: Vec<Date>,
    /// The outcome at each step.
    pub outcomes: Vec<Outcome>,
}

/// A change of status between two steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Change {
    /// The first step with the new status.
    pub date: Date,
    /// The status before.
    pub from: Status,
    /// The status from `date` on.
    pub to: Status,
}

impl Timeline {
    /// The statuses of a measure at each step.
    pub fn measure_statuses(&self, measure: usize) -> Vec<Status> {
        self.outcomes
            .iter()
            .map(|o| {
                o.measures
                    .get(measure)
                    .map_or(Status::Unknown, |m| m.status)
            })
            .collect()
    }

    /// The statuses of one requirement at each step.
    pub fn requirement_statuses(&self, measure: usize, requirement: usize) -> Vec<Status> {
        self.outcomes
            .iter()
            .map(|o| {
                o.measures
                    .get(measure)
                    .and_then(|m| m.requirements.get(requirement))
                    .map_or(Status::Unknown, |v| v.status)
            })
            .collect()
    }

    /// The dates on which a series of statuses changed.
    pub fn changes(&self, statuses: &[Status]) -> Vec<Change> {
        statuses
            .windows(2)
            .zip(self.steps.iter().skip(1))
            .filter_map(|(pair, &date)| match pair {
                [a, b] if a != b => Some(Change {
                    date,
                    from: *a,
                    to: *b,
                }),
                _ => None,
            })
            .collect()
    }
}

/// The most steps a timeline takes: twenty years of weeks, ninety years of
/// months. Each step is a whole evaluation, kept for the grid.
pub const MAX_STEPS: usize = 1_100;

/// Evaluates a notice at each of `steps` (the command line takes at most
/// [`MAX_STEPS`]). Data is loaded and indexed once; each step is a binary
/// search per term over the sorted series, and each deadline's condition is
/// computed once.
pub fn timeline(notice: &Notice, data: &DataSet, steps: &[Date], options: Options) -> Timeline {
    let evaluator = Evaluator::new(notice, data, options);
    Timeline {
        steps: steps.to_vec(),
        outcomes: steps.iter().map(|&d| evaluator.evaluate(d)).collect(),
    }
}

/// A timeline of statuses only: each step's verdicts keep their status and
/// truth but not their findings, rows or notes, which are dropped as soon as
/// the step is judged. What `notice timeline` prints needs no more, and a
/// notice of many duties over many steps then takes memory in proportion to
/// its statuses, not to every step's full trace.
pub fn timeline_of_statuses(
    notice: &Notice,
    data: &DataSet,
    steps: &[Date],
    options: Options,
) -> Timeline {
    use super::trace::Finding;
    let evaluator = Evaluator::statuses_only(notice, data, options);
    let outcomes = steps
        .iter()
        .map(|&d| {
            let mut outcome = evaluator.evaluate(d);
            for m in &mut outcome.measures {
                for v in &mut m.requirements {
                    v.finding = Finding::bare(v.finding.truth, v.finding.span);
                    v.sources = Vec::new();
                    v.notes = Vec::new();
                    v.at_risk = None;
                }
            }
            outcome
        })
        .collect();
    Timeline {
        steps: steps.to_vec(),
        outcomes,
    }
}

/// The dates from `from` to `to` (both included) a step apart: a month
/// step counts months from `from`, clamped to each month's end.
pub fn steps(from: Date, to: Date, period: Period) -> Vec<Date> {
    let mut out = Vec::new();
    for k in 0u32.. {
        let (amount, unit) = match period {
            Period::Week => (7, DurationUnit::Days),
            Period::Weeks(n) => (n.saturating_mul(7), DurationUnit::Days),
            Period::Month => (1, DurationUnit::Months),
            Period::Quarter => (3, DurationUnit::Months),
            Period::Months(n) => (n, DurationUnit::Months),
        };
        if amount == 0 {
            return vec![from].into_iter().filter(|&d| d <= to).collect();
        }
        let step = Duration {
            amount: k.saturating_mul(amount),
            unit,
        };
        match time::shift(from, AddOp::Add, step) {
            Ok(d) if d <= to => out.push(d),
            _ => break,
        }
    }
    out
}

/// The dates a board paper's strip and `notice timeline` evaluate at: the
/// first date, the first day of every month after it, and the last date
/// (a board reads "as of 1 August", and compares with "as of 1 July").
/// Each column is labelled with its date, so a step that is not the first
/// of a month is never mistaken for one.
pub fn month_steps(from: Date, to: Date) -> Vec<Date> {
    if to < from {
        return Vec::new();
    }
    let mut out = vec![from];
    let mut next = from
        .with_day(1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)));
    while let Some(d) = next.filter(|d| *d < to) {
        out.push(d);
        next = d.checked_add_months(chrono::Months::new(1));
    }
    if to > from {
        out.push(to);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        time::parse_date(s).unwrap()
    }

    #[test]
    fn month_steps_are_the_ends_and_every_first_of_a_month_between() {
        let s: Vec<String> = month_steps(d("2012-01-23"), d("2012-04-15"))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            s,
            [
                "2012-01-23",
                "2012-02-01",
                "2012-03-01",
                "2012-04-01",
                "2012-04-15"
            ]
        );
        // An end on the first of a month is one step, not two.
        assert_eq!(
            month_steps(d("2012-07-01"), d("2012-08-01")),
            [d("2012-07-01"), d("2012-08-01")]
        );
        assert_eq!(
            month_steps(d("2012-07-01"), d("2012-07-01")),
            [d("2012-07-01")]
        );
        assert!(month_steps(d("2012-07-02"), d("2012-07-01")).is_empty());
        // The calendar's last day ends the steps rather than overflowing.
        let last = chrono::NaiveDate::MAX;
        assert_eq!(month_steps(last, last), [last]);
    }

    #[test]
    fn a_step_of_no_length_is_the_first_date_alone_if_in_range() {
        let (a, b) = (d("2012-01-31"), d("2012-05-31"));
        assert_eq!(steps(a, b, Period::Months(0)), [a]);
        assert_eq!(steps(a, a, Period::Weeks(0)), [a]);
        assert!(steps(b, a, Period::Months(0)).is_empty());
    }

    #[test]
    fn monthly_steps_count_from_the_first_and_clamp() {
        let s = steps(d("2012-01-31"), d("2012-05-31"), Period::Month);
        let s: Vec<String> = s.iter().map(ToString::to_string).collect();
        assert_eq!(
            s,
            [
                "2012-01-31",
                "2012-02-29",
                "2012-03-31",
                "2012-04-30",
                "2012-05-31"
            ]
        );
        assert_eq!(
            steps(d("2011-06-01"), d("2013-06-01"), Period::Month).len(),
            25
        );
        assert_eq!(
            steps(d("2012-01-02"), d("2012-01-31"), Period::Week).len(),
            5
        );
        assert!(steps(d("2012-02-01"), d("2012-01-01"), Period::Month).is_empty());
    }

    #[test]
    fn changes_name_the_first_step_with_the_new_status() {
        let t = Timeline {
            steps: vec![d("2012-01-01"), d("2012-02-01"), d("2012-03-01")],
            outcomes: Vec::new(),
        };
        let c = t.changes(&[Status::NotYetDue, Status::NotYetDue, Status::Met]);
        assert_eq!(
            c,
            vec![Change {
                date: d("2012-03-01"),
                from: Status::NotYetDue,
                to: Status::Met
            }]
        );
    }
}
