//! The judgement trace: what evaluation found, as data. Every verdict
//! carries the tree of findings it was decided on; the renderer
//! (`report::prose`) is the one place they become sentences, and
//! `notice explain`, the diagnostics and the JSON all read this same tree.

use rust_decimal::Decimal;

use crate::ast::{Aggregate, CmpOp, Duration, MissingPolicy, Period};
use crate::check::model::{EvidenceId, MetricId};
use crate::data::Provenance;
use crate::source::Span;
use crate::time::{self, Date, TimeError};
use crate::value::Value;

pub use super::notes::Note;
use super::status::Truth;

/// What a condition came to, and why.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Finding {
    /// Whether it holds.
    pub truth: Truth,
    /// The condition as written in the notice.
    pub span: Span,
    /// What was looked at.
    pub detail: Detail,
}

/// What was looked at for one condition.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Detail {
    /// Two values compared.
    Compare {
        /// The left side as read.
        left: Reading,
        /// The operator.
        op: CmpOp,
        /// The right side as read.
        right: Reading,
        /// A side was missing and the missing-data policy says "not met".
        missing_means_not_met: bool,
    },
    /// A record of a kind of evidence, looked for in a window.
    Evidence {
        /// The kind.
        kind: EvidenceId,
        /// The window's first day, if it has one.
        from: Option<Date>,
        /// The window's last day.
        to: Date,
        /// The earliest record in the window, if any.
        record: Option<Record>,
    },
    /// The sign of a metric's least-squares trend.
    Trend(Box<TrendFinding>),
    /// `all`/`and` (every part must hold) or `any`/`or` (one part must).
    Logic {
        /// Which.
        op: LogicOp,
        /// Every part, in the notice's order.
        parts: Vec<Finding>,
        /// The parts that decided the result (indexes into `parts`).
        deciding: Vec<usize>,
    },
    /// `not`.
    Not(Box<Finding>),
    /// A recurring duty: the condition in each whole period (or rolling
    /// interval) that has ended.
    Recurring {
        /// Calendar periods, or a rolling interval.
        cadence: Cadence,
        /// The duty's first day.
        from: Date,
        /// The duty's last day.
        until: Date,
        /// The periods due by the evaluation date, each judged.
        due: Vec<PeriodFinding>,
        /// The whole periods not yet ended by the evaluation date.
        to_come: Vec<time::Span>,
        /// The evaluation date (a period to come that has started is in progress).
        as_of: Date,
    },
    /// `for N consecutive PERIODS`: the condition in each of the last N.
    Sustained {
        /// The period.
        period: Period,
        /// How many.
        n: u32,
        /// The evaluation date the periods end on or before.
        to: Date,
        /// Each period, judged.
        periods: Vec<PeriodFinding>,
        /// The periods that decided the result (indexes into `periods`).
        deciding: Vec<usize>,
    },
}

/// `all` or `any`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogicOp {
    /// Every part holds.
    All,
    /// At least one part holds.
    Any,
}

/// How a recurring duty is divided: calendar periods, or rolling intervals
/// (`at least every 6 months`: each within 6 months of the record before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cadence {
    /// Whole calendar periods.
    Calendar(Period),
    /// Intervals of at most this long, each starting at the record that
    /// ended the one before (or at the duty's start).
    Rolling(Duration),
}

/// One calendar period (or rolling interval) of a recurring or sustained condition.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PeriodFinding {
    /// The period's kind.
    pub cadence: Cadence,
    /// Its first and last day.
    pub span: time::Span,
    /// The condition within it.
    pub finding: Finding,
    /// For a missed interval of a rolling duty, the condition as the late
    /// record that made up for it met it (the next interval counts from
    /// that record's day).
    pub made_up: Option<Box<Finding>>,
}

/// A dated document that was found.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Record {
    /// Its date.
    pub date: Date,
    /// Its reference as the data gives it.
    pub reference: String,
    /// When it became known, if the data says.
    pub published: Option<Date>,
    /// The row it came from.
    pub source: Provenance,
}

