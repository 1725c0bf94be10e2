//! The board paper: a notice's verdicts as an improvement board reads them,
//! in HTML (one self-contained file) or Markdown. The content is built here
//! as data; the templates in `templates/` lay it out, through minijinja
//! (a well-kept template engine whose HTML templates escape every value).

use serde::Serialize;

use crate::ast::Period;
use crate::check::model::{Cond, MetricId, Term, Window};
use crate::check::Notice;
use crate::data::DataSet;
use crate::eval::trace::{Detail, Finding, TermRead};
use crate::eval::{self, Options, Outcome, Status};
use crate::time::Date;
use crate::value::Value;

use super::chart::{self, Chart, Level, Series};
use super::prose;

/// Everything a board paper shows.
#[derive(Debug, Serialize)]
pub struct Paper {
    /// The notice's identifier.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The council.
    pub authority: String,
    /// The date of issue.
    pub issued: String,
    /// The evaluation date.
    pub as_of: String,
    /// The knowledge date, or "every version".
    pub known_at: String,
    /// The notice's status.
    pub status: StatusWords,
    /// Measures by status: how many of each.
    pub counts: Vec<Count>,
    /// The next deadlines after the evaluation date, soonest first.
    pub next_deadlines: Vec<NextDeadline>,
    /// The measures in the notice's order, by group.
    pub groups: Vec<Group>,
    /// The months of the status strip.
    pub strip_months: Vec<String>,
    /// Each measure's status at each month.
    pub strip: Vec<StripRow>,
    /// Every change of a measure's status, in date order.
    pub changes: Vec<ChangeRow>,
    /// The key to the symbols.
    pub key: Vec<StatusWords>,
}

/// A status as a word and a symbol (never colour alone), with a class for styling.
#[derive(Debug, Clone, Serialize)]
pub struct StatusWords {
    /// `met`, `met late`, `not met`, `not yet due`, `unknown`.
    pub word: &'static str,
    /// `✓`, `~`, `✗`, `·`, `?`.
    pub symbol: &'static str,
    /// `met`, `met_late`, ... (for the style sheet).
    pub class: &'static str,
}

impl StatusWords {
    fn of(status: Status) -> StatusWords {
        StatusWords {
            word: prose::status_words(status),
            symbol: prose::status_symbol(status),
            class: status.as_str(),
        }
    }
}

/// How many measures have a status.
#[derive(Debug, Serialize)]
pub struct Count {
    /// The status.
    pub status: StatusWords,
    /// How many measures.
    pub measures: usize,
}

/// A deadline still to come.
#[derive(Debug, Serialize)]
pub struct NextDeadline {
    /// The date.
    pub date: String,
    /// The measure's number.
    pub measure: String,
    /// The deadline as written (`formal_review`).
    pub written: String,
}

/// A heading of the notice and its measures.
#[derive(Debug, Serialize)]
pub struct Group {
    /// The heading, if the measures stand under one.
    pub name: Option<String>,
    /// Its measures.
    pub measures: Vec<MeasurePart>,
}

/// One measure, in full.
#[derive(Debug, Serialize)]
pub struct MeasurePart {
    /// Its number.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: StatusWords,
    /// Who owes it.
    pub owner: String,
    /// Its next deadline, or none.
    pub next_deadline: Option<String>,
    /// The notice's own words.
    pub text: Option<String>,
    /// Each requirement.
    pub requirements: Vec<RequirementPart>,
    /// A chart for each metric its requirements read (SVG, escaped).
    pub charts: Vec<String>,
    /// The metrics charted, for the Markdown paper (which leaves charts out).
    pub charted: Vec<String>,
}

/// One requirement, in plain English.
#[derive(Debug, Serialize)]
pub struct RequirementPart {
    /// `required` or `expected (a warning if not met)`.
    pub kind: &'static str,
    /// The rule as written.
    pub rule: String,
    /// Its status.
    pub status: StatusWords,
    /// Who owes it.
    pub owner: String,
    /// Why, with the values.
    pub reason: String,
    /// `due by 2012-07-23 (formal_review = issued + 6 months)`, or none.
    pub deadline: Option<String>,
    /// Notes: stale data, values carried forward, late reports, the projection.
    pub notes: Vec<String>,
    /// Each record found: date and reference.
    pub evidence: Vec<EvidenceLine>,
    /// The data rows cited, as `file:line`.
    pub rows: Vec<String>,
}

