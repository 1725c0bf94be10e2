//! A screen written out: a table of areas by measures for the terminal, and
//! CSV and JSON for further analysis.

use serde::Serialize;

use super::prose::{status_symbol, status_words};
use crate::check::Notice;
use crate::eval::{Screen, Status};
use crate::value::count;

/// The table: a line of counts, a legend, then one row an area.
/// `trace` is the command that shows one area's verdicts in full.
pub fn screen_table(notice: &Notice, screen: &Screen, fixed: &[String], trace: &str) -> String {
    let mut out = format!(
        "{} — {}\nscreened as of {}: {} area{}",
        notice.id,
        notice.title,
        screen.as_of,
        count(screen.areas.len()),
        if screen.areas.len() == 1 { "" } else { "s" },
    );
    if !fixed.is_empty() {
        out.push_str(&format!(", against {}", fixed.join(", ")));
    }
    out.push('\n');
    let counts: Vec<String> = screen
        .counts()
        .iter()
        .map(|(s, n)| format!("{} {}", count(*n), status_words(*s)))
        .collect();
    out.push_str(&format!("{}\n", counts.join(" · ")));
    if screen.not_read > 0 {
        out.push_str(&format!(
            "{} figure{} of metrics no rule reads passed over\n",
            count(screen.not_read),
            if screen.not_read == 1 { "" } else { "s" }
        ));
    }
    out.push('\n');
    let name_width = screen
        .areas
        .iter()
        .map(|a| a.area.chars().count())
        .chain([4])
        .max()
        .unwrap_or(4);
    let widths: Vec<usize> = screen
        .measures
        .iter()
        .map(|m| m.chars().count().max(1))
        .collect();
    let mut header = format!("{:<name_width$}  notice", "area");
    for (m, w) in screen.measures.iter().zip(&widths) {
        header.push_str(&format!("  {m:>w$}"));
    }
    out.push_str(header.trim_end());
    out.push('\n');
    for row in &screen.areas {
        let mut line = format!(
            "{:<name_width$}  {:<6}",
            row.area,
            status_symbol(row.status)
        );
        for (s, w) in row.measures.iter().zip(&widths) {
            line.push_str(&format!("  {:>w$}", status_symbol(*s)));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let legend: Vec<String> = [
        Status::Met,
        Status::MetLate,
        Status::NotMet,
        Status::NotYetDue,
        Status::Unknown,
    ]
    .iter()
    .map(|s| format!("{} {}", status_symbol(*s), status_words(*s)))
    .collect();
    out.push_str(&format!("\n{}\n", legend.join("  ")));
    out.push_str(&format!(
        "an area's verdicts, with the rule and data row behind each: {trace}\n"
    ));
    out
}

/// CSV: `area,status,<measure>...`, statuses as their identifiers.
pub fn screen_csv(screen: &Screen) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["area".to_string(), "status".to_string()];
    header.extend(screen.measures.iter().map(|m| inert_cell(m)));
    let _ = writer.write_record(&header);
    for row in &screen.areas {
        let mut record = vec![inert_cell(&row.area), row.status.as_str().to_string()];
        record.extend(row.measures.iter().map(|s| s.as_str().to_string()));
        let _ = writer.write_record(&record);
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// A cell a spreadsheet will not run as a formula: text that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` before it, as
/// OWASP's guidance on CSV injection says (an area named
/// `=HYPERLINK(...)` is shown, not followed).
pub(crate) fn inert_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A screen as JSON: the screen with its counts.
#[derive(Serialize)]
pub struct JsonScreen<'a> {
    #[serde(flatten)]
    screen: &'a Screen,
    /// The areas the rules name, read as they are for every area.
    fixed: &'a [String],
    /// How many areas have each status.
    counts: std::collections::BTreeMap<&'static str, usize>,
}

/// The JSON form of a screen.
pub fn screen_json<'a>(screen: &'a Screen, fixed: &'a [String]) -> JsonScreen<'a> {
    JsonScreen {
        screen,
        fixed,
        counts: screen
            .counts()
            .into_iter()
            .map(|(s, n)| (s.as_str(), n))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_starting_like_a_formula_is_made_text() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(inert_cell(formula), format!("'{formula}"));
        }
        assert_eq!(inert_cell("Council 001"), "Council 001");
        assert_eq!(inert_cell("a=b"), "a=b");
    }
}
