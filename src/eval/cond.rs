//! Conditions: comparisons, evidence, and their combinations, each judged
//! in three-valued logic into a [`Finding`].

use crate::ast::CmpOp;
use crate::check::model::{Cond, EvidenceId, RecordWindow, ValueExpr};

use super::read::View;
use super::status::Truth;
use super::trace::{Detail, Finding, LogicOp, Record};
use super::Ctx;

impl Ctx<'_> {
    /// Judges a condition on the data in `view`.
    pub(crate) fn cond(&self, cond: &Cond, view: View) -> Finding {
        match cond {
            Cond::All(items, span) => self.logic(LogicOp::All, items, *span, view),
            Cond::Any(items, span) => self.logic(LogicOp::Any, items, *span, view),
            Cond::Not(c, span) => {
                let inner = self.cond(c, view);
                // A standing value never shows a condition met, under `not`
                // neither: what it shows false is unknown negated.
                let truth = match inner.truth {
                    Truth::False if rests_on_standing(&inner) => Truth::Unknown,
                    t => t.negate(),
                };
                Finding {
                    truth,
                    span: *span,
                    detail: Detail::Not(Box::new(inner)),
                }
            }
            Cond::Evidence(kind, within, span) => self.evidence(*kind, *within, *span, view),
            Cond::Trend {
                metric,
                area,
                improving,
                by,
                window,
                span,
            } => self.trend(
                (*metric, area.as_deref()),
                (*improving, *by),
                *window,
                *span,
                view,
            ),
            Cond::Compare { lhs, op, rhs, span } => self.compare(lhs, *op, rhs, *span, view),
        }
    }

    fn logic(&self, op: LogicOp, items: &[Cond], span: crate::Span, view: View) -> Finding {
        let parts: Vec<Finding> = items.iter().map(|c| self.cond(c, view)).collect();
        let truths: Vec<Truth> = parts.iter().map(|f| f.truth).collect();
        let (truth, deciding) = decide(op, &truths);
        Finding {
            truth,
            span,
            detail: Detail::Logic {
                op,
                parts,
                deciding,
            },
        }
    }

    /// A record of `kind` in view. Compliance is shown by records from the
    /// notice's life: with no dates named, a record must be dated on or after
    /// `issued` (or an `after` deadline); `since D` and `from A until B` name
    /// the dates, and may reach before the notice.
    fn evidence(
        &self,
        kind: EvidenceId,
        window: Option<RecordWindow>,
        span: crate::Span,
        view: View,
    ) -> Finding {
        let view = self.record_view(window, view);
        // The earliest record in view shows when the duty was first met.
        let record = self.records(kind, view).next().map(|r| Record {
            date: r.date,
            published: r.published,
            reference: r.reference.clone(),
            source: r.source,
        });
        Finding {
            truth: match record {
                Some(_) => Truth::True,
                None if !self.data.evidence_held() => Truth::Unknown,
                None => Truth::False,
            },
            span,
            detail: Detail::Evidence {
                kind,
                from: view.from,
                to: view.to,
                record,
            },
        }
    }

    fn compare(
        &self,
        lhs: &ValueExpr,
        op: CmpOp,
        rhs: &ValueExpr,
        span: crate::Span,
        view: View,
    ) -> Finding {
        let (left, right) = (self.value(lhs, view), self.value(rhs, view));
        let standing = left.rests_on_standing() || right.rests_on_standing();
        let (truth, missing_means_not_met) = match (&left.value, &right.value) {
            // A judgement from before the notice that still stands can show
            // the condition fails; that it holds needs one from the notice's life.
            (Ok(l), Ok(r)) => {
                let holds = l.compare(r).is_some_and(|ord| op.accepts(ord));
                let truth = match (holds, standing) {
                    (true, true) => Truth::Unknown,
                    (true, false) => Truth::True,
                    (false, _) => Truth::False,
                };
                (truth, false)
            }
            (l, r) => {
                let not_met = [l, r]
                    .iter()
                    .any(|side| side.as_ref().is_err_and(|g| g.means_not_met()));
                // Unknown either way: the policy is applied to the verdict
                // (`Finding::decisive`), never inside `not`.
                (Truth::Unknown, not_met)
            }
        };
        Finding {
            truth,
            span,
            detail: Detail::Compare {
                left,
                op,
                right,
                missing_means_not_met,
            },
        }
    }
}