/// A record of the evidence trail.
#[derive(Debug, Serialize)]
pub struct EvidenceLine {
    /// Its date.
    pub date: String,
    /// Its reference.
    pub reference: String,
}

/// A measure's statuses along the strip.
#[derive(Debug, Serialize)]
pub struct StripRow {
    /// The measure's number.
    pub id: String,
    /// One status a month.
    pub cells: Vec<StatusWords>,
}

/// A change of status.
#[derive(Debug, Serialize)]
pub struct ChangeRow {
    /// When.
    pub date: String,
    /// The measure's number.
    pub measure: String,
    /// From.
    pub from: StatusWords,
    /// To.
    pub to: StatusWords,
}

/// The paper of a notice as of an evaluation, with its status strip from
/// the notice's date to the evaluation date, month by month.
pub fn paper(notice: &Notice, data: &DataSet, outcome: &Outcome, options: Options) -> Paper {
    let as_of = outcome.as_of;
    let steps = eval::steps(notice.issued, as_of.max(notice.issued), Period::Month);
    let timeline = eval::timeline(notice, data, &steps, options);
    let mut counts: Vec<Count> = Vec::new();
    for status in [
        Status::NotMet,
        Status::Unknown,
        Status::NotYetDue,
        Status::MetLate,
        Status::Met,
    ] {
        let n = outcome
            .measures
            .iter()
            .filter(|m| m.status == status)
            .count();
        if n > 0 {
            counts.push(Count {
                status: StatusWords::of(status),
                measures: n,
            });
        }
    }
    let mut next_deadlines: Vec<(Date, NextDeadline)> = notice
        .measures
        .iter()
        .flat_map(|m| {
            m.requirements.iter().filter_map(move |r| {
                let d = r.deadline.as_ref()?;
                (d.date > as_of).then(|| {
                    (
                        d.date,
                        NextDeadline {
                            date: d.date.to_string(),
                            measure: m.id.clone(),
                            written: d.written.clone(),
                        },
                    )
                })
            })
        })
        .collect();
    next_deadlines.sort_by_key(|(d, _)| *d);
    next_deadlines.dedup_by(|a, b| a.0 == b.0 && a.1.measure == b.1.measure);
    let mut groups: Vec<Group> = Vec::new();
    for m in &outcome.measures {
        let Some(measure) = notice.measures.get(m.index) else {
            continue;
        };
        let part = measure_part(notice, data, outcome, m);
        match groups.last_mut() {
            Some(g) if g.name == measure.group => g.measures.push(part),
            _ => groups.push(Group {
                name: measure.group.clone(),
                measures: vec![part],
            }),
        }
    }
    let strip = notice
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| StripRow {
            id: m.id.clone(),
            cells: timeline
                .measure_statuses(i)
                .into_iter()
                .map(StatusWords::of)
                .collect(),
        })
        .collect();
    let mut changes: Vec<(Date, ChangeRow)> = Vec::new();
    for (i, m) in notice.measures.iter().enumerate() {
        for c in timeline.changes(&timeline.measure_statuses(i)) {
            changes.push((
                c.date,
                ChangeRow {
                    date: c.date.to_string(),
                    measure: m.id.clone(),
                    from: StatusWords::of(c.from),
                    to: StatusWords::of(c.to),
                },
            ));
        }
    }
    changes.sort_by_key(|(d, _)| *d);
    Paper {
        id: notice.id.clone(),
        title: notice.title.clone(),
        authority: notice.authority.clone(),
        issued: notice.issued.to_string(),
        as_of: as_of.to_string(),
        known_at: outcome
            .known_at
            .map_or_else(|| "every version".to_string(), |d| d.to_string()),
        status: StatusWords::of(outcome.status),
        counts,
        next_deadlines: next_deadlines.into_iter().take(5).map(|(_, d)| d).collect(),
        groups,
        strip_months: steps
            .iter()
            .map(|d| d.format("%Y-%m").to_string())
            .collect(),
        strip,
        changes: changes.into_iter().map(|(_, c)| c).collect(),
        key: [
            Status::Met,
            Status::MetLate,
            Status::NotMet,
            Status::NotYetDue,
            Status::Unknown,
        ]
        .into_iter()
        .map(StatusWords::of)
        .collect(),
    }
}

