//! The data set: observations and evidence records, each with its source row.

use rustc_hash::FxHashMap as HashMap;

use crate::check::model::{EvidenceId, MetricId};
use crate::check::Notice;
use crate::source::SourceFile;
use crate::time::Date;
use crate::value::Value;

use super::DataError;

/// Where a value came from: a file of the data set and a line in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provenance {
    /// Index into [`DataSet::files`].
    pub file: u32,
    /// One-based line.
    pub line: u32,
}

/// A figure published as a symbol: the date it is for, the symbol, its row.
pub(super) type WithheldFigure = (Date, super::Withheld, Provenance);

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
    /// When it became known, if the data says; otherwise its date.
    pub published: Option<Date>,
    /// Its reference (title, minute number, link).
    pub reference: String,
    /// The row it came from.
    pub source: Provenance,
}

impl EvidenceRecord {
    /// The day the record became known: its publication, or else its date.
    pub fn known_from(&self) -> Date {
        self.published.unwrap_or(self.date)
    }
}

/// The geographic level published statistics give an area
/// (`geographic_level`); a plain CSV file gives none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Level {
    /// A local authority: a council.
    LocalAuthority,
    /// A region of England.
    Regional,
    /// England as a whole.
    National,
}

impl Level {
    /// The level a published file's `geographic_level` names (any case);
    /// `None` for the geographies no rule reads (wards, constituencies).
    pub(crate) fn of(geographic_level: &str) -> Option<Level> {
        // As the Department writes it, then in any case: read once a row.
        match geographic_level {
            "Local authority" => return Some(Level::LocalAuthority),
            "National" => return Some(Level::National),
            "Regional" => return Some(Level::Regional),
            _ => {}
        }
        let (level, word) = match geographic_level.as_bytes().first()? {
            b'N' | b'n' => (Level::National, "national"),
            b'R' | b'r' => (Level::Regional, "regional"),
            b'L' | b'l' => (Level::LocalAuthority, "local authority"),
            _ => return None,
        };
        geographic_level.eq_ignore_ascii_case(word).then_some(level)
    }
}

/// The observations and evidence of a data set, sorted by date.
#[derive(Debug, Default)]
pub struct DataSet {
    /// The files read, in order.
    pub files: Vec<SourceFile>,
    /// Whether each file is a sheet of a workbook, whose rows are rows.
    pub(super) sheets: Vec<bool>,
    /// Areas by index; index 0 is the notice's own authority.
    pub(super) areas: Vec<String>,
    /// Each area's level, where published statistics give one.
    pub(super) area_levels: Vec<Option<Level>>,
    pub(super) area_index: HashMap<String, u32>,
    /// Series by (area, metric), sorted by date.
    pub(super) series: HashMap<(u32, MetricId), Vec<Observation>>,
    /// Records by evidence kind, sorted by date.
    pub(super) evidence: Vec<Vec<EvidenceRecord>>,
    /// Whether some figure was revised (two versions for one date).
    pub(super) revised: bool,
    /// Figures and records published after their date: (date, the latest
    /// publication of anything dated on or before it), sorted by date.
    pub(super) late: Vec<(Date, Date)>,
    /// Rows read with a warning (comparator rows for undeclared metrics).
    pub(crate) warnings: Vec<DataError>,
    /// The area the notice's rules are read for: 0, the notice's authority,
    /// unless a screen reads them for another area of the data.
    pub(super) subject: u32,
    /// Whether some observation is for the notice's own authority.
    pub(super) own_rows: bool,
    /// Figures published as a symbol (`c`, `x`, ...) instead of a number,
    /// by (area, metric): their date, the symbol and the row.
    pub(super) withheld: HashMap<(u32, MetricId), Vec<WithheldFigure>>,
    /// The areas of rows passed over because no rule reads them, in the
    /// order first met: names to offer for one given that is not quite one.
    pub(super) unread_areas: Vec<String>,
    /// Other areas' figures of declared metrics no rule reads, counted and
    /// not stored (a screen's, an evaluation's for another area).
    pub(super) unread_metric_rows: usize,
}

