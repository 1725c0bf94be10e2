//! Measures and their requirements: conditions resolved to metrics and
//! evidence kinds, deadlines attached.

use std::collections::HashMap;

use super::model::*;
use super::{CheckError, Checker};
use crate::ast;
use crate::diagnostics::Code;
use crate::source::Span;

impl Checker<'_> {
    pub(super) fn measures(&mut self, notice: &ast::Notice) -> Vec<Measure> {
        let mut seen: HashMap<String, Span> = HashMap::new();
        let mut out = Vec::with_capacity(notice.measures.len());
        for m in &notice.measures {
            if let Some(&first) = seen.get(&m.id.node) {
                self.errors.push(CheckError::DuplicateMeasure {
                    src: self.src.named(),
                    span: m.id.span.into(),
                    first: first.into(),
                    id: m.id.node.clone(),
                });
            } else {
                seen.insert(m.id.node.clone(), m.id.span);
            }
            let requirements = m
                .requirements
                .iter()
                .filter_map(|r| self.requirement(r))
                .collect();
            out.push(Measure {
                id: m.id.node.clone(),
                title: m.title.node.clone(),
                group: m.group.clone(),
                text: m.text.as_ref().map(|t| t.node.clone()),
                owner: m
                    .owner
                    .as_ref()
                    .map_or_else(String::new, |o| o.node.clone()),
                requirements,
                span: m.span,
            });
        }
        out
    }

    pub(super) fn requirement(&mut self, r: &ast::Requirement) -> Option<Requirement> {
        let condition = self.cond(&r.condition);
        let deadline = match &r.deadline {
            None => None,
            Some(d) => Some(self.deadline(d)?),
        };
        let sustained = r.sustained.as_ref().map(|s| s.node);
        if let Some(s) = &r.sustained {
            if !crate::time::periods_fit(s.node.1, s.node.0) {
                self.too_many_periods(s.span, s.node.0);
                return None;
            }
            let every = deadline.as_ref().is_some_and(|d| {
                matches!(
                    d.kind,
                    DeadlineKind::Every { .. } | DeadlineKind::Rolling { .. }
                )
            });
            if s.node.0 == 0 || every {
                let (kind, message) = if every {
                    (
                        Code::CheckSustainedRecurring,
                        "a recurring duty cannot also be sustained",
                    )
                } else {
                    (
                        Code::CheckEmptySustained,
                        "a sustained condition needs at least one period",
                    )
                };
                self.errors.push(CheckError::invalid(
                    kind,
                    self.src,
                    s.span,
                    message.into(),
                    "here",
                    Some(
                        "write `for N consecutive months` with N of 1 or more, and without `every`"
                            .into(),
                    ),
                ));
                return None;
            }
        }
        let rolling = deadline
            .as_ref()
            .is_some_and(|d| matches!(d.kind, DeadlineKind::Rolling { .. }));
        if rolling && condition.as_ref().is_some_and(|c| !c.is_delivery()) {
            self.errors.push(CheckError::invalid(
                Code::CheckRollingNotDelivery,
                self.src,
                r.condition.span(),
                "`at least every ...` counts from each record to the next, so it needs records".into(),
                "not made of records",
                Some("ask for evidence (`evidence review at least every 6 months ...`), or use calendar periods (`every 6 months ...`) for a figure".into()),
            ));
            return None;
        }
        let (line, column) = self.src.line_col(r.span.start);
        let rule = self
            .src
            .slice(r.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Some(Requirement {
            kind: r.kind,
            condition: condition?,
            missing: r.missing.as_ref().map(|m| m.node),
            sustained,
            deadline,
            owner: r
                .owner
                .as_ref()
                .map_or_else(String::new, |o| o.node.clone()),
            span: r.span,
            rule,
            line,
            column,
        })
    }

    pub(super) fn cond(&mut self, cond: &ast::Cond) -> Option<Cond> {
        Some(match cond {
            ast::Cond::All(items, s) => Cond::All(self.conds(items)?, *s),
            ast::Cond::Any(items, s) => Cond::Any(self.conds(items)?, *s),
            ast::Cond::Not(c, s) => Cond::Not(Box::new(self.cond(c)?), *s),
            ast::Cond::And(items, s) => Cond::All(self.conds(items)?, *s),
            ast::Cond::Or(items, s) => Cond::Any(self.conds(items)?, *s),
            ast::Cond::Evidence(name, window, s) => {
                let within = match window {
                    None => None,
                    Some(w) => Some(self.record_window(w)?),
                };
                match EvidenceId::at_of(self.evidence_place(&name.node)) {
                    Some(id) => Cond::Evidence(id, within, *s),
                    None => {
                        let names: Vec<String> =
                            self.evidence.iter().map(|e| e.name.clone()).collect();
                        self.unknown(
                            &name.node,
                            name.span,
                            "evidence kind",
                            names.iter().map(String::as_str),
                        );
                        return None;
                    }
                }
            }
            ast::Cond::Trend {
                metric,
                area,
                improving,
                by,
                window,
                span,
            } => {
                let Some(id) = MetricId::at_of(self.metric_place(&metric.node)) else {
                    let names: Vec<String> = self.metrics.iter().map(|m| m.name.clone()).collect();
                    self.unknown(
                        &metric.node,
                        metric.span,
                        "metric",
                        names.iter().map(String::as_str),
                    );
                    return None;
                };
                if self
                    .metrics
                    .get(id.index())
                    .is_some_and(|m| m.direction.is_none())
                {
                    self.errors.push(CheckError::invalid(
                        Code::CheckTrendWithoutDirection,
                        self.src,
                        metric.span,
                        format!(
                            "`{}` has no direction, so it cannot improve or worsen",
                            metric.node
                        ),
                        "no direction declared",
                        Some(format!(
                            "declare which way is better: `metric {} : ..., higher is better`",
                            metric.node
                        )),
                    ));
                    return None;
                }
                let by = match by {
                    None => None,
                    Some(lit) => Some(self.tolerance(id, lit)?),
                };
                Cond::Trend {
                    metric: id,
                    area: area.as_ref().map(|a| a.node.clone()),
                    improving: *improving,
                    by,
                    window: window.node,
                    span: *span,
                }
            }
            ast::Cond::Compare { lhs, op, rhs, span } => {
                // A bare name on one side may be a level of the other side's scale.
                let lhs_scale = self.scale_hint(rhs);
                let rhs_scale = self.scale_hint(lhs);
                let l = self.value(lhs, rhs_scale.as_deref().or(lhs_scale.as_deref()));
                let r = self.value(rhs, rhs_scale.as_deref().or(lhs_scale.as_deref()));
                let (l, r) = (l?, r?);
                self.compatible(&l, &r)?;
                Cond::Compare {
                    lhs: l,
                    op: op.node,
                    rhs: r,
                    span: *span,
                }
            }
        })
    }

    pub(super) fn conds(&mut self, items: &[ast::Cond]) -> Option<Vec<Cond>> {
        let checked: Vec<Option<Cond>> = items.iter().map(|c| self.cond(c)).collect();
        checked.into_iter().collect()
    }
}
