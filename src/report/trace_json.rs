//! The judgement trace as JSON: every finding with its values, units,
//! dates, areas, windows and data rows, so a program reads what was
//! compared without parsing sentences. Documented in `docs/json.md`.

use serde::Serialize;

use crate::ast::{AddOp, Aggregate, MissingPolicy, Period};
use crate::check::model::{DeadlineKind, MetricId, Requirement};
use crate::check::Notice;
use crate::data::{DataSet, Provenance};
use crate::eval::trace::{
    Cadence, Detail, Finding, Gap, LogicOp, MetricRead, PeriodFinding, Projection, Reading,
    TermRead, Timing, TrendOutcome,
};
use crate::eval::Truth;
use crate::value::{Unit, Value};

use super::prose;

/// A duration as data: `{"amount": 6, "unit": "months"}`.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct JsonDuration {
    amount: u32,
    /// `days`, `working_days`, `weeks`, `months` or `years`.
    unit: &'static str,
}

impl From<crate::ast::Duration> for JsonDuration {
    fn from(d: crate::ast::Duration) -> Self {
        use crate::ast::DurationUnit::*;
        JsonDuration {
            amount: d.amount,
            unit: match d.unit {
                Days => "days",
                WorkingDays => "working_days",
                Weeks => "weeks",
                Months => "months",
                Years => "years",
            },
        }
    }
}

/// A value with its unit: `{"text": "76%", "number": "76", "unit": "percent"}`.
#[derive(Debug, Serialize)]
pub(crate) struct JsonValue {
    /// As reports write it.
    pub(crate) text: String,
    /// The exact number as a decimal string, or null for a rating.
    pub(crate) number: Option<String>,
    /// `percent`, `pp`, `count`, `days`, `money`, `ratio`, `number` or `rating`.
    pub(crate) unit: &'static str,
    /// For a rating: its scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) scale: Option<String>,
    /// For a rating: its level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) level: Option<String>,
}

/// A place in a file: its name as given and a one-based line (a data row,
/// or where a condition is written).
#[derive(Debug, Serialize)]
pub(crate) struct JsonSource {
    /// The file as it was given.
    pub(crate) file: String,
    /// One-based line.
    pub(crate) line: u32,
}

/// One finding of the trace.
#[derive(Debug, Serialize)]
pub(crate) struct JsonFinding {
    /// The condition as written, on one line.
    pub(crate) condition: String,
    /// Where the condition is written: the notice's file and line.
    pub(crate) at: JsonSource,
    /// `true`, `false` or `unknown`.
    pub(crate) truth: Truth,
    /// Why, in a sentence (the same words as the verdict's reason).
    pub(crate) reason: String,
    /// What was looked at, by `type`.
    #[serde(flatten)]
    pub(crate) detail: JsonDetail,
}

