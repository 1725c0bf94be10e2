//! Evaluation of a checked notice against a data set as of a date.
//!
//! Only data dated on or before the evaluation date is seen. A requirement
//! with a deadline is judged twice: as of its deadline (did it hold in time?)
//! and as of the evaluation date (does it hold now?). See `docs/language.md`
//! for the table of statuses.

use serde::Serialize;

use std::cell::RefCell;
use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::ast::{AddOp, Aggregate, CmpOp, Kind, MissingPolicy, Period};
use crate::check::model::{Cond, DeadlineKind, Notice, Requirement, Term, ValueExpr, Window};
use crate::data::{DataSet, Provenance};
use crate::source::Span;
use crate::time::{self, Date};
use crate::value::Value;

/// The status of a requirement, a measure or a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Holds, and held by its deadline.
    Met,
    /// Holds now, but did not by its deadline.
    MetLate,
    /// Due and does not hold.
    NotMet,
    /// Its deadline is still to come and it does not hold yet.
    NotYetDue,
    /// The data needed is missing.
    Unknown,
}

impl Status {
    /// How bad a status is when statuses are combined: the worst wins.
    /// not met > unknown > not yet due > met late > met.
    pub fn severity(self) -> u8 {
        match self {
            Status::Met => 0,
            Status::MetLate => 1,
            Status::NotYetDue => 2,
            Status::Unknown => 3,
            Status::NotMet => 4,
        }
    }

    /// The worst of some statuses, or `None` if there are none.
    pub fn worst(statuses: impl IntoIterator<Item = Status>) -> Option<Status> {
        statuses.into_iter().max_by_key(|s| s.severity())
    }

    /// The status as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::MetLate => "met_late",
            Status::NotMet => "not_met",
            Status::NotYetDue => "not_yet_due",
            Status::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of evaluating a notice.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The notice's identifier.
    pub notice: String,
    /// The evaluation date.
    pub as_of: Date,
    /// The publication cut-off, if the evaluation had one.
    pub known_at: Option<Date>,
    /// The worst of the measures' statuses.
    pub status: Status,
    /// Each measure's outcome, in the notice's order.
    pub measures: Vec<MeasureOutcome>,
}

impl Outcome {
    /// Whether some `require` is not met (exit code 1).
    pub fn has_unmet_requirement(&self) -> bool {
        self.measures
            .iter()
            .flat_map(|m| &m.requirements)
            .any(|v| v.kind == Kind::Require && v.status == Status::NotMet)
    }
}

/// The outcome of one measure.
#[derive(Debug, Clone)]
pub struct MeasureOutcome {
    /// Index of the measure in the notice.
    pub index: usize,
    /// The worst of its `require` verdicts (of its `expect`s if it has none).
    pub status: Status,
    /// A verdict for each requirement.
    pub requirements: Vec<Verdict>,
}

/// The verdict on one requirement, with what decided it.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Its status.
    pub status: Status,
    /// `require` or `expect`.
    pub kind: Kind,
    /// Index of the requirement in its measure.
    pub index: usize,
    /// The deadline, if any.
    pub deadline: Option<Date>,
    /// The observed value(s), as text.
    pub observed: Option<String>,
    /// What was required, as text.
    pub required: Option<String>,
    /// The data rows that decided it.
    pub sources: Vec<Provenance>,
    /// Why, in a sentence.
    pub reason: String,
    /// What else a reader should know: stale data, a missing-data policy applied.
    pub notes: Vec<String>,
    /// For a requirement not yet due: the projection that says it will miss its deadline.
    pub at_risk: Option<String>,
}

/// Evaluates every measure of a notice as of `as_of`.
pub fn evaluate(notice: &Notice, data: &DataSet, as_of: Date) -> Outcome {
    evaluate_with(notice, data, as_of, Options::default())
}

/// How an evaluation reads its data.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Read only figures published on or before this date (the second time
    /// axis): a board sees what it could have known then. A figure without a
    /// publication date is known from its own date.
    pub known_at: Option<Date>,
}

/// Evaluates every measure of a notice as of `as_of`, with `options`.
pub fn evaluate_with(notice: &Notice, data: &DataSet, as_of: Date, options: Options) -> Outcome {
    evaluate_cached(notice, data, as_of, options, &DeadlineCache::default())
}

/// What a requirement's condition was at its deadline, by (measure,
/// requirement): the same at every later date, so a timeline computes it once.
type DeadlineCache = RefCell<HashMap<(usize, usize), Found>>;

fn evaluate_cached(
    notice: &Notice,
    data: &DataSet,
    as_of: Date,
    options: Options,
    cache: &DeadlineCache,
) -> Outcome {
    let measures: Vec<MeasureOutcome> = notice
        .measures
        .iter()
        .enumerate()
        .map(|(index, m)| {
            let requirements: Vec<Verdict> = m
                .requirements
                .iter()
                .enumerate()
                .map(|(i, r)| judge(notice, data, options, (index, r), i, as_of, cache))
                .collect();
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
        })
        .collect();
    let status = Status::worst(measures.iter().map(|m| m.status)).unwrap_or(Status::Met);
    Outcome {
        notice: notice.id.clone(),
        as_of,
        known_at: options.known_at,
        status,
        measures,
    }
}

/// The truth of a condition, three-valued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    True,
    False,
    Unknown,
}