/// Whether some value a finding was decided on is one from before the
/// notice that stands until replaced: such a finding shows a condition
/// false, never true.
fn rests_on_standing(f: &Finding) -> bool {
    match &f.detail {
        Detail::Compare { left, right, .. } => {
            left.rests_on_standing() || right.rests_on_standing()
        }
        Detail::Logic { parts, .. } => parts.iter().any(rests_on_standing),
        Detail::Not(inner) => rests_on_standing(inner),
        Detail::Evidence { .. }
        | Detail::Trend(_)
        | Detail::Recurring { .. }
        | Detail::Sustained { .. } => false,
    }
}

impl Ctx<'_> {
    /// The dates records of a kind are read in: those the condition names
    /// (within the view), or else from `issued` (or an `after` deadline) on.
    /// A look-back beyond the calendar gives an empty view.
    pub(crate) fn record_view(&self, window: Option<RecordWindow>, view: View) -> View {
        let within = |from: crate::time::Date, until: crate::time::Date| View {
            from: Some(view.from.map_or(from, |f| f.max(from))),
            to: until.min(view.to),
        };
        match window {
            None => View {
                from: Some(view.from.unwrap_or(self.records_from)),
                to: view.to,
            },
            Some(RecordWindow::Since(d)) => within(d, view.to),
            Some(RecordWindow::Range(a, b)) => within(a, b),
            Some(RecordWindow::Over(d)) => match crate::time::look_back(view.to, d)
                .ok()
                .and_then(|start| start.succ_opt())
            {
                Some(start) => within(start, view.to),
                None => View {
                    from: view.to.succ_opt(),
                    to: view.to,
                },
            },
        }
    }

    /// The records of a kind dated in view and known by the knowledge date,
    /// oldest first.
    pub(crate) fn records(
        &self,
        kind: EvidenceId,
        view: View,
    ) -> impl Iterator<Item = &crate::data::EvidenceRecord> {
        let records = self.data.evidence(kind);
        // Records are sorted by date: the view's are one slice of them.
        let first = view
            .from
            .map_or(0, |from| records.partition_point(|r| r.date < from));
        let seen = records.partition_point(|r| r.date <= view.to);
        let known_at = self.known_at;
        records
            .get(first..seen)
            .unwrap_or(&[])
            .iter()
            .filter(move |r| view.contains(r.date) && known_at.is_none_or(|k| r.known_from() <= k))
    }
}

/// The truth of `all` or `any` over its parts, and the parts that decided
/// it: for `all`, every part that fails, else every unknown part, else all
/// of them; for `any`, the first part that holds, else every unknown part,
/// else all of them.
pub(crate) fn decide(op: LogicOp, parts: &[Truth]) -> (Truth, Vec<usize>) {
    let with = |t: Truth| -> Vec<usize> {
        parts
            .iter()
            .enumerate()
            .filter(|(_, &f)| f == t)
            .map(|(i, _)| i)
            .collect()
    };
    let (decisive, empty) = match op {
        LogicOp::All => (Truth::False, Truth::True),
        LogicOp::Any => (Truth::True, Truth::False),
    };
    let mut deciding = with(decisive);
    if op == LogicOp::Any {
        deciding.truncate(1);
    }
    if deciding.is_empty() {
        deciding = with(Truth::Unknown);
    }
    if deciding.is_empty() {
        deciding = (0..parts.len()).collect();
    }
    let truth = deciding
        .first()
        .and_then(|&i| parts.get(i))
        .map_or(empty, |&t| t);
    (truth, deciding)
}
