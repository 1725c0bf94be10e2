//! Reading CSV tables into a data set: which table a file is, each row
//! validated against the notice, series sorted and revisions reconciled.

use std::collections::BTreeMap;

// Names are hashed once a row: a fast hash with no per-process seed (the
// inputs are the user's own files, and order never leaks into output).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use super::published::Withheld;
use super::row::{bad_row, field_span, Row};
use super::scan::{scan, scan_text, Flow, Record, ScanError};
use super::values::parse_value;
use super::{DataError, DataSet, EvidenceRecord, Observation, Provenance};
use crate::check::model::{EvidenceId, MetricId};
use crate::check::{did_you_mean, Notice};
use crate::diagnostics::Code;
use crate::source::{FileError, Role, SourceFile};
use crate::time::Date;

pub(super) struct Loader<'n> {
    notice: &'n Notice,
    metric_index: HashMap<&'n str, MetricId>,
    evidence_index: HashMap<&'n str, EvidenceId>,
    data: DataSet,
    /// Every other area named by an observation row: its first row, and
    /// whether a rule reads it (one lookup a row decides both).
    other_areas: HashMap<String, OtherArea>,
    /// Each undeclared metric met, with the declared name it is near (a
    /// typo: an error), or none (its rows are passed over, and counted).
    undeclared: HashMap<String, Option<String>>,
    /// Rows passed over for metrics no rule reads: how many, and the first.
    skipped: Skipped,
    /// The areas besides the authority that rules read; rows of other areas
    /// are passed over, and counted.
    areas_read: HashSet<String>,
    /// Rows of areas no rule reads: how many, how many areas, and the first.
    unread_areas: Skipped,
    /// Whether every area's rows are read (a screen).
    every_area: bool,
    /// The lines kept of the file being read.
    kept: KeptLines,
    /// The other area of the last row, and whether a rule reads it.
    last_other: (String, bool),
    /// The area of the last figure added, and its index.
    last_id: (String, u32),
}

/// An area other than the authority, as the data names it.
struct OtherArea {
    /// Its first row: file index and line.
    first: (u32, u64),
    /// Whether a rule reads it.
    read: bool,
}

/// Rows passed over (of undeclared metrics, or of areas no rule reads).
#[derive(Default)]
struct Skipped {
    rows: usize,
    /// How many distinct metric or area names they were of.
    names: usize,
    /// The first: its file's index, line, and the span of its metric.
    first: Option<(u32, u64, crate::source::Span)>,
}

/// The lines kept of a file being read: its header, the rows kept and the
/// first row of each kind passed over, each with its line number.
#[derive(Default)]
pub(super) struct KeptLines {
    text: String,
    numbers: Vec<u32>,
    /// Where the last record kept starts in `text`.
    last: usize,
}

impl KeptLines {
    /// Keeps a record's lines (once); where it starts in the text kept.
    fn keep(&mut self, record: &Record<'_>) -> usize {
        if self
            .numbers
            .last()
            .is_some_and(|&n| u64::from(n) >= record.line)
        {
            return self.last;
        }
        self.last = self.text.len();
        if record.raw.len() > 2 * super::row::MAX_SHOWN && !record.raw.contains('\n') {
            // A row of a million fields is kept in part: a snippet shows its start.
            let (shown, _) = super::row::window(record.raw, crate::source::Span::new(0, 0));
            self.text.push_str(&shown);
        } else {
            self.text.push_str(record.raw);
        }
        self.text.push('\n');
        for i in 0..record.lines() {
            self.numbers
                .push(u32::try_from(record.line + i).unwrap_or(u32::MAX));
        }
        self.last
    }

    /// The span of field `col` of the record kept at `start`.
    fn field(&self, start: usize, col: usize) -> crate::source::Span {
        field_span(&self.text, start, col)
    }
}

/// The error for a byte that is not UTF-8, with its line (lossily) as the snippet.
fn not_utf8(name: &Arc<str>, line: u64, text: String, column: usize) -> DataError {
    let src = SourceFile::lines_of(
        Arc::clone(name),
        text,
        vec![u32::try_from(line).unwrap_or(u32::MAX)],
    );
    let start = src
        .text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let width = src
        .text
        .get(start..)
        .and_then(|t| t.chars().next())
        .map_or(0, char::len_utf8);
    DataError::File(FileError::NotUtf8 {
        file: name.to_string(),
        line: line as usize,
        span: crate::source::Span::new(start, start + width).into(),
        src: src.named(),
    })
}

