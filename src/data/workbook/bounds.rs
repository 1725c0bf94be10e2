//! What a workbook must be before calamine reads it: its parts of a bounded
//! size unpacked (a 2 MB zip may unpack to gigabytes), each part well-formed
//! XML (calamine loops on an .ods that ends inside its table), and each
//! sheet's used cells within a bounded rectangle (calamine allocates every
//! cell of it: one cell at `XFD1048576` asks for hundreds of gigabytes, as
//! do `.ods` repeats). Each limit is far above a board's workbook.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use super::{column_letters, widen};

/// The most a part may unpack to.
const MAX_PART: u64 = 64 << 20;
/// The most all parts together may unpack to.
const MAX_TOTAL: u64 = 256 << 20;
/// The most cells a sheet's used rectangle may hold.
pub(super) const MAX_CELLS: u64 = 4_000_000;

/// Why a workbook is not read.
pub(super) enum Over {
    /// Larger than a board's workbook ever is.
    Limit(String),
    /// A part that is not what a workbook's part must be.
    Malformed(String),
}

/// Checks a workbook's parts and sheets against the limits; the reason when
/// it is over one.
pub(super) fn check(bytes: &[u8]) -> Result<(), Over> {
    // Not a zip: calamine says what it is not.
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        let size = part.size();
        if size > MAX_PART {
            return Err(Over::Limit(format!(
                "the part `{}` unpacks to {} MiB, more than the {} MiB a workbook's part may (is it a zip bomb?)",
                part.name(),
                size >> 20,
                MAX_PART >> 20
            )));
        }
        total = total.saturating_add(size);
        names.push(part.name().to_string());
    }
    if total > MAX_TOTAL {
        return Err(Over::Limit(format!(
            "its parts unpack to {} MiB, more than the {} MiB a workbook may",
            total >> 20,
            MAX_TOTAL >> 20
        )));
    }
    for name in names
        .iter()
        .filter(|n| n.ends_with(".xml") || n.ends_with(".rels"))
    {
        // An .xlsx sheet is checked as it is read, in the one pass that
        // reads it (`xlsx.rs`): its XML, its extent and its shared strings.
        if name.starts_with("xl/worksheets/") {
            continue;
        }
        let xml = part(&mut zip, name).map_err(Over::Malformed)?;
        well_formed(name, &xml).map_err(Over::Malformed)?;
        let extent = if name == "content.xml" {
            ods_extent(&xml)
        } else {
            None
        };
        if let Some(((r0, c0), (r1, c1))) = extent {
            let cells = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
            if cells > MAX_CELLS {
                return Err(Over::Limit(format!(
                    "`{name}` has cells from {}{} to {}{}: {cells} cells, more than the {MAX_CELLS} a sheet may hold",
                    column_letters(c0),
                    r0 + 1,
                    column_letters(c1),
                    r1 + 1
                )));
            }
        }
    }
    Ok(())
}

/// A part's text, read no further than a part may unpack to.
pub(super) fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<String, String> {
    let mut text = String::new();
    if let Ok(file) = zip.by_name(name) {
        file.take(MAX_PART + 1)
            .read_to_string(&mut text)
            .map_err(|e| format!("the part `{name}` cannot be read: {e}"))?;
    }
    Ok(text)
}

/// Whether a part is well-formed XML, with the error and where when not.
pub(super) fn well_formed(name: &str, xml: &str) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            // Entities a DTD declares can expand without bound; no part of
            // a workbook has one.
            Ok(Event::DocType(_)) => {
                return Err(format!(
                    "the part `{name}` declares a document type (`<!DOCTYPE`), which no part of a workbook has"
                ))
            }
            Ok(Event::Eof) if depth > 0 => {
                return Err(format!(
                    "the part `{name}` ends inside an element (is it cut short?)"
                ))
            }
            Ok(Event::Eof) => return Ok(()),
            Err(e) => {
                return Err(format!(
                    "the part `{name}` is not well-formed XML at byte {}: {e}",
                    reader.error_position()
                ))
            }
            _ => {}
        }
    }
}

/// The first and last (row, column) of the cells with content of an .ods
/// file's tables, repeats counted; empty repeated cells (a row's padding)
/// do not count.
fn ods_extent(xml: &str) -> Option<((u32, u32), (u32, u32))> {
    let mut extent: Option<((u32, u32), (u32, u32))> = None;
    super::each_ods_cell(xml, |item| {
        // A cell with a value, or with text inside it.
        let super::OdsItem::Cell(cell) = item else {
            return;
        };
        if cell.value_type.is_none() && cell.empty {
            return;
        }
        let (from, to) = (
            cell.at,
            (
                cell.at.0.saturating_add(cell.rows - 1),
                cell.at.1.saturating_add(cell.cols - 1),
            ),
        );
        extent = Some(widen(extent, from, to));
    });
    extent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ods_repeats_of_content_count_and_padding_does_not() {
        let bomb = r#"<office:document-content><table:table><table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" table:number-columns-repeated="16384"/></table:table-row></table:table></office:document-content>"#;
        assert_eq!(ods_extent(bomb), Some(((0, 0), (99_999, 16_383))));
        let padded = r#"<office:document-content><table:table><table:table-row><table:table-cell office:value-type="float"/><table:table-cell table:number-columns-repeated="1024"/></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:document-content>"#;
        assert_eq!(ods_extent(padded), Some(((0, 0), (0, 0))));
    }

    #[test]
    fn a_part_cut_short_is_not_well_formed() {
        assert!(well_formed("content.xml", "<a><table:table>").is_err());
        assert!(well_formed("content.xml", "<a><b").is_err());
        assert!(well_formed("content.xml", "<a><b/></a>").is_ok());
        let dtd = "<!DOCTYPE sst [<!ENTITY a \"aaaa\">]><sst><si><t>&a;</t></si></sst>";
        assert!(well_formed("xl/sharedStrings.xml", dtd)
            .is_err_and(|e| e.contains("`xl/sharedStrings.xml` declares a document type")));
    }
}
