//! What the server tells an author about the text under the cursor: hover,
//! completion, and the fixes a diagnostic offers. Every answer is read off
//! the last notice that checked, so a half-typed buffer still gets them.

use lsp_types::{
    CodeAction, CodeActionKind, CompletionItem, CompletionItemKind, Diagnostic as LspDiagnostic,
    InsertTextFormat, Position, Range, TextEdit, WorkspaceEdit,
};

use crate::check::Notice;
use crate::data::DataSet;
use crate::report::prose;

use super::text::{word_at, Lines};

/// What the keywords do, in a line each (hover on a keyword).
const KEYWORDS: &[(&str, &str)] = &[
    ("notice", "`notice NAME { ... }`: one improvement notice: its header, declarations and measures."),
    ("use", "`use \"FILE\"`: declarations (metrics, scales, evidence kinds) from a library file."),
    ("milestone", "`milestone NAME = DATE \"label\"`: a named date, usable wherever a date is."),
    ("metric", "`metric NAME : UNIT, DIRECTION \"label\"`: a figure the data gives, by area and date."),
    ("evidence", "`evidence KIND \"label\"` declares a document; in a rule, `evidence KIND` holds when a record of it is dated in the notice's life."),
    ("scale", "`scale NAME { worst < ... < best }`: the levels of a rating, worst first."),
    ("measure", "`measure \"NUMBER\" \"title\" { ... }`: one measure of the notice, with its requirements."),
    ("group", "`group \"heading\" { measure ... }`: a heading of the notice over its measures."),
    ("require", "`require CONDITION DEADLINE`: the measure is not met unless it holds."),
    ("expect", "`expect CONDITION DEADLINE`: a warning, not a failure, unless it holds."),
    ("by", "`by DATE`: must hold on or before the date."),
    ("before", "`before DATE`: must hold on or before the day before the date."),
    ("after", "`after DATE`: not assessed until the date."),
    ("within", "`within DURATION of DATE`: must hold on or before the date plus the duration."),
    ("every", "`every PERIOD from A until B`: a duty in each whole calendar period between the dates."),
    ("all", "`all { ... }`: every condition inside holds."),
    ("any", "`any { ... }`: at least one condition inside holds."),
    ("not", "`not CONDITION`: the condition does not hold (unknown stays unknown)."),
    ("count", "`count evidence KIND ...` or `count METRIC ...`: how many records or figures the window holds."),
    ("owner", "`owner \"NAME\"`: who owes a measure or a requirement (by default the council)."),
    ("text", "`text \"...\"`: the notice's own words for the measure."),
    ("issued", "`issued`: the notice's date of issue."),
];

/// The hover text of the word at `offset`, in Markdown.
pub(crate) fn hover(
    text: &str,
    offset: usize,
    notice: Option<&Notice>,
    data: Option<&DataSet>,
    as_of: crate::time::Date,
) -> Option<(String, usize, usize)> {
    if let Some(n) = notice {
        if let Some(found) = measure_or_deadline(n, data, offset, as_of, text) {
            return Some(found);
        }
    }
    let (word, start, end) = word_at(text, offset)?;
    let found = notice.and_then(|n| declared(n, data, word, as_of));
    let doc = found.or_else(|| {
        KEYWORDS
            .iter()
            .find(|(k, _)| *k == word)
            .map(|(_, d)| (*d).to_string())
    })?;
    Some((doc, start, end))
}

