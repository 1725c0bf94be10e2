//! AST to checked notice: names resolved (with "did you mean"), units
//! checked, dates computed. Every error of a file is collected and returned
//! together; warnings travel beside a successful result.

mod dates;
mod declare;
mod error;
pub(crate) mod lint;
pub mod model;
mod rules;
mod values;

pub(crate) use dates::eval_date;

use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The vocabulary the checked notice and its verdicts are written in.
pub use crate::ast::{
    AddOp, Aggregate, CmpOp, Direction, Duration, DurationUnit, Kind, MissingPolicy, Period,
};
pub use crate::value::{Unit, Value};
pub(crate) use error::CheckError;
pub use model::Notice;

use crate::ast::{self, Decl, Field};
use crate::source::{Site, SourceFile, Span};
use crate::time::{self, Date};
use model::*;

/// A checked notice with its warnings, or every error found.
pub(crate) type CheckResult = Result<(Notice, Vec<CheckError>), Vec<CheckError>>;

/// Checks a parsed notice with the libraries it uses, in the order their
/// declarations are to be read (a library before those that use it).
pub(crate) fn check_with<'s>(
    src: &'s SourceFile,
    notice: &ast::Notice,
    dir: &Path,
    libraries: &'s [(SourceFile, ast::Library)],
) -> CheckResult {
    Checker::new(src, libraries).run(notice, dir)
}

/// Checks a library: its declarations, after those of the libraries it
/// uses (in reading order). Returns its warnings, or every error.
pub(crate) fn check_library<'s>(
    src: &'s SourceFile,
    library: &ast::Library,
    libraries: &'s [(SourceFile, ast::Library)],
) -> Result<Vec<CheckError>, Vec<CheckError>> {
    let mut c = Checker::new(src, libraries);
    let mut seen = Seen::new();
    for (lib_src, lib) in libraries {
        c.src = lib_src;
        c.declarations(&lib.decls, &mut seen);
    }
    c.src = src;
    c.declarations(&library.decls, &mut seen);
    let mut found = std::mem::take(&mut c.errors);
    found.extend(lint::unknown_allows(src).into_iter().map(CheckError::Lint));
    if found.iter().any(|e| !e.is_warning()) {
        Err(found)
    } else {
        Ok(found)
    }
}

/// The longest name a suggestion is looked for: comparing names costs the
/// product of their lengths, and no one misspells a name longer than this.
const SUGGEST_MAX_CHARS: usize = 64;

use rapidfuzz::distance::levenshtein;

/// Suggests the nearest of `candidates` to a misspelt `name`: the closest,
/// then the shortest, then the first in name order, so the same input gets
/// the same suggestion on every run.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    Suggestions::new(candidates).nearest(name)
}

/// Names to suggest from, each prepared once (lower-cased, its length, and
/// how many of its letters fall in each of 32 buckets): a data file of ten
/// thousand misspelt names, each against ten thousand declared ones, then
/// computes the edit distance only for the few whose letters could be near
/// (it took 22 s when every pair was compared).
pub(crate) struct Suggestions<'a> {
    names: Vec<Candidate<'a>>,
}

struct Candidate<'a> {
    name: &'a str,
    lower: String,
    chars: usize,
    letters: [u8; 32],
}

/// How many of a name's letters fall in each bucket (a letter's bucket is its
/// code modulo 32); a name of at most [`SUGGEST_MAX_CHARS`] letters counts
/// each exactly.
fn letters(lower: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for c in lower.chars() {
        let slot = &mut out[(c as usize) % 32];
        *slot = slot.saturating_add(1);
    }
    out
}

/// A lower bound of the edit distance of two names from their letters: each
/// edit adds, removes or changes one letter, so it narrows the letters one
/// has and the other lacks by at most one each.
fn letters_apart(a: &[u8; 32], b: &[u8; 32]) -> usize {
    // Byte-wise, so the compiler compares all 32 buckets at once.
    let more: [u8; 32] = std::array::from_fn(|i| a[i].saturating_sub(b[i]));
    let fewer: [u8; 32] = std::array::from_fn(|i| b[i].saturating_sub(a[i]));
    let sum = |d: [u8; 32]| d.iter().map(|&x| u32::from(x)).sum::<u32>();
    sum(more).max(sum(fewer)) as usize
}

impl<'a> Suggestions<'a> {
    /// The candidates, prepared.
    pub(crate) fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let names = candidates
            .into_iter()
            .map(|name| {
                let lower = name.to_lowercase();
                Candidate {
                    name,
                    chars: name.chars().count(),
                    letters: letters(&lower),
                    lower,
                }
            })
            .collect();
        Suggestions { names }
    }

    /// The nearest candidate to a misspelt `name`, as [`did_you_mean`] says.
    pub(crate) fn nearest(&self, name: &str) -> Option<&'a str> {
        let length = name.chars().count();
        if length > SUGGEST_MAX_CHARS {
            return None;
        }
        let limit = (length / 3).max(2);
        let lower = name.to_lowercase();
        let mine = letters(&lower);
        // The name's pattern is built once for every candidate, and a
        // distance past the limit is given up as soon as it is certain
        // (rapidfuzz's bit-parallel edit distance).
        let distance = levenshtein::BatchComparator::new(lower.chars());
        let args = levenshtein::Args::default().score_cutoff(limit);
        self.names
            .iter()
            // A length difference beyond the limit is beyond it in distance
            // too, and so are letters too far apart.
            .filter(|c| c.chars.abs_diff(length) <= limit)
            .filter(|c| c.chars > SUGGEST_MAX_CHARS || letters_apart(&mine, &c.letters) <= limit)
            .filter_map(|c| Some((distance.distance_with_args(c.lower.chars(), &args)?, c.name)))
            .min_by_key(|&(d, c)| (d, c.len(), c))
            .map(|(_, c)| c)
    }
}