/// The state of a file (or sheet) being read.
struct FileRead {
    name: Arc<str>,
    index: u32,
    /// For a sheet: its first column, so that columns are named by letter.
    sheet_col0: Option<u32>,
    /// A sheet read because no sheet was named: one whose first row is not
    /// a table (notes, a chart) is passed over with a warning.
    optional: bool,
    header: Vec<String>,
    table: Option<Table>,
    rows: usize,
    /// Rows whose field count is not the header's, by that count: the
    /// first one's line and how many.
    uneven: BTreeMap<usize, (u64, usize)>,
}

/// A wide table's columns: area, date, and a column for each metric read.
pub(super) struct Wide {
    area: usize,
    date: usize,
    published: Option<usize>,
    metrics: Vec<(usize, MetricId)>,
}

/// The columns of a tidy file of published statistics that are read.
pub(super) struct Tidy {
    period: usize,
    identifier: usize,
    level: usize,
    region: Option<usize>,
    la_code: Option<usize>,
    la_name: Option<usize>,
    indicators: Vec<(usize, MetricId)>,
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
    },
    Evidence {
        kind: usize,
        date: usize,
        reference: usize,
        published: Option<usize>,
    },
}

impl<'n> Loader<'n> {
    pub(super) fn new(notice: &'n Notice, areas: super::Areas) -> Self {
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
                .flat_map(|(id, m)| {
                    std::iter::once((m.name.as_str(), id))
                        .chain(m.column.as_deref().map(|c| (c, id)))
                })
                .collect(),
            evidence_index: notice
                .evidence_ids()
                .map(|(id, e)| (e.name.as_str(), id))
                .collect(),
            data,
            other_areas: HashMap::default(),
            undeclared: HashMap::default(),
            skipped: Skipped::default(),
            areas_read: notice.areas_read().into_iter().collect(),
            every_area: areas == super::Areas::Every,
            unread_areas: Skipped::default(),
            kept: KeptLines::default(),
            last_other: (String::new(), false),
            last_id: (String::new(), 0),
        }
    }

    /// Reads one CSV stream: its header says which table it is; each row is
    /// then checked, kept or passed over. Only the lines something points
    /// at are kept of the text.
    pub(super) fn file(
        &mut self,
        name: Arc<str>,
        input: impl std::io::Read + Send,
        errors: &mut Vec<DataError>,
    ) {
        let Some(mut file) = self.start_file(name, None) else {
            return;
        };
        let scanned = scan(input, |record| self.record(&mut file, record, errors));
        match scanned {
            Err(ScanError::Io(e)) => errors.push(DataError::File(FileError::io(
                std::path::Path::new(&*file.name),
                &e,
                Role::Data,
            ))),
            Err(ScanError::NotUtf8 { line, text, column }) => {
                errors.push(not_utf8(&file.name, line, text, column));
            }
            Ok(()) => {}
        }
        self.end_file(file, errors);
    }

    /// Reads one CSV text already in memory, as [`Loader::file`] reads a stream.
    pub(super) fn text(&mut self, name: Arc<str>, text: &str, errors: &mut Vec<DataError>) {
        let Some(mut file) = self.start_file(name, None) else {
            return;
        };
        scan_text(text, |record| self.record(&mut file, record, errors));
        self.end_file(file, errors);
    }

    /// Reads one sheet of a workbook, row by row, as a CSV file is read;
    /// each value is located by sheet, row and column.
    pub(super) fn sheet(
        &mut self,
        book: &str,
        sheet: &super::workbook::Sheet,
        optional: bool,
        errors: &mut Vec<DataError>,
    ) {
        let name: Arc<str> = format!("{book}, sheet {}", sheet.name).into();
        let Some(mut file) = self.start_file(name, Some(sheet.rows.first().map_or(0, |r| r.1)))
        else {
            return;
        };
        file.optional = optional;
        let mut fields = Vec::new();
        let mut unquoted = String::new();
        for (row, _, cells) in &sheet.rows {
            let raw = super::scan::cells_as_csv(cells, &mut fields, &mut unquoted);
            let record = Record::of_cells(u64::from(*row), &raw, &fields, &unquoted);
            if self.record(&mut file, &record, errors) == Flow::Stop {
                break;
            }
        }
        self.end_file(file, errors);
    }

    /// Begins reading a file (or sheet): its index and an empty state.
    fn start_file(&mut self, name: Arc<str>, sheet_col0: Option<u32>) -> Option<FileRead> {
        let index = u32::try_from(self.data.files.len()).ok()?;
        self.kept = KeptLines::default();
        Some(FileRead {
            name,
            index,
            sheet_col0,
            header: Vec::new(),
            table: None,
            rows: 0,
            uneven: BTreeMap::new(),
            optional: false,
        })
    }

    /// One record of a file: its header, or a row of its table.
    fn record(
        &mut self,
        file: &mut FileRead,
        record: &Record<'_>,
        errors: &mut Vec<DataError>,
    ) -> Flow {
        let row = Row {
            file: &file.name,
            record,
            sheet_col0: file.sheet_col0,
        };
        if file.header.is_empty() {
            self.kept.keep(record);
            file.header = (0..record.len())
                .map(|c| record.get(c).to_ascii_lowercase())
                .collect();
            file.table = self.table(&file.header, &row, errors);
            return if file.table.is_some() {
                Flow::Go
            } else {
                Flow::Stop
            };
        }
        // A row of empty fields (`,,,,`, as spreadsheets export) holds nothing.
        if record.is_blank() {
            return Flow::Go;
        }
        file.rows += 1;
        if record.len() != file.header.len() {
            let entry = file.uneven.entry(record.len()).or_insert((record.line, 0));
            if entry.1 == 0 {
                self.kept.keep(record);
            }
            entry.1 += 1;
            return Flow::Go;
        }
        let prov = Provenance {
            file: file.index,
            line: u32::try_from(record.line).unwrap_or(u32::MAX),
        };
        match &file.table {
            Some(Table::Observations {
                area,
                metric,
                date,
                value,
                published,
            }) => self.observation(
                &row,
                prov,
                [*area, *metric, *date, *value],
                *published,
                errors,
            ),
            Some(Table::Evidence {
                kind,
                date,
                reference,
                published,
            }) => self.evidence(&row, prov, [*kind, *date, *reference], *published, errors),
            Some(Table::Wide(wide)) => self.wide(&row, prov, wide, errors),
            Some(Table::Tidy(tidy)) => self.tidy(&row, prov, tidy, errors),
            None => {}
        }
        Flow::Go
    }

    /// Ends a file: the errors that need all its rows, and its lines kept.
    fn end_file(&mut self, file: FileRead, errors: &mut Vec<DataError>) {
        let kept = std::mem::take(&mut self.kept);
        let src = SourceFile::lines_of(Arc::clone(&file.name), kept.text, kept.numbers);
        if !file.header.is_empty() && file.table.is_none() && file.optional {
            self.data
                .warnings
                .push(DataError::Field(crate::diagnostics::Located {
                    code: Code::DataSheetNotRead,
                    message: format!("{}: its first row is not a table's header, so it was not read", file.name),
                    span: src.line_span(1).into(),
                    src: src.named(),
                    label: "not a header".into(),
                    help: Some("observations have the header `area,metric,date,value`; evidence `kind,date,reference`; name the sheet to read (`book.xlsx#Sheet`) to make this an error".into()),
                }));
        } else if file.header.len() == 1 && file.table.is_none() {
            errors.push(DataError::NotATable {
                file: file.name.to_string(),
            });
        } else if !file.header.is_empty() && file.table.is_none() {
            errors.push(DataError::UnknownTable {
                file: file.name.to_string(),
                src: src.named(),
                span: src.line_span(1).into(),
            });
        }
        for (len, (first, count)) in &file.uneven {
            errors.push(uneven_rows(
                &src,
                &file.header,
                file.rows,
                *len,
                *first,
                *count,
            ));
        }
        self.data.files.push(src);
        self.data.sheets.push(file.sheet_col0.is_some());
    }

    /// The table a header names, if any: long observations, evidence, the
    /// Department's tidy statistics, or a wide table (a column a metric).
    fn table(
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
            let indicators = self.metric_columns(header, &super::published::STRUCTURE, row, errors);
            return Some(Table::Tidy(Tidy {
                period,
                identifier,
                level,
                region: col("region_name"),
                la_code: col("new_la_code"),
                la_name: col("la_name"),
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

    /// The columns of a wide or tidy header that hold metrics the notice
    /// declares (by name or `column`). A column near a declared name is a
    /// typo, and an error; the others (filters, indicators no rule reads)
    /// are passed over with one warning.
    fn metric_columns(
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
        if let Some(&first) = unread.first() {
            let src = row.excerpt();
            let span = super::row::field_span(&src.text, 0, first);
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
                    help: Some(
                        "declare a metric (or give one `column \"NAME\"`) to read a column".into(),
                    ),
                }));
        }
        metrics
    }

    /// A row of the long table: one area, metric, date and value.
    pub(super) fn observation(
        &mut self,
        row: &Row<'_>,
        prov: Provenance,
        cols: [usize; 4],
        published_col: Option<usize>,
        errors: &mut Vec<DataError>,
    ) {
        let [area_col, metric_col, date_col, value_col] = cols;
        let area = row.get(area_col);
        let Some(area) = self.area_read(area, row, prov, area_col) else {
            return;
        };
        let Some(metric) = self.metric_named(row, prov, metric_col, errors) else {
            return;
        };
        let Some(date) = row.date(date_col, errors) else {
            return;
        };
        let Some(published) = published(row, published_col, date, errors) else {
            return;
        };
        self.add(
            row, prov, area, metric, date, published, value_col, false, errors,
        );
    }

    /// A row of a wide table: one area and date, a column a metric.
    fn wide(&mut self, row: &Row<'_>, prov: Provenance, table: &Wide, errors: &mut Vec<DataError>) {
        let Some(area) = self.area_read(row.get(table.area), row, prov, table.area) else {
            return;
        };
        let Some(date) = row.date(table.date, errors) else {
            return;
        };
        let Some(published) = published(row, table.published, date, errors) else {
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
    fn tidy(&mut self, row: &Row<'_>, prov: Provenance, table: &Tidy, errors: &mut Vec<DataError>) {
        // The area, borrowed from the row (or the notice): a national file
        // has millions of rows.
        let notice = self.notice;
        let level = row.get(table.level);
        let is = |word: &str| level.eq_ignore_ascii_case(word);
        let (area, area_col): (&str, usize) = if is("national") {
            ("England", table.level)
        } else if is("regional") {
            table
                .region
                .map_or((level, table.level), |col| (row.get(col), col))
        } else if is("local authority") {
            let code = table.la_code.map(|c| (row.get(c), c));
            match (code, table.la_name) {
                (Some((code, col)), _) if notice.code.as_deref() == Some(code) => {
                    (notice.authority.as_str(), col)
                }
                (_, Some(col)) => (row.get(col), col),
                (Some((code, col)), None) => (code, col),
                (None, None) => (level, table.level),
            }
        } else {
            // Other geographies (constituencies, districts) are areas no
            // rule reads, passed over and counted.
            (level, table.level)
        };
        let Some(area) = self.area_read(area, row, prov, area_col) else {
            return;
        };
        let period = row.get(table.period);
        let date = match super::published::period_end(period, row.get(table.identifier)) {
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
        for &(col, metric) in &table.indicators {
            if !row.get(col).is_empty() {
                self.add(row, prov, area, metric, date, None, col, true, errors);
            }
        }
    }

    /// The area a row is for, if its rows are read: the authority (written
    /// as its name, its code, or nothing), or an area a rule names (all
    /// areas in a screen). Rows of other areas are counted and passed over.
    fn area_read<'a>(
        &mut self,
        area: &'a str,
        row: &Row<'_>,
        prov: Provenance,
        area_col: usize,
    ) -> Option<&'a str> {
        let own_area = area.is_empty()
            || area == self.notice.authority
            || self.notice.code.as_deref() == Some(area);
        if own_area {
            self.data.own_rows = true;
            return Some("");
        }
        // National files are sorted by area: most rows are of the area of
        // the row before, and need no lookup.
        let known = if self.last_other.0 == area {
            Some(self.last_other.1)
        } else {
            self.other_areas.get(area).map(|known| known.read)
        };
        let read = match known {
            Some(read) => read,
            None => {
                let read = self.every_area || self.areas_read.contains(area);
                self.kept.keep(row.record);
                let first = (prov.file, row.line());
                self.other_areas
                    .insert(area.to_string(), OtherArea { first, read });
                if !read {
                    self.unread_areas.names += 1;
                }
                read
            }
        };
        if self.last_other.0 != area {
            self.last_other = (area.to_string(), read);
        }
        if !read {
            // An area no rule reads (another council of a national file):
            // passed over unchecked, and counted.
            self.unread_areas.rows += 1;
            if self.unread_areas.first.is_none() {
                let at = self.kept.keep(row.record);
                let span = self.kept.field(at, area_col);
                self.unread_areas.first = Some((prov.file, row.line(), span));
            }
            return None;
        }
        Some(area)
    }

    /// The metric the `metric` field of a row names (by its name or its
    /// `column`). A name no rule reads is passed over and counted, unless it
    /// is near a declared one: a typo, and an error.
    fn metric_named(
        &mut self,
        row: &Row<'_>,
        prov: Provenance,
        metric_col: usize,
        errors: &mut Vec<DataError>,
    ) -> Option<MetricId> {
        let metric_name = row.get(metric_col);
        if let Some(&metric) = self.metric_index.get(metric_name) {
            return Some(metric);
        }
        let near = match self.undeclared.get(metric_name) {
            Some(near) => near.clone(),
            None => {
                let near = did_you_mean(metric_name, self.metric_index.keys().copied())
                    .map(str::to_string);
                self.undeclared
                    .insert(metric_name.to_string(), near.clone());
                if near.is_none() {
                    self.skipped.names += 1;
                }
                near
            }
        };
        let Some(near) = near else {
            self.skipped.rows += 1;
            if self.skipped.first.is_none() {
                let at = self.kept.keep(row.record);
                let span = self.kept.field(at, metric_col);
                self.skipped.first = Some((prov.file, row.line(), span));
            }
            return None;
        };
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

    /// Adds one figure, read in its metric's unit. In published statistics
    /// (`symbols`), a symbol in place of the figure is kept as withheld.
    #[allow(clippy::too_many_arguments)]
    fn add(
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

    /// The index of an area of the data set, added when new.
    fn area_id(&mut self, area: &str) -> u32 {
        // Rows come in runs of one area: the last one's id needs no lookup.
        if self.last_id.0 == area {
            return self.last_id.1;
        }
        let id = match self.data.area_index.get(area) {
            Some(&a) => a,
            None => {
                let id = u32::try_from(self.data.areas.len()).unwrap_or(u32::MAX);
                self.data.areas.push(area.to_string());
                self.data.area_index.insert(area.to_string(), id);
                id
            }
        };
        self.last_id = (area.to_string(), id);
        id
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
        let Some(published) = published(row, published_col, date, errors) else {
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

    /// Warns of each percent series whose values all lie between 0 and 1: a
    /// spreadsheet's fractions (0.61) read as percents (0.61%) are a hundred
    /// times too small, and every verdict on them would be wrong.
    fn percents_as_fractions(&mut self) {
        let mut keys: Vec<(u32, MetricId)> = self.data.series.keys().copied().collect();
        keys.sort_unstable();
        let mut flagged: BTreeMap<MetricId, Vec<u32>> = BTreeMap::new();
        for key in keys {
            // Silenced by `// allow(percent_as_fraction)` at the metric's
            // declaration in the notice (a metric that is a fraction of 1%).
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
                        "write 61% or 61, not 0.61: `{metric}` is a percent"
                    )),
                }));
        }
    }

    /// When no observation is the council's own but an area's name nearly
    /// matches the notice's authority (`Lancashire` and `Lancashire County
    /// Council`), the data is the council's under another name: stop, rather
    /// than read it as another area and leave every measure unknown.
    fn authority_near_miss(&self) -> Option<DataError> {
        if self.data.own_rows {
            return None;
        }
        let authority = &self.notice.authority;
        let mut near: Vec<(&String, (u32, u64))> = self
            .other_areas
            .iter()
            .filter(|(area, _)| same_council(authority, area))
            .map(|(area, known)| (area, known.first))
            .collect();
        near.sort_by_key(|&(_, first)| first);
        let (area, (file, line)) = near.first().copied()?;
        let src = self.data.files.get(file as usize)?;
        let span = src.line_span(line as usize);
        Some(DataError::Field(crate::diagnostics::Located {
            code: Code::DataAuthorityNearMiss,
            message: format!(
                "no row is for the notice's authority `{authority}`, but `{area}` nearly matches it"
            ),
            src: src.named(),
            span: span.into(),
            label: "the council under another name?".into(),
            help: Some(format!(
                "did you mean `{area}`? Write the notice's `authority` as the data names the council, or the data's `area` as the notice does"
            )),
        }))
    }

    /// One warning for all the rows passed over of one kind (undeclared
    /// metrics, or areas no rule reads): how many, of how many names, and
    /// the first.
    fn report_passed_over(&mut self, passed: &Skipped, code: Code, what: &str, help: &str) {
        let Some((file, line, span)) = passed.first else {
            return;
        };
        let Some(src) = self.data.files.get(file as usize) else {
            return;
        };
        let (rows, names) = (passed.rows, passed.names);
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
                help: Some(help.into()),
            }));
    }

    /// Indexes what was published after its date, for [`DataSet::settled_by`].
    fn index_late(&mut self) {
        let observations = self.data.series.values().flatten();
        let late_obs = observations.filter_map(|o| o.published.map(|p| (o.date, p)));
        let records = self.data.evidence.iter().flatten();
        let late_records = records.filter_map(|r| r.published.map(|p| (r.date, p)));
        let mut late: Vec<(Date, Date)> = late_obs
            .chain(late_records)
            .filter(|(d, p)| p > d)
            .collect();
        late.sort_unstable();
        let mut latest = None;
        for entry in &mut late {
            let p = latest.map_or(entry.1, |l: Date| l.max(entry.1));
            latest = Some(p);
            entry.1 = p;
        }
        self.data.late = late;
    }

    /// Sorts every series by date and reports duplicates that disagree; the
    /// data set is then complete.
    pub(super) fn finish(mut self, errors: &mut Vec<DataError>) -> DataSet {
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
        self.index_late();
        self.percents_as_fractions();
        let skipped = std::mem::take(&mut self.skipped);
        self.report_passed_over(
            &skipped,
            Code::LintUndeclaredDataMetric,
            "metric the notice does not declare|metrics the notice does not declare",
            "declare a metric (or `use` the library that does) to read it; rows no rule reads are passed over",
        );
        let unread = std::mem::take(&mut self.unread_areas);
        self.report_passed_over(
            &unread,
            Code::DataAreasNotRead,
            "area no rule reads|areas no rule reads",
            "rules read the notice's authority and the areas they name (`m[England]`); name an area in a rule to read it",
        );
        // A screen reads every area: the notice's own need not be there.
        if !self.every_area {
            if let Some(e) = self.authority_near_miss() {
                errors.push(e);
            }
        }
        self.data
    }
}