impl DataSet {
    /// A metric's series for an area (`None`: the notice's authority), sorted by date.
    pub fn series(&self, metric: MetricId, area: Option<&str>) -> &[Observation] {
        let area = match area {
            None => Some(self.subject),
            Some(a) => self.area_index.get(a).copied(),
        };
        area.and_then(|a| self.series.get(&(a, metric)))
            .map_or(&[], Vec::as_slice)
    }

    /// The latest figure published as a symbol instead of a number for a
    /// metric and area (`None`: the area read for) dated from `from` to `to`.
    pub fn withheld(
        &self,
        metric: MetricId,
        area: Option<&str>,
        from: Option<Date>,
        to: Date,
    ) -> Option<WithheldFigure> {
        // Most data sets withhold nothing: no area lookup for them.
        if self.withheld.is_empty() {
            return None;
        }
        let area = match area {
            None => self.subject,
            Some(a) => *self.area_index.get(a)?,
        };
        self.withheld
            .get(&(area, metric))?
            .iter()
            .filter(|(d, _, _)| *d <= to && from.is_none_or(|f| *d >= f))
            .max_by_key(|(d, _, p)| (*d, p.line))
            .copied()
    }

    /// The records of an evidence kind, sorted by date: the notice's
    /// authority's (an evidence table has no area), none for another area.
    pub fn evidence(&self, kind: EvidenceId) -> &[EvidenceRecord] {
        if !self.evidence_held() {
            return &[];
        }
        self.evidence.get(kind.index()).map_or(&[], Vec::as_slice)
    }

    /// Whether the data holds evidence records for the area rules are read
    /// for: the notice's authority's only. For another area, a condition on
    /// records is unknown, never "no record".
    pub fn evidence_held(&self) -> bool {
        self.subject == 0
    }

    /// The areas of the data that a screen reads the rules for, in the
    /// data's order: every area but those the rules name (`m[England]`), and
    /// the notice's authority only if some row is its own; with a `level`,
    /// only areas of that level (or of none given).
    pub fn screened_areas(&self, named: &[String], level: Option<Level>) -> Vec<String> {
        // An area whose level the data does not give is screened at any level.
        let at_level = |i: usize| {
            level.is_none_or(|want| {
                self.area_levels
                    .get(i)
                    .copied()
                    .flatten()
                    .is_none_or(|l| l == want)
            })
        };
        self.areas
            .iter()
            .enumerate()
            .filter(|(i, a)| {
                let present = if *i == 0 {
                    self.own_rows
                } else {
                    !a.is_empty() && !named.contains(a)
                };
                present && at_level(*i)
            })
            .map(|(_, a)| a.clone())
            .collect()
    }

    /// Reads the rules for `area` (`None`, or the authority's own name: the
    /// notice's authority); false when the data has no such area.
    pub fn read_for(&mut self, area: Option<&str>) -> bool {
        match area {
            None => {
                self.subject = 0;
                true
            }
            Some(a) => match self.area_index.get(a) {
                Some(&id) => {
                    self.subject = id;
                    true
                }
                None => false,
            },
        }
    }

    /// The names of the areas whose rows were passed over because no rule
    /// reads them, in the order first met.
    pub fn unread_area_names(&self) -> &[String] {
        &self.unread_areas
    }

    /// How many of other areas' figures were passed over, not stored,
    /// because no rule reads their metric (in a screen, or an evaluation
    /// for another area).
    pub fn unread_metric_rows(&self) -> usize {
        self.unread_metric_rows
    }

    /// The names of the areas of the data, the notice's authority first.
    pub fn area_names(&self) -> &[String] {
        &self.areas
    }

    /// `file:line` of a provenance, for reports.
    pub fn describe(&self, p: Provenance) -> String {
        let name = self.files.get(p.file as usize).map_or("?", |f| &*f.name);
        self.describe_as(p, name)
    }

