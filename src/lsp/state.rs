//! What the server holds: the documents the editor has open (as it edits
//! them), the files read through them, and for each notice its last
//! analysis: diagnostics, the checked notice (the last one that checked,
//! for hover and completion while a buffer does not), and its data, read
//! again only when a data file changes on disk.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use lsp_types::Url;

use crate::check::Notice;
use crate::data::DataSet;
use crate::{Checked, DataFiles, Diagnostic, Disk, Project, Sources};

/// The open documents over the disk: an open buffer is read as the editor
/// holds it, anything else from disk.
#[derive(Default)]
pub(crate) struct Overlay {
    pub(crate) open: HashMap<PathBuf, String>,
}

impl Sources for Overlay {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self.open.get(path) {
            Some(text) => Ok(text.clone().into_bytes()),
            None => Disk.read(path),
        }
    }
    fn open(&self, path: &Path) -> std::io::Result<Box<dyn std::io::Read + Send>> {
        match self.open.get(path) {
            Some(text) => Ok(Box::new(std::io::Cursor::new(text.clone().into_bytes()))),
            None => Disk.open(path),
        }
    }
    fn list(&self, path: &Path) -> std::io::Result<Option<Vec<PathBuf>>> {
        Disk.list(path)
    }
    fn canonical(&self, path: &Path) -> std::io::Result<PathBuf> {
        Disk.canonical(path).or_else(|_| Ok(path.to_path_buf()))
    }
}

/// A notice's data and what it was read from: each file's modification
/// time, so that it is read again only when one changes.
pub(crate) struct Data {
    stamp: Vec<(PathBuf, Option<SystemTime>)>,
    pub(crate) set: Option<Arc<DataSet>>,
    /// The data's diagnostics, by the file they point into.
    pub(crate) diagnostics: BTreeMap<PathBuf, Vec<Diagnostic>>,
}

/// The last analysis of a document.
#[derive(Default)]
pub(crate) struct Analysis {
    /// The diagnostics of this analysis, by the file they point into.
    pub(crate) diagnostics: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The last notice that checked (it may be older than the text).
    pub(crate) notice: Option<Arc<Notice>>,
}

/// Everything the server holds.
#[derive(Default)]
pub(crate) struct State {
    pub(crate) files: Overlay,
    pub(crate) analyses: HashMap<PathBuf, Analysis>,
    pub(crate) data: HashMap<PathBuf, Data>,
    /// The files diagnostics were last published for, per document: to clear
    /// those that have none any more.
    pub(crate) published: HashMap<PathBuf, Vec<PathBuf>>,
    /// The date verdicts are shown as of (the workspace's `asOf`, else today).
    pub(crate) as_of: Option<crate::time::Date>,
}

/// A document's path from its URL (a `file:` URL), or `None`.
pub(crate) fn path_of(url: &Url) -> Option<PathBuf> {
    url.to_file_path().ok()
}

/// A file's URL from its path as a diagnostic names it.
pub(crate) fn url_of(path: &Path) -> Option<Url> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    Url::from_file_path(absolute).ok()
}

impl State {
    /// Analyses a document as it now reads: its diagnostics and, when it
    /// checks, its notice and data.
    pub(crate) fn analyse(&mut self, path: &Path) {
        let project = Project::new(&self.files);
        let mut checked = None;
        let diagnostics = match project.check_file(path) {
            Ok((Checked::Notice(notice), warnings)) => {
                checked = Some(Arc::new(*notice));
                by_file(path, warnings)
            }
            Ok((_, warnings)) => by_file(path, warnings),
            Err(errors) => by_file(path, errors),
        };
        if let Some(notice) = &checked {
            self.data_of(path, notice);
        }
        let analysis = self.analyses.entry(path.to_path_buf()).or_default();
        analysis.diagnostics = diagnostics;
        if checked.is_some() {
            analysis.notice = checked;
        }
    }

    /// A notice's data: read again only when one of its files changed.
    pub(crate) fn data_of(&mut self, path: &Path, notice: &Notice) -> &Data {
        let stamp = stamp(notice);
        let fresh = self.data.get(path).is_some_and(|d| d.stamp == stamp);
        if !fresh {
            let project = Project::new(&self.files);
            let (set, diagnostics) = if notice.data.is_empty() {
                (None, BTreeMap::new())
            } else {
                match project.load_data(notice, DataFiles::Notice, Vec::new()) {
                    Ok((set, warnings)) => (Some(Arc::new(set)), by_file(path, warnings)),
                    Err(errors) => (None, by_file(path, errors)),
                }
            };
            self.data.insert(
                path.to_path_buf(),
                Data {
                    stamp,
                    set,
                    diagnostics,
                },
            );
        }
        &self.data[path]
    }

    /// The last notice of a document that checked, if one has.
    pub(crate) fn notice(&self, path: &Path) -> Option<Arc<Notice>> {
        self.analyses.get(path)?.notice.clone()
    }

    /// The notice of a document and its data, if it has checked.
    pub(crate) fn notice_and_data(
        &mut self,
        path: &Path,
    ) -> Option<(Arc<Notice>, Option<Arc<DataSet>>)> {
        let notice = self.notice(path)?;
        let data = self.data_of(path, &notice).set.clone();
        Some((notice, data))
    }

    /// The date verdicts are shown as of.
    pub(crate) fn as_of(&self) -> crate::time::Date {
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// Diagnostics by the file they point into (`path` for those with no file).
fn by_file(path: &Path, ds: Vec<Diagnostic>) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut out: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in ds {
        let file = d
            .labels
            .first()
            .and_then(|l| l.file.as_deref())
            .map_or_else(|| path.to_path_buf(), PathBuf::from);
        out.entry(file).or_default().push(d);
    }
    out
}

/// The data files of a notice with their modification times (a folder's
/// files each).
fn stamp(notice: &Notice) -> Vec<(PathBuf, Option<SystemTime>)> {
    let time = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let mut out = Vec::new();
    for p in &notice.data {
        out.push((p.clone(), time(p)));
        if let Ok(entries) = std::fs::read_dir(p) {
            let mut inside: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            inside.sort();
            out.extend(inside.into_iter().map(|f| {
                let t = time(&f);
                (f, t)
            }));
        }
    }
    out
}
