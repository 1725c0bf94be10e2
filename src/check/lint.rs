//! Lints: warnings about a notice that checks but is probably not what its
//! author meant. Each has a stable code (`notice::lint::NAME`) and is
//! silenced on one item by `// allow(NAME)` at the end of the item's first
//! line or on the line above it.

use std::collections::{HashMap, HashSet};

use super::model::{Cond, DeadlineKind, EvidenceId, MetricId, Notice, Term, ValueExpr};
use crate::ast::{self, CmpOp, Decl};
use crate::diagnostics::Code;
use crate::source::{SourceFile, Span};
use crate::syntax::lex;
use crate::time;
use crate::value::{Unit, Value};

/// A lint's warning: a located diagnostic of code `notice::lint::NAME`.
pub(crate) type Lint = crate::diagnostics::Located;

/// The names `allow(...)` takes: every warning's code without its
/// `notice::STAGE::` prefix (`deadline_before_issued`, `stale_data`, ...),
/// from the registry of codes, so a new warning can be silenced too.
pub(crate) fn names() -> Vec<&'static str> {
    Code::ALL
        .iter()
        .filter(|c| c.severity() == miette::Severity::Warning)
        .filter(|c| !matches!(c, Code::LintUnknownAllow | Code::LintMisplacedAllow))
        .map(|c| c.name())
        .collect()
}

/// Whether a warning of `code` at `span` is silenced by `// allow(NAME)`
/// on its first line or the line above (NAME: the code's last part).
pub(crate) fn silenced(src: &SourceFile, code: Code, span: Span) -> bool {
    allowed(src, span, code.name())
}

struct Linter<'a> {
    src: &'a SourceFile,
    out: Vec<Lint>,
}

impl Linter<'_> {
    fn warn(&mut self, code: Code, span: Span, message: String, label: &str, help: String) {
        let name = code.name();
        if allowed(self.src, span, name) {
            return;
        }
        self.out.push(Lint {
            code,
            message,
            label: label.to_string(),
            help: Some(format!(
                "{help}; or silence it here with `// allow({name})`"
            )),
            src: self.src.named(),
            span: span.into(),
        });
    }
}

/// Whether `// allow(name)` stands on the item's first line or the line above.
pub(crate) fn allowed(src: &SourceFile, span: Span, name: &str) -> bool {
    let (line, _) = src.line_col(span.start);
    let directive = format!("allow({name})");
    [line, line.saturating_sub(1)]
        .iter()
        .filter(|&&l| l > 0)
        .any(|&l| {
            let line = src.slice(src.line_span(l));
            lex::comment_start(line)
                .and_then(|at| line.get(at..))
                .is_some_and(|comment| comment.contains(&directive))
        })
}

/// Every `allow(NAME)` written in a comment: its NAME and where it stands.
fn allow_directives(src: &SourceFile) -> Vec<(&str, Span)> {
    let mut out = Vec::new();
    let text: &str = &src.text;
    let comments = lex::pieces(text).filter(|(p, _)| *p == lex::Piece::Comment);
    for (_, range) in comments {
        let comment = text.get(range.clone()).unwrap_or("");
        let mut from = 0;
        while let Some(at) = comment.get(from..).and_then(|l| l.find("allow(")) {
            let name_start = from + at + "allow(".len();
            let Some(len) = comment.get(name_start..).and_then(|l| l.find(')')) else {
                break;
            };
            let name = comment
                .get(name_start..name_start + len)
                .unwrap_or("")
                .trim();
            from = name_start + len;
            let start = range.start + name_start;
            out.push((name, Span::new(start, start + len)));
        }
    }
    out
}

/// Each `// allow(NAME)` whose NAME is no lint: it silences nothing, so
/// it is a warning of its own, with the nearest name.
pub(crate) fn unknown_allows(src: &SourceFile) -> Vec<Lint> {
    let names = names();
    allow_directives(src)
        .into_iter()
        .filter(|(name, _)| !names.contains(name))
        .map(|(name, span)| {
            let help = match crate::check::did_you_mean(name, names.iter().copied()) {
                Some(s) => format!("did you mean `allow({s})`?"),
                None => format!("the warnings that can be silenced are {}", names.join(", ")),
            };
            Lint {
                code: Code::LintUnknownAllow,
                message: format!("`allow({name})` names no warning, so it silences nothing"),
                label: "not a warning's name".into(),
                help: Some(help),
                src: src.named(),
                span: span.into(),
            }
        })
        .collect()
}

