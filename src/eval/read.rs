//! Reading values: a value expression's terms, each metric through its
//! window, aggregate and missing-data policy, as of a view of the data.

use rust_decimal::Decimal;

use crate::ast::{AddOp, Aggregate, MissingPolicy};
use crate::check::model::{Term, ValueExpr, Window};
use crate::data::Observation;
use crate::time::{self, Date};
use crate::value::{Unit, Value};

use super::trace::{Gap, MetricRead, Reading, Record, RecordCount, TermRead, TermReading};
use super::Ctx;

/// The observations a condition may see: those dated from `from` (if set)
/// until `to`, both days included.
#[derive(Debug, Clone, Copy)]
pub(crate) struct View {
    pub from: Option<Date>,
    pub to: Date,
}

impl View {
    /// Everything dated on or before `to`.
    pub(crate) fn until(to: Date) -> View {
        View { from: None, to }
    }

    /// Whether a date is in view.
    pub(crate) fn contains(self, date: Date) -> bool {
        date <= self.to && self.from.is_none_or(|f| date >= f)
    }
}

/// Decimal places a mean is rounded to (half to even), so a mean of thirds
/// is stated once and compared as shown.
pub(crate) const MEAN_PLACES: u32 = 4;

impl Ctx<'_> {
    /// The observations of a date-sorted run that are known (published by
    /// `known_at`, when set), one per date: the latest known version.
    pub(crate) fn visible<'o>(&self, points: &'o [Observation]) -> Vec<&'o Observation> {
        if !self.data.has_revisions() && self.all_known(points) {
            return points.iter().collect();
        }
        let mut out: Vec<&Observation> = Vec::with_capacity(points.len());
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
    pub(crate) fn latest_visible<'o>(&self, run: &'o [Observation]) -> Option<&'o Observation> {
        match self.known_at {
            _ if self.all_known(run) => run.last(),
            None => run.last(),
            Some(k) => run.iter().rev().find(|o| o.known_from() <= k),
        }
    }

    /// Whether every observation of a date-sorted run is known by the
    /// knowledge date: true when it is on or after the day everything dated
    /// up to the run's last date had been published.
    fn all_known(&self, run: &[Observation]) -> bool {
        match (self.known_at, run.last()) {
            (None, _) | (_, None) => true,
            (Some(k), Some(last)) => k >= self.data.settled_by(last.date),
        }
    }

    /// Reads a value expression as of `view`; the first term without a
    /// value ends the reading.
    pub(crate) fn value(&self, expr: &ValueExpr, view: View) -> Reading {
        let mut terms = Vec::with_capacity(expr.terms.len());
        let mut total: Option<Value> = None;
        for (op, term) in &expr.terms {
            let (span, read) = self.term(term, view);
            let value = match &read {
                TermRead::Const(v) => Ok(v.clone()),
                TermRead::Metric(m) => m.value.clone(),
                TermRead::Records(_) if !self.data.evidence_held() => Err(Gap::NoRecordsForArea),
                TermRead::Records(c) => Ok(Value::Num(Decimal::from(c.records.len()), Unit::Count)),
            };
            terms.push(TermReading {
                op: *op,
                span,
                read,
            });
            let value = match value {
                Ok(v) => v,
                Err(gap) => {
                    return Reading {
                        span: expr.span,
                        terms,
                        value: Err(gap),
                    }
                }
            };
            total = Some(match total {
                None => value,
                Some(acc) => match acc.combine(&value, *op == AddOp::Add) {
                    Some(v) => v,
                    None => {
                        return Reading {
                            span: expr.span,
                            terms,
                            value: Err(Gap::TooLarge),
                        }
                    }
                },
            });
        }
        Reading {
            span: expr.span,
            terms,
            value: total.ok_or(Gap::TooLarge),
        }
    }

    fn term(&self, term: &Term, view: View) -> (crate::source::Span, TermRead) {
        match term {
            Term::Const(v) => (crate::source::Span::default(), TermRead::Const(v.clone())),
            Term::Records { kind, window, span } => {
                let view = self.record_view(*window, view);
                let records = self
                    .records(*kind, view)
                    .map(|r| Record {
                        date: r.date,
                        published: r.published,
                        reference: r.reference.clone(),
                        source: r.source,
                    })
                    .collect();
                let count = RecordCount {
                    kind: *kind,
                    from: view.from,
                    to: view.to,
                    records,
                };
                (*span, TermRead::Records(Box::new(count)))
            }
            Term::Metric {
                metric,
                area,
                aggregate,
                window,
                span,
            } => {
                // A comparator after a passed deadline: as it stood then.
                let view = match (area, self.comparators_at) {
                    (Some(_), Some(at)) if view.to > at => View::until(at),
                    _ => view,
                };
                (
                    *span,
                    TermRead::Metric(Box::new(self.metric(
                        *metric,
                        area.as_deref(),
                        *aggregate,
                        *window,
                        view,
                    ))),
                )
            }
        }
    }

    /// Reads one metric through its window and aggregate.
    fn metric(
        &self,
        metric: crate::check::model::MetricId,
        area: Option<&str>,
        aggregate: Aggregate,
        window: Window,
        view: View,
    ) -> MetricRead {
        let policy = self
            .notice
            .metric(metric)
            .map_or(MissingPolicy::Unknown, |m| {
                self.missing.unwrap_or(m.missing)
            });
        let mut read = MetricRead {
            metric,
            area: area.map(str::to_string),
            aggregate,
            from: view.from,
            to: view.to,
            policy,
            value: Err(Gap::UnknownMetric),
            count: 0,
            latest: None,
            sources: Vec::new(),
            carried_from: None,
            stale: None,
            published: None,
            withheld: None,
            period: None,
            standing: None,
        };
        // The council's current value must be from the notice's life: an
        // older figure is a baseline (`at issued`) or history (windows,
        // trends), never the value that meets a target.
        let floor = match (window, area, view.from) {
            (Window::Current, None, None) => Some(self.notice.issued),
            _ => None,
        };
        let (from, to) = match window {
            Window::Current => (view.from.or(floor), view.to),
            Window::At(d) if d > view.to => {
                read.value = Err(Gap::AfterEvaluation { date: d });
                return read;
            }
            Window::At(d) => (None, d),
            Window::Over(dur) => match time::look_back(view.to, dur) {
                Ok(start) => (start.succ_opt(), view.to),
                Err(e) => {
                    read.value = Err(Gap::BadWindow(e));
                    return read;
                }
            },
            Window::Range(a, b) => (Some(a), b.min(view.to)),
        };
        read.from = from;
        read.to = to;
        let Some(m) = self.notice.metric(metric) else {
            return read;
        };
        let series = self.data.series(metric, area);
        let end = series.partition_point(|o| o.date <= to);
        let begin = from.map_or(0, |f| series.partition_point(|o| o.date < f));
        let run = series.get(begin..end).unwrap_or(&[]);
        // `latest` needs one observation: found by walking back, not by copying the window.
        let mut points: Vec<&Observation> = if aggregate == Aggregate::Latest {
            self.latest_visible(run).into_iter().collect()
        } else {
            self.visible(run)
        };
        let oldest_allowed = |d: crate::ast::Duration| time::look_back(to, d).ok();
        // A count is of the rows in its window: an empty window counts 0,
        // and a value carried forward is not a row of the window.
        if aggregate == Aggregate::Count {
            read.count = points.len();
            read.latest = points.last().map(|o| o.date);
            read.value = Ok(Value::Num(Decimal::from(points.len()), Unit::Count));
            read.sources = points.iter().map(|o| o.source).collect();
            return read;
        }
        if let MissingPolicy::CarryForward(limit) = policy {
            if points.is_empty() {
                // The last known value before the window stands in, if recent enough.
                let before = self.latest_visible(series.get(..end).unwrap_or(&[]));
                if let (Some(o), Some(oldest)) = (before, oldest_allowed(limit)) {
                    if o.date >= oldest && floor.is_none_or(|f| o.date >= f) {
                        read.carried_from = Some(o.date);
                        points = vec![o];
                    }
                }
            } else if view.from.is_none()
                && aggregate == Aggregate::Latest
                && matches!(window, Window::Current)
            {
                // A plain read's value may not be older than the policy
                // carries; a value inside the window being read is the
                // window's, however old within it.
                if let (Some(o), Some(oldest)) = (points.last(), oldest_allowed(limit)) {
                    if o.date < oldest {
                        read.value = Err(Gap::TooOldToCarry {
                            date: o.date,
                            limit,
                        });
                        return read;
                    }
                }
            }
        }
        let Some(&last) = points.last() else {
            // The latest figure from before the notice (never one after the
            // evaluation date), for a plain read of the council's own value.
            let before_issued = floor
                .and_then(|_| self.latest_visible(series.get(..begin.min(end)).unwrap_or(&[])));
            // A metric that stands (a judgement, until the next inspection)
            // reads it, marked as standing (see `Ctx::compare`); any other
            // names it as a baseline.
            if let Some(o) = before_issued.filter(|_| m.stands) {
                read.standing = Some(o.date);
                read.latest = Some(o.date);
                read.count = 1;
                read.value = Ok(o.value.clone());
                read.sources = vec![o.source];
                return read;
            }
            read.value = Err(Gap::NoObservation {
                missing_means_not_met: policy == MissingPolicy::NotMet,
                before_issued: before_issued.map(|o| o.date),
            });
            // A figure published as a symbol is missing data with a reason,
            // and its row is cited.
            read.withheld = self.data.withheld(metric, area, from, to);
            if let Some((_, _, row)) = read.withheld {
                read.sources = vec![row];
            }
            return read;
        };
        read.latest = Some(last.date);
        // A figure published as a symbol where a newer one would be (the
        // latest read), or inside the window aggregated: the verdict rests
        // on the others, and says so.
        let withheld_from = if aggregate == Aggregate::Latest {
            last.date.succ_opt()
        } else {
            from
        };
        read.withheld = self.data.withheld(metric, area, withheld_from, to);
        // A period a rule names: the figures of another term older than it
        // are called out (`Note::OlderThanPeriod`).
        read.period = match window {
            Window::Range(..) | Window::Over(_) => from.map(|f| (f, to)),
            Window::Current | Window::At(_) => None,
        };
        read.count = points.len();
        read.published = points
            .iter()
            .filter_map(|o| Some((o.date, o.published?)))
            .max_by_key(|&(_, p)| p);
        if let (Some(fresh), Window::Current, None, Aggregate::Latest) =
            (m.fresh_within, window, view.from, aggregate)
        {
            if oldest_allowed(fresh).is_some_and(|oldest| last.date < oldest) {
                read.stale = Some(fresh);
            }
        }
        match aggregate {
            Aggregate::Latest => {
                read.value = Ok(last.value.clone());
                read.sources = vec![last.source];
            }
            // Counted above, before any value is carried forward.
            Aggregate::Count => {}
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
                read.value = Ok(best.value.clone());
                read.sources = vec![best.source];
            }
            Aggregate::Mean => {
                read.value = mean(&points);
                if read.value.is_ok() {
                    read.sources = points.iter().map(|o| o.source).collect();
                }
            }
        }
        read
    }
}

/// The exact mean of some observations, rounded to [`MEAN_PLACES`].
fn mean(points: &[&Observation]) -> Result<Value, Gap> {
    let mut sum = Decimal::ZERO;
    let mut unit = Unit::Ratio;
    for o in points {
        if let Value::Num(n, u) = &o.value {
            sum = sum.checked_add(*n).ok_or(Gap::SumTooLarge)?;
            unit = u.clone();
        }
    }
    let mean = sum
        .checked_div(Decimal::from(points.len()))
        .ok_or(Gap::CannotDivide)?;
    Ok(Value::Num(mean.round_dp(MEAN_PLACES), unit))
}