pub(super) fn conflict(
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

/// The publication date of a row dated `date`, if its `published` column
/// has one; `None` (with the error pushed) when it is not a date or is
/// before the date the row is for.
fn published(
    row: &Row<'_>,
    col: Option<usize>,
    date: Date,
    errors: &mut Vec<DataError>,
) -> Option<Option<Date>> {
    let Some(col) = col.filter(|&c| !row.get(c).is_empty()) else {
        return Some(None);
    };
    let p = row.date(col, errors)?;
    if p < date {
        errors.push(row.error(
            Code::DataPublishedBeforeDate,
            col,
            format!("published {p}, before the date {date} it is for"),
            "published too early",
            Some(
                "a figure or record is published on or after its date: check the two dates".into(),
            ),
        ));
        return None;
    }
    Some(Some(p))
}

/// One error for the rows of a file that have `len` fields where the header
/// has more or fewer: a header that gained a column no row has is one
/// mistake, not one per row.
fn uneven_rows(
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
    )
}

/// Whether two council names are nearly the same: equal once case,
/// spacing, punctuation and the words of a council's style ("London Borough
/// of", "County Council") are set aside, or within a small edit distance.
fn same_council(a: &str, b: &str) -> bool {
    let (a, b) = (council_core(a), council_core(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let limit = (a.chars().count().min(b.chars().count()) / 6).max(1);
    a == b || strsim::levenshtein(&a, &b) <= limit
}

/// A council's name without its style: `London Borough of Waltham Forest`
/// and `Waltham Forest Council` are both `waltham forest`.
fn council_core(name: &str) -> String {
    const STYLE: [&str; 14] = [
        "london",
        "royal",
        "metropolitan",
        "borough",
        "county",
        "city",
        "district",
        "council",
        "of",
        "the",
        "and",
        "unitary",
        "authority",
        "mbc",
    ];
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    cleaned
        .split_whitespace()
        .filter(|w| !STYLE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::same_council;

    #[test]
    fn council_names_match_in_any_style() {
        assert!(same_council("Lancashire", "Lancashire County Council"));
        assert!(same_council(
            "Waltham Forest",
            "London Borough of Waltham Forest"
        ));
        assert!(same_council("Wiltshire Council", "wiltshire"));
        assert!(same_council("Wiltshire", "Wiltshre"));
        assert!(same_council(
            "Kingston upon Thames",
            "Royal Borough of Kingston-upon-Thames"
        ));
        assert!(!same_council("Wiltshire", "England"));
        assert!(!same_council("Lancashire", "Lincolnshire County Council"));
        assert!(!same_council("Waltham Forest", "Statistical neighbours"));
    }
}