/// What a finding looked at.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum JsonDetail {
    /// A comparison.
    Compare {
        /// The left side.
        left: JsonReading,
        /// `<`, `<=`, `>`, `>=`, `==`, `!=`.
        op: &'static str,
        /// The right side.
        right: JsonReading,
        /// A side was missing and the policy says "not met".
        missing_means_not_met: bool,
    },
    /// A record of evidence looked for.
    Evidence {
        /// The kind.
        kind: String,
        /// The window's first day, or null.
        from: Option<String>,
        /// The window's last day.
        to: String,
        /// The earliest record in the window, or null.
        record: Option<JsonRecord>,
    },
    /// A trend.
    Trend {
        /// The metric.
        metric: String,
        /// The area.
        area: String,
        /// `improving` was asked for (else `worsening`).
        improving: bool,
        /// The window as written (`6 months`).
        window: JsonDuration,
        /// The window starts after this day (null if it could not be computed).
        after: Option<String>,
        /// The window's last day.
        to: String,
        /// The observations in the window.
        points: Vec<JsonPoint>,
        /// `improving`, `worsening`, `flat`, or null when no slope was computed.
        direction: Option<&'static str>,
        /// The fewest observations a trend needs.
        minimum_points: usize,
        /// Too few observations and the policy says "not met".
        missing_means_not_met: bool,
        /// `by at least AMOUNT`: the movement asked for, as a decimal string.
        #[serde(skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        /// With `by`: how far the line moved in the asked direction over the window.
        #[serde(skip_serializing_if = "Option::is_none")]
        moved: Option<String>,
    },
    /// `all`/`and`.
    All {
        /// Every part.
        parts: Vec<JsonFinding>,
        /// The indexes of the parts that decided.
        deciding: Vec<usize>,
    },
    /// `any`/`or`.
    Any {
        /// Every part.
        parts: Vec<JsonFinding>,
        /// The indexes of the parts that decided.
        deciding: Vec<usize>,
    },
    /// `not`.
    Not {
        /// The condition negated.
        part: Box<JsonFinding>,
    },
    /// A recurring duty.
    Recurring {
        /// `week`, `month`, `quarter`, `half_year`, `year`, `N_months`,
        /// `N_weeks`, or `rolling` (`at least every ...`).
        period: String,
        /// For a rolling duty: the longest gap allowed (`6 months`).
        #[serde(skip_serializing_if = "Option::is_none")]
        every: Option<JsonDuration>,
        /// The duty's first day.
        from: String,
        /// The duty's last day.
        until: String,
        /// Every whole period of the duty, due or not.
        periods: Vec<JsonPeriod>,
    },
    /// `for N consecutive PERIODS`.
    Sustained {
        /// `week`, `month`, `quarter`, `half_year`, `year`, `N_months` or `N_weeks`.
        period: String,
        /// N.
        count: u32,
        /// Each period.
        periods: Vec<JsonPeriod>,
        /// The indexes of the periods that decided.
        deciding: Vec<usize>,
    },
}

/// A value expression as read.
#[derive(Debug, Serialize)]
pub(crate) struct JsonReading {
    /// As written.
    pub(crate) expression: String,
    /// Its value, or null when missing.
    pub(crate) value: Option<JsonValue>,
    /// Why it is missing, or null.
    pub(crate) missing: Option<&'static str>,
    /// Its terms, in order (reading stops at the first without a value).
    pub(crate) terms: Vec<JsonTerm>,
}

/// A term of a value expression.
#[derive(Debug, Serialize)]
pub(crate) struct JsonTerm {
    /// `+` or `-` (the first term is `+`).
    pub(crate) op: &'static str,
    /// As written.
    pub(crate) expression: String,
    /// `constant`, `metric` or `records`.
    pub(crate) kind: &'static str,
    /// Its value, or null when missing.
    pub(crate) value: Option<JsonValue>,
    /// Why it is missing, or null.
    pub(crate) missing: Option<&'static str>,
    /// For a metric: what was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) read: Option<JsonMetricRead>,
    /// For `count evidence`: the records counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) counted: Option<JsonRecordCount>,
}

/// The records of a kind counted for a term.
#[derive(Debug, Serialize)]
pub(crate) struct JsonRecordCount {
    /// The evidence kind.
    pub(crate) kind: String,
    /// The first day counted, or null.
    pub(crate) from: Option<String>,
    /// The last day counted.
    pub(crate) to: String,
    /// Each record counted, oldest first.
    pub(crate) records: Vec<JsonRecord>,
}

/// What was read of a metric.
#[derive(Debug, Serialize)]
pub(crate) struct JsonMetricRead {
    /// The metric.
    pub(crate) metric: String,
    /// The area.
    pub(crate) area: String,
    /// `latest`, `mean`, `min`, `max` or `count`.
    pub(crate) aggregate: &'static str,
    /// The window's first day, or null (everything up to `to`).
    pub(crate) from: Option<String>,
    /// The window's last day.
    pub(crate) to: String,
    /// How many observations were combined.
    pub(crate) observations: usize,
    /// The date of the latest observation used, or null.
    pub(crate) date: Option<String>,
    /// The rows the value came from.
    pub(crate) sources: Vec<JsonSource>,
    /// `unknown`, `not_met` or `carry_forward`.
    pub(crate) missing_policy: &'static str,
    /// For `carry_forward`: how far (`2 months`).
    pub(crate) carry_forward_limit: Option<JsonDuration>,
    /// The window was empty and the value of this date was carried forward.
    pub(crate) carried_forward_from: Option<String>,
    /// The latest value is older than the metric's freshness (`2 months`), or null.
    pub(crate) stale_beyond: Option<JsonDuration>,
    /// No figure was found, and the latest in the window was published as a
    /// symbol (`c`, `x`, `z`, `low`, `u`, `:`): its date and symbol; or null.
    pub(crate) withheld: Option<JsonWithheld>,
}

