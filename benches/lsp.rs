//! The language server's latency: diagnostics after a one-character change
//! (each bundled notice, and a generated 1,000-measure notice), and hover
//! and completion on a bundled notice. Driven in-process, as `notice lsp`
//! drives it, without the transport.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use lsp_server::{Notification, Request, RequestId};
use notice_rules::lsp::Server;
use serde_json::{json, Value};

/// A notice of 1,000 measures over 100 metrics.
fn generated() -> String {
    let mut s = String::from(
        "notice bench {\n  title \"Generated\" authority \"Somewhere\" issued 2020-01-06\n  milestone review = issued + 6 months \"Review\"\n",
    );
    for m in 0..100 {
        writeln!(
            s,
            "  metric m{m} : percent, higher is better \"Metric {m}\""
        )
        .unwrap();
    }
    writeln!(s, "  evidence plan \"A plan\"").unwrap();
    for i in 0..1_000 {
        let m = i % 100;
        writeln!(
            s,
            "  measure \"{i}\" \"Measure {i}\" {{\n    text \"The notice's words for measure {i}.\"\n    require m{m} >= 90% by review\n    expect any {{ m{m} >= 60%  evidence plan }} within 3 months of issued\n  }}"
        )
        .unwrap();
    }
    s.push_str("}\n");
    s
}

fn open(server: &mut Server, uri: &str, text: &str) {
    server.notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({"textDocument": {"uri": uri, "languageId": "notice", "version": 0, "text": text}}),
    ));
}

/// Types one character at the end of line 1 and removes it: two changes,
/// each answered with the document's diagnostics.
fn type_and_delete(server: &mut Server, uri: &str, line: u32) {
    for (range, text) in [
        (
            json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}),
            " ",
        ),
        (
            json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 1}}),
            "",
        ),
    ] {
        let out = server.notification(Notification::new(
            "textDocument/didChange".into(),
            json!({"textDocument": {"uri": uri, "version": 1}, "contentChanges": [{"range": range, "text": text}]}),
        ));
        assert!(!out.is_empty(), "no diagnostics published");
    }
}

fn request(server: &mut Server, method: &str, params: Value) -> Value {
    let r = server.request(Request::new(RequestId::from(1), method.into(), params));
    r.result.unwrap()
}

fn benches(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["waltham-forest-2012", "wiltshire-2012"] {
        let path = root.join(format!("notices/{name}.notice"));
        let uri = format!("file://{}", path.display());
        let text = std::fs::read_to_string(&path).unwrap();
        let mut server = Server::new(&json!({"initializationOptions": {"asOf": "2012-08-01"}}));
        open(&mut server, &uri, &text);
        c.bench_function(&format!("lsp_diagnostics_after_a_change_{name}"), |b| {
            b.iter(|| type_and_delete(&mut server, &uri, 20));
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("generated.notice");
    let text = generated();
    std::fs::write(&path, &text).unwrap();
    let uri = format!("file://{}", path.display());
    let mut server = Server::new(&json!({}));
    open(&mut server, &uri, &text);
    c.bench_function("lsp_diagnostics_after_a_change_1000_measures", |b| {
        b.iter(|| type_and_delete(&mut server, &uri, 2));
    });

    let path = root.join("notices/waltham-forest-2012.notice");
    let uri = format!("file://{}", path.display());
    let text = std::fs::read_to_string(&path).unwrap();
    let mut server = Server::new(&json!({"initializationOptions": {"asOf": "2012-08-01"}}));
    open(&mut server, &uri, &text);
    let at = |needle: &str, shift: usize| {
        let offset = text.find(needle).unwrap() + shift;
        let line = text[..offset].matches('\n').count();
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        json!({"line": line, "character": offset - start})
    };
    let metric = at("lac_3plus_placements <", 3);
    c.bench_function("lsp_hover_metric_waltham-forest-2012", |b| {
        b.iter(|| {
            request(
                &mut server,
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": metric}),
            )
        });
    });
    let measure = at("measure \"iii\"", 2);
    c.bench_function("lsp_hover_measure_status_waltham-forest-2012", |b| {
        b.iter(|| {
            request(
                &mut server,
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": measure}),
            )
        });
    });
    let after_by = at("by formal_review", 3);
    c.bench_function("lsp_completion_waltham-forest-2012", |b| {
        b.iter(|| {
            request(
                &mut server,
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": after_by}),
            )
        });
    });
}

criterion_group! {
    name = lsp;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(lsp);