/// A metric, evidence kind, milestone or scale in words, with what the data says of it.
fn declared(
    n: &Notice,
    data: Option<&DataSet>,
    word: &str,
    as_of: crate::time::Date,
) -> Option<String> {
    if word == "issued" {
        return Some(format!(
            "`issued`: the notice's date, {}",
            prose::date(n.issued)
        ));
    }
    if let Some((id, m)) = n.metric_ids().find(|(_, m)| m.name == word) {
        let mut parts = vec![m.unit.name()];
        if let Some(d) = m.direction {
            parts.push(match d {
                crate::ast::Direction::HigherIsBetter => "higher is better".into(),
                crate::ast::Direction::LowerIsBetter => "lower is better".into(),
            });
        }
        match m.missing {
            crate::ast::MissingPolicy::Unknown => {}
            crate::ast::MissingPolicy::NotMet => parts.push("missing means not met".into()),
            crate::ast::MissingPolicy::CarryForward(d) => {
                parts.push(format!("missing carries forward {}", prose::duration(d)));
            }
        }
        if let Some(f) = m.fresh_within {
            parts.push(format!("fresh within {}", prose::duration(f)));
        }
        if m.stands {
            parts.push("stands until replaced".into());
        }
        let latest = data
            .and_then(|d| {
                let seen = d.series(id, None).iter().rfind(|o| o.date <= as_of)?;
                Some((seen, d))
            })
            .map_or_else(
                || "no figure in the notice's data".to_string(),
                |(o, d)| {
                    format!(
                        "latest figure by {}: {} for {} ({})",
                        prose::date(as_of),
                        o.value,
                        prose::date(o.date),
                        d.describe(o.source)
                    )
                },
            );
        return Some(format!(
            "**{}**\n\nmetric `{}`: {}\n\ndeclared in {}\n\n{latest}",
            prose::labelled(m.description.as_deref(), &m.name),
            m.name,
            parts.join(", "),
            m.declared.file
        ));
    }
    if let Some((id, e)) = n.evidence_ids().find(|(_, e)| e.name == word) {
        let latest = data
            .and_then(|d| {
                let seen = d.evidence(id).iter().rfind(|r| r.date <= as_of)?;
                Some((seen, d))
            })
            .map_or_else(
                || "no record in the notice's data".to_string(),
                |(r, d)| {
                    format!(
                        "latest record by {}: {}, {} ({})",
                        prose::date(as_of),
                        prose::date(r.date),
                        r.reference,
                        d.describe(r.source)
                    )
                },
            );
        return Some(format!(
            "**{}**\n\nevidence kind `{}`, declared in {}\n\n{latest}",
            prose::labelled(e.description.as_deref(), &e.name),
            e.name,
            e.declared.file
        ));
    }
    if let Some(ms) = n.milestones.iter().find(|m| m.name == word) {
        return Some(format!(
            "**{}**: {} — `{}`",
            prose::milestone(ms),
            prose::date(ms.date),
            ms.definition
        ));
    }
    let scale = n.scales.iter().find(|s| &*s.name == word)?;
    let levels: Vec<&str> = scale.levels.iter().map(|l| &**l).collect();
    Some(format!(
        "scale `{}`: {} (worst first)",
        scale.name,
        levels.join(" < ")
    ))
}

/// On a measure's first line, its status as of the date with the reason; in
/// a deadline, the date it comes to.
fn measure_or_deadline(
    n: &Notice,
    data: Option<&DataSet>,
    offset: usize,
    as_of: crate::time::Date,
    text: &str,
) -> Option<(String, usize, usize)> {
    if *n.source.text != *text {
        return None;
    }
    for (index, m) in n.measures.iter().enumerate() {
        for r in &m.requirements {
            if let Some(d) = &r.deadline {
                if d.span.start <= offset && offset <= d.span.end {
                    return Some((prose::deadline_line(n, d), d.span.start, d.span.end));
                }
            }
        }
        let first_line_end = text[m.span.start..]
            .find('\n')
            .map_or(text.len(), |i| m.span.start + i);
        if m.span.start <= offset && offset <= first_line_end {
            let data = data?;
            let outcome = crate::eval::evaluate(n, data, as_of);
            let verdicts = outcome.measures.iter().find(|o| o.index == index)?;
            let mut out = format!(
                "**Measure {}: {}**: {} {} as of {}",
                m.id,
                m.title,
                prose::status_symbol(verdicts.status),
                prose::status_words(verdicts.status),
                prose::date(as_of)
            );
            if let Some(v) = prose::board::deciding(&verdicts.requirements, None) {
                if let Some(r) = m.requirements.get(v.index) {
                    out.push_str(&format!("\n\n{}", prose::reason(n, r, v)));
                }
            }
            return Some((out, m.span.start, first_line_end));
        }
    }
    None
}

