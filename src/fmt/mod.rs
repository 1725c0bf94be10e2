//! The formatter: one canonical layout for notice files.
//!
//! The layout is a matter of lines, not of the tree: every line keeps its
//! words, comments and place, and is indented two spaces a level of
//! nesting, with continuation lines (a description under its declaration, a
//! deadline under its condition) one level further. Trailing blanks go and
//! the file ends with one newline; blank lines stay where they are; line ends
//! outside strings become `\n`. Because no line moves, a formatted notice
//! evaluates to the same verdicts at the same lines, and no comment can be
//! lost. Text inside strings is never touched: not a blank, not a line end
//! (`\r\n` in a string that spans lines stays).

use crate::syntax::lex::{brackets, comment_start, ends_in_string};

/// Formats a notice or library file's text.
pub(crate) fn format(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth: usize = 0;
    let mut in_string = false;
    let mut previous_code: Option<String> = None;
    for piece in text.split_inclusive('\n') {
        // The line and its own line end, which belongs to a string that
        // spans lines and is then kept byte for byte.
        let (raw, ending) = match piece.strip_suffix("\r\n") {
            Some(r) => (r, "\r\n"),
            None => match piece.strip_suffix('\n') {
                Some(r) => (r, "\n"),
                None => (piece, ""),
            },
        };
        if in_string {
            // The middle or end of a string that spans lines: kept as it
            // is, blanks and line end included.
            let scan = scan(raw, true);
            in_string = scan.ends_in_string;
            if in_string {
                out.push_str(raw);
                out.push_str(ending);
            } else {
                out.push_str(raw.trim_end());
                out.push('\n');
            }
            depth = apply(depth, scan.opens, scan.closes);
            continue;
        }
        let scan_raw = scan(raw, false);
        // Blanks at the end of a line that ends inside a string are the string's.
        let line = if scan_raw.ends_in_string {
            raw.trim_start()
        } else {
            raw.trim()
        };
        if line.is_empty() {
            out.push('\n');
            continue;
        }
        let scan = scan(line, false);
        let leading_closes = line
            .chars()
            .take_while(|c| matches!(c, '}' | ')' | ']'))
            .count();
        let mut level = depth.saturating_sub(leading_closes);
        if is_continuation(line, previous_code.as_deref()) {
            level += 1;
        }
        for _ in 0..level {
            out.push_str("  ");
        }
        out.push_str(line);
        out.push_str(if scan.ends_in_string { ending } else { "\n" });
        depth = apply(depth, scan.opens, scan.closes);
        in_string = scan.ends_in_string;
        if !line.starts_with("//") {
            previous_code = Some(strip_comment(line).trim_end().to_string());
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out.trim().is_empty() {
        out.clear();
    }
    out
}

fn apply(depth: usize, opens: usize, closes: usize) -> usize {
    (depth + opens).saturating_sub(closes)
}

/// What a line does to the nesting, outside strings and comments.
struct Scan {
    opens: usize,
    closes: usize,
    ends_in_string: bool,
}

fn scan(line: &str, starts_in_string: bool) -> Scan {
    let (opens, closes) =
        brackets(line, starts_in_string).fold(
            (0, 0),
            |(o, c), (_, opens)| {
                if opens {
                    (o + 1, c)
                } else {
                    (o, c + 1)
                }
            },
        );
    Scan {
        opens,
        closes,
        ends_in_string: ends_in_string(line, starts_in_string),
    }
}

/// The line without its `//` comment (outside strings).
fn strip_comment(line: &str) -> &str {
    comment_start(line).map_or(line, |at| line.get(..at).unwrap_or(line))
}

/// Whether a line continues the statement of the code line before it.
fn is_continuation(line: &str, previous: Option<&str>) -> bool {
    const LEADS: [&str; 9] = [
        "by ", "within ", "before ", "after ", "every ", "for ", "and ", "or ", "\"",
    ];
    let Some(previous) = previous else {
        return false;
    };
    if previous.ends_with('{') || previous.ends_with('(') || previous.is_empty() {
        return false;
    }
    let starts_statement = [
        "require ",
        "expect ",
        "metric ",
        "evidence ",
        "milestone ",
        "scale ",
        "measure ",
        "group ",
        "text ",
    ]
    .iter()
    .any(|k| line.starts_with(k));
    if starts_statement {
        return false;
    }
    let ends_open = [
        " and", " or", "+", "-", ">=", "<=", "==", "!=", ">", "<", ",",
    ]
    .iter()
    .any(|e| previous.ends_with(e));
    // A string under a declaration is its description; under `text` it is not.
    let string_under_decl = line.starts_with('"')
        && ["metric ", "evidence ", "milestone "]
            .iter()
            .any(|k| previous.starts_with(k));
    ends_open
        || string_under_decl
        || LEADS
            .iter()
            .filter(|l| **l != "\"")
            .any(|l| line.starts_with(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_by_nesting_and_keeps_comments() {
        let text = "notice x {\ntitle \"a\" // the title\n   measure \"i\" \"t\" {\n require evidence plan\n      by issued\n}\n\n\n}\n\n";
        let formatted = format(text);
        assert_eq!(
            formatted,
            "notice x {\n  title \"a\" // the title\n  measure \"i\" \"t\" {\n    require evidence plan\n      by issued\n  }\n\n\n}\n"
        );
        assert_eq!(format(&formatted), formatted);
    }

    #[test]
    fn strings_and_brackets_in_them_are_left_alone() {
        let text = "notice x {\n  text \"a { b\n   still the string }\"\n  title \"// not a comment\"\n}\n";
        assert_eq!(format(text), text);
    }

    #[test]
    fn bytes_inside_a_string_are_never_changed() {
        // Trailing blanks and `\r\n` inside a string that spans lines, and
        // a line ending in `\r\r\n` inside and outside one.
        let text = "notice x {\r\n  text \"a  \r\n  b\t \r\r\n c\"   \r\n  title \"t\"\r\r\n}\r\n";
        let once = format(text);
        assert_eq!(
            once,
            "notice x {\n  text \"a  \r\n  b\t \r\r\n c\"\n  title \"t\"\n}\n"
        );
        assert_eq!(format(&once), once);
        let string = |t: &str| t.split('"').nth(1).map(str::to_string);
        assert_eq!(string(&once), string(text));
    }

    proptest::proptest! {
        /// Whatever the text, formatting is idempotent and every string's
        /// bytes are kept.
        #[test]
        fn formatting_keeps_strings_and_is_idempotent(
            body in "[a-z {}\"\r\n\t]{0,60}"
        ) {
            let text = format!("notice x {{\n{body}\n}}\n");
            let once = format(&text);
            proptest::prop_assert_eq!(format(&once), once.clone());
            // With an even number of quotes, the strings are the parts between them.
            if text.matches('"').count() % 2 == 0 {
                let strings = |t: &str| -> Vec<String> {
                    t.split('"').skip(1).step_by(2).map(str::to_string).collect()
                };
                proptest::prop_assert_eq!(strings(&once), strings(&text));
            }
        }
    }

    #[test]
    fn descriptions_under_declarations_are_continuations() {
        let text = "notice x {\nmetric m : count\n\"Description\"\n}\n";
        assert_eq!(
            format(text),
            "notice x {\n  metric m : count\n    \"Description\"\n}\n"
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod properties;
