//! A paper's measures: each in full, the exceptions in a line each, their
//! figures against their targets, and the deadlines to come.

use serde::Serialize;

use crate::ast::Direction;
use crate::ast::Kind;
use crate::check::model::{Deadline, DeadlineKind};
use crate::check::Notice;
use crate::data::DataSet;
use crate::eval::trace::{Detail, Finding, TermRead};
use crate::eval::{MeasureOutcome, Outcome, Status, Timeline, Verdict};
use crate::time::Date;

use super::charts::{self, ChartPart};
use super::rag::{Amber, Rag, RagWords};
use super::{anchor, prose, statuses_of, StatusWords};
use crate::report::prose::board;

/// One measure, in full.
#[derive(Debug, Serialize)]
pub struct MeasurePart {
    /// Its number.
    pub id: String,
    /// Its anchor in the paper.
    pub anchor: String,
    /// Its title.
    pub title: String,
    /// Its reading.
    pub rag: RagWords,
    /// Why it reads amber, if it does.
    pub amber: Option<String>,
    /// Its status.
    pub status: StatusWords,
    /// Who owes it.
    pub owner: String,
    /// Its next deadline, as people write it.
    pub next_deadline: Option<String>,
    /// The notice's own words.
    pub text: Option<String>,
    /// Each requirement.
    pub requirements: Vec<RequirementPart>,
    /// A chart for each metric its requirements read.
    pub charts: Vec<ChartPart>,
}

/// One requirement, in plain English.
#[derive(Debug, Serialize)]
pub struct RequirementPart {
    /// `Required` or `Expected (a warning if not met)`.
    pub kind: &'static str,
    /// What it comes to, in a few words.
    pub headline: String,
    /// The rule as written (shown as a detail, not a heading).
    pub rule: String,
    /// Its status.
    pub status: StatusWords,
    /// Who owes it.
    pub owner: String,
    /// Why, with the values and the deadline.
    pub reason: String,
    /// Notes: stale data, values carried forward, late reports, the projection.
    pub notes: Vec<String>,
    /// Each record found: date and reference.
    pub evidence: Vec<EvidenceLine>,
    /// The data rows cited, as `file:line` from the notice's folder.
    pub rows: Vec<String>,
}

/// A record of the evidence trail.
#[derive(Debug, Serialize)]
pub struct EvidenceLine {
    /// Its date, as people write it.
    pub date: String,
    /// Its reference.
    pub reference: String,
}

/// A measure off track or needing attention, in one line.
#[derive(Debug, Serialize)]
pub struct Exception {
    /// Its number.
    pub id: String,
    /// Its anchor in the paper.
    pub anchor: String,
    /// Its title.
    pub title: String,
    /// Its reading.
    pub rag: RagWords,
    /// Its status.
    pub status: StatusWords,
    /// What is wrong, in a few words.
    pub what: String,
    /// Since when (`overdue since 23 July 2012`), or why amber.
    pub since: Option<String>,
    /// Who owes it.
    pub owner: String,
}

/// A deadline still to come.
#[derive(Debug, Serialize)]
pub struct NextDeadline {
    /// The date, as people write it.
    pub date: String,
    /// The measure's number.
    pub measure: String,
    /// Its anchor in the paper.
    pub anchor: String,
    /// Its title.
    pub title: String,
    /// What falls due: the milestone by its label, or the duty's next period.
    pub what: String,
}

