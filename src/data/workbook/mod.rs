//! Spreadsheets (`.xlsx`, `.ods`): each sheet's cells as text, in the same
//! layouts as CSV. A spreadsheet date is written as an ISO date; a number is
//! written as the shortest text that is the number the file holds; a cell
//! formatted as a percent (0.61 shown as 61%) is read as the percent it
//! shows. An `.xlsx` sheet is read in one pass, values and styles together
//! (`xlsx.rs`); an `.ods` by calamine, which does not say which cells are
//! percents, so that is read from its content here (`ods_percents`).

use std::collections::HashSet;
use std::io::Cursor;

mod bounds;
mod xlsx;

use calamine::{Data, Reader};
use quick_xml::events::Event;

/// One sheet's rows of cell texts.
pub(super) struct Sheet {
    /// The sheet's name.
    pub(super) name: String,
    /// Rows with their one-based row number and first column (zero-based).
    pub(super) rows: Vec<(u32, u32, Vec<String>)>,
}

/// Whether a path names a workbook this module reads.
pub(super) fn is_workbook(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "xlsm" | "ods"))
}

/// Why a workbook is refused, and what to do about it.
pub(super) struct Refused {
    pub(super) reason: String,
    pub(super) help: &'static str,
}

/// For a workbook its program can save again.
pub(super) const SAVE_AGAIN: &str = "open it in its spreadsheet program and save it again, or save its tables as CSV files and give those";
/// For a workbook over the limits a board's figures never reach.
pub(super) const TOO_LARGE: &str = "a board's figures fit in far less: save the sheets that hold its tables as CSV files and give those";
/// For a sheet the workbook does not have.
pub(super) const NAME_A_SHEET: &str =
    "name a sheet the workbook has as `book.xlsx#Sheet`, or give none to read every sheet";

pub(super) fn refused(help: &'static str) -> impl Fn(String) -> Refused {
    move |reason| Refused { reason, help }
}

/// Reads the sheets of a workbook: the one named, or every sheet.
pub(super) fn read(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<Sheet>, Refused> {
    // Sizes, XML and extents first: calamine would loop, or ask for all
    // the memory there is, on a workbook over them. (A part that is not
    // well-formed is named here; calamine says only "cannot detect file
    // format".)
    bounds::check(&bytes).map_err(|e| match e {
        bounds::Over::Limit(reason) => refused(TOO_LARGE)(reason),
        bounds::Over::Malformed(reason) => refused(SAVE_AGAIN)(reason),
    })?;
    // A part that cannot be made sense of is the workbook's error, not a
    // crash (calamine has panicked on some).
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if is_xlsx(&bytes) {
            xlsx::read(&bytes, sheet)
        } else {
            read_checked(bytes, sheet)
        }
    }))
    .unwrap_or_else(|_| {
        Err(refused(SAVE_AGAIN)(
            "the workbook could not be read: one of its parts is not as a workbook's must be"
                .into(),
        ))
    })
}

/// Whether a workbook is an `.xlsx` (a zip with `xl/workbook.xml`).
fn is_xlsx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .is_ok_and(|mut zip| zip.by_name("xl/workbook.xml").is_ok())
}

/// Reads a workbook that is within the limits, by calamine (an `.ods`).
fn read_checked(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<Sheet>, Refused> {
    let percent = percent_cells(&bytes);
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        refused(SAVE_AGAIN)(format!(
            "not a workbook this tool reads (workbooks are .xlsx or .ods): {e}"
        ))
    })?;
    let names = book.sheet_names();
    let wanted: Vec<String> = match sheet {
        Some(name) => {
            if !names.iter().any(|n| n == name) {
                let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                let near = crate::check::did_you_mean(name, names.iter().map(String::as_str))
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                return Err(refused(NAME_A_SHEET)(format!(
                    "the workbook has no sheet `{name}`{near}; its sheets are {}",
                    listed.join(", ")
                )));
            }
            vec![name.to_string()]
        }
        None => names,
    };
    let mut out = Vec::new();
    for name in wanted {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| refused(SAVE_AGAIN)(format!("sheet `{name}` cannot be read: {e}")))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let percents = percent.iter().find(|(n, _)| *n == name).map(|(_, p)| p);
        let mut rows = Vec::new();
        for (i, cells) in range.rows().enumerate() {
            let r = row0 + u32::try_from(i).unwrap_or(u32::MAX);
            let texts = cells
                .iter()
                .enumerate()
                .map(|(j, cell)| {
                    let c = col0 + u32::try_from(j).unwrap_or(u32::MAX);
                    let is_percent = percents.is_some_and(|p| p.contains(&(r, c)));
                    cell_text(cell, is_percent)
                })
                .collect();
            rows.push((r + 1, col0, texts));
        }
        out.push(Sheet { name, rows });
    }
    Ok(out)
}

