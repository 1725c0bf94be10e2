//! `.xlsx` sheets read in one pass of each sheet's XML: a cell's place,
//! its value and its style (a percent, a date) together, within the bounds
//! as it goes. calamine reads the same cells but not their styles, so with
//! it a sheet was unpacked three times and parsed five (bounds, shared
//! string indices, percent styles, calamine, the cells rebuilt as CSV);
//! here once. Values are read as calamine reads them (its rules for types,
//! dates, the 1904 calendar and Excel's `_xHHHH_` escapes, ported from its
//! `xlsx` reader, MIT), and dates are turned into text by its
//! `ExcelDateTime`, so a workbook gives the same cells either way.

use std::io::Cursor;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::bounds::{part, MAX_CELLS};
use super::{attr, cell_ref, cell_text, column_letters, refused, widen, Refused, Sheet};
use super::{NAME_A_SHEET, SAVE_AGAIN, TOO_LARGE};

/// How a cell's number is shown, from its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Number,
    Percent,
    Date,
    Duration,
}

/// What every sheet of a workbook reads with.
struct Book {
    /// Each sheet's name and the part that holds it, in the workbook's order.
    sheets: Vec<(String, String)>,
    /// How each cell format (`xf`, by index) shows a number.
    styles: Vec<Shown>,
    strings: Vec<String>,
    is_1904: bool,
}

/// Reads the sheets of an `.xlsx` workbook: the one named, or every sheet.
pub(super) fn read(bytes: &[u8], wanted: Option<&str>) -> Result<Vec<Sheet>, Refused> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        refused(SAVE_AGAIN)(format!(
            "not a workbook this tool reads (workbooks are .xlsx or .ods): {e}"
        ))
    })?;
    let mut text = |name: &str| part(&mut zip, name).map_err(refused(SAVE_AGAIN));
    let book = Book {
        sheets: sheets(
            &text("xl/workbook.xml")?,
            &text("xl/_rels/workbook.xml.rels")?,
        ),
        styles: styles(&text("xl/styles.xml")?),
        strings: shared_strings(&text("xl/sharedStrings.xml")?),
        is_1904: is_1904(&text("xl/workbook.xml")?),
    };
    let names: Vec<&str> = book.sheets.iter().map(|(n, _)| n.as_str()).collect();
    if let Some(name) = wanted.filter(|n| !names.contains(n)) {
        let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        let near = crate::check::did_you_mean(name, names.iter().copied())
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        return Err(refused(NAME_A_SHEET)(format!(
            "the workbook has no sheet `{name}`{near}; its sheets are {}",
            listed.join(", ")
        )));
    }
    let mut out = Vec::new();
    for (name, part_name) in &book.sheets {
        if wanted.is_some_and(|w| w != name) {
            continue;
        }
        let xml = text(part_name)?;
        out.push(sheet(name, part_name, &xml, &book)?);
    }
    Ok(out)
}

/// The cell being read.
struct Cell {
    at: (u32, u32),
    /// The `t` attribute: what the value is.
    kind: Option<Kind>,
    shown: Shown,
    /// The text of `<v>`, or of `<is>`'s `<t>`s.
    value: Option<String>,
}

/// What a cell's `t` attribute says its value is.
enum Kind {
    /// `s`: an index of the shared strings.
    Shared,
    /// `b`.
    Bool,
    /// `e` (an error, shown as written) or `str` (a formula's text).
    Text,
    /// `inlineStr`: the text of its `<is>`.
    Inline,
    /// `d`: an ISO date.
    Date,
    /// `n`.
    Number,
    /// Any other, which no workbook cell has.
    Other(String),
}

impl Kind {
    fn of(t: &[u8]) -> Kind {
        match t {
            b"s" => Kind::Shared,
            b"b" => Kind::Bool,
            b"e" | b"str" => Kind::Text,
            b"inlineStr" => Kind::Inline,
            b"d" => Kind::Date,
            b"n" => Kind::Number,
            other => Kind::Other(String::from_utf8_lossy(other).into_owned()),
        }
    }
}

