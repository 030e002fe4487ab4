// The group model's shapes (groupModel.ts): what it keeps per group, peer and invite, what it
// tells listeners, and what it asks of the journal that persists it (groupJournal.ts).
// Groups are keyed by chat ID (upper-case hex), never by the node's group number, which can
// change across restarts; peers by their public key in the group, never by peer number.

import type { DeliveryState } from '../../protocol/webview';
import type { GroupPeerInfo } from '../../protocol/nodeGroups';

export type GroupRole = GroupPeerInfo['role'];
export type GroupPrivacy = 'public' | 'private';

export interface GroupPeer {
  /** The node's peer number now (changes when they rejoin). */
  peer: number;
  key: string;
  /** What the peer calls itself: untrusted. */
  name: string;
  role: GroupRole;
  status: 'online' | 'away' | 'busy';
}

export interface Group {
  chatId: string;
  /** The node's group number while the node has the group, else null. */
  number: number | null;
  /** Set by the founder: untrusted. */
  name: string;
  privacy: GroupPrivacy;
  /** Set by a peer: untrusted. */
  topic: string;
  selfRole: GroupRole;
  selfKey: string | null;
  connected: boolean;
  /** We left (history kept until deleted). */
  left: boolean;
  peers: Map<string, GroupPeer>;
  unread: number;
  lastActivity: number | null;
}

export interface GroupMessage {
  id: string;
  dir: 'in' | 'out' | 'system';
  kind: 'normal' | 'action';
  text: string;
  ts: number;
  /** Incoming: the sender's key in the group and the name they used then (untrusted). */
  from?: { key: string; name: string };
  state?: DeliveryState;
  /** A private message from `from` (incoming) — only we saw it. */
  private?: boolean;
}

/** An invitation from a friend, held until accepted or declined (not kept across a lock). */
export interface GroupInvite {
  id: string;
  friend: number;
  /** The inviting friend's public key. */
  friendKey: string;
  /** The invite data, handed back to group_invite_accept. */
  invite: string;
  /** Chosen by the group's founder: untrusted. */
  groupName: string;
  ts: number;
}

/** What survives a restart about a group besides its messages. */
export interface GroupMeta {
  chat_id: string;
  name: string;
  privacy: GroupPrivacy;
  topic: string;
  self_role: GroupRole;
  left: boolean;
  unread: number;
  last_activity: number | null;
}

export interface GroupJournal {
  append(chatId: string, msg: GroupMessage): void;
  state(chatId: string, id: string, state: DeliveryState): void;
  meta(groups: GroupMeta[]): void;
  deleteGroup(chatId: string): void;
}

export type GroupChange =
  | { kind: 'groups' }
  /** How peers are named changed (the user set an alias): redraw every sender. */
  | { kind: 'names' }
  | { kind: 'invites'; added?: GroupInvite }
  /** A group's peers, roles, topic, connection or name changed. */
  | { kind: 'group'; chatId: string }
  | { kind: 'append'; chatId: string; messages: GroupMessage[]; incoming: boolean }
  | { kind: 'state'; chatId: string; id: string; state: DeliveryState };
