//! The board paper's short lines: what is wrong with a measure in a few
//! words, since when, a figure against its target, and why it reads amber.

use crate::ast::CmpOp;
use crate::check::Notice;
use crate::eval::trace::{Detail, Finding, TrendOutcome};
use crate::eval::{Truth, Verdict};
use crate::report::paper::rag::Amber;
use crate::time::Date;
use crate::value::Value;

use super::words::Words;
use super::{cadence_name, date, direction_word, period_label};

/// What a finding came to, in a few words: `Consultation with the
/// Council's care leavers: no record`, `missed May 2012 (4 of 5 months held)`.
pub fn headline(notice: &Notice, f: &Finding) -> String {
    let w = Words { notice };
    match &f.detail {
        Detail::Compare {
            left, op, right, ..
        } => {
            let name = w.reading_name(left);
            match (&left.value, &right.value) {
                (Ok(l), Ok(r)) => format!("{name}: {l}, required {} {r}", op_words(*op)),
                (Err(_), _) => format!("{name}: no figure"),
                (Ok(l), Err(_)) => format!("{name}: {l}, with no {}", w.reading_name(right)),
            }
        }
        Detail::Evidence { kind, record, .. } => match record {
            Some(r) => format!("{}: recorded {}", w.evidence(*kind), date(r.date)),
            None if f.truth == Truth::Unknown => format!("{}: not in the data", w.evidence(*kind)),
            None => format!("{}: no record", w.evidence(*kind)),
        },
        Detail::Trend(t) => match t.outcome {
            TrendOutcome::Direction(better) => {
                format!("{}: {}", w.metric(t.metric), direction_word(better))
            }
            _ => format!("{}: too few figures for a trend", w.metric(t.metric)),
        },
        Detail::Logic {
            parts, deciding, ..
        } => deciding
            .first()
            .and_then(|&i| parts.get(i))
            .map_or_else(String::new, |p| headline(notice, p)),
        Detail::Not(inner) => format!("must not be so: {}", headline(notice, inner)),
        Detail::Recurring { cadence, due, .. } => {
            let missed: Vec<String> = due
                .iter()
                .filter(|p| p.finding.decisive() != Truth::True && p.made_up.is_none())
                .map(|p| period_label(p.cadence, p.span))
                .collect();
            let held = due
                .iter()
                .filter(|p| p.finding.decisive() == Truth::True)
                .count();
            let of = format!(
                "{held} of {} {} held",
                due.len(),
                cadence_name(*cadence, due.len())
            );
            let what = due
                .first()
                .map(|p| subject_of(notice, &p.finding))
                .unwrap_or_default();
            match missed.as_slice() {
                [] => format!("{what}: {of}"),
                _ => format!("{what}: missed {} ({of})", missed.join(", ")),
            }
        }
        Detail::Sustained {
            periods, deciding, ..
        } => deciding
            .first()
            .and_then(|&i| periods.get(i))
            .map_or_else(String::new, |p| {
                format!(
                    "{}: {}",
                    period_label(p.cadence, p.span),
                    headline(notice, &p.finding)
                )
            }),
    }
}

/// What a finding is about, by its label: the evidence kind, the metric
/// read, or what the first part or period of it is about.
fn subject_of(notice: &Notice, f: &Finding) -> String {
    let w = Words { notice };
    match &f.detail {
        Detail::Evidence { kind, .. } => w.evidence(*kind),
        Detail::Compare { left, .. } => w.reading_name(left),
        Detail::Trend(t) => w.metric(t.metric),
        Detail::Logic { parts, .. } => parts
            .first()
            .map_or_else(String::new, |p| subject_of(notice, p)),
        Detail::Not(inner) => subject_of(notice, inner),
        Detail::Recurring { due: periods, .. } | Detail::Sustained { periods, .. } => periods
            .first()
            .map_or_else(String::new, |p| subject_of(notice, &p.finding)),
    }
}

/// Since when a measure is off track: `overdue since 23 July 2012` when a
/// deadline has passed, else `not met since 1 May 2012` from the first
/// step of the strip that showed it.
pub fn off_track_since(deadline: Option<Date>, changed: Option<Date>) -> Option<String> {
    match (deadline, changed) {
        (Some(d), _) => Some(format!("overdue since {}", date(d))),
        (None, Some(c)) => Some(format!("not met since {}", date(c))),
        (None, None) => None,
    }
}

