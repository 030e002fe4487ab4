// The protocol between the extension host and its webviews (conversation view and panels).
// Both directions are validated on receipt: the host checks what a webview posts (a webview
// renders peer input, so it is treated as compromised-able), and the webview checks what it
// is sent. Peers are named by public key (stable across restarts), never by friend number.

import { array, bool, type Infer, int, literal, nullable, num, obj, optional, str, tagged } from './guard';
import { dedupHex, fileIdHex, hexKey } from './node';
import { fromWebviewGroupShapes, toWebviewGroupShapes } from './webviewGroups';
import { LIMITS, STYLE_NAMES } from '../gif/options';

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
  /** Files: the transfer's file_id (links the message to a transfer that resumes later). */
  file_id: optional(fileIdHex),
  /** Incoming: one part of a message the sender's toxync split (its dedup id and the part's
   *  index), so the webview can show consecutive parts as one message. */
  split: optional(obj({ of: dedupHex, part: int({ min: 0, max: 0xffff }) })),
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
  /** Their avatar, only as a checked data: URI of a PNG/JPEG/GIF/WebP (node-validated). */
  avatar: optional(str({ max: 100_000, pattern: /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/ })),
});
export type PeerView = Infer<typeof peerView>;

/** A file transfer's live state, shown on its 'file' message (same id). */
export const transferView = obj({
  id: messageId,
  state: literal('offered', 'waiting', 'pending', 'active', 'paused', 'interrupted', 'done', 'failed', 'cancelled'),
  bytes: int({ min: 0 }),
  size: nullable(int({ min: 0 })),
  /** Bytes per second (smoothed) and seconds left, when known. */
  speed: num,
  eta: nullable(num),
  paused_by_us: bool,
  paused_by_peer: bool,
  /** The name it is saved under (sanitised), or the sanitised name it would get. */
  saved_name: nullable(str({ max: 1024 })),
  error: nullable(str({ max: 4096 })),
  /** A partial download was kept after a failure. */
  partial: bool,
  auto: bool,
});
export type TransferView = Infer<typeof transferView>;

export const requestView = obj({ key: hexKey, message: str({ max: 4096 }), ts: int({ min: 0 }), fingerprint: str({ max: 128 }) });
export type RequestView = Infer<typeof requestView>;

/** Names a webview request so its reply can find it (request/response over postMessage). */
const requestId = int({ min: 1, max: 2 ** 31 - 1 });

/** The inline GIF composer's preview: a GIF the host generated, as a data: URI (the CSP's
 *  img-src already allows data:, as for inline pictures; nothing wider). The host refuses
 *  to post one over 2 MiB (the composer's defaults make far smaller ones). */
const gifPreviewUri = str({ max: 2_800_000, pattern: /^data:image\/gif;base64,[A-Za-z0-9+/]+={0,2}$/ });