/// Completion items for the position: names where a name goes.
pub(crate) fn complete(text: &str, offset: usize, notice: Option<&Notice>) -> Vec<CompletionItem> {
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let before = &text[line_start..offset.min(text.len())];
    // The word being typed is replaced by the item; the one before it says what goes here.
    let typed_start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let head = before[..typed_start].trim_end();
    let previous = head
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or_default();
    let item = |label: &str, kind, detail: Option<String>| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    };
    let Some(n) = notice else {
        return keywords(head.is_empty());
    };
    let metrics = || {
        n.metrics
            .iter()
            .map(|m| {
                item(
                    &m.name,
                    CompletionItemKind::VARIABLE,
                    Some(prose::labelled(m.description.as_deref(), &m.name)),
                )
            })
            .collect::<Vec<_>>()
    };
    let dates = || {
        let mut out: Vec<CompletionItem> = n
            .milestones
            .iter()
            .map(|m| {
                item(
                    &m.name,
                    CompletionItemKind::CONSTANT,
                    Some(format!("{}: {}", prose::milestone(m), prose::date(m.date))),
                )
            })
            .collect();
        out.push(item(
            "issued",
            CompletionItemKind::KEYWORD,
            Some(prose::date(n.issued)),
        ));
        out
    };
    match previous {
        "by" | "before" | "after" | "of" | "from" | "until" | "since" => dates(),
        "evidence" if !head.trim_start().starts_with("evidence") || head.contains('{') => n
            .evidence
            .iter()
            .map(|e| {
                item(
                    &e.name,
                    CompletionItemKind::ENUM_MEMBER,
                    Some(prose::labelled(e.description.as_deref(), &e.name)),
                )
            })
            .collect(),
        ">=" | "<=" | "==" | "!=" | ">" | "<" => {
            // After a rating metric, its scale's levels.
            let left = head
                .trim_end_matches(previous)
                .split_whitespace()
                .last()
                .unwrap_or_default();
            let scale = n
                .metrics
                .iter()
                .find(|m| m.name == left)
                .and_then(|m| match &m.unit {
                    crate::value::Unit::Rating(s) => n.scales.iter().find(|x| x.name == *s),
                    _ => None,
                });
            match scale {
                Some(s) => s
                    .levels
                    .iter()
                    .map(|l| {
                        item(
                            l,
                            CompletionItemKind::ENUM_MEMBER,
                            Some(format!("a level of {}", s.name)),
                        )
                    })
                    .collect(),
                None => metrics(),
            }
        }
        "require" | "expect" | "not" | "and" | "or" | "{" | "(" | "count" => {
            let mut out = metrics();
            for k in ["evidence", "all", "any", "not", "count"] {
                out.push(item(k, CompletionItemKind::KEYWORD, None));
            }
            out
        }
        _ => keywords(head.trim().is_empty()),
    }
}

/// Keywords, and at the start of a line the snippets of a new measure and requirement.
fn keywords(line_start: bool) -> Vec<CompletionItem> {
    let mut out: Vec<CompletionItem> = KEYWORDS
        .iter()
        .map(|(k, d)| CompletionItem {
            label: (*k).to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            detail: Some((*d).to_string()),
            ..CompletionItem::default()
        })
        .collect();
    if line_start {
        out.push(CompletionItem {
            label: "measure (new)".into(),
            kind: Some(CompletionItemKind::SNIPPET),
            detail: Some("a new measure with the notice's words and a requirement".into()),
            insert_text: Some(
                "measure \"${1:number}\" \"${2:title}\" {\n  text \"${3:the notice's words}\"\n  require ${4:condition} by ${5:deadline}\n}".into(),
            ),
            insert_text_format: Some(InsertTextFormat::SNIPPET),
            ..CompletionItem::default()
        });
    }
    out
}

/// The fixes a diagnostic offers: its did-you-mean, a declaration of the
/// undeclared name, and for a warning an `// allow(...)` on the line above.
pub(crate) fn actions(
    url: &lsp_types::Url,
    text: &str,
    diagnostic: &LspDiagnostic,
) -> Vec<CodeAction> {
    let lines = Lines::new(text);
    let help = diagnostic
        .data
        .as_ref()
        .and_then(|d| d.get("help"))
        .and_then(|h| h.as_str())
        .unwrap_or_default();
    let name = diagnostic
        .data
        .as_ref()
        .and_then(|d| d.get("name"))
        .and_then(|h| h.as_str())
        .unwrap_or_default();
    let edit = |range: Range, new: String| WorkspaceEdit {
        changes: Some(
            [(url.clone(), vec![TextEdit::new(range, new)])]
                .into_iter()
                .collect(),
        ),
        ..WorkspaceEdit::default()
    };
    let fix = |title: String, range: Range, new: String, preferred: bool| CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(edit(range, new)),
        is_preferred: Some(preferred),
        ..CodeAction::default()
    };
    let mut out = Vec::new();
    if let Some(suggested) = between(help, "did you mean `", "`?") {
        out.push(fix(
            format!("Change to `{suggested}`"),
            diagnostic.range,
            suggested.to_string(),
            true,
        ));
    }
    if let Some(declaration) = between(help, "declare it: `", "`") {
        // Before the first measure or group, indented as it is.
        let at = ["\n  measure ", "\n  group ", "\n  measure", "\n  group"]
            .iter()
            .filter_map(|k| text.find(k))
            .min()
            .map_or(text.len(), |i| i + 1);
        let p = lines.position(at);
        out.push(fix(
            format!(
                "Declare `{}`",
                declaration.split_whitespace().nth(1).unwrap_or(declaration)
            ),
            Range::new(p, p),
            format!("  {declaration}\n"),
            false,
        ));
    }
    if diagnostic.severity == Some(lsp_types::DiagnosticSeverity::WARNING) && !name.is_empty() {
        let line = diagnostic.range.start.line;
        let start = lines.offset(Position::new(line, 0));
        let indent: String = text[start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let p = Position::new(line, 0);
        out.push(fix(
            format!("Allow `{name}` here"),
            Range::new(p, p),
            format!("{indent}// allow({name})\n"),
            false,
        ));
    }
    out
}

/// The text between two markers.
fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}
