//! Parses a CSV file with the `csv` crate and counts its records: the floor
//! under any CSV reader, for `scripts/compare_national.py`.
//! `cargo run --release --example csv_parse -- FILE`

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: csv_parse FILE");
        return std::process::ExitCode::from(2);
    };
    let Ok(mut reader) = csv::Reader::from_path(&path) else {
        eprintln!("error: cannot read {path}");
        return std::process::ExitCode::from(2);
    };
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        rows += 1;
    }
    println!("{rows}");
    std::process::ExitCode::SUCCESS
}