/// A trend and the observations it was computed from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TrendFinding {
    /// The metric.
    pub metric: MetricId,
    /// The area, when not the notice's authority.
    pub area: Option<String>,
    /// `improving` (or `worsening`) was asked for.
    pub improving: bool,
    /// `by at least AMOUNT`, if asked.
    pub by: Option<Decimal>,
    /// With `by`: how far the line moved over the window in the asked
    /// direction (rounded to 4 places), in the metric's unit of movement.
    pub moved: Option<Decimal>,
    /// The window as written.
    pub window: Duration,
    /// The window: after `after`, until `to`. `None` when it could not be computed.
    pub after: Option<Date>,
    /// The window's last day.
    pub to: Date,
    /// The observations in the window, oldest first.
    pub points: Vec<Point>,
    /// What came of them.
    pub outcome: TrendOutcome,
}

/// One observation a trend was computed from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Point {
    /// Its date.
    pub date: Date,
    /// Its value.
    pub value: Value,
    /// Its row.
    pub source: Provenance,
}

/// What a trend came to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrendOutcome {
    /// The direction, against the metric's own: 1 better, -1 worse, 0 flat.
    Direction(i8),
    /// Fewer observations than a trend needs.
    TooFew {
        /// The missing-data policy says "not met".
        missing_means_not_met: bool,
    },
    /// The sums overflow exact arithmetic.
    TooLarge,
    /// The window's start is not a date the engine handles.
    BadWindow(TimeError),
}

/// A value expression as read: each term, and the result.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Reading {
    /// The expression as written.
    pub span: Span,
    /// The terms read, in order; reading stops at the first without a value.
    pub terms: Vec<TermReading>,
    /// The value, or why there is none.
    pub value: Result<Value, Gap>,
}

/// One term of a value expression, as read.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TermReading {
    /// Added or subtracted.
    pub op: crate::ast::AddOp,
    /// The term as written.
    pub span: Span,
    /// A constant, or what was read of a metric.
    pub read: TermRead,
}

/// A constant, or a metric read through its window.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum TermRead {
    /// A constant written in the notice.
    Const(Value),
    /// A metric's observations.
    Metric(Box<MetricRead>),
    /// Records of an evidence kind, counted (`count evidence K ...`).
    Records(Box<RecordCount>),
}

/// The records of a kind counted for one term.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordCount {
    /// The evidence kind.
    pub kind: EvidenceId,
    /// The first day counted.
    pub from: Option<Date>,
    /// The last day counted.
    pub to: Date,
    /// Every record counted, oldest first.
    pub records: Vec<Record>,
}

/// What was read of a metric for one term.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MetricRead {
    /// The metric.
    pub metric: MetricId,
    /// The area, when not the notice's authority.
    pub area: Option<String>,
    /// How the window's observations combine.
    pub aggregate: Aggregate,
    /// The window's first day, if it has one.
    pub from: Option<Date>,
    /// The window's last day.
    pub to: Date,
    /// The missing-data policy that applied.
    pub policy: MissingPolicy,
    /// The value, or why there is none.
    pub value: Result<Value, Gap>,
    /// How many observations were combined.
    pub count: usize,
    /// The date of the latest observation used.
    pub latest: Option<Date>,
    /// The rows the value came from.
    pub sources: Vec<Provenance>,
    /// The window was empty and the value of this date was carried forward.
    pub carried_from: Option<Date>,
    /// The latest value is older than the metric's freshness allows.
    pub stale: Option<Duration>,
    /// Of the observations used that give a publication date, the one
    /// published last: (the date it is for, its publication).
    pub published: Option<(Date, Date)>,
    /// The latest figure in the window published as a symbol instead of a
    /// number (`c`: suppressed), with its row: when no figure was found, or
    /// one newer than the figure read (or, for an aggregate, any in its window).
    pub withheld: Option<(Date, crate::data::Withheld, Provenance)>,
    /// The period the read names (`from A until B`, `over N months`): its
    /// first and last day.
    pub period: Option<(Date, Date)>,
    /// The date of a value from before the notice read because the metric
    /// stands until replaced: it can show a condition false, never true.
    pub standing: Option<Date>,
}

