//! `notice lsp` spoken to as an editor speaks to it: JSON-RPC messages over
//! the binary's standard input and output.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{json, Value};

/// An editor's end of the protocol.
pub(crate) struct Client {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next: u64,
    /// Notifications received while waiting for answers.
    pub(crate) notes: Vec<Value>,
}

impl Client {
    /// Starts the server and initializes it, with verdicts as of a date.
    pub(crate) fn start(as_of: &str) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_notice"))
            .arg("lsp")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        let mut c = Client {
            child,
            input,
            output,
            next: 0,
            notes: Vec::new(),
        };
        c.request(
            "initialize",
            json!({"capabilities": {}, "initializationOptions": {"asOf": as_of}}),
        );
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.output.read_line(&mut line).unwrap();
            assert!(!line.is_empty(), "the server closed its output");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.output.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Sends a request and waits for its answer (the whole response).
    pub(crate) fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.receive();
            if m["id"] == json!(id) {
                return m;
            }
            self.notes.push(m);
        }
    }

    /// Sends a request and returns its result, failing on an error.
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let m = self.request_raw(method, params);
        assert!(m.get("error").is_none(), "{method}: {m}");
        m["result"].clone()
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Opens a document.
    pub(crate) fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "notice", "version": 1, "text": text}}),
        );
    }

    /// The diagnostics last published for a document, after everything sent so far.
    pub(crate) fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        // A request is answered after every notification sent before it.
        self.request_raw(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        self.notes
            .iter()
            .rev()
            .find(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri)
            .map(|n| n["params"]["diagnostics"].as_array().unwrap().clone())
            .unwrap_or_default()
    }

    pub(crate) fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the server exited with {status}");
    }
}

pub(crate) fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn bundled(name: &str) -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("notices")
        .join(name);
    (uri(&path), std::fs::read_to_string(&path).unwrap())
}

/// The position (line, UTF-16 column) of the first `needle` in a text, plus `shift` characters.
fn at(text: &str, needle: &str, shift: usize) -> Value {
    let offset = text.find(needle).unwrap() + shift;
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// The `label` of each item of an answer (completion items, inlay hints).
fn labels_of(answer: &Value) -> Vec<&str> {
    answer
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect()
}

const SMALL: &str = "notice small {\n  title \"Łódź 𝄞 notice\" authority \"Somewhere\" issued 2012-01-23\n  milestone review = issued + 6 months \"Six-month review\"\n  metric visits : percent, higher is better \"Children visited in time\"\n  measure \"1\" \"Visits\" {\n    text \"Visit every child — naïve 𝄞.\"\n    require visits >= 90% by review\n  }\n}\n";

#[test]
fn diagnostics_follow_the_buffer_as_it_changes_in_utf16() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.notice");
    std::fs::write(&path, SMALL).unwrap();
    let u = uri(&path);
    let mut c = Client::start("2012-08-01");
    c.open(&u, SMALL);
    assert!(c.diagnostics(&u).is_empty(), "{:?}", c.diagnostics(&u));
    // A misspelt name after non-ASCII text on its line: the range counts UTF-16 units.
    let broken = SMALL.replace(
        "text \"Visit every child — naïve 𝄞.\"\n    require visits",
        "text \"Visit every child — naïve 𝄞.\" require visit",
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": broken}]}),
    );
    let ds = c.diagnostics(&u);
    assert_eq!(ds.len(), 1, "{ds:?}");
    let d = &ds[0];
    assert_eq!(d["code"], "notice::check::unknown_name");
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("#variant.CheckUnknownName"));
    assert_eq!(d["severity"], 1);
    let start = at(&broken, "visit >=", 0);
    assert_eq!(d["range"]["start"], start);
    assert_eq!(
        d["range"]["end"]["character"],
        start["character"].as_u64().unwrap() + 5
    );
    // The fix it offers, then the fix typed as an incremental change.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = &actions.as_array().unwrap()[0];
    assert_eq!(fix["title"], "Change to `visits`");
    assert_eq!(fix["edit"]["changes"][&u][0]["newText"], "visits");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"range": {"start": d["range"]["end"], "end": d["range"]["end"]}, "text": "s"}]}),
    );
    assert!(c.diagnostics(&u).is_empty());
    // A warning offers to allow it on the line above.
    let unused = SMALL.replace("  measure", "  evidence plan \"An action plan\"\n  measure");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 4}, "contentChanges": [{"text": unused}]}),
    );
    let ds = c.diagnostics(&u);
    assert_eq!(ds[0]["code"], "notice::lint::unused_evidence", "{ds:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": ds[0]["range"], "context": {"diagnostics": [ds[0]]}}),
    );
    let allow = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Allow `unused_evidence` here")
        .unwrap();
    assert_eq!(
        allow["edit"]["changes"][&u][0]["newText"],
        "  // allow(unused_evidence)\n"
    );
    // A syntax error half-typed: reported, and the server goes on.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 4}, "contentChanges": [{"text": "notice small { title \"x"}]}),
    );
    assert!(!c.diagnostics(&u).is_empty());
    c.stop();
}

