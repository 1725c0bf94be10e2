//! Values: terms, metric references with their windows and aggregates, and
//! the units both sides of a comparison must agree on.

use std::sync::Arc;

use super::model::*;
use super::{CheckError, Checker};
use crate::ast::{self, AddOp, Literal};
use crate::diagnostics::Code;
use crate::source::Span;
use crate::time::Date;
use crate::value::{parse_decimal, Unit, Value};

impl Checker<'_> {
    /// The dates named after `evidence KIND` or `count evidence KIND`.
    pub(super) fn record_window(&mut self, w: &ast::EvidenceWindow) -> Option<RecordWindow> {
        Some(match w {
            ast::EvidenceWindow::Since(d) => RecordWindow::Since(self.start_date(d)?),
            ast::EvidenceWindow::Over(d) => RecordWindow::Over(d.node),
            ast::EvidenceWindow::Range(a, b) => {
                let (from, until) = (self.start_date(a), self.date(b));
                let (from, until) = (from?, until?);
                self.window_in_order(from, until, a.span.to(b.span))?;
                RecordWindow::Range(from, until)
            }
        })
    }

    /// `by at least AMOUNT` of a trend: a non-negative amount in the unit the
    /// metric moves in (percentage points for a percent, levels for a rating).
    pub(super) fn tolerance(
        &mut self,
        metric: MetricId,
        lit: &crate::source::Spanned<Literal>,
    ) -> Option<rust_decimal::Decimal> {
        let (term, unit) = self.term(&ast::Term::Literal(lit.clone()), None)?;
        let metric_unit = self.metrics.get(metric.index())?.unit.clone();
        let wanted = match &metric_unit {
            Unit::Percent => Unit::Pp,
            Unit::Rating(_) => Unit::Number,
            other => other.clone(),
        };
        let amount = match term {
            Term::Const(Value::Num(n, _)) => n,
            _ => return None,
        };
        let unit_ok = unit == wanted || (unit == Unit::Number && wanted != Unit::Pp);
        if unit_ok && !amount.is_sign_negative() {
            return Some(amount);
        }
        let example = match wanted {
            Unit::Pp => "2pp".to_string(),
            Unit::Days => "5 days".to_string(),
            Unit::Money => "£1,000".to_string(),
            Unit::Number => "1 (a level)".to_string(),
            _ => "2".to_string(),
        };
        self.errors.push(CheckError::invalid(
            Code::CheckBadTolerance,
            self.src,
            lit.span,
            format!(
                "a trend of {} moves by {}, not by `{}`",
                article(&metric_unit),
                article(&wanted),
                self.src.slice(lit.span)
            ),
            "not how this metric moves",
            Some(format!(
                "write a non-negative amount such as `by at least {example}`"
            )),
        ));
        None
    }

    /// `count evidence KIND ...`: a count of records of a declared kind.
    fn evidence_count(
        &mut self,
        kind: &ast::Name,
        window: Option<&ast::EvidenceWindow>,
        span: Span,
    ) -> Option<(Term, Unit)> {
        let window = match window {
            None => None,
            Some(w) => Some(self.record_window(w)?),
        };
        let Some(id) = EvidenceId::at_of(self.evidence_place(&kind.node)) else {
            let names: Vec<String> = self.evidence.iter().map(|e| e.name.clone()).collect();
            self.unknown(
                &kind.node,
                kind.span,
                "evidence kind",
                names.iter().map(String::as_str),
            );
            return None;
        };
        Some((
            Term::Records {
                kind: id,
                window,
                span,
            },
            Unit::Count,
        ))
    }

    /// A window `from A until B` must not start after it ends.
    pub(super) fn window_in_order(&mut self, from: Date, until: Date, span: Span) -> Option<()> {
        if from <= until {
            return Some(());
        }
        self.errors.push(CheckError::invalid(
            Code::CheckReversedWindow,
            self.src,
            span,
            format!("the window starts ({from}) after it ends ({until})"),
            "starts after it ends",
            Some("swap the dates, or correct one of them".into()),
        ));
        None
    }

    /// The scale of a value expression's first metric, if it is a rating.
    pub(super) fn scale_hint(&self, v: &ast::ValueExpr) -> Option<Arc<str>> {
        let ast::Term::Ref(r) = &v.first else {
            return None;
        };
        match &self.metrics.get(self.metric_place(&r.name.node)?)?.unit {
            Unit::Rating(s) => Some(Arc::clone(s)),
            _ => None,
        }
    }

    pub(super) fn compatible(&mut self, l: &ValueExpr, r: &ValueExpr) -> Option<()> {
        if l.unit.comparable(&r.unit).is_some() {
            return Some(());
        }
        let describe = |v: &ValueExpr| format!("{} ({})", self.src.slice(v.span), article(&v.unit));
        match (&l.unit, &r.unit) {
            (Unit::Rating(scale), other) | (other, Unit::Rating(scale))
                if !matches!(other, Unit::Rating(_)) =>
            {
                let (rating, number) = if matches!(l.unit, Unit::Rating(_)) {
                    (l, r)
                } else {
                    (r, l)
                };
                let levels = self
                    .scales
                    .iter()
                    .find(|s| s.name == *scale)
                    .map(|s| {
                        s.levels
                            .iter()
                            .map(|l| format!("`{l}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                self.errors.push(CheckError::RatingVsNumber {
                    src: self.src.named(),
                    rating_span: rating.span.into(),
                    number_span: number.span.into(),
                    rating: describe(rating),
                    number: describe(number),
                    help: format!("compare the rating with a level of `{scale}`: {levels}"),
                });
            }
            _ => {
                // A fraction written for a percent (`0.77`): show it as one (`77%`).
                let fraction = [(l, r), (r, l)].into_iter().find_map(|(p, n)| {
                    let constant = match n.terms.as_slice() {
                        [(_, Term::Const(Value::Num(x, Unit::Number)))] => Some(*x),
                        _ => None,
                    };
                    (p.unit == Unit::Percent)
                        .then_some(constant)
                        .flatten()
                        .filter(|x| {
                            *x > rust_decimal::Decimal::ZERO && *x <= rust_decimal::Decimal::ONE
                        })
                });
                let help = match fraction {
                    Some(x) => format!(
                        "write the number as a percent: `{}%`, not `{x}`",
                        (x * rust_decimal::Decimal::ONE_HUNDRED).normalize()
                    ),
                    None => unit_help(&l.unit, &r.unit),
                };
                self.errors.push(CheckError::UnitMismatch {
                    src: self.src.named(),
                    left_span: l.span.into(),
                    right_span: r.span.into(),
                    verb: "compare",
                    left: describe(l),
                    right: describe(r),
                    help,
                });
            }
        }
        None
    }

    pub(super) fn value(&mut self, v: &ast::ValueExpr, scale: Option<&str>) -> Option<ValueExpr> {
        let first = self.term(&v.first, scale);
        let mut ok = first.is_some();
        let mut terms = Vec::with_capacity(v.rest.len() + 1);
        let mut unit = None;
        let mut so_far = v.first.span();
        if let Some((t, u)) = first {
            terms.push((AddOp::Add, t));
            unit = Some(u);
        }
        for (op, term) in &v.rest {
            let next = self.term(term, scale);
            match (next, unit.clone()) {
                (Some((t, u)), Some(acc)) => match acc.combine(&u, *op == AddOp::Add) {
                    Some(combined) => {
                        terms.push((*op, t));
                        unit = Some(combined);
                    }
                    None => {
                        self.errors.push(CheckError::UnitMismatch {
                            src: self.src.named(),
                            left_span: so_far.into(),
                            right_span: term.span().into(),
                            verb: if *op == AddOp::Add { "add" } else { "subtract" },
                            left: format!("{} ({})", self.src.slice(so_far), article(&acc)),
                            right: format!("{} ({})", self.src.slice(term.span()), article(&u)),
                            help: unit_help(&acc, &u),
                        });
                        ok = false;
                    }
                },
                _ => ok = false,
            }
            so_far = so_far.to(term.span());
        }
        if !ok {
            return None;
        }
        Some(ValueExpr {
            terms,
            unit: unit?,
            span: v.span,
        })
    }

    pub(super) fn term(&mut self, term: &ast::Term, scale: Option<&str>) -> Option<(Term, Unit)> {
        match term {
            ast::Term::Literal(lit) => {
                let (text, unit) = match &lit.node {
                    Literal::Percent(t) => (t, Unit::Percent),
                    Literal::Pp(t) => (t, Unit::Pp),
                    Literal::Days(t) => (t, Unit::Days),
                    Literal::Money(t) => (t, Unit::Money),
                    Literal::Number(t) => (t, Unit::Number),
                };
                match parse_decimal(text) {
                    Some(n) => Some((Term::Const(Value::Num(n, unit.clone())), unit)),
                    None => {
                        self.errors.push(CheckError::BadNumber {
                            src: self.src.named(),
                            span: lit.span.into(),
                            text: self.src.slice(lit.span).to_string(),
                        });
                        None
                    }
                }
            }
            ast::Term::Ref(r) => self.metric_ref(r, scale),
            ast::Term::EvidenceCount { kind, window, span } => {
                self.evidence_count(kind, window.as_ref(), *span)
            }
        }
    }

    pub(super) fn metric_ref(
        &mut self,
        r: &ast::MetricRef,
        scale: Option<&str>,
    ) -> Option<(Term, Unit)> {
        if let Some(id) = MetricId::at_of(self.metric_place(&r.name.node)) {
            let metric_unit = self.metrics.get(id.index())?.unit.clone();
            let aggregate = r
                .aggregate
                .as_ref()
                .map_or(ast::Aggregate::Latest, |a| a.node);
            let window = match &r.window {
                None => Window::Current,
                Some(ast::Window::At(e)) => Window::At(self.date(e)?),
                Some(ast::Window::Over(d)) => Window::Over(d.node),
                Some(ast::Window::Range(a, b)) => {
                    let span = a.span.to(b.span);
                    let (a, b) = (self.start_date(a), self.date(b));
                    let (a, b) = (a?, b?);
                    self.window_in_order(a, b, span)?;
                    Window::Range(a, b)
                }
            };
            let problem = match (aggregate, window, &metric_unit) {
                (ast::Aggregate::Latest, _, _) => None,
                (_, Window::Current, _) => Some(format!(
                    "`{}` needs a window: `{} {} over 3 months` or `from DATE until DATE`",
                    aggregate.keyword(),
                    aggregate.keyword(),
                    r.name.node
                )),
                (_, Window::At(_), _) => Some(format!(
                    "`{}` combines a window of observations; `at` names one date",
                    aggregate.keyword()
                )),
                (ast::Aggregate::Mean, _, Unit::Rating(_)) => {
                    Some("a rating has no mean: use `min`, `max` or `latest`".into())
                }
                _ => None,
            };
            if let Some(help) = problem {
                let span = r.aggregate.as_ref().map_or(r.span, |a| a.span);
                self.errors.push(CheckError::invalid(
                    Code::CheckBadAggregate,
                    self.src,
                    span,
                    format!(
                        "cannot take `{}` of `{}` like this",
                        aggregate.keyword(),
                        r.name.node
                    ),
                    "this aggregate",
                    Some(help),
                ));
                return None;
            }
            let unit = if aggregate == ast::Aggregate::Count {
                Unit::Count
            } else {
                metric_unit
            };
            return Some((
                Term::Metric {
                    metric: id,
                    area: r.area.as_ref().map(|a| a.node.clone()),
                    aggregate,
                    window,
                    span: r.span,
                },
                unit,
            ));
        }
        let level = scale
            .and_then(|s| self.scales.iter().find(|sc| &*sc.name == s))
            .and_then(|sc| sc.level(&r.name.node));
        if let Some(level) = level {
            if r.area.is_some() || r.window.is_some() || r.aggregate.is_some() {
                self.errors.push(CheckError::invalid(
                    Code::CheckLevelAsMetric,
                    self.src,
                    r.span,
                    format!("`{}` is a rating level, not a metric", r.name.node),
                    "a level has no area, date or latest value",
                    Some(format!("write the level alone: `{}`", r.name.node)),
                ));
                return None;
            }
            let Value::Rating { scale, .. } = &level else {
                return None;
            };
            let unit = Unit::Rating(Arc::clone(scale));
            return Some((Term::Const(level), unit));
        }
        // An evidence kind read as a metric: say so, and show the forms that work.
        if self.evidence.iter().any(|e| e.name == r.name.node) {
            let name = &r.name.node;
            self.errors.push(CheckError::invalid(
                Code::CheckEvidenceAsMetric,
                self.src,
                r.span,
                format!("`{name}` is an evidence kind, not a metric: it has records, not values"),
                "an evidence kind",
                Some(format!(
                    "ask for a record with `evidence {name}`, or count records with `count evidence {name} over 12 months >= 10`"
                )),
            ));
            return None;
        }
        let mut candidates: Vec<String> = self.metrics.iter().map(|m| m.name.clone()).collect();
        if let Some(sc) = scale.and_then(|s| self.scales.iter().find(|sc| &*sc.name == s)) {
            candidates.extend(sc.levels.iter().map(|l| l.to_string()));
        }
        self.unknown(
            &r.name.node,
            r.name.span,
            "metric",
            candidates.iter().map(String::as_str),
        );
        None
    }
}

/// "a percent", "a number of days", for messages.
fn article(unit: &Unit) -> String {
    match unit {
        Unit::Percent => "a percent".into(),
        Unit::Pp => "percentage points".into(),
        Unit::Count => "a count".into(),
        Unit::Days => "days".into(),
        Unit::Money => "money".into(),
        Unit::Ratio => "a ratio".into(),
        Unit::Number => "a bare number".into(),
        Unit::Rating(s) => format!("a rating on `{s}`"),
    }
}

/// How to make two units agree.
fn unit_help(a: &Unit, b: &Unit) -> String {
    match (a, b) {
        (Unit::Percent, Unit::Number) | (Unit::Number, Unit::Percent) => {
            "write the number as a percent, e.g. `69%`".into()
        }
        (Unit::Days, Unit::Number) | (Unit::Number, Unit::Days) => "write the number as days, e.g. `45 days`".into(),
        (Unit::Money, Unit::Number) | (Unit::Number, Unit::Money) => "write the number as money, e.g. `£500,000`".into(),
        (Unit::Percent, Unit::Pp) | (Unit::Pp, Unit::Percent) => {
            "a percent and percentage points differ: compare `a - b` (pp) with `5pp`, or a percent with a percent".into()
        }
        (Unit::Percent, Unit::Percent) => "percentages cannot be added: add percentage points (`+ 5pp`)".into(),
        _ => format!(
            "both sides must be in one unit: {} is {}, the other is {}",
            "one", article(a), article(b)
        ),
    }
}
