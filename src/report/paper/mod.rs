//! The board paper: a notice's verdicts as an improvement board reads them,
//! in HTML (one self-contained file) or Markdown. It opens with what a
//! board acts on (counts by red, amber and green, the measures off track or
//! needing attention, what changed since the last paper, the next
//! deadlines), then each measure in full, then the status strip. The
//! content is built here as data, in the notice's own words; the templates
//! in `templates/` lay it out, through minijinja (a well-kept template
//! engine whose HTML templates escape every value).

mod charts;
mod measures;
pub mod rag;
mod render;
mod since;

use serde::Serialize;

use crate::check::model::{Deadline, Measure};
use crate::check::Notice;
use crate::data::DataSet;
use crate::eval::{self, Options, Outcome, Status, Timeline};
use crate::time::Date;

use super::prose;
use rag::{Rag, RagWords};

pub use charts::ChartPart;
pub use measures::{EvidenceLine, Exception, MeasurePart, NextDeadline, RequirementPart};
pub use render::{html, markdown};
pub use since::{DueMeasure, NewEvidence, NewFigure, PassedDeadline, SinceBox};

/// What a paper covers besides the outcome it shows.
#[derive(Debug, Clone, Default)]
pub struct PaperOptions {
    /// How the outcome was evaluated (the knowledge date), for the strip.
    pub eval: Options,
    /// The date of the last paper: what changed since is shown first.
    pub since: Option<Date>,
    /// Only this owner's part (the outcome given is already that part).
    pub owner: Option<String>,
}

/// Everything a board paper shows.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Paper {
    /// The notice's identifier.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The council.
    pub authority: String,
    /// The date of issue, as people write it.
    pub issued: String,
    /// The evaluation date, as people write it.
    pub as_of: String,
    /// The knowledge date, or "every version".
    pub known_at: String,
    /// The notice's status.
    pub status: StatusWords,
    /// With `--owner`: whose part this paper shows.
    pub owner: Option<String>,
    /// How many measures read red, amber, unknown, not yet due and green.
    pub tiles: Vec<Tile>,
    /// Red and amber measures, red first, each in one line.
    pub exceptions: Vec<Exception>,
    /// What changed since the last paper, when its date is given.
    pub since: Option<SinceBox>,
    /// Whether measures are owed by more than one owner (else no owner column).
    pub show_owner: bool,
    /// Measures by owner and reading, when more than one owner owes them.
    pub owners: Vec<OwnerRow>,
    /// The next deadlines after the evaluation date, soonest first.
    pub next_deadlines: Vec<NextDeadline>,
    /// Every measure, exceptions first, for the summary table.
    pub summary: Vec<SummaryRow>,
    /// The measures in the notice's order, by group, in full.
    pub groups: Vec<Group>,
    /// The dates of the status strip's columns (at most the last 12 steps).
    pub strip_dates: Vec<String>,
    /// How many earlier steps the strip leaves out.
    pub strip_omitted: usize,
    /// When the notice's life has more steps than a timeline takes: the
    /// first step read, before which changes are not listed.
    pub changes_from: Option<String>,
    /// Each measure's status at each step of the strip.
    pub strip: Vec<StripRow>,
    /// Every change of a measure's status over the notice's life, in date order.
    pub changes: Vec<ChangeRow>,
    /// The key to the status symbols.
    pub key: Vec<StatusWords>,
    /// The key to the readings.
    pub rag_key: Vec<RagWords>,
}

/// A status as a word and a symbol (never colour alone), with a class for styling.
#[derive(Debug, Clone, Serialize)]
pub struct StatusWords {
    /// `met`, `met late`, `not met`, `not yet due`, `unknown`.
    pub word: &'static str,
    /// `✓`, `~`, `✗`, `·`, `?`.
    pub symbol: &'static str,
    /// `met`, `met_late`, ... (for the style sheet).
    pub class: &'static str,
}

