//! The test file's shape (TOML, spans kept for errors) and what can be
//! wrong with one.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::Code;
use crate::source::SourceFile;
use crate::Diagnostic;

/// A string of the test file with where it is written.
pub(super) type Text = toml::Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TestFile {
    pub(super) notice: String,
    #[serde(default)]
    pub(super) case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Case {
    pub(super) name: String,
    pub(super) as_of: Text,
    #[serde(default)]
    pub(super) known_at: Option<Text>,
    #[serde(default)]
    pub(super) data: Vec<String>,
    #[serde(default)]
    pub(super) observations: Option<String>,
    #[serde(default)]
    pub(super) evidence: Option<String>,
    pub(super) expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Expect {
    #[serde(default)]
    pub(super) notice: Option<Text>,
    #[serde(default)]
    pub(super) measures: BTreeMap<Text, Text>,
    #[serde(default)]
    pub(super) requirements: Vec<RequirementExpect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RequirementExpect {
    pub(super) measure: Text,
    /// 1 for the measure's first requirement.
    pub(super) number: toml::Spanned<usize>,
    pub(super) status: Text,
}

/// A located error of a test file.
pub(super) fn unusable(
    problem: Code,
    src: &SourceFile,
    at: std::ops::Range<usize>,
    message: String,
    label: &str,
    help: Option<String>,
) -> Diagnostic {
    crate::Diagnostic::from(crate::diagnostics::Located {
        code: problem,
        message,
        src: src.named(),
        span: at.into(),
        label: label.to_string(),
        help,
    })
}
