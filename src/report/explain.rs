//! `notice explain`: one measure's evaluation, every part of every
//! requirement with its values and status, in plain English. It walks the
//! finding tree the verdict was decided on, so the two cannot disagree.

use crate::ast::Kind;
use crate::check::model::DeadlineKind;
use crate::check::Notice;
use crate::data::{DataSet, Provenance};
use crate::eval::trace::Child;
use crate::eval::{self, Finding, Outcome, Status, Truth, Verdict};

use super::prose;

/// One line of an explanation: a part of a condition and what it came to.
#[derive(Debug, Clone)]
pub struct Explained {
    /// How deep the part sits in its requirement (0 is the whole condition).
    pub depth: usize,
    /// The part as written, on one line (a period's label for a period).
    pub text: String,
    /// Whether it holds.
    pub truth: Truth,
    /// Why, with the values.
    pub reason: String,
    /// The data rows behind it.
    pub sources: Vec<Provenance>,
}

/// The verdict's finding tree, outermost first: the root is the finding
/// the verdict was decided on.
pub fn explain_tree(notice: &Notice, verdict: &Verdict) -> Vec<Explained> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, &Finding, usize)> =
        vec![(one_line(notice, &verdict.finding), &verdict.finding, 0)];
    while let Some((text, finding, depth)) = stack.pop() {
        // The root carries the truth the verdict acted on (a missing figure
        // under "missing means not met" fails there); parts keep their own.
        let truth = if depth == 0 {
            finding.decisive()
        } else {
            finding.truth
        };
        out.push(Explained {
            depth,
            text,
            truth,
            reason: prose::finding(notice, finding),
            sources: finding.sources(),
        });
        for child in finding.children().into_iter().rev() {
            let text = match child {
                Child::Part(f) => one_line(notice, f),
                Child::Period(p) => format!("in {}", super::prose::period_label(p.cadence, p.span)),
            };
            stack.push((text, child.finding(), depth + 1));
        }
    }
    out
}

fn one_line(notice: &Notice, f: &Finding) -> String {
    notice
        .source
        .slice(f.span)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Explains the measure at `index` of an outcome.
pub fn explain(notice: &Notice, data: &DataSet, outcome: &Outcome, index: usize) -> String {
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
        prose::status_words(m.status),
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
        out.push_str(&format!(
            "\n  {} — {}, {kind}\n",
            r.rule,
            prose::status_words(v.status)
        ));
        out.push_str(&format!("    {}\n", prose::reason(notice, r, v)));
        if let Some(d) = &r.deadline {
            out.push_str(&format!("    {}\n", prose::deadline_line(notice, d)));
            // Late or missed: what the figure was when it was due.
            if d.kind == DeadlineKind::By && matches!(v.status, Status::MetLate | Status::NotMet) {
                let known = match outcome.known_at {
                    Some(k) => eval::Knowledge::At(k),
                    None => eval::Knowledge::Latest,
                };
                let then = eval::Evaluator::new(notice, data, eval::Options { known }).judge(
                    (index, v.index),
                    r,
                    d.date,
                );
                if let Some(observed) = prose::observed_on(notice, &then.finding) {
                    out.push_str(&format!("    at the deadline: {observed}\n"));
                }
            }
        }
        if let Some(risk) = &v.at_risk {
            out.push_str(&format!("    {}\n", prose::at_risk(notice, risk)));
        }
        for note in &v.notes {
            out.push_str(&format!("    note: {}\n", prose::note(notice, note)));
        }
        let tree = explain_tree(notice, v);
        if tree.len() > 1 {
            out.push_str(&format!("    as of {}, part by part:\n", outcome.as_of));
            for node in tree {
                let pad = "  ".repeat(node.depth + 3);
                out.push_str(&format!(
                    "{pad}{}: {}",
                    node.text,
                    prose::truth_word(node.truth)
                ));
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
