//! CSV observations and evidence, validated against a checked notice.
//! Every value keeps the file and line it came from; a bad row is a located
//! error, never skipped.

mod error;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use error::{DataError, FieldProblem};

use crate::check::model::{EvidenceId, MetricId};
use crate::check::{did_you_mean, Notice};
use crate::source::{read_text, Disk, FileError, Role, SourceFile, Sources, Span};
use crate::time::{self, Date};
use crate::value::{parse_decimal, Unit, Value};

/// Where a value came from: a file of the data set and a line in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provenance {
    /// Index into [`DataSet::files`].
    pub file: u32,
    /// One-based line.
    pub line: u32,
}

/// One observation of a metric.
#[derive(Debug, Clone)]
pub struct Observation {
    /// The date the figure is for.
    pub date: Date,
    /// The figure, in the metric's unit.
    pub value: Value,
    /// When the figure became known, if the data says; otherwise its date.
    pub published: Option<Date>,
    /// The row it came from.
    pub source: Provenance,
}

impl Observation {
    /// The day the figure became known: its publication, or else its date.
    pub fn known_from(&self) -> Date {
        self.published.unwrap_or(self.date)
    }
}

/// A dated document.
#[derive(Debug, Clone)]
pub struct EvidenceRecord {
    /// Its date.
    pub date: Date,
    /// Its reference (title, minute number, link).
    pub reference: String,
    /// The row it came from.
    pub source: Provenance,
}

/// The observations and evidence of a data set, sorted by date.
#[derive(Debug, Default)]
pub struct DataSet {
    /// The files read, in order.
    pub files: Vec<SourceFile>,
    /// Areas by index; index 0 is the notice's own authority.
    areas: Vec<String>,
    area_index: HashMap<String, u32>,
    /// Series by (area, metric), sorted by date.
    series: HashMap<(u32, MetricId), Vec<Observation>>,
    /// Records by evidence kind, sorted by date.
    evidence: Vec<Vec<EvidenceRecord>>,
    /// Whether some figure was revised (two versions for one date).
    revised: bool,
    /// Rows read with a warning (comparator rows for undeclared metrics).
    pub warnings: Vec<DataError>,
}

impl DataSet {
    /// A metric's series for an area (`None`: the notice's authority), sorted by date.
    pub fn series(&self, metric: MetricId, area: Option<&str>) -> &[Observation] {
        let area = match area {
            None => Some(0),
            Some(a) => self.area_index.get(a).copied(),
        };
        area.and_then(|a| self.series.get(&(a, metric)))
            .map_or(&[], Vec::as_slice)
    }

    /// The records of an evidence kind, sorted by date.
    pub fn evidence(&self, kind: EvidenceId) -> &[EvidenceRecord] {
        self.evidence.get(kind.index()).map_or(&[], Vec::as_slice)
    }

    /// `file:line` of a provenance, for reports.
    pub fn describe(&self, p: Provenance) -> String {
        let name = self.files.get(p.file as usize).map_or("?", |f| &*f.name);
        format!("{name}:{}", p.line)
    }

    /// The file a provenance points into.
    pub fn file(&self, p: Provenance) -> Option<&SourceFile> {
        self.files.get(p.file as usize)
    }

    /// Whether some figure has more than one published version.
    pub fn has_revisions(&self) -> bool {
        self.revised
    }

    /// How many observations were loaded.
    pub fn observation_count(&self) -> usize {
        self.series.values().map(Vec::len).sum()
    }
}

/// Loads the data set of `paths` (CSV files, or folders of them) for a notice, from disk.
pub fn load(notice: &Notice, paths: &[PathBuf]) -> Result<DataSet, Vec<DataError>> {
    load_from(&Disk, notice, paths, Vec::new())
}

