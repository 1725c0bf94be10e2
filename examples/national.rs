//! Writes the national-shaped data set of `tests/support/national.rs` for a
//! notice: `cargo run --example national -- OUT [NOTICE] [--small]`
//! writes `OUT/observations.csv` (about 10 million rows, 600 MB) and copies
//! the notice's bundled `evidence.csv` beside it.

#![allow(clippy::print_stderr)]

#[path = "../tests/support/national.rs"]
mod national;

use std::path::PathBuf;

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let small = args.iter().any(|a| a == "--small");
    let mut paths = args.iter().filter(|a| !a.starts_with("--"));
    let out = PathBuf::from(
        paths
            .next()
            .ok_or("usage: national OUT [NOTICE] [--small]")?,
    );
    let notice_path = PathBuf::from(
        paths
            .next()
            .map_or("notices/waltham-forest-2012.notice", String::as_str),
    );
    let project = notice_rules::Project::new(&notice_rules::Disk);
    let (notice, _) = project
        .load_notice(&notice_path)
        .map_err(|_| format!("{} does not check", notice_path.display()))?;
    let bundled_dir = notice.data.first().cloned().unwrap_or_default();
    let bundled = std::fs::read_to_string(bundled_dir.join("observations.csv"))
        .map_err(|e| format!("{}: {e}", bundled_dir.display()))?;
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let shape = if small {
        national::Shape::SMALL
    } else {
        national::Shape::NATIONAL
    };
    let file = std::fs::File::create(out.join("observations.csv")).map_err(|e| e.to_string())?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let rows = national::write(&notice, &bundled, shape, &mut w).map_err(|e| e.to_string())?;
    std::io::Write::flush(&mut w).map_err(|e| e.to_string())?;
    let evidence = bundled_dir.join("evidence.csv");
    if evidence.exists() {
        std::fs::copy(&evidence, out.join("evidence.csv")).map_err(|e| e.to_string())?;
    }
    eprintln!(
        "{rows} rows written to {}",
        out.join("observations.csv").display()
    );
    Ok(())
}