impl StatusWords {
    pub(crate) fn of(status: Status) -> StatusWords {
        StatusWords {
            word: prose::status_words(status),
            symbol: prose::status_symbol(status),
            class: status.as_str(),
        }
    }
}

/// How many measures read one way.
#[derive(Debug, Serialize)]
pub struct Tile {
    /// The reading.
    pub rag: RagWords,
    /// How many measures.
    pub measures: usize,
}

/// One owner's measures by reading.
#[derive(Debug, Serialize)]
pub struct OwnerRow {
    /// The owner.
    pub owner: String,
    /// Red, amber, unknown, not yet due, green: how many of the measures it owes part of.
    pub counts: Vec<usize>,
}

/// A row of the summary table.
#[derive(Debug, Serialize)]
pub struct SummaryRow {
    /// The measure's number.
    pub id: String,
    /// Its anchor in the paper.
    pub anchor: String,
    /// Its title.
    pub title: String,
    /// Its group, if it stands under one.
    pub group: Option<String>,
    /// Its reading.
    pub rag: RagWords,
    /// Its status.
    pub status: StatusWords,
    /// Its status at the last paper, when `since` is given.
    pub previous: Option<StatusWords>,
    /// Who owes it, or a part of it: its owner, then its requirements' other owners.
    pub owners: Vec<String>,
    /// Its next deadline, as people write it.
    pub next_deadline: Option<String>,
}

/// A heading of the notice and its measures.
#[derive(Debug, Serialize)]
pub struct Group {
    /// The heading, if the measures stand under one.
    pub name: Option<String>,
    /// Its measures.
    pub measures: Vec<MeasurePart>,
}

/// A measure's statuses along the strip.
#[derive(Debug, Serialize)]
pub struct StripRow {
    /// The measure's number.
    pub id: String,
    /// Its anchor in the paper.
    pub anchor: String,
    /// One status a step.
    pub cells: Vec<StatusWords>,
}

/// A change of status.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    /// When, as people write it.
    pub date: String,
    /// The measure's number.
    pub measure: String,
    /// Its title.
    pub title: String,
    /// From.
    pub from: StatusWords,
    /// To.
    pub to: StatusWords,
}

/// The most steps the strip shows: the last ones, with a note of the rest.
const STRIP_STEPS: usize = 12;

