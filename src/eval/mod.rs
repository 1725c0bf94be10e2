//! Evaluation of a checked notice against a data set as of a date.
//!
//! Only data dated on or before the evaluation date is seen. A requirement
//! with a deadline is judged twice: as of its deadline (did it hold in time?)
//! and as of the evaluation date (does it hold now?). See `docs/language.md`
//! for the table of statuses.
//!
//! Evaluation builds no sentences: every verdict carries a typed
//! [`trace::Finding`] tree, and `report::prose` writes the English.
//!
//! The jobs, one module each (private; what they make is re-exported here):
//! `status` (the status algebra), `judge` (deadlines and verdicts), `cond`
//! (conditions), `read` (values through windows and policies), `trend`
//! (slopes and projections), `periods` (recurring and sustained), `timeline`
//! (many dates), `screen` (every area of a national data set) and `views`
//! (one measure, one owner, one area, by name).

mod cond;
mod judge;
mod notes;
mod periods;
mod read;
mod screen;
mod status;
mod timeline;
pub mod trace;
mod trend;
mod views;

use crate::ast::{Kind, MissingPolicy};
use crate::check::model::{DeadlineKind, Notice, Requirement};
use crate::data::{DataSet, Provenance};
use crate::time::Date;

pub use judge::Evaluator;
pub(crate) use read::MEAN_PLACES;
pub use screen::{screen, AreaStatus, Screen};
pub use status::{Status, Truth};
pub use timeline::{
    month_steps, steps, timeline, timeline_of_statuses, Change, Timeline, MAX_STEPS,
};
pub use trace::{Finding, Note, Projection, Timing};
pub(crate) use trend::MIN_TREND_POINTS;
pub use views::{area_of, for_area, measure_index, owned_by, screenable};

/// The outcome of evaluating a notice.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Outcome {
    /// The notice's identifier.
    pub notice: String,
    /// The evaluation date.
    pub as_of: Date,
    /// The knowledge date: only figures and records published on or before
    /// it were read; `None` when every version was read (`--known-at latest`).
    pub known_at: Option<Date>,
    /// The worst of the measures' statuses.
    pub status: Status,
    /// Each measure's outcome, in the notice's order.
    pub measures: Vec<MeasureOutcome>,
    /// When only one owner's part is shown ([`Outcome::owned_by`]): that owner.
    pub owner: Option<String>,
}

impl Outcome {
    /// Whether some `require` is not met (exit code 1).
    pub fn has_unmet_requirement(&self) -> bool {
        self.measures
            .iter()
            .any(MeasureOutcome::has_unmet_requirement)
    }
}

/// The outcome of one measure.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MeasureOutcome {
    /// Index of the measure in the notice.
    pub index: usize,
    /// The worst of its `require` verdicts (of its `expect`s if it has none).
    pub status: Status,
    /// A verdict for each requirement.
    pub requirements: Vec<Verdict>,
}

impl MeasureOutcome {
    /// A measure's outcome from its verdicts: the worst of its `require`
    /// verdicts, of its `expect` verdicts if it has none, `unknown` if none.
    pub fn of(index: usize, requirements: Vec<Verdict>) -> MeasureOutcome {
        let required = requirements
            .iter()
            .filter(|v| v.kind == Kind::Require)
            .map(|v| v.status);
        let status = Status::worst(required)
            .or_else(|| Status::worst(requirements.iter().map(|v| v.status)))
            .unwrap_or(Status::Unknown);
        MeasureOutcome {
            index,
            status,
            requirements,
        }
    }

    /// Whether one of its `require`s is not met.
    pub fn has_unmet_requirement(&self) -> bool {
        self.requirements
            .iter()
            .any(|v| v.kind == Kind::Require && v.status == Status::NotMet)
    }
}

/// A notice's status: the worst of its `require` verdicts (`met` if it
/// has none). Only `require` decides it: an `expect` warns.
pub(crate) fn notice_status(measures: &[MeasureOutcome]) -> Status {
    let required = measures
        .iter()
        .flat_map(|m| &m.requirements)
        .filter(|v| v.kind == Kind::Require)
        .map(|v| v.status);
    Status::worst(required).unwrap_or(Status::Met)
}