    /// A row as [`DataSet::describe`] gives it, its file named relative to
    /// `folder` (a notice's): a paper shows no machine's folders. A file
    /// outside the folder is named by its file name alone.
    pub fn describe_within(&self, p: Provenance, folder: &std::path::Path) -> String {
        let name = self.files.get(p.file as usize).map_or("?", |f| &*f.name);
        let path = std::path::Path::new(name);
        let shown = match path.strip_prefix(folder) {
            Ok(inside) => inside.display().to_string(),
            _ if path.is_absolute() => path
                .file_name()
                .map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned()),
            _ => name.to_string(),
        };
        self.describe_as(p, &shown)
    }

    fn describe_as(&self, p: Provenance, name: &str) -> String {
        if self.sheets.get(p.file as usize).copied().unwrap_or(false) {
            format!("{name}, row {}", p.line)
        } else {
            format!("{name}:{}", p.line)
        }
    }

    /// The file a provenance points into.
    pub fn file(&self, p: Provenance) -> Option<&SourceFile> {
        self.files.get(p.file as usize)
    }

    /// Whether some figure has more than one published version.
    pub fn has_revisions(&self) -> bool {
        self.revised
    }

    /// The day by which everything dated on or before `date` had been
    /// published: `date` itself unless some of it was published late. An
    /// evaluation whose knowledge date is on or after it reads that part of
    /// the data as if it knew every version.
    pub fn settled_by(&self, date: Date) -> Date {
        let n = self.late.partition_point(|&(d, _)| d <= date);
        match n.checked_sub(1).and_then(|i| self.late.get(i)) {
            Some(&(_, published)) => published.max(date),
            None => date,
        }
    }

    /// How many observations were loaded.
    pub fn observation_count(&self) -> usize {
        self.series.values().map(Vec::len).sum()
    }
}

impl DataSet {
    /// Sorts every series by date and each kind's records, keeps later
    /// versions of a figure (revisions) after the earlier, reports duplicates
    /// that disagree, and indexes what was published late.
    pub(super) fn settle(&mut self, notice: &Notice, errors: &mut Vec<DataError>) {
        for records in &mut self.evidence {
            records.sort_by_key(|r| r.date);
        }
        let mut keys: Vec<(u32, MetricId)> = self.series.keys().copied().collect();
        keys.sort_unstable();
        let mut conflicts = 0usize;
        for key in keys {
            let Some(mut series) = self.series.remove(&key) else {
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
                        self.revised = true;
                        kept.push(obs);
                    }
                    Some(prev) if prev.date == obs.date => {
                        if prev.value != obs.value {
                            conflicts += 1;
                            if conflicts <= CONFLICTS_SHOWN {
                                let metric = notice.metric(key.1).map_or("?", |m| m.name.as_str());
                                let area =
                                    self.areas.get(key.0 as usize).map_or("?", String::as_str);
                                errors.push(conflict(self, metric, area, prev, &obs));
                            }
                        }
                    }
                    _ => kept.push(obs),
                }
            }
            self.series.insert(key, kept);
        }
        if conflicts > CONFLICTS_SHOWN {
            errors.push(DataError::MoreConflicts {
                count: crate::value::count(conflicts - CONFLICTS_SHOWN),
                shown: CONFLICTS_SHOWN,
            });
        }
        self.index_late();
    }

    /// Indexes what was published after its date, for [`DataSet::settled_by`].
    fn index_late(&mut self) {
        let observations = self.series.values().flatten();
        let late_obs = observations.filter_map(|o| o.published.map(|p| (o.date, p)));
        let records = self.evidence.iter().flatten();
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
        self.late = late;
    }
}

/// How many rows that disagree are shown one by one; the rest are counted.
const CONFLICTS_SHOWN: usize = 20;

/// Two rows that disagree for one area, metric and date.
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
    let help = if first.source.file == second.source.file {
        "keep one of the two rows, or correct the date of one"
    } else {
        "if one file's figure replaces the other's (the Department's published figure after the council's own), say when it was published: `data \"FILE\" published YYYY-MM-DD` on the notice's `data` line, or a `published` column; the later version then supersedes the earlier from that day. Otherwise keep one of the two rows"
    };
    DataError::Conflict {
        help,
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
