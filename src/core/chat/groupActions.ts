// What the user does with groups, over the node's group commands (protocol/nodeGroups.ts):
// create, join by chat ID, invite a friend, accept or decline an invite, leave, set the
// topic, and moderate. Each resolves the group's current number from its chat ID and each
// peer's current number from its key at the moment it runs, so a restart in between cannot
// aim a kick at whoever now has the old number.

import { capUtf8, MAX_NAME_BYTES } from '../../common/text';
import type { GroupBook } from './groupModel';
import type { Group, GroupPrivacy } from './groupTypes';
import type { ModerationAction } from '../../protocol/webviewGroups';

/** TOX_GROUP_MAX_GROUP_NAME_LENGTH: 48 bytes. */
export const MAX_GROUP_NAME_BYTES = 48;
export const MAX_TOPIC_BYTES = 512;
export const MAX_PASSWORD_BYTES = 32;

function nick(book: GroupBook): { nick?: string } {
  const n = book.selfNick();
  return n ? { nick: capUtf8(n, MAX_NAME_BYTES) } : {};
}

function live(book: GroupBook, chatId: string): Group & { number: number } {
  const g = book.groups.get(chatId);
  if (!g) throw new RangeError('no such group');
  if (g.left || g.number === null) throw new RangeError('you are not in this group right now');
  return g as Group & { number: number };
}

export function isChatId(text: string): boolean {
  return /^[0-9A-Fa-f]{64}$/.test(text.trim());
}

export async function createGroup(book: GroupBook, name: string, privacy: GroupPrivacy): Promise<string> {
  if (!name.trim()) throw new RangeError('a group needs a name');
  if (new TextEncoder().encode(name).length > MAX_GROUP_NAME_BYTES) throw new RangeError(`a group name is at most ${MAX_GROUP_NAME_BYTES} bytes`);
  const r = await book.link().request({ cmd: 'group_new', privacy, name, ...nick(book) });
  const g = book.ensure(r.chat_id.toUpperCase());
  g.number = r.group;
  g.name = name;
  g.privacy = privacy;
  g.selfRole = 'founder';
  g.left = false;
  book.saveMeta();
  await book.refresh();
  return g.chatId;
}

export async function joinGroup(book: GroupBook, chatIdRaw: string, password?: string): Promise<string> {
  const chatId = chatIdRaw.trim().toUpperCase();
  if (!isChatId(chatId)) throw new RangeError('a chat ID is 64 hexadecimal characters');
  const existing = book.groups.get(chatId);
  if (existing && !existing.left && existing.number !== null) return chatId;
  const r = await book.link().request({ cmd: 'group_join', chat_id: chatId, ...(password ? { password } : {}), ...nick(book) });
  const g = book.ensure(chatId);
  g.number = r.group;
  g.left = false;
  book.saveMeta();
  book.emit({ kind: 'groups' });
  return chatId;
}

export async function inviteFriend(book: GroupBook, chatId: string, friend: number): Promise<void> {
  const g = live(book, chatId);
  await book.link().request({ cmd: 'group_invite_friend', group: g.number, friend });
}

/** Accepts an invite; the group appears once the node reports it (group_self_join). */
export async function acceptInvite(book: GroupBook, id: string, password?: string): Promise<void> {
  const inv = book.invites.get(id);
  if (!inv) throw new RangeError('this invite is no longer available');
  await book.link().request({ cmd: 'group_invite_accept', friend: inv.friend, invite: inv.invite, ...(password ? { password } : {}), ...nick(book) });
  book.invites.delete(id);
  book.emit({ kind: 'invites' });
  await book.refresh();
}

export function declineInvite(book: GroupBook, id: string): void {
  if (book.invites.delete(id)) book.emit({ kind: 'invites' });
}

export async function leaveGroup(book: GroupBook, chatId: string, message?: string): Promise<void> {
  const g = book.groups.get(chatId);
  if (!g) throw new RangeError('no such group');
  if (g.number !== null && !g.left) await book.link().request({ cmd: 'group_leave', group: g.number, ...(message ? { message } : {}) });
  g.left = true;
  g.number = null;
  g.connected = false;
  g.peers.clear();
  book.system(g, 'You left the group.');
  book.saveMeta();
  book.emit({ kind: 'group', chatId });
  book.emit({ kind: 'groups' });
}

export async function setTopic(book: GroupBook, chatId: string, topic: string): Promise<void> {
  const g = live(book, chatId);
  if (new TextEncoder().encode(topic).length > MAX_TOPIC_BYTES) throw new RangeError(`a topic is at most ${MAX_TOPIC_BYTES} bytes`);
  await book.link().request({ cmd: 'group_set_topic', group: g.number, topic });
}

/** Kick, or give a role. Only founders and moderators may (toxcore enforces it as well). */
export async function moderate(book: GroupBook, chatId: string, peerKey: string, action: ModerationAction): Promise<void> {
  const g = live(book, chatId);
  if (!book.canModerate(g)) throw new RangeError('only the founder and moderators can do that');
  const p = g.peers.get(peerKey.toUpperCase());
  if (!p) throw new RangeError('that peer is not in the group now');
  if (p.role === 'founder') throw new RangeError('the founder cannot be kicked or demoted');
  if (action === 'kick') await book.link().request({ cmd: 'group_kick_peer', group: g.number, peer: p.peer });
  else {
    if (action === 'moderator' && g.selfRole !== 'founder') throw new RangeError('only the founder can make moderators');
    await book.link().request({ cmd: 'group_set_role', group: g.number, peer: p.peer, role: action });
  }
}
