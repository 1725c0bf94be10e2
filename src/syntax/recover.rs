//! Every syntax error of a file at once. pest stops at the first error, so
//! after one, the top-level item it is in (a declaration, a measure, a
//! header field) is blanked out, byte for byte, and the file is parsed
//! again: positions stay true, and each independent mistake is reported
//! where it is. Blanking keeps a closing brace the item does not open, so a
//! `group`'s or the notice's own `}` survives.

use super::error::{from_pest, unclosed_string, ParseError};
use super::lex::{self, Piece};
use super::{NoticeParser, Rule};
use crate::source::SourceFile;
use pest::Parser;

/// Words that start a top-level item (or a measure inside a group).
const ITEM_KEYWORDS: [&str; 14] = [
    "use",
    "title",
    "authority",
    "service",
    "issued",
    "basis",
    "data",
    "milestone",
    "metric",
    "scale",
    "evidence",
    "group",
    "measure",
    "library",
];

/// How many errors one file reports at most.
const MAX_ERRORS: usize = 20;

/// The syntax errors of a file whose first error is `first`: that one, then
/// one for each other item that does not parse.
pub(crate) fn all_errors(src: &SourceFile, first: ParseError) -> Vec<ParseError> {
    // A file cut short, or a string never closed, leaves nothing after the
    // error to recover.
    let at_end = |at: usize| src.text.get(at..).is_none_or(|r| r.trim().len() <= 1);
    if error_offset(&first).is_none_or(at_end) || unclosed_string(&src.text).is_some() {
        return vec![first];
    }
    let starts = item_starts(&src.text);
    let mut text = src.text.to_string();
    let mut errors = vec![first];
    let mut blanked: Vec<usize> = Vec::new();
    while errors.len() < MAX_ERRORS {
        let Some(at) = errors.last().and_then(error_offset) else {
            break;
        };
        // The item the last error is in; the file's opening line is no item.
        let Some(mut i) = starts.iter().rposition(|&s| s <= at) else {
            break;
        };
        // An error at the very start of an item means the item before it
        // did not end: a measure missing its `}` is reported where it is.
        if starts.get(i) == Some(&at) && i > 0 {
            i -= 1;
            if let (Some(&open), Some(last)) = (starts.get(i), errors.last_mut()) {
                if let Some(unclosed) = not_closed(src, open, at) {
                    *last = unclosed;
                }
            }
        }
        if blanked.contains(&i) || starts.get(i).is_some_and(|&s| is_container(&text, s)) {
            break;
        }
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let Some(start) = starts.get(i).copied() else {
            break;
        };
        blank(&mut text, start, end);
        blanked.push(i);
        match NoticeParser::parse(Rule::file, &text) {
            Ok(_) => break,
            Err(e) => {
                let next = from_pest(&SourceFile::new(src.name.clone(), text.clone()), &e);
                let next = with_source(next, src);
                // An error that only the blanking caused ends the search.
                if error_offset(&next).is_none_or(|o| o < start) {
                    break;
                }
                errors.push(next);
            }
        }
    }
    errors
}

/// "This measure is not closed", at the measure, when the item starting at
/// `open` is a block whose `{` has no `}` before the next item at `next`.
fn not_closed(src: &SourceFile, open: usize, next: usize) -> Option<ParseError> {
    let chunk = src.text.get(open..next)?;
    let word: String = chunk
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let opens = chunk.matches('{').count();
    let closes = chunk.matches('}').count();
    if opens <= closes {
        return None;
    }
    let (next_line, _) = src.line_col(next);
    // `use` inside the notice's braces: it belongs before them.
    if word == "notice" && src.text.get(next..)?.starts_with("use") {
        return Some(ParseError::Syntax {
            src: src.named(),
            span: crate::source::Span::new(next, next + 3).into(),
            message: "`use` goes before the notice, not inside it".to_string(),
            label: "inside the notice".to_string(),
            help: Some(format!(
                "move the `use` line above `notice` (line {})",
                src.line_col(open).0
            )),
        });
    }
    Some(ParseError::Syntax {
        src: src.named(),
        span: crate::source::Span::new(open, open + word.len()).into(),
        message: format!("this {word} is not closed"),
        label: format!("this {word}"),
        help: Some(format!(
            "close it with `}}` before line {next_line}, where the next item starts"
        )),
    })
}

/// Where an error points.
fn error_offset(e: &ParseError) -> Option<usize> {
    match e {
        ParseError::Syntax { span, .. } => Some(span.offset()),
        _ => None,
    }
}

/// The error, shown against the original text rather than the blanked one.
fn with_source(e: ParseError, src: &SourceFile) -> ParseError {
    match e {
        ParseError::Syntax {
            span,
            message,
            label,
            help,
            ..
        } => ParseError::Syntax {
            src: src.named(),
            span,
            message,
            label,
            help,
        },
        other => other,
    }
}

/// Whether the item at `start` opens a block that holds other items (a
/// `group`, the notice or a library): blanking it would lose them.
fn is_container(text: &str, start: usize) -> bool {
    let word: String = text
        .get(start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    matches!(word.as_str(), "group" | "notice" | "library")
}

/// The byte offset of each line that starts (after blanks) with an item
/// keyword, outside strings and comments.
fn item_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line_start = true;
    for (piece, range) in lex::pieces(text) {
        if piece != Piece::Code {
            line_start = false;
            continue;
        }
        let code = text.get(range.clone()).unwrap_or("");
        for (i, c) in code.char_indices() {
            if c == '\n' {
                line_start = true;
                continue;
            }
            if c.is_whitespace() {
                continue;
            }
            if line_start {
                let at = range.start + i;
                let word: String = text
                    .get(at..)
                    .unwrap_or("")
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                if ITEM_KEYWORDS.contains(&word.as_str()) || word == "notice" {
                    out.push(at);
                }
            }
            line_start = false;
        }
    }
    out
}

/// Replaces `text[start..end]` with spaces (line ends kept), except the
/// closing braces it has beyond those it opens, which belong to a block
/// around it.
fn blank(text: &mut String, start: usize, end: usize) {
    let Some(chunk) = text.get(start..end) else {
        return;
    };
    // The braces of the chunk's code: those closing more than it opens
    // belong to a block around it, and the last of them are kept.
    let mut depth = 0i64;
    let mut closing_at = Vec::new();
    for (at, opens) in lex::brackets(chunk, false) {
        match chunk.as_bytes().get(at) {
            Some(b'{') if opens => depth += 1,
            Some(b'}') if depth > 0 => depth -= 1,
            Some(b'}') => closing_at.push(at),
            _ => {}
        }
    }
    // Those braces and the line ends stay; everything else becomes blanks,
    // byte for byte (a multi-byte character as many spaces), so positions hold.
    let replacement: String = chunk
        .char_indices()
        .map(|(at, c)| match c {
            '}' if closing_at.contains(&at) => "}".to_string(),
            '\n' | '\r' => c.to_string(),
            c => " ".repeat(c.len_utf8()),
        })
        .collect();
    text.replace_range(start..end, &replacement);
}
