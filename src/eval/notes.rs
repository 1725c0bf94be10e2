//! Notes: what a reader of a verdict should know besides its reason (a
//! stale figure, one carried forward, withheld or older than the period the
//! rule names, a figure reported late), gathered from a finding's tree.

use crate::ast::{Aggregate, Duration, MissingPolicy};
use crate::check::model::MetricId;
use crate::time::Date;

use super::trace::{Detail, Finding, TermRead};

/// Something a reader of a verdict should know besides its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Note {
    /// The latest value is older than the metric's freshness allows.
    Stale {
        /// The metric.
        metric: MetricId,
        /// The area, when not the notice's authority.
        area: Option<String>,
        /// The latest value's date.
        date: Date,
        /// The freshness declared.
        fresh: Duration,
        /// The date it was read as of.
        to: Date,
    },
    /// The verdict rests on a figure or record published after the
    /// deadline: the target was met in time, and reported late.
    PublishedLate {
        /// The date the figure or record is for.
        date: Date,
        /// When it was published.
        published: Date,
        /// The deadline.
        deadline: Date,
    },
    /// A figure was published as a symbol (suppressed, not available), so
    /// the value read rests on the other figures.
    Withheld {
        /// The metric.
        metric: MetricId,
        /// The area, when not the notice's authority.
        area: Option<String>,
        /// The date of the figure withheld.
        date: Date,
        /// Its symbol.
        symbol: crate::data::Withheld,
        /// The date of the latest figure read instead.
        used: Date,
        /// Whether the value is an aggregate of a window (`mean ... over`),
        /// not the latest figure.
        aggregate: bool,
    },
    /// A figure read is older than the period the rule names on its other
    /// side (`x from 2012-04-01 until 2013-03-31 <= x[England]`, England's
    /// latest figure being of 2012-03-31).
    OlderThanPeriod {
        /// The metric.
        metric: MetricId,
        /// The area, when not the notice's authority.
        area: Option<String>,
        /// The figure's date.
        date: Date,
        /// The period's first and last day.
        period: (Date, Date),
    },
    /// A value from before the notice was read because its metric stands
    /// until replaced (a judgement, until the next inspection).
    Standing {
        /// The metric.
        metric: MetricId,
        /// The date of the judgement.
        date: Date,
    },
    /// A value was carried forward into an empty window.
    CarriedForward {
        /// The metric.
        metric: MetricId,
        /// The area, when not the notice's authority.
        area: Option<String>,
        /// The window's first day, if it has one.
        from: Option<Date>,
        /// The window's last day.
        to: Date,
        /// The date of the value carried.
        date: Date,
        /// How far a value may be carried.
        limit: Duration,
    },
}

impl Finding {
    /// The notes of every metric read in the tree, in reading order, once each.
    pub fn notes(&self) -> Vec<Note> {
        let mut out = Vec::new();
        self.collect_notes(&mut out);
        out
    }

    fn collect_notes(&self, out: &mut Vec<Note>) {
        let mut push = |note: Note| {
            if !out.contains(&note) {
                out.push(note);
            }
        };
        match &self.detail {
            Detail::Compare { left, right, .. } => {
                let metric_reads = || {
                    left.terms
                        .iter()
                        .chain(&right.terms)
                        .filter_map(|t| match &t.read {
                            TermRead::Metric(m) => Some(m),
                            _ => None,
                        })
                };
                let named_period = metric_reads().find_map(|m| m.period);
                for m in metric_reads() {
                    if let (Some(date), MissingPolicy::CarryForward(limit)) =
                        (m.carried_from, m.policy)
                    {
                        push(Note::CarriedForward {
                            metric: m.metric,
                            area: m.area.clone(),
                            from: m.from,
                            to: m.to,
                            date,
                            limit,
                        });
                    }
                    if let (Some((date, symbol, _)), Some(used), Ok(_)) =
                        (m.withheld, m.latest, &m.value)
                    {
                        push(Note::Withheld {
                            metric: m.metric,
                            area: m.area.clone(),
                            date,
                            symbol,
                            used,
                            aggregate: m.aggregate != Aggregate::Latest,
                        });
                    }
                    if let (Some(period), Some(date), None, Ok(_)) =
                        (named_period, m.latest, m.period, &m.value)
                    {
                        if date < period.0 {
                            push(Note::OlderThanPeriod {
                                metric: m.metric,
                                area: m.area.clone(),
                                date,
                                period,
                            });
                        }
                    }
                    if let Some(date) = m.standing {
                        push(Note::Standing {
                            metric: m.metric,
                            date,
                        });
                    }
                    if let (Some(fresh), Some(date)) = (m.stale, m.latest) {
                        push(Note::Stale {
                            metric: m.metric,
                            area: m.area.clone(),
                            date,
                            fresh,
                            to: m.to,
                        });
                    }
                }
            }
            Detail::Evidence { .. } | Detail::Trend(_) => {}
            Detail::Logic { parts, .. } => {
                for p in parts {
                    p.collect_notes(out);
                }
            }
            Detail::Not(inner) => inner.collect_notes(out),
            Detail::Recurring { due: periods, .. } | Detail::Sustained { periods, .. } => {
                for p in periods {
                    p.finding.collect_notes(out);
                }
            }
        }
    }
}
