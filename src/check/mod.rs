//! AST to checked notice: names resolved (with "did you mean"), units
//! checked, dates computed. Every error of a file is collected and returned
//! together; warnings travel beside a successful result.

mod error;
pub mod lint;
pub mod model;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

pub use error::{CheckError, InvalidKind};
pub use model::Notice;

use crate::ast::{self, AddOp, Anchor, DateExpr, Decl, Field, Literal};
use crate::source::{Site, SourceFile, Span};
use crate::time::{self, Date};
use crate::value::{parse_decimal, Unit, Value};
use model::*;

/// A checked notice with its warnings, or every error found.
pub type CheckResult = Result<(Notice, Vec<CheckError>), Vec<CheckError>>;

/// Checks a parsed notice. `dir` is the folder the notice file is in: the
/// notice's `data` paths are relative to it.
pub fn check(src: &SourceFile, notice: &ast::Notice, dir: &Path) -> CheckResult {
    check_with(src, notice, dir, &[])
}

/// Checks a parsed notice with the libraries it uses, in the order their
/// declarations are to be read (a library before those that use it).
pub fn check_with<'s>(
    src: &'s SourceFile,
    notice: &ast::Notice,
    dir: &Path,
    libraries: &'s [(SourceFile, ast::Library)],
) -> CheckResult {
    Checker::new(src, libraries).run(notice, dir)
}

/// Checks a library: its declarations, after those of the libraries it
/// uses (in reading order). Returns its warnings, or every error.
pub fn check_library<'s>(
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

/// Computes a date expression standing alone (no `issued`, no milestones).
pub fn eval_date(src: &SourceFile, expr: &DateExpr) -> Result<Date, CheckError> {
    if !matches!(expr.anchor.node, Anchor::Date(_)) {
        return Err(CheckError::invalid(
            InvalidKind::AnchorOutsideNotice,
            src,
            expr.anchor.span,
            format!(
                "`{}` is only known inside a notice",
                src.slice(expr.anchor.span)
            ),
            "not a date",
            Some("start from an ISO date, e.g. `2012-01-23 + 6 months`".into()),
        ));
    }
    let mut c = Checker::new(src, &[]);
    match c.date(expr) {
        Some(d) => Ok(d),
        None => Err(c.errors.pop().unwrap_or(CheckError::DateError {
            src: src.named(),
            span: expr.span.into(),
            reason: "the date is out of range".into(),
            help: None,
        })),
    }
}

/// Suggests the nearest of `candidates` to a misspelt `name`.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::levenshtein(&name.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c.len()))
        .map(|(_, c)| c)
}

/// Where a name was first declared: its span and the file it is in.
/// Names declared so far, with where (a name may be in a library).
type Seen = HashMap<String, Site>;

struct Checker<'s> {
    src: &'s SourceFile,
    libraries: &'s [(SourceFile, ast::Library)],
    errors: Vec<CheckError>,
    issued: Option<Date>,
    milestones: HashMap<String, Date>,
    scales: Vec<Scale>,
    metrics: Vec<Metric>,
    evidence: Vec<EvidenceKind>,
}

impl<'s> Checker<'s> {
    fn new(src: &'s SourceFile, libraries: &'s [(SourceFile, ast::Library)]) -> Self {
        Checker {
            src,
            libraries,
            errors: Vec::new(),
            issued: None,
            milestones: HashMap::new(),
            scales: Vec::new(),
            metrics: Vec::new(),
            evidence: Vec::new(),
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
        let measures = self.measures(notice);
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
                Decl::Milestone { name, date } => Some(Milestone {
                    name: name.node.clone(),
                    date: *self.milestones.get(&name.node)?,
                    definition: self.src.slice(date.span).to_string(),
                }),
                _ => None,
            })
            .collect();
        milestones.dedup_by(|a, b| a.name == b.name);
        let checked = Notice {
            id: notice.id.node.clone(),
            title,
            authority,
            service,
            issued,
            basis,
            data,
            source: self.src.clone(),
            milestones,
            metrics: std::mem::take(&mut self.metrics),
            scales: std::mem::take(&mut self.scales),
            evidence: std::mem::take(&mut self.evidence),
            measures,
        };
        let mut warnings = std::mem::take(&mut self.errors);
        warnings.extend(
            lint::lint(&checked, &notice.decls, &notice.measures)
                .into_iter()
                .map(CheckError::Lint),
        );
        Ok((checked, warnings))
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
                Field::Service(s) => service = Some(s.clone()),
                Field::Basis(b) => basis = Some(b.clone()),
                Field::Issued(d) => match time::parse_date(&d.node) {
                    Some(date) => self.issued = Some(date),
                    None => self.errors.push(CheckError::InvalidDate {
                        src: self.src.named(),
                        span: d.span.into(),
                        text: d.node.clone(),
                    }),
                },
                Field::Data(paths) => data = paths.iter().map(|p| dir.join(&p.node)).collect(),
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