pub(super) fn measure_part(
    notice: &Notice,
    data: &DataSet,
    outcome: &Outcome,
    m: &MeasureOutcome,
) -> MeasurePart {
    let measure = &notice.measures[m.index];
    // Rows are named from the notice's folder, whatever path it was given by.
    let folder = notice.folder.as_path();
    let requirements = m
        .requirements
        .iter()
        .filter_map(|v| {
            let r = measure.requirements.get(v.index)?;
            let mut notes: Vec<String> = v.notes.iter().map(|n| prose::note(notice, n)).collect();
            if let Some(risk) = &v.at_risk {
                notes.push(prose::at_risk(notice, risk));
            }
            // A record the reason already names is not listed again.
            let mut evidence = Vec::new();
            if !matches!(v.finding.detail, Detail::Evidence { .. }) {
                records(&v.finding, &mut evidence);
            }
            evidence.sort_by_key(|(d, _)| *d);
            Some(RequirementPart {
                kind: match v.kind {
                    Kind::Require => "Required",
                    Kind::Expect => "Expected (a warning if not met)",
                },
                headline: board::headline(notice, &v.finding),
                rule: r.rule.clone(),
                status: StatusWords::of(v.status),
                owner: r.owner.clone(),
                reason: prose::reason(notice, r, v),
                notes,
                evidence: evidence
                    .into_iter()
                    .map(|(date, reference)| EvidenceLine {
                        date: prose::date(date),
                        reference,
                    })
                    .collect(),
                rows: v
                    .sources
                    .iter()
                    .map(|p| data.describe_within(*p, folder))
                    .collect(),
            })
        })
        .collect();
    let (rag, amber) = super::rag::reading(m, outcome.as_of);
    let next = next_due(notice, m, outcome.as_of);
    MeasurePart {
        id: measure.id.clone(),
        anchor: anchor(m.index),
        title: measure.title.clone(),
        rag: RagWords::of(rag),
        amber: amber.map(board::amber_why),
        status: StatusWords::of(m.status),
        owner: measure.owner.clone(),
        next_deadline: next.as_ref().map(|(d, _)| prose::date(*d)),
        text: measure.text.clone(),
        requirements,
        charts: charts::measure_charts(notice, data, measure, m, outcome.as_of, next.map(|n| n.0)),
    }
}

/// The records a finding rests on, once each.
fn records(f: &Finding, out: &mut Vec<(Date, String)>) {
    let mut push = |date: Date, reference: &str| {
        if !out.iter().any(|(d, r)| *d == date && r == reference) {
            out.push((date, reference.to_string()));
        }
    };
    match &f.detail {
        Detail::Evidence {
            record: Some(r), ..
        } => push(r.date, &r.reference),
        Detail::Compare { left, right, .. } => {
            for t in left.terms.iter().chain(&right.terms) {
                if let TermRead::Records(c) = &t.read {
                    for r in &c.records {
                        push(r.date, &r.reference);
                    }
                }
            }
        }
        _ => {
            for child in f.children() {
                records(child.finding(), out);
            }
        }
    }
}

/// The red and amber measures, red first, each with what is wrong and since when.
pub(super) fn exceptions(
    notice: &Notice,
    data: &DataSet,
    outcome: &Outcome,
    readings: &[(usize, Rag, Option<Amber>)],
    timeline: &Timeline,
) -> Vec<Exception> {
    let mut out: Vec<(Rag, usize, Exception)> = Vec::new();
    for (order, (m, (_, rag, amber))) in outcome.measures.iter().zip(readings).enumerate() {
        if !matches!(rag, Rag::Red | Rag::Amber) {
            continue;
        }
        let Some(measure) = notice.measures.get(m.index) else {
            continue;
        };
        let deciding = board::deciding(&m.requirements, *amber);
        let since = match amber {
            Some(why) => Some(board::amber_why(*why)),
            None => {
                let overdue = deciding
                    .filter(|v| v.status == Status::NotMet)
                    .and_then(|v| {
                        let r = measure.requirements.get(v.index)?;
                        let d = r.deadline.as_ref()?;
                        (d.kind == DeadlineKind::By && d.date <= outcome.as_of).then_some(d.date)
                    });
                board::off_track_since(overdue, became(timeline, m.index, m.status))
            }
        };
        out.push((
            *rag,
            order,
            Exception {
                id: measure.id.clone(),
                anchor: anchor(m.index),
                title: measure.title.clone(),
                rag: RagWords::of(*rag),
                status: StatusWords::of(m.status),
                what: match figure(notice, data, m, *amber) {
                    Some((subject, figure)) => format!("{subject}: {figure}"),
                    None => {
                        deciding.map_or_else(String::new, |v| board::headline(notice, &v.finding))
                    }
                },
                since,
                owner: deciding
                    .and_then(|v| measure.requirements.get(v.index))
                    .map_or_else(|| measure.owner.clone(), |r| r.owner.clone()),
            },
        ));
    }
    out.sort_by_key(|(r, order, _)| (*r, *order));
    out.into_iter().map(|(_, _, e)| e).collect()
}

