//! Fuzz targets of the surfaces added since the first round: workbooks
//! (the sheet of an .xlsx and the content of an .ods, mutated as text and
//! zipped into the bundled workbook), and the renderers for programs and
//! spreadsheets given hostile names (JUnit must be XML 1.0, SARIF's file a
//! URI reference, a CSV cell never a formula).

use std::io::{Read, Write};
use std::path::Path;

use notice_rules::{eval, load_notice_text, report, time, DataFiles, Memory, Project};

/// The notice the workbook targets read: the bundled workbook fixture's.
const WORKBOOK_NOTICE: &str = "notice w {\n  title \"W\" authority \"Somewhere\" issued 2012-01-23\n  data \"board.FORMAT\"\n  metric visits : percent, higher is better \"Visits\"\n  metric caseload : ratio, lower is better \"Caseload\"\n  evidence action_plan \"Action plan\"\n  measure \"i\" \"Visits\" {\n    text \"t\"\n    require visits >= visits[England] and caseload <= 14.5\n  }\n}\n";

/// The part of each bundled workbook a target mutates.
fn part_of(target: &str) -> (&'static str, &'static str) {
    match target {
        "ods" => ("board.ods", "content.xml"),
        _ => ("board.xlsx", "xl/worksheets/sheet2.xml"),
    }
}

fn bundled(root: &Path, file: &str) -> Vec<u8> {
    std::fs::read(root.join("tests/cases/data").join(file)).unwrap_or_default()
}

/// The seed of a workbook target: the text of the part it mutates.
pub fn seeds(root: &Path, target: &str) -> Vec<String> {
    let (file, part) = part_of(target);
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bundled(root, file))) else {
        return Vec::new();
    };
    let mut text = String::new();
    if let Ok(mut f) = zip.by_name(part) {
        let _ = f.read_to_string(&mut text);
    }
    vec![text]
}

/// The bundled workbook with its part replaced by `text`.
fn workbook_with(root: &Path, target: &str, text: &str) -> Result<Vec<u8>, String> {
    let (file, part) = part_of(target);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bundled(root, file)))
        .map_err(|e| e.to_string())?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        if name == part {
            bytes = text.as_bytes().to_vec();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .map_err(|e| e.to_string())?;
        out.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

/// A workbook of a mutated part: a data set (evaluated) or located errors.
pub fn workbook(root: &Path, target: &str, text: &str) -> Result<(), String> {
    let format = if target == "ods" { "ods" } else { "xlsx" };
    evaluate(format, workbook_with(root, target, text)?)
}

/// A workbook's bytes read by the bundled workbook's notice: a data set
/// (evaluated) or located errors.
pub fn evaluate(format: &str, bytes: Vec<u8>) -> Result<(), String> {
    let notice_text = WORKBOOK_NOTICE.replace("FORMAT", format);
    let memory = Memory::new()
        .with("w/n.notice", notice_text)
        .with(format!("w/board.{format}"), bytes);
    let project = Project::new(&memory);
    let (notice, _) = project
        .load_notice("w/n.notice".as_ref())
        .map_err(|_| "the workbook target's notice does not check".to_string())?;
    match project.load_data(&notice, DataFiles::Notice, Vec::new()) {
        Ok((data, _)) => {
            let as_of = time::parse_date("2012-08-01").ok_or("date")?;
            let _ = eval::evaluate(&notice, &data, as_of);
            Ok(())
        }
        Err(errors) if errors.is_empty() => Err("refused with no diagnostic".into()),
        Err(_) => Ok(()),
    }
}

/// Renderers with a hostile name (the input) as the notice's title, the
/// measure's title and a rule's file: JUnit parses as XML 1.0 with no
/// character it forbids, SARIF names the file as a URI reference, and the
/// screen's CSV never starts a cell with a formula character.
pub fn renderers(text: &str) -> Result<(), String> {
    let quoted: String = text
        .chars()
        .filter(|c| *c != '"' && *c != '\\')
        .take(200)
        .collect();
    let notice = |rule: &str| {
        format!(
            "notice r {{\n  title \"{quoted}\" authority \"Somewhere\" issued 2012-01-23\n  metric visits : percent, higher is better \"{quoted}\"\n  measure \"{quoted}\" \"{quoted}\" {{\n    text \"t\"\n    {rule}\n  }}\n}}\n"
        )
    };
    let name = format!("{quoted}.notice");
    // A notice that checks: its JUnit.
    if let Ok((checked, _)) =
        load_notice_text(&name, &notice("require visits >= 90%"), Path::new("."))
    {
        let data = notice_rules::data::DataSet::default();
        let as_of = time::parse_date("2012-08-01").ok_or("date")?;
        let outcome = eval::evaluate(&checked, &data, as_of);
        xml_10(&report::ci::junit(&checked, &outcome))?;
    }
    // One that does not: its SARIF.
    if let Err(errors) = load_notice_text(&name, &notice("require visit >= 1%"), Path::new(".")) {
        let log = report::ci::sarif(&errors);
        for result in log["runs"][0]["results"].as_array().into_iter().flatten() {
            for location in result["locations"].as_array().into_iter().flatten() {
                let uri = location["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_default();
                if uri
                    .chars()
                    .any(|c| !(c.is_ascii_alphanumeric() || "-._~/%".contains(c)))
                {
                    return Err(format!("SARIF uri is not a URI reference: {uri:?}"));
                }
            }
        }
    }
    let cell = report::shown(text, false);
    if cell
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(format!("a control character is shown as itself: {cell:?}"));
    }
    Ok(())
}

/// Whether a text is XML 1.0 with no character it forbids.
fn xml_10(xml: &str) -> Result<(), String> {
    if let Some(c) = xml.chars().find(|c| {
        !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }) {
        return Err(format!("JUnit holds {c:?}, which XML 1.0 forbids"));
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(()),
            Err(e) => return Err(format!("JUnit is not well-formed: {e}")),
            _ => {}
        }
    }
}
