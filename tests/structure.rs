//! The layout is the pipeline: source → syntax → check → data → eval →
//! report → commands. No module reaches up to one after it (data does not
//! call report to write English, eval does not call report), and no source
//! file grows past 800 lines. Read from the source text, so it needs no build
//! of its own.

use std::path::{Path, PathBuf};

/// Each module's place in the pipeline; a module may use those at its own
/// place or before it. The vocabulary (spans, codes, values, the syntax
/// tree's plain types, dates) is shared by all.
const RANKS: &[(&str, u8)] = &[
    ("source", 0),
    ("diagnostics", 0),
    ("value", 0),
    ("ast", 0),
    ("time", 0),
    ("syntax", 1),
    ("fmt", 1),
    ("load", 1),
    ("check", 2),
    ("data", 3),
    ("eval", 4),
    ("report", 5),
    ("template", 5),
    ("runner", 6),
    ("lib", 7),
    ("commands", 7),
    ("lsp", 7),
    ("main", 7),
];

const MAX_LINES: usize = 800;

fn rank(module: &str) -> Option<u8> {
    RANKS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file belongs to: the first part of its path under `src/`.
fn module_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The modules of the crate a text names (`crate::eval`, `use crate::{report, time}`).
fn used(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for part in inner.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out.retain(|m| rank(m).is_some());
    out
}

/// Comment lines say what is used, and are not uses.
fn code_only(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_module_reaches_up_the_pipeline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap();
        let module = module_of(rel);
        let own = rank(&module).unwrap_or_else(|| panic!("{module} has no place in RANKS"));
        for other in used(&code_only(&std::fs::read_to_string(file).unwrap())) {
            if rank(&other).is_some_and(|r| r > own) {
                wrong.push(format!("{} uses crate::{other}", rel.display()));
            }
        }
    }
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "modules that reach up the pipeline:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_source_file_is_over_800_lines() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "examples"] {
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
    }
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_check_finds_a_use_up_the_pipeline() {
    assert_eq!(used("use crate::report::prose;"), ["report"]);
    assert_eq!(used("use crate::{report, time::Date};"), ["report", "time"]);
    assert!(used(&code_only("// crate::report is not used")).is_empty());
}
