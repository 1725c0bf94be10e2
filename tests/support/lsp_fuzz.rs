//! Random edits of the bundled notices fed to the language server as an
//! editor would send them (`didChange`, one range each: insertions,
//! deletions, truncations), with a request after every few: every request
//! must be answered, and nothing may fail inside the server. Shared by a
//! short test (`tests/lsp.rs`) and the long run
//! (`cargo run --release --example lsp_fuzz -- --edits 1000000`).

use std::path::Path;

use lsp_server::{Notification, Request, RequestId};
use notice_rules::lsp::Server;
use serde_json::{json, Value};

/// What a session came to.
pub struct Session {
    /// Edits sent.
    pub edits: u64,
    /// Requests answered.
    pub requests: u64,
    /// Messages that failed inside the server.
    pub failures: usize,
}

/// Snippets an edit inserts: the language's words, its punctuation, and text
/// it never expects.
const SNIPPETS: &[&str] = &[
    "require ",
    "expect ",
    "evidence ",
    "metric ",
    "milestone ",
    "measure \"x\" \"y\" {",
    "}",
    "{",
    "\"",
    "\\",
    "// allow(",
    ")",
    "(",
    ">= 90%",
    "by ",
    "within 3 months of ",
    "every month from issued until ",
    "at least every 6 months from ",
    "not ",
    "all {",
    "any {",
    "count ",
    "formal_review",
    "issued",
    "2012-13-45",
    "+ 999999999 years",
    "[England]",
    "over 6 months",
    "é",
    "𝄞",
    "\u{0}",
    "\r\n",
    "\n",
    "improving",
    "by at least 2pp",
    "stands until replaced",
    "missing means not met",
    "owner \"O\"",
];

/// A small random number generator (xorshift), so a seed replays a session.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The protocol position of a byte offset.
fn position(text: &str, offset: usize) -> Value {
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// A char boundary at or before a byte offset.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Runs `edits` random edits over the bundled notices, from `seed`.
pub fn session(root: &Path, edits: u64, seed: u64) -> Session {
    let files = [
        root.join("notices/waltham-forest-2012.notice"),
        root.join("notices/wiltshire-2012.notice"),
    ];
    let mut server = Server::new(&json!({"initializationOptions": {"asOf": "2012-08-01"}}));
    let mut rng = Rng(seed.max(1));
    let mut out = Session {
        edits: 0,
        requests: 0,
        failures: 0,
    };
    let mut id = 0i32;
    let methods = [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/references",
        "textDocument/documentSymbol",
        "textDocument/inlayHint",
        "textDocument/codeLens",
        "textDocument/formatting",
        "textDocument/codeAction",
    ];
    while out.edits < edits {
        // Each round starts again from a bundled notice.
        let path = &files[rng.below(files.len())];
        let original = std::fs::read_to_string(path).unwrap_or_default();
        let uri = format!("file://{}", path.display());
        let mut text = original.clone();
        server.notification(Notification::new(
            "textDocument/didOpen".into(),
            json!({"textDocument": {"uri": uri, "languageId": "notice", "version": 0, "text": text}}),
        ));
        for version in 1..=200 {
            if out.edits >= edits {
                break;
            }
            let a = boundary(&text, rng.below(text.len() + 1));
            let (start, end, new) = match rng.below(4) {
                0 | 1 => (a, a, SNIPPETS[rng.below(SNIPPETS.len())].to_string()),
                2 => {
                    let b = boundary(&text, a + rng.below(40));
                    (a, b, String::new())
                }
                _ => (a, text.len(), String::new()),
            };
            let change = json!({"range": {"start": position(&text, start), "end": position(&text, end)}, "text": new});
            text.replace_range(start..end, &new);
            server.notification(Notification::new(
                "textDocument/didChange".into(),
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
            ));
            out.edits += 1;
            if rng.below(8) == 0 {
                id += 1;
                let at = position(&text, boundary(&text, rng.below(text.len() + 1)));
                let method = methods[rng.below(methods.len())];
                let params = json!({
                    "textDocument": {"uri": uri},
                    "position": at,
                    "range": {"start": at, "end": at},
                    "context": {"includeDeclaration": true, "diagnostics": []},
                    "options": {"tabSize": 2, "insertSpaces": true},
                });
                let response =
                    server.request(Request::new(RequestId::from(id), method.into(), params));
                if response.id == RequestId::from(id) {
                    out.requests += 1;
                }
            }
        }
        server.notification(Notification::new(
            "textDocument/didClose".into(),
            json!({"textDocument": {"uri": uri}}),
        ));
    }
    out.failures = server.failures();
    out
}