/// A figure published as a symbol instead of a number.
#[derive(Debug, Serialize)]
pub(crate) struct JsonWithheld {
    /// The date it is for.
    pub(crate) date: String,
    /// The symbol, as published.
    pub(crate) symbol: &'static str,
    /// What the symbol means.
    pub(crate) meaning: &'static str,
}

/// A dated document.
#[derive(Debug, Serialize)]
pub(crate) struct JsonRecord {
    /// Its date.
    pub(crate) date: String,
    /// Its reference.
    pub(crate) reference: String,
    /// Its row.
    pub(crate) source: JsonSource,
}

/// One observation of a trend.
#[derive(Debug, Serialize)]
pub(crate) struct JsonPoint {
    /// Its date.
    pub(crate) date: String,
    /// Its value.
    pub(crate) value: JsonValue,
    /// Its row.
    pub(crate) source: JsonSource,
}

/// One calendar period of a recurring or sustained condition.
#[derive(Debug, Serialize)]
pub(crate) struct JsonPeriod {
    /// `2012-03`, `2012-Q1`, `week of 2012-03-05`.
    pub(crate) label: String,
    /// Its first day.
    pub(crate) start: String,
    /// Its last day.
    pub(crate) end: String,
    /// `met`, `missed`, `made_up_late`, `unknown`, `in_progress` or `to_come`.
    pub(crate) status: &'static str,
    /// For an interval made up late, the day of the late record.
    pub(crate) made_up: Option<String>,
    /// The condition within it (null for a period not yet ended).
    pub(crate) finding: Option<JsonFinding>,
}

/// How the deadline entered the verdict.
#[derive(Debug, Serialize)]
pub(crate) struct JsonTiming {
    /// `none`, `by`, `after` or `every`.
    pub(crate) kind: &'static str,
    /// The date, or null.
    pub(crate) date: Option<String>,
    /// The deadline as written, or null.
    pub(crate) written: Option<String>,
    /// The milestone it came from, or null.
    pub(crate) milestone: Option<JsonMilestone>,
    /// For `by` once the date has passed: whether the condition held then.
    pub(crate) at_deadline: Option<Truth>,
    /// For `after`: whether assessment has started.
    pub(crate) started: Option<bool>,
    /// For `for N consecutive ...` not yet due because N whole periods of
    /// the notice's life have not passed: when the first such run ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) shown_from: Option<String>,
}

/// A named date and its definition.
#[derive(Debug, Serialize)]
pub(crate) struct JsonMilestone {
    /// Its name.
    pub(crate) name: String,
    /// Its definition as written (`issued + 6 months`).
    pub(crate) definition: String,
}

/// The projection that puts a requirement at risk.
#[derive(Debug, Serialize)]
pub(crate) struct JsonProjection {
    /// The metric projected.
    pub(crate) metric: String,
    /// How many observations the line was fitted to.
    pub(crate) points: usize,
    /// The first of them.
    pub(crate) since: String,
    /// The value the line gives at the deadline.
    pub(crate) projected: JsonValue,
    /// The deadline.
    pub(crate) deadline: String,
    /// The comparison.
    pub(crate) op: &'static str,
    /// The value required.
    pub(crate) required: JsonValue,
}

/// Builds the JSON of findings, values and rows.
pub(super) struct TraceJson<'a> {
    /// The notice.
    pub notice: &'a Notice,
    /// The data set the rows point into.
    pub data: &'a DataSet,
}

