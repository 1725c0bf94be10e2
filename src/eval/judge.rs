//! Judging requirements: a condition, its deadline and the evaluation date
//! make a verdict.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::check::model::{DeadlineKind, Notice, Requirement};
use crate::data::DataSet;
use crate::time::{self, Date};

use super::periods::SettledPeriods;
use super::read::View;
use super::status::{Status, Truth};
use super::trace::{Finding, Note, Timing};
use super::{Ctx, MeasureOutcome, Options, Outcome, Verdict};

/// Evaluates one notice on one data set, at one date or many: what a
/// requirement's condition was at its deadline is the same at every later
/// date whose knowledge date is past the day all the data dated by the
/// deadline was published ([`DataSet::settled_by`]), so it is computed once
/// for those and kept.
pub struct Evaluator<'a> {
    notice: &'a Notice,
    data: &'a DataSet,
    options: Options,
    /// The condition at the deadline, by (measure, requirement): its truth,
    /// and the row published last after the deadline that it rests on.
    at_deadline: RefCell<HashMap<(usize, usize), AtDeadline>>,
    /// For statuses alone ([`Evaluator::statuses_only`]): each calendar
    /// duty's settled periods, by (measure, requirement), judged once.
    settled_periods: Option<RefCell<HashMap<(usize, usize), SettledPeriods>>>,
}

/// What a requirement's condition was at its deadline.
#[derive(Debug, Clone, Copy)]
struct AtDeadline {
    truth: Truth,
    /// (the date a figure or record is for, its publication after the deadline).
    published_late: Option<(Date, Date)>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator of `notice` on `data`.
    pub fn new(notice: &'a Notice, data: &'a DataSet, options: Options) -> Self {
        Evaluator {
            notice,
            data,
            options,
            at_deadline: RefCell::new(HashMap::new()),
            settled_periods: None,
        }
    }

    /// An evaluator whose verdicts keep their statuses but whose calendar
    /// duties carry no periods: a period settled at one date is not judged
    /// again at the next, so a timeline of many duties over many steps costs
    /// about one judgement per period, not one per period and step.
    pub fn statuses_only(notice: &'a Notice, data: &'a DataSet, options: Options) -> Self {
        Evaluator {
            settled_periods: Some(RefCell::new(HashMap::new())),
            ..Evaluator::new(notice, data, options)
        }
    }

    /// Every measure of the notice as of `as_of`.
    pub fn evaluate(&self, as_of: Date) -> Outcome {
        let measures: Vec<MeasureOutcome> = self
            .notice
            .measures
            .iter()
            .enumerate()
            .map(|(index, m)| {
                let requirements: Vec<Verdict> = m
                    .requirements
                    .iter()
                    .enumerate()
                    .map(|(i, r)| self.judge((index, i), r, as_of))
                    .collect();
                MeasureOutcome::of(index, requirements)
            })
            .collect();
        let status = super::notice_status(&measures);
        Outcome {
            notice: self.notice.id.clone(),
            as_of,
            known_at: self.options.known.cutoff(as_of),
            status,
            measures,
            owner: None,
        }
    }