/// A condition's result with what decided it.
#[derive(Debug, Clone)]
struct Found {
    truth: Truth,
    observed: Option<String>,
    required: Option<String>,
    sources: Vec<Provenance>,
    reason: String,
}

#[allow(clippy::too_many_arguments)]
fn judge(
    notice: &Notice,
    data: &DataSet,
    options: Options,
    (measure, r): (usize, &Requirement),
    index: usize,
    as_of: Date,
    cache: &DeadlineCache,
) -> Verdict {
    let ctx = Ctx::new(notice, data, options, r);
    let holds = |to: Date| match r.sustained {
        Some((n, period)) => ctx.sustained(&r.condition, n, period, to),
        None => ctx.cond(&r.condition, View::until(to)),
    };
    let deadline = r.deadline.as_ref();
    let mut at_risk = None;
    let (status, found, note) = match deadline {
        None => {
            let now = holds(as_of);
            (plain(now.truth), now, String::new())
        }
        Some(d) => match d.kind {
            DeadlineKind::Every { period, from } => {
                ctx.recurring(&r.condition, period, from, d.date, as_of)
            }
            DeadlineKind::After if as_of < d.date => {
                let note = format!("; assessed from {}", d.describe());
                (Status::NotYetDue, holds(as_of), note)
            }
            DeadlineKind::After => {
                let now = holds(as_of);
                (plain(now.truth), now, String::new())
            }
            DeadlineKind::By if as_of < d.date => {
                let now = holds(as_of);
                let status = match now.truth {
                    Truth::True => Status::Met,
                    Truth::False => Status::NotYetDue,
                    Truth::Unknown => Status::Unknown,
                };
                if status == Status::NotYetDue {
                    at_risk = ctx.at_risk(&r.condition, d.date, as_of);
                }
                (status, now, format!("; due by {}", d.describe()))
            }
            DeadlineKind::By => {
                let cached = cache.borrow().get(&(measure, index)).cloned();
                let then = cached.unwrap_or_else(|| {
                    let then = holds(d.date);
                    cache.borrow_mut().insert((measure, index), then.clone());
                    then
                });
                // Notes speak of the data as of the evaluation date.
                ctx.notes.borrow_mut().clear();
                let now = holds(as_of);
                let due = format!("due by {}", d.describe());
                match (then.truth, now.truth) {
                    (Truth::True, Truth::True) => (Status::Met, now, format!("; {due}")),
                    (_, Truth::True) => {
                        let why = if then.truth == Truth::Unknown {
                            "no data showed it by then"
                        } else {
                            "it did not hold then"
                        };
                        (Status::MetLate, now, format!("; {due}, but {why}"))
                    }
                    (Truth::True, Truth::False) => (
                        Status::NotMet,
                        now,
                        format!("; it held by the deadline ({due}) but no longer holds"),
                    ),
                    (_, Truth::False) => (Status::NotMet, now, format!("; {due}")),
                    (_, Truth::Unknown) => (Status::Unknown, now, format!("; {due}")),
                }
            }
        },
    };
    Verdict {
        status,
        kind: r.kind,
        index,
        deadline: deadline.map(|d| d.date),
        observed: found.observed,
        required: found.required,
        sources: found.sources,
        reason: format!("{}{note}", found.reason),
        notes: ctx.notes.into_inner(),
        at_risk,
    }
}

fn plain(truth: Truth) -> Status {
    match truth {
        Truth::True => Status::Met,
        Truth::False => Status::NotMet,
        Truth::Unknown => Status::Unknown,
    }
}

/// The observations a condition may see: those dated from `from` (if set)
/// until `to`, both days included.
#[derive(Debug, Clone, Copy)]
struct View {
    from: Option<Date>,
    to: Date,
}

impl View {
    fn until(to: Date) -> View {
        View { from: None, to }
    }

    fn contains(self, date: Date) -> bool {
        date <= self.to && self.from.is_none_or(|f| date >= f)
    }

    fn describe(self) -> String {
        match self.from {
            Some(f) => format!("from {f} until {}", self.to),
            None => format!("on or before {}", self.to),
        }
    }
}

/// The fewest observations a trend is computed from.
pub const MIN_TREND_POINTS: usize = 3;

struct Ctx<'a> {
    notice: &'a Notice,
    data: &'a DataSet,
    known_at: Option<Date>,
    /// The requirement's own missing-data policy, over the metrics'.
    missing: Option<MissingPolicy>,
    /// Notes gathered while judging one requirement.
    notes: RefCell<Vec<String>>,
}

/// A value with the rows and words that describe it.
struct Read {
    value: Value,
    sources: Vec<Provenance>,
    described: String,
}

impl<'a> Ctx<'a> {
    /// The context for judging one requirement.
    fn new(notice: &'a Notice, data: &'a DataSet, options: Options, r: &Requirement) -> Self {
        Ctx {
            notice,
            data,
            known_at: options.known_at,
            missing: r.missing,
            notes: RefCell::new(Vec::new()),
        }
    }
}