impl TraceJson<'_> {
    /// A value as JSON.
    pub(super) fn value(&self, v: &Value) -> JsonValue {
        match v {
            Value::Num(n, unit) => JsonValue {
                text: v.to_string(),
                number: Some(n.normalize().to_string()),
                unit: unit_id(unit),
                scale: None,
                level: None,
            },
            Value::Rating { scale, name, .. } => JsonValue {
                text: v.to_string(),
                number: None,
                unit: "rating",
                scale: Some(scale.to_string()),
                level: Some(name.to_string()),
            },
        }
    }

    /// A data row as JSON.
    pub(super) fn source(&self, p: Provenance) -> JsonSource {
        JsonSource {
            file: self
                .data
                .file(p)
                .map_or_else(|| "?".to_string(), |f| f.name.to_string()),
            line: p.line,
        }
    }

    /// Rows as JSON.
    pub(super) fn sources(&self, ps: &[Provenance]) -> Vec<JsonSource> {
        ps.iter().map(|p| self.source(*p)).collect()
    }

    /// Where a span of the notice's text is. Findings point into the notice
    /// only: libraries declare names, never requirements.
    fn site(&self, span: crate::Span) -> JsonSource {
        let source = &self.notice.source;
        let (line, _) = source.line_col(span.start);
        JsonSource {
            file: source.name.to_string(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
        }
    }

    fn text(&self, span: crate::Span) -> String {
        self.notice
            .source
            .slice(span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn evidence_name(&self, id: crate::check::model::EvidenceId) -> String {
        self.notice
            .evidence_kind(id)
            .map_or_else(|| "?".into(), |e| e.name.clone())
    }

    fn record(&self, r: &crate::eval::trace::Record) -> JsonRecord {
        JsonRecord {
            date: r.date.to_string(),
            reference: r.reference.clone(),
            source: self.source(r.source),
        }
    }

    fn metric(&self, id: MetricId) -> String {
        self.notice
            .metric(id)
            .map_or_else(|| "?".into(), |m| m.name.clone())
    }

    fn area(&self, area: Option<&str>) -> String {
        area.unwrap_or(&self.notice.authority).to_string()
    }

    /// A finding and everything under it.
    pub(super) fn finding(&self, f: &Finding) -> JsonFinding {
        let detail = match &f.detail {
            Detail::Compare {
                left,
                op,
                right,
                missing_means_not_met,
            } => JsonDetail::Compare {
                left: self.reading(left),
                op: op.symbol(),
                right: self.reading(right),
                missing_means_not_met: *missing_means_not_met,
            },
            Detail::Evidence {
                kind,
                from,
                to,
                record,
            } => JsonDetail::Evidence {
                kind: self.evidence_name(*kind),
                from: from.map(|d| d.to_string()),
                to: to.to_string(),
                record: record.as_ref().map(|r| self.record(r)),
            },
            Detail::Trend(t) => JsonDetail::Trend {
                metric: self.metric(t.metric),
                area: self.area(t.area.as_deref()),
                improving: t.improving,
                window: t.window.into(),
                after: t.after.map(|d| d.to_string()),
                to: t.to.to_string(),
                points: t
                    .points
                    .iter()
                    .map(|p| JsonPoint {
                        date: p.date.to_string(),
                        value: self.value(&p.value),
                        source: self.source(p.source),
                    })
                    .collect(),
                direction: match t.outcome {
                    TrendOutcome::Direction(1) => Some("improving"),
                    TrendOutcome::Direction(-1) => Some("worsening"),
                    TrendOutcome::Direction(_) => Some("flat"),
                    _ => None,
                },
                minimum_points: crate::eval::MIN_TREND_POINTS,
                by: t.by.map(|b| b.normalize().to_string()),
                moved: t.moved.map(|m| m.normalize().to_string()),
                missing_means_not_met: matches!(
                    t.outcome,
                    TrendOutcome::TooFew {
                        missing_means_not_met: true
                    }
                ),
            },
            Detail::Logic {
                op,
                parts,
                deciding,
            } => {
                let parts = parts.iter().map(|p| self.finding(p)).collect();
                let deciding = deciding.clone();
                match op {
                    LogicOp::All => JsonDetail::All { parts, deciding },
                    LogicOp::Any => JsonDetail::Any { parts, deciding },
                }
            }
            Detail::Not(inner) => JsonDetail::Not {
                part: Box::new(self.finding(inner)),
            },
            Detail::Recurring {
                cadence,
                from,
                until,
                due,
                to_come,
                as_of,
                ..
            } => {
                let mut periods: Vec<JsonPeriod> = due.iter().map(|p| self.period(p)).collect();
                periods.extend(to_come.iter().map(|s| JsonPeriod {
                    label: prose::period_label(*cadence, *s),
                    start: s.start.to_string(),
                    end: s.end.to_string(),
                    status: if s.start <= *as_of {
                        "in_progress"
                    } else {
                        "to_come"
                    },
                    made_up: None,
                    finding: None,
                }));
                JsonDetail::Recurring {
                    period: match cadence {
                        Cadence::Calendar(p) => period_id(*p),
                        Cadence::Rolling(_) => "rolling".into(),
                    },
                    every: match cadence {
                        Cadence::Rolling(d) => Some((*d).into()),
                        Cadence::Calendar(_) => None,
                    },
                    from: from.to_string(),
                    until: until.to_string(),
                    periods,
                }
            }
            Detail::Sustained {
                period,
                n,
                periods,
                deciding,
                ..
            } => JsonDetail::Sustained {
                period: period_id(*period),
                count: *n,
                periods: periods.iter().map(|p| self.period(p)).collect(),
                deciding: deciding.clone(),
            },
        };
        JsonFinding {
            condition: self.text(f.span),
            at: self.site(f.span),
            truth: f.truth,
            reason: prose::finding(self.notice, f),
            detail,
        }
    }

    fn period(&self, p: &PeriodFinding) -> JsonPeriod {
        JsonPeriod {
            label: prose::period_label(p.cadence, p.span),
            start: p.span.start.to_string(),
            end: p.span.end.to_string(),
            status: match (p.finding.decisive(), &p.made_up) {
                (Truth::True, _) => "met",
                (Truth::False, Some(_)) => "made_up_late",
                (Truth::False, None) => "missed",
                (Truth::Unknown, _) => "unknown",
            },
            made_up: p
                .made_up
                .as_ref()
                .and_then(|f| f.delivered_on())
                .map(|d| d.to_string()),
            finding: Some(self.finding(&p.finding)),
        }
    }

    fn reading(&self, r: &Reading) -> JsonReading {
        JsonReading {
            expression: self.text(r.span),
            value: r.value.as_ref().ok().map(|v| self.value(v)),
            missing: r.value.as_ref().err().map(gap_id),
            terms: r
                .terms
                .iter()
                .map(|t| {
                    let op = if t.op == AddOp::Add { "+" } else { "-" };
                    match &t.read {
                        TermRead::Const(v) => JsonTerm {
                            op,
                            expression: v.to_string(),
                            kind: "constant",
                            value: Some(self.value(v)),
                            missing: None,
                            read: None,
                            counted: None,
                        },
                        TermRead::Metric(m) => JsonTerm {
                            op,
                            expression: self.text(t.span),
                            kind: "metric",
                            value: m.value.as_ref().ok().map(|v| self.value(v)),
                            missing: m.value.as_ref().err().map(gap_id),
                            read: Some(self.metric_read(m)),
                            counted: None,
                        },
                        TermRead::Records(c) => JsonTerm {
                            op,
                            expression: self.text(t.span),
                            kind: "records",
                            value: Some(JsonValue {
                                text: c.records.len().to_string(),
                                number: Some(c.records.len().to_string()),
                                unit: "count",
                                scale: None,
                                level: None,
                            }),
                            missing: None,
                            read: None,
                            counted: Some(JsonRecordCount {
                                kind: self.evidence_name(c.kind),
                                from: c.from.map(|d| d.to_string()),
                                to: c.to.to_string(),
                                records: c.records.iter().map(|r| self.record(r)).collect(),
                            }),
                        },
                    }
                })
                .collect(),
        }
    }

    fn metric_read(&self, m: &MetricRead) -> JsonMetricRead {
        let (policy, limit) = match m.policy {
            MissingPolicy::Unknown => ("unknown", None),
            MissingPolicy::NotMet => ("not_met", None),
            MissingPolicy::CarryForward(d) => ("carry_forward", Some(d.into())),
        };
        JsonMetricRead {
            metric: self.metric(m.metric),
            area: self.area(m.area.as_deref()),
            aggregate: aggregate_id(m.aggregate),
            from: m.from.map(|d| d.to_string()),
            to: m.to.to_string(),
            observations: m.count,
            date: m.latest.map(|d| d.to_string()),
            sources: self.sources(&m.sources),
            missing_policy: policy,
            carry_forward_limit: limit,
            carried_forward_from: m.carried_from.map(|d| d.to_string()),
            stale_beyond: m.stale.map(JsonDuration::from),
            withheld: m.withheld.map(|(date, w, _)| JsonWithheld {
                date: date.to_string(),
                symbol: w.symbol(),
                meaning: prose::withheld_words(w),
            }),
        }
    }

    /// How a requirement's deadline entered its verdict.
    pub(super) fn timing(&self, r: &Requirement, timing: Timing) -> JsonTiming {
        let shown_from = match timing {
            Timing::TooSoon { first } => first.map(|d| d.to_string()),
            _ => None,
        };
        let Some(d) = &r.deadline else {
            return JsonTiming {
                kind: "none",
                date: None,
                written: None,
                milestone: None,
                at_deadline: None,
                started: None,
                shown_from,
            };
        };
        let milestone = self
            .notice
            .milestones
            .iter()
            .find(|m| m.name == d.written)
            .map(|m| JsonMilestone {
                name: m.name.clone(),
                definition: m.definition.clone(),
            });
        let (at_deadline, started) = match timing {
            Timing::DueBy { at_deadline } => (at_deadline, None),
            Timing::AssessedFrom { started } => (None, Some(started)),
            Timing::Open | Timing::Recurring | Timing::TooSoon { .. } => (None, None),
        };
        JsonTiming {
            kind: match d.kind {
                DeadlineKind::By => "by",
                DeadlineKind::After => "after",
                DeadlineKind::Every { .. } => "every",
                DeadlineKind::Rolling { .. } => "at_least_every",
            },
            date: Some(d.date.to_string()),
            written: Some(d.written.clone()),
            milestone,
            at_deadline,
            started,
            shown_from,
        }
    }

    /// A projection as JSON.
    pub(super) fn projection(&self, p: &Projection) -> JsonProjection {
        JsonProjection {
            metric: self.metric(p.metric),
            points: p.points,
            since: p.since.to_string(),
            projected: self.value(&p.projected),
            deadline: p.deadline.to_string(),
            op: p.op.symbol(),
            required: self.value(&p.required),
        }
    }
}

fn unit_id(unit: &Unit) -> &'static str {
    match unit {
        Unit::Percent => "percent",
        Unit::Pp => "pp",
        Unit::Count => "count",
        Unit::Days => "days",
        Unit::Money => "money",
        Unit::Ratio => "ratio",
        Unit::Number => "number",
        Unit::Rating(_) => "rating",
    }
}

fn gap_id(gap: &Gap) -> &'static str {
    match gap {
        Gap::NoObservation { .. } => "no_observation",
        Gap::AfterEvaluation { .. } => "after_evaluation_date",
        Gap::TooOldToCarry { .. } => "too_old_to_carry_forward",
        Gap::SumTooLarge | Gap::TooLarge => "too_large",
        Gap::CannotDivide => "cannot_divide",
        Gap::BadWindow(_) => "window_out_of_range",
        Gap::UnknownMetric => "unknown_metric",
        Gap::NoRecordsForArea => "no_records_for_area",
    }
}

fn aggregate_id(a: Aggregate) -> &'static str {
    a.keyword()
}

/// `week`, `month`, `quarter`, `half_year`, `year`, `N_months`, `N_weeks`.
fn period_id(p: Period) -> String {
    match p {
        Period::Week => "week".into(),
        Period::Month => "month".into(),
        Period::Quarter => "quarter".into(),
        Period::Months(6) => "half_year".into(),
        Period::Months(12) => "year".into(),
        Period::Months(n) => format!("{n}_months"),
        Period::Weeks(n) => format!("{n}_weeks"),
    }
}