/// Where text read goes: nowhere, or the cell's value (`<v>`, or a `<t>`
/// of `<is>` outside a phonetic guide).
#[derive(PartialEq)]
enum Into {
    Nowhere,
    Value,
}

/// One sheet, in one pass: every cell with a value, by row, the rows
/// padded to the sheet's used columns (as calamine's range is).
fn sheet(name: &str, part_name: &str, xml: &str, book: &Book) -> Result<Sheet, Refused> {
    let malformed = |why: String| refused(SAVE_AGAIN)(format!("the part `{part_name}` {why}"));
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut rows: Vec<(u32, Vec<(u32, String)>)> = Vec::new();
    let (mut row, mut next_col): (Option<u32>, u32) = (None, 0);
    let mut extent: Option<((u32, u32), (u32, u32))> = None;
    let mut cell: Option<Cell> = None;
    let (mut into, mut depth) = (Into::Nowhere, 0usize);
    let (mut inline, mut phonetic) = (false, false);
    loop {
        let event = reader.read_event();
        match event {
            Ok(Event::Start(ref e) | Event::Empty(ref e)) => {
                let empty = matches!(event, Ok(Event::Empty(_)));
                depth += usize::from(!empty);
                match e.local_name().as_ref() {
                    b"row" => {
                        let given = attr(e, b"r").and_then(|r| super::row_ref(&r));
                        row = Some(given.unwrap_or_else(|| row.map_or(0, |r| r.saturating_add(1))));
                        next_col = 0;
                    }
                    b"c" => {
                        // The attributes read in one walk, without a copy:
                        // a sheet has a cell for every figure.
                        let (mut at, mut style, mut kind) = (None, None, None);
                        for a in e.attributes().with_checks(false).flatten() {
                            let value = std::str::from_utf8(&a.value).unwrap_or_default();
                            match a.key.as_ref() {
                                b"r" => at = cell_ref(value),
                                b"s" => style = value.parse::<usize>().ok(),
                                b"t" => kind = Some(Kind::of(&a.value)),
                                _ => {}
                            }
                        }
                        let at = at.unwrap_or((row.unwrap_or(0), next_col));
                        next_col = at.1.saturating_add(1);
                        let shown = style.map_or(Shown::Number, |s| {
                            book.styles.get(s).copied().unwrap_or(Shown::Number)
                        });
                        cell = (!empty).then_some(Cell {
                            at,
                            kind,
                            shown,
                            value: None,
                        });
                    }
                    b"v" | b"t"
                        if !empty
                            && cell.is_some()
                            && (inline != (e.local_name().as_ref() == b"v"))
                            && !phonetic =>
                    {
                        into = Into::Value;
                        if let Some(c) = cell.as_mut() {
                            c.value.get_or_insert_with(String::new);
                        }
                    }
                    b"is" if !empty => inline = true,
                    b"rPh" if !empty => phonetic = true,
                    _ => {}
                }
            }
            Ok(Event::End(ref e)) => {
                depth = depth.saturating_sub(1);
                match e.local_name().as_ref() {
                    b"v" | b"t" => into = Into::Nowhere,
                    b"is" => inline = false,
                    b"rPh" => phonetic = false,
                    b"c" => {
                        (into, inline, phonetic) = (Into::Nowhere, false, false);
                        if let Some(c) = cell.take() {
                            let Some(text) = value_text(&c, book, part_name)? else {
                                continue;
                            };
                            extent = Some(widen(extent, c.at, c.at));
                            within_bounds(part_name, extent)?;
                            match rows.last_mut() {
                                Some((r, cells)) if *r == c.at.0 => cells.push((c.at.1, text)),
                                _ => rows.push((c.at.0, vec![(c.at.1, text)])),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Text(t)) if into == Into::Value => {
                let text = t
                    .decode()
                    .map_err(|e| malformed(format!("has text that is not UTF-8: {e}")))?;
                if let Some(value) = cell.as_mut().and_then(|c| c.value.as_mut()) {
                    value.push_str(&text);
                }
            }
            Ok(Event::CData(t)) if into == Into::Value => {
                if let Some(value) = cell.as_mut().and_then(|c| c.value.as_mut()) {
                    value.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Ok(Event::GeneralRef(r)) if into == Into::Value => {
                if let Some(value) = cell.as_mut().and_then(|c| c.value.as_mut()) {
                    entity(&r, value).map_err(malformed)?;
                }
            }
            // Entities a DTD declares can expand without bound; no part of
            // a workbook has one.
            Ok(Event::DocType(_)) => {
                return Err(malformed(
                    "declares a document type (`<!DOCTYPE`), which no part of a workbook has"
                        .into(),
                ))
            }
            Ok(Event::Eof) if depth > 0 => {
                return Err(malformed(
                    "ends inside an element (is it cut short?)".into(),
                ))
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(malformed(format!(
                    "is not well-formed XML at byte {}: {e}",
                    reader.error_position()
                )))
            }
            _ => {}
        }
    }
    Ok(padded(name, rows, extent))
}

/// The rows as the loader reads them: one-based row numbers, each row from
/// the first used column to the last, missing cells empty; a row given
/// twice, or out of order, is merged into its place.
fn padded(
    name: &str,
    mut rows: Vec<(u32, Vec<(u32, String)>)>,
    extent: Option<((u32, u32), (u32, u32))>,
) -> Sheet {
    let Some(((_, c0), (_, c1))) = extent else {
        return Sheet {
            name: name.to_string(),
            rows: Vec::new(),
        };
    };
    if !rows.windows(2).all(|w| w[0].0 < w[1].0) {
        rows.sort_by_key(|(r, _)| *r);
        let mut merged: Vec<(u32, Vec<(u32, String)>)> = Vec::new();
        for (r, cells) in rows {
            match merged.last_mut() {
                Some((last, kept)) if *last == r => kept.extend(cells),
                _ => merged.push((r, cells)),
            }
        }
        rows = merged;
    }
    let width = (c1 - c0) as usize + 1;
    let rows = rows
        .into_iter()
        .map(|(r, cells)| {
            let mut texts = vec![String::new(); width];
            // A later cell at the same place overrides an earlier one.
            for (c, text) in cells {
                if let Some(slot) = texts.get_mut((c - c0) as usize) {
                    *slot = text;
                }
            }
            (r + 1, c0, texts)
        })
        .collect();
    Sheet {
        name: name.to_string(),
        rows,
    }
}

/// Refuses a sheet whose used cells reach over more than a sheet may hold,
/// as soon as they do (before the rows are padded to its width).
fn within_bounds(part_name: &str, extent: Option<((u32, u32), (u32, u32))>) -> Result<(), Refused> {
    let Some(((r0, c0), (r1, c1))) = extent else {
        return Ok(());
    };
    let cells = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
    if cells > MAX_CELLS {
        return Err(refused(TOO_LARGE)(format!(
            "`{part_name}` has cells from {}{} to {}{}: {cells} cells, more than the {MAX_CELLS} a sheet may hold",
            column_letters(c0),
            r0 + 1,
            column_letters(c1),
            r1 + 1
        )));
    }
    Ok(())
}

/// A cell's text as the notice reads data, as calamine reads its value;
/// `None` for a cell with no value.
fn value_text(cell: &Cell, book: &Book, part_name: &str) -> Result<Option<String>, Refused> {
    let Some(v) = cell.value.as_deref() else {
        return Ok(None);
    };
    let number = |v: &str| -> Data {
        match v.parse::<f64>() {
            Ok(f) => match cell.shown {
                Shown::Date => Data::DateTime(ExcelDateTime::new(
                    f,
                    ExcelDateTimeType::DateTime,
                    book.is_1904,
                )),
                Shown::Duration => Data::DateTime(ExcelDateTime::new(
                    f,
                    ExcelDateTimeType::TimeDelta,
                    book.is_1904,
                )),
                _ => Data::Float(f),
            },
            Err(_) => Data::String(v.to_string()),
        }
    };
    let data = match &cell.kind {
        Some(Kind::Shared) => {
            let text = v.trim();
            return match text.parse::<usize>().ok().and_then(|i| book.strings.get(i)) {
                Some(s) => Ok(Some(s.clone())),
                None => Err(refused(SAVE_AGAIN)(format!(
                    "`{part_name}`: cell {}{} refers to shared string `{text}`, and the workbook has {}",
                    column_letters(cell.at.1),
                    cell.at.0 + 1,
                    book.strings.len()
                ))),
            };
        }
        Some(Kind::Bool) => Data::Bool(v != "0"),
        Some(Kind::Text) => Data::String(v.to_string()),
        Some(Kind::Inline) => Data::String(unescape_excel(v)),
        Some(Kind::Date) => Data::DateTimeIso(v.to_string()),
        Some(Kind::Number) if v.is_empty() => return Ok(None),
        Some(Kind::Number) | None => number(v),
        Some(Kind::Other(t)) => {
            return Err(refused(SAVE_AGAIN)(format!(
                "`{part_name}`: cell {}{} has the type `{t}`, which no workbook cell has",
                column_letters(cell.at.1),
                cell.at.0 + 1,
            )))
        }
    };
    Ok(Some(cell_text(&data, cell.shown == Shown::Percent)))
}

/// An entity or character reference, resolved into `out`.
fn entity(r: &BytesRef<'_>, out: &mut String) -> Result<(), String> {
    let name = r.decode().map_err(|e| e.to_string())?;
    if let Some(text) = quick_xml::escape::resolve_xml_entity(&name) {
        out.push_str(text);
        return Ok(());
    }
    match r.resolve_char_ref() {
        Ok(Some(c)) => {
            out.push(c);
            Ok(())
        }
        _ => Err(format!("has an entity `&{name};` XML does not define")),
    }
}

/// Excel's escapes of characters XML cannot hold: `_x000D_` is a carriage
/// return, `_x005F_` an underscore.
fn unescape_excel(text: &str) -> String {
    if !text.contains("_x00") {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i..i + 4) == Some(b"_x00") && bytes.get(i + 6) == Some(&b'_') {
            let hex = text
                .get(i + 4..i + 6)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(byte) = hex {
                out.push(char::from(byte));
                i += 7;
                continue;
            }
        }
        let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8().max(1);
    }
    out
}

/// Each sheet's name and part, from the workbook and its relationships.
fn sheets(workbook: &str, rels: &str) -> Vec<(String, String)> {
    let mut targets: Vec<(String, String)> = Vec::new();
    super::each_element(rels, b"Relationship", |e| {
        if let (Some(id), Some(target)) = (attr(e, b"Id"), attr(e, b"Target")) {
            let target = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            targets.push((id, target));
        }
    });
    let mut out = Vec::new();
    super::each_element(workbook, b"sheet", |e| {
        // The relationship id is `r:id`, named by its local name.
        let rid = e
            .attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == b"id")
            .and_then(|a| String::from_utf8(a.value.into_owned()).ok());
        if let (Some(name), Some(rid)) = (attr(e, b"name"), rid) {
            if let Some((_, target)) = targets.iter().find(|(id, _)| *id == rid) {
                out.push((unescape_attr(&name), target.clone()));
            }
        }
    });
    out
}

/// An attribute's text with its XML escapes resolved (`&amp;` in a sheet's name).
fn unescape_attr(text: &str) -> String {
    quick_xml::escape::unescape(text).map_or_else(|_| text.to_string(), |t| t.into_owned())
}

/// Whether the workbook counts days from 1904 (`<workbookPr date1904="1">`).
fn is_1904(workbook: &str) -> bool {
    let mut found = false;
    super::each_element(workbook, b"workbookPr", |e| {
        found = matches!(attr(e, b"date1904").as_deref(), Some("1" | "true"));
    });
    found
}

/// How each cell format shows a number: Excel's built-in formats by id
/// (9 and 10 are `0%` and `0.00%`; 14–22, 45 and 47 dates and times; 46 a
/// duration), the workbook's own by their codes.
fn styles(xml: &str) -> Vec<Shown> {
    let mut custom: Vec<(String, Shown)> = Vec::new();
    let mut out = Vec::new();
    let mut in_cell_xfs = false;
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                b"numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, b"numFmtId"), attr(&e, b"formatCode"))
                    {
                        custom.push((id, shown_by(&unescape_attr(&code))));
                    }
                }
                b"cellXfs" => in_cell_xfs = true,
                b"xf" if in_cell_xfs => out.push(xf_shown(&e, &custom)),
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn xf_shown(e: &BytesStart<'_>, custom: &[(String, Shown)]) -> Shown {
    let id = attr(e, b"numFmtId").unwrap_or_default();
    if let Some((_, shown)) = custom.iter().find(|(c, _)| *c == id) {
        return *shown;
    }
    match id.parse::<u16>() {
        Ok(9 | 10) => Shown::Percent,
        Ok(14..=22 | 45 | 47) => Shown::Date,
        Ok(46) => Shown::Duration,
        _ => Shown::Number,
    }
}

/// How a number format's code shows a number: a date or time by its
/// letters outside quotes and brackets (as calamine decides), else a
/// percent by a `%` outside quotes, else a number.
fn shown_by(code: &str) -> Shown {
    let (mut escaped, mut quoted, mut brackets) = (false, false, 0u8);
    let (mut prev, mut hms, mut ap) = (' ', false, false);
    for c in code.chars() {
        match (c, escaped, quoted, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\', ..) => escaped = true,
            ('"', _, true, _, _) => quoted = false,
            (_, _, true, _, _) => {}
            ('"', ..) => quoted = true,
            (';', ..) => break,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return Shown::Duration,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Shown::Date,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return Shown::Date
            }
            _ => {
                if !(hms && c.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = c;
    }
    if super::shows_percent(code) {
        Shown::Percent
    } else {
        Shown::Number
    }
}

/// The shared strings: each `<si>`'s text, its runs joined, its phonetic
/// guide (`<rPh>`) left out.
fn shared_strings(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut current, mut in_t, mut phonetic) = (None::<String>, false, false);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"si" => current = Some(String::new()),
                b"rPh" => phonetic = true,
                b"t" => in_t = !phonetic,
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local_name().as_ref() == b"si" => out.push(String::new()),
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"si" => out.extend(current.take().map(|s| unescape_excel(&s))),
                b"rPh" => phonetic = false,
                b"t" => in_t = false,
                _ => {}
            },
            Ok(Event::Text(t)) if in_t => {
                if let (Some(s), Ok(text)) = (current.as_mut(), t.decode()) {
                    s.push_str(&text);
                }
            }
            Ok(Event::CData(t)) if in_t => {
                if let Some(s) = current.as_mut() {
                    s.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Ok(Event::GeneralRef(r)) if in_t => {
                if let Some(s) = current.as_mut() {
                    let _ = entity(&r, s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_show_dates_percents_and_numbers_as_calamine_reads_them() {
        assert_eq!(shown_by("DD/MM/YY"), Shown::Date);
        assert_eq!(shown_by("H:MM:SS;@"), Shown::Date);
        assert_eq!(shown_by("[h]:mm:ss"), Shown::Duration);
        assert_eq!(shown_by("\"$\"#,##0_);[Red](\"$\"#,##0)"), Shown::Number);
        assert_eq!(shown_by("0.0%"), Shown::Percent);
        assert_eq!(shown_by("\"%\"0"), Shown::Number);
        assert_eq!(shown_by("yyyy-mm-dd"), Shown::Date);
    }

    /// Every kind of cell, read as calamine reads it.
    #[test]
    fn a_sheet_reads_every_kind_of_cell() {
        let strings = shared_strings(
            "<sst><si><t>Bristol, City of</t></si><si><r><t>Rich </t></r><r><t>text</t></r><rPh><t>ignored</t></rPh></si></sst>",
        );
        assert_eq!(strings, ["Bristol, City of", "Rich text"]);
        let book = Book {
            sheets: Vec::new(),
            styles: vec![Shown::Number, Shown::Percent, Shown::Date],
            strings,
            is_1904: false,
        };
        let xml = r#"<worksheet><sheetData>
            <row r="2"><c r="B2" t="s"><v>0</v></c><c t="s"><v>1</v></c><c s="1"><v>0.615</v></c><c s="2"><v>41060</v></c></row>
            <row><c r="B3" t="inlineStr"><is><t>a_x000D_b &amp; c</t></is></c><c t="b"><v>1</v></c><c t="e"><v>#DIV/0!</v></c><c t="str"><v>x</v></c><c t="d"><v>2012-05-31T00:00:00</v></c></row>
            <row r="5"><c r="C5" s="9"/><c r="F5"><v>14.9</v></c></row>
        </sheetData></worksheet>"#;
        let got = sheet("s", "xl/worksheets/sheet1.xml", xml, &book)
            .unwrap_or_else(|e| panic!("{}", e.reason));
        let rows: Vec<(u32, u32, Vec<&str>)> = got
            .rows
            .iter()
            .map(|(r, c, t)| (*r, *c, t.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    2,
                    1,
                    vec!["Bristol, City of", "Rich text", "61.5%", "2012-05-31", ""]
                ),
                (3, 1, vec!["a\rb & c", "TRUE", "#DIV/0!", "x", "2012-05-31"]),
                (5, 1, vec!["", "", "", "", "14.9"]),
            ]
        );
        // In the 1904 calendar the same number is four years and a day later.
        let book = Book {
            is_1904: true,
            ..book
        };
        let got = sheet(
            "s",
            "p",
            r#"<worksheet><sheetData><row><c s="2"><v>41060</v></c></row></sheetData></worksheet>"#,
            &book,
        );
        assert_eq!(
            got.ok().map(|s| s.rows[0].2.clone()),
            Some(vec!["2016-06-01".to_string()])
        );
    }

    #[test]
    fn a_shared_string_past_the_end_and_a_cut_sheet_are_refused() {
        let book = Book {
            sheets: Vec::new(),
            styles: Vec::new(),
            strings: vec!["x".into()],
            is_1904: false,
        };
        let refused = |xml: &str| {
            sheet("s", "xl/worksheets/sheet1.xml", xml, &book)
                .err()
                .map(|e| e.reason)
        };
        assert!(refused(r#"<worksheet><sheetData><row><c r="A2" t="s"><v>99</v></c></row></sheetData></worksheet>"#)
            .is_some_and(|r| r.contains("cell A2 refers to shared string `99`, and the workbook has 1")));
        assert!(refused(
            r#"<worksheet><sheetData><row><c r="B1" t="zz"><v>1</v></c></row></sheetData></worksheet>"#
        )
        .is_some_and(|r| r.contains("cell B1 has the type `zz`, which no workbook cell has")));
        assert!(refused("<worksheet><sheetData><row>")
            .is_some_and(|r| r.contains("`xl/worksheets/sheet1.xml` ends inside an element")));
        assert!(refused(r#"<worksheet><sheetData><row><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#)
            .is_some_and(|r| r.contains("cells from A1 to XFD1048576")));
    }

    #[test]
    fn excel_escapes_are_read() {
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("plain"), "plain");
        assert_eq!(unescape_excel("_x00zz_é"), "_x00zz_é");
    }

    #[test]
    fn rows_given_out_of_order_are_merged_into_place() {
        let rows = vec![
            (2, vec![(1, "b".to_string())]),
            (0, vec![(0, "a".to_string())]),
            (2, vec![(0, "c".to_string())]),
        ];
        let sheet = padded("s", rows, Some(((0, 0), (2, 1))));
        let got: Vec<(u32, Vec<String>)> = sheet.rows.into_iter().map(|(r, _, t)| (r, t)).collect();
        assert_eq!(
            got,
            [
                (1, vec!["a".to_string(), String::new()]),
                (3, vec!["c".to_string(), "b".to_string()])
            ]
        );
    }
}