impl Ctx<'_> {
    /// The observations of a date-sorted run that are known (published by
    /// `known_at`, when set), one per date: the latest known version.
    fn visible<'o>(
        &self,
        points: &'o [crate::data::Observation],
    ) -> Vec<&'o crate::data::Observation> {
        if !self.data.has_revisions() && self.known_at.is_none() {
            return points.iter().collect();
        }
        let mut out: Vec<&crate::data::Observation> = Vec::with_capacity(points.len());
        for o in points {
            if self.known_at.is_some_and(|k| o.known_from() > k) {
                continue;
            }
            match out.last_mut() {
                Some(prev) if prev.date == o.date => *prev = o,
                _ => out.push(o),
            }
        }
        out
    }

    /// The latest known observation of a date-sorted run.
    fn latest_visible<'o>(
        &self,
        run: &'o [crate::data::Observation],
    ) -> Option<&'o crate::data::Observation> {
        match self.known_at {
            None => run.last(),
            Some(k) => run.iter().rev().find(|o| o.known_from() <= k),
        }
    }

    fn text(&self, span: Span) -> &str {
        self.notice.source.slice(span)
    }

    fn cond(&self, cond: &Cond, view: View) -> Found {
        match cond {
            Cond::All(items, _) | Cond::And(items, _) => {
                self.all(items.iter().map(|c| self.cond(c, view)).collect())
            }
            Cond::Any(items, _) | Cond::Or(items, _) => {
                self.any(items.iter().map(|c| self.cond(c, view)).collect())
            }
            Cond::Not(c, span) => {
                let mut f = self.cond(c, view);
                f.truth = match f.truth {
                    Truth::True => Truth::False,
                    Truth::False => Truth::True,
                    Truth::Unknown => Truth::Unknown,
                };
                let verdict = match f.truth {
                    Truth::True => "holds",
                    Truth::False => "fails",
                    Truth::Unknown => "cannot be judged",
                };
                f.reason = format!("`{}` {verdict}: {}", self.text(*span), f.reason);
                f.required = Some(self.text(*span).to_string());
                f
            }
            Cond::Evidence(kind, _) => self.evidence(*kind, view),
            Cond::Trend {
                metric,
                area,
                improving,
                window,
                span,
            } => self.trend(*metric, area.as_deref(), *improving, *window, *span, view),
            Cond::Compare { lhs, op, rhs, .. } => self.compare(lhs, *op, rhs, view),
        }
    }

    fn all(&self, found: Vec<Found>) -> Found {
        let deciding: Vec<Found> = if found.iter().any(|f| f.truth == Truth::False) {
            found
                .into_iter()
                .filter(|f| f.truth == Truth::False)
                .collect()
        } else if found.iter().any(|f| f.truth == Truth::Unknown) {
            found
                .into_iter()
                .filter(|f| f.truth == Truth::Unknown)
                .collect()
        } else {
            found
        };
        let truth = deciding.first().map_or(Truth::True, |f| f.truth);
        merge(truth, deciding)
    }

    fn any(&self, found: Vec<Found>) -> Found {
        let deciding: Vec<Found> = if found.iter().any(|f| f.truth == Truth::True) {
            found
                .into_iter()
                .filter(|f| f.truth == Truth::True)
                .take(1)
                .collect()
        } else if found.iter().any(|f| f.truth == Truth::Unknown) {
            found
                .into_iter()
                .filter(|f| f.truth == Truth::Unknown)
                .collect()
        } else {
            found
        };
        let truth = deciding.first().map_or(Truth::False, |f| f.truth);
        merge(truth, deciding)
    }

    fn evidence(&self, kind: usize, view: View) -> Found {
        let name = self
            .notice
            .evidence
            .get(kind)
            .map_or("?", |e| e.name.as_str());
        let records = self.data.evidence(kind);
        let seen = records.partition_point(|r| r.date <= view.to);
        // The earliest record in view shows when the duty was first met.
        match records
            .get(..seen)
            .and_then(|r| r.iter().find(|r| view.contains(r.date)))
        {
            Some(first) => Found {
                truth: Truth::True,
                observed: Some(format!("{} ({})", first.date, first.reference)),
                required: Some(format!("evidence {name}")),
                sources: vec![first.source],
                reason: format!("`{name}` recorded on {}: {}", first.date, first.reference),
            },
            None => Found {
                truth: Truth::False,
                observed: Some("no record".to_string()),
                required: Some(format!("evidence {name}")),
                sources: Vec::new(),
                reason: format!("no `{name}` record dated {}", view.describe()),
            },
        }
    }

    /// A recurring duty: the condition must hold within each whole period
    /// from `from` until `until` that has ended by `as_of`.
    fn recurring(
        &self,
        cond: &Cond,
        period: Period,
        from: Date,
        until: Date,
        as_of: Date,
    ) -> (Status, Found, String) {
        let periods = time::whole_periods(period, from, until);
        let due: Vec<time::Span> = periods.iter().copied().filter(|p| p.end <= as_of).collect();
        let to_come = periods.len() - due.len();
        let mut missed = Vec::new();
        let mut unknown = Vec::new();
        let mut sources = Vec::new();
        let mut reasons = Vec::new();
        for p in &due {
            let f = self.cond(
                cond,
                View {
                    from: Some(p.start),
                    to: p.end,
                },
            );
            let label = time::period_label(period, *p);
            match f.truth {
                Truth::True => push_unique(&mut sources, &f.sources),
                Truth::False => {
                    reasons.push(format!("{label}: {}", f.reason));
                    missed.push(label);
                }
                Truth::Unknown => {
                    reasons.push(format!("{label}: {}", f.reason));
                    unknown.push(label);
                }
            }
        }
        let unit = |n: usize| time::period_name(period, n);
        let required = Some(format!("every {} from {from} until {until}", unit(1)));
        let summary = |list: &[String], what: &str| {
            format!(
                "{what} in {} of {} {} due: {}",
                list.len(),
                due.len(),
                unit(due.len()),
                list.join(", ")
            )
        };
        let (status, truth, text) = if !missed.is_empty() {
            (Status::NotMet, Truth::False, summary(&missed, "missed"))
        } else if !unknown.is_empty() {
            (
                Status::Unknown,
                Truth::Unknown,
                summary(&unknown, "no data"),
            )
        } else if due.is_empty() {
            let first = periods
                .first()
                .map_or(String::new(), |p| format!(": the first ends {}", p.end));
            (
                Status::NotYetDue,
                Truth::False,
                format!("no {} due yet{first}", unit(1)),
            )
        } else {
            (
                Status::Met,
                Truth::True,
                format!("held in all {} {} due", due.len(), unit(due.len())),
            )
        };
        let more = if to_come > 0 && !due.is_empty() {
            format!("; {to_come} {} still to come", unit(to_come))
        } else {
            String::new()
        };
        let detail = if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join("; "))
        };
        let found = Found {
            truth,
            observed: Some(format!(
                "{} of {} {} held",
                due.len() - missed.len() - unknown.len(),
                due.len(),
                unit(due.len())
            )),
            required,
            sources,
            reason: format!("{text}{more}{detail}"),
        };
        (status, found, String::new())
    }

    /// `C for N consecutive PERIODS`: C holds within each of the last N whole periods.
    fn sustained(&self, cond: &Cond, n: u32, period: Period, to: Date) -> Found {
        let periods = time::last_whole_periods(period, n, to);
        let found: Vec<Found> = periods
            .iter()
            .map(|p| {
                let mut f = self.cond(
                    cond,
                    View {
                        from: Some(p.start),
                        to: p.end,
                    },
                );
                f.reason = format!("{}: {}", time::period_label(period, *p), f.reason);
                f
            })
            .collect();
        let mut all = self.all(found);
        if all.truth == Truth::True {
            all.reason = format!(
                "held in each of the {n} {} to {to}",
                time::period_name(period, n as usize)
            );
        }
        all.required = Some(format!(
            "{} for {n} consecutive {}",
            all.required.unwrap_or_default(),
            time::period_name(period, n as usize)
        ));
        all
    }

    /// `M improving|worsening over D`: the sign of the least-squares slope
    /// of the observations in the window, against the metric's direction.
    fn trend(
        &self,
        metric: usize,
        area: Option<&str>,
        improving: bool,
        window: crate::ast::Duration,
        span: Span,
        view: View,
    ) -> Found {
        let written = self.text(span).to_string();
        let Some(m) = self.notice.metrics.get(metric) else {
            return unknown_found(written.clone(), "unknown metric".into());
        };
        let start = match time::shift(view.to, AddOp::Sub, window) {
            Ok(d) => d,
            Err(e) => return unknown_found(written, e.to_string()),
        };
        let series = self.data.series(metric, area);
        let end = series.partition_point(|o| o.date <= view.to);
        let begin = series.partition_point(|o| o.date <= start);
        let points = self.visible(series.get(begin..end).unwrap_or(&[]));
        let area_name = area.unwrap_or(&self.notice.authority);
        let window_text = format!("after {start} until {}", view.to);
        if points.len() < MIN_TREND_POINTS {
            let not_met = self.missing.unwrap_or(m.missing) == MissingPolicy::NotMet;
            let policy = if not_met {
                " (missing data means not met)"
            } else {
                ""
            };
            return Found {
                truth: if not_met { Truth::False } else { Truth::Unknown },
                observed: Some(format!("{} observations", points.len())),
                required: Some(written),
                sources: points.iter().map(|o| o.source).collect(),
                reason: format!(
                    "a trend needs at least {MIN_TREND_POINTS} observations of `{}` for {area_name} {window_text}; there are {}{policy}",
                    m.name,
                    points.len()
                ),
            };
        }
        let Some(sign) = slope_sign(&points, start) else {
            return unknown_found(written, "the trend is too large to compute exactly".into());
        };
        let better = match m.direction {
            Some(crate::ast::Direction::LowerIsBetter) => -sign,
            _ => sign,
        };
        let direction = match better {
            1 => "improving",
            -1 => "worsening",
            _ => "flat",
        };
        let holds = if improving { better > 0 } else { better < 0 };
        let (first, last) = (points.first(), points.last());
        let ends = match (first, last) {
            (Some(f), Some(l)) => {
                format!("from {} ({}) to {} ({})", f.value, f.date, l.value, l.date)
            }
            _ => String::new(),
        };
        Found {
            truth: if holds { Truth::True } else { Truth::False },
            observed: Some(direction.to_string()),
            required: Some(written),
            sources: points.iter().map(|o| o.source).collect(),
            reason: format!(
                "`{}` for {area_name} is {direction} over {} observations {window_text}, {ends}",
                m.name,
                points.len()
            ),
        }
    }

    fn compare(&self, lhs: &ValueExpr, op: CmpOp, rhs: &ValueExpr, view: View) -> Found {
        let (l, r) = (self.value(lhs, view), self.value(rhs, view));
        let required_text = |r: &Result<Read, Missing>| match r {
            Ok(read) => format!("{} {}", op.symbol(), read.value),
            Err(_) => format!("{} {}", op.symbol(), self.text(rhs.span)),
        };
        let required = Some(required_text(&r));
        match (l, r) {
            (Ok(l), Ok(r)) => {
                let holds = l.value.compare(&r.value).is_some_and(|ord| op.accepts(ord));
                let verb = if holds { "is" } else { "is not" };
                let mut sources = l.sources;
                push_unique(&mut sources, &r.sources);
                Found {
                    truth: if holds { Truth::True } else { Truth::False },
                    observed: Some(l.value.to_string()),
                    required,
                    sources,
                    reason: format!("{} {verb} {} {}", l.described, op.symbol(), r.described),
                }
            }
            (l, r) => {
                let mut reasons = Vec::new();
                let mut sources = Vec::new();
                let mut not_met = false;
                for side in [&l, &r] {
                    match side {
                        Err(missing) => {
                            reasons.push(missing.reason.clone());
                            not_met |= missing.not_met;
                        }
                        Ok(read) => push_unique(&mut sources, &read.sources),
                    }
                }
                let observed = l.as_ref().ok().map(|read| read.value.to_string());
                let mut reason = reasons.join("; ");
                if not_met {
                    reason.push_str(" (missing data means not met)");
                }
                Found {
                    truth: if not_met {
                        Truth::False
                    } else {
                        Truth::Unknown
                    },
                    observed,
                    required,
                    sources,
                    reason,
                }
            }
        }
    }

    /// Reads a value expression as of `view`; `Err` says which data is missing.
    fn value(&self, expr: &ValueExpr, view: View) -> Result<Read, Missing> {
        let mut total: Option<Read> = None;
        for (op, term) in &expr.terms {
            let read = self.term(term, view)?;
            total = Some(match total {
                None => read,
                Some(acc) => {
                    let value = acc
                        .value
                        .combine(&read.value, *op == AddOp::Add)
                        .ok_or_else(|| {
                            format!("`{}` is too large to compute", self.text(expr.span))
                        })?;
                    let sign = if *op == AddOp::Add { "+" } else { "-" };
                    let mut sources = acc.sources;
                    push_unique(&mut sources, &read.sources);
                    Read {
                        value,
                        sources,
                        described: format!("{} {sign} {}", acc.described, read.described),
                    }
                }
            });
        }
        let mut read = total.ok_or_else(|| Missing::from("an empty value".to_string()))?;
        if expr.terms.len() > 1 {
            read.described = format!("{} ({})", read.value, read.described);
        }
        Ok(read)
    }

    fn term(&self, term: &Term, view: View) -> Result<Read, Missing> {
        let (metric, area, aggregate, window, span) = match term {
            Term::Const(v) => {
                return Ok(Read {
                    value: v.clone(),
                    sources: Vec::new(),
                    described: v.to_string(),
                })
            }
            Term::Metric {
                metric,
                area,
                aggregate,
                window,
                span,
            } => (*metric, area.as_deref(), *aggregate, *window, *span),
        };
        let written = self.text(span);
        let (from, to) = match window {
            Window::Current => (view.from, view.to),
            Window::At(d) if d > view.to => {
                return Err(format!(
                    "`{written}` is for {d}, after the evaluation date {}",
                    view.to
                )
                .into())
            }
            Window::At(d) => (None, d),
            Window::Over(dur) => {
                let start = time::shift(view.to, AddOp::Sub, dur).map_err(|e| e.to_string())?;
                (start.succ_opt(), view.to)
            }
            Window::Range(a, b) => (Some(a), b.min(view.to)),
        };
        let Some(m) = self.notice.metrics.get(metric) else {
            return Err("unknown metric".to_string().into());
        };
        let policy = self.missing.unwrap_or(m.missing);
        let area_name = area.unwrap_or(&self.notice.authority);
        let when = || match from {
            Some(f) => format!("from {f} until {to}"),
            None => format!("on or before {to}"),
        };
        let series = self.data.series(metric, area);
        let end = series.partition_point(|o| o.date <= to);
        let begin = from.map_or(0, |f| series.partition_point(|o| o.date < f));
        let run = series.get(begin..end).unwrap_or(&[]);
        // `latest` needs one observation: found by walking back, not by copying the window.
        let mut points = if aggregate == Aggregate::Latest {
            self.latest_visible(run).into_iter().collect()
        } else {
            self.visible(run)
        };
        let oldest_allowed = |d: crate::ast::Duration| time::shift(to, AddOp::Sub, d).ok();
        match policy {
            MissingPolicy::CarryForward(limit) => {
                let limit_text = describe_duration(limit);
                if points.is_empty() {
                    // The last known value before the window stands in, if recent enough.
                    let before = self.latest_visible(series.get(..end).unwrap_or(&[]));
                    if let (Some(o), Some(oldest)) = (before, oldest_allowed(limit)) {
                        if o.date >= oldest {
                            self.note(format!(
                                "`{}` for {area_name}: no observation {}; carried forward the value of {} (missing data carries forward {limit_text})",
                                m.name,
                                when(),
                                o.date
                            ));
                            points = vec![o];
                        }
                    }
                } else if from.is_none() && aggregate == Aggregate::Latest {
                    if let (Some(o), Some(oldest)) = (points.last(), oldest_allowed(limit)) {
                        if o.date < oldest {
                            return Err(Missing {
                                reason: format!(
                                    "the latest `{}` for {area_name} is from {}, more than {limit_text} before {to} (missing data carries forward {limit_text})",
                                    m.name, o.date
                                ),
                                not_met: false,
                            });
                        }
                    }
                }
            }
            MissingPolicy::Unknown | MissingPolicy::NotMet => {}
        }
        let Some(&last) = points.last() else {
            return Err(Missing {
                reason: format!("no observation of `{}` for {area_name} {}", m.name, when()),
                not_met: policy == MissingPolicy::NotMet,
            });
        };
        if let (Some(fresh), Window::Current, None, Aggregate::Latest) =
            (m.fresh_within, window, from, aggregate)
        {
            if oldest_allowed(fresh).is_some_and(|oldest| last.date < oldest) {
                self.note(format!(
                    "stale data: the latest `{}` for {area_name} is from {}, older than {} before {to}",
                    m.name,
                    last.date,
                    describe_duration(fresh)
                ));
            }
        }
        let (value, sources): (Value, Vec<Provenance>) = match aggregate {
            Aggregate::Latest => (last.value.clone(), vec![last.source]),
            Aggregate::Count => (
                Value::Num(Decimal::from(points.len()), crate::value::Unit::Count),
                points.iter().map(|o| o.source).collect(),
            ),
            Aggregate::Min | Aggregate::Max => {
                let mut best = last;
                for &o in &points {
                    let ord = o.value.compare(&best.value);
                    let better = if aggregate == Aggregate::Min {
                        ord.is_some_and(|x| x.is_lt())
                    } else {
                        ord.is_some_and(|x| x.is_gt())
                    };
                    if better {
                        best = o;
                    }
                }
                (best.value.clone(), vec![best.source])
            }
            Aggregate::Mean => {
                let mut sum = Decimal::ZERO;
                let mut unit = crate::value::Unit::Ratio;
                for o in &points {
                    if let Value::Num(n, u) = &o.value {
                        sum = sum
                            .checked_add(*n)
                            .ok_or_else(|| format!("the sum for `{written}` is too large"))?;
                        unit = u.clone();
                    }
                }
                let mean = sum
                    .checked_div(Decimal::from(points.len()))
                    .ok_or_else(|| format!("cannot divide for `{written}`"))?;
                (
                    Value::Num(mean.round_dp(MEAN_PLACES), unit),
                    points.iter().map(|o| o.source).collect(),
                )
            }
        };
        let described = match aggregate {
            Aggregate::Latest => format!("{value} (`{written}`, {})", last.date),
            _ => format!("{value} (`{written}`, {} observations)", points.len()),
        };
        Ok(Read {
            value,
            sources,
            described,
        })
    }

    /// Whether the trend of a comparison's metric projects a miss at the
    /// deadline: the least-squares line through the metric's observations
    /// in the year before `as_of` (at least three), read at the deadline.
    fn at_risk(&self, cond: &Cond, deadline: Date, as_of: Date) -> Option<String> {
        let Cond::Compare { lhs, op, rhs, .. } = cond else {
            return None;
        };
        let [(
            _,
            Term::Metric {
                metric,
                area,
                aggregate: Aggregate::Latest,
                window: Window::Current,
                ..
            },
        )] = lhs.terms.as_slice()
        else {
            return None;
        };
        let required = self.value(rhs, View::until(as_of)).ok()?;
        let start = time::shift(
            as_of,
            AddOp::Sub,
            crate::ast::Duration {
                amount: 12,
                unit: crate::ast::DurationUnit::Months,
            },
        )
        .ok()?;
        let series = self.data.series(*metric, area.as_deref());
        let end = series.partition_point(|o| o.date <= as_of);
        let begin = series.partition_point(|o| o.date <= start);
        let points = self.visible(series.get(begin..end)?);
        if points.len() < MIN_TREND_POINTS {
            return None;
        }
        let origin = points.first()?.date;
        let projected = project(&points, origin, deadline)?;
        let unit = match &required.value {
            Value::Num(_, u) => u.clone(),
            Value::Rating { .. } => return None,
        };
        let projected = Value::Num(projected.round_dp(1), unit);
        let holds = projected
            .compare(&required.value)
            .is_some_and(|ord| op.accepts(ord));
        let name = self
            .notice
            .metrics
            .get(*metric)
            .map_or("?", |m| m.name.as_str());
        (!holds).then(|| {
            format!(
                "at risk: the trend of `{name}` over {} observations since {origin} projects {projected} on {deadline}, short of {} {}",
                points.len(),
                op.symbol(),
                required.value
            )
        })
    }

    /// Records a note for the verdict being judged (stale data, a policy applied).
    fn note(&self, note: String) {
        let mut notes = self.notes.borrow_mut();
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
}