/// Each `// allow(NAME)` of a warning about a data file that does not stand
/// on a `data` line (or the line above one): it silences nothing there.
/// (`percent_as_fraction` may stand at the metric's declaration too.)
fn misplaced_allows(notice: &Notice) -> Vec<Lint> {
    let src = &notice.source;
    let line_of = |span: Span| src.line_col(span.start).0;
    let data_lines: HashSet<usize> = notice.data_spans.iter().map(|&s| line_of(s)).collect();
    let metric_lines: HashSet<usize> = notice
        .metric_ids()
        .filter(|(_, m)| *m.declared.file == *src.name)
        .map(|(_, m)| line_of(m.declared.span))
        .collect();
    allow_directives(src)
        .into_iter()
        .filter_map(|(name, span)| {
            let code = *Code::DATA_FILE_WARNINGS.iter().find(|c| c.name() == name)?;
            let line = line_of(span);
            let near = |lines: &HashSet<usize>| lines.contains(&line) || lines.contains(&(line + 1));
            let placed = near(&data_lines)
                || (code == Code::DataPercentAsFraction && near(&metric_lines));
            (!placed).then(|| Lint {
                code: Code::LintMisplacedAllow,
                message: format!("`allow({name})` silences nothing here"),
                label: "not on a `data` line".into(),
                help: Some(format!(
                    "a data file's warnings are allowed on the `data` line that brings the file in (or the line above it): `data \"FILE.csv\" // allow({name})`"
                )),
                src: src.named(),
                span: span.into(),
            })
        })
        .collect()
}

/// The lints of a checked notice, from its declarations as written.
pub(crate) fn lint(notice: &Notice, decls: &[Decl], measures: &[ast::Measure]) -> Vec<Lint> {
    let mut l = Linter {
        src: &notice.source,
        out: Vec::new(),
    };
    let mut metrics_used = HashSet::new();
    let mut evidence_used = HashSet::new();
    for m in &notice.measures {
        for r in &m.requirements {
            r.condition.reads(&mut metrics_used, &mut evidence_used);
        }
    }
    // Names to ids once: a lookup a declaration, not a scan.
    let metric_ids: HashMap<&str, MetricId> = notice
        .metric_ids()
        .map(|(id, m)| (m.name.as_str(), id))
        .collect();
    let evidence_ids: HashMap<&str, EvidenceId> = notice
        .evidence_ids()
        .map(|(id, e)| (e.name.as_str(), id))
        .collect();
    for decl in decls {
        match decl {
            Decl::Metric { name, .. }
                if metric_ids
                    .get(name.node.as_str())
                    .is_some_and(|id| !metrics_used.contains(id)) =>
            {
                l.warn(
                    Code::LintUnusedMetric,
                    name.span,
                    format!(
                        "metric `{}` is declared but no requirement uses it",
                        name.node
                    ),
                    "never used",
                    "use it in a requirement, or remove the declaration".into(),
                );
            }
            Decl::Evidence { name, .. }
                if evidence_ids
                    .get(name.node.as_str())
                    .is_some_and(|id| !evidence_used.contains(id)) =>
            {
                l.warn(
                    Code::LintUnusedEvidence,
                    name.span,
                    format!(
                        "evidence kind `{}` is declared but never required",
                        name.node
                    ),
                    "never required",
                    "require it in a measure, or remove the declaration".into(),
                );
            }
            _ => {}
        }
        missing_label(&mut l, decl);
    }
    for (m, written) in notice.measures.iter().zip(measures) {
        if m.requirements.is_empty() {
            l.warn(
                Code::LintMeasureWithoutRequirement,
                written.id.span,
                format!("measure `{}` has no requirement", m.id),
                "nothing to check",
                "add `require ...` for what the notice asks".into(),
            );
        }
        if m.text.as_deref().is_none_or(|t| t.trim().is_empty()) {
            l.warn(
                Code::LintMeasureWithoutText,
                written.id.span,
                format!("measure `{}` does not quote the notice", m.id),
                "no `text`",
                "add `text \"...\"` with the notice's own words for this measure".into(),
            );
        }
        for r in &m.requirements {
            impossible(&mut l, &r.condition);
            if let Some(d) = &r.deadline {
                if matches!(d.kind, DeadlineKind::Every { from, .. } if time::whole_periods(period_of(d.kind), from, d.date).is_empty())
                {
                    l.warn(
                        Code::LintImpossibleRequirement,
                        d.span,
                        "this recurring duty has no whole period".into(),
                        "no period fits",
                        "widen the dates so that at least one whole week, month or quarter lies between them".into(),
                    );
                }
            }
        }
    }
    confusable(&mut l, decls);
    l.out.extend(unknown_allows(&notice.source));
    l.out.extend(misplaced_allows(notice));
    l.out
}