/// Why a value is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Gap {
    /// No observation in the window.
    NoObservation {
        /// The missing-data policy says "not met".
        missing_means_not_met: bool,
        /// For the council's current value: the date of its latest figure
        /// from before the notice, which is a baseline and cannot meet it.
        before_issued: Option<Date>,
    },
    /// A baseline (`at D`) after the evaluation date.
    AfterEvaluation {
        /// The baseline's date.
        date: Date,
    },
    /// The latest value is older than carrying forward allows.
    TooOldToCarry {
        /// Its date.
        date: Date,
        /// How far a value may be carried.
        limit: Duration,
    },
    /// A mean's sum overflows exact arithmetic.
    SumTooLarge,
    /// A mean cannot be divided out.
    CannotDivide,
    /// Adding or subtracting the terms overflows exact arithmetic.
    TooLarge,
    /// The window's start is not a date the engine handles.
    BadWindow(TimeError),
    /// The metric is not in the notice (a checked notice never has this).
    UnknownMetric,
    /// Records are counted for an area whose evidence the data does not hold.
    NoRecordsForArea,
}

impl Gap {
    /// Whether the missing-data policy makes the condition not met.
    pub fn means_not_met(&self) -> bool {
        matches!(
            self,
            Gap::NoObservation {
                missing_means_not_met: true,
                ..
            }
        )
    }
}

/// How a requirement's deadline entered its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Timing {
    /// No deadline: judged as of the evaluation date.
    Open,
    /// `after D`: `started` once D has come.
    AssessedFrom {
        /// Whether assessment has started.
        started: bool,
    },
    /// `by D`: before D, `at_deadline` is `None`; after it, what the
    /// condition was at D (the verdict's finding is the condition now).
    DueBy {
        /// The condition at the deadline, once it has passed.
        at_deadline: Option<Truth>,
    },
    /// `every PERIOD`: the finding lists the periods.
    Recurring,
    /// `for N consecutive ...` before N whole periods of the notice's life
    /// have passed: not yet due until `first` (`None`: past the calendar).
    TooSoon {
        /// The last day of the first run of N whole periods from `issued`.
        first: Option<Date>,
    },
}

/// The projection that puts a requirement not yet due at risk.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Projection {
    /// The metric projected.
    pub metric: MetricId,
    /// How many observations the line was fitted to.
    pub points: usize,
    /// The first of them.
    pub since: Date,
    /// The value the line gives at the deadline.
    pub projected: Value,
    /// The deadline.
    pub deadline: Date,
    /// The comparison required.
    pub op: CmpOp,
    /// The value required.
    pub required: Value,
}

impl Reading {
    /// Whether a term's value is one from before the notice that stands.
    pub fn rests_on_standing(&self) -> bool {
        self.terms
            .iter()
            .any(|t| matches!(&t.read, TermRead::Metric(m) if m.standing.is_some()))
    }

    /// The rows behind the value (none when it is missing).
    pub fn sources(&self) -> Vec<Provenance> {
        let mut out = Vec::new();
        // A figure published as a symbol is the row behind a missing value.
        if self.value.is_err() {
            for t in &self.terms {
                if let TermRead::Metric(m) = &t.read {
                    if let Some((_, _, row)) = m.withheld {
                        out.push(row);
                    }
                }
            }
        }
        if self.value.is_ok() {
            for t in &self.terms {
                match &t.read {
                    // A figure withheld in place of a newer one is cited beside the one read.
                    TermRead::Metric(m) => {
                        out.extend_from_slice(&m.sources);
                        out.extend(m.withheld.map(|(_, _, row)| row));
                    }
                    TermRead::Records(c) => out.extend(c.records.iter().map(|r| r.source)),
                    TermRead::Const(_) => {}
                }
            }
        }
        unique(out)
    }
}

impl Finding {
    /// A finding of its truth alone, with no parts, rows or notes: what a
    /// timeline of statuses keeps of each verdict.
    pub fn bare(truth: Truth, span: crate::Span) -> Finding {
        Finding {
            truth,
            span,
            detail: Detail::Logic {
                op: LogicOp::All,
                parts: Vec::new(),
                deciding: Vec::new(),
            },
        }
    }

