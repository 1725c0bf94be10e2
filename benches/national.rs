//! Benchmarks on the national-shaped data set (England, 9 regions and 152
//! councils by their published names, three of them quoted for their comma,
//! × 550 metrics × 120 months, about 10.7 million rows;
//! `tests/support/national.rs`, written once to `target/national/`): the
//! Waltham Forest notice's load and evaluation, an evaluation for another
//! council (`eval --area`), a screen of every council, a 120-step timeline,
//! and parsing the CSV alone with the `csv` crate, the floor any CSV tool
//! stands on. `scripts/compare_national.py` runs the same checks in DuckDB,
//! polars and pandas on the same file, for the side-by-side figures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/national.rs"]
mod generator;

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use notice_rules::{data, eval, load_notice, time, Disk, Project};

const NOTICE: &str = "notices/waltham-forest-2012.notice";

/// The national file, written once (it is the same every time).
fn national_file(notice: &notice_rules::check::Notice) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/national");
    let file = dir.join("observations.csv");
    if !file.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let bundled =
            std::fs::read_to_string(root.join("notices/data/waltham-forest-2012/observations.csv"))
                .unwrap();
        let partial = dir.join("observations.csv.part");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&partial).unwrap());
        generator::write(notice, &bundled, generator::Shape::NATIONAL, &mut out).unwrap();
        drop(out);
        std::fs::rename(&partial, &file).unwrap();
    }
    file
}

fn benches(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (notice, _) = load_notice(&root.join(NOTICE)).unwrap();
    let file = national_file(&notice);
    let paths = vec![file.clone()];
    let as_of = time::parse_date("2013-01-31").unwrap();
    let mut group = c.benchmark_group("national_10m_rows");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15))
        .warm_up_time(Duration::from_secs(2));
    group.bench_function("csv_parse_alone", |b| {
        b.iter(|| {
            let mut reader = csv::Reader::from_path(&file).unwrap();
            let mut record = csv::ByteRecord::new();
            let mut rows = 0u64;
            while reader.read_byte_record(&mut record).unwrap() {
                rows += 1;
            }
            rows
        })
    });
    group.bench_function("load_and_eval", |b| {
        b.iter(|| {
            let data = Project::new(&Disk)
                .load_data(&notice, notice_rules::DataFiles::Only(&paths), Vec::new())
                .map(|(d, _)| d)
                .unwrap();
            eval::evaluate(&notice, &data, as_of)
        })
    });
    // The national file read for `areas`.
    let load = |areas: data::Areas| {
        Project::new(&Disk)
            .load_data_of(
                &notice,
                notice_rules::DataFiles::Only(&paths),
                Vec::new(),
                areas,
            )
            .map(|(d, _)| d)
            .unwrap()
    };
    group.bench_function("load_and_screen_152_councils", |b| {
        b.iter(|| {
            let mut data = load(data::Areas::Every);
            let areas =
                data.screened_areas(&notice.areas_read(), Some(data::Level::LocalAuthority));
            assert_eq!(areas.len(), 152);
            eval::screen(&notice, &mut data, &areas, as_of, eval::Options::default())
        })
    });
    group.bench_function("load_and_eval_for_bristol", |b| {
        b.iter(|| {
            let mut data = load(data::Areas::Also("Bristol, City of".to_string()));
            let for_bristol =
                eval::for_area(notice.clone(), &mut data, "Bristol, City of").unwrap();
            eval::evaluate(&for_bristol, &data, as_of)
        })
    });
    let from = time::parse_date("2007-01-01").unwrap();
    let to = time::parse_date("2016-12-31").unwrap();
    let steps = eval::steps(from, to, notice_rules::check::Period::Month);
    assert_eq!(steps.len(), 120);
    group.bench_function("load_and_timeline_120_months", |b| {
        b.iter(|| {
            let data = Project::new(&Disk)
                .load_data(&notice, notice_rules::DataFiles::Only(&paths), Vec::new())
                .map(|(d, _)| d)
                .unwrap();
            eval::timeline_of_statuses(&notice, &data, &steps, eval::Options::default())
        })
    });
    group.finish();
}

criterion_group!(national, benches);
criterion_main!(national);
