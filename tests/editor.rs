//! A real editor on a notice: Neovim, headless, with its own LSP client
//! (`editors/neovim/notice.lua`), asking `notice lsp` what an author would.

use std::path::Path;
use std::process::Command;

/// Neovim's built-in LSP client receives the server's diagnostics and a
/// hover's text.
#[test]
fn neovim_shows_the_diagnostics_and_a_hover() {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the editor check: install `neovim`"
        );
        eprintln!("skipped: no nvim (install Debian's `neovim` to run the editor check)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.notice");
    // A draft with one warning (an evidence kind nothing requires).
    let text = "notice draft {\n  title \"Draft — Łódź\" authority \"Somewhere\" issued 2012-01-23\n  metric visits : percent, higher is better \"Children visited in time\"\n  evidence plan \"An action plan\"\n  measure \"1\" \"Visits\" {\n    text \"Visit every child.\"\n    require visits >= 90% by issued + 6 months\n  }\n}\n";
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out.json");
    let o = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-u"])
        .arg(root.join("tests/nvim/probe.lua"))
        .env("NOTICE_BIN", env!("CARGO_BIN_EXE_notice"))
        .env("NOTICE_EDITORS", root.join("editors"))
        .env("NOTICE_FILE", &file)
        .env("NOTICE_NVIM_OUT", &out)
        // `visits` in `require visits`.
        .env("NOTICE_HOVER_LINE", "6")
        .env("NOTICE_HOVER_COL", "14")
        .output()
        .unwrap();
    let written = std::fs::read_to_string(&out).unwrap_or_else(|_| {
        panic!(
            "neovim wrote nothing: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    let got: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(got["waited"], true, "{got}");
    let diagnostics = got["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{got}");
    assert_eq!(
        diagnostics[0]["code"], "notice::lint::unused_evidence",
        "{got}"
    );
    assert_eq!(diagnostics[0]["lnum"], 3, "{got}");
    let hover = got["hover"].as_str().unwrap_or_default();
    assert!(hover.contains("**Children visited in time**"), "{got}");
}
