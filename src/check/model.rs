//! The checked notice: names resolved, units known, dates computed.
//! Evaluation works only on this form.

use std::path::PathBuf;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::ast::{AddOp, Aggregate, CmpOp, Direction, Duration, Kind, MissingPolicy, Period};
use crate::source::{Site, SourceFile, Span};
use crate::time::Date;
use crate::value::{Unit, Value};

/// A metric of a checked notice: its place in [`Notice::metrics`]. A type of
/// its own so a metric cannot be mistaken for an evidence kind or a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MetricId(u32);

/// An evidence kind of a checked notice: its place in [`Notice::evidence`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EvidenceId(u32);

/// A rating scale of a checked notice: its place in [`Notice::scales`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScaleId(u32);

macro_rules! index_id {
    ($id:ident) => {
        impl $id {
            /// The id of the item at a place in its list; `None` past `u32::MAX`.
            pub fn at(index: usize) -> Option<Self> {
                u32::try_from(index).ok().map($id)
            }

            /// Its place in its list.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The id of a place found by a search, if any.
            pub fn at_of(index: Option<usize>) -> Option<Self> {
                Self::at(index?)
            }
        }
    };
}
index_id!(MetricId);
index_id!(EvidenceId);
index_id!(ScaleId);

/// A notice ready to evaluate.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The notice's identifier.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The council: also the area of observations that name none.
    pub authority: String,
    /// The authority's ONS code (`code "E09000031"`), by which data rows may
    /// name it.
    pub code: Option<String>,
    /// The service found to be performing poorly.
    pub service: Option<String>,
    /// The date of the notice.
    pub issued: Date,
    /// The evidence the notice was given on.
    pub basis: Option<String>,
    /// The default data set, resolved against the notice file's folder.
    pub data: Vec<PathBuf>,
    /// The notice file's folder, as a path (its name in `source` is for
    /// showing, and may not be the path itself when it is not UTF-8).
    pub folder: PathBuf,
    /// Where each path of `data` is written in the notice's text.
    pub data_spans: Vec<crate::Span>,
    /// For each path of `data`, the day the notice says it was published
    /// (`published DATE`): rows that give none are known from that day.
    pub data_published: Vec<Option<Date>>,
    /// The notice's text.
    pub source: SourceFile,
    /// Named dates, in declaration order.
    pub milestones: Vec<Milestone>,
    /// Declared metrics.
    pub metrics: Vec<Metric>,
    /// Declared rating scales.
    pub scales: Vec<Scale>,
    /// Declared evidence kinds.
    pub evidence: Vec<EvidenceKind>,
    /// Measures, in the notice's order.
    pub measures: Vec<Measure>,
}

impl Notice {
    /// The metric of a name.
    pub fn metric_by_name(&self, name: &str) -> Option<MetricId> {
        MetricId::at(self.metrics.iter().position(|m| m.name == name)?)
    }

    /// The evidence kind of a name.
    pub fn evidence_by_name(&self, name: &str) -> Option<EvidenceId> {
        EvidenceId::at(self.evidence.iter().position(|e| e.name == name)?)
    }

    /// The scale of a name.
    pub fn scale_by_name(&self, name: &str) -> Option<ScaleId> {
        ScaleId::at(self.scales.iter().position(|s| &*s.name == name)?)
    }

    /// The metrics some requirement of the notice reads.
    pub fn metrics_read(&self) -> std::collections::HashSet<MetricId> {
        let (mut metrics, mut evidence) = Default::default();
        for r in self.measures.iter().flat_map(|m| &m.requirements) {
            r.condition.reads(&mut metrics, &mut evidence);
        }
        metrics
    }

