//! The shape of a notice for an editor: where each name is declared and
//! used (across the libraries it `use`s), its groups and measures as an
//! outline, the dates its deadlines come to, each measure's status above
//! it, its formatted text, and its diagnostics in the protocol's terms.

use std::path::{Path, PathBuf};

use lsp_types::{
    CodeLens, Command, DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, InlayHint,
    InlayHintLabel, Location, NumberOrString, SymbolKind, TextEdit, Url,
};

use crate::check::Notice;
use crate::data::DataSet;
use crate::report::prose;
use crate::syntax::lex::{pieces, Piece};
use crate::{Diagnostic, Sources};

use super::state::url_of;
use super::text::Lines;

/// The words of a text's code (not its strings or comments), with their byte ranges.
fn words(text: &str) -> Vec<(&str, usize, usize)> {
    let mut out = Vec::new();
    for (piece, range) in pieces(text) {
        if piece != Piece::Code {
            continue;
        }
        let code = &text[range.clone()];
        let mut start = None;
        for (i, c) in code
            .char_indices()
            .chain(std::iter::once((code.len(), ' ')))
        {
            let word = c.is_ascii_alphanumeric() || c == '_';
            match (word, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push((&code[s..i], range.start + s, range.start + i));
                    start = None;
                }
                _ => {}
            }
        }
    }
    out
}

/// The files a notice reads its names from: itself, then each `use`d library.
pub(crate) fn files_of(path: &Path, text: &str) -> Vec<PathBuf> {
    let mut out = vec![path.to_path_buf()];
    let folder = crate::folder_of(path);
    let mut after_use = false;
    for (piece, range) in pieces(text) {
        match piece {
            Piece::Code => {
                let code = text[range].trim_end();
                after_use = code.ends_with("use") && code.split_whitespace().last() == Some("use");
            }
            Piece::Str { closed: true } if after_use => {
                let name = &text[range.start + 1..range.end - 1];
                out.push(folder.join(name));
                after_use = false;
            }
            _ => after_use = false,
        }
    }
    out
}

/// Where a name is declared: a word after `metric`, `evidence`, `milestone`
/// or `scale` at the start of its line (`metric m with ...` sets policies
/// of a library's metric: a use, not a declaration).
fn declaration_in(text: &str, name: &str) -> Option<(usize, usize)> {
    let ws = words(text);
    ws.windows(3).find_map(|w| {
        let (kw, at, _) = w[0];
        let (word, start, end) = w[1];
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let first_on_line = text[line_start..at].trim().is_empty();
        (first_on_line
            && matches!(kw, "metric" | "evidence" | "milestone" | "scale")
            && word == name
            && w[2].0 != "with")
            .then_some((start, end))
    })
}

/// The declaration of the name at a position, in the notice or its libraries.
pub(crate) fn definition(
    files: &dyn Sources,
    path: &Path,
    text: &str,
    name: &str,
) -> Option<Location> {
    for file in files_of(path, text) {
        let content = if file == path {
            text.to_string()
        } else {
            String::from_utf8(files.read(&file).ok()?).ok()?
        };
        if let Some((start, end)) = declaration_in(&content, name) {
            let lines = Lines::new(&content);
            return Some(Location::new(url_of(&file)?, lines.range(start, end)));
        }
    }
    None
}

/// Every place the name is written in code, in the notice and its libraries.
pub(crate) fn references(
    files: &dyn Sources,
    path: &Path,
    text: &str,
    name: &str,
) -> Vec<Location> {
    let mut out = Vec::new();
    for file in files_of(path, text) {
        let content = if file == path {
            text.to_string()
        } else {
            match files
                .read(&file)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
            {
                Some(c) => c,
                None => continue,
            }
        };
        let lines = Lines::new(&content);
        let Some(url) = url_of(&file) else {
            continue;
        };
        for (word, start, end) in words(&content) {
            if word == name {
                out.push(Location::new(url.clone(), lines.range(start, end)));
            }
        }
    }
    out
}

