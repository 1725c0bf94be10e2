//! The one place English is written: findings, verdicts, notes and
//! projections become the sentences of the table, the diagnostics,
//! `notice explain` and the JSON `reason`.

use crate::ast::{AddOp, Aggregate, Duration, DurationUnit, Period};
use crate::check::model::{Deadline, MetricId, Requirement};
use crate::check::Notice;
use crate::eval::trace::{
    Cadence, Detail, Finding, Gap, MetricRead, Note, PeriodFinding, Projection, Reading, TermRead,
    Timing, TrendFinding, TrendOutcome,
};
use crate::eval::{Status, Truth, Verdict, MIN_TREND_POINTS};
use crate::time::{self, Date};
use crate::value::Value;

/// Why a verdict is what it is, in a sentence or two.
pub fn reason(notice: &Notice, r: &Requirement, v: &Verdict) -> String {
    if let (Timing::TooSoon { first }, Some((n, period))) = (v.timing, r.sustained) {
        let needed = format!(
            "{n} consecutive whole {} of the notice's life (from {})",
            period_name(period, n as usize),
            notice.issued
        );
        return match first {
            Some(first) => {
                format!("not yet shown: it needs {needed}, the first of which end on {first}")
            }
            None => format!("it can never be shown: {needed} end past the calendar's last date"),
        };
    }
    let mut out = finding(notice, &v.finding);
    let Some(d) = &r.deadline else {
        return out;
    };
    let due = format!("due by {}", deadline(d));
    match v.timing {
        Timing::Open
        | Timing::Recurring
        | Timing::TooSoon { .. }
        | Timing::AssessedFrom { started: true } => {}
        Timing::AssessedFrom { started: false } => {
            out.push_str(&format!("; assessed from {}", deadline(d)));
        }
        Timing::DueBy { at_deadline: None } => {
            let progress = match (v.status, v.finding.decisive()) {
                (Status::NotYetDue, Truth::True) => "on track, ",
                (Status::NotYetDue, Truth::Unknown) => "no data yet, ",
                _ => "",
            };
            out.push_str(&format!("; {progress}{due}"));
        }
        Timing::DueBy {
            at_deadline: Some(then),
        } => match (then, v.finding.decisive()) {
            (Truth::True, Truth::False) => out.push_str(&format!(
                "; it held by the deadline ({due}) but no longer holds"
            )),
            (Truth::False | Truth::Unknown, Truth::True) => {
                let why = if then == Truth::Unknown {
                    "no data showed it by then"
                } else {
                    "it did not hold then"
                };
                out.push_str(&format!("; {due}, but {why}"));
            }
            _ => out.push_str(&format!("; {due}")),
        },
    }
    out
}

/// Why the verdict on a requirement of the measure at `measure` is what it is.
pub fn verdict_reason(notice: &Notice, measure: usize, v: &Verdict) -> String {
    match notice
        .measures
        .get(measure)
        .and_then(|m| m.requirements.get(v.index))
    {
        Some(r) => reason(notice, r, v),
        None => finding(notice, &v.finding),
    }
}

/// A deadline as a reader knows it: `2012-07-23 (formal_review)`, or the
/// date alone when it was written as one.
pub(crate) fn deadline(d: &Deadline) -> String {
    let date = d.date.to_string();
    if d.written == date {
        date
    } else {
        format!("{date} ({})", d.written)
    }
}

/// What a finding came to, with its values.
pub fn finding(notice: &Notice, f: &Finding) -> String {
    Words { notice }.reason(f)
}

/// What was observed, for the verdict's one-line summary.
pub fn observed(notice: &Notice, f: &Finding) -> Option<String> {
    Words { notice }.observed(f)
}

/// What was observed, with the date of the figure when one figure decided
/// it: `61% on 2012-06-30`.
pub(crate) fn observed_on(notice: &Notice, f: &Finding) -> Option<String> {
    let observed = observed(notice, f)?;
    let date = match &f.detail {
        Detail::Compare { left, .. } if left.value.is_ok() => {
            left.terms.iter().find_map(|t| match &t.read {
                TermRead::Metric(m) if m.aggregate == Aggregate::Latest => m.latest,
                _ => None,
            })
        }
        _ => None,
    };
    Some(match date {
        Some(d) => format!("{observed} on {d}"),
        None => observed,
    })
}

