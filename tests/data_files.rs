//! Which data files a command reads: `--data` added to the notice's own,
//! `--only-data` alone, and a file's publication day from its `data` line.

use std::path::Path;

use crate::cli::{notice, stderr};

/// `--data` adds files to the notice's own data; `--only-data` reads the
/// given files alone.
#[test]
fn eval_data_flag_adds_to_the_notice_data_and_only_data_replaces_it() {
    let args = [
        "eval",
        "tests/cases/data/bad_date.notice",
        "--data",
        "tests/cases/data/percent_range.csv",
        "--as-of",
        "2012-08-01",
    ];
    let added = notice(&args);
    assert_eq!(added.status.code(), Some(2));
    let err = stderr(&added);
    assert!(err.contains("outside 0–100%"), "{err}");
    assert!(err.contains("`2012-02-30` is not a date"), "{err}");
    let only = notice(&[&args[..], &["--only-data"]].concat());
    assert_eq!(only.status.code(), Some(2));
    let err = stderr(&only);
    assert!(err.contains("outside 0–100%"), "{err}");
    assert!(!err.contains("is not a date"), "{err}");
    // `--only-data` with nothing to read instead is a usage error.
    let alone = notice(&["eval", "tests/cases/data/bad_date.notice", "--only-data"]);
    assert_eq!(alone.status.code(), Some(2));
    assert!(
        stderr(&alone).contains("notice::usage::bad_arguments"),
        "{}",
        stderr(&alone)
    );
}