/// Loads a data set from files or folders read through `sources`, and from
/// text already in memory (a test file's inline CSV), in that order.
pub fn load_from(
    sources: &dyn Sources,
    notice: &Notice,
    paths: &[PathBuf],
    texts: Vec<SourceFile>,
) -> Result<DataSet, Vec<DataError>> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        match expand(sources, path) {
            Ok(found) => files.extend(found),
            Err(e) => errors.push(e),
        }
    }
    let mut loaded = Vec::new();
    for path in files {
        match read_text(sources, &path, Role::Data) {
            Ok(src) => loaded.push(src),
            Err(e) => errors.push(e.into()),
        }
    }
    loaded.extend(texts);
    let mut loader = Loader::new(notice);
    for f in loaded {
        loader.file(f, &mut errors);
    }
    loader.finish(&mut errors);
    if errors.is_empty() {
        Ok(loader.data)
    } else {
        Err(errors)
    }
}

/// Loads a data set from text already in memory (tests, benchmarks).
pub fn load_texts(notice: &Notice, files: Vec<SourceFile>) -> Result<DataSet, Vec<DataError>> {
    load_from(&Disk, notice, &[], files)
}

/// A file, or the CSV files of a folder in name order.
fn expand(sources: &dyn Sources, path: &Path) -> Result<Vec<PathBuf>, DataError> {
    let entries = sources
        .list(path)
        .map_err(|e| DataError::File(FileError::io(path, &e, Role::Data)))?;
    let Some(entries) = entries else {
        return Ok(vec![path.to_path_buf()]);
    };
    let found: Vec<PathBuf> = entries
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        .collect();
    if found.is_empty() {
        return Err(DataError::EmptyFolder {
            path: path.display().to_string(),
        });
    }
    Ok(found)
}

struct Loader<'n> {
    notice: &'n Notice,
    metric_index: HashMap<&'n str, MetricId>,
    evidence_index: HashMap<&'n str, EvidenceId>,
    data: DataSet,
}

enum Table {
    Observations {
        area: usize,
        metric: usize,
        date: usize,
        value: usize,
        published: Option<usize>,
    },
    Evidence {
        kind: usize,
        date: usize,
        reference: usize,
    },
}

impl<'n> Loader<'n> {
    fn new(notice: &'n Notice) -> Self {
        let mut data = DataSet {
            evidence: vec![Vec::new(); notice.evidence.len()],
            ..DataSet::default()
        };
        data.areas.push(notice.authority.clone());
        data.area_index.insert(notice.authority.clone(), 0);
        data.area_index.insert(String::new(), 0);
        Loader {
            notice,
            metric_index: notice
                .metric_ids()
                .map(|(id, m)| (m.name.as_str(), id))
                .collect(),
            evidence_index: notice
                .evidence_ids()
                .map(|(id, e)| (e.name.as_str(), id))
                .collect(),
            data,
        }
    }

