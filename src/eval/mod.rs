//! Evaluation of a checked notice against a data set as of a date.
//!
//! Only data dated on or before the evaluation date is seen. A requirement
//! with a deadline is judged twice: as of its deadline (did it hold in time?)
//! and as of the evaluation date (does it hold now?). See `docs/language.md`
//! for the table of statuses.

use serde::Serialize;

use crate::ast::{AddOp, CmpOp, Kind};
use crate::check::model::{Cond, DeadlineKind, Notice, Requirement, Term, ValueExpr};
use crate::data::{DataSet, Provenance};
use crate::source::Span;
use crate::time::Date;
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
}

/// Evaluates every measure of a notice as of `as_of`.
pub fn evaluate(notice: &Notice, data: &DataSet, as_of: Date) -> Outcome {
    let measures: Vec<MeasureOutcome> = notice
        .measures
        .iter()
        .enumerate()
        .map(|(index, m)| {
            let requirements: Vec<Verdict> = m
                .requirements
                .iter()
                .enumerate()
                .map(|(i, r)| judge(notice, data, r, i, as_of))
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

fn judge(notice: &Notice, data: &DataSet, r: &Requirement, index: usize, as_of: Date) -> Verdict {
    let ctx = Ctx { notice, data };
    let now = ctx.cond(&r.condition, as_of);
    let deadline = r.deadline.as_ref();
    let (status, found, note) = match deadline {
        None => (plain(now.truth), now, String::new()),
        Some(d) if d.kind == DeadlineKind::After => {
            if as_of < d.date {
                let note = format!("; assessed from {}", d.describe());
                (Status::NotYetDue, now, note)
            } else {
                (plain(now.truth), now, String::new())
            }
        }
        Some(d) if as_of < d.date => {
            let status = match now.truth {
                Truth::True => Status::Met,
                Truth::False => Status::NotYetDue,
                Truth::Unknown => Status::Unknown,
            };
            (status, now, format!("; due by {}", d.describe()))
        }
        Some(d) => {
            let then = ctx.cond(&r.condition, d.date);
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
    }
}

fn plain(truth: Truth) -> Status {
    match truth {
        Truth::True => Status::Met,
        Truth::False => Status::NotMet,
        Truth::Unknown => Status::Unknown,
    }
}

struct Ctx<'a> {
    notice: &'a Notice,
    data: &'a DataSet,
}

/// A value with the rows and words that describe it.
struct Read {
    value: Value,
    sources: Vec<Provenance>,
    described: String,
}

impl Ctx<'_> {
    fn text(&self, span: Span) -> &str {
        self.notice.source.slice(span)
    }

    fn cond(&self, cond: &Cond, view: Date) -> Found {
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

    fn evidence(&self, kind: usize, view: Date) -> Found {
        let name = self
            .notice
            .evidence
            .get(kind)
            .map_or("?", |e| e.name.as_str());
        let records = self.data.evidence(kind);
        let seen = records.partition_point(|r| r.date <= view);
        match seen.checked_sub(1).and_then(|i| records.get(i)) {
            Some(first_seen) => {
                // The earliest record shows when the duty was first met.
                let first = records.first().unwrap_or(first_seen);
                Found {
                    truth: Truth::True,
                    observed: Some(format!("{} ({})", first.date, first.reference)),
                    required: Some(format!("evidence {name}")),
                    sources: vec![first.source],
                    reason: format!("`{name}` recorded on {}: {}", first.date, first.reference),
                }
            }
            None => Found {
                truth: Truth::False,
                observed: Some("no record".to_string()),
                required: Some(format!("evidence {name}")),
                sources: Vec::new(),
                reason: format!("no `{name}` record dated on or before {view}"),
            },
        }
    }

    fn compare(&self, lhs: &ValueExpr, op: CmpOp, rhs: &ValueExpr, view: Date) -> Found {
        let (l, r) = (self.value(lhs, view), self.value(rhs, view));
        let required_text = |r: &Result<Read, String>| match r {
            Ok(read) => format!("{} {}", op.symbol(), read.value),
            Err(_) => format!("{} {}", op.symbol(), self.text(rhs.span)),
        };
        let required = Some(required_text(&r));
        match (l, r) {
            (Ok(l), Ok(r)) => {
                let holds = l.value.compare(&r.value).is_some_and(|ord| match op {
                    CmpOp::Lt => ord.is_lt(),
                    CmpOp::Le => ord.is_le(),
                    CmpOp::Gt => ord.is_gt(),
                    CmpOp::Ge => ord.is_ge(),
                    CmpOp::Eq => ord.is_eq(),
                    CmpOp::Ne => ord.is_ne(),
                });
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
                let mut observed = None;
                for side in [&l, &r] {
                    match side {
                        Err(why) => reasons.push(why.clone()),
                        Ok(read) => sources.extend(read.sources.iter().copied()),
                    }
                }
                if let Ok(read) = &l {
                    observed = Some(read.value.to_string());
                }
                Found {
                    truth: Truth::Unknown,
                    observed,
                    required,
                    sources,
                    reason: reasons.join("; "),
                }
            }
        }
    }

    /// Reads a value expression as of `view`; `Err` says which data is missing.
    fn value(&self, expr: &ValueExpr, view: Date) -> Result<Read, String> {
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
        let mut read = total.ok_or_else(|| "an empty value".to_string())?;
        if expr.terms.len() > 1 {
            read.described = format!("{} ({})", read.value, read.described);
        }
        Ok(read)
    }

    fn term(&self, term: &Term, view: Date) -> Result<Read, String> {
        match term {
            Term::Const(v) => Ok(Read {
                value: v.clone(),
                sources: Vec::new(),
                described: v.to_string(),
            }),
            Term::Metric {
                metric,
                area,
                at,
                span,
            } => {
                let written = self.text(*span);
                let date = match at {
                    Some(d) if *d > view => {
                        return Err(format!(
                            "`{written}` is for {d}, after the evaluation date {view}"
                        ))
                    }
                    Some(d) => *d,
                    None => view,
                };
                let series = self.data.series(*metric, area.as_deref());
                let seen = series.partition_point(|o| o.date <= date);
                match seen.checked_sub(1).and_then(|i| series.get(i)) {
                    Some(obs) => Ok(Read {
                        value: obs.value.clone(),
                        sources: vec![obs.source],
                        described: format!("{} (`{written}`, {})", obs.value, obs.date),
                    }),
                    None => {
                        let name = self
                            .notice
                            .metrics
                            .get(*metric)
                            .map_or("?", |m| m.name.as_str());
                        let area = area.as_deref().unwrap_or(&self.notice.authority);
                        Err(format!(
                            "no observation of `{name}` for {area} on or before {date}"
                        ))
                    }
                }
            }
        }
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
