//! Trends: the sign of a metric's exact least-squares slope over a window,
//! and the projection that puts a requirement not yet due at risk.

use rust_decimal::Decimal;

use crate::ast::{Aggregate, Duration, DurationUnit};
use crate::check::model::{Cond, MetricId, Term, Window};
use crate::data::Observation;
use crate::source::Span;
use crate::time::{self, Date};
use crate::value::Value;

use super::read::View;
use super::status::Truth;
use super::trace::{Detail, Finding, Point, Projection, TrendFinding, TrendOutcome};
use super::Ctx;

/// The fewest observations a trend is computed from.
pub(crate) const MIN_TREND_POINTS: usize = 3;

impl Ctx<'_> {
    /// `M improving|worsening over D`: the sign of the least-squares slope
    /// of the observations in the window, against the metric's direction.
    /// With `by at least AMOUNT`, the line must also move that far over the
    /// window: slope × the window's days, in the better direction.
    pub(crate) fn trend(
        &self,
        (metric, area): (MetricId, Option<&str>),
        (improving, by): (bool, Option<Decimal>),
        window: Duration,
        span: Span,
        view: View,
    ) -> Finding {
        let mut found = TrendFinding {
            metric,
            area: area.map(str::to_string),
            improving,
            by,
            moved: None,
            window,
            after: None,
            to: view.to,
            points: Vec::new(),
            outcome: TrendOutcome::TooLarge,
        };
        let finish = |found: TrendFinding, truth: Truth| Finding {
            truth,
            span,
            detail: Detail::Trend(Box::new(found)),
        };
        let start = match time::look_back(view.to, window) {
            Ok(d) => d,
            Err(e) => {
                found.outcome = TrendOutcome::BadWindow(e);
                return finish(found, Truth::Unknown);
            }
        };
        found.after = Some(start);
        let Some(m) = self.notice.metric(metric) else {
            return finish(found, Truth::Unknown);
        };
        let series = self.data.series(metric, area);
        let end = series.partition_point(|o| o.date <= view.to);
        let begin = series.partition_point(|o| o.date <= start);
        let points = self.visible(series.get(begin..end).unwrap_or(&[]));
        found.points = points
            .iter()
            .map(|o| Point {
                date: o.date,
                value: o.value.clone(),
                source: o.source,
            })
            .collect();
        if points.len() < MIN_TREND_POINTS {
            let not_met = self.missing.unwrap_or(m.missing) == crate::ast::MissingPolicy::NotMet;
            found.outcome = TrendOutcome::TooFew {
                missing_means_not_met: not_met,
            };
            return finish(found, Truth::Unknown);
        }
        let lower_is_better = m.direction == Some(crate::ast::Direction::LowerIsBetter);
        let days = Decimal::from((view.to - start).num_days());
        let Some((numerator, denominator)) = least_squares(&points, start) else {
            found.outcome = TrendOutcome::TooLarge;
            return finish(found, Truth::Unknown);
        };
        let sign: i8 = match numerator.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => 1,
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
        };
        let better = if lower_is_better { -sign } else { sign };
        found.outcome = TrendOutcome::Direction(better);
        let mut holds = if improving { better > 0 } else { better < 0 };
        if let Some(by) = by {
            // Moved, in the asked direction: N × days ≥ by × D, exactly (D > 0).
            let toward = if improving == lower_is_better {
                -numerator
            } else {
                numerator
            };
            let (Some(lhs), Some(rhs)) = (toward.checked_mul(days), by.checked_mul(denominator))
            else {
                found.outcome = TrendOutcome::TooLarge;
                return finish(found, Truth::Unknown);
            };
            found.moved = lhs
                .checked_div(denominator)
                .map(|m| m.round_dp(super::MEAN_PLACES));
            holds = holds && lhs >= rhs;
        }
        finish(found, if holds { Truth::True } else { Truth::False })
    }

    /// Whether the trend of a comparison's metric projects a miss at the
    /// deadline: the least-squares line through the metric's observations
    /// in the year before `as_of` (at least three), read at the deadline.
    pub(crate) fn at_risk(&self, cond: &Cond, deadline: Date, as_of: Date) -> Option<Projection> {
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
        let required = self.value(rhs, View::until(as_of)).value.ok()?;
        let year = Duration {
            amount: 12,
            unit: DurationUnit::Months,
        };
        let start = time::look_back(as_of, year).ok()?;
        let series = self.data.series(*metric, area.as_deref());
        let end = series.partition_point(|o| o.date <= as_of);
        let begin = series.partition_point(|o| o.date <= start);
        let points = self.visible(series.get(begin..end)?);
        if points.len() < MIN_TREND_POINTS {
            return None;
        }
        let since = points.first()?.date;
        let projected = project(&points, since, deadline)?;
        let unit = match &required {
            Value::Num(_, u) => u.clone(),
            Value::Rating { .. } => return None,
        };
        let projected = Value::Num(projected.round_dp(1), unit);
        let holds = projected
            .compare(&required)
            .is_some_and(|ord| op.accepts(ord));
        (!holds).then_some(Projection {
            metric: *metric,
            points: points.len(),
            since,
            projected,
            deadline,
            op: *op,
            required,
        })
    }
}

/// The least-squares slope of value against day (from `origin`) as an
/// exact fraction: (n·Σxy − Σx·Σy, n·Σx² − (Σx)²), ratings by their rank.
/// `None` when the sums overflow or the days do not differ.
pub(crate) fn least_squares(points: &[&Observation], origin: Date) -> Option<(Decimal, Decimal)> {
    let n = Decimal::from(points.len());
    let (mut sx, mut sy, mut sxy, mut sxx) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for o in points {
        let x = Decimal::from((o.date - origin).num_days());
        let y = match &o.value {
            Value::Num(v, _) => *v,
            Value::Rating { rank, .. } => Decimal::from(*rank),
        };
        sx = sx.checked_add(x)?;
        sy = sy.checked_add(y)?;
        sxy = sxy.checked_add(x.checked_mul(y)?)?;
        sxx = sxx.checked_add(x.checked_mul(x)?)?;
    }
    let numerator = n.checked_mul(sxy)?.checked_sub(sx.checked_mul(sy)?)?;
    let denominator = n.checked_mul(sxx)?.checked_sub(sx.checked_mul(sx)?)?;
    (denominator > Decimal::ZERO).then_some((numerator, denominator))
}

/// The least-squares line through the points, read at `at` (days from `origin`), exactly.
fn project(points: &[&Observation], origin: Date, at: Date) -> Option<Decimal> {
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