    fn file(&mut self, src: SourceFile, errors: &mut Vec<DataError>) {
        let Ok(file_index) = u32::try_from(self.data.files.len()) else {
            return;
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .trim(csv::Trim::All)
            .from_reader(src.text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            // A spreadsheet's byte-order mark is not part of the first column's name.
            Ok(h) => h
                .iter()
                .map(|s| s.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
                .collect(),
            Err(e) => {
                errors.push(bad_row(&src, 1, e.to_string()));
                return;
            }
        };
        let col = |name: &str| header.iter().position(|h| h == name);
        let table = match (
            col("area"),
            col("metric"),
            col("date"),
            col("value"),
            col("kind"),
            col("reference"),
        ) {
            (Some(area), Some(metric), Some(date), Some(value), _, _) => Table::Observations {
                area,
                metric,
                date,
                value,
                published: col("published"),
            },
            (_, _, Some(date), _, Some(kind), Some(reference)) => Table::Evidence {
                kind,
                date,
                reference,
            },
            _ => {
                errors.push(DataError::UnknownTable {
                    file: src.name.to_string(),
                    src: src.named(),
                    span: src.line_span(1).into(),
                });
                return;
            }
        };
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let pos = record.position().map_or((0, 0), |p| (p.byte(), p.line()));
                    let row = Row {
                        src: &src,
                        record: &record,
                        start: pos.0 as usize,
                        line: pos.1,
                    };
                    let prov = Provenance {
                        file: file_index,
                        line: u32::try_from(pos.1).unwrap_or(u32::MAX),
                    };
                    match &table {
                        Table::Observations {
                            area,
                            metric,
                            date,
                            value,
                            published,
                        } => self.observation(
                            &row,
                            prov,
                            [*area, *metric, *date, *value],
                            *published,
                            errors,
                        ),
                        Table::Evidence {
                            kind,
                            date,
                            reference,
                        } => self.evidence(&row, prov, [*kind, *date, *reference], errors),
                    }
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    errors.push(bad_row(&src, line, csv_reason(&e)));
                    if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                        break;
                    }
                }
            }
        }
        self.data.files.push(src);
    }

    fn observation(
        &mut self,
        row: &Row<'_>,
        prov: Provenance,
        cols: [usize; 4],
        published_col: Option<usize>,
        errors: &mut Vec<DataError>,
    ) {
        let [area_col, metric_col, date_col, value_col] = cols;
        let metric_name = row.get(metric_col);
        let area = row.get(area_col);
        let own_area = area.is_empty() || area == self.notice.authority;
        if !own_area && !self.metric_index.contains_key(metric_name) {
            let span = field_span(&row.src.text, row.start, metric_col);
            self.data
                .warnings
                .push(DataError::UndeclaredMetric(crate::diagnostics::Located {
                    code: "notice::lint::undeclared_data_metric",
                    message: format!(
                        "{} line {}: metric `{metric_name}` for {area} is not declared by the notice; the row is not read",
                        row.src.name, row.line
                    ),
                    src: row.src.named(),
                    span: span.into(),
                    label: "not declared".into(),
                    help: Some(
                        "declare the metric (or `use` the library that does) to read it, or remove the row"
                            .into(),
                    ),
                }));
            return;
        }
        let Some(&metric) = self.metric_index.get(metric_name) else {
            let help = did_you_mean(metric_name, self.metric_index.keys().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| {
                    Some(format!(
                        "declare `metric {metric_name} : ...` in the notice, or remove the row"
                    ))
                });
            errors.push(row.error(
                FieldProblem::UnknownMetric,
                metric_col,
                format!("unknown metric `{metric_name}`"),
                "not declared in the notice",
                help,
            ));
            return;
        };
        let Some(date) = row.date(date_col, errors) else {
            return;
        };
        let published = match published_col {
            Some(col) if !row.get(col).is_empty() => {
                let Some(p) = row.date(col, errors) else {
                    return;
                };
                if p < date {
                    errors.push(row.error(
                        FieldProblem::PublishedBeforeDate,
                        col,
                        format!("published {p}, before the date {date} the figure is for"),
                        "published too early",
                        Some("a figure is published on or after the date it is for: check the two dates".into()),
                    ));
                    return;
                }
                Some(p)
            }
            _ => None,
        };
        let Some(unit) = self.notice.metric(metric).map(|m| &m.unit) else {
            return;
        };
        let value = match parse_value(row.get(value_col), unit, self.notice) {
            Ok(v) => v,
            Err((problem, message, help)) => {
                errors.push(row.error(problem, value_col, message, "this value", Some(help)));
                return;
            }
        };
        let area_id = match self.data.area_index.get(area) {
            Some(&a) => a,
            None => {
                let Ok(id) = u32::try_from(self.data.areas.len()) else {
                    return;
                };
                self.data.areas.push(area.to_string());
                self.data.area_index.insert(area.to_string(), id);
                id
            }
        };
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

    fn evidence(
        &mut self,
        row: &Row<'_>,
        prov: Provenance,
        cols: [usize; 3],
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
                FieldProblem::UnknownEvidenceKind,
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
        if let Some(records) = self.data.evidence.get_mut(kind.index()) {
            records.push(EvidenceRecord {
                date,
                reference: row.get(reference_col).to_string(),
                source: prov,
            });
        }
    }

    /// Sorts every series by date and reports duplicates that disagree.
    fn finish(&mut self, errors: &mut Vec<DataError>) {
        for records in &mut self.data.evidence {
            records.sort_by_key(|r| r.date);
        }
        let mut keys: Vec<(u32, MetricId)> = self.data.series.keys().copied().collect();
        keys.sort_unstable();
        for key in keys {
            let Some(mut series) = self.data.series.remove(&key) else {
                continue;
            };
            // By date, then by publication: a later version of a figure
            // (a revision) follows the earlier one.
            series.sort_by_key(|o| (o.date, o.known_from()));
            let mut kept: Vec<Observation> = Vec::with_capacity(series.len());
            for obs in series.drain(..) {
                match kept.last() {
                    Some(prev)
                        if prev.date == obs.date && prev.known_from() != obs.known_from() =>
                    {
                        self.data.revised = true;
                        kept.push(obs);
                    }
                    Some(prev) if prev.date == obs.date => {
                        if prev.value != obs.value {
                            let (metric, area) = (
                                self.notice.metric(key.1).map_or("?", |m| m.name.as_str()),
                                self.data
                                    .areas
                                    .get(key.0 as usize)
                                    .map_or("?", String::as_str),
                            );
                            errors.push(conflict(&self.data, metric, area, prev, &obs));
                        }
                    }
                    _ => kept.push(obs),
                }
            }
            self.data.series.insert(key, kept);
        }
    }
}

