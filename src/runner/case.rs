//! One case of a test file: its data loaded the way `eval` loads it, the
//! notice evaluated, and each expectation compared with the verdicts.

use std::path::{Path, PathBuf};

use super::file::{unusable, Case, Text};
use super::{CaseResult, Failure};
use crate::check::Notice;
use crate::diagnostics::Code;
use crate::eval::{self, MeasureOutcome, Outcome, Status};
use crate::report::prose;
use crate::source::{Disk, SourceFile};
use crate::{time, Diagnostic};

/// Runs a case of the test file `path` (text `src`, in folder `dir`).
pub(super) fn run(
    notice: &Notice,
    path: &Path,
    src: &SourceFile,
    case: &Case,
) -> Result<CaseResult, Vec<Diagnostic>> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let as_of = date(src, &case.as_of, "as_of")?;
    let known = match &case.known_at {
        None => eval::Knowledge::AsOf,
        Some(text) => eval::Knowledge::parse(text.get_ref()).ok_or_else(|| {
            vec![unusable(
                Code::TestBadDate,
                src,
                text.span(),
                format!("`{}` is not a date or `latest`", text.get_ref()),
                "known_at",
                Some("`known_at` is a date (YYYY-MM-DD) or `latest`".into()),
            )]
        })?,
    };
    let paths: Vec<PathBuf> =
        if case.data.is_empty() && case.observations.is_none() && case.evidence.is_none() {
            notice.data.clone()
        } else {
            case.data.iter().map(|d| dir.join(d)).collect()
        };
    let mut texts = Vec::new();
    for (kind, text) in [
        ("observations", &case.observations),
        ("evidence", &case.evidence),
    ] {
        if let Some(text) = text {
            texts.push(SourceFile::new(
                format!("{} [{}] {kind}", path.display(), case.name),
                text.trim_start(),
            ));
        }
    }
    // Exactly these paths (inline CSV alone is a whole data set), read the
    // way `eval` reads data, so a bad row gives the same error.
    let data =
        crate::data::load_from(&Disk, notice, &paths, texts).map_err(crate::diagnostics::all)?;
    let outcome = eval::evaluate_with(notice, &data, as_of, eval::Options { known });
    let mut judged = Judged {
        notice,
        src,
        outcome: &outcome,
        failures: Vec::new(),
    };
    judged.expectations(case)?;
    Ok(CaseResult {
        file: path.display().to_string(),
        name: case.name.clone(),
        passed: judged.failures.is_empty(),
        failures: judged.failures,
    })
}

/// A date of the test file, or a located error.
fn date(src: &SourceFile, text: &Text, what: &str) -> Result<time::Date, Vec<Diagnostic>> {
    time::parse_date(text.get_ref()).ok_or_else(|| {
        vec![unusable(
            Code::TestBadDate,
            src,
            text.span(),
            format!("`{}` is not a date", text.get_ref()),
            what,
            Some("dates are YYYY-MM-DD".into()),
        )]
    })
}

/// An evaluated case and the expectations found not to hold so far.
struct Judged<'a> {
    notice: &'a Notice,
    src: &'a SourceFile,
    outcome: &'a Outcome,
    failures: Vec<Failure>,
}

impl Judged<'_> {
    fn expectations(&mut self, case: &Case) -> Result<(), Vec<Diagnostic>> {
        let expect = &case.expect;
        if let Some(expected) = &expect.notice {
            self.compare("notice".into(), expected, self.outcome.status, Vec::new())?;
        }
        for (id, expected) in &expect.measures {
            let m = self.measure(id)?;
            let reasons = m
                .requirements
                .iter()
                .filter(|v| v.status != Status::Met)
                .map(|v| prose::verdict_reason(self.notice, m.index, v))
                .collect();
            self.compare(
                format!("measure {}", id.get_ref()),
                expected,
                m.status,
                reasons,
            )?;
        }
        for r in &expect.requirements {
            let m = self.measure(&r.measure)?;
            let number = *r.number.get_ref();
            let Some(v) = number.checked_sub(1).and_then(|i| m.requirements.get(i)) else {
                return Err(vec![unusable(
                    Code::TestUnknownRequirement,
                    self.src,
                    r.number.span(),
                    format!(
                        "measure `{}` has no requirement number {number}",
                        r.measure.get_ref()
                    ),
                    "no such requirement",
                    Some(format!(
                        "its requirements are numbered 1 to {}",
                        m.requirements.len()
                    )),
                )]);
            };
            let reasons = vec![prose::verdict_reason(self.notice, m.index, v)];
            self.compare(
                format!("measure {} requirement {number}", r.measure.get_ref()),
                &r.status,
                v.status,
                reasons,
            )?;
        }
        Ok(())
    }

    /// Records a failure when the expected status (a status's name, checked)
    /// is not the actual one.
    fn compare(
        &mut self,
        what: String,
        expected_at: &Text,
        actual: Status,
        reasons: Vec<String>,
    ) -> Result<(), Vec<Diagnostic>> {
        let expected = expected_at.get_ref();
        let Some(want) = Status::parse(expected) else {
            return Err(vec![unusable(
                Code::TestUnknownStatus,
                self.src,
                expected_at.span(),
                format!("`{expected}` is not a status"),
                "not a status",
                Some("a status is met, met_late, not_met, not_yet_due or unknown".into()),
            )]);
        };
        if want != actual {
            self.failures.push(Failure {
                what,
                expected: expected.to_string(),
                actual: actual.as_str().to_string(),
                reasons,
            });
        }
        Ok(())
    }

    /// The outcome of the measure a test names, or a located error.
    fn measure(&self, id_at: &Text) -> Result<&MeasureOutcome, Vec<Diagnostic>> {
        let id = id_at.get_ref();
        let index = self.notice.measures.iter().position(|m| m.id == *id);
        index
            .and_then(|i| self.outcome.measures.iter().find(|m| m.index == i))
            .ok_or_else(|| {
                let ids: Vec<&str> = self.notice.measures.iter().map(|m| m.id.as_str()).collect();
                vec![unusable(
                    Code::TestUnknownMeasure,
                    self.src,
                    id_at.span(),
                    format!("the notice has no measure `{id}`"),
                    "no such measure",
                    Some(format!("the measures are {}", ids.join(", "))),
                )]
            })
    }
}