/// What was required, for the verdict's one-line summary.
pub fn required(notice: &Notice, f: &Finding) -> Option<String> {
    Words { notice }.required(f)
}

/// A note in a sentence.
pub fn note(notice: &Notice, n: &Note) -> String {
    let w = Words { notice };
    match n {
        Note::Stale {
            metric,
            area,
            date,
            fresh,
            to,
        } => format!(
            "stale data: the latest `{}` for {} is from {date}, older than {} before {to}",
            w.metric(*metric),
            w.area(area.as_deref()),
            duration(*fresh)
        ),
        Note::PublishedLate {
            date,
            published,
            deadline,
        } => format!(
            "reported late: the figure for {date} was published on {published}, after the deadline {deadline}; the target was met in time"
        ),
        Note::CarriedForward {
            metric,
            area,
            from,
            to,
            date,
            limit,
        } => format!(
            "`{}` for {}: no observation {}; carried forward the value of {date} (missing data carries forward {})",
            w.metric(*metric),
            w.area(area.as_deref()),
            window(*from, *to),
            duration(*limit)
        ),
    }
}

/// The projection that puts a requirement at risk, in a sentence.
pub fn at_risk(notice: &Notice, p: &Projection) -> String {
    format!(
        "at risk: the trend of `{}` over {} observations since {} projects {} on {}, short of {} {}",
        Words { notice }.metric(p.metric),
        p.points,
        p.since,
        p.projected,
        p.deadline,
        p.op.symbol(),
        p.required
    )
}

/// Why a record condition is unknown for an area screened.
const NO_RECORDS_FOR_AREA: &str =
    "the data holds evidence records for the notice's own authority only, not for this area";

/// Why a published figure is not a number, from its symbol.
pub(crate) fn withheld_words(w: crate::data::Withheld) -> &'static str {
    use crate::data::Withheld;
    match w {
        Withheld::Confidential => "suppressed (c) in the published figures",
        Withheld::NotAvailable => "not available (x) in the published figures",
        Withheld::NotApplicable => "not applicable (z) in the published figures",
        Withheld::Low => "published as `low`: it rounds to zero, but is not zero",
        Withheld::LowReliability => "published as `u`: of low reliability",
        Withheld::Colon => "not available (:) in the published figures",
    }
}

/// A status in words, as sentences use it.
pub fn status_words(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::MetLate => "met late",
        Status::NotMet => "not met",
        Status::NotYetDue => "not yet due",
        Status::Unknown => "unknown",
    }
}

/// A status as one symbol, for grids and strips (always beside a key).
pub(crate) fn status_symbol(status: Status) -> &'static str {
    match status {
        Status::Met => "✓",
        Status::MetLate => "~",
        Status::NotMet => "✗",
        Status::NotYetDue => "·",
        Status::Unknown => "?",
    }
}

/// A deadline with where it came from: `due by 2012-07-23 (formal_review =
/// issued + 6 months)`.
pub(crate) fn deadline_line(notice: &Notice, d: &Deadline) -> String {
    use crate::check::model::DeadlineKind;
    let anchor = notice
        .milestones
        .iter()
        .find(|ms| ms.name == d.written)
        .map(|ms| format!(" ({} = {})", ms.name, ms.definition))
        .unwrap_or_default();
    let when = match d.kind {
        DeadlineKind::By => "due by",
        DeadlineKind::After => "assessed from",
        DeadlineKind::Every { .. } | DeadlineKind::Rolling { .. } => "recurring until",
    };
    format!("{when} {}{anchor}", d.date)
}

/// A condition's truth in a word: `holds`, `fails`, `unknown`.
pub(crate) fn truth_word(truth: Truth) -> &'static str {
    match truth {
        Truth::True => "holds",
        Truth::False => "fails",
        Truth::Unknown => "unknown",
    }
}

