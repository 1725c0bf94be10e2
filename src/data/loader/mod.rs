//! Reading CSV tables into a data set: which table a file is, each row
//! validated against the notice, series sorted and revisions reconciled.

mod areas;
mod kept;
mod lints;
mod metrics;
mod rows;
mod tables;

use areas::OtherArea;
use kept::KeptLines;
use lints::Skipped;
use metrics::MetricName;
use tables::{uneven_rows, Table};

use std::collections::BTreeMap;

// Names are hashed once a row: a fast hash with no per-process seed (the
// inputs are the user's own files, and order never leaks into output).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use super::row::Row;
use super::scan::{scan, scan_text, Flow, Record, ScanError};
use super::{DataError, DataSet, Provenance};
use crate::check::model::{EvidenceId, MetricId};
use crate::check::Notice;
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
    /// Each name a row's `metric` field gave, and what it is: one lookup a
    /// row, whether the name is declared, a near miss or passed over.
    metric_names: HashMap<String, MetricName>,
    /// The declared names that names in `metric` fields are near misses of.
    near_names: Vec<String>,
    /// The declared metrics' names, prepared for suggestions once one is needed.
    metric_suggestions: Option<crate::check::Suggestions<'n>>,
    /// Rows passed over for metrics no rule reads: how many, and the first.
    skipped: Skipped,
    /// The areas besides the authority that rules read; rows of other areas
    /// are passed over, and counted.
    areas_read: HashSet<String>,
    /// Rows of areas no rule reads: how many, how many areas, and the first.
    unread_areas: Skipped,
    /// Rows of geographic levels no rule reads (wards, constituencies):
    /// passed over in a screen too, and counted.
    unread_levels: Skipped,
    /// Whether every area's rows are read (a screen).
    every_area: bool,
    /// The one other area read besides the notice's (`eval --area`).
    also: Option<String>,
    /// Each metric (by index) that some rule reads: another area's rows of
    /// the rest are counted, not stored, when rules are read for other areas.
    metrics_read: Vec<bool>,
    /// The lines kept of the file being read.
    kept: KeptLines,
    /// The other area of the last row, and whether a rule reads it.
    last_other: (String, bool),
    /// The area of the last figure added, and its index.
    last_id: (String, u32),
    /// The warnings the `data` line that brought in the file being read
    /// allows (`// allow(areas_not_read)`).
    allowing: Vec<Code>,
    /// The same for each file read, by its index.
    file_allows: Vec<Vec<Code>>,
    /// The geographic level of the published row being read, if any.
    row_level: Option<crate::data::Level>,
    /// The day the file being read was published, as its `data` line says:
    /// the publication of each row that gives none.
    file_published: Option<Date>,
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
    /// The line of a record whose quoted field never closes (the file ends inside it).
    unterminated: Option<u64>,
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
            metric_names: HashMap::default(),
            near_names: Vec::new(),
            metric_suggestions: None,
            skipped: Skipped::default(),
            areas_read: notice.areas_read().into_iter().collect(),
            every_area: areas == super::Areas::Every,
            also: match areas {
                super::Areas::Also(area) => Some(area),
                _ => None,
            },
            metrics_read: {
                let read = notice.metrics_read();
                notice
                    .metric_ids()
                    .map(|(id, _)| read.contains(&id))
                    .collect()
            },
            unread_areas: Skipped::default(),
            unread_levels: Skipped::default(),
            kept: KeptLines::default(),
            last_other: (String::new(), false),
            last_id: (String::new(), 0),
            allowing: Vec::new(),
            file_allows: Vec::new(),
            row_level: None,
            file_published: None,
        }
    }

    /// What the notice says of the files read next: the warnings their
    /// `data` line allows, and the day they were published.
    pub(super) fn set_source(&mut self, allowing: Vec<Code>, published: Option<Date>) {
        self.allowing = allowing;
        self.file_published = published;
    }

    /// Whether a warning of `code` about a row of file `index` is allowed
    /// by the `data` line that brought the file in.
    fn silenced(&self, index: u32, code: Code) -> bool {
        self.file_allows
            .get(index as usize)
            .is_some_and(|codes| codes.contains(&code))
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
        self.file_allows.push(self.allowing.clone());
        Some(FileRead {
            name,
            index,
            sheet_col0,
            header: Vec::new(),
            table: None,
            rows: 0,
            uneven: BTreeMap::new(),
            unterminated: None,
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
        if record.unterminated() {
            // A truncated file: its last field is not the value it looks like.
            self.kept.keep(record);
            file.unterminated = Some(record.line);
            return Flow::Go;
        }
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
        // Only a row with a `geographic_level` says its area's level.
        self.row_level = None;
        match &file.table {
            Some(Table::Observations {
                area,
                metric,
                date,
                value,
                published,
                level,
            }) => self.observation(
                &row,
                prov,
                [*area, *metric, *date, *value],
                (*published, *level),
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
        let passed_over = !file.header.is_empty() && file.table.is_none() && file.optional;
        if passed_over && self.silenced(file.index, Code::DataSheetNotRead) {
            // Allowed on its `data` line: a sheet of notes, passed over.
        } else if passed_over {
            self.data
                .warnings
                .push(DataError::Field(crate::diagnostics::Located {
                    code: Code::DataSheetNotRead,
                    message: format!("{}: its first row is not a table's header, so it was not read", file.name),
                    span: src.line_span(1).into(),
                    src: src.named(),
                    label: "not a header".into(),
                    help: Some(format!("observations have the header `area,metric,date,value`; evidence `kind,date,reference`; name the sheet to read (`book.xlsx#Sheet`) to make this an error; {}", lints::allow_help(Code::DataSheetNotRead))),
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
        if let Some(line) = file.unterminated {
            errors.push(super::row::bad_row(
                &src,
                line,
                "a quoted field never closes: the file ends inside it".to_string(),
                "the file may have been cut short: write it again from its source, or close the quote",
            ));
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

    /// Settles the data set read (series sorted, revisions kept, duplicates
    /// that disagree reported) and warns of what the whole set shows; the
    /// data set is then complete.
    pub(super) fn finish(mut self, errors: &mut Vec<DataError>) -> DataSet {
        self.data.settle(self.notice, errors);
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
        let levels = std::mem::take(&mut self.unread_levels);
        self.report_passed_over(
            &levels,
            Code::DataAreasNotRead,
            "geographic level no rule reads|geographic levels no rule reads",
            "rules read England, regions and councils (`geographic_level` National, Regional, Local authority); rows of other geographies are passed over",
        );
        let mut others: Vec<(&String, &OtherArea)> =
            self.other_areas.iter().filter(|(_, a)| !a.read).collect();
        others.sort_by_key(|(_, a)| a.first);
        self.data.unread_areas = others.into_iter().map(|(name, _)| name.clone()).collect();
        // A screen, or an evaluation for another area, reads the rules for
        // other areas: the notice's own need not be there.
        if !self.every_area && self.also.is_none() {
            if let Some(e) = self.authority_near_miss() {
                errors.push(e);
            }
        }
        self.data
    }
}