/// Why a measure reads amber, in a few words.
pub fn amber_why(a: Amber) -> String {
    match a {
        Amber::MetLate => "met, but after its deadline".into(),
        Amber::AtRisk { deadline } => {
            format!("at risk: the trend projects a miss by {}", date(deadline))
        }
        Amber::DueSoon { deadline } => {
            format!("due {}, not yet shown", date(deadline))
        }
        Amber::ExpectationMissed => "an expectation is not met (a warning)".into(),
    }
}

/// A figure against what it must reach, with the way it moved since the
/// figure before it: `62% ↑ up from 58% on 30 June 2012 (better), against
/// a target of at least 69%`. `higher_is_better` is `None` where the
/// metric declares no direction (then the arrow says only which way it moved).
pub fn figure(
    value: &Value,
    previous: Option<(&Value, Date, Option<bool>)>,
    target: Option<(CmpOp, String)>,
) -> String {
    use std::cmp::Ordering;
    let mut out = value.to_string();
    if let Some((before, on, higher_is_better)) = previous {
        let order = value.compare(before);
        let moved = match order {
            Some(Ordering::Greater) => "↑ up from",
            Some(Ordering::Less) => "↓ down from",
            _ => "→ level with",
        };
        let judged = match (higher_is_better, order) {
            (Some(true), Some(Ordering::Greater)) | (Some(false), Some(Ordering::Less)) => {
                " (better)"
            }
            (Some(true), Some(Ordering::Less)) | (Some(false), Some(Ordering::Greater)) => {
                " (worse)"
            }
            _ => "",
        };
        out.push_str(&format!(" {moved} {before} on {}{judged}", date(on)));
    }
    if let Some((op, against)) = target {
        out.push_str(&format!(", against a target of {} {against}", op_words(op)));
    }
    out
}

/// A comparison in words: `at least`, `below`.
pub fn op_words(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Ge => "at least",
        CmpOp::Gt => "above",
        CmpOp::Le => "at most",
        CmpOp::Lt => "below",
        CmpOp::Eq => "exactly",
        CmpOp::Ne => "other than",
    }
}

/// What a comparison reads on its right, in words: `69%`, or `England's
/// figure, 69%`.
pub fn against(notice: &Notice, right: &crate::eval::trace::Reading) -> String {
    let w = Words { notice };
    match (&right.value, right.terms.as_slice()) {
        (Ok(v), [t]) if matches!(t.read, crate::eval::trace::TermRead::Const(_)) => v.to_string(),
        (Ok(v), _) => format!("{v} ({})", w.reading_name(right)),
        (Err(_), _) => w.reading_name(right),
    }
}

/// What a comparison reads on its left, in words: the metric's label.
pub fn subject(notice: &Notice, left: &crate::eval::trace::Reading) -> String {
    Words { notice }.reading_name(left)
}

/// The requirement a measure is judged on for its one line: for amber, the
/// one that makes it amber; else its first `require` not met, its first
/// verdict not met, or its first.
pub fn deciding(requirements: &[Verdict], amber: Option<Amber>) -> Option<&Verdict> {
    use crate::ast::Kind;
    use crate::eval::Status;
    let find = |p: &dyn Fn(&Verdict) -> bool| requirements.iter().find(|v| p(v));
    let amber_one = match amber {
        Some(Amber::MetLate) => find(&|v| v.status == Status::MetLate),
        Some(Amber::AtRisk { .. }) => find(&|v| v.at_risk.is_some()),
        Some(Amber::DueSoon { deadline }) => {
            find(&|v| v.status == Status::NotYetDue && v.deadline == Some(deadline))
        }
        Some(Amber::ExpectationMissed) => find(&|v| {
            v.kind == Kind::Expect && matches!(v.status, Status::NotMet | Status::MetLate)
        }),
        None => None,
    };
    amber_one
        .or_else(|| find(&|v| v.kind == Kind::Require && v.status == Status::NotMet))
        .or_else(|| find(&|v| v.status == Status::NotMet))
        .or_else(|| requirements.first())
}

/// What falls due at a recurring duty's next date: `the quarter's record
/// (every quarter until 31 December 2012)`.
pub fn next_period(d: &crate::check::model::Deadline) -> String {
    use crate::check::model::DeadlineKind;
    match d.kind {
        DeadlineKind::Every { period, .. } => format!(
            "this {}'s record (every {} until {})",
            super::period_name(period, 1),
            super::period_name(period, 1),
            date(d.date)
        ),
        DeadlineKind::Rolling { every, .. } => format!(
            "the next record (at least every {} until {})",
            super::duration(every),
            date(d.date)
        ),
        DeadlineKind::By | DeadlineKind::After => date(d.date),
    }
}
