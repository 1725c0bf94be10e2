//! A row of each table read into the data set: a figure in its metric's
//! unit (or withheld, in published statistics), or a record of evidence,
//! with its publication date.

use super::tables::{Tidy, Wide};
use super::Loader;
use crate::check::did_you_mean;
use crate::check::model::MetricId;
use crate::data::published::Withheld;
use crate::data::row::Row;
use crate::data::values::parse_value;
use crate::data::{DataError, EvidenceRecord, Level, Observation, Provenance};
use crate::diagnostics::Code;
use crate::time::Date;

impl Loader<'_> {
    /// A row of the long table: one area, metric, date and value.
    pub(super) fn observation(
        &mut self,
        row: &Row<'_>,
        prov: Provenance,
        cols: [usize; 4],
        (published_col, level_col): (Option<usize>, Option<usize>),
        errors: &mut Vec<DataError>,
    ) {
        let [area_col, metric_col, date_col, value_col] = cols;
        // A level left blank is not given: the row is read as one without.
        if let Some(col) = level_col.filter(|&c| !row.get(c).is_empty()) {
            let level = row.get(col);
            self.row_level = Level::of(level);
            if self.row_level.is_none() {
                self.level_not_read(level, row, prov, col);
                return;
            }
        }
        let area = row.get(area_col);
        let Some(area) = self.area_read(area, row, prov, area_col) else {
            return;
        };
        let Some(metric) = self.metric_named(row, prov, metric_col, errors) else {
            return;
        };
        if self.unread_for_others(area, metric) {
            return;
        }
        let Some(date) = row.date(date_col, errors) else {
            return;
        };
        let Some(published) = self.published(row, published_col, date, date_col, errors) else {
            return;
        };
        self.add(
            row, prov, area, metric, date, published, value_col, false, errors,
        );
    }

    /// A row of a wide table: one area and date, a column a metric.
    pub(super) fn wide(
        &mut self,
        row: &Row<'_>,
        prov: Provenance,
        table: &Wide,
        errors: &mut Vec<DataError>,
    ) {
        let Some(area) = self.area_read(row.get(table.area), row, prov, table.area) else {
            return;
        };
        let Some(date) = row.date(table.date, errors) else {
            return;
        };
        let Some(published) = self.published(row, table.published, date, table.date, errors) else {
            return;
        };
        for &(col, metric) in &table.metrics {
            // An empty cell is a figure not given, as a missing row is.
            if !row.get(col).is_empty() {
                self.add(row, prov, area, metric, date, published, col, false, errors);
            }
        }
    }

    /// A row of the Department's published statistics: a period, a
    /// geography, and a column an indicator.
    pub(super) fn tidy(
        &mut self,
        row: &Row<'_>,
        prov: Provenance,
        table: &Tidy,
        errors: &mut Vec<DataError>,
    ) {
        // The area, borrowed from the row (or the notice): a national file
        // has millions of rows.
        let notice = self.notice;
        let level = row.get(table.level);
        self.row_level = Level::of(level);
        let (area, area_col): (&str, usize) = match self.row_level {
            Some(Level::National) => ("England", table.level),
            Some(Level::Regional) => table
                .region
                .map_or((level, table.level), |col| (row.get(col), col)),
            Some(Level::LocalAuthority) => {
                let code = table.la_code.map(|c| (row.get(c), c));
                match (code, table.la_name) {
                    (Some((code, col)), _) if notice.code.as_deref() == Some(code) => {
                        (notice.authority.as_str(), col)
                    }
                    (_, Some(col)) => (row.get(col), col),
                    (Some((code, col)), None) => (code, col),
                    (None, None) => (level, table.level),
                }
            }
            // Other geographies (wards, constituencies) are passed over and
            // counted, in a screen too: no rule reads them.
            None => {
                self.level_not_read(level, row, prov, table.level);
                return;
            }
        };
        let Some(area) = self.area_read(area, row, prov, area_col) else {
            return;
        };
        let period = row.get(table.period);
        let date = match crate::data::published::period_end(period, row.get(table.identifier)) {
            Ok(d) => d,
            Err(message) => {
                errors.push(row.error(
                    Code::DataBadPeriod,
                    table.period,
                    message,
                    "this period",
                    Some("time_period and time_identifier are as Explore Education Statistics publishes them; docs/language.md lists those read".into()),
                ));
                return;
            }
        };
        let Some(published) = self.published(row, table.published, date, table.period, errors)
        else {
            return;
        };
        for &(col, metric) in &table.indicators {
            if !row.get(col).is_empty() {
                self.add(row, prov, area, metric, date, published, col, true, errors);
            }
        }
    }

    /// Adds one figure, read in its metric's unit. In published statistics
    /// (`symbols`), a symbol in place of the figure is kept as withheld.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add(
        &mut self,
        row: &Row<'_>,
        prov: Provenance,
        area: &str,
        metric: MetricId,
        date: Date,
        published: Option<Date>,
        value_col: usize,
        symbols: bool,
        errors: &mut Vec<DataError>,
    ) {
        let Some(unit) = self.notice.metric(metric).map(|m| &m.unit) else {
            return;
        };
        let text = row.get(value_col);
        if self.unread_for_others(area, metric) {
            return;
        }
        let area_id = self.area_id(area);
        if let Some(withheld) = symbols.then(|| Withheld::of(text)).flatten() {
            self.kept.keep(row.record);
            self.data
                .withheld
                .entry((area_id, metric))
                .or_default()
                .push((date, withheld, prov));
            return;
        }
        let value = match parse_value(text, unit, self.notice) {
            Ok(v) => v,
            Err((problem, message, help)) => {
                errors.push(row.error(problem, value_col, message, "this value", Some(help)));
                return;
            }
        };
        self.kept.keep(row.record);
        self.data
            .series
            .entry((area_id, metric))
            .or_default()
            .push(Observation {
                date,
                value,
                published,
                source: prov,
            });
    }

    /// Whether a figure is another area's, of a metric no rule reads, when
    /// rules are read for other areas (a screen, `--area`): then it is
    /// counted, not stored (the area is still one of the data's).
    fn unread_for_others(&mut self, area: &str, metric: MetricId) -> bool {
        let for_others = self.every_area || self.also.is_some();
        let read = self
            .metrics_read
            .get(metric.index())
            .copied()
            .unwrap_or(true);
        if !for_others || read || area.is_empty() {
            return false;
        }
        self.area_id(area);
        self.data.unread_metric_rows += 1;
        true
    }

    pub(super) fn evidence(
        &mut self,
        row: &Row<'_>,
        prov: Provenance,
        cols: [usize; 3],
        published_col: Option<usize>,
        errors: &mut Vec<DataError>,
    ) {
        let [kind_col, date_col, reference_col] = cols;
        let kind_name = row.get(kind_col);
        let Some(&kind) = self.evidence_index.get(kind_name) else {
            let help = did_you_mean(kind_name, self.evidence_index.keys().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| {
                    Some(format!(
                        "declare `evidence {kind_name} \"...\"` in the notice, or remove the row"
                    ))
                });
            errors.push(row.error(
                Code::DataUnknownEvidenceKind,
                kind_col,
                format!("unknown evidence kind `{kind_name}`"),
                "not declared in the notice",
                help,
            ));
            return;
        };
        let Some(date) = row.date(date_col, errors) else {
            return;
        };
        let Some(published) = self.published(row, published_col, date, date_col, errors) else {
            return;
        };
        self.kept.keep(row.record);
        if let Some(records) = self.data.evidence.get_mut(kind.index()) {
            records.push(EvidenceRecord {
                date,
                published,
                reference: row.get(reference_col).to_string(),
                source: prov,
            });
        }
    }
}

