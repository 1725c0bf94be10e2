//! Fuzz targets of national data: the Department's published statistics
//! and a national file of many areas, each loaded for every area and
//! screened (the table shown as a terminal shows it, the CSV and the
//! JSON), and workbooks mutated as zip files, byte by byte.

use std::path::{Path, PathBuf};

use notice_rules::{data, eval, report, time, DataFiles, Memory, Project};

/// The notice the published-statistics target screens with: a column of
/// the Department's tidy files, read for England and each council.
const PUBLISHED_NOTICE: &str = "notice p {\n  title \"P\" authority \"Waltham Forest\" code \"E09000031\" issued 2011-06-01\n  data \"d.csv\"\n  metric cp_repeat_plan : percent, lower is better, column \"repeat_cpp_percent\" \"Repeat plans\"\n  metric cp_rate : count, column \"cpp_rate\" \"Plans\"\n  measure \"1\" \"Repeat plans\" {\n    text \"t\"\n    require cp_repeat_plan from 2011-04-01 until 2012-03-31 <= cp_repeat_plan[England] by 2012-03-31\n  }\n  measure \"2\" \"Plans\" {\n    text \"t\"\n    require cp_rate <= cp_rate[England] + 5\n  }\n}\n";

/// The notice the screen target screens with.
const SCREEN_NOTICE: &str = "notice s {\n  title \"S\" authority \"Somewhere\" issued 2012-01-23\n  data \"d.csv\"\n  metric visits : percent, higher is better \"Visits\"\n  evidence plan \"Plan\"\n  measure \"1\" \"Visits\" {\n    text \"t\"\n    require visits >= visits[England] by 2012-06-30\n  }\n  measure \"2\" \"Trend\" {\n    text \"t\"\n    expect visits >= 80% within 3 months of issued\n  }\n}\n";

/// The seeds of a national target: the repository's CSV files of its
/// shape (published statistics have `time_period`; a national file has
/// `area` first).
pub fn seeds(root: &Path, target: &str) -> Vec<String> {
    let dir = root.join("tests/cases/data");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    match target {
        "zip" => paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "xlsx" || e == "ods"))
            .filter_map(|p| std::fs::read(p).ok())
            .map(|bytes| bytes.iter().map(|&b| char::from(b)).collect())
            .collect(),
        _ => paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter(|text| {
                let header = text.lines().next().unwrap_or_default();
                match target {
                    "published" => header.contains("time_period"),
                    _ => header.starts_with("area,"),
                }
            })
            .collect(),
    }
}

/// A national file screened for every area it holds: a screen or located
/// errors, and what is written out is safe to show and to open.
pub fn screen(target: &str, text: &str) -> Result<(), String> {
    let notice = if target == "published" {
        PUBLISHED_NOTICE
    } else {
        SCREEN_NOTICE
    };
    let memory = Memory::new()
        .with("s/n.notice", notice)
        .with("s/d.csv", text);
    let project = Project::new(&memory);
    let (notice, _) = project
        .load_notice("s/n.notice".as_ref())
        .map_err(|_| format!("the {target} target's notice does not check"))?;
    let mut data =
        match project.load_data_of(&notice, DataFiles::Notice, Vec::new(), data::Areas::Every) {
            Ok((data, _)) => data,
            Err(errors) if errors.is_empty() => return Err("refused with no diagnostic".into()),
            Err(_) => return Ok(()),
        };
    let fixed = notice.areas_read();
    let areas = data.screened_areas(&fixed, None);
    let as_of = time::parse_date("2013-06-30").ok_or("date")?;
    let screen = eval::screen(&notice, &mut data, &areas, as_of, eval::Options::default());
    if screen.areas.len() != areas.len() {
        return Err(format!(
            "{} areas screened of {}",
            screen.areas.len(),
            areas.len()
        ));
    }
    let table = report::screen_table(&notice, &screen, &fixed, "notice eval");
    let table = report::shown(&table, false);
    if let Some(c) = table
        .chars()
        .find(|c| (c.is_control() && !matches!(c, '\n' | '\t')) || bidi(*c))
    {
        return Err(format!("the screen's table shows {c:?} as itself"));
    }
    let csv = report::screen_csv(&screen);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| format!("the screen's CSV does not read back: {e}"))?;
        if let Some(cell) = record
            .iter()
            .find(|cell| cell.starts_with(['=', '+', '-', '@', '\t', '\r']))
        {
            return Err(format!(
                "a CSV cell starts with a formula character: {cell:?}"
            ));
        }
    }
    serde_json::to_string(&report::screen_json(&screen, &fixed)).map_err(|e| e.to_string())?;
    Ok(())
}

/// A bidirectional control: an embedding, override or isolate, or the
/// mark that closes one. A table shows each as an escape, balanced or not.
fn bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A workbook mutated as a zip file (each character of the input one byte):
/// a data set or located errors.
pub fn zipped(text: &str) -> Result<(), String> {
    let bytes: Vec<u8> = text.chars().map(|c| (u32::from(c) & 0xff) as u8).collect();
    let format = if bytes.windows(11).any(|w| w == b"opendocumen") {
        "ods"
    } else {
        "xlsx"
    };
    super::workbooks::evaluate(format, bytes)
}
