//! Conditions over calendar periods: recurring duties (`every month from A
//! until B`) and sustained conditions (`for N consecutive months`).

use crate::ast::Period;
use crate::check::model::Cond;
use crate::time::{self, Date};

use super::cond::decide;
use super::read::View;
use super::status::{Status, Truth};
use super::trace::{Cadence, Detail, Finding, LogicOp, PeriodFinding};
use super::Ctx;

impl Ctx<'_> {
    /// A recurring duty: the condition must hold within each whole period
    /// from `from` until `until` that has ended by `as_of`.
    pub(crate) fn recurring(
        &self,
        cond: &Cond,
        period: Period,
        (from, until): (Date, Date),
        as_of: Date,
    ) -> (Status, Finding) {
        let periods = time::whole_periods(period, from, until);
        let due: Vec<PeriodFinding> = periods
            .iter()
            .filter(|p| p.end <= as_of)
            .map(|p| self.within(cond, Cadence::Calendar(period), *p))
            .collect();
        let to_come: Vec<time::Span> = periods.iter().filter(|p| p.end > as_of).copied().collect();
        duty(
            cond,
            Cadence::Calendar(period),
            (from, until),
            (due, to_come),
            as_of,
        )
    }

    /// A calendar duty's status alone, for a timeline of statuses: each
    /// period's truth is read from `settled` when it was recorded there and is
    /// settled for this evaluation (`is_settled(period end)`), else judged,
    /// and recorded when settled. The periods are sorted and settledness
    /// follows their ends, so what is recorded is always a prefix.
    pub(crate) fn recurring_status(
        &self,
        cond: &Cond,
        period: Period,
        (from, until): (Date, Date),
        as_of: Date,
        (settled, is_settled): (&mut SettledPeriods, &dyn Fn(Date) -> bool),
    ) -> (Status, Truth) {
        let periods = settled
            .periods
            .get_or_insert_with(|| time::whole_periods(period, from, until));
        let mut truths = Vec::new();
        for (i, p) in periods.iter().enumerate().filter(|(_, p)| p.end <= as_of) {
            let recorded = settled.truths.get(i).copied().filter(|_| is_settled(p.end));
            let truth = recorded.unwrap_or_else(|| {
                let view = View {
                    from: Some(p.start),
                    to: p.end,
                };
                let truth = self.cond(cond, view).decisive();
                if i == settled.truths.len() && is_settled(p.end) {
                    settled.truths.push(truth);
                }
                truth
            });
            truths.push((truth, false));
        }
        tally(&truths)
    }

    /// `at least every DURATION from A until B`: the first record within the
    /// duration of A, each next one within the duration of the one before.
    /// A missed interval ends at its due date; a late record then starts
    /// the next interval, or, with none, the next interval follows on.
    pub(crate) fn rolling(
        &self,
        cond: &Cond,
        every: crate::ast::Duration,
        (from, until): (Date, Date),
        as_of: Date,
    ) -> (Status, Finding) {
        let cadence = Cadence::Rolling(every);
        let mut due: Vec<PeriodFinding> = Vec::new();
        let mut to_come: Vec<time::Span> = Vec::new();
        // The day the current interval is counted from, and its first day.
        let (mut anchor, mut start) = (from, from);
        while start <= until {
            let Ok(end) = time::shift(anchor, crate::ast::AddOp::Add, every) else {
                break;
            };
            if end > until {
                // The duty ends before this interval does: nothing more is due.
                break;
            }
            let span = time::Span { start, end };
            let seen_to = end.min(as_of);
            let found = self.cond(
                cond,
                View {
                    from: Some(start),
                    to: seen_to,
                },
            );
            match (found.decisive(), found.delivered_on()) {
                (Truth::True, Some(day)) => {
                    due.push(PeriodFinding {
                        cadence,
                        span,
                        finding: found,
                        made_up: None,
                    });
                    anchor = day;
                }
                _ if end > as_of => {
                    to_come.push(span);
                    break;
                }
                _ => {
                    // A late record makes up for the missed interval and
                    // starts the next; with none, the next follows on.
                    let after = self.cond(
                        cond,
                        View {
                            from: end.succ_opt(),
                            to: until.min(as_of),
                        },
                    );
                    let late = after.delivered_on();
                    let made_up = (late.is_some() && found.decisive() == Truth::False)
                        .then(|| Box::new(after));
                    due.push(PeriodFinding {
                        cadence,
                        span,
                        finding: found,
                        made_up,
                    });
                    anchor = late.unwrap_or(end);
                }
            }
            let Some(next) = anchor.succ_opt() else {
                break;
            };
            start = next;
        }
        duty(cond, cadence, (from, until), (due, to_come), as_of)
    }

    /// `C for N consecutive PERIODS`: C holds within each of the last N whole periods.
    pub(crate) fn sustained(&self, cond: &Cond, n: u32, period: Period, to: Date) -> Finding {
        let periods: Vec<PeriodFinding> = time::last_whole_periods(period, n, to)
            .into_iter()
            .map(|p| self.within(cond, Cadence::Calendar(period), p))
            .collect();
        // Each period is decided on its own, its missing-data policy applied.
        let truths: Vec<Truth> = periods.iter().map(|p| p.finding.decisive()).collect();
        let (truth, deciding) = decide(LogicOp::All, &truths);
        Finding {
            truth,
            span: cond.span(),
            detail: Detail::Sustained {
                period,
                n,
                to,
                periods,
                deciding,
            },
        }
    }

    /// The condition judged on the data dated within one period.
    fn within(&self, cond: &Cond, cadence: Cadence, span: time::Span) -> PeriodFinding {
        PeriodFinding {
            cadence,
            span,
            finding: self.cond(
                cond,
                View {
                    from: Some(span.start),
                    to: span.end,
                },
            ),
            made_up: None,
        }
    }
}