/// The publication date of a row dated `date`, if its `published` column
/// has one; `None` (with the error pushed) when it is not a date or is
/// before the date the row is for.
impl Loader<'_> {
    /// When a row became known: its own `published` column, else the day
    /// the notice says its file was published (`data "f.csv" published D`),
    /// else unsaid. A publication before the date a row is for is an error,
    /// at the column that gives it (the date, for the file's day).
    pub(super) fn published(
        &self,
        row: &Row<'_>,
        col: Option<usize>,
        date: Date,
        date_col: usize,
        errors: &mut Vec<DataError>,
    ) -> Option<Option<Date>> {
        let own = col.filter(|&c| !row.get(c).is_empty());
        let (p, at, what, help) = match (own, self.file_published) {
            (Some(col), _) => (
                row.date(col, errors)?,
                col,
                "published",
                "a figure or record is published on or after its date: check the two dates",
            ),
            (None, Some(p)) => (
                p,
                date_col,
                "its file was published",
                "the notice's `data` line gives the day the file was published: a file cannot hold a figure for a later date; check that day, or give this row its own `published`",
            ),
            (None, None) => return Some(None),
        };
        if p < date {
            errors.push(row.error(
                Code::DataPublishedBeforeDate,
                at,
                format!("{what} {p}, before the date {date} it is for"),
                "published too early",
                Some(help.into()),
            ));
            return None;
        }
        Some(Some(p))
    }
}
