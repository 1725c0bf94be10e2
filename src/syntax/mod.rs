//! Text to AST: the pest parser, a guard on nesting depth, and the
//! translation of pest's errors into located diagnostics.

mod build;
mod conditions;
mod error;
pub(crate) mod lex;
mod recover;

use build::Builder;

use pest::Parser as _;

pub(crate) use error::ParseError;

use crate::ast::*;
use crate::source::{SourceFile, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/notice.pest"]
pub(crate) struct NoticeParser;

/// The deepest nesting of brackets (and of `not`) a notice may use. Real
/// notices nest three or four deep; the limit keeps pest's recursion, and
/// every later stage's, within a 2 MiB thread even in a debug build (64
/// did not: a test runs the deepest nesting on such a thread).
pub(crate) const MAX_DEPTH: usize = 32;

/// Parses a notice file into its AST, or every syntax error found.
pub(crate) fn parse(src: &SourceFile) -> Result<Notice, Vec<ParseError>> {
    match parse_file(src)? {
        File::Notice(n) => Ok(n),
        File::Library(l) => Err(vec![ParseError::NotANotice {
            src: src.named(),
            span: l.id.span.into(),
        }]),
    }
}

/// Parses a notice or library file into its AST, or every syntax error found.
pub(crate) fn parse_file(src: &SourceFile) -> Result<File, Vec<ParseError>> {
    check_depth(src).map_err(|e| vec![e])?;
    let mut pairs = NoticeParser::parse(Rule::file, &src.text)
        .map_err(|e| recover::all_errors(src, error::from_pest(src, &e)))?;
    let builder = Builder { src };
    let file = pairs
        .next()
        .ok_or_else(|| vec![builder.internal(Span::default())])?;
    let mut uses = Vec::new();
    for pair in file.into_inner() {
        match pair.as_rule() {
            Rule::use_decl => {
                let span = builder.tight(pair.as_span());
                let path = builder
                    .next(&mut pair.into_inner(), span)
                    .map_err(|e| vec![e])?;
                uses.push(builder.string(path));
            }
            Rule::notice => {
                let mut notice = builder.notice(pair).map_err(|e| vec![e])?;
                notice.uses = uses;
                return Ok(File::Notice(notice));
            }
            Rule::library => {
                let mut library = builder.library(pair).map_err(|e| vec![e])?;
                library.uses = uses;
                return Ok(File::Library(library));
            }
            _ => {}
        }
    }
    Err(vec![builder.internal(Span::default())])
}

/// Parses a date expression on its own (for `notice date`).
pub(crate) fn parse_date_expr(src: &SourceFile) -> Result<DateExpr, ParseError> {
    let mut pairs =
        NoticeParser::parse(Rule::date_only, &src.text).map_err(|e| error::from_pest(src, &e))?;
    let builder = Builder { src };
    let outer = pairs
        .next()
        .ok_or_else(|| builder.internal(Span::default()))?;
    let span = builder.tight(outer.as_span());
    let expr = outer
        .into_inner()
        .find(|p| p.as_rule() == Rule::date_expr)
        .ok_or_else(|| builder.internal(span))?;
    builder.date_expr(expr)
}

/// Rejects brackets nested deeper than [`MAX_DEPTH`] before pest recurses into them.
fn check_depth(src: &SourceFile) -> Result<(), ParseError> {
    let mut depth = 0usize;
    for (at, opens) in lex::brackets(&src.text, false) {
        if !opens {
            depth = depth.saturating_sub(1);
            continue;
        }
        depth += 1;
        if depth > MAX_DEPTH {
            return Err(ParseError::TooDeep {
                src: src.named(),
                span: Span::new(at, at + 1).into(),
                limit: MAX_DEPTH,
            });
        }
    }
    Ok(())
}