/// Data a value needed but did not find.
struct Missing {
    reason: String,
    /// The missing-data policy says the condition is then not met.
    not_met: bool,
}

impl From<String> for Missing {
    fn from(reason: String) -> Self {
        Missing {
            reason,
            not_met: false,
        }
    }
}

/// `2 months`, for messages.
fn describe_duration(d: crate::ast::Duration) -> String {
    use crate::ast::DurationUnit::*;
    let unit = match (d.unit, d.amount == 1) {
        (Days, true) => "day",
        (Days, false) => "days",
        (WorkingDays, true) => "working day",
        (WorkingDays, false) => "working days",
        (Weeks, true) => "week",
        (Weeks, false) => "weeks",
        (Months, true) => "month",
        (Months, false) => "months",
        (Years, true) => "year",
        (Years, false) => "years",
    };
    format!("{} {unit}", d.amount)
}

/// Decimal places a mean is rounded to (half to even), so a mean of thirds
/// is stated once and compared as shown.
pub const MEAN_PLACES: u32 = 4;

/// The sign (-1, 0, 1) of the least-squares slope of values against days
/// since `origin`: the sign of n·Σxy − Σx·Σy, computed exactly.
fn slope_sign(points: &[&crate::data::Observation], origin: Date) -> Option<i8> {
    let n = Decimal::from(points.len());
    let (mut sx, mut sy, mut sxy) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for o in points {
        let x = Decimal::from((o.date - origin).num_days());
        let y = match &o.value {
            Value::Num(v, _) => *v,
            Value::Rating { rank, .. } => Decimal::from(*rank),
        };
        sx = sx.checked_add(x)?;
        sy = sy.checked_add(y)?;
        sxy = sxy.checked_add(x.checked_mul(y)?)?;
    }
    let numerator = n.checked_mul(sxy)?.checked_sub(sx.checked_mul(sy)?)?;
    Some(if numerator > Decimal::ZERO {
        1
    } else if numerator < Decimal::ZERO {
        -1
    } else {
        0
    })
}