fn conflict(
    data: &DataSet,
    metric: &str,
    area: &str,
    first: &Observation,
    second: &Observation,
) -> DataError {
    let src = data
        .file(second.source)
        .cloned()
        .unwrap_or_else(|| SourceFile::new("?", ""));
    DataError::Conflict {
        file: src.name.to_string(),
        line: second.source.line.into(),
        metric: metric.to_string(),
        area: area.to_string(),
        date: second.date.to_string(),
        value: second.value.to_string(),
        other_value: first.value.to_string(),
        other: data.describe(first.source),
        span: src.line_span(second.source.line as usize).into(),
        src: src.named(),
    }
}

/// A CSV record with the means to point at its fields.
struct Row<'a> {
    src: &'a SourceFile,
    record: &'a csv::StringRecord,
    start: usize,
    line: u64,
}

impl Row<'_> {
    fn get(&self, col: usize) -> &str {
        self.record.get(col).unwrap_or("").trim()
    }

    fn date(&self, col: usize, errors: &mut Vec<DataError>) -> Option<Date> {
        let text = self.get(col);
        let date = time::parse_date(text);
        if date.is_none() {
            errors.push(self.error(
                FieldProblem::BadDate,
                col,
                format!("`{text}` is not a date"),
                "not a date",
                Some("dates are YYYY-MM-DD and must exist, e.g. `2011-10-31`".into()),
            ));
        }
        date
    }

    fn error(
        &self,
        problem: FieldProblem,
        col: usize,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> DataError {
        let span = field_span(&self.src.text, self.start, col);
        let (_, column) = self.src.line_col(span.start);
        DataError::Field(crate::diagnostics::Located {
            code: problem.code(),
            message: format!(
                "{} line {} column {column}: {message}",
                self.src.name, self.line
            ),
            src: self.src.named(),
            span: span.into(),
            label: label.to_string(),
            help,
        })
    }
}

/// The byte span of field `col` of the record starting at `start`, found by
/// walking the raw text (the csv crate reports record positions only).
fn field_span(text: &str, start: usize, col: usize) -> Span {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut field = 0;
    let mut field_start = start;
    let mut quoted = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                if field == col {
                    return trimmed(text, field_start, i);
                }
                field += 1;
                field_start = i + 1;
            }
            b'\n' | b'\r' if !quoted => break,
            _ => {}
        }
        i += 1;
    }
    if field == col {
        trimmed(text, field_start, i)
    } else {
        Span::new(start, i)
    }
}

fn trimmed(text: &str, start: usize, end: usize) -> Span {
    let slice = text.get(start..end).unwrap_or("");
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let (s, e) = (start + lead, end.saturating_sub(trail));
    if e > s {
        Span::new(s, e)
    } else {
        Span::new(start, start.max(end))
    }
}

