//! Benchmarks: parse+check of a 1,000-measure notice, and evaluation over
//! one million observations, with and without loading the CSV.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use notice_rules::{eval, load_notice_text, time, Disk, Project, SourceFile};

const METRICS: usize = 100;
const MEASURES: usize = 1_000;
const DAYS: usize = 10_000;

/// A notice of `MEASURES` measures over `METRICS` percent metrics.
fn notice_text() -> String {
    let mut s = String::from(
        "notice bench {\n  title \"Generated\" authority \"Somewhere\" issued 2020-01-06\n  milestone review = issued + 6 months\n",
    );
    for m in 0..METRICS {
        writeln!(
            s,
            "  metric m{m} : percent, higher is better \"Metric {m}\""
        )
        .unwrap();
    }
    writeln!(s, "  evidence plan \"A plan\"").unwrap();
    for i in 0..MEASURES {
        let m = i % METRICS;
        writeln!(
            s,
            "  measure \"{i}\" \"Measure {i}\" {{\n    text \"The notice's words for measure {i}.\"\n    require m{m} >= m{m}[England] - 5pp by review\n    expect any {{ m{m} >= 60%  evidence plan }} within 3 months of issued\n  }}"
        )
        .unwrap();
    }
    s.push_str("}\n");
    s
}

/// One million observations: every metric, every day for `DAYS` days.
fn observations_csv() -> String {
    let start = time::parse_date("1995-01-01").unwrap();
    let mut s = String::with_capacity(60 * METRICS * DAYS);
    s.push_str("area,metric,date,value,source\n");
    for m in 0..METRICS {
        let area = if m % 10 == 0 { "England" } else { "Somewhere" };
        for d in 0..DAYS {
            let date = start + chrono::Days::new(d as u64);
            writeln!(s, "{area},m{m},{date},{}.5%,generated", (d * 7 + m) % 100).unwrap();
        }
    }
    s
}

fn benches(c: &mut Criterion) {
    let text = notice_text();
    c.bench_function("parse_check_1000_measures", |b| {
        b.iter(|| load_notice_text("bench.notice", &text, Path::new(".")).unwrap())
    });

    let (notice, _) = load_notice_text("bench.notice", &text, Path::new(".")).unwrap();
    let csv = observations_csv();
    let as_of = time::parse_date("2020-12-31").unwrap();
    let mut group = c.benchmark_group("one_million_observations");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("load_and_eval", |b| {
        b.iter(|| {
            let data = Project::new(&Disk)
                .load_data_texts(&notice, vec![SourceFile::new("obs.csv", csv.as_str())])
                .map(|(d, _)| d)
                .unwrap();
            eval::evaluate(&notice, &data, as_of)
        })
    });
    let data = Project::new(&Disk)
        .load_data_texts(&notice, vec![SourceFile::new("obs.csv", csv.as_str())])
        .map(|(d, _)| d)
        .unwrap();
    assert_eq!(data.observation_count(), METRICS * DAYS);
    group.bench_function("eval_only", |b| {
        b.iter(|| eval::evaluate(&notice, &data, as_of))
    });
    // A 120-step monthly timeline, against the single evaluations above.
    let from = time::parse_date("2011-01-01").unwrap();
    let to = time::parse_date("2020-12-31").unwrap();
    let steps = eval::steps(from, to, notice_rules::check::Period::Month);
    assert_eq!(steps.len(), 120);
    group.bench_function("load_and_timeline_120_months", |b| {
        b.iter(|| {
            let data = Project::new(&Disk)
                .load_data_texts(&notice, vec![SourceFile::new("obs.csv", csv.as_str())])
                .map(|(d, _)| d)
                .unwrap();
            eval::timeline(&notice, &data, &steps, eval::Options::default())
        })
    });
    group.bench_function("timeline_120_months_only", |b| {
        b.iter(|| eval::timeline(&notice, &data, &steps, eval::Options::default()))
    });
    // What `notice timeline` runs: statuses only.
    group.bench_function("timeline_of_statuses_120_months_only", |b| {
        b.iter(|| eval::timeline_of_statuses(&notice, &data, &steps, eval::Options::default()))
    });
    group.finish();
}

/// Two hundred weekly duties over twenty years, a weekly record for each
/// week, stepped monthly (241 steps): a settled week is judged once, not
/// at every step (which took 11.5 s).
fn many_duties(c: &mut Criterion) {
    let mut text = String::from(
        "notice big {\n  title \"Big\" authority \"Somewhere\" issued 2000-01-03\n  evidence visit \"Visit\"\n",
    );
    for i in 1..=200 {
        writeln!(text, "  measure \"{i}\" \"M{i}\" {{\n    text \"t\"\n    require evidence visit every week from 2000-01-03 until 2020-01-01\n  }}").unwrap();
    }
    text.push_str("}\n");
    let (notice, _) = load_notice_text("big.notice", &text, Path::new(".")).unwrap();
    let from = time::parse_date("2000-01-03").unwrap();
    let to = time::parse_date("2020-01-01").unwrap();
    let mut csv = String::from("kind,date,reference\n");
    for day in eval::steps(from, to, notice_rules::check::Period::Week) {
        writeln!(csv, "visit,{day},weekly visit").unwrap();
    }
    let data = Project::new(&Disk)
        .load_data_texts(&notice, vec![SourceFile::new("e.csv", csv.as_str())])
        .map(|(d, _)| d)
        .unwrap();
    let steps = eval::month_steps(from, to);
    assert_eq!(steps.len(), 241);
    let mut group = c.benchmark_group("scaling");
    group.sample_size(10);
    group.bench_function("timeline_200_weekly_duties_241_steps", |b| {
        b.iter(|| eval::timeline_of_statuses(&notice, &data, &steps, eval::Options::default()))
    });
    group.finish();
}