/// Groups and measures as an outline.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written, though it is.
pub(crate) fn symbols(notice: &Notice, text: &str) -> Vec<DocumentSymbol> {
    if *notice.source.text != *text {
        return Vec::new();
    }
    let lines = Lines::new(text);
    let symbol =
        |name: String, detail: Option<String>, kind, start: usize, end: usize| DocumentSymbol {
            name,
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: lines.range(start, end),
            selection_range: lines.range(start, start),
            children: None,
        };
    let mut out: Vec<DocumentSymbol> = Vec::new();
    let mut group: Option<(String, Vec<DocumentSymbol>, usize, usize)> = None;
    for m in &notice.measures {
        let s = symbol(
            format!("Measure {}", m.id),
            Some(m.title.clone()),
            SymbolKind::OBJECT,
            m.span.start,
            m.span.end,
        );
        match (&mut group, &m.group) {
            (Some((name, children, _, end)), Some(g)) if name == g => {
                children.push(s);
                *end = m.span.end;
            }
            (_, g) => {
                if let Some((name, children, start, end)) = group.take() {
                    let mut parent = symbol(name, None, SymbolKind::NAMESPACE, start, end);
                    parent.children = Some(children);
                    out.push(parent);
                }
                match g {
                    Some(g) => group = Some((g.clone(), vec![s], m.span.start, m.span.end)),
                    None => out.push(s),
                }
            }
        }
    }
    if let Some((name, children, start, end)) = group {
        let mut parent = symbol(name, None, SymbolKind::NAMESPACE, start, end);
        parent.children = Some(children);
        out.push(parent);
    }
    out
}

/// The date each deadline comes to, after the deadline.
pub(crate) fn inlay_hints(notice: &Notice, text: &str) -> Vec<InlayHint> {
    if *notice.source.text != *text {
        return Vec::new();
    }
    let lines = Lines::new(text);
    notice
        .measures
        .iter()
        .flat_map(|m| &m.requirements)
        .filter_map(|r| r.deadline.as_ref())
        .map(|d| InlayHint {
            position: lines.position(d.span.end),
            label: InlayHintLabel::String(format!("= {}", prose::date(d.date))),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect()
}

/// Above each measure, its status as of the date.
pub(crate) fn code_lenses(
    notice: &Notice,
    data: Option<&DataSet>,
    text: &str,
    as_of: crate::time::Date,
) -> Vec<CodeLens> {
    if *notice.source.text != *text {
        return Vec::new();
    }
    let Some(data) = data else {
        return Vec::new();
    };
    let lines = Lines::new(text);
    let outcome = crate::eval::evaluate(notice, data, as_of);
    outcome
        .measures
        .iter()
        .filter_map(|o| {
            let m = notice.measures.get(o.index)?;
            Some(CodeLens {
                range: lines.range(m.span.start, m.span.start),
                command: Some(Command {
                    title: format!(
                        "{} {} as of {}",
                        prose::status_symbol(o.status),
                        prose::status_words(o.status),
                        prose::date(as_of)
                    ),
                    command: "notice.explain".into(),
                    arguments: Some(vec![serde_json::json!(m.id)]),
                }),
                data: None,
            })
        })
        .collect()
}

/// The whole text formatted, as one edit; none when it is formatted already.
pub(crate) fn formatting(text: &str) -> Vec<TextEdit> {
    let formatted = crate::fmt::format(text);
    if formatted == text {
        return Vec::new();
    }
    let lines = Lines::new(text);
    vec![TextEdit::new(lines.range(0, text.len()), formatted)]
}

/// A diagnostic in the protocol's terms, for the file it points into: its
/// code linking to its documentation, the help and the related places.
pub(crate) fn to_lsp(d: &Diagnostic, lines: &Lines<'_>) -> lsp_types::Diagnostic {
    let range = d.labels.first().map_or_else(
        || lines.range(0, 0),
        |l| lines.range(l.offset, l.offset + l.len),
    );
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .skip(1)
        .chain(&d.related)
        .filter_map(|l| {
            let file = l.file.as_deref()?;
            let uri = url_of(Path::new(file))?;
            let start = lsp_types::Position::new(
                l.start.line.saturating_sub(1) as u32,
                l.start.column.saturating_sub(1) as u32,
            );
            let end = lsp_types::Position::new(
                l.end.line.saturating_sub(1) as u32,
                l.end.column.saturating_sub(1) as u32,
            );
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, lsp_types::Range::new(start, end)),
                message: l.text.clone().unwrap_or_else(|| "here".into()),
            })
        })
        .collect();
    let message = match &d.help {
        Some(h) => format!("{}\nhelp: {h}", d.message),
        None => d.message.clone(),
    };
    lsp_types::Diagnostic {
        range,
        severity: Some(if d.is_warning() {
            DiagnosticSeverity::WARNING
        } else {
            DiagnosticSeverity::ERROR
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        code_description: Url::parse(&d.code.docs_url())
            .ok()
            .map(|href| lsp_types::CodeDescription { href }),
        source: Some("notice".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(serde_json::json!({
            "help": d.help.clone().unwrap_or_default(),
            "name": d.code.name(),
        })),
    }
}
