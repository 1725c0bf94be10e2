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
    cadence_name, direction_word, duration, period_label, period_name, plural, window,
    withheld_words, NO_RECORDS_FOR_AREA,
};

const NOT_MET_BY_POLICY: &str = " (missing data means not met)";

/// The renderer, holding the notice whose names and text it quotes.
pub(super) struct Words<'a> {
    pub(super) notice: &'a Notice,
}

impl Words<'_> {
    pub(super) fn text(&self, span: crate::Span) -> &str {
        self.notice.source.slice(span)
    }

    pub(super) fn metric(&self, id: MetricId) -> &str {
        self.notice.metric(id).map_or("?", |m| m.name.as_str())
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
                    "{} (record of {day})",
                    period_label(p.cadence, p.span)
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
            let first = to_come
                .first()
                .map_or(String::new(), |p| format!(": the first ends {}", p.end));
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
    pub(super) fn movement_unit(&self, metric: MetricId) -> crate::value::Unit {
        use crate::value::Unit;
        match self.notice.metric(metric).map(|m| &m.unit) {
            Some(Unit::Percent) => Unit::Pp,
            Some(Unit::Rating(_)) | None => Unit::Number,
            Some(other) => other.clone(),
        }
    }

    /// A value with what it was read from: `76% (`m`, 2012-07-31)`.
    pub(super) fn reading(&self, r: &Reading) -> String {
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

    pub(super) fn metric_value(&self, m: &MetricRead, span: crate::Span) -> String {
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
    pub(super) fn gap(&self, r: &Reading) -> Option<String> {
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

    pub(super) fn metric_gap(&self, m: &MetricRead, span: crate::Span) -> String {
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

    pub(super) fn evidence(&self, kind: crate::check::model::EvidenceId) -> &str {
        self.notice
            .evidence_kind(kind)
            .map_or("?", |e| e.name.as_str())
    }

    pub(super) fn observed(&self, f: &Finding) -> Option<String> {
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

    pub(super) fn required(&self, f: &Finding) -> Option<String> {
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
                    .unwrap_or_else(|| self.text(f.span).to_string());
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
