//! The library's pipeline driven from memory (an editor's unsaved buffers)
//! gives the outcome it gives from disk.

use std::path::Path;

use notice_rules::{eval, report, time, Disk, Memory, Project, Sources};

const NOTICE: &str = r#"use "lib/shared.notice"
notice memory {
  title "From memory" authority "Somewhere" issued 2012-01-23
  data "data"
  milestone review = issued + 6 months
  evidence plan "An action plan"
  measure "i" "Plan" { require evidence plan within 3 months of issued }
  measure "ii" "Visits" { require visits >= visits[England] - 5pp by review }
  measure "iii" "Audits" { require evidence plan every month from 2012-02-01 until 2012-04-30 }
}
"#;
const LIBRARY: &str = "library shared {\n  metric visits : percent, higher is better\n}\n";
const OBSERVATIONS: &str = "area,metric,date,value,source\nSomewhere,visits,2012-06-30,80%,illustrative\nEngland,visits,2012-06-30,90%,illustrative\n";
const EVIDENCE: &str = "kind,date,reference\nplan,2012-02-10,illustrative: the plan\nplan,2012-04-02,illustrative: revised\n";

const FILES: [(&str, &str); 4] = [
    ("n/memory.notice", NOTICE),
    ("n/lib/shared.notice", LIBRARY),
    ("n/data/observations.csv", OBSERVATIONS),
    ("n/data/evidence.csv", EVIDENCE),
];

/// Each requirement's status, reason, observed value and data lines.
fn outcome(sources: &dyn Sources, root: &Path) -> Vec<String> {
    let project = Project::new(sources);
    let (notice, warnings) = project
        .load_notice(&root.join("n/memory.notice"))
        .unwrap_or_else(|e| {
            let shown: Vec<String> = e
                .iter()
                .map(|d| notice_rules::render_plain(d, 100))
                .collect();
            panic!("{}", shown.join("\n"))
        });
    let (data, _) = project
        .load_data(&notice, notice_rules::DataFiles::Notice, Vec::new())
        .unwrap();
    let outcome = eval::evaluate(&notice, &data, time::parse_date("2012-08-01").unwrap());
    let mut out = vec![
        outcome.status.to_string(),
        format!("{} warnings", warnings.len()),
    ];
    for m in &outcome.measures {
        for v in &m.requirements {
            let lines: Vec<u32> = v.sources.iter().map(|p| p.line).collect();
            out.push(format!(
                "{} {} | {} | {:?} | {lines:?}",
                notice.measures[m.index].id,
                v.status,
                report::prose::verdict_reason(&notice, m.index, v),
                report::prose::observed(&notice, &v.finding),
            ));
        }
    }
    out
}

#[test]
fn memory_and_disk_give_the_same_outcome() {
    let mut memory = Memory::new();
    for (path, text) in FILES {
        memory = memory.with(path, text);
    }
    let from_memory = outcome(&memory, Path::new(""));

    let dir = tempfile::tempdir().unwrap();
    for (path, text) in FILES {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let from_disk = outcome(&Disk, dir.path());
    assert_eq!(from_memory, from_disk);
    assert_eq!(from_memory[0], "not_met");
    assert_eq!(from_memory.len(), 5);
}

#[test]
fn a_missing_notice_file_says_so() {
    let errors = Project::new(&Memory::new())
        .load_notice(Path::new("none.notice"))
        .err()
        .unwrap();
    let text = notice_rules::render_plain(&errors[0], 100);
    assert!(text.contains("notice::file::not_found"), "{text}");
    assert!(text.contains("`none.notice` does not exist"), "{text}");
}

#[test]
fn a_library_checks_as_a_library() {
    let memory = Memory::new().with("lib.notice", LIBRARY);
    let (checked, warnings) = Project::new(&memory)
        .check_file(Path::new("lib.notice"))
        .unwrap_or_else(|e| panic!("{} errors", e.len()));
    assert!(warnings.is_empty());
    assert!(matches!(
        checked,
        notice_rules::Checked::Library {
            declarations: 1,
            ..
        }
    ));
}

#[test]
fn inline_csv_alone_is_the_whole_data_set_of_a_test_case() {
    let results =
        notice_rules::runner::run_file(Path::new("tests/cases/runner/inline_only.test.toml"))
            .unwrap_or_else(|e| panic!("{} errors", e.len()));
    assert_eq!(results.len(), 2);
    for r in &results {
        assert!(r.passed, "{}: {:?}", r.name, r.failures);
    }
}

#[test]
fn a_declaration_names_the_file_it_was_written_in() {
    let mut memory = Memory::new();
    for (path, text) in FILES {
        memory = memory.with(path, text);
    }
    let (notice, _) = Project::new(&memory)
        .load_notice(Path::new("n/memory.notice"))
        .unwrap_or_else(|e| panic!("{} errors", e.len()));
    let visits = notice
        .metric_by_name("visits")
        .and_then(|id| notice.metric(id));
    let declared = &visits.unwrap().declared;
    assert!(
        declared.file.ends_with("shared.notice"),
        "{}",
        declared.file
    );
    assert_eq!(&LIBRARY[declared.span.start..declared.span.end], "visits");
    let plan = notice
        .evidence_by_name("plan")
        .and_then(|id| notice.evidence_kind(id));
    let declared = &plan.unwrap().declared;
    assert!(
        declared.file.ends_with("memory.notice"),
        "{}",
        declared.file
    );
    assert_eq!(&NOTICE[declared.span.start..declared.span.end], "plan");
}
