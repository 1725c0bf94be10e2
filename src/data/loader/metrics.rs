//! Which declared metric a header column or a row's `metric` field names
//! (by its name or its `column`): a near miss is a typo, and an error; any
//! other name is passed over, and counted.

use super::Loader;
use crate::check::model::MetricId;
use crate::check::{did_you_mean, Suggestions};
use crate::data::row::Row;
use crate::data::{DataError, Provenance};
use crate::diagnostics::Code;

impl Loader<'_> {
    /// The columns of a wide or tidy header that hold metrics the notice
    /// declares (by name or `column`). A column near a declared name is a
    /// typo, and an error; the others (filters, indicators no rule reads)
    /// are passed over with one warning.
    pub(super) fn metric_columns(
        &mut self,
        header: &[String],
        structure: &[&str],
        row: &Row<'_>,
        errors: &mut Vec<DataError>,
    ) -> Vec<(usize, MetricId)> {
        let mut metrics = Vec::new();
        let mut unread: Vec<usize> = Vec::new();
        for (i, name) in header.iter().enumerate() {
            if structure.contains(&name.as_str()) {
                continue;
            }
            // The header is read in lower case; metric names are matched as written too.
            let written = row.get(i);
            match self
                .metric_index
                .get(written)
                .or_else(|| self.metric_index.get(name.as_str()))
            {
                Some(&m) => metrics.push((i, m)),
                None => match did_you_mean(written, self.metric_index.keys().copied()) {
                    Some(near) => errors.push(row.error(
                        Code::DataUnknownMetric,
                        i,
                        format!("unknown metric `{written}`"),
                        "not declared in the notice",
                        Some(format!("did you mean `{near}`?")),
                    )),
                    None => unread.push(i),
                },
            }
        }
        let silenced = self.allowing.contains(&Code::LintUndeclaredDataMetric);
        if let Some(&first) = unread.first().filter(|_| !silenced) {
            let src = row.excerpt();
            let span = crate::data::row::field_span(&src.text, 0, first);
            let names: Vec<String> = unread
                .iter()
                .map(|&i| format!("`{}`", row.get(i)))
                .collect();
            let shown = if names.len() > 8 {
                format!("{}, … ({} in all)", names[..8].join(", "), names.len())
            } else {
                names.join(", ")
            };
            self.data
                .warnings
                .push(DataError::UndeclaredMetric(crate::diagnostics::Located {
                    code: Code::LintUndeclaredDataMetric,
                    message: format!(
                        "{} line {}: {} column{} the notice does not declare {} not read: {shown}",
                        src.name,
                        row.line(),
                        crate::value::count(unread.len()),
                        if unread.len() == 1 { "" } else { "s" },
                        if unread.len() == 1 { "was" } else { "were" },
                    ),
                    src: src.named(),
                    span: span.into(),
                    label: "the first".into(),
                    help: Some(format!(
                        "declare a metric (or give one `column \"NAME\"`) to read a column; {}",
                        super::lints::allow_help(Code::LintUndeclaredDataMetric)
                    )),
                }));
        }
        metrics
    }

    /// The metric the `metric` field of a row names (by its name or its
    /// `column`). A name no rule reads is passed over and counted, unless it
    /// is near a declared one: a typo, and an error.
    pub(super) fn metric_named(
        &mut self,
        row: &Row<'_>,
        prov: Provenance,
        metric_col: usize,
        errors: &mut Vec<DataError>,
    ) -> Option<MetricId> {
        let metric_name = row.get(metric_col);
        let named = match self.metric_names.get(metric_name) {
            Some(&named) => named,
            None => {
                let named = match self.metric_index.get(metric_name) {
                    Some(&metric) => MetricName::Declared(metric),
                    None => match self
                        .metric_suggestions
                        .get_or_insert_with(|| Suggestions::new(self.metric_index.keys().copied()))
                        .nearest(metric_name)
                    {
                        Some(near) => {
                            self.near_names.push(near.to_string());
                            MetricName::Near(self.near_names.len() - 1)
                        }
                        None => MetricName::PassedOver { counted: false },
                    },
                };
                self.metric_names.insert(metric_name.to_string(), named);
                named
            }
        };
        match named {
            MetricName::Declared(metric) => Some(metric),
            MetricName::PassedOver { counted } => {
                if !self.silenced(prov.file, Code::LintUndeclaredDataMetric) {
                    if !counted {
                        self.metric_names.insert(
                            metric_name.to_string(),
                            MetricName::PassedOver { counted: true },
                        );
                    }
                    if self.skipped.count_known(!counted) {
                        let at = self.kept.keep(row.record);
                        let span = self.kept.field(at, metric_col);
                        self.skipped.first = Some((prov.file, row.line(), span));
                    }
                }
                None
            }
            MetricName::Near(near) => {
                let near = self.near_names.get(near).map_or("", String::as_str);
                let help = Some(format!("did you mean `{near}`?"));
                errors.push(row.error(
                    Code::DataUnknownMetric,
                    metric_col,
                    format!("unknown metric `{metric_name}`"),
                    "not declared in the notice",
                    help,
                ));
                None
            }
        }
    }
}

/// What a name in a row's `metric` field is.
#[derive(Clone, Copy)]
pub(super) enum MetricName {
    /// A declared metric (its name or its `column`).
    Declared(MetricId),
    /// Near a declared name: a typo, this one (an index of `near_names`).
    Near(usize),
    /// Neither: its rows are passed over, and counted (`counted` once one is).
    PassedOver { counted: bool },
}
