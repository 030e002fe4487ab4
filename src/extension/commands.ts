// Every palette and context-menu command, under the "Tox" category. Arguments arrive from
// our own tree items (ContactNode) or from nothing; they are still checked, since any
// extension can call a registered command with anything.

import * as vscode from 'vscode';
import { commandRegistrar } from './registrar';
import { registerViewPlace } from './viewPlace';
import { randomInt } from 'node:crypto';
import { parseToxId } from '../sys/toxAddress';
import { MAX_NAME_BYTES, MAX_STATUS_MESSAGE_BYTES } from '../common/text';
import type { ContactNode } from './contacts';
import type { Conversations } from './conversationViews';
import { MAX_ALIAS_LENGTH } from '../core/chat/prefs';
import { showQr } from './qr';
import type { ToxService } from './toxService';
import { inputValue, keyText, labelText, noticeText } from './surfaceText';

const utf8Len = (s: string) => Buffer.byteLength(s, 'utf8');

function friendKey(service: ToxService, arg: unknown): string | undefined {
  if (arg && typeof arg === 'object' && 'type' in arg) {
    const n = arg as ContactNode;
    if (n.type === 'friend' && service.model.contacts.has(n.contact.key)) return n.contact.key;
    if (n.type === 'request' && service.model.requests.has(n.request.key)) return n.request.key;
  }
  return undefined;
}