    /// The truth a verdict acts on. Conditions are judged in three-valued
    /// logic, missing data being unknown, so `not` cannot turn a missing
    /// figure into a met one; only then does "missing means not met" apply:
    /// a finding that is unknown because of a metric under that policy
    /// fails.
    pub fn decisive(&self) -> Truth {
        if self.truth == Truth::Unknown && self.unknown_means_not_met() {
            Truth::False
        } else {
            self.truth
        }
    }

    /// Whether the finding is unknown because of a missing figure whose
    /// policy is "missing means not met" (and not only for other reasons).
    pub fn unknown_means_not_met(&self) -> bool {
        if self.truth != Truth::Unknown {
            return false;
        }
        match &self.detail {
            Detail::Compare {
                missing_means_not_met,
                ..
            } => *missing_means_not_met,
            Detail::Trend(t) => matches!(
                t.outcome,
                TrendOutcome::TooFew {
                    missing_means_not_met: true
                }
            ),
            Detail::Logic {
                parts, deciding, ..
            } => deciding
                .iter()
                .filter_map(|&i| parts.get(i))
                .any(Finding::unknown_means_not_met),
            Detail::Not(inner) => inner.unknown_means_not_met(),
            Detail::Evidence { .. } | Detail::Recurring { .. } | Detail::Sustained { .. } => false,
        }
    }

    /// Whether the finding is unknown because a value could not be computed
    /// exactly (too large, or a division that cannot be done), not because
    /// data is missing: more data would not help.
    pub fn uncomputable(&self) -> bool {
        let cannot = |r: &Reading| {
            matches!(
                r.value,
                Err(Gap::TooLarge | Gap::SumTooLarge | Gap::CannotDivide)
            )
        };
        match &self.detail {
            Detail::Compare { left, right, .. } => cannot(left) || cannot(right),
            Detail::Logic {
                parts, deciding, ..
            } => deciding
                .iter()
                .filter_map(|&i| parts.get(i))
                .any(Finding::uncomputable),
            Detail::Not(inner) => inner.uncomputable(),
            Detail::Sustained {
                periods, deciding, ..
            } => deciding
                .iter()
                .filter_map(|&i| periods.get(i))
                .any(|p| p.finding.uncomputable()),
            _ => false,
        }
    }

    /// The data rows that decided the finding.
    pub fn sources(&self) -> Vec<Provenance> {
        match &self.detail {
            Detail::Compare { left, right, .. } => {
                let mut out = left.sources();
                out.extend(right.sources());
                unique(out)
            }
            Detail::Evidence { record, .. } => record.iter().map(|r| r.source).collect(),
            Detail::Trend(t) => match t.outcome {
                TrendOutcome::Direction(_) | TrendOutcome::TooFew { .. } => {
                    t.points.iter().map(|p| p.source).collect()
                }
                TrendOutcome::TooLarge | TrendOutcome::BadWindow(_) => Vec::new(),
            },
            Detail::Logic {
                parts, deciding, ..
            } => deciding_sources(deciding.iter().filter_map(|&i| parts.get(i))),
            Detail::Not(inner) => inner.sources(),
            // A missed duty rests on the periods it missed, which have no
            // rows (the reason names them); a held one on every period's
            // record, or for an interval made up late, the late record.
            Detail::Recurring { .. } if self.truth != Truth::True => Vec::new(),
            Detail::Recurring { due, .. } => {
                let mut out = Vec::new();
                for p in due {
                    match &p.made_up {
                        Some(late) => out.extend(late.sources()),
                        None => out.extend(p.finding.sources()),
                    }
                }
                unique(out)
            }
            Detail::Sustained {
                periods, deciding, ..
            } => deciding_sources(
                deciding
                    .iter()
                    .filter_map(|&i| periods.get(i))
                    .map(|p| &p.finding),
            ),
        }
    }