/// `2 months`, `1 working day`.
pub(crate) fn duration(d: Duration) -> String {
    use DurationUnit::*;
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

/// The name of a period kind, plural when `n` is not 1.
pub(crate) fn period_name(period: Period, n: usize) -> String {
    let one = n == 1;
    let word = |singular: &str, plural: &str| if one { singular } else { plural }.to_string();
    match period {
        Period::Week => word("week", "weeks"),
        Period::Month => word("month", "months"),
        Period::Quarter => word("quarter", "quarters"),
        Period::Months(12) => word("year", "years"),
        Period::Months(6) => word("half-year", "half-years"),
        Period::Months(m) => word(&format!("{m}-month period"), &format!("{m}-month periods")),
        Period::Weeks(w) => word(&format!("{w}-week period"), &format!("{w}-week periods")),
    }
}

/// The name of a recurring duty's periods: calendar ones, or intervals.
pub(crate) fn cadence_name(cadence: Cadence, n: usize) -> String {
    match cadence {
        Cadence::Calendar(period) => period_name(period, n),
        Cadence::Rolling(_) if n == 1 => "interval".into(),
        Cadence::Rolling(_) => "intervals".into(),
    }
}

/// `from A until B`, or `on or before B`.
fn window(from: Option<Date>, to: Date) -> String {
    match from {
        // A window not yet open (`after D`, read before D).
        Some(f) if f > to => format!("on or after {f}"),
        Some(f) => format!("from {f} until {to}"),
        None => format!("on or before {to}"),
    }
}

const NOT_MET_BY_POLICY: &str = " (missing data means not met)";

/// The renderer, holding the notice whose names and text it quotes.
struct Words<'a> {
    notice: &'a Notice,
}