async function pickFriend(service: ToxService, placeHolder: string): Promise<string | undefined> {
  const m = service.model;
  const items = [...m.contacts.values()].map((c) => ({
    label: labelText(m.displayName(c.key), 60),
    description: m.presence(c) + (c.unread ? ` · ${c.unread} unread` : ''),
    detail: `Key ${keyText(c.key)}`,
    key: c.key,
  }));
  if (!items.length) {
    void vscode.window.showInformationMessage('You have no Tox friends yet. Add one with “Tox: Add Friend”.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: labelText(placeHolder), matchOnDetail: true }))?.key;
}

async function ensureRunning(service: ToxService): Promise<boolean> {
  if (service.started) return true;
  return service.start();
}

export function registerCommands(ctx: vscode.ExtensionContext, service: ToxService, conversations: Conversations, log: vscode.LogOutputChannel): void {
  const m = service.model;
  const reg = commandRegistrar(ctx, log);
  registerViewPlace(reg);

  reg('toxync.start', async () => {
    // A second Start says so instead of doing nothing visible.
    if (service.started) return void vscode.window.showInformationMessage(`Tox is already running (${service.state}).`);
    await service.start();
  });
  reg('toxync.showLogs', () => log.show());

  reg('toxync.addFriend', async () => {
    if (!(await ensureRunning(service))) return;
    const id = await vscode.window.showInputBox({
      title: 'Add a Tox friend',
      prompt: 'Their Tox ID (76 hexadecimal characters)',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const s = v.trim();
        if (!s) return null;
        try {
          parseToxId(s);
          if (m.self && s.toUpperCase().startsWith(m.self.public_key)) return 'That is your own Tox ID.';
          if (m.contacts.has(s.slice(0, 64).toUpperCase())) return 'This friend is already in your contacts.';
          return null;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    });
    if (!id?.trim()) return;
    const address = id.trim().toUpperCase();
    parseToxId(address);
    const selfName = m.self?.name || 'a toxync user';
    const message = await vscode.window.showInputBox({
      title: 'Friend request message',
      value: inputValue(`Hi, this is ${selfName}. Let's chat on Tox!`),
      ignoreFocusOut: true,
      validateInput: (v) => (!v.trim() ? 'Tox requires a non-empty message.' : utf8Len(v) > 1016 ? 'At most 1016 bytes.' : null),
    });
    if (message === undefined) return;
    const key = await m.addFriend(address, message);
    void vscode.window.showInformationMessage('Friend request sent. They appear online once they accept.');
    await conversations.show({ kind: 'friend', key });
  });

  reg('toxync.copyId', async () => {
    if (!(await ensureRunning(service))) return;
    await m.refreshSelf();
    await vscode.env.clipboard.writeText(m.self!.address);
    void vscode.window.showInformationMessage('Your Tox ID is on the clipboard.');
  });

  reg('toxync.showQr', async () => {
    if (!(await ensureRunning(service))) return;
    await m.refreshSelf();
    ctx.subscriptions.push(showQr(ctx.extensionUri, m.self!.address));
  });

  reg('toxync.changeNospam', async () => {
    if (!(await ensureRunning(service))) return;
    const go = 'Change Nospam';
    const pick = await vscode.window.showWarningMessage(
      'Change your nospam?',
      {
        modal: true,
        detail: 'Your Tox ID changes. Friends you have stay; anyone holding your old ID can no longer send you friend requests.',
      },
      go,
    );
    if (pick !== go) return;
    const r = await service.request({ cmd: 'set_nospam', nospam: randomInt(0, 0x1_0000_0000) });
    await m.refreshSelf();
    void vscode.window.showInformationMessage(`Your new Tox ID: ${noticeText(r.address)}`, 'Copy').then((c) => c && vscode.env.clipboard.writeText(r.address));
  });

  reg('toxync.setName', async () => {
    if (!(await ensureRunning(service))) return;
    const name = await vscode.window.showInputBox({
      title: 'Your Tox name',
      value: inputValue(m.self?.name ?? ''),
      validateInput: (v) => (utf8Len(v) > MAX_NAME_BYTES ? `At most ${MAX_NAME_BYTES} bytes.` : null),
    });
    if (name === undefined) return;
    await service.request({ cmd: 'set_name', name });
    await m.refreshSelf();
    // Friends see it once they are online; say it took, as every command does.
    void vscode.window.showInformationMessage(name ? `Your Tox name is now “${noticeText(name)}”.` : 'Your Tox name is cleared.');
  });

  reg('toxync.setStatusMessage', async () => {
    if (!(await ensureRunning(service))) return;
    const text = await vscode.window.showInputBox({
      title: 'Your status message',
      value: inputValue(m.self?.status_message ?? ''),
      validateInput: (v) => (utf8Len(v) > MAX_STATUS_MESSAGE_BYTES ? `At most ${MAX_STATUS_MESSAGE_BYTES} bytes.` : null),
    });
    if (text === undefined) return;
    await service.request({ cmd: 'set_status_message', text });
    await m.refreshSelf();
  });

  reg('toxync.setStatus', async () => {
    if (!(await ensureRunning(service))) return;
    const pick = await vscode.window.showQuickPick(
      [
        { label: '$(circle-filled) Online', status: 'online' as const },
        { label: '$(clock) Away', status: 'away' as const },
        { label: '$(bell-slash) Busy', status: 'busy' as const },
      ],
      { placeHolder: 'Your presence' },
    );
    if (!pick) return;
    await service.request({ cmd: 'set_status', status: pick.status });
    await m.refreshSelf();
  });

  reg('toxync.openChat', async (arg) => {
    const key = friendKey(service, arg) ?? (await pickFriend(service, 'Chat with…'));
    if (key) await conversations.show({ kind: 'friend', key });
  });
  reg('toxync.contact.open', async (arg) => {
    const key = friendKey(service, arg);
    if (key) await conversations.show({ kind: 'friend', key });
  });
  reg('toxync.contact.openInEditor', async (arg) => {
    const key = friendKey(service, arg) ?? (await pickFriend(service, 'Open chat in editor with…'));
    if (key) conversations.openPanel(key);
  });
  reg('toxync.contact.setAlias', async (arg) => {
    const key = friendKey(service, arg) ?? (await pickFriend(service, 'Set an alias for…'));
    if (!key) return;
    const c = m.contacts.get(key)!;
    const alias = await vscode.window.showInputBox({
      title: 'Alias (only you see it)',
      prompt: `Their own name: “${labelText(c.name, 60)}” — key ${keyText(key).slice(0, 19)}… Leave empty to remove the alias.`,
      value: inputValue(m.peerView(key)?.alias ?? ''),
      validateInput: (v) => (v.length > MAX_ALIAS_LENGTH ? `At most ${MAX_ALIAS_LENGTH} characters.` : null),
    });
    if (alias === undefined) return;
    await m.setAlias(key, alias.trim() || null);
  });
  reg('toxync.contact.copyKey', async (arg) => {
    const key = friendKey(service, arg) ?? (await pickFriend(service, 'Copy the public key of…'));
    if (key) await vscode.env.clipboard.writeText(key);
  });
  reg('toxync.contact.remove', async (arg) => {
    const key = friendKey(service, arg) ?? (await pickFriend(service, 'Remove…'));
    if (!key) return;
    const go = 'Remove';
    const wipe = 'Remove and Delete History';
    const pick = await vscode.window.showWarningMessage(
      `Remove ${noticeText(m.displayName(key), 60)} from your friends?`,
      {
        modal: true,
        detail: `Key ${keyText(key)}. They can send you a new friend request later. The conversation history is kept unless you delete it too.`,
      },
      go,
      wipe,
    );
    if (pick === go || pick === wipe) await m.removeFriend(key);
    if (pick === wipe) m.deleteHistory(key);
  });
  reg('toxync.contact.block', async (arg) => {
    const key = friendKey(service, arg) ?? (await pickFriend(service, 'Block…'));
    if (!key) return;
    const go = 'Block';
    const pick = await vscode.window.showWarningMessage(
      `Block ${noticeText(m.displayName(key), 60)}?`,
      { modal: true, detail: `Key ${keyText(key)}. They are removed from your friends and their friend requests are ignored from now on.` },
      go,
    );
    if (pick === go) await m.block(key);
  });
  reg('toxync.request.show', async (arg) => {
    const key = friendKey(service, arg);
    if (key) await conversations.show({ kind: 'request', key });
  });
  reg('toxync.request.accept', async (arg) => {
    const key = friendKey(service, arg);
    if (key) await m.acceptRequest(key);
  });
  reg('toxync.request.decline', (arg) => {
    const key = friendKey(service, arg);
    if (key) m.declineRequest(key);
  });
  reg('toxync.request.block', async (arg) => {
    const key = friendKey(service, arg);
    if (key) await m.block(key);
  });
  reg('toxync.manageBlocked', async () => {
    const keys = service.model.blocked();
    if (!keys.length) return void vscode.window.showInformationMessage('Nobody is blocked.');
    const pick = await vscode.window.showQuickPick(
      keys.map((k) => ({ label: keyText(k), key: k })),
      { placeHolder: 'Select a key to unblock' },
    );
    if (pick) await m.unblock(pick.key);
  });
  reg('toxync.statusMenu', async () => {
    if (!service.started) {
      await service.start();
      return;
    }
    const items = [
      { label: '$(copy) Copy my Tox ID', id: 'toxync.copyId' },
      { label: '$(device-mobile) Show my Tox ID as QR', id: 'toxync.showQr' },
      { label: '$(person-add) Add friend', id: 'toxync.addFriend' },
      { label: '$(circle-filled) Set status', id: 'toxync.setStatus' },
      { label: '$(shield) Choose proxy…', id: 'toxync.proxy.choose' },
      { label: '$(debug-disconnect) Test proxy', id: 'toxync.proxy.test' },
      { label: '$(search) Search messages…', id: 'toxync.searchMessages' },
      { label: '$(lock) Lock (forget the key until unlocked)', id: 'toxync.lock' },
      { label: '$(key) Set or change passphrase…', id: 'toxync.setPassphrase' },
      { label: '$(output) Show logs', id: 'toxync.showLogs' },
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Tox' });
    // Only ids from the fixed list above ever reach executeCommand.
    if (pick) await vscode.commands.executeCommand(pick.id);
  });
}