/// A `--data` path that does not exist is relative to the current folder,
/// and the help says so, not that data paths are relative to the notice.
#[test]
fn a_missing_data_path_on_the_command_line_says_where_it_is_looked_for() {
    let o = notice(&[
        "eval",
        "notices/waltham-forest-2012.notice",
        "--data",
        "no/such.csv",
        "--as-of",
        "2012-08-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("`no/such.csv` does not exist"), "{err}");
    assert!(err.contains("relative to the current folder"), "{err}");
    assert!(!err.contains("relative to the notice file"), "{err}");
}

/// A file's publication day on its `data` line is honoured as a row's
/// `published`: unknown before the release (the fixture), met after it, and
/// met before it too when every version is read (`--known-at latest`).
#[test]
fn a_files_publication_day_is_honoured() {
    let statuses = |extra: &[&str]| {
        let o = notice(
            &[
                &[
                    "eval",
                    "tests/cases/data/published_release.notice",
                    "--format",
                    "json",
                ][..],
                extra,
            ]
            .concat(),
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["status"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(statuses(&["--as-of", "2012-10-31"]), ["met", "met", "met"]);
    assert_eq!(
        statuses(&["--as-of", "2012-09-26"]),
        ["unknown", "unknown", "met"]
    );
    assert_eq!(
        statuses(&["--as-of", "2012-09-26", "--known-at", "latest"]),
        ["met", "met", "met"]
    );
}

/// Two series of one figure (two_series.notice): the council's own until the
/// Department's, published on the day its `data` line gives, supersedes it.
#[test]
fn a_published_figure_supersedes_the_councils_own_from_its_day() {
    let status = |as_of: &str| {
        let o = notice(&[
            "eval",
            "tests/cases/data/two_series.notice",
            "--as-of",
            as_of,
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["measures"][0]["requirements"][0]["observed"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("2013-10-30"), "77%");
    assert_eq!(status("2013-10-31"), "71.8%");
}

/// A workbook whose cells and rows leave out their references (`r="B2"`),
/// as some writers do, reads as the same workbook with them: a cell
/// formatted as a percent is still the percent it shows.
#[test]
fn a_workbook_without_cell_references_reads_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stripped = rewrite_board(|name, bytes| {
        if name.starts_with("xl/worksheets/") {
            without_references(&String::from_utf8(bytes).unwrap()).into_bytes()
        } else {
            bytes
        }
    });
    assert!(!String::from_utf8_lossy(&stripped).contains(" r=\"B"));
    let dir = tempfile::tempdir().unwrap();
    let notice = std::fs::read_to_string(root.join("tests/cases/data/workbook.notice")).unwrap();
    std::fs::write(dir.path().join("workbook.notice"), &notice).unwrap();
    std::fs::write(dir.path().join("board.xlsx"), stripped).unwrap();
    let reasons = |file: &Path| {
        let o = crate::cli::notice(&[
            "eval",
            file.to_str().unwrap(),
            "--as-of",
            "2012-08-01",
            "--format",
            "json",
        ]);
        let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        json["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["status"].clone(), m["requirements"][0]["reason"].clone()))
            .collect::<Vec<_>>()
    };
    let with = reasons(&root.join("tests/cases/data/workbook.notice"));
    let without = reasons(&dir.path().join("workbook.notice"));
    assert_eq!(with, without);
    assert!(with[1].1.as_str().unwrap().contains("88.5%"), "{with:?}");
}

/// A sheet's XML without its `r="…"` references on cells and rows.
fn without_references(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(" r=\"") {
        // Only the reference attribute of a `<c` or `<row` element.
        let before = &rest[..at];
        let element = before.rfind('<').map(|i| &before[i..]).unwrap_or_default();
        out.push_str(before);
        let after = &rest[at + 4..];
        let end = after.find('"').map_or(after.len(), |i| i + 1);
        if element.starts_with("<c") || element.starts_with("<row") {
            rest = &after[end..];
        } else {
            out.push_str(&rest[at..at + 4 + end]);
            rest = &after[end..];
        }
    }
    out.push_str(rest);
    out
}

/// The bundled workbook with each part passed through `change`.
fn rewrite_board(change: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    rewrite("board.xlsx", change)
}

/// A bundled workbook (`tests/cases/data/NAME`) with each part passed
/// through `change`, deflated as the original is.
fn rewrite(name: &str, change: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let original = std::fs::read(root.join("tests/cases/data").join(name)).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        let bytes = change(&name, bytes);
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A workbook with one part that is not well-formed XML is named by that
/// part and the XML error, not "cannot detect file format".
#[test]
fn a_malformed_workbook_part_is_named() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/cases/data/workbook.notice")).unwrap();
    // (A malformed sheet is named by its sheet: "sheet `Figures` cannot be read".)
    for part in [
        "xl/styles.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
    ] {
        let broken = rewrite_board(|name, bytes| {
            if name == part {
                b"<a><b".to_vec()
            } else {
                bytes
            }
        });
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("workbook.notice"), &text).unwrap();
        std::fs::write(dir.path().join("board.xlsx"), broken).unwrap();
        let file = dir.path().join("workbook.notice");
        let o = notice(&["eval", file.to_str().unwrap(), "--as-of", "2012-08-01"]);
        assert_eq!(o.status.code(), Some(2), "{part}");
        let err = stderr(&o);
        assert!(
            err.contains("notice::data::bad_workbook") && err.contains(&format!("`{part}`")),
            "{part}: {err}"
        );
    }
}

/// Workbooks made to take the process down (each a few KB): a cell at the
/// sheet's far corner, an .ods cut short inside its table, repeats that
/// unpack to billions of cells, a part that unpacks to 100 MB, a shared
/// string that does not exist, a date cell of -1e20. Each ends in a located
/// `bad_workbook` error (exit 2), under a 4 GB address-space limit.
#[cfg(target_os = "linux")]
#[test]
fn hostile_workbooks_end_in_an_error() {
    let far = |name: &str, bytes: Vec<u8>| {
        if name == "xl/worksheets/sheet2.xml" {
            String::from_utf8(bytes)
                .unwrap()
                .replace(
                    "</sheetData>",
                    "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>",
                )
                .into_bytes()
        } else {
            bytes
        }
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("far.xlsx", rewrite("board.xlsx", far), "A1 to XFD1048576"),
        (
            "cut.ods",
            rewrite("board.ods", |name, bytes| {
                if name == "content.xml" {
                    let text = String::from_utf8(bytes).unwrap();
                    let at = text.find("<table:table-row").unwrap();
                    text.as_bytes()[..at].to_vec()
                } else {
                    bytes
                }
            }),
            "ends inside an element",
        ),
        (
            "repeats.ods",
            rewrite("board.ods", |name, bytes| {
                if name == "content.xml" {
                    let text = String::from_utf8(bytes).unwrap();
                    let at = text.find("<table:table-row").unwrap();
                    format!(
                        "{}<table:table-row table:number-rows-repeated=\"1000000\"><table:table-cell office:value-type=\"float\" office:value=\"1\" table:number-columns-repeated=\"16384\"/></table:table-row>{}",
                        &text[..at],
                        &text[at..]
                    )
                    .into_bytes()
                } else {
                    bytes
                }
            }),
            "more than the 4000000 a sheet may hold",
        ),
        (
            "bomb.xlsx",
            rewrite("board.xlsx", |name, bytes| {
                if name == "xl/theme/theme1.xml" {
                    let mut big = bytes;
                    big.resize(100 << 20, b' ');
                    big
                } else {
                    bytes
                }
            }),
            "unpacks to 100 MiB",
        ),
        (
            "date.xlsx",
            rewrite("board.xlsx", |name, bytes| {
                if name == "xl/worksheets/sheet2.xml" {
                    String::from_utf8(bytes)
                        .unwrap()
                        .replace("<v>41060</v>", "<v>-1e20</v>")
                        .into_bytes()
                } else {
                    bytes
                }
            }),
            "` is not a",
        ),
        (
            "shared.xlsx",
            shared_string_past_the_end(),
            "refers to shared string `99`",
        ),
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/cases/data/workbook.notice")).unwrap();
    for (name, bytes, says) in cases {
        assert!(bytes.len() < 1 << 20, "{name} is {} bytes", bytes.len());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let file = dir.path().join("n.notice");
        std::fs::write(&file, text.replace("board.xlsx", name)).unwrap();
        let o = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 4000000; exec \"$0\" eval \"$1\" --as-of 2012-08-01")
            .arg(env!("CARGO_BIN_EXE_notice"))
            .arg(&file)
            .output()
            .unwrap();
        let err = stderr(&o);
        assert!(
            matches!(o.status.code(), Some(1 | 2)),
            "{name}: {:?}\n{err}",
            o.status
        );
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

/// The bundled workbook with a table of one shared string, and a cell that
/// refers to the hundredth.
fn shared_string_past_the_end() -> Vec<u8> {
    use std::io::Write;
    let bytes = rewrite("board.xlsx", |name, bytes| {
        if name == "xl/worksheets/sheet2.xml" {
            String::from_utf8(bytes)
                .unwrap()
                .replace(
                    "<c r=\"A2\" t=\"inlineStr\"><is><t>Somewhere</t></is></c>",
                    "<c r=\"A2\" t=\"s\"><v>99</v></c>",
                )
                .into_bytes()
        } else {
            bytes
        }
    });
    let mut zip = zip::ZipWriter::new_append(std::io::Cursor::new(bytes)).unwrap();
    zip.start_file(
        "xl/sharedStrings.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>x</t></si></sst>")
        .unwrap();
    zip.finish().unwrap().into_inner()
}

/// An `.ods` row written once with `number-rows-repeated` stands for as
/// many rows (as calamine reads it), and a percentage cell in it is the
/// percent it shows in every copy: the copies agree with the first, never
/// a fraction beside a percent.
#[test]
fn a_repeated_ods_row_keeps_its_percent_in_every_copy() {
    let repeated = rewrite("board.ods", |name, bytes| {
        if name == "content.xml" {
            String::from_utf8(bytes)
                .unwrap()
                .replacen(
                    "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Somewhere</text:p>",
                    "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell office:value-type=\"string\"><text:p>Somewhere</text:p>",
                    1,
                )
                .into_bytes()
        } else {
            bytes
        }
    });
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/cases/data/workbook_ods.notice")).unwrap();
    assert!(text.contains("board.ods#Figures"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("board.ods"), repeated).unwrap();
    let file = dir.path().join("n.notice");
    std::fs::write(&file, text).unwrap();
    let o = notice(&["eval", file.to_str().unwrap(), "--as-of", "2012-08-01"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("notice::data::conflict"), "{err}");
}
