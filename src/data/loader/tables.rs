//! Which table a file is, from its header: long observations, evidence,
//! the Department's tidy statistics, or a wide table (a column a metric);
//! and the one error for rows whose fields do not match the header.

use super::Loader;
use crate::check::model::MetricId;
use crate::data::row::{bad_row, Row};
use crate::data::DataError;
use crate::diagnostics::Code;
use crate::source::SourceFile;

/// A wide table's columns: area, date, and a column for each metric read.
pub(super) struct Wide {
    pub(super) area: usize,
    pub(super) date: usize,
    pub(super) published: Option<usize>,
    pub(super) metrics: Vec<(usize, MetricId)>,
}

/// The columns of a tidy file of published statistics that are read.
pub(super) struct Tidy {
    pub(super) period: usize,
    pub(super) identifier: usize,
    pub(super) level: usize,
    pub(super) region: Option<usize>,
    pub(super) la_code: Option<usize>,
    pub(super) la_name: Option<usize>,
    pub(super) published: Option<usize>,
    pub(super) indicators: Vec<(usize, MetricId)>,
}

pub(super) enum Table {
    Wide(Wide),
    Tidy(Tidy),
    Observations {
        area: usize,
        metric: usize,
        date: usize,
        value: usize,
        published: Option<usize>,
        /// `geographic_level`, as the Department's files give each row's.
        level: Option<usize>,
    },
    Evidence {
        kind: usize,
        date: usize,
        reference: usize,
        published: Option<usize>,
    },
}

impl Loader<'_> {
    /// The table a header names, if any: long observations, evidence, the
    /// Department's tidy statistics, or a wide table (a column a metric).
    pub(super) fn table(
        &mut self,
        header: &[String],
        row: &Row<'_>,
        errors: &mut Vec<DataError>,
    ) -> Option<Table> {
        let col = |name: &str| header.iter().position(|h| h == name);
        if let (Some(period), Some(identifier), Some(level)) = (
            col("time_period"),
            col("time_identifier"),
            col("geographic_level"),
        ) {
            let indicators =
                self.metric_columns(header, &crate::data::published::STRUCTURE, row, errors);
            return Some(Table::Tidy(Tidy {
                period,
                identifier,
                level,
                region: col("region_name"),
                la_code: col("new_la_code"),
                la_name: col("la_name"),
                published: col("published"),
                indicators,
            }));
        }
        match (
            col("area"),
            col("metric"),
            col("date"),
            col("value"),
            col("kind"),
            col("reference"),
        ) {
            (Some(area), Some(metric), Some(date), Some(value), _, _) => {
                Some(Table::Observations {
                    area,
                    metric,
                    date,
                    value,
                    published: col("published"),
                    level: col("geographic_level"),
                })
            }
            (_, _, Some(date), _, Some(kind), Some(reference)) => Some(Table::Evidence {
                kind,
                date,
                reference,
                published: col("published"),
            }),
            (Some(area), None, Some(date), None, None, None) if header.len() > 2 => {
                let structure = ["area", "date", "published", "source"];
                let metrics = self.metric_columns(header, &structure, row, errors);
                Some(Table::Wide(Wide {
                    area,
                    date,
                    published: col("published"),
                    metrics,
                }))
            }
            _ => None,
        }
    }
}

/// One error for the rows of a file that have `len` fields where the header
/// has more or fewer: a header that gained a column no row has is one
/// mistake, not one per row.
pub(super) fn uneven_rows(
    src: &SourceFile,
    header: &[String],
    rows: usize,
    len: usize,
    first: u64,
    count: usize,
) -> DataError {
    // Every row (of several) one length short: the header is what changed.
    if len < header.len() && count == rows && rows > 1 {
        let extra: Vec<String> = header
            .get(len..)
            .unwrap_or(&[])
            .iter()
            .map(|h| format!("`{h}`"))
            .collect();
        return DataError::Field(crate::diagnostics::Located {
            code: Code::DataHeaderOnlyColumn,
            message: format!(
                "the header has {} columns but every row has {len}: {} has no values",
                header.len(),
                extra.join(", ")
            ),
            src: src.named(),
            span: src.line_span(1).into(),
            label: "this header".into(),
            help: Some(
                "remove the column from the header, or give every row a value for it".into(),
            ),
        });
    }
    let also = match count {
        1 => String::new(),
        n => format!(" ({n} rows like this, the first shown)"),
    };
    bad_row(
        src,
        first,
        format!("{len} fields where the header has {}{also}", header.len()),
        super::super::row::EVERY_COLUMN,
    )
}