/// The least-squares line through the points, read at `at` (days from `origin`), exactly.
fn project(points: &[&crate::data::Observation], origin: Date, at: Date) -> Option<Decimal> {
    let n = Decimal::from(points.len());
    let (mut sx, mut sy, mut sxy, mut sxx) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for o in points {
        let x = Decimal::from((o.date - origin).num_days());
        let Value::Num(y, _) = &o.value else {
            return None;
        };
        sx = sx.checked_add(x)?;
        sy = sy.checked_add(*y)?;
        sxy = sxy.checked_add(x.checked_mul(*y)?)?;
        sxx = sxx.checked_add(x.checked_mul(x)?)?;
    }
    let denominator = n.checked_mul(sxx)?.checked_sub(sx.checked_mul(sx)?)?;
    if denominator.is_zero() {
        return None;
    }
    let slope = n
        .checked_mul(sxy)?
        .checked_sub(sx.checked_mul(sy)?)?
        .checked_div(denominator)?;
    let intercept = sy.checked_sub(slope.checked_mul(sx)?)?.checked_div(n)?;
    let x = Decimal::from((at - origin).num_days());
    intercept.checked_add(slope.checked_mul(x)?)
}

fn unknown_found(required: String, reason: String) -> Found {
    Found {
        truth: Truth::Unknown,
        observed: None,
        required: Some(required),
        sources: Vec::new(),
        reason,
    }
}

