//! The formatter, as properties: over every notice, library and fixture,
//! and over generated notices. What the file says is compared through its
//! syntax tree, which only the crate sees, so these tests live beside it.

use std::path::{Path, PathBuf};

use super::format;
use crate::{syntax, SourceFile};
use proptest::prelude::*;

/// Every notice and library file of the project that parses.
fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut dirs = vec![root.join("notices"), root.join("tests/cases")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "notice" || e == "lib")
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The parsed file with its spans left out: what the file says, not where.
fn parses(text: &str) -> Option<String> {
    let file = syntax::parse_file(&SourceFile::new("x", text)).ok()?;
    let debug = format!("{file:?}");
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug.as_str();
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find('}').map_or(after.len(), |e| e + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    Some(out)
}

/// The comments of a text, in order, as written.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_string = false;
    for line in text.lines() {
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '/' if !in_string && chars.peek().is_some_and(|&(_, n)| n == '/') => {
                    out.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn formatting_is_idempotent_keeps_comments_and_meaning() {
    let mut checked = 0;
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(before) = parses(&text) else {
            continue;
        };
        let once = format(&text);
        assert_eq!(format(&once), once, "{}: not idempotent", path.display());
        assert_eq!(
            comments(&once),
            comments(&text),
            "{}: comments changed",
            path.display()
        );
        assert_eq!(
            parses(&once),
            Some(before),
            "{}: the notice changed",
            path.display()
        );
        assert_eq!(
            once.lines().count(),
            text.trim_end().lines().count(),
            "{}: lines moved",
            path.display()
        );
        // The layout does not depend on the indentation it started from.
        let flat: String = text
            .lines()
            .map(|l| format!("{}\n", l.trim_start()))
            .collect();
        if parses(&flat).is_some() && !text.contains("\\\n") {
            assert_eq!(
                format(&flat),
                once,
                "{}: layout depends on the input's indentation",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked > 30, "only {checked} files were formatted");
}

#[test]
fn the_project_notices_are_formatted() {
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        if parses(&text).is_some() {
            assert_eq!(
                format(&text),
                text,
                "{} is not formatted: run `notice fmt`",
                path.display()
            );
        }
    }
}

/// A generated notice: measures with requirements, laid out carelessly.
fn notice_strategy() -> impl Strategy<Value = String> {
    let requirement = prop_oneof![
        Just("require evidence plan by issued + 1 month".to_string()),
        Just("expect visits >= 90%\nby review".to_string()),
        Just(
            "require all {\nvisits > 5%\n// inner comment\nany { evidence plan  visits < 2% }\n}"
                .to_string()
        ),
        Just("require not (visits == 50%) every month from issued until review".to_string()),
        Just("require visits >=\nvisits[England] - 5pp // a comment".to_string()),
    ];
    let measure = (
        prop::collection::vec(requirement, 0..4),
        0usize..6,
        any::<bool>(),
    )
        .prop_map(|(reqs, indent, text)| {
            let pad = " ".repeat(indent);
            let mut m = format!("{pad}measure \"m\" \"Title {{ with brace\" {{\n");
            if text {
                m.push_str(&format!("{pad}text \"Words // not a comment\"\n"));
            }
            for r in reqs {
                for line in r.lines() {
                    m.push_str(&format!("{pad}{pad}{line}\n"));
                }
            }
            m.push_str(&format!("{pad}}}\n"));
            m
        });
    prop::collection::vec(measure, 0..5).prop_map(|measures| {
        let mut s = String::from(
            "// generated\nnotice g {\ntitle \"G\" authority \"A\" issued 2012-01-23\n   milestone review = issued + 6 months\nmetric visits : percent, higher is better\n\"Visits\"\nevidence plan \"A plan\"\n\n",
        );
        for (i, m) in measures.into_iter().enumerate() {
            s.push_str(&m.replace("\"m\"", &format!("\"m{i}\"")));
        }
        s.push_str("}\n");
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_notices_format_idempotently(text in notice_strategy()) {
        let before = parses(&text);
        prop_assert!(before.is_some(), "the generator made a notice that does not parse:\n{}", text);
        let once = format(&text);
        prop_assert_eq!(&format(&once), &once);
        prop_assert_eq!(comments(&once), comments(&text));
        prop_assert_eq!(parses(&once), before);
        prop_assert!(crate::load_notice_text("g.notice", &once, Path::new(".")).is_ok());
    }
}