/// Names declared so far, with where (a name may be in a library).
type Seen = HashMap<String, Site>;

struct Checker<'s> {
    src: &'s SourceFile,
    libraries: &'s [(SourceFile, ast::Library)],
    errors: Vec<CheckError>,
    issued: Option<Date>,
    /// The authority's ONS code, if the notice states it.
    code: Option<String>,
    /// Where each `data` path is written.
    data_spans: Vec<Span>,
    data_published: Vec<Option<Date>>,
    milestones: HashMap<String, Date>,
    /// Milestones declared but not resolved: their own error is reported,
    /// so a date naming one is not called unknown.
    failed_milestones: HashSet<String>,
    scales: Vec<Scale>,
    metrics: Vec<Metric>,
    evidence: Vec<EvidenceKind>,
    /// Each metric's and evidence kind's place by name: a lookup a use, not
    /// a scan (a notice of 80,000 metrics checked in minutes with scans).
    metric_places: HashMap<String, usize>,
    evidence_places: HashMap<String, usize>,
}

impl<'s> Checker<'s> {
    /// The place of a declared metric, by name.
    fn metric_place(&self, name: &str) -> Option<usize> {
        self.metric_places.get(name).copied()
    }

    /// The place of a declared evidence kind, by name.
    fn evidence_place(&self, name: &str) -> Option<usize> {
        self.evidence_places.get(name).copied()
    }

    fn new(src: &'s SourceFile, libraries: &'s [(SourceFile, ast::Library)]) -> Self {
        Checker {
            src,
            libraries,
            errors: Vec::new(),
            issued: None,
            code: None,
            data_spans: Vec::new(),
            data_published: Vec::new(),
            milestones: HashMap::new(),
            failed_milestones: HashSet::new(),
            scales: Vec::new(),
            metrics: Vec::new(),
            evidence: Vec::new(),
            metric_places: HashMap::new(),
            evidence_places: HashMap::new(),
        }
    }

    fn run(&mut self, notice: &ast::Notice, dir: &Path) -> CheckResult {
        let header = self.header(notice, dir);
        let mut seen = Seen::new();
        let main = self.src;
        for (lib_src, lib) in self.libraries {
            self.src = lib_src;
            self.declarations(&lib.decls, &mut seen);
        }
        self.src = main;
        self.declarations(&notice.decls, &mut seen);
        self.resolve_milestones(notice);
        let mut measures = self.measures(notice);
        if self.errors.iter().any(|e| !e.is_warning()) {
            return Err(std::mem::take(&mut self.errors));
        }
        let (Some((title, authority, service, basis, data)), Some(issued)) = (header, self.issued)
        else {
            return Err(std::mem::take(&mut self.errors));
        };
        let mut milestones: Vec<Milestone> = notice
            .decls
            .iter()
            .filter_map(|d| match d {
                Decl::Milestone { name, date, label } => Some(Milestone {
                    name: name.node.clone(),
                    date: *self.milestones.get(&name.node)?,
                    definition: self.src.slice(date.span).to_string(),
                    label: label.clone(),
                }),
                _ => None,
            })
            .collect();
        milestones.dedup_by(|a, b| a.name == b.name);
        // Who owes what: a requirement's owner, else its measure's, else the council.
        for m in &mut measures {
            if m.owner.is_empty() {
                m.owner.clone_from(&authority);
            }
            for r in &mut m.requirements {
                if r.owner.is_empty() {
                    r.owner.clone_from(&m.owner);
                }
            }
        }
        let checked = Notice {
            id: notice.id.node.clone(),
            title,
            authority,
            code: self.code.take(),
            data_spans: std::mem::take(&mut self.data_spans),
            data_published: std::mem::take(&mut self.data_published),
            service,
            issued,
            basis,
            data,
            folder: dir.to_path_buf(),
            source: self.src.clone(),
            milestones,
            metrics: std::mem::take(&mut self.metrics),
            scales: std::mem::take(&mut self.scales),
            evidence: std::mem::take(&mut self.evidence),
            measures,
        };
        let mut warnings = std::mem::take(&mut self.errors);
        warnings.retain(|w| !w.silenced_in(self.src));
        warnings.extend(
            lint::lint(&checked, &notice.decls, &notice.measures)
                .into_iter()
                .map(CheckError::Lint),
        );
        Ok((checked, warnings))
    }

