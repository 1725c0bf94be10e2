//! Text from notices and data made safe to show on a terminal: control
//! characters (ESC, BEL, a lone carriage return, C1 controls) and the
//! bidirectional controls that reorder what follows them (U+202A–U+202E,
//! U+2066–U+2069) are written as visible escapes (`\u{1b}`), so that no
//! input can move the cursor, retitle the window, clear the screen or turn
//! a status round. A renderer's own colour codes (`ESC [ … m`) are kept
//! when it draws in colour.

use std::borrow::Cow;

/// The text with every control a terminal would act on made visible;
/// `colours` keeps SGR colour sequences (`ESC [ 1;31 m`), which are the
/// renderer's own when it draws in colour.
pub fn shown(text: &str, colours: bool) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| needs_escape(c) && c != '\n' && c != '\t')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek().is_some_and(|(_, n)| *n == '\n') => {}
            '\u{1b}' if colours => match sgr_len(&text[i..]) {
                Some(len) => {
                    out.push_str(&text[i..i + len]);
                    while chars.peek().is_some_and(|(j, _)| *j < i + len) {
                        chars.next();
                    }
                }
                None => out.push_str("\\u{1b}"),
            },
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The length of an SGR sequence (`ESC [` digits and `;` then `m`) at the
/// start of the text, if one is there.
fn sgr_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("\u{1b}[")?;
    let params = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (rest.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_not_obeyed() {
        assert_eq!(
            shown("plain text\nline two\ttab", false),
            "plain text\nline two\ttab"
        );
        assert_eq!(
            shown("a\u{1b}]0;owned\u{7}b", false),
            "a\\u{1b}]0;owned\\u{7}b"
        );
        assert_eq!(shown("\u{1b}[2J\u{1b}[Hx", false), "\\u{1b}[2J\\u{1b}[Hx");
        assert_eq!(shown("met \u{202e}tem ton", false), "met \\u{202e}tem ton");
        assert_eq!(shown("over\rwrite", false), "over\\u{d}write");
        assert_eq!(shown("crlf\r\nline", false), "crlf\nline");
        assert_eq!(shown("c1\u{9b}31m", false), "c1\\u{9b}31m");
    }

    #[test]
    fn a_renderers_colours_are_kept_and_nothing_else() {
        let coloured = "\u{1b}[1;31m×\u{1b}[0m unknown \u{1b}]0;t\u{7}";
        assert_eq!(
            shown(coloured, true),
            "\u{1b}[1;31m×\u{1b}[0m unknown \\u{1b}]0;t\\u{7}"
        );
        assert_eq!(shown(coloured, false).matches("\\u{1b}").count(), 3);
    }
}