    /// The verdict on one requirement as of `as_of`.
    pub fn judge(&self, (measure, index): (usize, usize), r: &Requirement, as_of: Date) -> Verdict {
        let known_at = self.options.known.cutoff(as_of);
        let ctx = Ctx::new(self.notice, self.data, known_at, r);
        let holds_in = |ctx: &Ctx, to: Date| -> Finding {
            match r.sustained {
                Some((n, period)) => ctx.sustained(&r.condition, n, period, to),
                None => ctx.cond(&r.condition, View::until(to)),
            }
        };
        let holds = |to: Date| holds_in(&ctx, to);
        let mut at_risk = None;
        let mut late_note = None;
        // `for N consecutive ...` is shown by N whole periods of the notice's
        // life: until the first such run has ended it cannot be, never on
        // periods from before the notice. Before a deadline (or with none)
        // it is then not yet due; once a deadline has passed, it was not met
        // by it, and is not met until a run can show it.
        let first_run = r
            .sustained
            .map(|(n, period)| time::first_run_end(period, n, self.notice.issued));
        let shown_by = |date: Date| first_run.is_none_or(|first| first.is_some_and(|f| f <= date));
        let deadline_passed = r
            .deadline
            .as_ref()
            .is_some_and(|d| d.kind == DeadlineKind::By && as_of >= d.date);
        let too_soon = (!shown_by(as_of)).then(|| first_run.flatten());
        let (status, finding, timing) = match r.deadline.as_ref() {
            _ if deadline_passed && too_soon.is_some() => (
                Status::NotMet,
                Finding {
                    truth: Truth::False,
                    ..holds(as_of)
                },
                Timing::TooSoon {
                    first: too_soon.flatten(),
                },
            ),
            _ if too_soon.is_some() => (
                Status::NotYetDue,
                holds(as_of),
                Timing::TooSoon {
                    first: too_soon.flatten(),
                },
            ),
            None => {
                let now = holds(as_of);
                (Status::of_truth(now.decisive()), now, Timing::Open)
            }
            Some(d) => match d.kind {
                DeadlineKind::Every { period, from } => match &self.settled_periods {
                    Some(cache) => {
                        let is_settled =
                            |end: Date| known_at.is_none_or(|k| k >= self.data.settled_by(end));
                        let mut cache = cache.borrow_mut();
                        let settled = cache.entry((measure, index)).or_default();
                        let (status, truth) = ctx.recurring_status(
                            &r.condition,
                            period,
                            (from, d.date),
                            as_of,
                            (settled, &is_settled),
                        );
                        (
                            status,
                            Finding::bare(truth, r.condition.span()),
                            Timing::Recurring,
                        )
                    }
                    None => {
                        let (status, found) =
                            ctx.recurring(&r.condition, period, (from, d.date), as_of);
                        (status, found, Timing::Recurring)
                    }
                },
                DeadlineKind::Rolling { every, from } => {
                    let (status, found) = ctx.rolling(&r.condition, every, (from, d.date), as_of);
                    (status, found, Timing::Recurring)
                }
                // `after D` is assessed once D has ended: on D itself it is
                // not yet due (a record made that day counts the next).
                DeadlineKind::After if as_of <= d.date => (
                    Status::NotYetDue,
                    holds(as_of),
                    Timing::AssessedFrom { started: false },
                ),
                DeadlineKind::After => {
                    let now = holds(as_of);
                    (
                        Status::of_truth(now.decisive()),
                        now,
                        Timing::AssessedFrom { started: true },
                    )
                }
                // Before its deadline nothing is late: a delivery (a record,
                // in no sliding window) is met once made; a target is judged
                // at its deadline, and until then is not yet due, on track or
                // at risk or without data so far (the reason says which).
                DeadlineKind::By if as_of < d.date => {
                    let now = holds(as_of);
                    let status = if r.condition.stays_delivered() && now.decisive() == Truth::True {
                        Status::Met
                    } else {
                        Status::NotYetDue
                    };
                    if status == Status::NotYetDue && now.decisive() == Truth::False {
                        at_risk = ctx.at_risk(&r.condition, d.date, as_of);
                    }
                    (status, now, Timing::DueBy { at_deadline: None })
                }
                DeadlineKind::By => {
                    let settled = known_at.is_none_or(|k| k >= self.data.settled_by(d.date));
                    let cached = settled
                        .then(|| self.at_deadline.borrow().get(&(measure, index)).copied())
                        .flatten();
                    // No run of the notice's life had ended by the deadline:
                    // it was not shown by it, whatever came before the notice.
                    let unshown = (!shown_by(d.date)).then_some(AtDeadline {
                        truth: Truth::False,
                        published_late: None,
                    });
                    let then = unshown.or(cached).unwrap_or_else(|| {
                        let found = holds(d.date);
                        let then = AtDeadline {
                            truth: found.decisive(),
                            published_late: found.published_after(d.date),
                        };
                        if settled {
                            self.at_deadline.borrow_mut().insert((measure, index), then);
                        }
                        then
                    });
                    // Met in time, reported late: met, and the verdict says so.
                    if let (Truth::True, Some((date, published))) =
                        (then.truth, then.published_late)
                    {
                        late_note = Some(Note::PublishedLate {
                            date,
                            published,
                            deadline: d.date,
                        });
                    }
                    let then = then.truth;
                    let now = holds_in(&ctx.after_deadline(d.date), as_of);
                    let status = match (then, now.decisive()) {
                        (Truth::True, Truth::True) => Status::Met,
                        (_, Truth::True) => Status::MetLate,
                        (_, Truth::False) => Status::NotMet,
                        (_, Truth::Unknown) => Status::Unknown,
                    };
                    (
                        status,
                        now,
                        Timing::DueBy {
                            at_deadline: Some(then),
                        },
                    )
                }
            },
        };
        Verdict {
            status,
            kind: r.kind,
            index,
            deadline: r.deadline.as_ref().map(|d| d.date),
            sources: finding.sources(),
            notes: finding.notes().into_iter().chain(late_note).collect(),
            finding,
            timing,
            at_risk,
        }
    }
}