    /// The areas other than the authority that the notice's rules read
    /// (`m[England]`, `m["Statistical neighbours"] improving ...`).
    pub fn areas_read(&self) -> Vec<String> {
        fn walk(c: &Cond, out: &mut Vec<String>) {
            match c {
                Cond::All(items, _) | Cond::Any(items, _) => {
                    items.iter().for_each(|i| walk(i, out))
                }
                Cond::Not(inner, _) => walk(inner, out),
                Cond::Evidence(..) => {}
                Cond::Trend { area, .. } => out.extend(area.clone()),
                Cond::Compare { lhs, rhs, .. } => {
                    for (_, t) in lhs.terms.iter().chain(&rhs.terms) {
                        if let Term::Metric { area: Some(a), .. } = t {
                            out.push(a.clone());
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        for r in self.measures.iter().flat_map(|m| &m.requirements) {
            walk(&r.condition, &mut out);
        }
        out.sort();
        out.dedup();
        out
    }

    /// The notice as read for another area of the data (a screen): `area`
    /// is its authority, and owes what the authority owed.
    pub fn standing_for(mut self, area: &str) -> Notice {
        let old = std::mem::replace(&mut self.authority, area.to_string());
        for m in &mut self.measures {
            if m.owner == old {
                m.owner = area.to_string();
            }
            for r in &mut m.requirements {
                if r.owner == old {
                    r.owner = area.to_string();
                }
            }
        }
        self
    }

    /// Everyone the notice's requirements are owed by, sorted, once each.
    pub fn owners(&self) -> Vec<String> {
        let mut owners: Vec<String> = self
            .measures
            .iter()
            .flat_map(|m| m.requirements.iter().map(|r| r.owner.clone()))
            .collect();
        owners.sort();
        owners.dedup();
        owners
    }

    /// A metric.
    pub fn metric(&self, id: MetricId) -> Option<&Metric> {
        self.metrics.get(id.index())
    }

    /// An evidence kind.
    pub fn evidence_kind(&self, id: EvidenceId) -> Option<&EvidenceKind> {
        self.evidence.get(id.index())
    }

    /// A rating scale.
    pub fn scale(&self, id: ScaleId) -> Option<&Scale> {
        self.scales.get(id.index())
    }

    /// Every metric with its id, in declaration order.
    pub fn metric_ids(&self) -> impl Iterator<Item = (MetricId, &Metric)> {
        self.metrics
            .iter()
            .enumerate()
            .filter_map(|(i, m)| Some((MetricId::at(i)?, m)))
    }

    /// Every evidence kind with its id, in declaration order.
    pub fn evidence_ids(&self) -> impl Iterator<Item = (EvidenceId, &EvidenceKind)> {
        self.evidence
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((EvidenceId::at(i)?, e)))
    }
}

/// A named date.
#[derive(Debug, Clone)]
pub struct Milestone {
    /// Its name.
    pub name: String,
    /// Its date.
    pub date: Date,
    /// The definition as written.
    pub definition: String,
    /// The words a reader knows it by (`"Formal review of progress"`).
    pub label: Option<String>,
}

/// A declared metric.
#[derive(Debug, Clone)]
pub struct Metric {
    /// Its name.
    pub name: String,
    /// The unit of its values.
    pub unit: Unit,
    /// Which way is better, if declared.
    pub direction: Option<Direction>,
    /// What missing data means for conditions on this metric.
    pub missing: MissingPolicy,
    /// How old the latest value may be before it is stale (a warning).
    pub fresh_within: Option<Duration>,
    /// Whether its latest value from before the notice stands until a new
    /// one replaces it (`stands until replaced`; every rating): it can show
    /// a requirement not met, never met.
    pub stands: bool,
    /// The name the data gives it (`column "..."`), if not its own.
    pub column: Option<String>,
    /// What it measures.
    pub description: Option<String>,
    /// Where it was declared: the notice or a library.
    pub declared: Site,
}

/// An ordinal rating scale, worst level first.
#[derive(Debug, Clone)]
pub struct Scale {
    /// Its name.
    pub name: Arc<str>,
    /// Where it was declared: the notice or a library.
    pub declared: Site,
    /// Its levels, worst first.
    pub levels: Vec<Arc<str>>,
}

impl Scale {
    /// The rating value of a level's name.
    pub fn level(&self, name: &str) -> Option<Value> {
        let rank = self.levels.iter().position(|l| &**l == name)?;
        Some(Value::Rating {
            scale: Arc::clone(&self.name),
            rank,
            name: Arc::clone(self.levels.get(rank)?),
        })
    }
}

/// A declared kind of evidence.
#[derive(Debug, Clone)]
pub struct EvidenceKind {
    /// Its name.
    pub name: String,
    /// What the document is.
    pub description: Option<String>,
    /// Where it was declared: the notice or a library.
    pub declared: Site,
}

/// A measure of the notice.
#[derive(Debug, Clone)]
pub struct Measure {
    /// Its number as the notice gives it.
    pub id: String,
    /// A short title.
    pub title: String,
    /// The group it stands in.
    pub group: Option<String>,
    /// The notice's own words.
    pub text: Option<String>,
    /// Who owes it: its `owner`, or the notice's authority.
    pub owner: String,
    /// What it requires.
    pub requirements: Vec<Requirement>,
    /// Where it was written.
    pub span: Span,
}

/// A requirement, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Requirement {
    /// `require` or `expect`.
    pub kind: Kind,
    /// What must hold.
    pub condition: Cond,
    /// What missing data means here, over the metrics' own policies.
    pub missing: Option<MissingPolicy>,
    /// `for N consecutive PERIODS`: the condition must hold in each of them.
    pub sustained: Option<(u32, Period)>,
    /// When.
    pub deadline: Option<Deadline>,
    /// Who owes it: its `owner`, or its measure's.
    pub owner: String,
    /// The whole requirement as written.
    pub span: Span,
    /// Its source text, on one line.
    pub rule: String,
    /// One-based line of its start.
    pub line: usize,
    /// One-based column of its start.
    pub column: usize,
}

/// A resolved deadline.
#[derive(Debug, Clone)]
pub struct Deadline {
    /// Whether the condition is due by the date or assessed from it.
    pub kind: DeadlineKind,
    /// The date.
    pub date: Date,
    /// The deadline as written (`formal_review`, `3 months of issued`).
    pub written: String,
    /// Where it was written.
    pub span: Span,
}

/// The two shapes of deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    /// Must hold on or before the date (`by`, `within`, `before`).
    By,
    /// Assessed only on and after the date (`after`).
    After,
    /// Due in every whole period from `from` until the deadline's date.
    Every {
        /// The period.
        period: Period,
        /// The first day the duty runs.
        from: Date,
    },
    /// `at least every DURATION`: each record within `every` of the one
    /// before it (or of `from`), until the deadline's date.
    Rolling {
        /// The longest allowed gap.
        every: crate::ast::Duration,
        /// The first day the duty runs.
        from: Date,
    },
}

/// A condition, resolved.
#[derive(Debug, Clone)]
pub enum Cond {
    /// Every one holds (`all { }` or `and`: one meaning, two spellings).
    All(Vec<Cond>, Span),
    /// At least one holds (`any { }` or `or`).
    Any(Vec<Cond>, Span),
    /// It does not hold.
    Not(Box<Cond>, Span),
    /// A record of this kind exists, dated in the notice's life or in the
    /// dates the condition names.
    Evidence(EvidenceId, Option<RecordWindow>, Span),
    /// The metric's least-squares trend over the window goes the better
    /// (`improving`) or worse way.
    Trend {
        /// Which metric.
        metric: MetricId,
        /// The area, when not the notice's authority.
        area: Option<String>,
        /// `improving` (or `worsening`).
        improving: bool,
        /// `by at least AMOUNT`: how far the least-squares line must move
        /// over the window, in the metric's unit (percentage points for a
        /// percent, levels for a rating).
        by: Option<Decimal>,
        /// The window, ending on the evaluation date.
        window: Duration,
        /// Where it was written.
        span: Span,
    },
    /// A comparison of two values of one unit.
    Compare {
        /// Left side.
        lhs: ValueExpr,
        /// Operator.
        op: CmpOp,
        /// Right side.
        rhs: ValueExpr,
        /// The whole comparison.
        span: Span,
    },
}

/// The dates an `evidence` condition or `count evidence` names for its
/// records (never after the evaluation date). With none, records count from
/// `issued`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordWindow {
    /// `since D`: from D (which may be before `issued`).
    Since(Date),
    /// `from A until B`, both included.
    Range(Date, Date),
    /// `over N UNITS`: the duration ending on the evaluation date.
    Over(Duration),
}

impl Cond {
    /// The metrics and evidence kinds the condition reads.
    pub(crate) fn reads(
        &self,
        metrics: &mut std::collections::HashSet<MetricId>,
        evidence: &mut std::collections::HashSet<EvidenceId>,
    ) {
        match self {
            Cond::All(items, _) | Cond::Any(items, _) => {
                for c in items {
                    c.reads(metrics, evidence);
                }
            }
            Cond::Not(c, _) => c.reads(metrics, evidence),
            Cond::Evidence(id, _, _) => {
                evidence.insert(*id);
            }
            Cond::Trend { metric, .. } => {
                metrics.insert(*metric);
            }
            Cond::Compare { lhs, rhs, .. } => {
                for (_, t) in lhs.terms.iter().chain(&rhs.terms) {
                    match t {
                        Term::Metric { metric, .. } => {
                            metrics.insert(*metric);
                        }
                        Term::Records { kind, .. } => {
                            evidence.insert(*kind);
                        }
                        Term::Const(_) => {}
                    }
                }
            }
        }
    }

