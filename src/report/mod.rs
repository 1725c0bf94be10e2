//! Renderers of an outcome: a table and diagnostics for people, JSON for programs.

mod chart;
pub mod ci;
mod diagnostic;
mod explain;
mod json;
pub(crate) mod junit;
pub mod paper;
pub mod prose;
mod screen;
mod shown;
mod timeline;
mod trace_json;

pub use diagnostic::verdict_diagnostics;
pub use explain::{explain, explain_tree, Explained};
pub use json::{to_json, JsonOutcome};
pub use screen::{screen_csv, screen_json, screen_table, JsonScreen};
pub use shown::shown;
pub use timeline::{timeline_json, timeline_table, JsonTimeline};

use crate::check::Notice;
use crate::eval::{Outcome, Status};

/// The table of measures and statuses.
pub fn table(notice: &Notice, outcome: &Outcome) -> String {
    let owed = match &outcome.owner {
        Some(owner) => format!(", what {owner} owes"),
        None => String::new(),
    };
    let mut out = format!(
        "{} — {}\n{} as of {}{owed}: {}\n\n",
        notice.id,
        notice.title,
        notice.authority,
        outcome.as_of,
        label(outcome.status)
    );
    let id_width = notice
        .measures
        .iter()
        .map(|m| m.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    let mut group: Option<&str> = None;
    for m in &outcome.measures {
        let Some(measure) = notice.measures.get(m.index) else {
            continue;
        };
        if measure.group.as_deref() != group {
            group = measure.group.as_deref();
            if let Some(g) = group {
                out.push_str(&format!("{g}\n"));
            }
        }
        let mut counts = count(m.requirements.iter().map(|v| v.status));
        if m.requirements.iter().any(|v| v.at_risk.is_some()) {
            counts.push_str(" — at risk");
        }
        // A measure owed by a partner says so; the council's own do not repeat it.
        let owner = if measure.owner == notice.authority {
            String::new()
        } else {
            format!(" [{}]", measure.owner)
        };
        out.push_str(&format!(
            "  {:<id_width$}  {:<11}  {}{owner}{}\n",
            measure.id,
            label(m.status),
            measure.title,
            counts
        ));
    }
    out
}

/// A status as the table shows it (loud when not met).
pub fn label(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::MetLate => "met late",
        Status::NotMet => "NOT MET",
        Status::NotYetDue => "not yet due",
        Status::Unknown => "unknown",
    }
}

/// ` (2 of 3 met)` when a measure has several requirements.
fn count(statuses: impl Iterator<Item = Status>) -> String {
    let all: Vec<Status> = statuses.collect();
    if all.len() < 2 {
        return String::new();
    }
    let met = all
        .iter()
        .filter(|s| matches!(s, Status::Met | Status::MetLate))
        .count();
    format!(" ({met} of {} met)", all.len())
}