/// A cell as text, as the notice reads data: exact, never rounded.
pub(super) fn cell_text(cell: &Data, percent: bool) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) if percent => percent_text(&format!("{i}")),
        Data::Int(i) => i.to_string(),
        // The shortest text that reads back as the same number: what the
        // cell holds, as a spreadsheet shows it at full precision.
        Data::Float(f) if percent => percent_text(&format!("{f}")),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        // Outside a spreadsheet's dates (day 0 to 31 December 9999) a date
        // cell is its number, refused as a date where a date is read (chrono
        // would panic converting it).
        Data::DateTime(d) if !(0.0..=2_958_466.0).contains(&d.as_f64()) => {
            format!("{}", d.as_f64())
        }
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.date().to_string(),
            // A date with a time of day is shown as it is, and refused as a date.
            Some(dt) => dt.to_string(),
            None => format!("{}", d.as_f64()),
        },
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
    }
}

/// A fraction shown as a percent (0.61 → 61%), exactly.
fn percent_text(number: &str) -> String {
    match number.parse::<rust_decimal::Decimal>() {
        Ok(d) => match d.checked_mul(rust_decimal::Decimal::ONE_HUNDRED) {
            Some(p) => format!("{}%", p.normalize()),
            None => number.to_string(),
        },
        // Not a number the engine holds exactly: left as written, and refused.
        Err(_) => number.to_string(),
    }
}

/// The cells of each table of an `.ods` that hold a percentage, by (row,
/// column), both zero-based; empty when its content cannot be read.
fn percent_cells(bytes: &[u8]) -> Vec<(String, HashSet<(u32, u32)>)> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    ods_percents(&entry(&mut zip, "content.xml"))
}

/// A part's text, or none when it cannot be read (its styles are then not
/// known, and its cells are read as they are).
fn entry(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> String {
    bounds::part(zip, name).unwrap_or_default()
}

/// An attribute's value, by its name.
pub(super) fn attr(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| String::from_utf8(a.value.into_owned()).ok())
}

