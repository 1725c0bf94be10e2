//! Declarations: scales, metrics and evidence kinds, each name once across
//! the notice and its libraries.

use std::collections::HashMap;
use std::sync::Arc;

use super::model::*;
use super::{CheckError, Checker, Seen};
use crate::ast::{self, Decl};
use crate::diagnostics::Code;
use crate::source::{Site, Span};
use crate::value::Unit;

impl Checker<'_> {
    pub(super) fn duplicate(&mut self, seen: &mut Seen, name: &ast::Name) -> bool {
        if let Some(Site { file, span: first }) = seen.get(&name.node) {
            if *file == self.src.name {
                self.errors.push(CheckError::DuplicateName {
                    src: self.src.named(),
                    span: name.span.into(),
                    first: (*first).into(),
                    name: name.node.clone(),
                });
            } else {
                self.errors.push(CheckError::invalid(
                    Code::CheckDeclaredInLibrary,
                    self.src,
                    name.span,
                    format!("`{}` is already declared in `{file}`", name.node),
                    "declared again here",
                    Some(format!(
                        "use the declaration from `{file}`, or give this one another name"
                    )),
                ));
            }
            return true;
        }
        seen.insert(name.node.clone(), Site::new(self.src, name.span));
        false
    }

    pub(super) fn declarations(&mut self, decls: &[Decl], seen: &mut Seen) {
        // Scales first: metrics name them.
        for decl in decls {
            if let Decl::Scale { name, levels } = decl {
                if self.duplicate(seen, name) {
                    continue;
                }
                let mut level_seen = Seen::new();
                for level in levels {
                    self.duplicate(&mut level_seen, level);
                }
                self.scales.push(Scale {
                    name: Arc::from(name.node.as_str()),
                    declared: Site::new(self.src, name.span),
                    levels: levels.iter().map(|l| Arc::from(l.node.as_str())).collect(),
                });
            }
        }
        for decl in decls {
            match decl {
                Decl::Metric {
                    name,
                    unit,
                    direction,
                    missing,
                    fresh_within,
                    column,
                    stands,
                    description,
                } => {
                    if self.duplicate(seen, name) {
                        continue;
                    }
                    let unit = match &unit.node {
                        ast::UnitSpec::Plain(word) => Unit::from_keyword(word),
                        ast::UnitSpec::Rating(scale) => {
                            if self.scales.iter().any(|s| *s.name == *scale.node) {
                                Some(Unit::Rating(Arc::from(scale.node.as_str())))
                            } else {
                                let names: Vec<Arc<str>> =
                                    self.scales.iter().map(|s| Arc::clone(&s.name)).collect();
                                self.unknown(
                                    &scale.node,
                                    scale.span,
                                    "scale",
                                    names.iter().map(|s| &**s),
                                );
                                None
                            }
                        }
                    };
                    if let Some(unit) = unit {
                        let direction = direction.as_ref().map(|d| d.node).or(match unit {
                            Unit::Rating(_) => Some(ast::Direction::HigherIsBetter),
                            _ => None,
                        });
                        // A rating (an inspection's judgement) stands until the
                        // next replaces it; a figure stands only if declared so.
                        let stands = stands.is_some() || matches!(unit, Unit::Rating(_));
                        self.metric_places
                            .entry(name.node.clone())
                            .or_insert(self.metrics.len());
                        self.metrics.push(Metric {
                            name: name.node.clone(),
                            stands,
                            unit,
                            direction,
                            missing: missing
                                .as_ref()
                                .map_or(ast::MissingPolicy::Unknown, |m| m.node),
                            fresh_within: fresh_within.as_ref().map(|f| f.node),
                            column: column.as_ref().map(|c| c.node.clone()),
                            description: description.clone(),
                            declared: Site::new(self.src, name.span),
                        });
                    }
                }
                Decl::Evidence { name, description } => {
                    if !self.duplicate(seen, name) {
                        self.evidence_places
                            .entry(name.node.clone())
                            .or_insert(self.evidence.len());
                        self.evidence.push(EvidenceKind {
                            name: name.node.clone(),
                            description: description.clone(),
                            declared: Site::new(self.src, name.span),
                        });
                    }
                }
                Decl::Milestone { name, .. } => {
                    self.duplicate(seen, name);
                }
                Decl::Scale { .. } | Decl::MetricPolicy { .. } => {}
            }
        }
        self.metric_policies(decls);
    }

    /// `metric NAME with ...`: a notice's policies for a metric it takes
    /// from a library (or declares itself), set once each.
    fn metric_policies(&mut self, decls: &[Decl]) {
        let mut set: HashMap<&str, Span> = HashMap::new();
        for decl in decls {
            let Decl::MetricPolicy {
                name,
                missing,
                fresh_within,
                column,
                stands,
            } = decl
            else {
                continue;
            };
            if let Some(&first) = set.get(name.node.as_str()) {
                self.errors.push(CheckError::DuplicateName {
                    src: self.src.named(),
                    span: name.span.into(),
                    first: first.into(),
                    name: name.node.clone(),
                });
                continue;
            }
            set.insert(&name.node, name.span);
            let Some(metric) = self.metrics.iter_mut().find(|m| m.name == name.node) else {
                let names: Vec<String> = self.metrics.iter().map(|m| m.name.clone()).collect();
                self.unknown(
                    &name.node,
                    name.span,
                    "metric",
                    names.iter().map(String::as_str),
                );
                continue;
            };
            if let Some(m) = missing {
                metric.missing = m.node;
            }
            if let Some(f) = fresh_within {
                metric.fresh_within = Some(f.node);
            }
            if let Some(c) = column {
                metric.column = Some(c.node.clone());
            }
            if stands.is_some() {
                metric.stands = true;
            }
        }
    }
}