fn bad_row(src: &SourceFile, line: u64, reason: String) -> DataError {
    DataError::BadRow {
        file: src.name.to_string(),
        line,
        reason,
        src: src.named(),
        span: src.line_span(line as usize).into(),
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8 text".to_string(),
        _ => e.to_string(),
    }
}

/// Parses a data value in a metric's unit.
fn parse_value(
    text: &str,
    unit: &Unit,
    notice: &Notice,
) -> Result<Value, (FieldProblem, String, String)> {
    let bad = |what: &str, example: &str| {
        (
            FieldProblem::BadValue,
            format!("`{text}` is not {what}"),
            format!(
                "the metric's unit is {}: write a value such as `{example}`",
                unit.name()
            ),
        )
    };
    if text.is_empty() {
        return Err((
            FieldProblem::EmptyValue,
            "the value is empty".to_string(),
            "missing figures are left out of the data, not written as empty or zero".to_string(),
        ));
    }
    let number = |t: &str| parse_decimal(t);
    let value = match unit {
        Unit::Percent => {
            let n = number(text.strip_suffix('%').unwrap_or(text).trim())
                .ok_or_else(|| bad("a percent", "15%"))?;
            if n < rust_decimal::Decimal::ZERO || n > rust_decimal::Decimal::ONE_HUNDRED {
                return Err((
                    FieldProblem::PercentOutOfRange,
                    format!("{text} is outside 0–100%"),
                    "a percent is between 0 and 100; a change of a percent is in percentage points (pp)".into(),
                ));
            }
            Value::Num(n, Unit::Percent)
        }
        Unit::Pp => Value::Num(
            number(text.strip_suffix("pp").unwrap_or(text).trim())
                .ok_or_else(|| bad("percentage points", "5pp"))?,
            Unit::Pp,
        ),
        Unit::Days => {
            let t = text
                .strip_suffix("days")
                .or_else(|| text.strip_suffix("day"))
                .unwrap_or(text)
                .trim();
            Value::Num(
                number(t).ok_or_else(|| bad("a number of days", "45"))?,
                Unit::Days,
            )
        }
        Unit::Money => {
            let t = text.strip_prefix('£').unwrap_or(text).trim();
            Value::Num(
                number(t).ok_or_else(|| bad("an amount of money", "£500,000"))?,
                Unit::Money,
            )
        }
        Unit::Count => {
            let n = number(text).ok_or_else(|| bad("a count", "12"))?;
            if n.fract() != rust_decimal::Decimal::ZERO || n.is_sign_negative() {
                let (_, message, help) = bad("a count (a whole number, 0 or more)", "12");
                return Err((FieldProblem::NotACount, message, help));
            }
            Value::Num(n, Unit::Count)
        }
        Unit::Ratio | Unit::Number => Value::Num(
            number(text).ok_or_else(|| bad("a number", "1.5"))?,
            Unit::Ratio,
        ),
        Unit::Rating(scale) => {
            let sc = notice
                .scale_by_name(scale)
                .and_then(|id| notice.scale(id))
                .ok_or_else(|| bad("a rating", "good"))?;
            let level = sc.levels.iter().find(|l| l.eq_ignore_ascii_case(text));
            match level.and_then(|l| sc.level(l)) {
                Some(v) => v,
                None => {
                    let levels: Vec<String> = sc.levels.iter().map(|l| format!("`{l}`")).collect();
                    return Err((
                        FieldProblem::UnknownLevel,
                        format!("`{text}` is not a level of `{scale}`"),
                        format!("the levels are {}", levels.join(", ")),
                    ));
                }
            }
        }
    };
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_spans_respect_quotes() {
        let text = "a,b,c\nx,\"y, z\",w\n";
        assert_eq!(field_span(text, 6, 0), Span::new(6, 7));
        assert_eq!(field_span(text, 6, 1), Span::new(8, 14));
        assert_eq!(field_span(text, 6, 2), Span::new(15, 16));
    }
}