impl Words<'_> {
    fn text(&self, span: crate::Span) -> &str {
        self.notice.source.slice(span)
    }

    fn metric(&self, id: MetricId) -> &str {
        self.notice.metric(id).map_or("?", |m| m.name.as_str())
    }

    fn area<'b>(&'b self, area: Option<&'b str>) -> &'b str {
        area.unwrap_or(&self.notice.authority)
    }

    fn reason(&self, f: &Finding) -> String {
        match &f.detail {
            Detail::Compare {
                left,
                op,
                right,
                missing_means_not_met,
            } => match (&left.value, &right.value) {
                (Ok(_), Ok(_)) => {
                    let verb = if f.truth == Truth::True {
                        "is"
                    } else {
                        "is not"
                    };
                    format!(
                        "{} {verb} {} {}",
                        self.reading(left),
                        op.symbol(),
                        self.reading(right)
                    )
                }
                _ => {
                    let reasons: Vec<String> = [left, right]
                        .iter()
                        .filter_map(|side| self.gap(side))
                        .collect();
                    let mut out = reasons.join("; ");
                    if *missing_means_not_met {
                        out.push_str(NOT_MET_BY_POLICY);
                    }
                    out
                }
            },
            Detail::Evidence {
                kind,
                from,
                to,
                record,
            } => {
                let name = self.evidence(*kind);
                match record {
                    Some(r) => format!("`{name}` recorded on {}: {}", r.date, r.reference),
                    None if f.truth == Truth::Unknown => NO_RECORDS_FOR_AREA.into(),
                    None => format!("no `{name}` record dated {}", window(*from, *to)),
                }
            }
            Detail::Trend(t) => self.trend(t),
            Detail::Logic {
                parts, deciding, ..
            } => self.merged(
                deciding.iter().filter_map(|&i| parts.get(i)).collect(),
                |f| self.reason(f),
            ),
            // Unknown passes through `not` unchanged: the missing figure is the reason.
            Detail::Not(inner) if f.truth == Truth::Unknown => self.reason(inner),
            Detail::Not(inner) => {
                let verdict = if f.truth == Truth::True {
                    "holds"
                } else {
                    "fails"
                };
                format!("`{}` {verdict}: {}", self.text(f.span), self.reason(inner))
            }
            Detail::Recurring {
                cadence,
                due,
                to_come,
                ..
            } => self.recurring(*cadence, due, to_come),
            Detail::Sustained {
                period,
                n,
                to,
                periods,
                deciding,
            } => {
                if f.truth == Truth::True {
                    return format!(
                        "held in each of the {n} {} to {to}",
                        period_name(*period, *n as usize)
                    );
                }
                let deciding: Vec<&PeriodFinding> =
                    deciding.iter().filter_map(|&i| periods.get(i)).collect();
                deciding
                    .iter()
                    .map(|p| format!("{}: {}", p.label(), self.reason(&p.finding)))
                    .filter(|r| !r.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        }
    }

    /// One deciding part's words, or the reasons of several joined.
    fn merged(&self, deciding: Vec<&Finding>, words: impl Fn(&Finding) -> String) -> String {
        if let [only] = deciding.as_slice() {
            return words(only);
        }
        deciding
            .iter()
            .map(|f| words(f))
            .filter(|r| !r.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn recurring(&self, cadence: Cadence, due: &[PeriodFinding], to_come: &[time::Span]) -> String {
        let labels = |t: Truth| -> Vec<String> {
            due.iter()
                .filter(|p| p.finding.decisive() == t)
                .map(PeriodFinding::label)
                .collect()
        };
        let (missed, unknown) = (labels(Truth::False), labels(Truth::Unknown));
        let summary = |list: &[String], what: &str| {
            format!(
                "{what} in {} of {} {} due: {}",
                list.len(),
                due.len(),
                cadence_name(cadence, due.len()),
                list.join(", ")
            )
        };
        let text = if !missed.is_empty() {
            summary(&missed, "missed")
        } else if !unknown.is_empty() {
            summary(&unknown, "no data")
        } else if due.is_empty() {
            // None is due, so every period is still to come.
            let first = to_come
                .first()
                .map_or(String::new(), |p| format!(": the first ends {}", p.end));
            format!("no {} due yet{first}", cadence_name(cadence, 1))
        } else {
            format!(
                "held in all {} {} due",
                due.len(),
                cadence_name(cadence, due.len())
            )
        };
        let more = if !to_come.is_empty() && !due.is_empty() {
            let n = to_come.len();
            format!("; {n} {} still to come", cadence_name(cadence, n))
        } else {
            String::new()
        };
        let reasons: Vec<String> = due
            .iter()
            .filter(|p| p.finding.decisive() != Truth::True)
            .map(|p| format!("{}: {}", p.label(), self.reason(&p.finding)))
            .collect();
        let detail = if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join("; "))
        };
        format!("{text}{more}{detail}")
    }

    fn trend(&self, t: &TrendFinding) -> String {
        let name = self.metric(t.metric);
        let area = self.area(t.area.as_deref());
        let window_text = match t.after {
            Some(start) => format!("after {start} until {}", t.to),
            None => format!("until {}", t.to),
        };
        let n = t.points.len();
        match &t.outcome {
            TrendOutcome::BadWindow(e) => e.to_string(),
            TrendOutcome::TooLarge => "the trend is too large to compute exactly".into(),
            TrendOutcome::TooFew {
                missing_means_not_met,
            } => format!(
                "a trend needs at least {MIN_TREND_POINTS} observations of `{name}` for {area} {window_text}; there are {n}{}",
                if *missing_means_not_met { NOT_MET_BY_POLICY } else { "" }
            ),
            TrendOutcome::Direction(better) => {
                let ends = match (t.points.first(), t.points.last()) {
                    (Some(f), Some(l)) => {
                        format!("from {} ({}) to {} ({})", f.value, f.date, l.value, l.date)
                    }
                    _ => String::new(),
                };
                let mut out = format!(
                    "`{name}` for {area} is {} over {n} observations {window_text}, {ends}",
                    direction_word(*better)
                );
                if let (Some(by), Some(moved)) = (t.by, t.moved) {
                    let unit = self.movement_unit(t.metric);
                    let asked = if t.improving { "improving" } else { "worsening" };
                    out.push_str(&format!(
                        "; its line moved {} {asked} over the window, against at least {} asked",
                        Value::Num(moved, unit.clone()),
                        Value::Num(by, unit)
                    ));
                }
                out
            }
        }
    }

    /// The unit a metric's trend moves in: percentage points for a percent,
    /// levels (a number) for a rating, else the metric's own.
    fn movement_unit(&self, metric: MetricId) -> crate::value::Unit {
        use crate::value::Unit;
        match self.notice.metric(metric).map(|m| &m.unit) {
            Some(Unit::Percent) => Unit::Pp,
            Some(Unit::Rating(_)) | None => Unit::Number,
            Some(other) => other.clone(),
        }
    }

    /// A value with what it was read from: `76% (`m`, 2012-07-31)`.
    fn reading(&self, r: &Reading) -> String {
        let mut parts = Vec::with_capacity(r.terms.len());
        for (i, t) in r.terms.iter().enumerate() {
            let described = match &t.read {
                TermRead::Const(v) => v.to_string(),
                TermRead::Metric(m) => self.metric_value(m, t.span),
                TermRead::Records(c) => format!(
                    "{} (`{}`: {} dated {})",
                    c.records.len(),
                    self.text(t.span),
                    plural(c.records.len(), "record", "records"),
                    window(c.from, c.to)
                ),
            };
            if i == 0 {
                parts.push(described);
            } else {
                let sign = if t.op == AddOp::Add { "+" } else { "-" };
                parts.push(format!("{sign} {described}"));
            }
        }
        let joined = parts.join(" ");
        match (&r.value, r.terms.len() > 1) {
            (Ok(v), true) => format!("{v} ({joined})"),
            _ => joined,
        }
    }

    fn metric_value(&self, m: &MetricRead, span: crate::Span) -> String {
        let written = self.text(span);
        let Ok(value) = &m.value else {
            return written.to_string();
        };
        match (m.aggregate, m.latest) {
            (Aggregate::Latest, Some(date)) => format!("{value} (`{written}`, {date})"),
            (Aggregate::Count, _) => format!(
                "{value} (`{written}`: {} dated {})",
                plural(m.count, "row", "rows"),
                window(m.from, m.to)
            ),
            _ => format!("{value} (`{written}`, {} observations)", m.count),
        }
    }

    /// Why a side of a comparison has no value, or `None` if it has one.
    fn gap(&self, r: &Reading) -> Option<String> {
        let Err(gap) = &r.value else {
            return None;
        };
        let failing = r.terms.last().and_then(|t| match &t.read {
            TermRead::Metric(m) if m.value.is_err() => Some((m, t.span)),
            _ => None,
        });
        Some(match failing {
            Some((m, span)) => self.metric_gap(m, span),
            None => match gap {
                Gap::TooLarge => format!("`{}` is too large to compute", self.text(r.span)),
                Gap::NoRecordsForArea => NO_RECORDS_FOR_AREA.into(),
                _ => "an empty value".into(),
            },
        })
    }

    fn metric_gap(&self, m: &MetricRead, span: crate::Span) -> String {
        let written = self.text(span);
        let name = self.metric(m.metric);
        let area = self.area(m.area.as_deref());
        match &m.value {
            Ok(_) => String::new(),
            Err(Gap::AfterEvaluation { date }) => format!(
                "`{written}` is for {date}, after the evaluation date {}",
                m.to
            ),
            Err(Gap::BadWindow(e)) => e.to_string(),
            Err(Gap::UnknownMetric) => "unknown metric".into(),
            Err(Gap::NoRecordsForArea) => NO_RECORDS_FOR_AREA.into(),
            Err(Gap::TooOldToCarry { date, limit }) => format!(
                "the latest `{name}` for {area} is from {date}, more than {} before {} (missing data carries forward {})",
                duration(*limit),
                m.to,
                duration(*limit)
            ),
            Err(Gap::NoObservation {
                before_issued: Some(date),
                ..
            }) => format!(
                "no observation of `{name}` for {area} {}; the latest, for {date}, is from before the notice: a baseline, not a figure that can meet it",
                window(m.from, m.to)
            ),
            Err(Gap::NoObservation { .. }) => match m.withheld {
                Some((date, withheld, _)) => format!(
                    "no figure of `{name}` for {area} {}: the figure for {date} is {}",
                    window(m.from, m.to),
                    withheld_words(withheld)
                ),
                None => format!(
                    "no observation of `{name}` for {area} {}",
                    window(m.from, m.to)
                ),
            },
            Err(Gap::SumTooLarge) => format!("the sum for `{written}` is too large"),
            Err(Gap::CannotDivide) => format!("cannot divide for `{written}`"),
            Err(Gap::TooLarge) => format!("`{written}` is too large to compute"),
        }
    }

    fn evidence(&self, kind: crate::check::model::EvidenceId) -> &str {
        self.notice
            .evidence_kind(kind)
            .map_or("?", |e| e.name.as_str())
    }

    fn observed(&self, f: &Finding) -> Option<String> {
        match &f.detail {
            Detail::Compare { left, .. } => left.value.as_ref().ok().map(ToString::to_string),
            Detail::Evidence { record, .. } => Some(match record {
                Some(r) => format!("{} ({})", r.date, r.reference),
                None if f.truth == Truth::Unknown => "not in the data".into(),
                None => "no record".into(),
            }),
            Detail::Trend(t) => match t.outcome {
                TrendOutcome::Direction(better) => Some(direction_word(better).into()),
                TrendOutcome::TooFew { .. } => Some(format!("{} observations", t.points.len())),
                TrendOutcome::TooLarge | TrendOutcome::BadWindow(_) => None,
            },
            Detail::Logic {
                parts, deciding, ..
            } => self.one_deciding(deciding.iter().filter_map(|&i| parts.get(i)), |f| {
                self.observed(f)
            }),
            Detail::Not(inner) => self.observed(inner),
            Detail::Recurring { cadence, due, .. } => {
                let held = due
                    .iter()
                    .filter(|p| p.finding.truth == Truth::True)
                    .count();
                Some(format!(
                    "{held} of {} {} held",
                    due.len(),
                    cadence_name(*cadence, due.len())
                ))
            }
            Detail::Sustained {
                periods, deciding, ..
            } => self.one_deciding(
                deciding
                    .iter()
                    .filter_map(|&i| periods.get(i))
                    .map(|p| &p.finding),
                |f| self.observed(f),
            ),
        }
    }

    fn required(&self, f: &Finding) -> Option<String> {
        match &f.detail {
            Detail::Compare { op, right, .. } => Some(match &right.value {
                Ok(v) => format!("{} {v}", op.symbol()),
                Err(_) => format!("{} {}", op.symbol(), self.text(right.span)),
            }),
            Detail::Evidence { kind, .. } => Some(format!("evidence {}", self.evidence(*kind))),
            Detail::Trend(_) | Detail::Not(_) => Some(self.text(f.span).to_string()),
            Detail::Logic {
                parts, deciding, ..
            } => self.one_deciding(deciding.iter().filter_map(|&i| parts.get(i)), |f| {
                self.required(f)
            }),
            Detail::Recurring {
                cadence,
                from,
                until,
                ..
            } => Some(match cadence {
                Cadence::Calendar(period) => format!(
                    "every {} from {from} until {until}",
                    period_name(*period, 1)
                ),
                Cadence::Rolling(every) => format!(
                    "at least every {} from {from} until {until}",
                    duration(*every)
                ),
            }),
            Detail::Sustained {
                period,
                n,
                periods,
                deciding,
                ..
            } => {
                let inner = self
                    .one_deciding(
                        deciding
                            .iter()
                            .filter_map(|&i| periods.get(i))
                            .map(|p| &p.finding),
                        |f| self.required(f),
                    )
                    .unwrap_or_default();
                Some(format!(
                    "{inner} for {n} consecutive {}",
                    period_name(*period, *n as usize)
                ))
            }
        }
    }

    /// The words of the one deciding part, when exactly one decided.
    fn one_deciding<'f>(
        &self,
        mut deciding: impl Iterator<Item = &'f Finding>,
        words: impl Fn(&Finding) -> Option<String>,
    ) -> Option<String> {
        let first = deciding.next()?;
        match deciding.next() {
            None => words(first),
            Some(_) => None,
        }
    }
}

/// `improving`, `worsening` or `flat`, from the sign of a trend against the metric's direction.
fn direction_word(better: i8) -> &'static str {
    match better {
        1 => "improving",
        -1 => "worsening",
        _ => "flat",
    }
}

/// `1 row`, `2 rows`.
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
