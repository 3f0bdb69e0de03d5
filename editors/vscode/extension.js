// The VS Code client of slac: starts `slac lsp` (the `slac.path` setting, default
// `slac` on PATH) for .sla files; highlighting comes from syntaxes/sla.tmLanguage.json.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('slac').get('path') || 'slac';
  const server = { command, args: ['lsp'] };
  client = new LanguageClient('slac', 'slac', { run: server, debug: server }, {
    documentSelector: [{ language: 'sla' }],
  });
  context.subscriptions.push(client);
  return client.start().catch((err) => {
    vscode.window.showErrorMessage(`slac: could not start \`${command} lsp\`: ${err.message}; set slac.path`);
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
