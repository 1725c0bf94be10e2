//! The data scanner (`src/data/scan.rs`) beside the csv crate's
//! `Reader::read_byte_record`, on the same national-shaped files, each
//! touching every field: the measurement that decides whether the scanner
//! earns its place (its doc comment gives the figures, and those of a
//! reader built on the crate that also kept what the loader needs). Two files of
//! 1,050,000 rows (150 councils × 100 metrics × 70 months): one with no
//! quoted field, one where 3 of the 150 council names hold a comma and are
//! quoted ("Bristol, City of"), as in the published files (2% of rows).
//! `cargo bench --bench scan --features bench-internals`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

const COUNCILS: usize = 150;
const METRICS: usize = 100;
const MONTHS: usize = 70;

/// A national-shaped file (synthetic), written once; `quoted` councils
/// are named with a comma and so quoted.
fn file(name: &str, quoted: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/scan-bench");
    let path = dir.join(name);
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(out, "area,metric,date,value,source").unwrap();
    for c in 0..COUNCILS {
        let area = if c < quoted {
            format!("\"Council {c:03}, City of\"")
        } else {
            format!("Council {c:03}")
        };
        for m in 0..METRICS {
            for month in 0..MONTHS {
                let (year, month) = (2007 + month / 12, month % 12 + 1);
                writeln!(
                    out,
                    "{area},metric_{m:03},{year}-{month:02}-28,{}.{}%,synthetic",
                    (c + m + month) % 100,
                    month % 10
                )
                .unwrap();
            }
        }
    }
    out.flush().unwrap();
    path
}

/// The csv crate reading the same file, touching every field.
fn csv_crate(path: &Path) -> (u64, usize) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    let mut record = csv::ByteRecord::new();
    let (mut records, mut bytes) = (0u64, 0usize);
    while reader.read_byte_record(&mut record).unwrap() {
        records += 1;
        bytes += record.iter().map(|f| f.trim_ascii().len()).sum::<usize>();
    }
    (records, bytes)
}

fn benches(c: &mut Criterion) {
    let files = [
        ("unquoted", file("unquoted.csv", 0)),
        ("quoted_2pc", file("quoted.csv", 3)),
    ];
    let mut group = c.benchmark_group("scan_1m_rows");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .warm_up_time(Duration::from_secs(1));
    for (name, path) in &files {
        // Both read the same records and the same field bytes.
        let ours = notice_rules::bench_internals::scan_file(path).unwrap();
        assert_eq!(ours.0, csv_crate(path).0, "{name}");
        group.bench_function(format!("{name}/notice_scan"), |b| {
            b.iter(|| notice_rules::bench_internals::scan_file(path).unwrap())
        });
        group.bench_function(format!("{name}/csv_read_byte_record"), |b| {
            b.iter(|| csv_crate(path))
        });
    }
    group.finish();
}

criterion_group!(scan, benches);
criterion_main!(scan);
