// The protocol between the extension host and its webviews (conversation view and panels).
// Both directions are validated on receipt: the host checks what a webview posts (a webview
// renders peer input, so it is treated as compromised-able), and the webview checks what it
// is sent. Peers are named by public key (stable across restarts), never by friend number.

import { array, bool, Infer, int, literal, nullable, obj, optional, str, tagged } from './guard';
import { hexKey } from './node';

export const deliveryState = literal('queued', 'sending', 'sent', 'delivered', 'failed');
export type DeliveryState = Infer<typeof deliveryState>;

export const presence = literal('online', 'away', 'busy', 'offline');
export type Presence = Infer<typeof presence>;

const messageId = str({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/ });

export const chatMessage = obj({
  id: messageId,
  /** in: from the peer; out: ours; system: toxync's own notes (never peer text alone). */
  dir: literal('in', 'out', 'system'),
  kind: literal('normal', 'action', 'file'),
  text: str({ max: 2_000_000 }),
  ts: int({ min: 0 }),
  /** Outgoing messages only. */
  state: optional(deliveryState),
  /** Files: size in bytes when known. */
  size: optional(nullable(int({ min: 0 }))),
});
export type ChatMessage = Infer<typeof chatMessage>;

export const peerView = obj({
  key: hexKey,
  /** The user's own name for this peer; shown first when set. */
  alias: nullable(str({ max: 512 })),
  /** What the peer calls itself (untrusted, capped at toxcore's limit). */
  name: str({ max: 1024 }),
  status_message: str({ max: 4096 }),
  presence,
  typing: bool,
  fingerprint: str({ max: 128 }),
});
export type PeerView = Infer<typeof peerView>;

export const requestView = obj({ key: hexKey, message: str({ max: 4096 }), ts: int({ min: 0 }), fingerprint: str({ max: 128 }) });
export type RequestView = Infer<typeof requestView>;

export const toWebview = tagged('type', {
  /** First message: how to draw and what may be a link. */
  init: { mode: literal('view', 'panel'), conti_base_url: str({ max: 2048 }), trusted_hosts: array(str({ max: 253 }), { max: 256 }), self_name: str({ max: 1024 }) },
  /** Nothing selected (with a hint why). */
  empty: { hint: str({ max: 512 }) },
  /** Replaces the whole conversation (on switching peer). */
  conversation: { peer: peerView, messages: array(chatMessage, { max: 1_000_000 }) },
  append: { key: hexKey, messages: array(chatMessage, { max: 10_000 }) },
  state: { key: hexKey, id: messageId, state: deliveryState },
  peer: { peer: peerView },
  /** Shows a pending friend request with its message. */
  request: { request: requestView },
  notice: { level: literal('info', 'error'), text: str({ max: 4096 }) },
});
export type ToWebview = Infer<typeof toWebview>;

export const fromWebview = tagged('type', {
  ready: {},
  send: { key: hexKey, text: str({ min: 1, max: 100_000 }) },
  typing: { key: hexKey, typing: bool },
  /** A click on a link; the host re-checks the URL before anything opens. */
  open_link: { url: str({ max: 4096 }) },
  retry: { key: hexKey, id: messageId },
  open_in_editor: { key: hexKey },
  request_action: { key: hexKey, action: literal('accept', 'decline', 'block') },
  file_action: { key: hexKey, id: messageId, action: literal('accept', 'decline') },
  /** The view became visible with this conversation on screen: its messages count as read. */
  seen: { key: hexKey },
});
export type FromWebview = Infer<typeof fromWebview>;
