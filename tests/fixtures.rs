//! Every fixture under `tests/cases/`: parse, check, load its data and, with
//! an `// as-of:` header, evaluate. The transcript (rendered diagnostics,
//! then the JSON outcome) is a snapshot; `// expect:` headers are asserted
//! on their own, so a wrong snapshot accepted by mistake still fails:
//! `// expect: status S`, `// expect: measure ID S`, `// expect: ID.N S`
//! (the Nth requirement of measure ID), `// expect: error CODE`,
//! `// expect: warning CODE`, `// expect: no warnings`.

use std::path::Path;

use notice_rules::{eval, render_plain, report, time, Diagnostic};

/// What a fixture's header says must happen.
#[derive(Default)]
struct Expect {
    as_of: Option<String>,
    known_at: Option<String>,
    no_warnings: bool,
    errors: Vec<String>,
    warnings: Vec<String>,
    status: Option<String>,
    measures: Vec<(String, String)>,
    /// (measure, requirement number from 1, status).
    requirements: Vec<(String, usize, String)>,
}

fn header(text: &str) -> Expect {
    let mut e = Expect::default();
    for line in text.lines().take_while(|l| l.starts_with("//")) {
        let line = line.trim_start_matches("//").trim();
        if let Some(d) = line.strip_prefix("as-of:") {
            e.as_of = Some(d.trim().to_string());
        } else if let Some(d) = line.strip_prefix("known-at:") {
            e.known_at = Some(d.trim().to_string());
        } else if let Some(rest) = line.strip_prefix("expect:") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            match words.as_slice() {
                ["error", code] => e.errors.push(code.to_string()),
                ["no", "warnings"] => e.no_warnings = true,
                ["warning", code] => e.warnings.push(code.to_string()),
                ["status", s] => e.status = Some(s.to_string()),
                ["measure", id, s] => e.measures.push((id.to_string(), s.to_string())),
                // `vi.2 not_met`: the second requirement of measure vi.
                [req, s]
                    if req
                        .rsplit_once('.')
                        .is_some_and(|(_, n)| n.parse::<usize>().is_ok()) =>
                {
                    let (id, n) = req.rsplit_once('.').unwrap();
                    e.requirements
                        .push((id.to_string(), n.parse().unwrap(), s.to_string()));
                }
                _ => panic!("unreadable expectation: {line}"),
            }
        }
    }
    e
}

fn codes(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().map(|d| d.code.to_string()).collect()
}

fn transcript(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| render_plain(d, 100))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs one fixture and returns its transcript, asserting its expectations.
fn run(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = std::fs::read_to_string(path).unwrap();
    let expect = header(&text);
    let name = rel.display().to_string().replace('\\', "/");
    let dir = rel.parent().unwrap();
    let loaded = notice_rules::load_notice_text(&name, &text, dir);
    let (notice, warnings) = match loaded {
        Err(errors) => {
            let found = codes(&errors);
            assert!(
                !expect.errors.is_empty(),
                "{name}: unexpected errors {found:?}\n{}",
                transcript(&errors)
            );
            for code in &expect.errors {
                assert!(
                    found.contains(code),
                    "{name}: expected {code}, found {found:?}"
                );
            }
            return transcript(&errors);
        }
        Ok(ok) => ok,
    };
    // Lints are pinned by their own fixtures (tests/cases/lint); elsewhere they are noise.
    let lint_case = name.contains("/lint/");
    let warnings: Vec<Diagnostic> = warnings
        .into_iter()
        .filter(|w| lint_case || w.code.stage() != "lint")
        .collect();
    let mut found = codes(&warnings);
    if notice.data.is_empty() {
        for code in &expect.warnings {
            assert!(
                found.contains(code),
                "{name}: expected warning {code}, found {found:?}"
            );
        }
    }
    if expect.no_warnings {
        assert!(
            found.is_empty(),
            "{name}: expected no warnings, found {found:?}"
        );
    }
    let mut out = transcript(&warnings);
    if notice.data.is_empty() {
        assert!(
            expect.errors.is_empty(),
            "{name}: expected errors {:?}, but it checked",
            expect.errors
        );
        return out;
    }
    // As the command line loads a notice's own data: paths checked to stay
    // in the notice's folder, then read.
    let project = notice_rules::Project::new(&notice_rules::Disk);
    let data = match project.load_data(&notice, notice_rules::DataFiles::Notice, Vec::new()) {
        Err(diags) => {
            let found = codes(&diags);
            for code in &expect.errors {
                assert!(
                    found.contains(code),
                    "{name}: expected {code}, found {found:?}"
                );
            }
            assert!(
                !expect.errors.is_empty(),
                "{name}: unexpected data errors {found:?}"
            );
            return out + &transcript(&diags);
        }
        Ok(loaded) => loaded,
    };
    let (data, data_warnings) = data;
    for code in codes(&data_warnings) {
        assert!(
            expect.warnings.contains(&code),
            "{name}: unexpected data warning {code}"
        );
    }
    found.extend(codes(&data_warnings));
    for code in &expect.warnings {
        assert!(
            found.contains(code),
            "{name}: expected warning {code}, found {found:?}"
        );
    }
    out.push_str(&transcript(&data_warnings));
    assert!(
        expect.errors.is_empty(),
        "{name}: expected errors {:?}",
        expect.errors
    );
    let as_of = time::parse_date(expect.as_of.as_deref().expect("an `// as-of:` header")).unwrap();
    let options = eval::Options {
        known: expect
            .known_at
            .as_deref()
            .map_or(eval::Knowledge::AsOf, |k| {
                eval::Knowledge::parse(k).unwrap()
            }),
    };
    let outcome = eval::evaluate_with(&notice, &data, as_of, options);
    if let Some(s) = &expect.status {
        assert_eq!(outcome.status.as_str(), s, "{name}: notice status");
    }
    for (id, status) in &expect.measures {
        let m = outcome
            .measures
            .iter()
            .find(|m| notice.measures[m.index].id == *id)
            .unwrap_or_else(|| panic!("{name}: no measure {id}"));
        assert_eq!(
            m.status.as_str(),
            status,
            "{name}: measure {id}: {:#?}",
            m.requirements
        );
    }
    for (id, n, status) in &expect.requirements {
        let m = outcome
            .measures
            .iter()
            .find(|m| notice.measures[m.index].id == *id)
            .unwrap_or_else(|| panic!("{name}: no measure {id}"));
        let v = m
            .requirements
            .get(n - 1)
            .unwrap_or_else(|| panic!("{name}: measure {id} has no requirement {n}"));
        assert_eq!(
            v.status.as_str(),
            status,
            "{name}: requirement {id}.{n}: {v:#?}"
        );
    }
    let diags = report::verdict_diagnostics(&notice, &data, &outcome);
    out.push_str(&report::table(&notice, &outcome));
    out.push('\n');
    out.push_str(&transcript(&diags));
    // The trace is pinned by its own snapshots (tests/trace.rs); here the
    // verdicts' summary fields keep each snapshot small enough to read.
    let mut json = serde_json::to_value(report::to_json(&notice, &data, &outcome)).unwrap();
    for m in json["measures"].as_array_mut().unwrap() {
        for r in m["requirements"].as_array_mut().unwrap() {
            let r = r.as_object_mut().unwrap();
            for key in ["trace", "timing", "sources", "projection", "owner"] {
                r.remove(key);
            }
        }
    }
    out + "\n" + &serde_json::to_string_pretty(&json).unwrap()
}

#[test]
fn fixtures() {
    insta::glob!("cases/**/*.notice", |path| {
        insta::assert_snapshot!(run(path));
    });
}
