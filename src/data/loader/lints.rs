//! Warnings on a data set once read: percents that look like fractions,
//! and one warning for all the rows passed over of one kind.

use std::collections::BTreeMap;

use super::Loader;
use crate::check::model::MetricId;
use crate::data::{DataError, Observation};
use crate::diagnostics::Code;

/// Rows passed over (of undeclared metrics, or of areas no rule reads).
#[derive(Default)]
pub(super) struct Skipped {
    pub(super) rows: usize,
    /// The distinct metric or area names they were of.
    names: rustc_hash::FxHashSet<String>,
    /// Distinct names counted by a caller that keeps them itself.
    known_names: usize,
    /// The name of the row counted last: rows of one name come together,
    /// and need no lookup.
    last: Option<String>,
    /// The first: its file's index, line, and the span of its metric.
    pub(super) first: Option<(u32, u64, crate::source::Span)>,
}

impl Skipped {
    /// Counts one row of `name`; whether it is the first row counted. A
    /// name is copied only the first time it is met (a national file
    /// passes over millions of rows of a few hundred names).
    pub(super) fn count(&mut self, name: &str) -> bool {
        self.rows += 1;
        if self.last.as_deref() != Some(name) {
            let last = self.last.get_or_insert_with(String::new);
            last.clear();
            last.push_str(name);
            if !self.names.contains(name) {
                self.names.insert(name.to_string());
            }
        }
        self.first.is_none()
    }

    /// Counts one row of a name the caller keeps itself, `new` the first
    /// time it is met; whether it is the first row counted.
    pub(super) fn count_known(&mut self, new: bool) -> bool {
        self.rows += 1;
        self.known_names += usize::from(new);
        self.first.is_none()
    }

    /// How many distinct names.
    pub(super) fn names(&self) -> usize {
        self.names.len() + self.known_names
    }
}

impl Loader<'_> {
    /// Warns of each percent series whose values all lie between 0 and 1: a
    /// spreadsheet's fractions (0.61) read as percents (0.61%) are a hundred
    /// times too small, and every verdict on them would be wrong.
    pub(super) fn percents_as_fractions(&mut self) {
        let mut keys: Vec<(u32, MetricId)> = self.data.series.keys().copied().collect();
        keys.sort_unstable();
        let mut flagged: BTreeMap<MetricId, Vec<u32>> = BTreeMap::new();
        for key in keys {
            // Silenced by `// allow(percent_as_fraction)` at the metric's
            // declaration in the notice (a metric that is a fraction of 1%),
            // or on the `data` line of the file (below).
            let is_percent = self.notice.metric(key.1).is_some_and(|m| {
                m.unit == crate::value::Unit::Percent
                    && !(*m.declared.file == *self.notice.source.name
                        && crate::check::lint::silenced(
                            &self.notice.source,
                            Code::DataPercentAsFraction,
                            m.declared.span,
                        ))
            });
            let Some(series) = self.data.series.get(&key).filter(|_| is_percent) else {
                continue;
            };
            let number = |o: &Observation| match &o.value {
                crate::value::Value::Num(n, _) => Some(*n),
                crate::value::Value::Rating { .. } => None,
            };
            let one = rust_decimal::Decimal::ONE;
            let all_fractions = series.iter().all(|o| number(o).is_some_and(|n| n <= one))
                && series
                    .iter()
                    .any(|o| number(o).is_some_and(|n| n > rust_decimal::Decimal::ZERO && n < one));
            if all_fractions {
                flagged.entry(key.1).or_default().push(key.0);
            }
        }
        // One warning a metric: a screen may find the same export in many areas.
        for (metric_id, areas) in flagged {
            let Some(series) = areas
                .first()
                .and_then(|&a| self.data.series.get(&(a, metric_id)))
            else {
                continue;
            };
            let Some(first) = series.first() else {
                continue;
            };
            if self.silenced(first.source.file, Code::DataPercentAsFraction) {
                continue;
            }
            let Some(src) = self.data.files.get(first.source.file as usize) else {
                continue;
            };
            let metric = self
                .notice
                .metric(metric_id)
                .map_or("?", |m| m.name.as_str());
            let area_name = |a: u32| match self.data.areas.get(a as usize).map(String::as_str) {
                None | Some("") => self.notice.authority.clone(),
                Some(name) => name.to_string(),
            };
            let message = if let [area] = areas[..] {
                let lines: Vec<String> = series.iter().map(|o| o.source.line.to_string()).collect();
                let shown = if lines.len() > 6 {
                    format!("{}, … ({} rows)", lines[..6].join(", "), lines.len())
                } else {
                    lines.join(", ")
                };
                format!(
                    "every `{metric}` value for {} lies between 0 and 1 ({} lines {shown}): fractions read as percents?",
                    area_name(area),
                    src.name
                )
            } else {
                let names: Vec<String> = areas.iter().take(3).map(|&a| area_name(a)).collect();
                format!(
                    "every `{metric}` value for each of {} areas ({}{}) lies between 0 and 1, the first at {} line {}: fractions read as percents?",
                    crate::value::count(areas.len()),
                    names.join(", "),
                    if areas.len() > 3 { ", …" } else { "" },
                    src.name,
                    first.source.line
                )
            };
            self.data
                .warnings
                .push(DataError::Field(crate::diagnostics::Located {
                    code: Code::DataPercentAsFraction,
                    message,
                    src: src.named(),
                    span: src.line_span(first.source.line as usize).into(),
                    label: "read as a percent".into(),
                    help: Some(format!(
                        "write 61% or 61, not 0.61: `{metric}` is a percent; {}",
                        allow_help(Code::DataPercentAsFraction)
                    )),
                }));
        }
    }

    /// One warning for all the rows passed over of one kind (undeclared
    /// metrics, or areas no rule reads): how many, of how many names, and
    /// the first.
    pub(super) fn report_passed_over(
        &mut self,
        passed: &Skipped,
        code: Code,
        what: &str,
        help: &str,
    ) {
        let Some((file, line, span)) = passed.first else {
            return;
        };
        let Some(src) = self.data.files.get(file as usize) else {
            return;
        };
        let (rows, names) = (passed.rows, passed.names());
        let (what_one, what_many) = what.split_once('|').unwrap_or((what, what));
        self.data
            .warnings
            .push(DataError::UndeclaredMetric(crate::diagnostics::Located {
                code,
                message: format!(
                    "{} row{} of {} {} {} not read, the first at {} line {line}",
                    crate::value::count(rows),
                    if rows == 1 { "" } else { "s" },
                    crate::value::count(names),
                    if names == 1 { what_one } else { what_many },
                    if rows == 1 { "was" } else { "were" },
                    src.name
                ),
                src: src.named(),
                span: span.into(),
                label: "the first".into(),
                help: Some(format!("{help}; {}", allow_help(code))),
            }));
    }
}

/// How to silence a warning about a data file, for its help.
pub(super) fn allow_help(code: Code) -> String {
    format!(
        "or silence it with `// allow({})` on the `data` line that brings the file in",
        code.name()
    )
}