/// Adds sources not already listed, keeping their order.
fn push_unique(sources: &mut Vec<Provenance>, more: &[Provenance]) {
    for p in more {
        if !sources.contains(p) {
            sources.push(*p);
        }
    }
}

fn merge(truth: Truth, deciding: Vec<Found>) -> Found {
    if deciding.len() == 1 {
        if let Some(mut only) = deciding.into_iter().next() {
            only.truth = truth;
            return only;
        }
        return Found {
            truth,
            observed: None,
            required: None,
            sources: Vec::new(),
            reason: String::new(),
        };
    }
    let mut sources = Vec::new();
    let mut reasons = Vec::new();
    for f in &deciding {
        push_unique(&mut sources, &f.sources);
        if !f.reason.is_empty() {
            reasons.push(f.reason.clone());
        }
    }
    Found {
        truth,
        observed: None,
        required: None,
        sources,
        reason: reasons.join("; "),
    }
}

/// A notice evaluated at a series of dates.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// The evaluation dates, in order.
    pub steps: Vec<Date>,
    /// The outcome at each step.
    pub outcomes: Vec<Outcome>,
}

/// A change of status between two steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The first step with the new status.
    pub date: Date,
    /// The status before.
    pub from: Status,
    /// The status from `date` on.
    pub to: Status,
}