#[test]
fn hover_definition_references_completion_on_a_bundled_notice() {
    let (u, text) = bundled("waltham-forest-2012.notice");
    let mut c = Client::start("2012-08-01");
    c.open(&u, &text);
    let hover = |c: &mut Client, needle: &str, shift: usize| -> String {
        let h = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": at(&text, needle, shift)}),
        );
        h["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let metric = hover(&mut c, "lac_3plus_placements <", 3);
    assert!(
        metric.contains("Looked after children with three or more placements"),
        "{metric}"
    );
    assert!(
        metric.contains("lower is better")
            && metric.contains("latest figure by 1 August 2012: 12%"),
        "{metric}"
    );
    let milestone = hover(&mut c, "by formal_review", 5);
    assert!(milestone.contains("23 July 2012"), "{milestone}");
    let measure = hover(&mut c, "measure \"iii\"", 2);
    assert!(
        measure.contains("✗ not met as of 1 August 2012"),
        "{measure}"
    );
    assert!(
        measure.contains("Consultation with the Council's care leavers"),
        "{measure}"
    );
    let evidence = hover(&mut c, "evidence action_plan by", 12);
    assert!(
        evidence.contains("latest record by 1 August 2012: 20 February 2012"),
        "{evidence}"
    );
    let keyword = hover(&mut c, "require evidence action_plan", 2);
    assert!(keyword.contains("is not met unless it holds"), "{keyword}");

    // A library's metric is declared in the library.
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": u}, "position": at(&text, "lac_3plus_placements <", 3)}),
    );
    assert!(
        def["uri"]
            .as_str()
            .unwrap()
            .ends_with("notices/lib/indicators.notice"),
        "{def}"
    );
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": at(&text, "by formal_review", 5), "context": {"includeDeclaration": true}}),
    );
    assert!(refs.as_array().unwrap().len() > 20, "{refs}");

    // Milestones after `by`.
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": at(&text, "by formal_review", 3)}),
    );
    let labels = labels_of(&items);
    assert!(
        labels.contains(&"formal_review") && labels.contains(&"issued"),
        "{labels:?}"
    );
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": at(&text, "require evidence action_plan", 17)}),
    );
    let labels = labels_of(&items);
    assert!(labels.contains(&"care_leaver_consultation"), "{labels:?}");
    c.stop();
}

#[test]
fn outline_dates_statuses_and_formatting() {
    let (u, text) = bundled("wiltshire-2012.notice");
    let mut c = Client::start("2013-06-30");
    c.open(&u, &text);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    assert_eq!(symbols.as_array().unwrap().len(), 9, "{symbols}");
    assert_eq!(symbols[0]["name"], "Measure 1");
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}}}),
    );
    let labels = labels_of(&hints);
    assert!(
        labels.contains(&"= 31 December 2012") && labels.contains(&"= 17 November 2012"),
        "{labels:?}"
    );
    let lenses = c.request("textDocument/codeLens", json!({"textDocument": {"uri": u}}));
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 9);
    assert_eq!(titles[0], "~ met late as of 30 June 2013");
    // Formatting: a badly indented line comes back indented; a formatted text has no edit.
    let none = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": u}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(none, json!([]));
    let messy = text.replacen("  title ", "      title ", 1);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": messy}]}),
    );
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": u}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits[0]["newText"], text);
    // A request about a file not open is an error, and the server goes on.
    let missing = c.request_raw("textDocument/hover", json!({"textDocument": {"uri": "file:///nowhere.notice"}, "position": {"line": 0, "character": 0}}));
    assert!(missing.get("error").is_some());
    c.stop();
}

