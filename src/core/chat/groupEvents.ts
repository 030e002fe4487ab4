// How each group event (protocol/nodeGroups.ts) changes a placed group: peers joining,
// leaving and renaming, roles, topic, privacy, and messages into the history; and how a
// node's `groups` list entry replaces that state. Split from groupModel.ts, which places the
// event (group number → chat ID) before calling here.

import type { NodeEvent } from '../../protocol/node';
import type { GroupInfo } from '../../protocol/nodeGroups';
import { capUtf8, MAX_NAME_BYTES } from '../../common/text';
import type { GroupBook } from './groupModel';
import type { Group, GroupMessage, GroupPeer } from './groupTypes';
import { senderFor, senderText } from './groupNames';

/** Events about one group, naming it by the node's group number. */
export type GroupEvent = Extract<NodeEvent, { group: number }>;

export function isGroupEvent(e: NodeEvent): e is GroupEvent {
  return e.event.startsWith('group_') && 'group' in e;
}

/** toxcore caps a topic at TOX_GROUP_MAX_TOPIC_LENGTH (512 bytes); a node that sent more is wrong. */
const MAX_TOPIC_BYTES = 512;

export function applyGroupEvent(book: GroupBook, g: Group, e: GroupEvent): void {
  switch (e.event) {
    case 'group_self_join':
      g.connected = true;
      // Said once, on the first join; a reconnect after a restart is not news.
      if (g.lastActivity === null) book.system(g, 'You are in the group.');
      void book.refresh(); // peers, roles, topic
      break;
    case 'group_join_fail':
      g.connected = false;
      book.system(
        g,
        `Joining failed: ${e.reason === 'invalid_password' ? 'wrong password' : e.reason === 'peer_limit' ? 'the group is full' : 'unknown reason'}.`,
      );
      break;
    case 'group_peer_join': {
      const key = e.public_key.toUpperCase();
      g.peers.set(key, { peer: e.peer, key, name: capUtf8(e.name, MAX_NAME_BYTES), role: e.role ?? 'user', status: 'online' });
      break;
    }
    case 'group_peer_exit': {
      const p = peerByNumber(g, e.peer, e.public_key);
      if (p) g.peers.delete(p.key);
      if (p && e.exit_type === 'kick') book.system(g, `${label(book, g, p.key, p.name)} was kicked.`);
      if (e.exit_type === 'self_disconnected' || (e.exit_type === 'kick' && !p)) g.connected = false;
      break;
    }
    case 'group_peer_name': {
      const p = peerByNumber(g, e.peer, e.public_key);
      if (p) p.name = capUtf8(e.name, MAX_NAME_BYTES);
      break;
    }
    case 'group_peer_status': {
      const p = peerByNumber(g, e.peer);
      if (p) p.status = e.status;
      break;
    }
    case 'group_topic':
      g.topic = capUtf8(e.topic, MAX_TOPIC_BYTES);
      book.saveMeta();
      break;
    case 'group_privacy_state':
      g.privacy = e.privacy;
      book.saveMeta();
      break;
    case 'group_moderation': {
      const target = peerByNumber(g, e.target, e.target_public_key);
      const selfTarget = target === undefined && g.selfKey !== null && e.target_public_key?.toUpperCase() === g.selfKey;
      if (e.mod_event !== 'kick') {
        if (target) target.role = e.mod_event;
        if (selfTarget) g.selfRole = e.mod_event;
      }
      const who = target ? label(book, g, target.key, target.name) : selfTarget ? 'You' : 'A peer';
      book.system(
        g,
        e.mod_event === 'kick' ? `${who} was kicked.` : `${who} ${selfTarget ? 'are' : 'is'} now ${e.mod_event === 'user' ? 'a user' : `an ${e.mod_event}`}.`,
      );
      book.saveMeta();
      break;
    }
    case 'group_message':
    case 'group_private_message': {
      const key = e.public_key.toUpperCase();
      if (book.isBlocked(key)) return;
      const msg: GroupMessage = {
        id: book.newId('i'),
        dir: 'in',
        kind: e.type,
        text: e.text,
        ts: book.time(),
        from: { key, name: capUtf8(e.name, MAX_NAME_BYTES) },
        ...(e.event === 'group_private_message' ? { private: true } : {}),
      };
      book.push(g, msg, true);
      return; // push emitted
    }
    default:
      break;
  }
  book.emit({ kind: 'group', chatId: g.chatId });
  book.emit({ kind: 'groups' });
}

function peerByNumber(g: Group, no: number, key?: string): Group['peers'] extends Map<string, infer P> ? P | undefined : never {
  if (key !== undefined) {
    const byKey = g.peers.get(key.toUpperCase());
    if (byKey) return byKey;
  }
  for (const p of g.peers.values()) if (p.peer === no) return p;
  return undefined;
}

/** A peer named inside a system note: the same rules as a sender (never "You" by name). */
function label(book: GroupBook, g: Group, key: string, name: string): string {
  return senderText(senderFor(key, name, g.selfKey, (k) => book.alias(k)));
}

/** Takes the node's whole view of a group (a `groups` list entry) over what events built. */
export function adoptInfo(g: Group, info: GroupInfo): void {
  g.number = info.group;
  g.name = info.name;
  g.privacy = info.privacy;
  g.topic = info.topic;
  g.connected = info.connected;
  g.selfKey = info.self_public_key.toUpperCase();
  g.selfRole = info.self_role;
  g.left = false;
  g.peers.clear();
  for (const p of info.peers) {
    const peer: GroupPeer = { peer: p.peer, key: p.public_key.toUpperCase(), name: p.name, role: p.role, status: p.status };
    g.peers.set(peer.key, peer);
  }
}