    /// A date written in a header field (`issued`, a data file's
    /// `published`), or its error.
    fn field_date(&mut self, d: &crate::source::Spanned<String>) -> Option<Date> {
        let date = time::parse_date(&d.node);
        if date.is_none() {
            self.errors.push(CheckError::InvalidDate {
                src: self.src.named(),
                span: d.span.into(),
                text: d.node.clone(),
            });
        }
        date
    }

    #[allow(clippy::type_complexity)]
    fn header(
        &mut self,
        notice: &ast::Notice,
        dir: &Path,
    ) -> Option<(
        String,
        String,
        Option<String>,
        Option<String>,
        Vec<std::path::PathBuf>,
    )> {
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        let (mut title, mut authority, mut service, mut basis) = (None, None, None, None);
        let mut data = Vec::new();
        for field in &notice.fields {
            let keyword = field.node.keyword();
            if let Some(&first) = seen.get(keyword) {
                self.errors.push(CheckError::DuplicateField {
                    src: self.src.named(),
                    span: field.span.into(),
                    first: first.into(),
                    field: keyword,
                });
                continue;
            }
            seen.insert(keyword, field.span);
            match &field.node {
                Field::Title(t) => title = Some(t.clone()),
                Field::Authority(a) => authority = Some(a.clone()),
                Field::Code(c) => self.code = Some(c.clone()),
                Field::Service(s) => service = Some(s.clone()),
                Field::Basis(b) => basis = Some(b.clone()),
                Field::Issued(d) => {
                    if let Some(date) = self.field_date(d) {
                        self.issued = Some(date);
                    }
                }
                Field::Data(paths) => {
                    data = paths.iter().map(|(p, _)| dir.join(&p.node)).collect();
                    self.data_spans = paths.iter().map(|(p, _)| p.span).collect();
                    self.data_published = paths
                        .iter()
                        .map(|(_, published)| self.field_date(published.as_ref()?))
                        .collect();
                }
            }
        }
        let head = Span::new(notice.span.start, notice.id.span.end);
        let mut missing = |field: &'static str, example: &str| {
            self.errors.push(CheckError::MissingField {
                src: self.src.named(),
                span: head.into(),
                field,
                help: format!("add a line such as `{field} {example}` to the notice"),
            });
        };
        if title.is_none() {
            missing("title", "\"Improvement Notice: ...\"");
        }
        if authority.is_none() {
            missing("authority", "\"London Borough of ...\"");
        }
        if !seen.contains_key("issued") {
            missing("issued", "2012-01-23");
        }
        Some((title?, authority?, service, basis, data))
    }

    fn unknown<'a>(
        &mut self,
        name: &str,
        span: Span,
        what: &'static str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) {
        let help = did_you_mean(name, candidates).map(|s| format!("did you mean `{s}`?"));
        let help =
            help.or_else(|| Some(format!("declare it: `{}`", declaration_example(what, name))));
        self.errors.push(CheckError::UnknownName {
            src: self.src.named(),
            span: span.into(),
            what,
            name: name.to_string(),
            help,
        });
    }
}

fn declaration_example(what: &str, name: &str) -> String {
    match what {
        "metric" => format!("metric {name} : percent, higher is better"),
        "evidence kind" => format!("evidence {name} \"what the document is\""),
        "milestone" => format!("milestone {name} = issued + 3 months"),
        "scale" => format!("scale {name} {{ inadequate < adequate < good < outstanding }}"),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod suggestion_tests {
    use super::did_you_mean;

    #[test]
    fn suggestions_break_ties_by_name_and_skip_long_names() {
        let names = ["md", "mc", "mb", "ma"];
        for _ in 0..5 {
            assert_eq!(did_you_mean("mz", names), Some("ma"));
        }
        let long = "x".repeat(20_000);
        assert_eq!(did_you_mean(&long, [long.as_str()]), None);
        assert_eq!(
            did_you_mean("visit", ["visits", "caseload"]),
            Some("visits")
        );
    }

    /// Every candidate compared, the plain way: what the filters by length
    /// and letters must never change.
    fn every_pair(name: &str, candidates: &[String]) -> Option<String> {
        let length = name.chars().count();
        if length > super::SUGGEST_MAX_CHARS {
            return None;
        }
        let limit = (length / 3).max(2);
        candidates
            .iter()
            .map(|c| {
                (
                    strsim::levenshtein(&name.to_lowercase(), &c.to_lowercase()),
                    c,
                )
            })
            .filter(|&(d, _)| d <= limit)
            .min_by_key(|&(d, c)| (d, c.len(), c.clone()))
            .map(|(_, c)| c.clone())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, failure_persistence: None, ..Default::default() })]

        /// The suggestion is the one every pair compared would give.
        #[test]
        fn a_suggestion_is_the_nearest_of_every_candidate(
            name in "[a-dA-D_é0-2]{0,14}",
            candidates in proptest::collection::vec("[a-dA-D_é0-2]{0,14}", 0..30),
        ) {
            let got = did_you_mean(&name, candidates.iter().map(String::as_str)).map(str::to_string);
            proptest::prop_assert_eq!(got, every_pair(&name, &candidates));
        }
    }
}
