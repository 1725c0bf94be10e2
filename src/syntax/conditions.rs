//! Building conditions, values, metric references, windows and dates from
//! pest's pairs: the expressions inside a requirement.

use pest::iterators::Pair;

use super::build::{and_chain, Builder, Result};
use super::{ParseError, Rule, MAX_DEPTH};
use crate::ast::*;
use crate::source::{Span, Spanned};

impl Builder<'_> {
    /// `and` binds tighter than `or`. Chains are collected into flat lists
    /// in a loop, so their length is unbounded and costs no depth.
    pub(super) fn condition(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Cond> {
        let span: Span = self.tight(pair.as_span());
        let mut ors: Vec<Vec<Cond>> = vec![Vec::new()];
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::and_op => {}
                Rule::or_op => ors.push(Vec::new()),
                _ => {
                    let operand = self.prefixed(p, depth)?;
                    if let Some(last) = ors.last_mut() {
                        last.push(operand);
                    }
                }
            }
        }
        let mut alternatives: Vec<Cond> = ors.into_iter().filter_map(and_chain).collect();
        match alternatives.len() {
            0 => Err(self.internal(span)),
            1 => alternatives.pop().ok_or_else(|| self.internal(span)),
            _ => Ok(Cond::Or(alternatives, span)),
        }
    }

    pub(super) fn prefixed(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Cond> {
        let span: Span = self.tight(pair.as_span());
        let mut nots = Vec::new();
        let mut primary = None;
        for p in pair.into_inner() {
            if p.as_rule() == Rule::not_op {
                nots.push(self.tight(p.as_span()));
            } else {
                primary = Some(p);
            }
        }
        if depth + nots.len() > MAX_DEPTH {
            let at = nots
                .get(MAX_DEPTH.saturating_sub(depth))
                .copied()
                .unwrap_or(span);
            return Err(ParseError::TooDeep {
                src: self.src.named(),
                span: at.into(),
                limit: MAX_DEPTH,
            });
        }
        let primary = primary.ok_or_else(|| self.internal(span))?;
        let mut cond = self.primary(primary, depth + nots.len())?;
        for not_span in nots.into_iter().rev() {
            let s = Span::new(not_span.start, span.end);
            cond = Cond::Not(Box::new(cond), s);
        }
        Ok(cond)
    }

    pub(super) fn primary(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Cond> {
        let span: Span = self.tight(pair.as_span());
        match pair.as_rule() {
            Rule::all_block | Rule::any_block => {
                let is_all = pair.as_rule() == Rule::all_block;
                let items = pair
                    .into_inner()
                    .map(|c| self.condition(c, depth + 1))
                    .collect::<Result<Vec<_>>>()?;
                Ok(if is_all {
                    Cond::All(items, span)
                } else {
                    Cond::Any(items, span)
                })
            }
            Rule::paren => self.condition(self.next(&mut pair.into_inner(), span)?, depth + 1),
            Rule::trend => {
                let mut parts = pair.into_inner();
                let metric = self.name(self.next(&mut parts, span)?);
                let mut area = None;
                let mut improving = true;
                let mut window = None;
                let mut by = None;
                for p in parts {
                    match p.as_rule() {
                        Rule::area => area = Some(self.area(p)?),
                        Rule::trend_dir => improving = p.as_str() == "improving",
                        Rule::trend_by => {
                            let b_span = self.tight(p.as_span());
                            match self.term(self.next(&mut p.into_inner(), b_span)?)? {
                                Term::Literal(lit) => by = Some(lit),
                                _ => return Err(self.internal(b_span)),
                            }
                        }
                        _ => window = Some(self.duration(p)?),
                    }
                }
                let window = window.ok_or_else(|| self.internal(span))?;
                Ok(Cond::Trend {
                    metric,
                    area,
                    improving,
                    by,
                    window,
                    span,
                })
            }
            Rule::evidence_cond => {
                let mut inner = pair.into_inner();
                let name = self.name(self.next(&mut inner, span)?);
                let window = inner.next().map(|w| self.evidence_window(w)).transpose()?;
                Ok(Cond::Evidence(name, window, span))
            }
            Rule::comparison => {
                let mut parts = pair.into_inner();
                let lhs = self.value(self.next(&mut parts, span)?)?;
                let op_pair = self.next(&mut parts, span)?;
                let op = match op_pair.as_str() {
                    "<" => CmpOp::Lt,
                    "<=" => CmpOp::Le,
                    ">" => CmpOp::Gt,
                    ">=" => CmpOp::Ge,
                    "==" => CmpOp::Eq,
                    _ => CmpOp::Ne,
                };
                let op = Spanned::new(op, self.tight(op_pair.as_span()));
                let rhs = self.value(self.next(&mut parts, span)?)?;
                Ok(Cond::Compare { lhs, op, rhs, span })
            }
            _ => Err(self.internal(span)),
        }
    }

    pub(super) fn value(&self, pair: Pair<'_, Rule>) -> Result<ValueExpr> {
        let span: Span = self.tight(pair.as_span());
        let mut parts = pair.into_inner();
        let first = self.term(self.next(&mut parts, span)?)?;
        let mut rest = Vec::new();
        while let Some(op) = parts.next() {
            let op = if op.as_str() == "+" {
                AddOp::Add
            } else {
                AddOp::Sub
            };
            rest.push((op, self.term(self.next(&mut parts, span)?)?));
        }
        Ok(ValueExpr { first, rest, span })
    }

    pub(super) fn term(&self, pair: Pair<'_, Rule>) -> Result<Term> {
        let span: Span = self.tight(pair.as_span());
        let text = pair.as_str();
        let lit = match pair.as_rule() {
            Rule::percent => Literal::Percent(text.trim_end_matches('%').to_string()),
            Rule::pp => Literal::Pp(text.trim_end_matches("pp").to_string()),
            Rule::money => Literal::Money(text.replacen('£', "", 1)),
            Rule::days_lit => {
                let digits = pair
                    .into_inner()
                    .next()
                    .map_or(String::new(), |p| p.as_str().to_string());
                Literal::Days(digits)
            }
            Rule::number => Literal::Number(text.to_string()),
            Rule::metric_ref => return self.metric_ref(pair).map(Term::Ref),
            Rule::evidence_count => {
                let mut inner = pair.into_inner();
                let kind = self.name(self.next(&mut inner, span)?);
                let window = inner.next().map(|w| self.evidence_window(w)).transpose()?;
                return Ok(Term::EvidenceCount { kind, window, span });
            }
            _ => return Err(self.internal(span)),
        };
        Ok(Term::Literal(Spanned::new(lit, span)))
    }

    pub(super) fn metric_ref(&self, pair: Pair<'_, Rule>) -> Result<MetricRef> {
        let span: Span = self.tight(pair.as_span());
        let mut r = MetricRef {
            name: Spanned::new(String::new(), span),
            area: None,
            aggregate: None,
            window: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::aggregate => {
                    let a = match p.as_str() {
                        "mean" => Aggregate::Mean,
                        "min" => Aggregate::Min,
                        "max" => Aggregate::Max,
                        "count" => Aggregate::Count,
                        _ => Aggregate::Latest,
                    };
                    r.aggregate = Some(Spanned::new(a, self.tight(p.as_span())));
                }
                Rule::ident => r.name = self.name(p),
                Rule::area => r.area = Some(self.area(p)?),
                Rule::at_date => {
                    let a_span = self.tight(p.as_span());
                    r.window = Some(Window::At(
                        self.date_expr(self.next(&mut p.into_inner(), a_span)?)?,
                    ));
                }
                Rule::over_window => {
                    let a_span = self.tight(p.as_span());
                    r.window = Some(Window::Over(
                        self.duration(self.next(&mut p.into_inner(), a_span)?)?,
                    ));
                }
                Rule::range_window => {
                    let a_span = self.tight(p.as_span());
                    let mut inner = p.into_inner();
                    let from = self.date_expr(self.next(&mut inner, a_span)?)?;
                    let until = self.date_expr(self.next(&mut inner, a_span)?)?;
                    r.window = Some(Window::Range(from, until));
                }
                _ => return Err(self.internal(span)),
            }
        }
        Ok(r)
    }

    /// `since D`, `from A until B` or `over N UNITS` after `evidence KIND`.
    pub(super) fn evidence_window(&self, w: Pair<'_, Rule>) -> Result<EvidenceWindow> {
        let w_span = self.tight(w.as_span());
        let rule = w.as_rule();
        let mut parts = w.into_inner();
        let first = self.next(&mut parts, w_span)?;
        Ok(match rule {
            Rule::over_window => EvidenceWindow::Over(self.duration(first)?),
            Rule::since_window => EvidenceWindow::Since(self.date_expr(first)?),
            _ => EvidenceWindow::Range(
                self.date_expr(first)?,
                self.date_expr(self.next(&mut parts, w_span)?)?,
            ),
        })
    }

    pub(super) fn area(&self, p: Pair<'_, Rule>) -> Result<Spanned<String>> {
        let a_span = self.tight(p.as_span());
        let inner = self.next(&mut p.into_inner(), a_span)?;
        Ok(if inner.as_rule() == Rule::string {
            Spanned::new(self.string(inner).node, a_span)
        } else {
            Spanned::new(inner.as_str().to_string(), a_span)
        })
    }

    pub(super) fn missing_policy(&self, pair: Pair<'_, Rule>) -> Result<Spanned<MissingPolicy>> {
        let span = self.tight(pair.as_span());
        let which = self.next(&mut pair.into_inner(), span)?;
        let policy = match which.as_rule() {
            Rule::missing_not_met => MissingPolicy::NotMet,
            Rule::missing_carry => {
                let w_span = self.tight(which.as_span());
                MissingPolicy::CarryForward(
                    self.duration(self.next(&mut which.into_inner(), w_span)?)?
                        .node,
                )
            }
            _ => MissingPolicy::Unknown,
        };
        Ok(Spanned::new(policy, span))
    }

    pub(super) fn int(&self, pair: Pair<'_, Rule>) -> Result<u32> {
        pair.as_str()
            .parse::<u32>()
            .map_err(|_| ParseError::NumberTooLarge {
                src: self.src.named(),
                span: self.tight(pair.as_span()).into(),
            })
    }

    pub(super) fn date_expr(&self, pair: Pair<'_, Rule>) -> Result<DateExpr> {
        let span: Span = self.tight(pair.as_span());
        let mut parts = pair.into_inner();
        let a = self.next(&mut parts, span)?;
        let a_span: Span = self.tight(a.as_span());
        let anchor = match a.as_rule() {
            Rule::date => Anchor::Date(a.as_str().to_string()),
            Rule::month_date => Anchor::Month(a.as_str().to_string()),
            Rule::issued_kw => Anchor::Issued,
            _ => Anchor::Milestone(a.as_str().to_string()),
        };
        let mut steps = Vec::new();
        while let Some(op) = parts.next() {
            let op = if op.as_str() == "+" {
                AddOp::Add
            } else {
                AddOp::Sub
            };
            steps.push((op, self.duration(self.next(&mut parts, span)?)?));
        }
        Ok(DateExpr {
            anchor: Spanned::new(anchor, a_span),
            steps,
            span,
        })
    }

    pub(super) fn duration(&self, pair: Pair<'_, Rule>) -> Result<Spanned<Duration>> {
        let span: Span = self.tight(pair.as_span());
        let mut parts = pair.into_inner();
        let amount = self.int(self.next(&mut parts, span)?)?;
        let unit_text = self.next(&mut parts, span)?.as_str();
        let unit = if unit_text.starts_with("working") {
            DurationUnit::WorkingDays
        } else if unit_text.starts_with("day") {
            DurationUnit::Days
        } else if unit_text.starts_with("week") {
            DurationUnit::Weeks
        } else if unit_text.starts_with("month") {
            DurationUnit::Months
        } else {
            DurationUnit::Years
        };
        Ok(Spanned::new(Duration { amount, unit }, span))
    }
}