/// A declaration a paper would have to name by its identifier: reports
/// write a metric, evidence kind or milestone by its label.
fn missing_label(l: &mut Linter, decl: &Decl) {
    let (what, name, example) = match decl {
        Decl::Metric {
            name,
            description: None,
            ..
        } => ("metric", name, "\"Children seen within 7 days\""),
        Decl::Evidence {
            name,
            description: None,
        } => ("evidence kind", name, "\"Action plan agreed by the board\""),
        Decl::Milestone {
            name, label: None, ..
        } => ("milestone", name, "\"Formal review of progress\""),
        _ => return,
    };
    l.warn(
        Code::LintMissingLabel,
        name.span,
        format!(
            "{what} `{}` has no label: reports will call it \"{}\"",
            name.node,
            name.node.replace('_', " ")
        ),
        "no label",
        format!("add the words a reader knows it by at the end of the declaration: {example}"),
    );
}

fn period_of(kind: DeadlineKind) -> ast::Period {
    match kind {
        DeadlineKind::Every { period, .. } => period,
        _ => ast::Period::Month,
    }
}

/// Comparisons no percent can satisfy, and windows longer than the notice's life.
fn impossible(l: &mut Linter<'_>, cond: &Cond) {
    match cond {
        Cond::All(items, _) | Cond::Any(items, _) => {
            for c in items {
                impossible(l, c);
            }
        }
        Cond::Not(c, _) => impossible(l, c),
        Cond::Evidence(..) => {}
        // A window or trend longer than the notice's life is not impossible:
        // it reads history from before the notice, which is what it is for.
        Cond::Trend { .. } => {}
        Cond::Compare { lhs, op, rhs, span } => {
            if let Some(why) = never_true(lhs, *op, rhs) {
                l.warn(
                    Code::LintImpossibleRequirement,
                    *span,
                    format!("this comparison can never hold: {why}"),
                    "never true",
                    "a percent is between 0% and 100%: check the figure and the operator".into(),
                );
            }
        }
    }
}

/// A single percent metric against a literal no percent can meet.
fn never_true(lhs: &ValueExpr, op: CmpOp, rhs: &ValueExpr) -> Option<String> {
    let literal = |v: &ValueExpr| match v.terms.as_slice() {
        [(_, Term::Const(Value::Num(n, Unit::Percent)))] => Some(*n),
        _ => None,
    };
    let single_metric = |v: &ValueExpr| {
        matches!(v.terms.as_slice(), [(_, Term::Metric { .. })]) && v.unit == Unit::Percent
    };
    let hundred = rust_decimal::Decimal::ONE_HUNDRED;
    let zero = rust_decimal::Decimal::ZERO;
    let (n, op) = if single_metric(lhs) {
        (literal(rhs)?, op)
    } else if single_metric(rhs) {
        let flipped = match op {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        };
        (literal(lhs)?, flipped)
    } else {
        return None;
    };
    let impossible = match op {
        CmpOp::Ge | CmpOp::Eq => n > hundred || (op == CmpOp::Eq && n < zero),
        CmpOp::Gt => n >= hundred,
        CmpOp::Le => n < zero,
        CmpOp::Lt => n <= zero,
        CmpOp::Ne => false,
    };
    impossible.then(|| format!("a percent {} {}%", op.symbol(), n.normalize()))
}

/// Names that read alike: the same letters but for case, `_`, `1`/`l`, `0`/`o`, `rn`/`m`.
fn confusable(l: &mut Linter<'_>, decls: &[Decl]) {
    let skeleton = |name: &str| {
        name.to_lowercase()
            .replace('_', "")
            .replace('1', "l")
            .replace('0', "o")
            .replace("rn", "m")
            .replace("vv", "w")
    };
    // Each name's skeleton is made once, and the first name of each
    // skeleton found by lookup: linear in the declarations.
    let mut first: HashMap<String, &ast::Name> = HashMap::new();
    for a in decls.iter().map(Decl::name) {
        let key = skeleton(&a.node);
        match first.get(&key) {
            Some(b) if b.node != a.node => l.warn(
                Code::LintConfusableNames,
                a.span,
                format!("`{}` reads like `{}`", a.node, b.node),
                "easily confused",
                format!("give one of `{}` and `{}` a distinct name", a.node, b.node),
            ),
            Some(_) => {}
            None => {
                first.insert(key, a);
            }
        }
    }
}