impl Outcome {
    /// The part of the outcome owed by `owner` (case and surrounding blanks
    /// aside): its requirements, in measures with the same combining rules.
    /// `None` when nothing of the notice is owed by that name.
    pub fn owned_by(&self, notice: &Notice, owner: &str) -> Option<Outcome> {
        let wanted = owner.trim().to_lowercase();
        let owes = |index: usize, v: &Verdict| {
            notice
                .measures
                .get(index)
                .and_then(|m| m.requirements.get(v.index))
                .is_some_and(|r| r.owner.trim().to_lowercase() == wanted)
        };
        let measures: Vec<MeasureOutcome> = self
            .measures
            .iter()
            .filter_map(|m| {
                let kept: Vec<Verdict> = m
                    .requirements
                    .iter()
                    .filter(|v| owes(m.index, v))
                    .cloned()
                    .collect();
                (!kept.is_empty()).then(|| MeasureOutcome::of(m.index, kept))
            })
            .collect();
        if measures.is_empty() {
            return None;
        }
        Some(Outcome {
            notice: self.notice.clone(),
            as_of: self.as_of,
            known_at: self.known_at,
            status: notice_status(&measures),
            measures,
            owner: Some(owner.trim().to_string()),
        })
    }
}

/// The verdict on one requirement, with the findings that decided it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Verdict {
    /// Its status.
    pub status: Status,
    /// `require` or `expect`.
    pub kind: Kind,
    /// Index of the requirement in its measure.
    pub index: usize,
    /// The deadline, if any.
    pub deadline: Option<Date>,
    /// What the condition came to as of the evaluation date (for a
    /// recurring duty, period by period).
    pub finding: Finding,
    /// How the deadline entered the verdict.
    pub timing: Timing,
    /// The data rows that decided it.
    pub sources: Vec<Provenance>,
    /// What else a reader should know: stale data, a value carried forward.
    pub notes: Vec<Note>,
    /// For a requirement not yet due: the projection that says it will miss its deadline.
    pub at_risk: Option<Projection>,
}

/// Evaluates every measure of a notice as of `as_of`.
pub fn evaluate(notice: &Notice, data: &DataSet, as_of: Date) -> Outcome {
    evaluate_with(notice, data, as_of, Options::default())
}

/// How an evaluation reads its data.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Which figures and records had been published (the second time axis).
    pub known: Knowledge,
}

/// The knowledge date of an evaluation: which publications it reads. A
/// figure or record without a publication date is known from its own date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Knowledge {
    /// What had been published by the evaluation date (the default): an
    /// evaluation as of a past date, and each step of a timeline, see what
    /// a board could have known then.
    #[default]
    AsOf,
    /// What had been published by this date (`--known-at D`).
    At(Date),
    /// Every version, however late (`--known-at latest`).
    Latest,
}

impl Knowledge {
    /// `latest`, or a date as `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Knowledge> {
        if text == "latest" {
            Some(Knowledge::Latest)
        } else {
            crate::time::parse_date(text).map(Knowledge::At)
        }
    }

    /// The publication cut-off of an evaluation as of `as_of`, if any.
    pub fn cutoff(self, as_of: Date) -> Option<Date> {
        match self {
            Knowledge::AsOf => Some(as_of),
            Knowledge::At(d) => Some(d),
            Knowledge::Latest => None,
        }
    }
}

/// Evaluates every measure of a notice as of `as_of`, with `options`.
pub fn evaluate_with(notice: &Notice, data: &DataSet, as_of: Date, options: Options) -> Outcome {
    Evaluator::new(notice, data, options).evaluate(as_of)
}

/// What judging one requirement reads with.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    notice: &'a Notice,
    data: &'a DataSet,
    known_at: Option<Date>,
    /// The requirement's own missing-data policy, over the metrics'.
    missing: Option<MissingPolicy>,
    /// The first day a record may be dated to meet the requirement: the
    /// notice's date, or an `after` deadline's (see `cond::evidence`).
    records_from: Date,
    /// Once a deadline has passed, the day comparators (figures about
    /// another area) are read as of: they stand as they stood at it.
    comparators_at: Option<Date>,
}

impl<'a> Ctx<'a> {
    /// The context for judging one requirement, with publications known by `known_at`.
    fn new(notice: &'a Notice, data: &'a DataSet, known_at: Option<Date>, r: &Requirement) -> Self {
        Ctx {
            notice,
            data,
            known_at,
            missing: r.missing,
            records_from: match &r.deadline {
                Some(d) if d.kind == DeadlineKind::After => d.date.max(notice.issued),
                _ => notice.issued,
            },
            comparators_at: None,
        }
    }

    /// The same context after `deadline` has passed: a comparator is read as
    /// it stood at the deadline, so a target met on time is not turned red,
    /// nor a miss green, by a national figure published for a later date.
    fn after_deadline(self, deadline: Date) -> Self {
        Ctx {
            comparators_at: Some(deadline),
            ..self
        }
    }
}
