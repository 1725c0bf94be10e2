//! `notice explain`: one measure's evaluation, every sub-condition with its
//! values and status, in plain English.

use crate::ast::Kind;
use crate::check::model::DeadlineKind;
use crate::check::Notice;
use crate::data::DataSet;
use crate::eval::{self, Outcome, Status};

/// A status in words.
fn words(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::MetLate => "met late",
        Status::NotMet => "not met",
        Status::NotYetDue => "not yet due",
        Status::Unknown => "unknown",
    }
}

/// Explains the measure at `index` of an outcome.
pub fn explain(
    notice: &Notice,
    data: &DataSet,
    outcome: &Outcome,
    index: usize,
    options: eval::Options,
) -> String {
    let Some(m) = outcome.measures.iter().find(|m| m.index == index) else {
        return String::new();
    };
    let Some(measure) = notice.measures.get(index) else {
        return String::new();
    };
    let mut out = format!(
        "measure {} ({}): {} as of {}\n",
        measure.id,
        measure.title,
        words(m.status),
        outcome.as_of
    );
    if let Some(text) = &measure.text {
        out.push_str(&format!("  the notice: \"{text}\"\n"));
    }
    for v in &m.requirements {
        let Some(r) = measure.requirements.get(v.index) else {
            continue;
        };
        let kind = match v.kind {
            Kind::Require => "required",
            Kind::Expect => "expected (a warning if not met)",
        };
        out.push_str(&format!("\n  {} — {}, {kind}\n", r.rule, words(v.status)));
        out.push_str(&format!("    {}\n", v.reason));
        if let Some(d) = &r.deadline {
            let anchor = notice
                .milestones
                .iter()
                .find(|ms| ms.name == d.written)
                .map(|ms| format!(" ({} = {})", ms.name, ms.definition))
                .unwrap_or_default();
            let when = match d.kind {
                DeadlineKind::By => "due by",
                DeadlineKind::After => "assessed from",
                DeadlineKind::Every { .. } => "recurring until",
            };
            out.push_str(&format!("    {when} {}{anchor}\n", d.date));
        }
        if let Some(risk) = &v.at_risk {
            out.push_str(&format!("    {risk}\n"));
        }
        for note in &v.notes {
            out.push_str(&format!("    note: {note}\n"));
        }
        let tree = eval::explain_condition(notice, data, r, outcome.as_of, options);
        if tree.len() > 1 {
            out.push_str(&format!("    as of {}, part by part:\n", outcome.as_of));
            for node in tree {
                let pad = "  ".repeat(node.depth + 3);
                out.push_str(&format!("{pad}{}: {}", node.text, node.outcome));
                if !node.reason.is_empty() {
                    out.push_str(&format!(" — {}", node.reason));
                }
                out.push('\n');
            }
        }
        if !v.sources.is_empty() {
            let rows: Vec<String> = v.sources.iter().map(|p| data.describe(*p)).collect();
            out.push_str(&format!("    data: {}\n", rows.join(", ")));
        }
    }
    out
}
