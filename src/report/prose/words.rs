//! Findings become sentences: the words of every kind of finding, read
//! against the notice whose names and text they quote.

use crate::ast::{AddOp, Aggregate};
use crate::check::model::MetricId;
use crate::check::Notice;
use crate::eval::trace::{
    Cadence, Detail, Finding, Gap, MetricRead, PeriodFinding, Reading, TermRead, TrendFinding,
    TrendOutcome,
};
use crate::eval::{Truth, MIN_TREND_POINTS};
use crate::time::{self};
use crate::value::Value;

use super::{
    aggregate_word, cadence_name, date, direction_word, duration, labelled, period_label,
    period_name, plural, window, withheld_words, NO_RECORDS_FOR_AREA,
};

const NOT_MET_BY_POLICY: &str = " (missing data means not met)";

/// The renderer, holding the notice whose names and text it quotes.
pub(crate) struct Words<'a> {
    pub(super) notice: &'a Notice,
}

impl Words<'_> {
    /// A metric by its label (its description), never its identifier.
    pub(super) fn metric(&self, id: MetricId) -> String {
        self.notice.metric(id).map_or_else(
            || "?".into(),
            |m| labelled(m.description.as_deref(), &m.name),
        )
    }

    /// A metric by its label, with the area when it is not the council's.
    fn metric_in(&self, id: MetricId, area: Option<&str>) -> String {
        match area {
            Some(a) => format!("{}, {a}", self.metric(id)),
            None => self.metric(id),
        }
    }

    pub(super) fn area<'b>(&'b self, area: Option<&'b str>) -> &'b str {
        area.unwrap_or(&self.notice.authority)
    }

    pub(super) fn reason(&self, f: &Finding) -> String {
        const STANDING_CANNOT_MEET: &str =
            ", but on a value from before the notice, which can show it not met, never met: it needs one of the notice's life";
        match &f.detail {
            Detail::Compare {
                left,
                op,
                right,
                missing_means_not_met,
            } => match (&left.value, &right.value) {
                (Ok(_), Ok(_)) => {
                    // Unknown with both values read: it holds, but on a
                    // value from before the notice that stands, which
                    // cannot show it met.
                    let (verb, but) = match f.truth {
                        Truth::True => ("is", ""),
                        Truth::False => ("is not", ""),
                        Truth::Unknown => ("is", STANDING_CANNOT_MEET),
                    };
                    format!(
                        "{} {verb} {} {}{but}",
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
                    Some(r) => format!("{name}: recorded on {} ({})", date(r.date), r.reference),
                    None if f.truth == Truth::Unknown => NO_RECORDS_FOR_AREA.into(),
                    None => format!("{name}: no record dated {}", window(*from, *to)),
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
                    "it must not be so, and is not"
                } else {
                    "it must not be so, but is"
                };
                format!("{verdict}: {}", self.reason(inner))
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
                        "held in each of the {n} {} to {}",
                        period_name(*period, *n as usize),
                        date(*to)
                    );
                }
                let deciding: Vec<&PeriodFinding> =
                    deciding.iter().filter_map(|&i| periods.get(i)).collect();
                deciding
                    .iter()
                    .map(|p| {
                        format!(
                            "{}: {}",
                            period_label(p.cadence, p.span),
                            self.reason(&p.finding)
                        )
                    })
                    .filter(|r| !r.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        }
    }

    /// One deciding part's words, or the reasons of several joined.
    pub(super) fn merged(
        &self,
        deciding: Vec<&Finding>,
        words: impl Fn(&Finding) -> String,
    ) -> String {
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

    pub(super) fn recurring(
        &self,
        cadence: Cadence,
        due: &[PeriodFinding],
        to_come: &[time::Span],
    ) -> String {
        let labels = |t: Truth, made_up: bool| -> Vec<String> {
            due.iter()
                .filter(|p| p.finding.decisive() == t && p.made_up.is_some() == made_up)
                .map(|p| period_label(p.cadence, p.span))
                .collect()
        };
        let (missed, unknown) = (labels(Truth::False, false), labels(Truth::Unknown, false));
        let late: Vec<String> = due
            .iter()
            .filter_map(|p| {
                let day = p.made_up.as_ref()?.delivered_on()?;
                Some(format!(
                    "{} (record of {})",
                    period_label(p.cadence, p.span),
                    date(day)
                ))
            })
            .collect();
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
            let first = to_come.first().map_or(String::new(), |p| {
                format!(": the first ends {}", date(p.end))
            });
            format!("no {} due yet{first}", cadence_name(cadence, 1))
        } else if !late.is_empty() {
            summary(&late, "missed and made up late")
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
            .filter(|p| p.finding.decisive() != Truth::True && p.made_up.is_none())
            .map(|p| {
                format!(
                    "{}: {}",
                    period_label(p.cadence, p.span),
                    self.reason(&p.finding)
                )
            })
            .collect();
        let detail = if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join("; "))
        };
        format!("{text}{more}{detail}")
    }

    pub(super) fn trend(&self, t: &TrendFinding) -> String {
        let name = self.metric(t.metric);
        let area = self.area(t.area.as_deref());
        let window_text = match t.after {
            Some(start) => format!("after {} until {}", date(start), date(t.to)),
            None => format!("until {}", date(t.to)),
        };
        let n = t.points.len();
        match &t.outcome {
            TrendOutcome::BadWindow(e) => e.to_string(),
            TrendOutcome::TooLarge => "the trend is too large to compute exactly".into(),
            TrendOutcome::TooFew {
                missing_means_not_met,
            } => format!(
                "a trend needs at least {MIN_TREND_POINTS} observations of {name} for {area} {window_text}; there are {n}{}",
                if *missing_means_not_met { NOT_MET_BY_POLICY } else { "" }
            ),
            TrendOutcome::Direction(better) => {
                let ends = match (t.points.first(), t.points.last()) {
                    (Some(f), Some(l)) => {
                        format!(
                            "from {} ({}) to {} ({})",
                            f.value,
                            date(f.date),
                            l.value,
                            date(l.date)
                        )
                    }
                    _ => String::new(),
                };
                let mut out = format!(
                    "{name} for {area} is {} over {n} observations {window_text}, {ends}",
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
    pub(super) fn movement_unit(&self, metric: MetricId) -> crate::value::Unit {
        use crate::value::Unit;
        match self.notice.metric(metric).map(|m| &m.unit) {
            Some(Unit::Percent) => Unit::Pp,
            Some(Unit::Rating(_)) | None => Unit::Number,
            Some(other) => other.clone(),
        }
    }

    /// A value with what it was read from: `76% (Visits within 7 days, 31 July 2012)`.
    pub(super) fn reading(&self, r: &Reading) -> String {
        let mut parts = Vec::with_capacity(r.terms.len());
        for (i, t) in r.terms.iter().enumerate() {
            let described = match &t.read {
                TermRead::Const(v) => v.to_string(),
                TermRead::Metric(m) => self.metric_value(m),
                TermRead::Records(c) => format!(
                    "{} ({} of {} dated {})",
                    c.records.len(),
                    plural(c.records.len(), "record", "records"),
                    self.evidence(c.kind),
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

    pub(super) fn metric_value(&self, m: &MetricRead) -> String {
        let name = self.metric_in(m.metric, m.area.as_deref());
        let Ok(value) = &m.value else {
            return name;
        };
        match (m.aggregate, m.latest) {
            // `m at issued`: the baseline, the figure as the notice began.
            (Aggregate::Latest, Some(day)) if m.to == self.notice.issued && m.from.is_none() => {
                format!(
                    "{value} ({name}, {}: the figure at the notice's date)",
                    date(day)
                )
            }
            (Aggregate::Latest, Some(day)) => format!("{value} ({name}, {})", date(day)),
            (Aggregate::Count, _) => format!(
                "{value} ({name}: {} dated {})",
                plural(m.count, "row", "rows"),
                window(m.from, m.to)
            ),
            (aggregate, _) => format!(
                "{value} ({name}, the {} of {} dated {})",
                aggregate_word(aggregate),
                plural(m.count, "observation", "observations"),
                window(m.from, m.to)
            ),
        }
    }

    /// What a side of a comparison reads, by its metrics' labels.
    pub(super) fn reading_name(&self, r: &Reading) -> String {
        let mut names: Vec<String> = Vec::new();
        for t in &r.terms {
            let name = match &t.read {
                TermRead::Const(v) => v.to_string(),
                TermRead::Metric(m) => self.metric_in(m.metric, m.area.as_deref()),
                TermRead::Records(c) => format!("records of {}", self.evidence(c.kind)),
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
        match names.as_slice() {
            [one] => one.clone(),
            _ => format!("the value computed from {}", names.join("; ")),
        }
    }

    /// Why a side of a comparison has no value, or `None` if it has one.
    pub(super) fn gap(&self, r: &Reading) -> Option<String> {
        let Err(gap) = &r.value else {
            return None;
        };
        let failing = r.terms.last().and_then(|t| match &t.read {
            TermRead::Metric(m) if m.value.is_err() => Some(m),
            _ => None,
        });
        Some(match failing {
            Some(m) => self.metric_gap(m),
            None => match gap {
                Gap::TooLarge => format!("{} is too large to compute", self.reading_name(r)),
                Gap::NoRecordsForArea => NO_RECORDS_FOR_AREA.into(),
                _ => "an empty value".into(),
            },
        })
    }

    pub(super) fn metric_gap(&self, m: &MetricRead) -> String {
        let written = self.metric_in(m.metric, m.area.as_deref());
        let name = self.metric(m.metric);
        let area = self.area(m.area.as_deref());
        match &m.value {
            Ok(_) => String::new(),
            Err(Gap::AfterEvaluation { date: day }) => format!(
                "{written} is for {}, after the evaluation date {}",
                date(*day),
                date(m.to)
            ),
            Err(Gap::BadWindow(e)) => e.to_string(),
            Err(Gap::UnknownMetric) => "unknown metric".into(),
            Err(Gap::NoRecordsForArea) => NO_RECORDS_FOR_AREA.into(),
            Err(Gap::TooOldToCarry { date: day, limit }) => format!(
                "the latest {name} for {area} is from {}, more than {} before {} (missing data carries forward {})",
                date(*day),
                duration(*limit),
                date(m.to),
                duration(*limit)
            ),
            Err(Gap::NoObservation {
                before_issued: Some(day),
                ..
            }) => format!(
                "no observation of {name} for {area} {}; the latest, for {}, is from before the notice: a baseline, not a figure that can meet it",
                window(m.from, m.to),
                date(*day)
            ),
            Err(Gap::NoObservation { .. }) => match m.withheld {
                Some((day, withheld, _)) => format!(
                    "no figure of {name} for {area} {}: the figure for {} is {}",
                    window(m.from, m.to),
                    date(day),
                    withheld_words(withheld)
                ),
                None => format!(
                    "no observation of {name} for {area} {}",
                    window(m.from, m.to)
                ),
            },
            Err(Gap::SumTooLarge) => format!("the sum for {written} is too large"),
            Err(Gap::CannotDivide) => format!("cannot divide for {written}"),
            Err(Gap::TooLarge) => format!("{written} is too large to compute"),
        }
    }

    /// An evidence kind by its label, never its identifier.
    pub(super) fn evidence(&self, kind: crate::check::model::EvidenceId) -> String {
        self.notice.evidence_kind(kind).map_or_else(
            || "?".into(),
            |e| labelled(e.description.as_deref(), &e.name),
        )
    }

    pub(super) fn observed(&self, f: &Finding) -> Option<String> {
        match &f.detail {
            Detail::Compare { left, .. } => left.value.as_ref().ok().map(ToString::to_string),
            Detail::Evidence { record, .. } => Some(match record {
                Some(r) => format!("{} ({})", date(r.date), r.reference),
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

    pub(super) fn required(&self, f: &Finding) -> Option<String> {
        match &f.detail {
            Detail::Compare { op, right, .. } => Some(match &right.value {
                Ok(v) => format!("{} {v}", op.symbol()),
                Err(_) => format!("{} {}", op.symbol(), self.reading_name(right)),
            }),
            Detail::Evidence { kind, .. } => Some(self.evidence(*kind)),
            Detail::Trend(t) => Some(format!(
                "{} {}",
                self.metric_in(t.metric, t.area.as_deref()),
                if t.improving {
                    "improving"
                } else {
                    "worsening"
                }
            )),
            Detail::Not(inner) => self.required(inner).map(|r| format!("not {r}")),
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
                    "every {} from {} until {}",
                    period_name(*period, 1),
                    date(*from),
                    date(*until)
                ),
                Cadence::Rolling(every) => format!(
                    "at least every {} from {} until {}",
                    duration(*every),
                    date(*from),
                    date(*until)
                ),
            }),
            Detail::Sustained {
                period,
                n,
                periods,
                deciding,
                ..
            } => {
                // The one period that decided says what was required; when
                // several did, the condition as written says it.
                let inner = self
                    .one_deciding(
                        deciding
                            .iter()
                            .filter_map(|&i| periods.get(i))
                            .map(|p| &p.finding),
                        |f| self.required(f),
                    )
                    .or_else(|| periods.first().and_then(|p| self.required(&p.finding)))
                    .unwrap_or_else(|| "the condition".to_string());
                Some(format!(
                    "{inner} for {n} consecutive {}",
                    period_name(*period, *n as usize)
                ))
            }
        }
    }

    /// The words of the one deciding part, when exactly one decided.
    pub(super) fn one_deciding<'f>(
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
