//! Evaluation failures as diagnostics: the rule underlined, the values, the
//! data rows that decided it, and the deadline.

use miette::{Diagnostic, LabeledSpan, Severity, SourceSpan};
use thiserror::Error;

use crate::ast::Kind;
use crate::check::Notice;
use crate::data::DataSet;
use crate::diagnostics::{Code, Coded};
use crate::eval::{Outcome, Status};

use super::prose;

/// A requirement that is not met, or cannot be judged.
#[derive(Debug, Error)]
#[error("{message}")]
struct VerdictDiagnostic {
    message: String,
    code: Code,
    src: crate::source::Named,
    span: SourceSpan,
    label: String,
    help: String,
    rows: Vec<DataRow>,
}

/// A data row behind a verdict, shown with its file.
#[derive(Debug, Error)]
#[error("{message}")]
struct DataRow {
    message: String,
    src: crate::source::Named,
    span: SourceSpan,
}

impl Diagnostic for DataRow {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("this row".to_string()),
            self.span,
        ))))
    }
}

impl Coded for VerdictDiagnostic {
    fn diagnostic_code(&self) -> Code {
        self.code
    }
}

impl Diagnostic for VerdictDiagnostic {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.rows.is_empty() {
            return None;
        }
        Some(Box::new(self.rows.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// A diagnostic for each requirement that is not met or unknown (and each
/// `expect` that fails, as a warning).
pub fn verdict_diagnostics(
    notice: &Notice,
    data: &DataSet,
    outcome: &Outcome,
) -> Vec<crate::Diagnostic> {
    let mut out = Vec::new();
    for m in &outcome.measures {
        let Some(measure) = notice.measures.get(m.index) else {
            continue;
        };
        for v in &m.requirements {
            let stale = v
                .notes
                .iter()
                .any(|n| matches!(n, crate::eval::Note::Stale { .. }));
            let older = v.notes.iter().any(|n| {
                matches!(
                    n,
                    crate::eval::Note::Withheld { .. } | crate::eval::Note::OlderThanPeriod { .. }
                )
            });
            if !matches!(v.status, Status::NotMet | Status::Unknown)
                && !stale
                && !older
                && v.at_risk.is_none()
            {
                continue;
            }
            let Some(r) = measure.requirements.get(v.index) else {
                continue;
            };
            let (code, what) = match (v.status, v.kind) {
                (Status::NotYetDue, _) if v.at_risk.is_some() => {
                    (Code::EvalAtRisk, "at risk of missing its deadline")
                }
                (Status::Met | Status::MetLate | Status::NotYetDue, _) if stale => {
                    (Code::EvalStaleData, "judged on stale data")
                }
                (Status::Met | Status::MetLate | Status::NotYetDue, _) => {
                    (Code::EvalOlderFigure, "judged on an older figure")
                }
                (Status::NotMet, Kind::Require) => (Code::EvalNotMet, "requirement not met"),
                (Status::NotMet, Kind::Expect) => {
                    (Code::EvalExpectationNotMet, "expectation not met")
                }
                _ if v.finding.uncomputable() => (
                    Code::EvalUnknown,
                    "cannot judge requirement: a value is too large to compute exactly",
                ),
                _ => (Code::EvalUnknown, "cannot judge requirement: data missing"),
            };
            // A warning (at risk, stale data, an expectation) may be
            // silenced at its requirement by `// allow(NAME)`.
            if code.severity() == Severity::Warning
                && crate::check::lint::silenced(&notice.source, code, r.span)
            {
                continue;
            }
            let (observed, required) = (
                prose::observed(notice, &v.finding),
                prose::required(notice, &v.finding),
            );
            let label = match (&observed, &required) {
                (Some(o), Some(r)) => format!("observed {o}, required {r}"),
                (None, Some(r)) => format!("required {r}"),
                (Some(o), None) => format!("observed {o}"),
                (None, None) => "this requirement".to_string(),
            };
            let reason = prose::reason(notice, r, v);
            let mut help = match &v.at_risk {
                Some(risk) => format!("{}\n{reason}", prose::at_risk(notice, risk)),
                None => reason,
            };
            for note in &v.notes {
                help.push_str(&format!("\nnote: {}", prose::note(notice, note)));
            }
            if v.status == Status::Unknown && !v.finding.uncomputable() {
                help.push_str("\nadd the missing observations to the data set, or check the metric and area names");
            }
            let rows = v
                .sources
                .iter()
                .filter_map(|p| {
                    let file = data.file(*p)?;
                    Some(DataRow {
                        message: format!("data: {}", data.describe(*p)),
                        src: file.named(),
                        span: file.line_span(p.line as usize).into(),
                    })
                })
                .collect();
            out.push(crate::Diagnostic::from(VerdictDiagnostic {
                message: format!("measure {} ({}): {what}", measure.id, measure.title),
                code,
                src: notice.source.named(),
                span: r.span.into(),
                label,
                help,
                rows,
            }));
        }
    }
    out
}