    /// The day a delivery (records combined by `all` and `any`) was made:
    /// its record's date; the last part's for `all`, the first for `any`.
    /// `None` when it was not made, or the finding is not a delivery.
    pub fn delivered_on(&self) -> Option<Date> {
        if self.truth != Truth::True {
            return None;
        }
        match &self.detail {
            Detail::Evidence { record, .. } => record.as_ref().map(|r| r.date),
            Detail::Logic { op, parts, .. } => {
                let days = parts.iter().filter_map(Finding::delivered_on);
                match op {
                    LogicOp::All => days.max(),
                    LogicOp::Any => days.min(),
                }
            }
            _ => None,
        }
    }

    /// Of the rows the finding rests on, the one published last after
    /// `deadline`, if any: (the date it is for, its publication).
    pub fn published_after(&self, deadline: Date) -> Option<(Date, Date)> {
        let mut late: Vec<(Date, Date)> = Vec::new();
        self.collect_published(&mut late);
        late.into_iter()
            .filter(|&(_, p)| p > deadline)
            .max_by_key(|&(_, p)| p)
    }

    fn collect_published(&self, out: &mut Vec<(Date, Date)>) {
        match &self.detail {
            Detail::Compare { left, right, .. } => {
                for t in left.terms.iter().chain(&right.terms) {
                    match &t.read {
                        TermRead::Metric(m) => out.extend(m.published),
                        TermRead::Records(c) => out.extend(
                            c.records
                                .iter()
                                .filter_map(|r| Some((r.date, r.published?))),
                        ),
                        TermRead::Const(_) => {}
                    }
                }
            }
            Detail::Evidence { record, .. } => {
                out.extend(record.iter().filter_map(|r| Some((r.date, r.published?))));
            }
            Detail::Trend(_) => {}
            Detail::Logic { parts, .. } => {
                for p in parts {
                    p.collect_published(out);
                }
            }
            Detail::Not(inner) => inner.collect_published(out),
            Detail::Recurring { due: periods, .. } | Detail::Sustained { periods, .. } => {
                for p in periods {
                    p.finding.collect_published(out);
                    if let Some(late) = &p.made_up {
                        late.collect_published(out);
                    }
                }
            }
        }
    }

    /// The sub-findings a reader can open: the parts of `all`/`any`, the
    /// condition under `not`, and each period of a recurring or sustained
    /// condition.
    pub fn children(&self) -> Vec<Child<'_>> {
        match &self.detail {
            Detail::Logic { parts, .. } => parts.iter().map(Child::Part).collect(),
            Detail::Not(inner) => vec![Child::Part(inner)],
            Detail::Recurring { due: periods, .. } | Detail::Sustained { periods, .. } => {
                periods.iter().map(Child::Period).collect()
            }
            Detail::Compare { .. } | Detail::Evidence { .. } | Detail::Trend(_) => Vec::new(),
        }
    }
}

/// A sub-finding: a part of a condition, or one period of it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Child<'a> {
    /// A part of the condition.
    Part(&'a Finding),
    /// The condition within one period.
    Period(&'a PeriodFinding),
}

impl<'a> Child<'a> {
    /// The finding itself.
    pub fn finding(self) -> &'a Finding {
        match self {
            Child::Part(f) => f,
            Child::Period(p) => &p.finding,
        }
    }
}

/// The rows of the findings that decided a result: one finding's own, or
/// the union of several.
fn deciding_sources<'a>(deciding: impl Iterator<Item = &'a Finding>) -> Vec<Provenance> {
    let mut out = Vec::new();
    for f in deciding {
        out.extend(f.sources());
    }
    unique(out)
}

/// Rows once each, in the order first cited. Lists are gathered whole and
/// made unique once: a sum of many terms costs in proportion to its rows.
pub(crate) fn unique(mut rows: Vec<Provenance>) -> Vec<Provenance> {
    // A few rows (the usual case) are compared directly; many, through a set.
    if rows.len() <= 16 {
        let mut out: Vec<Provenance> = Vec::with_capacity(rows.len());
        for p in rows {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        return out;
    }
    let mut seen = std::collections::HashSet::with_capacity(rows.len());
    rows.retain(|p| seen.insert((p.file, p.line)));
    rows
}
