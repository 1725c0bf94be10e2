//! The one reading of notice text as code, strings and comments, shared by
//! everything that looks at the text before (or instead of) the grammar:
//! the nesting guard, the recovery that finds every syntax error, the
//! end of a pair without its trailing comment, and the formatter. A string
//! is `"` to the next `"` not escaped by `\`, and may span lines; a comment
//! is `//` outside a string, to the end of its line.

use std::ops::Range;

/// What a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Code: words, numbers, operators, brackets, blanks.
    Code,
    /// A string literal with its quotes; `closed` is false for one the text
    /// ends inside.
    Str { closed: bool },
    /// A comment, `//` to the end of the line (the line end not included).
    Comment,
}

/// The pieces of a text, in order, by byte range.
pub(crate) struct Pieces<'t> {
    text: &'t str,
    at: usize,
    in_string: bool,
}

/// The pieces of `text`, which starts in code.
pub(crate) fn pieces(text: &str) -> Pieces<'_> {
    pieces_from(text, false)
}

/// The pieces of `text`, which starts inside a string when `in_string` (a
/// line after one where a string opened and did not close).
pub(crate) fn pieces_from(text: &str, in_string: bool) -> Pieces<'_> {
    Pieces {
        text,
        at: 0,
        in_string,
    }
}

impl Iterator for Pieces<'_> {
    type Item = (Piece, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        if start >= bytes.len() {
            return None;
        }
        if self.in_string || bytes.get(start) == Some(&b'"') {
            // A string: from its opening quote (or the start of a text that
            // begins inside one) to its closing quote.
            let mut i = if self.in_string { start } else { start + 1 };
            self.in_string = false;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'\\' => i += 2,
                    b'"' => {
                        self.at = i + 1;
                        return Some((Piece::Str { closed: true }, start..i + 1));
                    }
                    _ => i += 1,
                }
            }
            self.at = bytes.len();
            return Some((Piece::Str { closed: false }, start..bytes.len()));
        }
        if bytes.get(start..start + 2) == Some(b"//") {
            let end = memchr::memchr(b'\n', bytes.get(start..).unwrap_or_default())
                .map_or(bytes.len(), |p| start + p);
            self.at = end;
            return Some((Piece::Comment, start..end));
        }
        // Code, up to the next string or comment.
        let mut i = start;
        while let Some(&b) = bytes.get(i) {
            if b == b'"' || (b == b'/' && bytes.get(i + 1) == Some(&b'/')) {
                break;
            }
            i += 1;
        }
        self.at = i;
        Some((Piece::Code, start..i))
    }
}

/// The byte offsets of the brackets of a text that are code (not in a
/// string or a comment), with whether each opens.
pub(crate) fn brackets(text: &str, in_string: bool) -> impl Iterator<Item = (usize, bool)> + '_ {
    pieces_from(text, in_string)
        .filter(|(p, _)| *p == Piece::Code)
        .flat_map(move |(_, range)| {
            let start = range.start;
            text.as_bytes()
                .get(range)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter_map(move |(i, b)| match b {
                    b'(' | b'{' | b'[' => Some((start + i, true)),
                    b')' | b'}' | b']' => Some((start + i, false)),
                    _ => None,
                })
        })
}

/// Whether `text` ends inside a string, given whether it starts inside one
/// (a text with nothing in it is still inside the string it started in).
pub(crate) fn ends_in_string(text: &str, in_string: bool) -> bool {
    match pieces_from(text, in_string).last() {
        Some((piece, _)) => piece == Piece::Str { closed: false },
        None => in_string,
    }
}

/// Where the comment of a line starts, if it has one outside its strings.
pub(crate) fn comment_start(line: &str) -> Option<usize> {
    pieces(line)
        .find(|(p, _)| *p == Piece::Comment)
        .map(|(_, r)| r.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Piece, &str)> {
        pieces(text).map(|(p, r)| (p, &text[r])).collect()
    }

    #[test]
    fn code_strings_and_comments_in_order() {
        assert_eq!(
            kinds("title \"a // b \\\" c\" // note\nx"),
            [
                (Piece::Code, "title "),
                (Piece::Str { closed: true }, "\"a // b \\\" c\""),
                (Piece::Code, " "),
                (Piece::Comment, "// note"),
                (Piece::Code, "\nx"),
            ]
        );
        assert_eq!(
            kinds("basis \"open"),
            [
                (Piece::Code, "basis "),
                (Piece::Str { closed: false }, "\"open")
            ]
        );
        // A line that starts inside a string spanning lines.
        let rest: Vec<(Piece, Range<usize>)> = pieces_from("still\" {", true).collect();
        assert_eq!(rest[0], (Piece::Str { closed: true }, 0..6));
        assert_eq!(rest[1], (Piece::Code, 6..8));
    }

    #[test]
    fn brackets_and_comments_outside_strings_only() {
        let text = "a { \"}\" // {\n ( ] ";
        let found: Vec<(usize, bool)> = brackets(text, false).collect();
        assert_eq!(found, [(2, true), (14, true), (16, false)]);
        assert_eq!(comment_start("x \"//\" // y"), Some(7));
        assert_eq!(comment_start("x \"//\""), None);
        // Where a line leaves off: inside a string or not, even when empty.
        assert!(ends_in_string("title \"a", false));
        assert!(!ends_in_string("a\" x", true));
        assert!(ends_in_string("", true));
        assert!(!ends_in_string("", false));
        // A backslash at the very end of a text does not run past it.
        assert_eq!(kinds("\"\\"), [(Piece::Str { closed: false }, "\"\\")]);
    }
}
