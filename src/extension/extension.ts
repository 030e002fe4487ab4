// Extension entry: activate/deactivate only. The chat UI, contacts and the supervised Tox
// node arrive with the chat issue; until then the extension contributes its settings and a
// log channel, and never loads native code (the Tox node process does).

import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Tox', { log: true });
  context.subscriptions.push(log);
  log.info('toxync activated; the chat UI is not part of this build yet');
}

export function deactivate(): void {
  /* everything is disposed through context.subscriptions */
}