impl Timeline {
    /// The statuses of a measure at each step.
    pub fn measure_statuses(&self, measure: usize) -> Vec<Status> {
        self.outcomes
            .iter()
            .map(|o| {
                o.measures
                    .get(measure)
                    .map_or(Status::Unknown, |m| m.status)
            })
            .collect()
    }

    /// The statuses of one requirement at each step.
    pub fn requirement_statuses(&self, measure: usize, requirement: usize) -> Vec<Status> {
        self.outcomes
            .iter()
            .map(|o| {
                o.measures
                    .get(measure)
                    .and_then(|m| m.requirements.get(requirement))
                    .map_or(Status::Unknown, |v| v.status)
            })
            .collect()
    }

    /// The dates on which a series of statuses changed.
    pub fn changes(&self, statuses: &[Status]) -> Vec<Change> {
        statuses
            .windows(2)
            .zip(self.steps.iter().skip(1))
            .filter_map(|(pair, &date)| match pair {
                [a, b] if a != b => Some(Change {
                    date,
                    from: *a,
                    to: *b,
                }),
                _ => None,
            })
            .collect()
    }
}

/// Evaluates a notice at each of `steps`. Data is loaded and indexed once;
/// each step is a binary search per term over the sorted series.
pub fn timeline(notice: &Notice, data: &DataSet, steps: &[Date], options: Options) -> Timeline {
    Timeline {
        steps: steps.to_vec(),
        outcomes: {
            let cache = DeadlineCache::default();
            steps
                .iter()
                .map(|&d| evaluate_cached(notice, data, d, options, &cache))
                .collect()
        },
    }
}