export const toWebview = tagged('type', {
  /** First message: how to draw and what may be a link. */
  init: {
    mode: literal('view', 'panel'),
    conti_base_url: str({ max: 2048 }),
    trusted_hosts: array(str({ max: 253 }), { max: 256 }),
    self_name: str({ max: 1024 }),
  },
  /** Nothing selected (with a hint why). */
  empty: { hint: str({ max: 512 }) },
  /** Replaces the whole conversation (on switching peer). */
  conversation: {
    peer: peerView,
    messages: array(chatMessage, { max: 1_000_000 }),
    transfers: optional(array(transferView, { max: 100_000 })),
    /** How many of the messages arrived while the conversation was not on screen. */
    unread: optional(int({ min: 0, max: 1_000_000 })),
  },
  /** A file transfer changed (progress, pause, done, …). */
  transfer: { key: hexKey, transfer: transferView },
  append: { key: hexKey, messages: array(chatMessage, { max: 10_000 }) },
  state: { key: hexKey, id: messageId, state: deliveryState },
  peer: { peer: peerView },
  /** Shows a pending friend request with its message. */
  request: { request: requestView },
  notice: { level: literal('info', 'error'), text: str({ max: 4096 }) },
  /** An inline picture for a file message (same id): the image checker's canonical copy as a
   *  data: URI, or why it is not shown (the card shows the reason). */
  image: {
    key: hexKey,
    id: messageId,
    src: optional(str({ max: 23_000_000, pattern: /^data:image\/(png|gif);base64,[A-Za-z0-9+/]+={0,2}$/ })),
    width: int({ min: 0, max: 4096 }),
    height: int({ min: 0, max: 4096 }),
    reason: optional(str({ max: 512 })),
  },
  /** The reply to `send` (same request_id): ok, or why the message was refused (the composer
   *  keeps its text then). */
  send_result: { request_id: requestId, ok: bool, error: optional(str({ max: 4096 })) },
  /** The reply to `gif_preview` (same request_id): the GIF, or why there is none (the
   *  generator's own words: too long, …). */
  gif_previewed: {
    key: hexKey,
    request_id: requestId,
    src: optional(gifPreviewUri),
    width: int({ min: 0, max: LIMITS.width[1] }),
    height: int({ min: 0, max: LIMITS.height[1] }),
    bytes: int({ min: 0 }),
    error: optional(str({ max: 512 })),
  },
  /** The reply to `gif_send` (same request_id): offered to the friend, or why not. */
  gif_sent: { key: hexKey, request_id: requestId, ok: bool, error: optional(str({ max: 4096 })) },
  // Group chats (issue 20): webviewGroups.ts.
  ...toWebviewGroupShapes,
});
export type ToWebview = Infer<typeof toWebview>;

export const fromWebview = tagged('type', {
  ready: {},
  /** Answered by `send_result` with the same request_id. */
  send: { request_id: requestId, key: hexKey, text: str({ min: 1, max: 100_000 }) },
  typing: { key: hexKey, typing: bool },
  /** A click on a link; the host re-checks the URL before anything opens. */
  open_link: { url: str({ max: 4096 }) },
  retry: { key: hexKey, id: messageId },
  open_in_editor: { key: hexKey },
  request_action: { key: hexKey, action: literal('accept', 'decline', 'block') },
  /** accept: into the download folder; save_as: ask where; discard: delete a kept partial file;
   *  open_image: the shown picture in an editor tab; save_original: the file itself, elsewhere. */
  file_action: {
    key: hexKey,
    id: messageId,
    action: literal('accept', 'save_as', 'decline', 'pause', 'resume', 'cancel', 'discard', 'open_image', 'save_original'),
  },
  /** The attach button: the host asks which files to send. */
  attach: { key: hexKey },
  /** The inline GIF composer (webview/gifComposer.ts) asks for a preview of this style and
   *  text; answered by `gif_previewed`. A known style and a bounded text here; the host checks
   *  the text again with the generator's own caps (characters and UTF-8 bytes). */
  gif_preview: { request_id: requestId, key: hexKey, style: literal(...STYLE_NAMES), text: str({ min: 1, max: 2 * LIMITS.textChars }) },
  /** Send the GIF the host previewed under request_id: the host's own bytes, never any from
   *  the page (none are sent); answered by `gif_sent`. */
  gif_send: { request_id: requestId, key: hexKey },
  /** Files dropped on the conversation (text/uri-list from the Explorer); the host checks each. */
  drop_files: { key: hexKey, uris: array(str({ min: 1, max: 4096 }), { max: 100 }) },
  /** The view became visible with this conversation on screen: its messages count as read. */
  seen: { key: hexKey },
  // Group chats (issue 20): webviewGroups.ts.
  ...fromWebviewGroupShapes,
  /** The page's width in CSS pixels (on load and when it changes): a friend opened from
   *  Contacts while the side bar is this narrow opens in an editor tab instead. */
  viewport: { width: int({ min: 0, max: 100_000 }) },
});
export type FromWebview = Infer<typeof fromWebview>;

/** Enough of a `send` that failed the fromWebview guard (too long, say) to answer it: the
 *  webview waits for a reply before it lets the draft go or sends another. */
export const sendRequestOnly = obj({ type: literal('send'), request_id: requestId });
