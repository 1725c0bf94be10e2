//! What changed since the last paper: the measures whose status changed
//! (the changes `notice timeline` shows over the same dates, from the same
//! steps), the evidence and figures that became known, and the deadlines
//! that passed.

use serde::Serialize;

use crate::check::model::DeadlineKind;
use crate::check::Notice;
use crate::data::DataSet;
use crate::eval::{Outcome, Status, Timeline};
use crate::time::Date;

use super::{change_rows, prose, statuses_of, ChangeRow, StatusWords};

/// The "changed since" box.
#[derive(Debug, Serialize)]
pub struct SinceBox {
    /// The last paper's date, as people write it.
    pub date: String,
    /// Every change of a measure's status between the two papers.
    pub changes: Vec<ChangeRow>,
    /// Records that became known since.
    pub evidence: Vec<NewEvidence>,
    /// Figures of the council's that became known since.
    pub figures: Vec<NewFigure>,
    /// Deadlines that passed since, with the requirement's status now.
    pub deadlines: Vec<PassedDeadline>,
    /// Each measure's status at the last paper, by its index in the notice.
    #[serde(skip)]
    pub(crate) previous: Vec<(usize, Status)>,
}

/// A record that became known since the last paper.
#[derive(Debug, Serialize)]
pub struct NewEvidence {
    /// Its date, as people write it.
    pub date: String,
    /// The evidence kind, by its label.
    pub what: String,
    /// Its reference.
    pub reference: String,
}

/// A figure that became known since the last paper.
#[derive(Debug, Serialize)]
pub struct NewFigure {
    /// The date it is for, as people write it.
    pub date: String,
    /// The metric, by its label.
    pub what: String,
    /// The figure as published.
    pub value: String,
}

/// A deadline that passed since the last paper, with the measures due then.
#[derive(Debug, Serialize)]
pub struct PassedDeadline {
    /// The date, as people write it.
    pub date: String,
    /// What fell due: the milestone by its label.
    pub what: String,
    /// Each measure due then, with the worst status now of its requirements due then.
    pub measures: Vec<DueMeasure>,
}

/// A measure due at a deadline that passed.
#[derive(Debug, Serialize)]
pub struct DueMeasure {
    /// The measure's number.
    pub id: String,
    /// The status now of its requirements due then (the worst of them).
    pub status: StatusWords,
}

/// A measure's number and the statuses of its requirements due at one deadline.
type MeasureDue = (String, Vec<Status>);

/// The box, from a timeline whose first step is the last paper's date and
/// whose last is this paper's.
pub(super) fn since_box(
    notice: &Notice,
    data: &DataSet,
    outcome: &Outcome,
    timeline: &Timeline,
) -> SinceBox {
    let since = timeline.steps.first().copied().unwrap_or(outcome.as_of);
    let as_of = outcome.as_of;
    let kept: Vec<usize> = outcome.measures.iter().map(|m| m.index).collect();
    let new = |date: Date, known: Date| date <= as_of && known > since && known <= as_of;
    let mut evidence: Vec<(Date, NewEvidence)> = notice
        .evidence_ids()
        .flat_map(|(id, kind)| {
            data.evidence(id)
                .iter()
                .filter(|r| new(r.date, r.known_from()))
                .map(move |r| {
                    (
                        r.date,
                        NewEvidence {
                            date: prose::date(r.date),
                            what: prose::labelled(kind.description.as_deref(), &kind.name),
                            reference: r.reference.clone(),
                        },
                    )
                })
        })
        .collect();
    evidence.sort_by_key(|(d, _)| *d);
    let mut figures: Vec<(Date, NewFigure)> = notice
        .metric_ids()
        .flat_map(|(id, metric)| {
            data.series(id, None)
                .iter()
                .filter(|o| new(o.date, o.known_from()))
                .map(move |o| {
                    (
                        o.date,
                        NewFigure {
                            date: prose::date(o.date),
                            what: prose::labelled(metric.description.as_deref(), &metric.name),
                            value: o.value.to_string(),
                        },
                    )
                })
        })
        .collect();
    figures.sort_by_key(|(d, _)| *d);
    // (date, what) → each measure's statuses of the requirements due then.
    let mut due: Vec<(Date, String, Vec<MeasureDue>)> = Vec::new();
    for (_, measure, v, d) in super::with_deadlines(notice, outcome) {
        let passed = matches!(d.kind, DeadlineKind::By | DeadlineKind::After)
            && d.date > since
            && d.date <= as_of;
        if !passed {
            continue;
        }
        let what =
            prose::written_words(notice, &d.written).unwrap_or_else(|| "deadline".to_string());
        let at = match due.iter().position(|(x, w, _)| *x == d.date && *w == what) {
            Some(at) => at,
            None => {
                due.push((d.date, what, Vec::new()));
                due.len() - 1
            }
        };
        let Some((_, _, measures)) = due.get_mut(at) else {
            continue;
        };
        match measures.iter_mut().find(|(id, _)| *id == measure.id) {
            Some((_, statuses)) => statuses.push(v.status),
            None => measures.push((measure.id.clone(), vec![v.status])),
        }
    }
    due.sort_by_key(|(d, _, _)| *d);
    let deadlines = due
        .into_iter()
        .map(|(d, what, measures)| PassedDeadline {
            date: prose::date(d),
            what,
            measures: measures
                .into_iter()
                .map(|(id, statuses)| DueMeasure {
                    id,
                    status: StatusWords::of(Status::worst(statuses).unwrap_or(Status::Unknown)),
                })
                .collect(),
        })
        .collect();
    SinceBox {
        date: prose::date(since),
        changes: change_rows(notice, timeline, &kept),
        evidence: evidence.into_iter().map(|(_, e)| e).collect(),
        figures: figures.into_iter().map(|(_, f)| f).collect(),
        deadlines,
        previous: kept
            .iter()
            .filter_map(|&i| Some((i, *statuses_of(timeline, i).first()?)))
            .collect(),
    }
}