    fn duplicate(&mut self, seen: &mut Seen, name: &ast::Name) -> bool {
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
                    InvalidKind::DeclaredInLibrary,
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

    fn declarations(&mut self, decls: &[Decl], seen: &mut Seen) {
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
                        self.metrics.push(Metric {
                            name: name.node.clone(),
                            unit,
                            direction,
                            missing: missing
                                .as_ref()
                                .map_or(ast::MissingPolicy::Unknown, |m| m.node),
                            fresh_within: fresh_within.as_ref().map(|f| f.node),
                            description: description.clone(),
                            declared: Site::new(self.src, name.span),
                        });
                    }
                }
                Decl::Evidence { name, description } => {
                    if !self.duplicate(seen, name) {
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
                Decl::Scale { .. } => {}
            }
        }
    }

    /// Each milestone names at most one other, so a chain is walked in a loop
    /// and a cycle is seen when the walk meets a milestone already on it.
    fn resolve_milestones(&mut self, notice: &ast::Notice) {
        let defs: HashMap<&str, &DateExpr> = notice
            .decls
            .iter()
            .filter_map(|d| match d {
                Decl::Milestone { name, date } => Some((name.node.as_str(), date)),
                _ => None,
            })
            .collect();
        let mut failed: std::collections::HashSet<String> = std::collections::HashSet::new();
        for decl in &notice.decls {
            let Decl::Milestone { name, .. } = decl else {
                continue;
            };
            if self.milestones.contains_key(&name.node) || failed.contains(&name.node) {
                continue;
            }
            let mut chain: Vec<&str> = vec![name.node.as_str()];
            while let Some(current) = chain.last().and_then(|n| defs.get(n)) {
                let Anchor::Milestone(next) = &current.anchor.node else {
                    break;
                };
                if self.milestones.contains_key(next)
                    || !defs.contains_key(next.as_str())
                    || failed.contains(next)
                {
                    break;
                }
                if let Some(pos) = chain.iter().position(|n| n == next) {
                    let cycle: Vec<&str> = chain.get(pos..).unwrap_or_default().to_vec();
                    let cycle_text = format!("{} -> {}", cycle.join(" -> "), next);
                    let span = defs.get(next.as_str()).map_or(name.span, |d| d.span);
                    self.errors.push(CheckError::MilestoneCycle {
                        src: self.src.named(),
                        span: span.into(),
                        name: next.clone(),
                        cycle: cycle_text,
                    });
                    failed.extend(chain.iter().map(|s| s.to_string()));
                    chain.clear();
                    break;
                }
                chain.push(next.as_str());
            }
            for n in chain.into_iter().rev() {
                let Some(def) = defs.get(n) else { continue };
                match self.date(def) {
                    Some(date) => {
                        self.milestones.insert(n.to_string(), date);
                    }
                    None => {
                        failed.insert(n.to_string());
                    }
                }
            }
        }
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

    /// Computes a date expression; reports errors and returns `None` on failure.
    fn date(&mut self, expr: &DateExpr) -> Option<Date> {
        let mut date = match &expr.anchor.node {
            Anchor::Date(text) => match time::parse_date(text) {
                Some(d) => d,
                None => {
                    self.errors.push(CheckError::InvalidDate {
                        src: self.src.named(),
                        span: expr.anchor.span.into(),
                        text: text.clone(),
                    });
                    return None;
                }
            },
            Anchor::Issued => self.issued?,
            Anchor::Milestone(name) => {
                match self.milestones.get(name) {
                    Some(d) => *d,
                    None => {
                        let names: Vec<String> = self.milestones.keys().cloned().collect();
                        // A milestone that failed to resolve has reported its own error.
                        if !self.errors.iter().any(|e| matches!(e, CheckError::MilestoneCycle { name: n, .. } if n == name)) {
                        self.unknown(name, expr.anchor.span, "milestone", names.iter().map(String::as_str));
                    }
                        return None;
                    }
                }
            }
        };
        for (op, duration) in &expr.steps {
            match time::shift(date, *op, duration.node) {
                Ok(d) => date = d,
                Err(e) => {
                    let help = match e {
                        time::TimeError::UnknownYear { .. } => Some(
                            "use calendar days, or a date within the calendar's years".to_string(),
                        ),
                        time::TimeError::OutOfRange => None,
                    };
                    self.errors.push(CheckError::DateError {
                        src: self.src.named(),
                        span: duration.span.into(),
                        reason: e.to_string(),
                        help,
                    });
                    return None;
                }
            }
        }
        Some(date)
    }

    fn measures(&mut self, notice: &ast::Notice) -> Vec<Measure> {
        let mut seen: HashMap<String, Span> = HashMap::new();
        let mut out = Vec::with_capacity(notice.measures.len());
        for m in &notice.measures {
            if let Some(&first) = seen.get(&m.id.node) {
                self.errors.push(CheckError::DuplicateMeasure {
                    src: self.src.named(),
                    span: m.id.span.into(),
                    first: first.into(),
                    id: m.id.node.clone(),
                });
            } else {
                seen.insert(m.id.node.clone(), m.id.span);
            }
            let requirements = m
                .requirements
                .iter()
                .filter_map(|r| self.requirement(r))
                .collect();
            out.push(Measure {
                id: m.id.node.clone(),
                title: m.title.node.clone(),
                group: m.group.clone(),
                text: m.text.as_ref().map(|t| t.node.clone()),
                requirements,
                span: m.span,
            });
        }
        out
    }

    fn requirement(&mut self, r: &ast::Requirement) -> Option<Requirement> {
        let condition = self.cond(&r.condition);
        let deadline = match &r.deadline {
            None => None,
            Some(d) => Some(self.deadline(d)?),
        };
        let sustained = r.sustained.as_ref().map(|s| s.node);
        if let Some(s) = &r.sustained {
            let every = deadline
                .as_ref()
                .is_some_and(|d| matches!(d.kind, DeadlineKind::Every { .. }));
            if s.node.0 == 0 || every {
                let (kind, message) = if every {
                    (
                        InvalidKind::SustainedRecurring,
                        "a recurring duty cannot also be sustained",
                    )
                } else {
                    (
                        InvalidKind::EmptySustained,
                        "a sustained condition needs at least one period",
                    )
                };
                self.errors.push(CheckError::invalid(
                    kind,
                    self.src,
                    s.span,
                    message.into(),
                    "here",
                    Some(
                        "write `for N consecutive months` with N of 1 or more, and without `every`"
                            .into(),
                    ),
                ));
                return None;
            }
        }
        let (line, column) = self.src.line_col(r.span.start);
        let rule = self
            .src
            .slice(r.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Some(Requirement {
            kind: r.kind,
            condition: condition?,
            missing: r.missing.as_ref().map(|m| m.node),
            sustained,
            deadline,
            span: r.span,
            rule,
            line,
            column,
        })
    }

    fn deadline(&mut self, d: &crate::source::Spanned<ast::Deadline>) -> Option<Deadline> {
        let written = |expr: &DateExpr| self.src.slice(expr.span).to_string();
        let (kind, date, text) = match &d.node {
            ast::Deadline::By(e) => (DeadlineKind::By, self.date(e)?, written(e)),
            ast::Deadline::Before(e) => {
                let date = self.date(e)?.pred_opt()?;
                (DeadlineKind::By, date, format!("before {}", written(e)))
            }
            ast::Deadline::After(e) => (DeadlineKind::After, self.date(e)?, written(e)),
            ast::Deadline::Every(period, from, until) => {
                let (start, end) = (self.date(from), self.date(until));
                let (start, end) = (start?, end?);
                if end < start {
                    self.errors.push(CheckError::invalid(
                        InvalidKind::EmptyDuty,
                        self.src,
                        d.span,
                        format!("the duty ends ({end}) before it starts ({start})"),
                        "empty duty",
                        Some("swap the dates, or correct one of them".into()),
                    ));
                    return None;
                }
                let text = self.src.slice(d.span).to_string();
                (
                    DeadlineKind::Every {
                        period: *period,
                        from: start,
                    },
                    end,
                    text,
                )
            }
            ast::Deadline::Within(dur, e) => {
                let base = self.date(e)?;
                let text = format!("within {} of {}", self.src.slice(dur.span), written(e));
                match time::shift(base, AddOp::Add, dur.node) {
                    Ok(date) => (DeadlineKind::By, date, text),
                    Err(err) => {
                        self.errors.push(CheckError::DateError {
                            src: self.src.named(),
                            span: dur.span.into(),
                            reason: err.to_string(),
                            help: None,
                        });
                        return None;
                    }
                }
            }
        };
        if let Some(issued) = self.issued {
            if kind == DeadlineKind::By && date < issued {
                self.errors
                    .push(CheckError::DeadlineBeforeIssued(crate::diagnostics::Located {
                        code: "notice::check::deadline_before_issued",
                        message: format!(
                            "deadline {date} is before the notice was issued ({issued})"
                        ),
                        src: self.src.named(),
                        span: d.span.into(),
                        label: format!("due {date}"),
                        help: Some(
                            "a notice cannot require something before it exists: check the date or the anchor"
                                .into(),
                        ),
                    }));
            }
        }
        Some(Deadline {
            kind,
            date,
            written: text,
            span: d.span,
        })
    }

    fn cond(&mut self, cond: &ast::Cond) -> Option<Cond> {
        Some(match cond {
            ast::Cond::All(items, s) => Cond::All(self.conds(items)?, *s),
            ast::Cond::Any(items, s) => Cond::Any(self.conds(items)?, *s),
            ast::Cond::Not(c, s) => Cond::Not(Box::new(self.cond(c)?), *s),
            ast::Cond::And(items, s) => Cond::All(self.conds(items)?, *s),
            ast::Cond::Or(items, s) => Cond::Any(self.conds(items)?, *s),
            ast::Cond::Evidence(name, s) => {
                match EvidenceId::at_of(self.evidence.iter().position(|e| e.name == name.node)) {
                    Some(id) => Cond::Evidence(id, *s),
                    None => {
                        let names: Vec<String> =
                            self.evidence.iter().map(|e| e.name.clone()).collect();
                        self.unknown(
                            &name.node,
                            name.span,
                            "evidence kind",
                            names.iter().map(String::as_str),
                        );
                        return None;
                    }
                }
            }
            ast::Cond::Trend {
                metric,
                area,
                improving,
                window,
                span,
            } => {
                let Some(id) =
                    MetricId::at_of(self.metrics.iter().position(|m| m.name == metric.node))
                else {
                    let names: Vec<String> = self.metrics.iter().map(|m| m.name.clone()).collect();
                    self.unknown(
                        &metric.node,
                        metric.span,
                        "metric",
                        names.iter().map(String::as_str),
                    );
                    return None;
                };
                if self
                    .metrics
                    .get(id.index())
                    .is_some_and(|m| m.direction.is_none())
                {
                    self.errors.push(CheckError::invalid(
                        InvalidKind::TrendWithoutDirection,
                        self.src,
                        metric.span,
                        format!(
                            "`{}` has no direction, so it cannot improve or worsen",
                            metric.node
                        ),
                        "no direction declared",
                        Some(format!(
                            "declare which way is better: `metric {} : ..., higher is better`",
                            metric.node
                        )),
                    ));
                    return None;
                }
                Cond::Trend {
                    metric: id,
                    area: area.as_ref().map(|a| a.node.clone()),
                    improving: *improving,
                    window: window.node,
                    span: *span,
                }
            }
            ast::Cond::Compare { lhs, op, rhs, span } => {
                // A bare name on one side may be a level of the other side's scale.
                let lhs_scale = self.scale_hint(rhs);
                let rhs_scale = self.scale_hint(lhs);
                let l = self.value(lhs, rhs_scale.as_deref().or(lhs_scale.as_deref()));
                let r = self.value(rhs, rhs_scale.as_deref().or(lhs_scale.as_deref()));
                let (l, r) = (l?, r?);
                self.compatible(&l, &r)?;
                Cond::Compare {
                    lhs: l,
                    op: op.node,
                    rhs: r,
                    span: *span,
                }
            }
        })
    }

    fn conds(&mut self, items: &[ast::Cond]) -> Option<Vec<Cond>> {
        let checked: Vec<Option<Cond>> = items.iter().map(|c| self.cond(c)).collect();
        checked.into_iter().collect()
    }

    /// The scale of a value expression's first metric, if it is a rating.
    fn scale_hint(&self, v: &ast::ValueExpr) -> Option<Arc<str>> {
        let ast::Term::Ref(r) = &v.first else {
            return None;
        };
        match &self.metrics.iter().find(|m| m.name == r.name.node)?.unit {
            Unit::Rating(s) => Some(Arc::clone(s)),
            _ => None,
        }
    }

    fn compatible(&mut self, l: &ValueExpr, r: &ValueExpr) -> Option<()> {
        if l.unit.comparable(&r.unit).is_some() {
            return Some(());
        }
        let describe = |v: &ValueExpr| format!("{} ({})", self.src.slice(v.span), article(&v.unit));
        match (&l.unit, &r.unit) {
            (Unit::Rating(scale), other) | (other, Unit::Rating(scale))
                if !matches!(other, Unit::Rating(_)) =>
            {
                let (rating, number) = if matches!(l.unit, Unit::Rating(_)) {
                    (l, r)
                } else {
                    (r, l)
                };
                let levels = self
                    .scales
                    .iter()
                    .find(|s| s.name == *scale)
                    .map(|s| {
                        s.levels
                            .iter()
                            .map(|l| format!("`{l}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                self.errors.push(CheckError::RatingVsNumber {
                    src: self.src.named(),
                    rating_span: rating.span.into(),
                    number_span: number.span.into(),
                    rating: describe(rating),
                    number: describe(number),
                    help: format!("compare the rating with a level of `{scale}`: {levels}"),
                });
            }
            _ => {
                self.errors.push(CheckError::UnitMismatch {
                    src: self.src.named(),
                    left_span: l.span.into(),
                    right_span: r.span.into(),
                    verb: "compare",
                    left: describe(l),
                    right: describe(r),
                    help: unit_help(&l.unit, &r.unit),
                });
            }
        }
        None
    }

    fn value(&mut self, v: &ast::ValueExpr, scale: Option<&str>) -> Option<ValueExpr> {
        let first = self.term(&v.first, scale);
        let mut ok = first.is_some();
        let mut terms = Vec::with_capacity(v.rest.len() + 1);
        let mut unit = None;
        let mut so_far = v.first.span();
        if let Some((t, u)) = first {
            terms.push((AddOp::Add, t));
            unit = Some(u);
        }
        for (op, term) in &v.rest {
            let next = self.term(term, scale);
            match (next, unit.clone()) {
                (Some((t, u)), Some(acc)) => match acc.combine(&u, *op == AddOp::Add) {
                    Some(combined) => {
                        terms.push((*op, t));
                        unit = Some(combined);
                    }
                    None => {
                        self.errors.push(CheckError::UnitMismatch {
                            src: self.src.named(),
                            left_span: so_far.into(),
                            right_span: term.span().into(),
                            verb: if *op == AddOp::Add { "add" } else { "subtract" },
                            left: format!("{} ({})", self.src.slice(so_far), article(&acc)),
                            right: format!("{} ({})", self.src.slice(term.span()), article(&u)),
                            help: unit_help(&acc, &u),
                        });
                        ok = false;
                    }
                },
                _ => ok = false,
            }
            so_far = so_far.to(term.span());
        }
        if !ok {
            return None;
        }
        Some(ValueExpr {
            terms,
            unit: unit?,
            span: v.span,
        })
    }

    fn term(&mut self, term: &ast::Term, scale: Option<&str>) -> Option<(Term, Unit)> {
        match term {
            ast::Term::Literal(lit) => {
                let (text, unit) = match &lit.node {
                    Literal::Percent(t) => (t, Unit::Percent),
                    Literal::Pp(t) => (t, Unit::Pp),
                    Literal::Days(t) => (t, Unit::Days),
                    Literal::Money(t) => (t, Unit::Money),
                    Literal::Number(t) => (t, Unit::Number),
                };
                match parse_decimal(text) {
                    Some(n) => Some((Term::Const(Value::Num(n, unit.clone())), unit)),
                    None => {
                        self.errors.push(CheckError::BadNumber {
                            src: self.src.named(),
                            span: lit.span.into(),
                            text: self.src.slice(lit.span).to_string(),
                        });
                        None
                    }
                }
            }
            ast::Term::Ref(r) => self.metric_ref(r, scale),
        }
    }

    fn metric_ref(&mut self, r: &ast::MetricRef, scale: Option<&str>) -> Option<(Term, Unit)> {
        if let Some(id) = MetricId::at_of(self.metrics.iter().position(|m| m.name == r.name.node)) {
            let metric_unit = self.metrics.get(id.index())?.unit.clone();
            let aggregate = r
                .aggregate
                .as_ref()
                .map_or(ast::Aggregate::Latest, |a| a.node);
            let window = match &r.window {
                None => Window::Current,
                Some(ast::Window::At(e)) => Window::At(self.date(e)?),
                Some(ast::Window::Over(d)) => Window::Over(d.node),
                Some(ast::Window::Range(a, b)) => {
                    let (a, b) = (self.date(a), self.date(b));
                    Window::Range(a?, b?)
                }
            };
            let problem = match (aggregate, window, &metric_unit) {
                (ast::Aggregate::Latest, _, _) => None,
                (_, Window::Current, _) => Some(format!(
                    "`{}` needs a window: `{} {} over 3 months` or `from DATE until DATE`",
                    aggregate.keyword(),
                    aggregate.keyword(),
                    r.name.node
                )),
                (_, Window::At(_), _) => Some(format!(
                    "`{}` combines a window of observations; `at` names one date",
                    aggregate.keyword()
                )),
                (ast::Aggregate::Mean, _, Unit::Rating(_)) => {
                    Some("a rating has no mean: use `min`, `max` or `latest`".into())
                }
                _ => None,
            };
            if let Some(help) = problem {
                let span = r.aggregate.as_ref().map_or(r.span, |a| a.span);
                self.errors.push(CheckError::invalid(
                    InvalidKind::BadAggregate,
                    self.src,
                    span,
                    format!(
                        "cannot take `{}` of `{}` like this",
                        aggregate.keyword(),
                        r.name.node
                    ),
                    "this aggregate",
                    Some(help),
                ));
                return None;
            }
            let unit = if aggregate == ast::Aggregate::Count {
                Unit::Count
            } else {
                metric_unit
            };
            return Some((
                Term::Metric {
                    metric: id,
                    area: r.area.as_ref().map(|a| a.node.clone()),
                    aggregate,
                    window,
                    span: r.span,
                },
                unit,
            ));
        }
        let level = scale
            .and_then(|s| self.scales.iter().find(|sc| &*sc.name == s))
            .and_then(|sc| sc.level(&r.name.node));
        if let Some(level) = level {
            if r.area.is_some() || r.window.is_some() || r.aggregate.is_some() {
                self.errors.push(CheckError::invalid(
                    InvalidKind::LevelAsMetric,
                    self.src,
                    r.span,
                    format!("`{}` is a rating level, not a metric", r.name.node),
                    "a level has no area, date or latest value",
                    Some(format!("write the level alone: `{}`", r.name.node)),
                ));
                return None;
            }
            let Value::Rating { scale, .. } = &level else {
                return None;
            };
            let unit = Unit::Rating(Arc::clone(scale));
            return Some((Term::Const(level), unit));
        }
        let mut candidates: Vec<String> = self.metrics.iter().map(|m| m.name.clone()).collect();
        if let Some(sc) = scale.and_then(|s| self.scales.iter().find(|sc| &*sc.name == s)) {
            candidates.extend(sc.levels.iter().map(|l| l.to_string()));
        }
        self.unknown(
            &r.name.node,
            r.name.span,
            "metric",
            candidates.iter().map(String::as_str),
        );
        None
    }
}

/// "a percent", "a number of days", for messages.
fn article(unit: &Unit) -> String {
    match unit {
        Unit::Percent => "a percent".into(),
        Unit::Pp => "percentage points".into(),
        Unit::Count => "a count".into(),
        Unit::Days => "days".into(),
        Unit::Money => "money".into(),
        Unit::Ratio => "a ratio".into(),
        Unit::Number => "a bare number".into(),
        Unit::Rating(s) => format!("a rating on `{s}`"),
    }
}

/// How to make two units agree.
fn unit_help(a: &Unit, b: &Unit) -> String {
    match (a, b) {
        (Unit::Percent, Unit::Number) | (Unit::Number, Unit::Percent) => {
            "write the number as a percent, e.g. `69%`".into()
        }
        (Unit::Days, Unit::Number) | (Unit::Number, Unit::Days) => "write the number as days, e.g. `45 days`".into(),
        (Unit::Money, Unit::Number) | (Unit::Number, Unit::Money) => "write the number as money, e.g. `£500,000`".into(),
        (Unit::Percent, Unit::Pp) | (Unit::Pp, Unit::Percent) => {
            "a percent and percentage points differ: compare `a - b` (pp) with `5pp`, or a percent with a percent".into()
        }
        (Unit::Percent, Unit::Percent) => "percentages cannot be added: add percentage points (`+ 5pp`)".into(),
        _ => format!(
            "both sides must be in one unit: {} is {}, the other is {}",
            "one", article(a), article(b)
        ),
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