/// Check time and diagnostic rendering against input size: both should
/// grow in proportion (the confusable-names lint and name lookups were
/// once quadratic; a diagnostic once rescanned its file from the start).
fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    for n in [1_000usize, 10_000, 50_000] {
        let mut text =
            String::from("notice big {\n  title \"B\" authority \"S\" issued 2012-01-23\n");
        for i in 0..n {
            writeln!(text, "  metric m{i} : percent").unwrap();
        }
        text.push_str("}\n");
        group.bench_function(format!("check_{n}_metrics"), |b| {
            b.iter(|| load_notice_text("big.notice", &text, Path::new(".")).unwrap())
        });
    }
    // Every metric used once: each use a lookup by name, not a scan (which
    // made 80,000 take 44 s).
    for n in [20_000usize, 80_000] {
        let mut text =
            String::from("notice used {\n  title \"U\" authority \"S\" issued 2012-01-23\n");
        for i in 0..n {
            writeln!(text, "  metric m{i} : percent \"M{i}\"").unwrap();
        }
        text.push_str("  measure \"1\" \"All\" {\n    text \"t\"\n");
        for i in 0..n {
            writeln!(text, "    require m{i} >= 1%").unwrap();
        }
        text.push_str("  }\n}\n");
        group.bench_function(format!("check_{n}_metrics_each_used"), |b| {
            b.iter(|| load_notice_text("used.notice", &text, Path::new(".")).unwrap())
        });
    }
    for n in [1_000usize, 10_000] {
        // Each milestone defined on the next, the last on `issued`.
        let mut text =
            String::from("notice chain {\n  title \"C\" authority \"S\" issued 2012-01-23\n");
        for i in 0..n - 1 {
            writeln!(text, "  milestone ms{i} = ms{} + 1 day", i + 1).unwrap();
        }
        writeln!(text, "  milestone ms{} = issued\n}}", n - 1).unwrap();
        group.bench_function(format!("check_chain_of_{n}_milestones"), |b| {
            b.iter(|| load_notice_text("chain.notice", &text, Path::new(".")).unwrap())
        });
    }
    // Rows each naming a different near miss of a declared metric: each a
    // suggestion among every metric, prepared once and filtered by length
    // and letters before any edit distance is computed.
    for n in [2_000usize] {
        let mut text =
            String::from("notice near {\n  title \"N\" authority \"S\" issued 2012-01-23\n");
        for i in 0..n {
            writeln!(text, "  metric metric_{i:05} : percent \"M{i}\"").unwrap();
        }
        text.push_str(
            "  measure \"1\" \"One\" {\n    text \"t\"\n    require metric_00000 >= 1%\n  }\n}\n",
        );
        let (near, _) = load_notice_text("near.notice", &text, Path::new(".")).unwrap();
        let mut csv = String::from("area,metric,date,value\n");
        for i in 0..n {
            writeln!(csv, "S,metrik_{i:05},2012-03-31,5%").unwrap();
        }
        group.bench_function(
            format!("data_{n}_rows_of_distinct_near_misses_of_{n}_metrics"),
            |b| {
                b.iter(|| {
                    Project::new(&Disk)
                        .load_data_texts(&near, vec![SourceFile::new("near.csv", csv.as_str())])
                        .map(|(d, _)| d)
                        .unwrap_err()
                        .len()
                })
            },
        );
    }
    let (notice, _) = load_notice_text(
        "bad.notice",
        "notice bad {\n  title \"B\" authority \"S\" issued 2012-01-23\n  metric visits : percent\n}\n",
        Path::new("."),
    )
    .unwrap();
    for n in [1_000usize, 10_000] {
        let mut csv = String::from("area,metric,date,value\n");
        for i in 0..n {
            writeln!(csv, "S,visits,2012-01-{:02},not a number", i % 28 + 1).unwrap();
        }
        group.bench_function(format!("render_{n}_data_errors"), |b| {
            b.iter(|| {
                let errors = Project::new(&Disk)
                    .load_data_texts(&notice, vec![SourceFile::new("bad.csv", csv.as_str())])
                    .map(|(d, _)| d)
                    .unwrap_err();
                errors
                    .iter()
                    .map(|e| notice_rules::render_plain(e, 100).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(engine, benches, scaling, many_duties);
criterion_main!(engine);
