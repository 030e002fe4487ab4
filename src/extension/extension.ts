// Extension entry: activate/deactivate only. Activation stays light: no native code is
// loaded here (the Tox node runs in its own process, see toxService.ts), and the node is
// started at activation only when that needs no question (the key is in the keychain); a
// passphrase is asked for when the user opens Tox, not in the middle of VS Code starting.

import * as vscode from 'vscode';
import { join } from 'node:path';
import { registerCommands } from './commands';
import { registerFiles } from './fileShare';
import { registerGif } from './gifCommand';
import { GifMaker } from './gifMaker';
import { SentGifs } from './sentGifs';
import { ContactsTree } from './contacts';
import { Conversations } from './conversationViews';
import { Notifier } from './notify';
import { registerPager } from './pager/register';
import { registerGroups } from './groupsSetup';
import { registerProxy } from './proxy';
import { fastKdf, passphraseKey } from '../core/store/crypto';
import { sodium } from '../core/store/sodium';
import { registerStoreCommands } from './storeCommands';
import { SECRET_KEY } from './unlock';
import { StatusBar } from './statusBar';
import type { ToxyncTestApi } from './testApi';
import { ToxService } from './toxService';

export function activate(context: vscode.ExtensionContext): ToxyncTestApi | undefined {
  const log = vscode.window.createOutputChannel('Tox', { log: true });
  const service = new ToxService(context, log);
  const gifs = new GifMaker(context.extensionUri, new SentGifs(join(context.globalStorageUri.fsPath, 'sent-gifs'), (id) => service.outgoingPaths(id)));
  const conversations = new Conversations(service, context.extensionUri, log, gifs);
  const tree = new ContactsTree(service);
  const treeView = vscode.window.createTreeView('toxync.contacts', { treeDataProvider: tree, showCollapseAll: false });
  // A click (or Enter) on a row selects it, then runs this command.
  const openSelected = vscode.commands.registerCommand('toxync.contacts.openSelected', async () => {
    const n = treeView.selection[0];
    if (n?.type === 'friend') await conversations.show({ kind: 'friend', key: n.contact.key });
    else if (n?.type === 'request') await conversations.show({ kind: 'request', key: n.request.key });
  });
  const status = new StatusBar(service);
  const unsubscribeStatus = service.model.onChange((c) => c.kind === 'contacts' && status.update());
  const updateBadge = () => {
    const unread = [...service.model.contacts.values()].reduce((n, c) => n + c.unread, 0) + service.model.requests.size;
    treeView.badge = unread ? { value: unread, tooltip: `${unread} unread` } : undefined;
  };
  const unsubscribeBadge = service.model.onChange((c) => (c.kind === 'contacts' || c.kind === 'requests') && updateBadge());

  context.subscriptions.push(
    log,
    service,
    status,
    tree,
    treeView,
    openSelected,
    conversations,
    new Notifier(service, conversations),
    vscode.window.registerWebviewViewProvider(Conversations.viewId, conversations),
    { dispose: unsubscribeStatus },
    { dispose: unsubscribeBadge },
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Proxy changes restart on their own (proxy.ts); these only offer a restart.
      const needsRestart = ['toxync.network', 'toxync.nodesFile', 'toxync.libtoxcorePath'].some((s) => e.affectsConfiguration(s));
      if (needsRestart && service.started) {
        void vscode.window.showInformationMessage('Tox network settings changed.', 'Restart Tox now').then((p) => p && service.restart());
      }
    }),
  );
  registerCommands(context, service, conversations, log);
  registerProxy(context, service, log);
  registerFiles(context, service, log);
  registerGif(context, service, log, gifs);
  registerStoreCommands(context, service, conversations, log);
  registerPager(context, service, log);
  registerGroups(context, service, log);
  if (service.canStartSilently()) void service.start();
  context.subscriptions.push(
    service.onState(() => {
      // Picks which welcome text the empty Contacts view shows, and Lock/Unlock in menus.
      void vscode.commands.executeCommand('setContext', 'toxync.running', service.started);
      void vscode.commands.executeCommand('setContext', 'toxync.unlocked', service.unlocked);
      // Locked (by the user) is not "not started": the Contacts view offers Unlock then.
      void vscode.commands.executeCommand('setContext', 'toxync.locked', service.state === 'locked');
    }),
  );
  log.info('toxync activated');
  // Tests only: nothing is exported to other extensions in normal use.
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    serviceState: () => service.state,
    statusBarText: () => status.text,
    storeDir: () => service.storeDir,
    keyInSecretStorage: async () => (await context.secrets.get(SECRET_KEY)) !== undefined,
    passphraseKeyBytes: async () => (await passphraseKey('exthost probe', new Uint8Array(16), fastKdf(await sodium()))).length,
  };
}

export function deactivate(): void {
  /* everything is disposed through context.subscriptions */
}
