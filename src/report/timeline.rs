//! Renderers of a timeline: a grid for people, JSON for programs.

use chrono::Datelike;
use serde::Serialize;

use crate::check::Notice;
use crate::eval::{Change, Status, Timeline};

/// A grid of measures by steps, then the dates each measure changed.
pub fn timeline_table(notice: &Notice, timeline: &Timeline) -> String {
    let (first, last) = match (timeline.steps.first(), timeline.steps.last()) {
        (Some(f), Some(l)) => (f.to_string(), l.to_string()),
        _ => return format!("{}: no steps\n", notice.id),
    };
    let mut out = format!(
        "{} — {}\n{} steps from {first} to {last}\n\n",
        notice.id,
        notice.title,
        timeline.steps.len()
    );
    let width = notice
        .measures
        .iter()
        .map(|m| m.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    // Two header lines label the columns: each year over its first step
    // (where it fits), and each step's month by its initial.
    let mut years = String::new();
    let mut months = String::new();
    for (i, d) in timeline.steps.iter().enumerate() {
        let new_year = i == 0
            || timeline
                .steps
                .get(i - 1)
                .is_some_and(|p| p.year() != d.year());
        // The first step's year only if the next year's label leaves room.
        let room = timeline
            .steps
            .iter()
            .skip(i + 1)
            .position(|n| n.year() != d.year())
            .is_none_or(|k| k + 1 >= 5);
        if new_year && room && years.chars().count() <= i {
            while years.chars().count() < i {
                years.push(' ');
            }
            years.push_str(&d.year().to_string());
        }
        months.push(
            "JFMAMJJASOND"
                .chars()
                .nth(d.month0() as usize)
                .unwrap_or(' '),
        );
    }
    out.push_str(&format!("  {:<width$}  {}\n", "", years.trim_end()));
    out.push_str(&format!("  {:<width$}  {months}\n", ""));
    for (i, m) in notice.measures.iter().enumerate() {
        let line: String = timeline
            .measure_statuses(i)
            .into_iter()
            .map(super::prose::status_symbol)
            .collect();
        out.push_str(&format!("  {:<width$}  {line}  {}\n", m.id, m.title));
    }
    out.push_str("\n  ✓ met   ~ met late   ✗ not met   · not yet due   ? unknown\n");
    // Columns stand for the first of a month unless said otherwise here.
    let odd: Vec<String> = timeline
        .steps
        .iter()
        .filter(|d| d.day() != 1)
        .map(ToString::to_string)
        .collect();
    let days: std::collections::BTreeSet<u32> = timeline.steps.iter().map(|d| d.day()).collect();
    match (days.iter().next(), days.len()) {
        (Some(1), 1) | (None, _) => {}
        (Some(day), 1) => out.push_str(&format!("  each column is day {day} of its month\n")),
        _ => out.push_str(&format!(
            "  each column is the first of its month, but for {}\n",
            odd.join(", ")
        )),
    }
    out.push_str("\nchanges\n");
    // In date order, measures in the notice's order within a date.
    let mut changes: Vec<(chrono::NaiveDate, usize, Change)> = Vec::new();
    for (i, _) in notice.measures.iter().enumerate() {
        for c in timeline.changes(&timeline.measure_statuses(i)) {
            changes.push((c.date, i, c));
        }
    }
    changes.sort_by_key(|(d, i, _)| (*d, *i));
    for (_, i, c) in changes {
        let id = notice.measures.get(i).map_or("?", |m| m.id.as_str());
        out.push_str(&format!(
            "  {}  {:<width$}  {} → {}\n",
            c.date,
            id,
            super::label(c.from),
            super::label(c.to)
        ));
    }
    out
}

/// The JSON form of a timeline (documented in docs/json.md).
#[derive(Debug, Serialize)]
pub struct JsonTimeline {
    /// The notice's identifier.
    pub(crate) notice: String,
    /// The evaluation dates.
    pub(crate) steps: Vec<String>,
    /// One entry per measure.
    pub(crate) measures: Vec<JsonTimelineMeasure>,
}

/// A measure over the steps.
#[derive(Debug, Serialize)]
pub(crate) struct JsonTimelineMeasure {
    /// The measure's number.
    pub(crate) id: String,
    /// Its status at each step.
    pub(crate) statuses: Vec<Status>,
    /// The steps at which it changed.
    pub(crate) changes: Vec<Change>,
    /// Its requirements over the steps.
    pub(crate) requirements: Vec<JsonTimelineRequirement>,
}

/// A requirement over the steps.
#[derive(Debug, Serialize)]
pub(crate) struct JsonTimelineRequirement {
    /// The rule's source text.
    pub(crate) rule: String,
    /// One-based line of the rule.
    pub(crate) line: usize,
    /// Its status at each step.
    pub(crate) statuses: Vec<Status>,
    /// The steps at which it changed.
    pub(crate) changes: Vec<Change>,
}

/// Builds the JSON form of a timeline.
pub fn timeline_json(notice: &Notice, timeline: &Timeline) -> JsonTimeline {
    let measures = notice
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let statuses = timeline.measure_statuses(i);
            let requirements = m
                .requirements
                .iter()
                .enumerate()
                .map(|(j, r)| {
                    let statuses = timeline.requirement_statuses(i, j);
                    JsonTimelineRequirement {
                        rule: r.rule.clone(),
                        line: r.line,
                        changes: timeline.changes(&statuses),
                        statuses,
                    }
                })
                .collect();
            JsonTimelineMeasure {
                id: m.id.clone(),
                changes: timeline.changes(&statuses),
                statuses,
                requirements,
            }
        })
        .collect();
    JsonTimeline {
        notice: notice.id.clone(),
        steps: timeline.steps.iter().map(ToString::to_string).collect(),
        measures,
    }
}
