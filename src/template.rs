//! The starting notice that `notice new` writes.

use crate::time::Date;

/// The shared library a new notice uses, relative to the notice's folder.
pub const LIBRARY: &str = "lib/indicators.notice";

/// A notice identifier from an authority's name and the year of issue:
/// "London Borough of Barnet", 2013 gives `london_borough_of_barnet_2013`.
pub(crate) fn identifier(authority: &str, issued: Date) -> String {
    let mut id = String::new();
    for c in authority.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('_') && !id.is_empty() {
            id.push('_');
        }
    }
    let id = id.trim_end_matches('_');
    let id = if id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.to_string()
    } else {
        format!("notice_{id}")
    };
    format!("{}_{}", id.trim_end_matches('_'), issued.format("%Y"))
}

/// The text of a new notice. With `use_library`, it uses the shared library
/// of national indicators; without, it stands alone.
pub fn new_notice(authority: &str, issued: Date, use_library: bool) -> String {
    let id = identifier(authority, issued);
    // In a string: `\` and `"` escaped, a line break as `\n`, other control
    // characters left out; in a comment, on one line.
    let quoted: String = authority
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("\r\n", "\n")
        .replace('\n', "\\n")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let one_line: String = authority
        .split(|c: char| c.is_control())
        .filter(|part| !part.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let authority = one_line.as_str();
    let mut out = format!(
        "// A new Improvement Notice for {authority}. Replace the placeholders with the\n\
         // notice's own words, one measure for each numbered measure, and run\n\
         // `notice check` on this file: it says what is missing or misspelt.\n"
    );
    if use_library {
        out.push_str(&format!(
            "// The national indicators and rating scales come from `{LIBRARY}`.\nuse \"{LIBRARY}\"\n"
        ));
    }
    out.push_str(&format!(
        r#"
notice {id} {{
  title     "Improvement Notice: {quoted}"
  authority "{quoted}"
  service   "Children's services"
  issued    {issued}
  basis     "The inspection report the notice was given on"
  // data   "data/{id}"    // a CSV file or a folder of them, relative to this file

  // Dates the notice sets, e.g. "a formal review of progress after six months".
  milestone formal_review = issued + 6 months "Formal review of progress"

  evidence action_plan "Action plan with milestones and deadlines, agreed by the Improvement Board"

  measure "i" "Action plan" {{
    text "The Council must incorporate all areas for development identified in the report into their action plan."
    require evidence action_plan within 3 months of issued
  }}

  // A figure that must reach the England figure in the data by the review.
  // `icpc_within_15wd` is declared in the shared library; a notice that does
  // not use it declares the metric itself:
  //   metric icpc_within_15wd : percent, higher is better
  //
  // measure "ii" "Child protection conferences on time" {{
  //   text "The notice's words for this measure."
  //   require icpc_within_15wd >= icpc_within_15wd[England] by formal_review
  // }}
}}
"#
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_names() {
        let d = crate::time::parse_date("2013-05-01").unwrap();
        assert_eq!(
            identifier("London Borough of Barnet", d),
            "london_borough_of_barnet_2013"
        );
        assert_eq!(
            identifier("  St. Helens' Council ", d),
            "st_helens_council_2013"
        );
        assert_eq!(identifier("1066 Council", d), "notice_1066_council_2013");
        assert_eq!(identifier("££", d), "notice_2013");
    }
}
