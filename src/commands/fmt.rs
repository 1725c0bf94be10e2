//! `notice fmt`: the canonical layout, written in place or checked.

use std::io::Write;
use std::path::{Path, PathBuf};

use notice_rules::exit::{NOT_MET, OK, UNUSABLE};
use notice_rules::{syntax, Disk, Project, SourceFile};
use tempfile::NamedTempFile;

use super::emit;

/// Formats each file in place, or (`check`) lists those that would change.
pub fn fmt_files(files: &[PathBuf], check: bool) -> u8 {
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
            println!("{}", path.display());
            if code == OK {
                code = NOT_MET;
            }
            continue;
        }
        if syntax::parse_file(&SourceFile::new(
            path.display().to_string(),
            formatted.as_str(),
        ))
        .is_err()
        {
            eprintln!(
                "error: formatting `{}` would break it; it is left as it was (this is a bug in notice)",
                path.display()
            );
            code = UNUSABLE;
            continue;
        }
        if let Err(e) = replace(path, &formatted) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            code = UNUSABLE;
        } else {
            eprintln!("formatted {}", path.display());
        }
    }
    code
}

/// Replaces a file's text: through a new temporary file beside it (a
/// random name, created exclusively, so a planted link is never followed),
/// with the file's own permissions, synced, then renamed over it. A link is
/// followed to the file it names, which is the one rewritten.
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let mut temp = NamedTempFile::new_in(folder(&target))?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
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
