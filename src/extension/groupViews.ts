// What a group webview is sent (protocol/webviewGroups.ts), made from the group model. Every
// sender is decided here, once, by groupNames.ts: "You" only for our own messages and key,
// an alias only for a key the user named, and anyone else as an untrusted name with its key
// tag. No `vscode` import: tested as a unit.

import { capUtf8 } from '../common/text';
import type { GroupBook } from '../core/chat/groupModel';
import { senderFor } from '../core/chat/groupNames';
import type { Group, GroupMessage } from '../core/chat/groupTypes';
import type { GroupMessageView, GroupView, SenderLabel } from '../protocol/webviewGroups';

function sender(book: GroupBook, g: Group, m: GroupMessage): SenderLabel {
  if (m.dir === 'out') return { kind: 'you' };
  if (m.dir === 'system' || !m.from) return { kind: 'system' };
  return senderFor(m.from.key, m.from.name, g.selfKey, (k) => book.alias(k));
}

export function groupMessageView(book: GroupBook, g: Group, m: GroupMessage): GroupMessageView {
  const v: GroupMessageView = { id: m.id, dir: m.dir, kind: m.kind, text: m.text, ts: m.ts, sender: sender(book, g, m) };
  if (m.state) v.state = m.state;
  if (m.private) v.private = true;
  return v;
}

export function groupView(book: GroupBook, g: Group): GroupView {
  const peers = [...g.peers.values()]
    .map((p) => ({
      key: p.key,
      sender: senderFor(p.key, p.name, g.selfKey, (k) => book.alias(k)),
      role: p.role,
      status: p.status,
      self: g.selfKey === p.key,
    }))
    // Founder and moderators first, then by key (names are the peers' to choose).
    .sort((a, b) => rank(a.role) - rank(b.role) || a.key.localeCompare(b.key));
  return {
    chat_id: g.chatId,
    name: capUtf8(g.name, 1024),
    privacy: g.privacy,
    topic: capUtf8(g.topic, 4096),
    self_role: g.selfRole,
    connected: g.connected,
    left: g.left,
    peers,
  };
}

function rank(role: Group['selfRole']): number {
  return role === 'founder' ? 0 : role === 'moderator' ? 1 : role === 'user' ? 2 : 3;
}
