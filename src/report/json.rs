//! The JSON form of an outcome. Its shape is documented in `docs/json.md`
//! and kept stable: fields are added, never renamed or removed.

use serde::Serialize;

use crate::ast::Kind;
use crate::check::Notice;
use crate::data::DataSet;
use crate::eval::{Outcome, Status};

use super::prose;
use super::trace_json::{JsonFinding, JsonProjection, JsonSource, JsonTiming, TraceJson};

/// The whole outcome.
#[derive(Debug, Serialize)]
pub struct JsonOutcome {
    /// The notice's identifier.
    pub(crate) notice: String,
    /// The evaluation date.
    pub(crate) as_of: String,
    /// Only figures published on or before this date were read (`--known-at`), or null.
    pub(crate) known_at: Option<String>,
    /// The notice's status.
    pub(crate) status: Status,
    /// With `--owner`: the owner whose part is shown (then only it is); else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) owner: Option<String>,
    /// One entry per measure.
    pub(crate) measures: Vec<JsonMeasure>,
}

/// One measure.
#[derive(Debug, Serialize)]
pub(crate) struct JsonMeasure {
    /// Its number.
    pub(crate) id: String,
    /// Its title.
    pub(crate) title: String,
    /// Its group, or null.
    pub(crate) group: Option<String>,
    /// Its status.
    pub(crate) status: Status,
    /// How a board reads it: `red`, `amber`, `unknown`, `not_yet_due` or `green` (docs/report.md).
    pub(crate) rag: super::paper::rag::Rag,
    /// Why it reads amber, in a few words; else null.
    pub(crate) amber: Option<String>,
    /// The notice's own words, or null.
    pub(crate) text: Option<String>,
    /// Who owes it: its `owner`, or the notice's authority.
    pub(crate) owner: String,
    /// One entry per requirement.
    pub(crate) requirements: Vec<JsonRequirement>,
}

/// One requirement's verdict.
#[derive(Debug, Serialize)]
pub(crate) struct JsonRequirement {
    /// Its status.
    pub(crate) status: Status,
    /// `require` or `expect`.
    pub(crate) kind: Kind,
    /// Who owes it: its `owner`, its measure's, or the notice's authority.
    pub(crate) owner: String,
    /// The rule's source text, on one line.
    pub(crate) rule: String,
    /// One-based line of the rule.
    pub(crate) line: usize,
    /// One-based column of the rule.
    pub(crate) column: usize,
    /// The deadline (YYYY-MM-DD), or null.
    pub(crate) deadline: Option<String>,
    /// What was observed, or null.
    pub(crate) observed: Option<String>,
    /// What was required, or null.
    pub(crate) required: Option<String>,
    /// The deciding data rows as `file:line`, joined by `; `, or null.
    pub(crate) source: Option<String>,
    /// Why, in a sentence.
    pub(crate) reason: String,
    /// Notes: stale data, a missing-data policy applied.
    pub(crate) notes: Vec<String>,
    /// For a requirement not yet due whose trend projects a miss: the projection; else null.
    pub(crate) at_risk: Option<String>,
    /// The deciding data rows, each as `{file, line}`.
    pub(crate) sources: Vec<JsonSource>,
    /// The deadline: its kind, date, how it was written, the milestone it came from.
    pub(crate) timing: JsonTiming,
    /// The projection behind `at_risk`, as data, or null.
    pub(crate) projection: Option<JsonProjection>,
    /// What the condition came to, as a tree of findings (docs/json.md).
    pub(crate) trace: JsonFinding,
}

/// Builds the JSON form of an outcome.
pub fn to_json(notice: &Notice, data: &DataSet, outcome: &Outcome) -> JsonOutcome {
    let trace = TraceJson { notice, data };
    let measures = outcome
        .measures
        .iter()
        .filter_map(|m| {
            let measure = notice.measures.get(m.index)?;
            let requirements = m
                .requirements
                .iter()
                .filter_map(|v| {
                    let r = measure.requirements.get(v.index)?;
                    let sources: Vec<String> =
                        v.sources.iter().map(|p| data.describe(*p)).collect();
                    Some(JsonRequirement {
                        status: v.status,
                        kind: v.kind,
                        owner: r.owner.clone(),
                        rule: r.rule.clone(),
                        line: r.line,
                        column: r.column,
                        deadline: v.deadline.map(|d| d.to_string()),
                        observed: prose::observed(notice, &v.finding),
                        required: prose::required(notice, &v.finding),
                        source: (!sources.is_empty()).then(|| sources.join("; ")),
                        reason: prose::reason(notice, r, v),
                        notes: v.notes.iter().map(|n| prose::note(notice, n)).collect(),
                        at_risk: v.at_risk.as_ref().map(|p| prose::at_risk(notice, p)),
                        sources: trace.sources(&v.sources),
                        timing: trace.timing(r, v.timing),
                        projection: v.at_risk.as_ref().map(|p| trace.projection(p)),
                        trace: trace.finding(&v.finding),
                    })
                })
                .collect();
            let (rag, amber) = super::paper::rag::reading(m, outcome.as_of);
            Some(JsonMeasure {
                id: measure.id.clone(),
                title: measure.title.clone(),
                group: measure.group.clone(),
                status: m.status,
                rag,
                amber: amber.map(prose::board::amber_why),
                text: measure.text.clone(),
                owner: measure.owner.clone(),
                requirements,
            })
        })
        .collect();
    JsonOutcome {
        notice: outcome.notice.clone(),
        as_of: outcome.as_of.to_string(),
        known_at: outcome.known_at.map(|d| d.to_string()),
        status: outcome.status,
        owner: outcome.owner.clone(),
        measures,
    }
}