/// Calls `f` on every element of a local name in an XML text (a text that
/// is not XML ends the walk: its cells are then read as they are).
pub(super) fn each_element(
    xml: &str,
    name: &[u8],
    mut f: impl FnMut(&quick_xml::events::BytesStart<'_>),
) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name => f(&e),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

/// Whether a number format shows a percent: a `%` outside quotes.
pub(super) fn shows_percent(code: &str) -> bool {
    let mut quoted = false;
    for c in code.chars() {
        match c {
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// `C5` as (row 4, column 2), zero-based, read exactly as calamine reads
/// it (letters of either case, digits after them, sums that wrap as its
/// release build's do): a cell's place here is the place calamine gives it,
/// so the bounds checked are the ones it allocates.
pub(super) fn cell_ref(text: &str) -> Option<(u32, u32)> {
    let (row, col) = row_and_column(text)?;
    Some((row, col?))
}

/// A row reference (`5`, or `C5` with its column ignored), zero-based, as calamine reads it.
pub(super) fn row_ref(text: &str) -> Option<u32> {
    row_and_column(text).map(|(row, _)| row)
}

fn row_and_column(text: &str) -> Option<(u32, Option<u32>)> {
    let (mut row, mut col, mut pow, mut reading_row) = (0u32, 0u32, 1u32, true);
    for b in text.bytes().rev() {
        match b {
            b'0'..=b'9' if reading_row => {
                row = row.wrapping_add(u32::from(b - b'0').wrapping_mul(pow));
                pow = pow.wrapping_mul(10);
            }
            b'A'..=b'Z' | b'a'..=b'z' => {
                if reading_row {
                    if row == 0 {
                        return None;
                    }
                    pow = 1;
                    reading_row = false;
                }
                let base = if b.is_ascii_uppercase() { b'A' } else { b'a' };
                col = col.wrapping_add((u32::from(b - base) + 1).wrapping_mul(pow));
                pow = pow.wrapping_mul(26);
            }
            _ => return None,
        }
    }
    Some((row.checked_sub(1)?, col.checked_sub(1)))
}

/// The letters of a zero-based column: 0 is `A`, 27 is `AB`.
pub(super) fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

fn ods_percents(content: &str) -> Vec<(String, HashSet<(u32, u32)>)> {
    let mut out: Vec<(String, HashSet<(u32, u32)>)> = Vec::new();
    each_ods_cell(content, |cell| match cell {
        OdsItem::Table(name) => out.push((name, HashSet::new())),
        OdsItem::Cell(cell) if cell.value_type.as_deref() == Some("percentage") => {
            if let Some((_, cells)) = out.last_mut() {
                // Every copy of a repeated row or cell is the percent it
                // shows, as calamine repeats them; within a sheet's bounds.
                for r in 0..cell.rows.min(1_048_576) {
                    for c in 0..cell.cols.min(16_384) {
                        if cells.len() as u64 >= bounds::MAX_CELLS {
                            return;
                        }
                        cells.insert((cell.at.0.saturating_add(r), cell.at.1.saturating_add(c)));
                    }
                }
            }
        }
        OdsItem::Cell(_) => {}
    });
    out
}

/// The smallest rectangle of cells, (first, last) as (row, column), that
/// holds `extent` and the cells from `from` to `to`.
pub(super) fn widen(
    extent: Option<((u32, u32), (u32, u32))>,
    from: (u32, u32),
    to: (u32, u32),
) -> ((u32, u32), (u32, u32)) {
    match extent {
        None => (from, to),
        Some((lo, hi)) => (
            (lo.0.min(from.0), lo.1.min(from.1)),
            (hi.0.max(to.0), hi.1.max(to.1)),
        ),
    }
}

/// What an `.ods` content walk meets: a table, by its name, or a cell.
pub(super) enum OdsItem {
    Table(String),
    Cell(OdsCell),
}

/// A cell of an `.ods` table, with its repeats.
pub(super) struct OdsCell {
    /// Its first place, (row, column), zero-based within its table.
    pub(super) at: (u32, u32),
    /// How many rows it stands for (its row's `number-rows-repeated`).
    pub(super) rows: u32,
    /// How many columns (`number-columns-repeated`).
    pub(super) cols: u32,
    pub(super) value_type: Option<String>,
    /// Whether the element is empty (`<table:table-cell/>`): no text inside.
    pub(super) empty: bool,
}

/// Calls `f` on every table and cell of an `.ods` file's content, placing
/// each cell by its row and column with the repeats counted (a repeat
/// of zero counts as one); a text that is not XML ends the walk.
pub(super) fn each_ods_cell(content: &str, mut f: impl FnMut(OdsItem)) {
    let mut reader = quick_xml::Reader::from_str(content);
    let (mut row, mut col, mut rows) = (0u32, 0u32, 1u32);
    loop {
        let event = reader.read_event();
        let (e, empty) = match &event {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                if e.local_name().as_ref() == b"table-row" {
                    row = row.saturating_add(rows);
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => continue,
        };
        let repeat = |name: &[u8]| {
            attr(e, name)
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        };
        match e.local_name().as_ref() {
            b"table" => {
                row = 0;
                f(OdsItem::Table(attr(e, b"table:name").unwrap_or_default()));
            }
            b"table-row" => {
                col = 0;
                rows = repeat(b"table:number-rows-repeated");
                if empty {
                    row = row.saturating_add(rows);
                }
            }
            b"table-cell" | b"covered-table-cell" => {
                let cols = repeat(b"table:number-columns-repeated");
                f(OdsItem::Cell(OdsCell {
                    at: (row, col),
                    rows,
                    cols,
                    value_type: attr(e, b"office:value-type"),
                    empty,
                }));
                col = col.saturating_add(cols);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_and_letters() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("C5"), Some((4, 2)));
        assert_eq!(cell_ref("AB10"), Some((9, 27)));
        assert_eq!(cell_ref("5"), None);
        // As calamine reads them: either case; a row past u32 wraps as its sums do.
        assert_eq!(cell_ref("xfd1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref("A4294967297"), Some((0, 0)));
        assert_eq!(row_ref("7"), Some(6));
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(27), "AB");
    }

    #[test]
    fn percents_are_read_exactly() {
        assert_eq!(percent_text("0.61"), "61%");
        assert_eq!(percent_text("0.615"), "61.5%");
        assert_eq!(percent_text("1"), "100%");
        assert!(shows_percent("0.0%"));
        assert!(!shows_percent("\"%\"0"));
        assert_eq!(cell_text(&Data::Float(14.9), false), "14.9");
    }
}
