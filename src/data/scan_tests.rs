//! The scanner's tests: records, lines and fields as the csv crate reads
//! them, across block boundaries.

use super::*;

fn records(text: &str) -> Vec<(u64, Vec<String>)> {
    let mut out = Vec::new();
    let ok = scan(text.as_bytes(), |r| {
        out.push((r.line, (0..r.len()).map(|c| r.get(c).to_string()).collect()));
        Flow::Go
    });
    assert!(ok.is_ok());
    out
}

#[test]
fn reads_plain_quoted_and_multiline_records_with_their_lines() {
    let text = "\u{feff}a,b,c\r\n x , y ,z\n\n\"q, r\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,1,2";
    assert_eq!(
        records(text),
        vec![
            (1, vec!["a".into(), "b".into(), "c".into()]),
            (2, vec!["x".into(), "y".into(), "z".into()]),
            (
                4,
                vec!["q, r".into(), "say \"hi\"".into(), "two\nlines".into()]
            ),
            (6, vec!["last".into(), "1".into(), "2".into()]),
        ]
    );
}

/// The fields the `csv` crate reads from a text, trimmed, every record.
fn csv_crate_records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn agrees_with_the_csv_crate() {
    let text = "h1,h2\n\"a\"\"b\",c\n,\n  ,  \n\"\",x\n\"x\"y,z\n";
    let got: Vec<Vec<String>> = records(text).into_iter().map(|(_, f)| f).collect();
    assert_eq!(got, csv_crate_records(text));
}

proptest::proptest! {
    /// Each record of unquoted lines, whatever their line ends and the
    /// blank lines between them, is on the line it is written on.
    #[test]
    fn every_record_is_on_its_own_line(
        lines in proptest::collection::vec(("[a-c ,]{0,4}", 0..3usize), 0..12)
    ) {
        let mut text = String::new();
        for (line, end) in &lines {
            text.push_str(line);
            text.push_str(["\n", "\r\n", "\r"][*end]);
        }
        // The lines as the text has them: a `\r` then a `\n` is one line end.
        let expected: Vec<u64> = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .split('\n')
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, _)| i as u64 + 1)
            .collect();
        let got: Vec<u64> = records(&text).into_iter().map(|(l, _)| l).collect();
        proptest::prop_assert_eq!(got, expected);
        // And each record's text is its line as written.
        let written: Vec<String> = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .split('\n')
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        let mut raws = Vec::new();
        scan_text(&text, |r| {
            raws.push(r.raw.to_string());
            Flow::Go
        });
        proptest::prop_assert_eq!(raws, written);
    }

    /// Any text of commas, quotes, line ends, blanks and letters is read
    /// into the same fields as the `csv` crate reads it.
    #[test]
    fn any_text_reads_as_the_csv_crate_reads_it(text in "[a,\"\n\r \u{a0}é]{0,40}") {
        let expected: Vec<Vec<String>> = csv_crate_records(&text)
            .into_iter()
            .filter(|r| !(r.len() == 1 && r[0].is_empty()))
            .collect();
        let got: Vec<Vec<String>> = records(&text)
            .into_iter()
            .map(|(_, f)| f)
            .filter(|r| !(r.len() == 1 && r[0].is_empty()))
            .collect();
        proptest::prop_assert_eq!(got, expected);
        // Text in memory is read as a stream is.
        let mut in_memory = Vec::new();
        scan_text(&text, |r| {
            in_memory.push((r.line, (0..r.len()).map(|c| r.get(c).to_string()).collect::<Vec<_>>()));
            Flow::Go
        });
        proptest::prop_assert_eq!(in_memory, records(&text));
    }
}

#[test]
fn lines_are_counted_through_blank_lines_and_every_kind_of_line_end() {
    let lines = |text: &str| -> Vec<u64> { records(text).into_iter().map(|(l, _)| l).collect() };
    assert_eq!(lines("a\n\n\n\nb\n"), [1, 5]);
    assert_eq!(lines("a\r\n\r\n\r\nb\r\nc"), [1, 4, 5]);
    assert_eq!(lines("a\rb\r\rc\n"), [1, 2, 4]);
    assert_eq!(lines("\n\na,\"x\ny\"\n\nb"), [3, 6]);
    assert_eq!(lines("  \n,\nb"), [2, 3]);
}

#[test]
fn a_record_keeps_its_text_as_written() {
    let mut raws = Vec::new();
    scan_text(
        "a, b ,c\n\"Bristol, City of\",\"say \"\"hi\"\"\",2\r\n\"x\", y\n",
        |r| {
            raws.push((r.raw.to_string(), r.lines()));
            Flow::Go
        },
    );
    assert_eq!(
        raws,
        [
            ("a, b ,c".to_string(), 1),
            ("\"Bristol, City of\",\"say \"\"hi\"\"\",2".to_string(), 1),
            ("\"x\", y".to_string(), 1)
        ]
    );
}