/// A recurring duty's verdict from its periods: not met if a due period
/// failed and was not made up, unknown if any lacked data, not yet due if
/// none is due, met late if a missed interval of a rolling duty was made up
/// by a late record, else met.
fn duty(
    cond: &Cond,
    cadence: Cadence,
    (from, until): (Date, Date),
    (due, to_come): (Vec<PeriodFinding>, Vec<time::Span>),
    as_of: Date,
) -> (Status, Finding) {
    let truths: Vec<(Truth, bool)> = due
        .iter()
        .map(|p| (p.finding.decisive(), p.made_up.is_some()))
        .collect();
    let (status, truth) = tally(&truths);
    let finding = Finding {
        truth,
        span: cond.span(),
        detail: Detail::Recurring {
            cadence,
            from,
            until,
            due,
            to_come,
            as_of,
        },
    };
    (status, finding)
}

/// The periods of one calendar duty and the truths of those settled so far,
/// in order: a period whose data can no longer change is judged once for a
/// whole timeline.
#[derive(Debug, Default)]
pub(crate) struct SettledPeriods {
    periods: Option<Vec<time::Span>>,
    truths: Vec<Truth>,
}

/// A duty's status and truth from its due periods, each (truth, made up
/// by a late record).
fn tally(due: &[(Truth, bool)]) -> (Status, Truth) {
    let missed = |made_up: bool| {
        due.iter()
            .any(|&(truth, late)| truth == Truth::False && late == made_up)
    };
    if missed(false) {
        (Status::NotMet, Truth::False)
    } else if due.iter().any(|&(truth, _)| truth == Truth::Unknown) {
        (Status::Unknown, Truth::Unknown)
    } else if due.is_empty() {
        (Status::NotYetDue, Truth::False)
    } else if missed(true) {
        (Status::MetLate, Truth::True)
    } else {
        (Status::Met, Truth::True)
    }
}