fn measure_part(
    notice: &Notice,
    data: &DataSet,
    outcome: &Outcome,
    m: &eval::MeasureOutcome,
) -> MeasurePart {
    let measure = &notice.measures[m.index];
    let as_of = outcome.as_of;
    // Rows are named from the notice's folder, whatever path it was given by.
    let folder = crate::folder_of(std::path::Path::new(&*notice.source.name));
    let requirements = m
        .requirements
        .iter()
        .filter_map(|v| {
            let r = measure.requirements.get(v.index)?;
            let deadline = r.deadline.as_ref().map(|d| prose::deadline_line(notice, d));
            let mut notes: Vec<String> = v.notes.iter().map(|n| prose::note(notice, n)).collect();
            if let Some(risk) = &v.at_risk {
                notes.push(prose::at_risk(notice, risk));
            }
            let mut evidence = Vec::new();
            records(&v.finding, &mut evidence);
            Some(RequirementPart {
                kind: match v.kind {
                    crate::ast::Kind::Require => "required",
                    crate::ast::Kind::Expect => "expected (a warning if not met)",
                },
                rule: r.rule.clone(),
                status: StatusWords::of(v.status),
                owner: r.owner.clone(),
                reason: prose::reason(notice, r, v),
                deadline,
                notes,
                evidence,
                rows: v
                    .sources
                    .iter()
                    .map(|p| data.describe_within(*p, folder))
                    .collect(),
            })
        })
        .collect();
    let next_deadline = measure
        .requirements
        .iter()
        .filter_map(|r| r.deadline.as_ref().map(|d| d.date))
        .filter(|d| *d > as_of)
        .min()
        .map(|d| d.to_string());
    let charts: Vec<Chart> = metric_charts(notice, data, measure, as_of);
    MeasurePart {
        id: measure.id.clone(),
        title: measure.title.clone(),
        status: StatusWords::of(m.status),
        owner: measure.owner.clone(),
        next_deadline,
        text: measure.text.clone(),
        requirements,
        charted: charts.iter().map(|c| c.title.clone()).collect(),
        charts: charts.iter().map(chart::svg).collect(),
    }
}

/// The records a finding rests on, oldest first, once each.
fn records(f: &Finding, out: &mut Vec<EvidenceLine>) {
    let mut push = |date: Date, reference: &str| {
        let line = EvidenceLine {
            date: date.to_string(),
            reference: reference.to_string(),
        };
        if !out
            .iter()
            .any(|l| l.date == line.date && l.reference == line.reference)
        {
            out.push(line);
        }
    };
    match &f.detail {
        Detail::Evidence {
            record: Some(r), ..
        } => push(r.date, &r.reference),
        Detail::Compare { left, right, .. } => {
            for t in left.terms.iter().chain(&right.terms) {
                if let TermRead::Records(c) = &t.read {
                    for r in &c.records {
                        push(r.date, &r.reference);
                    }
                }
            }
        }
        _ => {
            for child in f.children() {
                records(child.finding(), out);
            }
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date));
}

/// A chart for each metric the measure's requirements read: the council's
/// series, each comparator area named, the target and baseline values, and
/// the deadlines, from a year before the notice to the evaluation date.
fn metric_charts(
    notice: &Notice,
    data: &DataSet,
    measure: &crate::check::model::Measure,
    as_of: Date,
) -> Vec<Chart> {
    let from = notice.issued - chrono::Months::new(12);
    let to = as_of.max(notice.issued);
    let mut charts: Vec<(MetricId, Chart)> = Vec::new();
    for r in &measure.requirements {
        let mut reads: Vec<(MetricId, Option<String>, Option<Date>)> = Vec::new();
        let mut levels: Vec<Level> = Vec::new();
        metric_reads(&r.condition, &mut reads, &mut levels);
        for (metric, area, baseline) in reads {
            let Some(m) = notice.metric(metric) else {
                continue;
            };
            let chart = match charts.iter_mut().find(|(id, _)| *id == metric) {
                Some((_, c)) => c,
                None => {
                    let own = series(data, metric, None, &notice.authority, true);
                    charts.push((
                        metric,
                        Chart {
                            title: format!("{} ({})", m.name, notice.authority),
                            from,
                            to,
                            series: vec![own],
                            levels: Vec::new(),
                            deadlines: Vec::new(),
                        },
                    ));
                    let Some((_, c)) = charts.last_mut() else {
                        continue;
                    };
                    c
                }
            };
            if let Some(a) = area {
                if !chart.series.iter().any(|s| s.name == a) {
                    chart.series.push(series(data, metric, Some(&a), &a, false));
                }
            }
            if let Some(at) = baseline {
                let base = data
                    .series(metric, None)
                    .iter()
                    .rev()
                    .find(|o| o.date <= at)
                    .and_then(|o| number(&o.value).map(|v| (o.value.to_string(), v)));
                if let Some((text, v)) = base {
                    chart.levels.push(Level {
                        name: format!("baseline {text} at {at}"),
                        value: v,
                    });
                }
            }
            for level in &levels {
                if !chart.levels.iter().any(|l| l.name == level.name) {
                    chart.levels.push(level.clone());
                }
            }
            if let Some(d) = &r.deadline {
                let label = format!("{} {}", d.written, d.date);
                if !chart.deadlines.iter().any(|(_, l)| *l == label) {
                    chart.deadlines.push((d.date, label));
                }
            }
        }
    }
    charts.into_iter().map(|(_, c)| c).collect()
}