/// The dates from `from` to `to` (both included) a step apart: a month
/// step counts months from `from`, clamped to each month's end.
pub fn steps(from: Date, to: Date, period: Period) -> Vec<Date> {
    let mut out = Vec::new();
    for k in 0u32.. {
        let step = match period {
            Period::Week => crate::ast::Duration {
                amount: k.saturating_mul(7),
                unit: crate::ast::DurationUnit::Days,
            },
            Period::Month => crate::ast::Duration {
                amount: k,
                unit: crate::ast::DurationUnit::Months,
            },
            Period::Quarter => crate::ast::Duration {
                amount: k.saturating_mul(3),
                unit: crate::ast::DurationUnit::Months,
            },
        };
        match time::shift(from, AddOp::Add, step) {
            Ok(d) if d <= to => out.push(d),
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        time::parse_date(s).unwrap()
    }

    #[test]
    fn monthly_steps_count_from_the_first_and_clamp() {
        let s = steps(d("2012-01-31"), d("2012-05-31"), Period::Month);
        let s: Vec<String> = s.iter().map(ToString::to_string).collect();
        assert_eq!(
            s,
            [
                "2012-01-31",
                "2012-02-29",
                "2012-03-31",
                "2012-04-30",
                "2012-05-31"
            ]
        );
        assert_eq!(
            steps(d("2011-06-01"), d("2013-06-01"), Period::Month).len(),
            25
        );
        assert_eq!(
            steps(d("2012-01-02"), d("2012-01-31"), Period::Week).len(),
            5
        );
        assert!(steps(d("2012-02-01"), d("2012-01-01"), Period::Month).is_empty());
    }

    #[test]
    fn changes_name_the_first_step_with_the_new_status() {
        let t = Timeline {
            steps: vec![d("2012-01-01"), d("2012-02-01"), d("2012-03-01")],
            outcomes: Vec::new(),
        };
        let c = t.changes(&[Status::NotYetDue, Status::NotYetDue, Status::Met]);
        assert_eq!(
            c,
            vec![Change {
                date: d("2012-03-01"),
                from: Status::NotYetDue,
                to: Status::Met
            }]
        );
    }

    #[test]
    fn the_worst_status_wins_in_the_stated_order() {
        use Status::*;
        assert_eq!(Status::worst([Met, MetLate]), Some(MetLate));
        assert_eq!(Status::worst([MetLate, NotYetDue]), Some(NotYetDue));
        assert_eq!(Status::worst([NotYetDue, Unknown]), Some(Unknown));
        assert_eq!(Status::worst([Unknown, NotMet, Met]), Some(NotMet));
        assert_eq!(Status::worst([]), None);
    }
}

/// One line of an explanation: a sub-condition and what it came to.
#[derive(Debug, Clone)]
pub struct Explained {
    /// How deep the sub-condition sits in its requirement (0 is the whole condition).
    pub depth: usize,
    /// The sub-condition as written.
    pub text: String,
    /// `holds`, `fails` or `unknown`.
    pub outcome: &'static str,
    /// Why, with the values.
    pub reason: String,
    /// The data rows behind it.
    pub sources: Vec<Provenance>,
}

/// Every sub-condition of a requirement's condition with its value as of
/// `as_of`, outermost first: the evaluation tree `notice explain` prints.
pub fn explain_condition(
    notice: &Notice,
    data: &DataSet,
    r: &Requirement,
    as_of: Date,
    options: Options,
) -> Vec<Explained> {
    let ctx = Ctx::new(notice, data, options, r);
    let mut out = Vec::new();
    let mut stack: Vec<(&Cond, usize)> = vec![(&r.condition, 0)];
    while let Some((cond, depth)) = stack.pop() {
        let found = ctx.cond(cond, View::until(as_of));
        let span = cond.span();
        out.push(Explained {
            depth,
            text: notice
                .source
                .slice(span)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            outcome: match found.truth {
                Truth::True => "holds",
                Truth::False => "fails",
                Truth::Unknown => "unknown",
            },
            reason: found.reason,
            sources: found.sources,
        });
        let children: Vec<&Cond> = match cond {
            Cond::All(items, _)
            | Cond::Any(items, _)
            | Cond::And(items, _)
            | Cond::Or(items, _) => items.iter().collect(),
            Cond::Not(inner, _) => vec![inner.as_ref()],
            _ => Vec::new(),
        };
        for child in children.into_iter().rev() {
            stack.push((child, depth + 1));
        }
    }
    out
}
