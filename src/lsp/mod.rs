//! `notice lsp`: a Language Server Protocol server for notice files, over
//! standard input and output. It is built on `lsp-server` and `lsp-types`
//! (rust-analyzer's and ruff's): a synchronous loop over messages, which is
//! all a server that answers in milliseconds needs, without an async
//! runtime. Every answer comes from the library (the checker, the
//! formatter, the evaluator); a request that fails is answered with an
//! error, never a crash, and the log goes to standard error only.

mod assist;
mod outline;
mod state;
mod text;

use std::path::Path;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, CodeLensRequest, Completion, DocumentSymbolRequest, Formatting,
    GotoDefinition, HoverRequest, InlayHintRequest, References, Request as _,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, OneOf,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, Url,
};
use serde_json::Value;

use state::{path_of, url_of, State};
use text::Lines;

/// The server's capabilities: what it answers.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(lsp_types::CodeLensOptions {
            resolve_provider: Some(false),
        }),
        ..ServerCapabilities::default()
    }
}

/// Serves one editor over standard input and output until it says `exit`.
pub fn serve_stdio() -> std::io::Result<()> {
    let (connection, threads) = Connection::stdio();
    let result = serve(&connection);
    drop(connection);
    threads.join()?;
    result
}

/// Serves an editor over a connection (a pair of channels, for tests).
pub fn serve(connection: &Connection) -> std::io::Result<()> {
    let caps = serde_json::to_value(capabilities()).map_err(std::io::Error::other)?;
    let init = connection
        .initialize(caps)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut server = Server::new(&init);
    for message in &connection.receiver {
        match message {
            Message::Request(req) => {
                if connection
                    .handle_shutdown(&req)
                    .map_err(|e| std::io::Error::other(e.to_string()))?
                {
                    return Ok(());
                }
                let response = server.request(req);
                send(connection, Message::Response(response));
            }
            Message::Notification(note) => {
                for out in server.notification(note) {
                    send(connection, Message::Notification(out));
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn send(connection: &Connection, message: Message) {
    if connection.sender.send(message).is_err() {
        eprintln!("notice lsp: the editor has gone");
    }
}

/// The server's state and its answers, apart from the transport (the
/// benchmarks and the fuzz target drive it directly).
pub struct Server {
    state: State,
    failures: usize,
}

impl Server {
    /// A server for an editor's `initialize` parameters (its
    /// `initializationOptions` may set `asOf`, the date verdicts are shown as of).
    pub fn new(init: &Value) -> Self {
        let as_of = init
            .get("initializationOptions")
            .and_then(|o| o.get("asOf"))
            .and_then(Value::as_str)
            .and_then(crate::time::parse_date);
        Server {
            state: State {
                as_of,
                ..State::default()
            },
            failures: 0,
        }
    }

    /// Answers a request; a request it cannot read, or that fails, gets an error.
    pub fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let method = req.method.clone();
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.answer(req)));
        match answer {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(message)) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
            Err(_) => {
                self.failures += 1;
                eprintln!("notice lsp: {method} failed");
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("{method} failed"),
                )
            }
        }
    }

    /// Takes a notification; returns the notifications it sends back (diagnostics).
    pub fn notification(&mut self, note: Notification) -> Vec<Notification> {
        let method = note.method.clone();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.take(note))) {
            Ok(out) => out,
            Err(_) => {
                self.failures += 1;
                eprintln!("notice lsp: {method} failed");
                Vec::new()
            }
        }
    }

    /// How many messages failed (a bug: each is answered with an error and logged).
    pub fn failures(&self) -> usize {
        self.failures
    }

    fn answer(&mut self, req: Request) -> Result<Value, String> {
        let params = req.params;
        let json = |v: Result<Value, serde_json::Error>| v.map_err(|e| e.to_string());
        match req.method.as_str() {
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = read(params)?;
                let (path, text, offset) = self.at(&p.text_document_position_params)?;
                let loaded = self.state.notice_and_data(&path);
                let (notice, data) = match &loaded {
                    Some((n, d)) => (Some(&**n), d.as_deref()),
                    None => (None, None),
                };
                let found = assist::hover(&text, offset, notice, data, self.state.as_of());
                json(serde_json::to_value(found.map(|(markdown, start, end)| {
                    lsp_types::Hover {
                        contents: lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
                            kind: lsp_types::MarkupKind::Markdown,
                            value: markdown,
                        }),
                        range: Some(Lines::new(&text).range(start, end)),
                    }
                })))
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = read(params)?;
                let (path, text, offset) = self.at(&p.text_document_position_params)?;
                let found = text::word_at(&text, offset)
                    .and_then(|(w, _, _)| outline::definition(&self.state.files, &path, &text, w));
                json(serde_json::to_value(found))
            }
            References::METHOD => {
                let p: lsp_types::ReferenceParams = read(params)?;
                let (path, text, offset) = self.at(&p.text_document_position)?;
                let found = text::word_at(&text, offset)
                    .map(|(w, _, _)| outline::references(&self.state.files, &path, &text, w));
                json(serde_json::to_value(found.unwrap_or_default()))
            }
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = read(params)?;
                let (path, text, offset) = self.at(&p.text_document_position)?;
                let notice = self.state.notice(&path);
                json(serde_json::to_value(assist::complete(
                    &text,
                    offset,
                    notice.as_deref(),
                )))
            }
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = read(params)?;
                let (_, text) = self.document(&p.text_document.uri)?;
                let actions: Vec<lsp_types::CodeAction> = p
                    .context
                    .diagnostics
                    .iter()
                    .flat_map(|d| assist::actions(&p.text_document.uri, &text, d))
                    .collect();
                json(serde_json::to_value(actions))
            }
            Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = read(params)?;
                let (_, text) = self.document(&p.text_document.uri)?;
                json(serde_json::to_value(outline::formatting(&text)))
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = read(params)?;
                let (path, text) = self.document(&p.text_document.uri)?;
                let symbols = self
                    .state
                    .notice(&path)
                    .map(|n| outline::symbols(&n, &text))
                    .unwrap_or_default();
                json(serde_json::to_value(symbols))
            }
            InlayHintRequest::METHOD => {
                let p: lsp_types::InlayHintParams = read(params)?;
                let (path, text) = self.document(&p.text_document.uri)?;
                let hints = self
                    .state
                    .notice(&path)
                    .map(|n| outline::inlay_hints(&n, &text))
                    .unwrap_or_default();
                json(serde_json::to_value(hints))
            }
            CodeLensRequest::METHOD => {
                let p: lsp_types::CodeLensParams = read(params)?;
                let (path, text) = self.document(&p.text_document.uri)?;
                let as_of = self.state.as_of();
                let lenses = match self.state.notice_and_data(&path) {
                    Some((n, d)) => outline::code_lenses(&n, d.as_deref(), &text, as_of),
                    None => Vec::new(),
                };
                json(serde_json::to_value(lenses))
            }
            other => Err(format!("`{other}` is not answered by notice lsp")),
        }
    }

    fn take(&mut self, note: Notification) -> Vec<Notification> {
        let params = note.params;
        match note.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = read::<lsp_types::DidOpenTextDocumentParams>(params) else {
                    return Vec::new();
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return Vec::new();
                };
                self.state
                    .files
                    .open
                    .insert(path.clone(), p.text_document.text);
                self.changed(&path)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = read::<lsp_types::DidChangeTextDocumentParams>(params) else {
                    return Vec::new();
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return Vec::new();
                };
                let Some(text) = self.state.files.open.get_mut(&path) else {
                    return Vec::new();
                };
                for change in p.content_changes {
                    text::apply(text, change.range, &change.text);
                }
                self.changed(&path)
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = read::<lsp_types::DidCloseTextDocumentParams>(params) else {
                    return Vec::new();
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return Vec::new();
                };
                self.state.files.open.remove(&path);
                self.state.analyses.remove(&path);
                let cleared = self.state.published.remove(&path).unwrap_or_default();
                cleared
                    .iter()
                    .filter_map(|f| publish(f, Vec::new()))
                    .collect()
            }
            // A data file or library saved or changed on disk: every open notice again.
            DidSaveTextDocument::METHOD | DidChangeWatchedFiles::METHOD => {
                let open: Vec<_> = self.state.files.open.keys().cloned().collect();
                open.iter().flat_map(|p| self.changed(p)).collect()
            }
            _ => Vec::new(),
        }
    }

    /// A document changed: analyse it, and the other open notices it bears
    /// on (those that `use` it; for a data file or any file not a notice,
    /// every open notice, whose data it may be), and publish the diagnostics
    /// of each file they point into.
    fn changed(&mut self, path: &Path) -> Vec<Notification> {
        let mut out = Vec::new();
        let is_notice = |p: &Path| p.extension().is_some_and(|e| e == "notice");
        let same = |a: &Path, b: &Path| {
            a == b
                || matches!(
                    (std::fs::canonicalize(a), std::fs::canonicalize(b)),
                    (Ok(x), Ok(y)) if x == y
                )
        };
        let mut notices: Vec<std::path::PathBuf> = Vec::new();
        if is_notice(path) {
            notices.push(path.to_path_buf());
        }
        for (other, text) in &self.state.files.open {
            let bears = !is_notice(path)
                || outline::files_of(other, text)
                    .iter()
                    .skip(1)
                    .any(|f| same(f, path));
            if other != path && is_notice(other) && bears {
                notices.push(other.clone());
            }
        }
        for notice in notices {
            self.state.analyse(&notice);
            let Some(analysis) = self.state.analyses.get(&notice) else {
                continue;
            };
            let data = self
                .state
                .data
                .get(&notice)
                .filter(|_| analysis.notice.is_some());
            let mut files: Vec<std::path::PathBuf> = analysis.diagnostics.keys().cloned().collect();
            for f in data.iter().flat_map(|d| d.diagnostics.keys()) {
                if !files.contains(f) {
                    files.push(f.clone());
                }
            }
            // The document itself is always published, to clear what it had.
            if !files.contains(&notice) {
                files.push(notice.clone());
            }
            let before = self.state.published.insert(notice.clone(), files.clone());
            for gone in before
                .unwrap_or_default()
                .iter()
                .filter(|f| !files.contains(f))
            {
                out.extend(publish(gone, Vec::new()));
            }
            for file in files {
                let text: std::borrow::Cow<'_, str> = match self.state.files.open.get(&file) {
                    Some(t) => t.into(),
                    None => std::fs::read_to_string(&file).unwrap_or_default().into(),
                };
                let lines = Lines::new(&text);
                let diagnostics: Vec<lsp_types::Diagnostic> = analysis
                    .diagnostics
                    .get(&file)
                    .into_iter()
                    .chain(data.and_then(|d| d.diagnostics.get(&file)))
                    .flatten()
                    .map(|d| outline::to_lsp(d, &lines))
                    .collect();
                out.extend(publish(&file, diagnostics));
            }
        }
        out
    }

    /// A document's path and text, for a request about it.
    fn document(&self, url: &Url) -> Result<(std::path::PathBuf, String), String> {
        let path = path_of(url).ok_or_else(|| format!("{url} is not a file"))?;
        let text = self
            .state
            .files
            .open
            .get(&path)
            .cloned()
            .ok_or_else(|| format!("{url} is not open"))?;
        Ok((path, text))
    }

    /// A document and the byte offset of a position in it.
    fn at(
        &self,
        p: &lsp_types::TextDocumentPositionParams,
    ) -> Result<(std::path::PathBuf, String, usize), String> {
        let (path, text) = self.document(&p.text_document.uri)?;
        let offset = Lines::new(&text).offset(p.position);
        Ok((path, text, offset))
    }
}

fn read<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| e.to_string())
}

fn publish(file: &Path, diagnostics: Vec<lsp_types::Diagnostic>) -> Option<Notification> {
    let uri = url_of(file)?;
    Some(Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        lsp_types::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        },
    ))
}
