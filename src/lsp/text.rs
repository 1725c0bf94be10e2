//! Positions in a text as the protocol counts them (lines, and UTF-16 code
//! units within a line) and as the library does (byte offsets), the word
//! under a position, and edits applied to a held document.

use lsp_types::{Position, Range};

/// A text's line starts, for turning offsets into positions and back.
pub(crate) struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The protocol's position of a byte offset (clamped to the text, and
    /// to the start of the character it falls inside).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }

    /// The byte offset of a protocol position: past the end of a line is its
    /// end, past the last line the text's end.
    pub(crate) fn offset(&self, p: Position) -> usize {
        let Some(&start) = self.starts.get(p.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(p.line as usize + 1)
            .map_or(self.text.len(), |&n| n.saturating_sub(1));
        let mut units = 0u32;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= p.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }

    pub(crate) fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }
}

/// The identifier under (or just before) a byte offset, with its range.
pub(crate) fn word_at(text: &str, offset: usize) -> Option<(&str, usize, usize)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (end > start).then(|| (&text[start..end], start, end))
}

/// Applies one change the editor sent: a range replaced, or (no range) the
/// whole text.
pub(crate) fn apply(text: &mut String, range: Option<Range>, new: &str) {
    match range {
        None => *text = new.to_string(),
        Some(r) => {
            let lines = Lines::new(text);
            let (a, b) = (lines.offset(r.start), lines.offset(r.end));
            let (a, b) = (a.min(b), a.max(b));
            text.replace_range(a..b, new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        // `é` is one unit, `𝄞` two, and both are more than one byte.
        let text = "a é 𝄞 b\nsecond";
        let lines = Lines::new(text);
        let b = text.find(" b").unwrap_or(0) + 1;
        assert_eq!(lines.position(b), Position::new(0, 7));
        assert_eq!(lines.offset(Position::new(0, 7)), b);
        let second = text.find("second").unwrap_or(0);
        assert_eq!(lines.position(second + 2), Position::new(1, 2));
        assert_eq!(lines.offset(Position::new(1, 2)), second + 2);
        // Past the end of a line or of the text.
        assert_eq!(
            lines.offset(Position::new(0, 99)),
            text.find('\n').unwrap_or(0)
        );
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
        // Inside a character: its start.
        assert_eq!(
            lines.position(text.find('é').unwrap_or(0) + 1),
            Position::new(0, 2)
        );
    }

    #[test]
    fn edits_apply_by_range_or_whole() {
        let mut text = "require visits >= 90%".to_string();
        apply(
            &mut text,
            Some(Range::new(Position::new(0, 8), Position::new(0, 14))),
            "audits",
        );
        assert_eq!(text, "require audits >= 90%");
        apply(&mut text, None, "new");
        assert_eq!(text, "new");
        // A range past the end, or backwards, does not panic.
        apply(
            &mut text,
            Some(Range::new(Position::new(5, 0), Position::new(0, 1))),
            "!",
        );
        assert_eq!(text, "n!");
    }

    #[test]
    fn the_word_under_a_position() {
        let text = "require lac_3plus >= 5%";
        assert_eq!(word_at(text, 10).map(|w| w.0), Some("lac_3plus"));
        assert_eq!(word_at(text, 17).map(|w| w.0), Some("lac_3plus"));
        assert_eq!(word_at(text, 18), None);
    }
}
