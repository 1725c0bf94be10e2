//! `notice new`: a starting notice for an authority.

use std::path::PathBuf;

use notice_rules::exit::OK;
use notice_rules::Code;

use super::fmt::write_new;
use super::{cli_date, not_written, refuse};

/// Writes a starting notice to `out` (never over a file), or to standard output.
pub fn new_notice(authority: &str, issued: &str, out: Option<&std::path::Path>) -> u8 {
    let issued = match cli_date("--issued", issued) {
        Ok(d) => d,
        Err(code) => return code,
    };
    if authority.trim().is_empty() {
        return refuse(
            Code::UsageEmptyAuthority,
            "`--authority` is empty".to_string(),
            "give the council's name, e.g. --authority \"Wiltshire Council\"".to_string(),
        );
    }
    let Some(path) = out else {
        out!("{}", notice_rules::new_notice(authority, issued, false));
        return OK;
    };
    if path.exists() {
        return refuse(
            Code::FileExists,
            format!("`{}` exists", path.display()),
            "choose another file name; `notice new` does not overwrite a notice".to_string(),
        );
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let use_library = dir.join(notice_rules::SHARED_LIBRARY).is_file();
    let text = notice_rules::new_notice(authority, issued, use_library);
    if let Err(e) = write_new(path, &text) {
        return not_written(path, &e);
    }
    eprintln!(
        "wrote {}{}; next: notice check {}",
        path.display(),
        if use_library {
            " (using the shared indicator library)"
        } else {
            ""
        },
        path.display()
    );
    OK
}