/// The metrics a condition reads (with the area and any baseline date), and
/// the constant targets it compares them with.
fn metric_reads(
    cond: &Cond,
    reads: &mut Vec<(MetricId, Option<String>, Option<Date>)>,
    levels: &mut Vec<Level>,
) {
    match cond {
        Cond::All(items, _) | Cond::Any(items, _) => {
            for c in items {
                metric_reads(c, reads, levels);
            }
        }
        Cond::Not(c, _) => metric_reads(c, reads, levels),
        Cond::Evidence(..) => {}
        Cond::Trend { metric, area, .. } => reads.push((*metric, area.clone(), None)),
        Cond::Compare { lhs, op, rhs, .. } => {
            for side in [lhs, rhs] {
                for (_, t) in &side.terms {
                    if let Term::Metric {
                        metric,
                        area,
                        window,
                        ..
                    } = t
                    {
                        let baseline = match window {
                            Window::At(d) => Some(*d),
                            _ => None,
                        };
                        reads.push((*metric, area.clone(), baseline));
                    }
                }
            }
            if let [(_, Term::Const(v))] = rhs.terms.as_slice() {
                if let Some(n) = number(v) {
                    levels.push(Level {
                        name: format!("target {} {v}", op.symbol()),
                        value: n,
                    });
                }
            }
        }
    }
}

fn series(data: &DataSet, metric: MetricId, area: Option<&str>, name: &str, own: bool) -> Series {
    Series {
        name: name.to_string(),
        points: data
            .series(metric, area)
            .iter()
            .filter_map(|o| Some((o.date, number(&o.value)?)))
            .collect(),
        own,
    }
}

/// A value as a number to draw (a rating by its rank).
fn number(v: &Value) -> Option<f64> {
    use rust_decimal::prelude::ToPrimitive;
    match v {
        Value::Num(n, _) => n.to_f64(),
        Value::Rating { rank, .. } => Some(*rank as f64),
    }
}

/// The paper in HTML: one file, its style inline, no script, no external reference.
pub fn html(paper: &Paper) -> Result<String, minijinja::Error> {
    render(
        "report.html",
        include_str!("../../templates/report.html"),
        paper,
    )
}

/// The paper in Markdown, for a board paper (charts left out, with a note).
pub fn markdown(paper: &Paper) -> Result<String, minijinja::Error> {
    render(
        "report.md",
        include_str!("../../templates/report.md"),
        paper,
    )
}

fn render(name: &str, source: &str, paper: &Paper) -> Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    // HTML escapes every value; Markdown escapes nothing, so its template
    // writes data only where Markdown cannot be broken by it.
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.add_filter("md", markdown_text);
    env.add_template(name, source)?;
    env.get_template(name)?.render(paper)
}

/// Text made inert in Markdown: characters that would start markup or a
/// table cell are escaped, and line ends become spaces.
fn markdown_text(text: String) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        // `_` inside a word (`formal_review`) starts no emphasis.
        let in_word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|n| n.is_alphanumeric())
        };
        match c {
            '_' if in_word(i.checked_sub(1)) && in_word(Some(i + 1)) => out.push('_'),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
