// The group commands (issue 20): create, join by chat ID, invite a friend, accept or decline
// an invite, leave, forget, set the topic, moderate, name a peer, copy the chat ID, and the
// notification for a new invite. Arguments come from our Groups tree (GroupNode) or from
// nothing (then the user picks); they are checked, since any extension can call a command.

import * as vscode from 'vscode';
import type { Register } from './registrar';
import type { ToxService } from './toxService';
import type { GroupNode } from './groupsTree';
import type { GroupPanels } from './groupPanel';
import type { GroupInvite } from '../core/chat/groupTypes';
import {
  acceptInvite,
  createGroup,
  declineInvite,
  inviteFriend,
  isChatId,
  joinGroup,
  leaveGroup,
  MAX_GROUP_NAME_BYTES,
  MAX_PASSWORD_BYTES,
  MAX_TOPIC_BYTES,
  moderate,
  setTopic,
} from '../core/chat/groupActions';
import { senderFor, senderText } from '../core/chat/groupNames';
import { MAX_ALIAS_LENGTH } from '../core/chat/prefs';
import { inputValue, keyText, labelText, noticeText } from './surfaceText';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function registerGroupCommands(reg: Register, service: ToxService, panels: GroupPanels): vscode.Disposable {
  const book = service.groups;
  const running = async () => service.started || (await service.start());

  async function pickGroup(arg: unknown, placeHolder: string, live = true): Promise<string | undefined> {
    if (arg && typeof arg === 'object' && (arg as GroupNode).type === 'group') {
      const id = (arg as Extract<GroupNode, { type: 'group' }>).chatId;
      if (typeof id === 'string' && book.groups.has(id)) return id;
    }
    const items = [...book.groups.values()]
      .filter((g) => !live || !g.left)
      .map((g) => ({ label: labelText(g.name || 'unnamed group', 60), description: g.privacy, detail: `Chat ID ${keyText(g.chatId)}`, id: g.chatId }));
    if (!items.length) {
      void vscode.window.showInformationMessage('You are in no group yet. Create one or join one by its chat ID.');
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { placeHolder: labelText(placeHolder), matchOnDetail: true }))?.id;
  }

  async function pickPeer(chatId: string, placeHolder: string): Promise<string | undefined> {
    const g = book.groups.get(chatId);
    const items = [...(g?.peers.values() ?? [])].map((p) => ({
      label: labelText(senderText(senderFor(p.key, p.name, g!.selfKey, (k) => book.alias(k))), 80),
      description: p.role,
      detail: `Key ${keyText(p.key)}`,
      key: p.key,
    }));
    if (!items.length) {
      void vscode.window.showInformationMessage('Nobody else is in this group right now.');
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { placeHolder: labelText(placeHolder), matchOnDetail: true }))?.key;
  }

  function inviteOf(arg: unknown): GroupInvite | undefined {
    if (arg && typeof arg === 'object' && (arg as GroupNode).type === 'invite') {
      const id = (arg as Extract<GroupNode, { type: 'invite' }>).invite?.id;
      if (typeof id === 'string') return book.invites.get(id);
    }
    return undefined;
  }

  async function answer(inv: GroupInvite, accept: boolean): Promise<void> {
    if (!accept) return declineInvite(book, inv.id);
    await acceptInvite(book, inv.id);
    void vscode.window.showInformationMessage('Joining the group… it appears under Groups once you are connected.');
  }

  /** A new invite: a notification with Accept / Decline, like a friend request. */
  async function offer(inv: GroupInvite): Promise<void> {
    const from = service.model.displayName(inv.friendKey);
    const pick = await vscode.window.showInformationMessage(
      noticeText(`${from} invites you to the group “${inv.groupName || 'unnamed'}”.`, 300),
      'Accept',
      'Decline',
    );
    if (pick && book.invites.has(inv.id)) await answer(inv, pick === 'Accept');
  }

  reg('toxync.group.create', async () => {
    if (!(await running())) return;
    const name = await vscode.window.showInputBox({
      title: 'Create a Tox group',
      prompt: 'The group name (everyone in the group sees it)',
      ignoreFocusOut: true,
      validateInput: (v) => (!v.trim() ? 'A group needs a name.' : bytes(v) > MAX_GROUP_NAME_BYTES ? `At most ${MAX_GROUP_NAME_BYTES} bytes.` : null),
    });
    if (!name?.trim()) return;
    const privacy = await vscode.window.showQuickPick(
      [
        { label: 'Private', description: 'only friends you invite can join', value: 'private' as const },
        { label: 'Public', description: 'anyone with the chat ID can join', value: 'public' as const },
      ],
      { title: 'Who can join?' },
    );
    if (!privacy) return;
    const chatId = await createGroup(book, name.trim(), privacy.value);
    panels.open(chatId);
  });

  reg('toxync.group.join', async () => {
    if (!(await running())) return;
    const id = await vscode.window.showInputBox({
      title: 'Join a Tox group',
      prompt: 'The chat ID (64 hexadecimal characters)',
      ignoreFocusOut: true,
      validateInput: (v) => (!v.trim() || isChatId(v) ? null : 'A chat ID is 64 hexadecimal characters.'),
    });
    if (!id?.trim()) return;
    const password = await vscode.window.showInputBox({
      title: 'Group password',
      prompt: 'Leave empty if the group has none',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (bytes(v) > MAX_PASSWORD_BYTES ? `At most ${MAX_PASSWORD_BYTES} bytes.` : null),
    });
    if (password === undefined) return;
    panels.open(await joinGroup(book, id, password || undefined));
  });

  reg('toxync.group.invite', async (arg) => {
    const chatId = await pickGroup(arg, 'Invite a friend to which group?');
    if (!chatId) return;
    const m = service.model;
    const items = [...m.contacts.values()]
      .filter((c) => c.connection !== 'none')
      .map((c) => ({ label: labelText(m.displayName(c.key), 60), detail: `Key ${keyText(c.key)}`, friend: c.friend }));
    if (!items.length) return void vscode.window.showInformationMessage('None of your friends is online: an invite needs them online.');
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Invite which friend?', matchOnDetail: true });
    if (!pick) return;
    await inviteFriend(book, chatId, pick.friend);
    void vscode.window.showInformationMessage('Invite sent.');
  });

  reg('toxync.group.answerInvite', async (arg) => {
    const inv = inviteOf(arg);
    if (inv) await offer(inv);
  });
  reg('toxync.group.acceptInvite', async (arg) => {
    const inv = inviteOf(arg);
    if (inv) await answer(inv, true);
  });
  reg('toxync.group.declineInvite', (arg) => {
    const inv = inviteOf(arg);
    if (inv) declineInvite(book, inv.id);
  });

  reg('toxync.group.open', async (arg) => {
    const chatId = await pickGroup(arg, 'Open which group?', false);
    if (chatId) panels.open(chatId);
  });

  reg('toxync.group.leave', async (arg) => {
    const chatId = await pickGroup(arg, 'Leave which group?');
    if (!chatId) return;
    const go = 'Leave';
    const pick = await vscode.window.showWarningMessage('Leave this group?', { modal: true, detail: 'Its history stays here until you forget the group.' }, go);
    if (pick === go) await leaveGroup(book, chatId);
  });

  reg('toxync.group.forget', async (arg) => {
    const chatId = await pickGroup(arg, 'Forget which group?', false);
    if (!chatId) return;
    const g = book.groups.get(chatId);
    if (g && !g.left) throw new RangeError('leave the group first');
    const go = 'Delete History';
    const pick = await vscode.window.showWarningMessage('Forget this group and delete its history?', { modal: true }, go);
    if (pick === go) book.forget(chatId);
  });

  reg('toxync.group.setTopic', async (arg) => {
    const chatId = await pickGroup(arg, 'Set the topic of which group?');
    if (!chatId) return;
    const topic = await vscode.window.showInputBox({
      title: 'Group topic',
      value: inputValue(book.groups.get(chatId)?.topic ?? ''),
      ignoreFocusOut: true,
      validateInput: (v) => (bytes(v) > MAX_TOPIC_BYTES ? `At most ${MAX_TOPIC_BYTES} bytes.` : null),
    });
    if (topic !== undefined) await setTopic(book, chatId, topic);
  });

  reg('toxync.group.moderate', async (arg) => {
    const chatId = await pickGroup(arg, 'Moderate which group?');
    if (!chatId) return;
    const key = await pickPeer(chatId, 'Which peer?');
    if (!key) return;
    const action = await vscode.window.showQuickPick(
      [
        { label: 'Kick', value: 'kick' as const },
        { label: 'Make moderator', description: 'founder only', value: 'moderator' as const },
        { label: 'Make user', value: 'user' as const },
        { label: 'Make observer', description: 'can read, cannot write', value: 'observer' as const },
      ],
      { placeHolder: 'What to do?' },
    );
    if (action) await moderate(book, chatId, key, action.value);
  });

  reg('toxync.group.setPeerAlias', async (arg) => {
    const chatId = await pickGroup(arg, 'Name a peer of which group?');
    if (!chatId) return;
    const key = await pickPeer(chatId, 'Give which peer your own name?');
    if (!key) return;
    const alias = await vscode.window.showInputBox({
      title: 'Your name for this peer',
      prompt: `Key ${keyText(key)} — leave empty to remove`,
      value: inputValue(book.alias(key) ?? ''),
      validateInput: (v) => (v.length > MAX_ALIAS_LENGTH ? `At most ${MAX_ALIAS_LENGTH} characters.` : null),
    });
    if (alias === undefined) return;
    await service.model.setAlias(key, alias.trim() || null);
    book.namesChanged();
  });

  reg('toxync.group.copyChatId', async (arg) => {
    const chatId = await pickGroup(arg, 'Copy the chat ID of which group?', false);
    if (!chatId) return;
    await vscode.env.clipboard.writeText(chatId);
    void vscode.window.showInformationMessage('The chat ID is on the clipboard.');
  });

  const off = book.onChange((c) => {
    if (c.kind === 'invites' && c.added)
      offer(c.added).catch((e: unknown) => void vscode.window.showErrorMessage(`Tox: ${noticeText(e instanceof Error ? e.message : String(e))}`));
  });
  return { dispose: off };
}