/// The paper of a notice as of an evaluation (the outcome, already one
/// owner's part when `options.owner` is given).
pub fn paper(notice: &Notice, data: &DataSet, outcome: &Outcome, options: &PaperOptions) -> Paper {
    let as_of = outcome.as_of;
    // The strip's steps, at most as many as a timeline takes (the last ones).
    let all_steps = eval::month_steps(notice.issued.min(as_of), as_of);
    let cut = all_steps.len().saturating_sub(eval::MAX_STEPS);
    let steps = all_steps.get(cut..).unwrap_or_default().to_vec();
    let timeline = statuses_over(notice, data, &steps, options);
    let readings: Vec<(usize, Rag, Option<rag::Amber>)> = outcome
        .measures
        .iter()
        .map(|m| {
            let (r, why) = rag::reading(m, as_of);
            (m.index, r, why)
        })
        .collect();
    let tiles = rag::ORDER
        .iter()
        .map(|&r| Tile {
            rag: RagWords::of(r),
            measures: readings.iter().filter(|(_, x, _)| *x == r).count(),
        })
        .collect();
    let since = options.since.map(|d| {
        since::since_box(
            notice,
            data,
            outcome,
            &statuses_over(
                notice,
                data,
                &eval::month_steps(d.min(as_of), as_of),
                options,
            ),
        )
    });
    let parts: Vec<MeasurePart> = outcome
        .measures
        .iter()
        .map(|m| measures::measure_part(notice, data, outcome, m))
        .collect();
    let exceptions = measures::exceptions(notice, data, outcome, &readings, &timeline);
    let owners_named: Vec<String> = {
        let mut o: Vec<String> = parts.iter().map(|p| p.owner.clone()).collect();
        o.extend(
            parts
                .iter()
                .flat_map(|p| p.requirements.iter().map(|r| r.owner.clone())),
        );
        o.sort();
        o.dedup();
        o
    };
    let show_owner = owners_named.len() > 1;
    let owners = if show_owner {
        owner_rows(notice, outcome, &readings, &owners_named)
    } else {
        Vec::new()
    };
    let mut summary: Vec<(usize, Rag, SummaryRow)> = outcome
        .measures
        .iter()
        .zip(&readings)
        .enumerate()
        .filter_map(|(order, (m, (_, r, _)))| {
            let measure = notice.measures.get(m.index)?;
            let previous = since.as_ref().and_then(|s| {
                s.previous
                    .iter()
                    .find(|(i, _)| *i == m.index)
                    .map(|(_, st)| StatusWords::of(*st))
            });
            Some((
                order,
                *r,
                SummaryRow {
                    id: measure.id.clone(),
                    anchor: anchor(m.index),
                    title: measure.title.clone(),
                    group: measure.group.clone(),
                    rag: RagWords::of(*r),
                    status: StatusWords::of(m.status),
                    previous,
                    owners: {
                        let mut owners = vec![measure.owner.clone()];
                        for r in &measure.requirements {
                            if !owners.contains(&r.owner) {
                                owners.push(r.owner.clone());
                            }
                        }
                        owners
                    },
                    next_deadline: measures::next_due(notice, m, as_of)
                        .map(|(d, _)| prose::date(d)),
                },
            ))
        })
        .collect();
    summary.sort_by_key(|(order, r, _)| (*r, *order));
    let mut groups: Vec<Group> = Vec::new();
    for part in parts {
        let group = notice
            .measures
            .iter()
            .find(|m| m.id == part.id)
            .and_then(|m| m.group.clone());
        match groups.last_mut() {
            Some(g) if g.name == group => g.measures.push(part),
            _ => groups.push(Group {
                name: group,
                measures: vec![part],
            }),
        }
    }
    let kept: Vec<usize> = outcome.measures.iter().map(|m| m.index).collect();
    let first_shown = steps.len().saturating_sub(STRIP_STEPS);
    let changes_from = (cut > 0)
        .then(|| steps.first().map(|d| prose::date(*d)))
        .flatten();
    let strip = kept
        .iter()
        .filter_map(|&i| {
            let m = notice.measures.get(i)?;
            Some(StripRow {
                id: m.id.clone(),
                anchor: anchor(i),
                cells: timeline
                    .measure_statuses(i)
                    .into_iter()
                    .skip(first_shown)
                    .map(StatusWords::of)
                    .collect(),
            })
        })
        .collect();
    Paper {
        id: notice.id.clone(),
        title: notice.title.clone(),
        authority: notice.authority.clone(),
        issued: prose::date(notice.issued),
        as_of: prose::date(as_of),
        known_at: outcome
            .known_at
            .map_or_else(|| "every version".to_string(), prose::date),
        status: StatusWords::of(outcome.status),
        owner: options.owner.clone(),
        tiles,
        exceptions,
        since,
        show_owner,
        owners,
        next_deadlines: measures::next_deadlines(notice, outcome),
        summary: summary.into_iter().map(|(_, _, row)| row).collect(),
        groups,
        strip_dates: steps
            .iter()
            .skip(first_shown)
            .map(|d| d.format("%-d %b %Y").to_string())
            .collect(),
        strip_omitted: first_shown + cut,
        changes_from,
        strip,
        changes: change_rows(notice, &timeline, &kept),
        key: [
            Status::Met,
            Status::MetLate,
            Status::NotMet,
            Status::NotYetDue,
            Status::Unknown,
        ]
        .into_iter()
        .map(StatusWords::of)
        .collect(),
        rag_key: rag::ORDER.iter().map(|&r| RagWords::of(r)).collect(),
    }
}

