//! Conditions over calendar periods: recurring duties (`every month from A
//! until B`) and sustained conditions (`for N consecutive months`).

use crate::ast::Period;
use crate::check::model::Cond;
use crate::time::{self, Date};

use super::cond::decide;
use super::read::View;
use super::status::{Status, Truth};
use super::trace::{Detail, Finding, LogicOp, PeriodFinding};
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
            .map(|p| self.within(cond, period, *p))
            .collect();
        let to_come: Vec<time::Span> = periods.iter().filter(|p| p.end > as_of).copied().collect();
        let any = |t: Truth| due.iter().any(|p| p.finding.decisive() == t);
        let (status, truth) = if any(Truth::False) {
            (Status::NotMet, Truth::False)
        } else if any(Truth::Unknown) {
            (Status::Unknown, Truth::Unknown)
        } else if due.is_empty() {
            (Status::NotYetDue, Truth::False)
        } else {
            (Status::Met, Truth::True)
        };
        let finding = Finding {
            truth,
            span: cond.span(),
            detail: Detail::Recurring {
                period,
                from,
                until,
                due,
                to_come,
                as_of,
            },
        };
        (status, finding)
    }

    /// `C for N consecutive PERIODS`: C holds within each of the last N whole periods.
    pub(crate) fn sustained(&self, cond: &Cond, n: u32, period: Period, to: Date) -> Finding {
        let periods: Vec<PeriodFinding> = time::last_whole_periods(period, n, to)
            .into_iter()
            .map(|p| self.within(cond, period, p))
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
    fn within(&self, cond: &Cond, period: Period, span: time::Span) -> PeriodFinding {
        PeriodFinding {
            period,
            span,
            finding: self.cond(
                cond,
                View {
                    from: Some(span.start),
                    to: span.end,
                },
            ),
        }
    }
}