/// The first step of the current run of a status, if it began after the first step.
fn became(timeline: &Timeline, index: usize, status: crate::eval::Status) -> Option<Date> {
    let statuses = statuses_of(timeline, index);
    let run = statuses.iter().rev().take_while(|s| **s == status).count();
    let first = statuses.len().checked_sub(run)?;
    (first > 0)
        .then(|| timeline.steps.get(first).copied())
        .flatten()
}

/// A measure's figure against its target, and what it is a figure of: the
/// comparison its deciding requirement turned on, when it reads one figure
/// of the council's own.
pub(super) fn figure(
    notice: &Notice,
    data: &DataSet,
    m: &MeasureOutcome,
    amber: Option<Amber>,
) -> Option<(String, String)> {
    let v: &Verdict = board::deciding(&m.requirements, amber)?;
    let compare = first_compare(&v.finding)?;
    let Detail::Compare {
        left, op, right, ..
    } = &compare.detail
    else {
        return None;
    };
    let value = left.value.as_ref().ok()?;
    let [term] = left.terms.as_slice() else {
        return None;
    };
    let TermRead::Metric(read) = &term.read else {
        return None;
    };
    if read.area.is_some() || read.aggregate != crate::ast::Aggregate::Latest {
        return None;
    }
    let previous = read.latest.and_then(|latest| {
        let before = data
            .series(read.metric, None)
            .iter()
            .rev()
            .find(|o| o.date < latest)?;
        let higher = notice
            .metric(read.metric)
            .and_then(|m| m.direction)
            .map(|d| d == Direction::HigherIsBetter);
        Some((&before.value, before.date, higher))
    });
    Some((
        board::subject(notice, left),
        board::figure(value, previous, Some((*op, board::against(notice, right)))),
    ))
}

/// The comparison a finding turned on: the first of its deciding parts (or
/// periods) that reads one, else the first of any.
fn first_compare(f: &Finding) -> Option<&Finding> {
    if matches!(f.detail, Detail::Compare { .. }) {
        return Some(f);
    }
    let children = f.children();
    let decided = |c: &crate::eval::trace::Child<'_>| c.finding().decisive() == f.decisive();
    children
        .iter()
        .filter(|c| decided(c))
        .chain(children.iter().filter(|c| !decided(c)))
        .find_map(|c| first_compare(c.finding()))
}

/// A measure's next deadline after the evaluation date, and what falls due:
/// a deadline to come, or a recurring duty's next period.
pub(super) fn next_due(notice: &Notice, m: &MeasureOutcome, as_of: Date) -> Option<(Date, String)> {
    let measure = notice.measures.get(m.index)?;
    m.requirements
        .iter()
        .filter_map(|v| {
            let d = measure.requirements.get(v.index)?.deadline.as_ref()?;
            due_after(notice, d, v, as_of)
        })
        .min_by_key(|(d, _)| *d)
}

fn due_after(notice: &Notice, d: &Deadline, v: &Verdict, as_of: Date) -> Option<(Date, String)> {
    match d.kind {
        DeadlineKind::By | DeadlineKind::After => (d.date > as_of).then(|| {
            let what =
                prose::written_words(notice, &d.written).unwrap_or_else(|| "deadline".to_string());
            (d.date, what)
        }),
        DeadlineKind::Every { .. } | DeadlineKind::Rolling { .. } => {
            let Detail::Recurring { to_come, .. } = &v.finding.detail else {
                return None;
            };
            let next = to_come.iter().map(|s| s.end).find(|end| *end > as_of)?;
            Some((next, prose::board::next_period(d)))
        }
    }
}

/// The deadlines still to come, soonest first: one a requirement.
pub(super) fn next_deadlines(notice: &Notice, outcome: &Outcome) -> Vec<NextDeadline> {
    let mut out: Vec<(Date, NextDeadline)> = Vec::new();
    for (index, measure, v, d) in super::with_deadlines(notice, outcome) {
        let Some((date, what)) = due_after(notice, d, v, outcome.as_of) else {
            continue;
        };
        if out
            .iter()
            .any(|(x, n)| *x == date && n.measure == measure.id && n.what == what)
        {
            continue;
        }
        out.push((
            date,
            NextDeadline {
                date: prose::date(date),
                measure: measure.id.clone(),
                anchor: anchor(index),
                title: measure.title.clone(),
                what,
            },
        ));
    }
    out.sort_by_key(|(d, _)| *d);
    out.into_iter().take(6).map(|(_, n)| n).collect()
}
