// Commands about the encrypted store: Lock / Unlock, passphrase, toxencryptsave export and
// import (profiles to and from qTox / toxic), message search, deleting a conversation.

import * as vscode from 'vscode';
import { commandRegistrar } from './registrar';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { writeFileAtomic } from '../sys/atomicWrite';
import { oneShot } from '../core/supervisor/oneshot';
import type { ContactNode } from './contacts';
import type { Conversations } from './conversationViews';
import type { ToxService } from './toxService';
import { askPassphrase, SECRET_KEY } from './unlock';
import { keyText, labelText, noticeText } from './surfaceText';
import { searchHistory } from '../core/store/storeQueries';

export function registerStoreCommands(ctx: vscode.ExtensionContext, service: ToxService, conversations: Conversations, log: vscode.LogOutputChannel): void {
  const reg = commandRegistrar(ctx, log);
  const nodeScript = join(ctx.extensionPath, 'dist', 'toxnode.js');

  reg('toxync.lock', async () => {
    if (!service.unlocked) return;
    const store = service.requireStore();
    if (!store.hasPassphrase()) {
      const set = 'Set a Passphrase…';
      const pick = await vscode.window.showWarningMessage(
        'Your profile has no passphrase: its key is in VS Code’s secret storage, so unlocking will not ask for anything.',
        {
          modal: true,
          detail: 'Lock still stops Tox and clears your messages from memory. Set a passphrase to make unlocking require it.',
        },
        set,
        'Lock Anyway',
      );
      if (pick === set) {
        await vscode.commands.executeCommand('toxync.setPassphrase');
        return;
      }
      if (!pick) return;
    }
    conversations.closeAll();
    await service.lock();
    void vscode.window.showInformationMessage('Tox is locked. Nothing of your profile is readable until you unlock it.');
  });

  reg('toxync.unlock', () => service.start());

  reg('toxync.setPassphrase', async () => {
    if (!(await service.start())) return;
    const store = service.requireStore();
    const p = await askPassphrase(
      store.hasPassphrase() ? 'Choose a new passphrase (at least 8 characters).' : 'Choose a passphrase for your Tox profile (at least 8 characters).',
      true,
    );
    if (p === undefined) return;
    const both = {
      label: '$(key) Passphrase, and keep the key in VS Code’s secret storage',
      detail: 'Starts without asking; the passphrase unlocks after “Tox: Lock” or if the secret storage loses the key.',
      keychain: true,
    };
    const only = {
      label: '$(lock) Passphrase only',
      detail: 'Asked at every start; a seized device reveals nothing without it.',
      keychain: false,
    };
    const pick = await vscode.window.showQuickPick(store.keptInKeychain() ? [both, only] : [only, both], {
      title: 'Tox: where else should the key be kept?',
      ignoreFocusOut: true,
    });
    if (!pick) return;
    // Re-wraps the data key only: nothing else is re-encrypted.
    await store.setKeyHolders(p, pick.keychain);
    if (pick.keychain) {
      const key = store.exportKey();
      try {
        await ctx.secrets.store(SECRET_KEY, Buffer.from(key).toString('base64'));
      } finally {
        key.fill(0);
      }
    } else await ctx.secrets.delete(SECRET_KEY);
    void vscode.window.showInformationMessage(
      pick.keychain ? 'Passphrase set. The key also stays in VS Code’s secret storage.' : 'Passphrase set. The key was removed from VS Code’s secret storage.',
    );
  });

  reg('toxync.exportProfile', async () => {
    if (!(await service.start())) return;
    const savedata = service.requireStore().readProfile();
    if (!savedata) throw new Error('there is no Tox profile to export yet');
    const target = await vscode.window.showSaveDialog({
      title: 'Export Tox profile (toxencryptsave, for qTox, toxic, uTox)',
      filters: { 'Tox profile': ['tox'] },
      defaultUri: vscode.Uri.file(join(homedir(), 'profile.tox')),
    });
    if (!target) return;
    if (target.scheme !== 'file') throw new Error('profiles can only be exported to a local file');
    const pass = await askPassphrase('Choose a passphrase for the exported file (other clients ask for it when loading).', true);
    if (pass === undefined) return;
    const { data } = await oneShot(nodeScript, { cmd: 'pass_encrypt', data: Buffer.from(savedata).toString('base64'), passphrase: pass });
    writeFileAtomic(target.fsPath, Buffer.from(data, 'base64'));
    void vscode.window.showInformationMessage(
      `Exported your Tox profile (encrypted) to ${noticeText(target.fsPath, 400)}. It contains your secret key: keep it safe.`,
    );
  });

  reg('toxync.importProfile', async () => {
    if (!(await service.start())) return;
    const go = 'Choose a Profile File…';
    const ok = await vscode.window.showWarningMessage(
      'Import a Tox profile?',
      {
        modal: true,
        detail:
          'Your current Tox identity (Tox ID, friends) is replaced by the imported one. Export it first if you may want it back. Conversation history stays.',
      },
      go,
    );
    if (ok !== go) return;
    const [file] =
      (await vscode.window.showOpenDialog({
        title: 'Import a Tox profile',
        canSelectMany: false,
        filters: { 'Tox profile': ['tox'], 'All files': ['*'] },
      })) ?? [];
    if (!file) return;
    const raw = readFileSync(file.fsPath);
    let savedata: Buffer;
    if (raw.subarray(0, 8).toString('latin1') === 'toxEsave') {
      const pass = await askPassphrase('Enter the passphrase of the profile file.', false);
      if (pass === undefined) return;
      const { data } = await oneShot(nodeScript, { cmd: 'pass_decrypt', data: raw.toString('base64'), passphrase: pass });
      savedata = Buffer.from(data, 'base64');
    } else savedata = raw;
    await service.replaceProfile(savedata);
    void vscode.window.showInformationMessage('Imported the Tox profile; Tox restarted with it.');
  });

  reg('toxync.searchMessages', async () => {
    if (!(await service.start())) return;
    const store = service.requireStore();
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { key: string }>();
    qp.title = 'Tox: Search Messages';
    qp.placeholder = 'Type to search all conversations';
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    const subs = [
      qp.onDidChangeValue((v) => {
        qp.items = searchHistory(store.conversations(), v, 100).map((h) => ({
          label: labelText(h.message.text, 120),
          description: labelText(`${service.model.displayName(h.peer)} · ${new Date(h.message.ts).toLocaleString()}`, 80),
          key: h.peer,
          alwaysShow: true,
        }));
      }),
      qp.onDidAccept(() => {
        const pick = qp.selectedItems[0];
        qp.hide();
        if (pick && service.model.contacts.has(pick.key)) void conversations.show({ kind: 'friend', key: pick.key });
      }),
    ];
    qp.onDidHide(() => {
      for (const s of subs) s.dispose();
      qp.dispose();
    });
    qp.show();
  });

  reg('toxync.contact.deleteHistory', async (arg) => {
    if (!service.unlocked) return;
    let key: string | undefined;
    if (arg && typeof arg === 'object' && 'type' in arg && (arg as ContactNode).type === 'friend')
      key = (arg as Extract<ContactNode, { type: 'friend' }>).contact.key;
    if (!key) {
      const keys = service.model.conversationKeys();
      const pick = await vscode.window.showQuickPick(
        keys.map((k) => ({ label: noticeText(service.model.displayName(k), 60), detail: `Key ${keyText(k)}`, k })),
        { placeHolder: 'Delete the history of…' },
      );
      key = pick?.k;
    }
    if (!key) return;
    const go = 'Delete History';
    const pick = await vscode.window.showWarningMessage(
      `Delete your conversation history with ${noticeText(service.model.displayName(key), 60)}?`,
      { modal: true, detail: 'Every message, including ones not yet delivered, is removed from this device. This cannot be undone.' },
      go,
    );
    if (pick === go) service.model.deleteHistory(key);
  });
}