#[test]
fn a_burst_of_changes_ends_in_the_last_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.notice");
    std::fs::write(&path, SMALL).unwrap();
    let u = uri(&path);
    let mut c = Client::start("2012-08-01");
    c.open(&u, SMALL);
    // 50 one-character changes: typing `, audits` after `visits` and deleting it, back and forth.
    let mut text = SMALL.to_string();
    for i in 0..50 {
        let p = at(&text, "require visits", 14);
        let change = if i % 2 == 0 {
            text.insert(text.find("require visits").unwrap() + 14, 'x');
            json!({"range": {"start": p, "end": p}, "text": "x"})
        } else {
            let o = text.find("visitsx").unwrap() + 6;
            text.remove(o);
            let end = json!({"line": p["line"], "character": p["character"].as_u64().unwrap() + 1});
            json!({"range": {"start": p, "end": end}, "text": ""})
        };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": i + 2}, "contentChanges": [change]}),
        );
        // A hover in the middle of the burst is answered.
        if i == 25 {
            c.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": u}, "position": {"line": 3, "character": 10}}),
            );
        }
    }
    assert_eq!(text, SMALL);
    assert!(c.diagnostics(&u).is_empty());
    c.stop();
}

#[path = "support/lsp_fuzz.rs"]
mod lsp_fuzz;

/// A short run of the random-edit session (the long run is
/// `cargo run --release --example lsp_fuzz`): every request answered,
/// nothing failing inside the server.
#[test]
fn random_edits_never_fail_the_server() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = lsp_fuzz::session(root, 2_000, 7);
    assert_eq!(s.edits, 2_000);
    assert!(s.requests > 150, "{} requests", s.requests);
    assert_eq!(s.failures, 0, "messages failed inside the server");
}

/// A name declared nowhere, and like no declared name, offers its declaration.
#[test]
fn an_undeclared_name_offers_its_declaration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.notice");
    let text = SMALL.replace("require visits >= 90%", "require evidence audit_report");
    std::fs::write(&path, &text).unwrap();
    let u = uri(&path);
    let mut c = Client::start("2012-08-01");
    c.open(&u, &text);
    let ds = c.diagnostics(&u);
    assert_eq!(ds[0]["code"], "notice::check::unknown_name", "{ds:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": ds[0]["range"], "context": {"diagnostics": [ds[0]]}}),
    );
    let declare = &actions.as_array().unwrap()[0];
    assert_eq!(declare["title"], "Declare `audit_report`");
    let edit = &declare["edit"]["changes"][&u][0];
    assert_eq!(
        edit["newText"],
        "  evidence audit_report \"what the document is\"\n"
    );
    assert_eq!(edit["range"]["start"], at(&text, "  measure", 0));
    c.stop();
}

/// A change to a library re-checks the open notices that `use` it.
#[test]
fn a_library_change_rechecks_the_notices_that_use_it() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib.notice");
    let lib_text = "library lib {\n  metric visits : percent, higher is better \"Children visited in time\"\n}\n";
    std::fs::write(&lib, lib_text).unwrap();
    let user = dir.path().join("user.notice");
    let user_text = format!(
        "use \"lib.notice\"\n{}",
        SMALL.replace(
            "  metric visits : percent, higher is better \"Children visited in time\"\n",
            ""
        )
    );
    std::fs::write(&user, &user_text).unwrap();
    let (lib_u, user_u) = (uri(&lib), uri(&user));
    let mut c = Client::start("2012-08-01");
    c.open(&user_u, &user_text);
    c.open(&lib_u, lib_text);
    assert!(
        c.diagnostics(&user_u).is_empty(),
        "{:?}",
        c.diagnostics(&user_u)
    );
    c.notes.clear();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": lib_u, "version": 2}, "contentChanges": [{"text": lib_text.replace("visits", "audits")}]}),
    );
    let ds = c.diagnostics(&user_u);
    assert_eq!(ds[0]["code"], "notice::check::unknown_name", "{ds:?}");
}
