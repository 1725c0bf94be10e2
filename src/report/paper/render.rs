//! The paper laid out by its templates: HTML (one file, its style inline,
//! no script, no external reference) and Markdown.

use super::Paper;

/// The paper in HTML: one file, its style inline, no script, no external reference.
pub fn html(paper: &Paper) -> Result<String, minijinja::Error> {
    render(
        "report.html",
        include_str!("../../../templates/report.html"),
        paper,
    )
}

/// The paper in Markdown, for a board paper (charts left out, their figures kept).
pub fn markdown(paper: &Paper) -> Result<String, minijinja::Error> {
    render(
        "report.md",
        include_str!("../../../templates/report.md"),
        paper,
    )
}

fn render(name: &str, source: &str, paper: &Paper) -> Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    // HTML escapes every value; Markdown escapes nothing, so its template
    // writes data only through the `md` filter.
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.add_filter("md", markdown_text);
    env.add_filter("css_string", css_string);
    env.add_template(name, source)?;
    env.get_template(name)?.render(paper)
}

/// Text made inert in Markdown: characters that would start markup or a
/// table cell are escaped, and line ends become spaces.
fn markdown_text(text: String) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        // `_` inside a word (`formal_review`) starts no emphasis.
        let in_word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|n| n.is_alphanumeric())
        };
        match c {
            '_' if in_word(i.checked_sub(1)) && in_word(Some(i + 1)) => out.push('_'),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text as a quoted CSS string for the style sheet (the running header):
/// everything but letters, digits and spaces as a hex escape, so nothing in
/// it can end the string, the rule or the `<style>` element.
fn css_string(text: String) -> minijinja::Value {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else if !c.is_control() {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    minijinja::Value::from_safe_string(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_css_string_cannot_end_the_style_element() {
        let s = css_string("</style><script>\"x\";}".into()).to_string();
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains(';'),
            "{s}"
        );
        assert_eq!(s.matches('"').count(), 2, "{s}");
        assert!(s.starts_with("\"\\3c ") && s.ends_with('"'), "{s}");
    }

    #[test]
    fn markdown_text_cannot_start_markup_or_a_cell() {
        assert_eq!(
            markdown_text("a|b *c* [d](e)".into()),
            "a\\|b \\*c\\* \\[d\\](e)"
        );
        assert_eq!(
            markdown_text("formal_review\nnext".into()),
            "formal_review next"
        );
    }
}