#[test]
fn quoted_records_between_plain_ones_read_whatever_came_before() {
    let text = "h,v\r\n\"a, b\",1\r\nplain,2\r\n\"c\"\"d\",3\n\"e\nf\",4\n";
    assert_eq!(
        records(text),
        vec![
            (1, vec!["h".into(), "v".into()]),
            (2, vec!["a, b".into(), "1".into()]),
            (3, vec!["plain".into(), "2".into()]),
            (4, vec!["c\"d".into(), "3".into()]),
            (5, vec!["e\nf".into(), "4".into()]),
        ]
    );
}

#[test]
fn blocks_end_at_a_line_end() {
    assert_eq!(line_boundary(b"a,b\nc,\"d\ne"), 9);
    assert_eq!(line_boundary(b"a\r\nb\r"), 3);
    assert_eq!(line_boundary(b"abc"), 0);
}

#[test]
fn a_quoted_field_may_run_past_a_block() {
    let mut text = String::from("h,v\n");
    let long = "x".repeat(BLOCK);
    text.push_str(&format!("a,\"{long}\nmore\"\nb,2\n"));
    let got = records(&text);
    assert_eq!(got.len(), 3);
    assert_eq!(got[1].1[1].len(), BLOCK + 5);
    assert_eq!(got[2], (4, vec!["b".to_string(), "2".to_string()]));
}

/// A quoted record (a council's name with its comma, a quote written
/// twice, a line break inside quotes) is read whole wherever the first
/// 4 MiB block ends inside it: at every byte of it, and just before and
/// after it.
#[test]
fn a_quoted_name_reads_whole_at_every_position_of_a_block_boundary() {
    across_a_block_boundary("Local authority,\"Bristol, City of\",icpc_within_15wd,2012-03-31,71%");
}

#[test]
fn a_quote_written_twice_reads_whole_at_every_position_of_a_block_boundary() {
    across_a_block_boundary(
        "Local authority,\"Kingston upon Hull, City of\",note,2012-03-31,\"say \"\"61%\"\"\"",
    );
}

#[test]
fn a_quoted_line_break_reads_whole_at_every_position_of_a_block_boundary() {
    across_a_block_boundary("Regional,\"Yorkshire and\nThe Humber\",visits,2012-03-31,\"a,\r\nb\"");
}

fn across_a_block_boundary(special: &str) {
    for k in 0..=special.len() + 1 {
        at_a_block_boundary(special, k);
    }
}

/// The text: plain lines to `k` bytes before the first block's end, the
/// special record, then a plain one; read as the csv crate reads them.
fn at_a_block_boundary(special: &str, k: usize) {
    let expected_special = csv_crate_records(special);
    assert_eq!(expected_special.len(), 1);
    // Filler of plain lines up to the block's end less `k`: the
    // boundary falls `k` bytes into the special record.
    let mut text = String::with_capacity(BLOCK + special.len() + 64);
    text.push_str("a,b,c,d,e\n");
    let pad = BLOCK - k;
    while text.len() + 20 <= pad {
        text.push_str("x,1,2,3,4\n");
    }
    let short = pad - text.len();
    assert!(short >= 9, "{short}");
    text.push_str(&"p".repeat(short - 9));
    text.push_str(",1,2,3,4\n");
    assert_eq!(text.len(), pad);
    let plain = text.lines().count();
    text.push_str(special);
    text.push_str("\ntail,1,2,3,4\n");
    // The filler's records are counted; the last two kept.
    let (mut count, mut split, mut last) = (0usize, false, Vec::new());
    let read = scan(text.as_bytes(), |r| {
        count += 1;
        if count > plain {
            let fields: Vec<String> = (0..r.len()).map(|c| r.get(c).to_string()).collect();
            last.push((r.line, fields));
        } else {
            split |= r.len() != 5;
        }
        Flow::Go
    });
    assert!(read.is_ok());
    assert!(!split, "a filler record split, at {k} of {special:?}");
    assert_eq!(count, plain + 2, "at {k} of {special:?}");
    let first_line = plain as u64 + 1;
    assert_eq!(
        last[0],
        (first_line, expected_special[0].clone()),
        "at {k} of {special:?}"
    );
    let lines_in_special = 1 + line_ends(special.as_bytes());
    let tail = ["tail", "1", "2", "3", "4"].map(String::from).to_vec();
    assert_eq!(
        last[1],
        (first_line + lines_in_special, tail),
        "at {k} of {special:?}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 12, failure_persistence: None, ..Default::default() })]

    /// Any quoted field (commas, quotes written twice, line breaks) in
    /// a record that a block boundary cuts anywhere reads as the csv
    /// crate reads it.
    #[test]
    fn any_quoted_field_reads_whole_across_a_block_boundary(
        field in "[a-z ,\"\n\r]{0,24}",
        k in 0usize..48,
    ) {
        let quoted = format!("\"{}\"", field.replace('"', "\"\""));
        let special = format!("Local authority,{quoted},m,2012-03-31,{quoted}");
        at_a_block_boundary(&special, k.min(special.len() + 1));
    }
}

#[test]
fn a_byte_that_is_not_utf8_is_located() {
    let bytes: &[u8] = b"a,b\nc,\xff\n";
    match scan(bytes, |_| Flow::Go) {
        Err(ScanError::NotUtf8 { line, column, .. }) => assert_eq!((line, column), (2, 3)),
        _ => panic!("expected an error"),
    }
}