    /// Where the condition was written.
    pub fn span(&self) -> Span {
        match self {
            Cond::All(_, s) | Cond::Any(_, s) | Cond::Not(_, s) | Cond::Evidence(_, _, s) => *s,
            Cond::Trend { span, .. } | Cond::Compare { span, .. } => *span,
        }
    }

    /// Whether the condition asks only for records (`evidence`, combined by
    /// `all` and `any`): a one-off duty, met once delivered. A condition that
    /// reads a metric is a target, judged at its deadline.
    pub fn is_delivery(&self) -> bool {
        match self {
            Cond::Evidence(..) => true,
            Cond::All(items, _) | Cond::Any(items, _) => items.iter().all(Cond::is_delivery),
            Cond::Not(..) | Cond::Trend { .. } | Cond::Compare { .. } => false,
        }
    }

    /// Whether a delivery, once made, stays made as the evaluation date
    /// moves on: records in no window, or in a fixed one (`since D`, `from A
    /// until B`). A record in a window that slides with the evaluation date
    /// (`over 1 month`) leaves it again, so such a condition is judged like
    /// a target, at its deadline: met early, it could flip back.
    pub fn stays_delivered(&self) -> bool {
        match self {
            Cond::Evidence(_, window, _) => !matches!(window, Some(RecordWindow::Over(_))),
            Cond::All(items, _) | Cond::Any(items, _) => items.iter().all(Cond::stays_delivered),
            Cond::Not(..) | Cond::Trend { .. } | Cond::Compare { .. } => false,
        }
    }
}

/// A value expression with its unit.
#[derive(Debug, Clone)]
pub struct ValueExpr {
    /// The terms, the first with `+`.
    pub terms: Vec<(AddOp, Term)>,
    /// The unit of the result.
    pub unit: Unit,
    /// Where it was written.
    pub span: Span,
}

/// A term of a value expression.
#[derive(Debug, Clone)]
pub enum Term {
    /// A constant.
    Const(Value),
    /// A metric's value.
    Metric {
        /// Which metric.
        metric: MetricId,
        /// The area, when not the notice's authority.
        area: Option<String>,
        /// How the window's observations are combined.
        aggregate: Aggregate,
        /// Which observations are read.
        window: Window,
        /// Where it was written.
        span: Span,
    },
    /// `count evidence KIND ...`: how many records of a kind (a count).
    Records {
        /// Which kind.
        kind: EvidenceId,
        /// The dates named, if any.
        window: Option<RecordWindow>,
        /// Where it was written.
        span: Span,
    },
}

/// Which observations a metric term reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Those dated on or before the evaluation date (in its period, for duties).
    Current,
    /// Those dated on or before a date (a baseline).
    At(Date),
    /// Those dated in the duration ending on the evaluation date.
    Over(Duration),
    /// Those dated from the first date until the second.
    Range(Date, Date),
}