/// The measures' statuses at each step (one owner's part, when the paper is
/// one owner's): each step's verdicts are dropped once read, so a strip
/// over two centuries holds statuses, not traces.
fn statuses_over(
    notice: &Notice,
    data: &DataSet,
    steps: &[Date],
    options: &PaperOptions,
) -> Timeline {
    let evaluator = eval::Evaluator::new(notice, data, options.eval);
    let outcomes = steps
        .iter()
        .map(|&d| {
            let mut o = evaluator.evaluate(d);
            if let Some(part) = options.owner.as_ref().and_then(|w| o.owned_by(notice, w)) {
                o = part;
            }
            for m in &mut o.measures {
                m.requirements = Vec::new();
            }
            o
        })
        .collect();
    Timeline {
        steps: steps.to_vec(),
        outcomes,
    }
}

/// A measure's status at each step of a timeline, by its index in the notice
/// (measures a step's outcome leaves out, as an owner's part does, are skipped).
pub(crate) fn statuses_of(timeline: &Timeline, index: usize) -> Vec<Status> {
    timeline
        .outcomes
        .iter()
        .map(|o| {
            o.measures
                .iter()
                .find(|m| m.index == index)
                .map_or(Status::Unknown, |m| m.status)
        })
        .collect()
}

/// Every change of status of the measures shown, in date order.
pub(crate) fn change_rows(notice: &Notice, timeline: &Timeline, kept: &[usize]) -> Vec<ChangeRow> {
    let mut changes: Vec<(Date, usize, ChangeRow)> = Vec::new();
    for (order, &i) in kept.iter().enumerate() {
        let Some(m) = notice.measures.get(i) else {
            continue;
        };
        for c in timeline.changes(&statuses_of(timeline, i)) {
            changes.push((
                c.date,
                order,
                ChangeRow {
                    date: prose::date(c.date),
                    measure: m.id.clone(),
                    title: m.title.clone(),
                    from: StatusWords::of(c.from),
                    to: StatusWords::of(c.to),
                },
            ));
        }
    }
    changes.sort_by_key(|(d, order, _)| (*d, *order));
    changes.into_iter().map(|(_, _, c)| c).collect()
}

/// Each owner's measures by reading: a measure counts for every owner of
/// one of its requirements.
fn owner_rows(
    notice: &Notice,
    outcome: &Outcome,
    readings: &[(usize, Rag, Option<rag::Amber>)],
    owners: &[String],
) -> Vec<OwnerRow> {
    owners
        .iter()
        .map(|owner| {
            let owes = |index: usize| {
                notice.measures.get(index).is_some_and(|m| {
                    m.owner == *owner
                        || outcome
                            .measures
                            .iter()
                            .find(|o| o.index == index)
                            .is_some_and(|o| {
                                o.requirements.iter().any(|v| {
                                    m.requirements
                                        .get(v.index)
                                        .is_some_and(|r| r.owner == *owner)
                                })
                            })
                })
            };
            OwnerRow {
                owner: owner.clone(),
                counts: rag::ORDER
                    .iter()
                    .map(|&r| {
                        readings
                            .iter()
                            .filter(|(i, x, _)| *x == r && owes(*i))
                            .count()
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Each verdict of an outcome whose requirement names a deadline, with its
/// measure's place in the notice, the measure and the deadline.
pub(crate) fn with_deadlines<'a>(
    notice: &'a Notice,
    outcome: &'a Outcome,
) -> impl Iterator<Item = (usize, &'a Measure, &'a eval::Verdict, &'a Deadline)> + 'a {
    outcome.measures.iter().flat_map(move |m| {
        let measure = notice.measures.get(m.index);
        m.requirements.iter().filter_map(move |v| {
            let measure = measure?;
            let d = measure.requirements.get(v.index)?.deadline.as_ref()?;
            Some((m.index, measure, v, d))
        })
    })
}

/// A measure's anchor in the paper, by its place in the notice (an id may
/// hold any character; a place is unique and safe in a URL).
pub(crate) fn anchor(index: usize) -> String {
    format!("measure-{}", index + 1)
}
