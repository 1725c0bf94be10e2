//! `notice fmt`: the canonical layout, written in place or checked.

use std::io::Write;
use std::path::{Path, PathBuf};

use notice_rules::exit::{NOT_MET, OK, UNUSABLE};
use notice_rules::{Disk, Project};
use tempfile::NamedTempFile;

use notice_rules::Code;

use super::{emit, not_written, refuse};

/// Formats each file in place, or (`check`) lists those that would change.
/// A read-only file is left as it is unless `force`.
pub fn fmt_files(files: &[PathBuf], check: bool, force: bool) -> u8 {
    let project = Project::new(&Disk);
    let mut code = OK;
    for path in files {
        let (source, formatted) = match project.format(path) {
            Ok(f) => f,
            Err(errors) => {
                emit(&errors);
                code = UNUSABLE;
                continue;
            }
        };
        if formatted == *source.text {
            continue;
        }
        if check {
            outln!("{}", path.display());
            if code == OK {
                code = NOT_MET;
            }
            continue;
        }
        let read_only = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
        if read_only && !force {
            code = refuse(
                Code::FileNotWritten,
                format!("`{}` is read-only: it is left as it was", path.display()),
                "make it writable, or give `--force` to format it all the same".to_string(),
            );
            continue;
        }
        if let Err(e) = replace(path, &formatted) {
            code = not_written(path, &e);
        } else {
            eprintln!("formatted {}", path.display());
        }
    }
    code
}

/// Replaces a file's text: through a new temporary file beside it (a
/// random name, created exclusively, so a planted link is never followed),
/// with the file's own owner, then its own permissions (a change of owner
/// clears the setuid and setgid bits, so the mode is set after it), synced,
/// then renamed over it. A link is followed to the file it names, which is
/// the one rewritten. A file with more than one name (a hard link) is
/// rewritten in place instead, so that every name keeps the new text.
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&target)?;
    if links(&meta) > 1 {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&target)?;
        file.write_all(text.as_bytes())?;
        return file.sync_all();
    }
    let mut temp = NamedTempFile::new_in(folder(&target))?;
    temp.write_all(text.as_bytes())?;
    keep_owner(temp.as_file(), &meta)?;
    temp.as_file().set_permissions(meta.permissions())?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Gives the new file the old one's owner and group; when that cannot be
/// done (another user's file), the file is not replaced.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, old: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let new = file.metadata()?;
    if (new.uid(), new.gid()) == (old.uid(), old.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot keep the file's owner and group ({e}); it is left as it was"),
        )
    })
}

/// How many names the file has.
#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

#[cfg(not(unix))]
fn keep_owner(_: &std::fs::File, _: &std::fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

/// Writes a new file, never replacing one: through a temporary file beside
/// it, renamed only if no file of that name has appeared meanwhile.
pub fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut temp = NamedTempFile::new_in(folder(path))?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}
