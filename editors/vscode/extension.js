// The notice extension: starts `notice lsp` for .notice files, and shows a
// measure's explanation when its code lens is clicked.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("notice");
  const command = config.get("path") || "notice";
  const asOf = config.get("asOf") || undefined;
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "notice",
    "notice",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "notice" }],
      initializationOptions: { asOf },
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{csv,notice,xlsx,ods}"),
      },
    }
  );
  context.subscriptions.push(
    vscode.commands.registerCommand("notice.explain", (measure) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const terminal = vscode.window.createTerminal("notice explain");
      terminal.show();
      terminal.sendText(`${command} explain "${editor.document.fileName}" --measure "${measure}"`);
    })
  );
  client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
