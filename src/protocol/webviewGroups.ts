// The group-chat (NGC) part of the host <-> webview protocol, spread into webview.ts's
// tables. Groups are named by chat ID (stable across restarts), never by the node's group
// number; peers by their public key in the group, never by peer number (both change).
// Everything a peer controls (names, the topic, the group name, texts) is a plain string.

import { array, bool, type Infer, int, literal, obj, optional, str, tagged } from './guard';
import { groupPrivacy, groupRole } from './nodeGroups';

const chatId = str({ pattern: /^[0-9A-F]{64}$/ });
const peerKey = str({ pattern: /^[0-9A-F]{64}$/ });
const messageId = str({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/ });
const requestId = int({ min: 1, max: 2 ** 31 - 1 });
/** webview.ts's deliveryState (not imported: webview.ts imports this file). */
const deliveryState = literal('queued', 'sending', 'sent', 'delivered', 'failed');

/**
 * Who said something, as the host decided it: `you` (our own), `alias` (a name the user gave
 * this peer's key), `peer` (the peer's own, untrusted name, always drawn with its key tag and
 * a peer marker so it can never look like `you` or an alias), `system` (toxync's own note).
 */
export const senderLabel = tagged('kind', {
  you: {},
  alias: { text: str({ max: 512 }) },
  peer: { name: str({ max: 1024 }), tag: str({ pattern: /^[0-9A-F]{6}$/ }) },
  system: {},
});
export type SenderLabel = Infer<typeof senderLabel>;

export const groupMessageView = obj({
  id: messageId,
  dir: literal('in', 'out', 'system'),
  kind: literal('normal', 'action'),
  text: str({ max: 2_000_000 }),
  ts: int({ min: 0 }),
  sender: senderLabel,
  /** Outgoing only: queued until the group is connected, then sent (NGC has no receipts). */
  state: optional(deliveryState),
  /** A private message (to or from one peer), not seen by the rest of the group. */
  private: optional(bool),
});
export type GroupMessageView = Infer<typeof groupMessageView>;

export const groupPeerView = obj({
  key: peerKey,
  sender: senderLabel,
  role: groupRole,
  status: literal('online', 'away', 'busy'),
  self: bool,
});
export type GroupPeerView = Infer<typeof groupPeerView>;

export const groupView = obj({
  chat_id: chatId,
  /** Chosen by the group's founder: untrusted text. */
  name: str({ max: 1024 }),
  privacy: groupPrivacy,
  /** Set by any peer the group lets (untrusted text). */
  topic: str({ max: 4096 }),
  self_role: groupRole,
  connected: bool,
  /** We left it (its history stays until deleted). */
  left: bool,
  peers: array(groupPeerView, { max: 10_000 }),
});
export type GroupView = Infer<typeof groupView>;

export const toWebviewGroupShapes = {
  /** Replaces the whole view with a group conversation. */
  group_conversation: { group: groupView, messages: array(groupMessageView, { max: 1_000_000 }) },
  group_append: { chat_id: chatId, messages: array(groupMessageView, { max: 10_000 }) },
  /** Peers, roles, topic or connection changed. */
  group_update: { group: groupView },
  group_state: { chat_id: chatId, id: messageId, state: deliveryState },
} as const;

export const moderationAction = literal('kick', 'moderator', 'user', 'observer');
export type ModerationAction = Infer<typeof moderationAction>;

export const fromWebviewGroupShapes = {
  /** Answered by `send_result` with the same request_id. */
  group_send: { request_id: requestId, chat_id: chatId, text: str({ min: 1, max: 100_000 }) },
  /** The host checks our role and finds the peer's current number by key. */
  group_moderate: { chat_id: chatId, key: peerKey, action: moderationAction },
  group_seen: { chat_id: chatId },
  group_retry: { chat_id: chatId, id: messageId },
} as const;
