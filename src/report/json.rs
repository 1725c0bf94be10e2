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
    pub notice: String,
    /// The evaluation date.
    pub as_of: String,
    /// Only figures published on or before this date were read (`--known-at`), or null.
    pub known_at: Option<String>,
    /// The notice's status.
    pub status: Status,
    /// With `--owner`: the owner whose part is shown (then only it is); else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// One entry per measure.
    pub measures: Vec<JsonMeasure>,
}

/// One measure.
#[derive(Debug, Serialize)]
pub struct JsonMeasure {
    /// Its number.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its group, or null.
    pub group: Option<String>,
    /// Its status.
    pub status: Status,
    /// The notice's own words, or null.
    pub text: Option<String>,
    /// Who owes it: its `owner`, or the notice's authority.
    pub owner: String,
    /// One entry per requirement.
    pub requirements: Vec<JsonRequirement>,
}

/// One requirement's verdict.
#[derive(Debug, Serialize)]
pub struct JsonRequirement {
    /// Its status.
    pub status: Status,
    /// `require` or `expect`.
    pub kind: Kind,
    /// Who owes it: its `owner`, its measure's, or the notice's authority.
    pub owner: String,
    /// The rule's source text, on one line.
    pub rule: String,
    /// One-based line of the rule.
    pub line: usize,
    /// One-based column of the rule.
    pub column: usize,
    /// The deadline (YYYY-MM-DD), or null.
    pub deadline: Option<String>,
    /// What was observed, or null.
    pub observed: Option<String>,
    /// What was required, or null.
    pub required: Option<String>,
    /// The deciding data rows as `file:line`, joined by `; `, or null.
    pub source: Option<String>,
    /// Why, in a sentence.
    pub reason: String,
    /// Notes: stale data, a missing-data policy applied.
    pub notes: Vec<String>,
    /// For a requirement not yet due whose trend projects a miss: the projection; else null.
    pub at_risk: Option<String>,
    /// The deciding data rows, each as `{file, line}`.
    pub sources: Vec<JsonSource>,
    /// The deadline: its kind, date, how it was written, the milestone it came from.
    pub timing: JsonTiming,
    /// The projection behind `at_risk`, as data, or null.
    pub projection: Option<JsonProjection>,
    /// What the condition came to, as a tree of findings (docs/json.md).
    pub trace: JsonFinding,
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
            Some(JsonMeasure {
                id: measure.id.clone(),
                title: measure.title.clone(),
                group: measure.group.clone(),
                status: m.status,
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
