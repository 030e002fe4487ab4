// The protocol between the Tox node process (or the in-process CLI core) and whoever drives
// it: the VS Code extension host over IPC, or a bot over the CLI's stdin/stdout JSON lines.
// Commands carry `cmd`, events carry `event`; both are validated with the guards below on
// every receive. Peer-controlled strings travel as plain strings, never as markup.

import { array, bool, type Guard, type Infer, int, literal, nullable, num, obj, optional, str, tagged } from './guard';
import { STYLE_NAMES, THEME_NAMES } from '../gif/options';
import { groupCommandShapes, groupEventShapes, groupResultGuards } from './nodeGroups';

const U32_MAX = 0xffffffff;
export const friendNo = int({ min: 0, max: U32_MAX - 1 });
export const fileNo = int({ min: 0, max: U32_MAX });
export const hexKey = str({ pattern: /^[0-9A-Fa-f]{64}$/ });
export const hexAddress = str({ max: 200 }); // checked properly (checksum) by parseToxId in the node
const port = int({ min: 1, max: 65535 });
const host = str({ min: 1, max: 255 });
const requestId = optional(int({ min: 0 }));
/** Savedata and toxencryptsave files travel base64-encoded (the profile, never on argv). */
const base64 = str({ max: 24_000_000, pattern: /^[A-Za-z0-9+/]*={0,2}$/ });
/** The sender's id of a message, for dropping re-sent duplicates (node/dedup.ts). */
export const dedupHex = str({ pattern: /^[0-9a-f]{32}$/ });
const passphrase = str({ min: 1, max: 4096 });

export const userStatus = literal('online', 'away', 'busy');
export const connection = literal('none', 'tcp', 'udp');
export const fileControl = literal('resume', 'pause', 'cancel');
export const messageType = literal('normal', 'action');

export const nodeAddress = obj({ host, port, public_key: hexKey });

/** A transfer's file_id (tox_file_get_file_id, 32 bytes): how an interrupted transfer is
 *  recognised when it is offered again, so it resumes instead of starting over. */
export const fileIdHex = str({ pattern: /^[0-9a-f]{64}$/ });
const localPath = str({ min: 1, max: 4096 });

/** A transfer that must survive a disconnect or a restart of either side, kept in the
 *  encrypted store (StateDoc.transfers) or, for a plain CLI profile, next to it.
 *  send: `path` is the file being sent; recv: `path` is the target, written as `path.part`. */
export const transferRecord = obj({
  id: fileIdHex,
  dir: literal('send', 'recv'),
  peer: hexKey,
  /** send: the name sent; recv: the sender's name (untrusted, for display only). */
  name: str({ max: 1024 }),
  size: nullable(int({ min: 0 })),
  path: localPath,
  created: int({ min: 0 }),
  /** recv: the rule it was accepted under (images only: checked by magic bytes). */
  require_image: optional(bool),
  /** recv: the byte cap it was accepted under (for unknown sizes). */
  max_bytes: optional(int({ min: 0 })),
});
export type TransferRecord = Infer<typeof transferRecord>;

/** `toxync run --accept-files DIR`: auto-accept every data file into DIR (sanitised names,
 *  never overwriting), within these rules. */
export const acceptFilesRule = obj({ dir: localPath, max_bytes: optional(int({ min: 0 })), images_only: optional(bool) });
export type AcceptFilesRule = Infer<typeof acceptFilesRule>;
export type NodeAddress = Infer<typeof nodeAddress>;

export const proxySpec = obj({ type: literal('socks5', 'http'), host, port });
export type ProxySpec = Infer<typeof proxySpec>;

/** What the node needs to start. Sent once, first, by the host; built from flags by the CLI. */
export const nodeConfig = obj({
  profile_dir: str({ min: 1, max: 4096 }),
  bootstrap: array(nodeAddress, { max: 64 }),
  relays: array(nodeAddress, { max: 64 }),
  nodes_file: optional(str({ max: 4096 })),
  /** Use the bundled public node list when no bootstrap node is given (never in tests). */
  public_nodes: bool,
  udp: bool,
  local_discovery: bool,
  port: optional(int({ min: 0, max: 65535 })),
  tcp_port: optional(int({ min: 0, max: 65535 })),
  proxy: optional(proxySpec),
  accept_friends: bool,
  echo: bool,
  insecure_plain_profile: bool,
  /** The `toxync.libtoxcorePath` setting, tried before the bundled and system libraries. */
  libtoxcore_path: optional(str({ max: 4096 })),
  /** CLI --accept-files: auto-accept data files into a folder (off when absent). */
  accept_files: optional(acceptFilesRule),
  /** CLI --avatar: the avatar image sent to every friend (≤ 64 KiB PNG/JPEG/GIF/WebP). */
  avatar_file: optional(localPath),
});
export type NodeConfig = Infer<typeof nodeConfig>;

export const friendInfo = obj({
  friend: friendNo,
  public_key: hexKey,
  name: str(),
  status_message: str(),
  status: userStatus,
  connection,
  last_online: nullable(int({ min: 0 })),
});
export type FriendInfo = Infer<typeof friendInfo>;

const selfInfoShape = {
  address: str({ pattern: /^[0-9A-F]{76}$/ }),
  public_key: hexKey,
  dht_id: hexKey,
  udp_port: nullable(port),
  tcp_port: nullable(port),
  name: str(),
  status_message: str(),
  status: userStatus,
  nospam: int({ min: 0, max: U32_MAX }),
  connection,
  friends: array(friendInfo),
};
export const selfInfo = obj(selfInfoShape);
export type SelfInfo = Infer<typeof selfInfo>;

/** Every command, by name. `id` (optional) is echoed in the matching `result`/`error`. */
export const commandShapes = {
  /** `savedata`: the profile, when the host keeps it (encrypted store); absent for a new
   *  profile or a plain profile the node reads itself. */
  start: { id: requestId, config: nodeConfig, savedata: optional(base64), transfers: optional(array(transferRecord, { max: 10_000 })) },
  info: { id: requestId },
  friends: { id: requestId },
  friend_add: { id: requestId, address: hexAddress, message: str({ max: 4096 }) },
  friend_accept: { id: requestId, public_key: hexKey },
  friend_delete: { id: requestId, friend: friendNo },
  send: { id: requestId, friend: friendNo, text: str({ min: 1, max: 1_000_000 }), action: optional(bool), dedup: optional(dedupHex) },
  typing: { id: requestId, friend: friendNo, typing: bool },
  set_name: { id: requestId, name: str({ max: 1024 }) },
  set_status_message: { id: requestId, text: str({ max: 4096 }) },
  set_status: { id: requestId, status: userStatus },
  set_nospam: { id: requestId, nospam: int({ min: 0, max: U32_MAX }) },
  send_file: { id: requestId, friend: friendNo, path: str({ min: 1, max: 4096 }), name: optional(str({ min: 1, max: 1024 })) },
  /** Generates a GIF (src/gif; ranges and text length checked there) and sends it as a file
   *  named `<style>.gif`. */
  send_gif: {
    id: requestId,
    friend: friendNo,
    style: literal(...STYLE_NAMES),
    text: str({ max: 1000 }),
    label: optional(str({ max: 400 })),
    width: optional(int({ min: 0, max: 100_000 })),
    height: optional(int({ min: 0, max: 100_000 })),
    seconds: optional(int({ min: 0, max: 1000 })),
    fps: optional(int({ min: 0, max: 1000 })),
    theme: optional(literal(...THEME_NAMES)),
    fg: optional(str({ max: 7 })),
    bg: optional(str({ max: 7 })),
    accent: optional(str({ max: 7 })),
  },
  /** Exactly one of `path` (this file; refused if it exists) or `dir` (the sender's name,
   *  sanitised, made unique in that folder). `max_bytes` caps what is accepted (also an
   *  unknown-size stream); `require_image` checks the bytes are PNG/JPEG/GIF/WebP. */
  file_accept: {
    id: requestId,
    friend: friendNo,
    file: fileNo,
    path: optional(localPath),
    dir: optional(localPath),
    max_bytes: optional(int({ min: 0 })),
    require_image: optional(bool),
  },
  /** A live transfer by `file`, or any (also one waiting for its friend) by `file_id`. */
  file_control: { id: requestId, friend: friendNo, file: optional(fileNo), file_id: optional(fileIdHex), control: fileControl },
  /** Forgets an interrupted or failed transfer; a partial download (`.part`) is deleted. */
  file_discard: { id: requestId, friend: friendNo, file_id: fileIdHex, direction: literal('send', 'recv') },
  /** Sets (from a file, or base64 bytes) or, with neither, removes the avatar sent to friends. */
  set_avatar: { id: requestId, path: optional(localPath), data: optional(str({ max: 100_000, pattern: /^[A-Za-z0-9+/]*={0,2}$/ })) },
  custom_packet: { id: requestId, friend: friendNo, lossless: bool, data: str({ min: 2, max: 2746, pattern: /^([0-9A-Fa-f]{2})+$/ }) },
  bootstrap: { id: requestId, host, port, public_key: hexKey },
  add_relay: { id: requestId, host, port, public_key: hexKey },
  /** Opens a tunnel through the configured proxy to a TCP relay (the given one, else the one in use). */
  proxy_test: { id: requestId, relay: optional(nodeAddress) },
  save: { id: requestId },
  /** toxencryptsave (qTox / toxic profile files); allowed before `start`. */
  pass_encrypt: { id: requestId, data: base64, passphrase, libtoxcore_path: optional(str({ max: 4096 })) },
  pass_decrypt: { id: requestId, data: base64, passphrase, libtoxcore_path: optional(str({ max: 4096 })) },
  ping: { id: requestId },
  quit: { id: requestId },
  ...groupCommandShapes,
} as const;

export const command = tagged('cmd', commandShapes);
export type Command = Infer<typeof command>;
export type CommandName = Command['cmd'];

/** What a successful command returns in `result.value`, by command. */
export const resultGuards = {
  start: selfInfo,
  info: selfInfo,
  friends: obj({ friends: array(friendInfo) }),
  friend_add: obj({ friend: friendNo }),
  friend_accept: obj({ friend: friendNo }),
  friend_delete: obj({}),
  /** `queued`/`local_id`: the CLI with an encrypted profile queues in its outbox instead. */
  send: obj({ message_ids: array(int({ min: 0, max: U32_MAX })), queued: optional(bool), local_id: optional(str({ max: 64 })) }),
  typing: obj({}),
  set_name: obj({}),
  set_status_message: obj({}),
  set_status: obj({}),
  set_nospam: obj({ address: str() }),
  /** `file` is null while the friend is offline: the file is offered when they come online. */
  send_file: obj({ file: nullable(fileNo), file_id: fileIdHex }),
  send_gif: obj({ file: nullable(fileNo), file_id: fileIdHex }),
  file_accept: obj({ path: str({ max: 4096 }) }),
  file_control: obj({}),
  file_discard: obj({}),
  set_avatar: obj({ hash: nullable(fileIdHex), data: nullable(str({ max: 100_000 })) }),
  custom_packet: obj({}),
  bootstrap: obj({}),
  add_relay: obj({}),
  proxy_test: obj({ ok: bool, rtt_ms: optional(num), reason: optional(str({ max: 64 })), message: optional(str()) }),
  save: obj({}),
  pass_encrypt: obj({ data: base64 }),
  pass_decrypt: obj({ data: base64 }),
  ping: obj({}),
  quit: obj({}),
  ...groupResultGuards,
} satisfies Record<CommandName, Guard<unknown>>;
export type ResultOf<C extends CommandName> = Infer<(typeof resultGuards)[C]>;

const direction = literal('send', 'recv');
/** `result.value` is checked by the requester against resultGuards[cmd], which it knows. */
const passThrough: Guard<unknown> = (v) => v;

export const eventShapes = {
  // Flat, so a bot reads `address` straight off the first line.
  ready: selfInfoShape,
  self_connection: { status: connection },
  friend_request: { public_key: hexKey, message: str() },
  friend_connection: { friend: friendNo, public_key: hexKey, status: connection },
  friend_name: { friend: friendNo, name: str() },
  friend_status_message: { friend: friendNo, text: str() },
  friend_status: { friend: friendNo, status: userStatus },
  friend_typing: { friend: friendNo, typing: bool },
  message: {
    friend: friendNo,
    public_key: hexKey,
    type: messageType,
    text: str(),
    dedup: optional(dedupHex),
    part: optional(int({ min: 0, max: 0xffff })),
  },
  /** `dedup`: on the receipt of the last unconfirmed part of a message sent with a dedup id:
   *  that whole message is delivered. */
  receipt: { friend: friendNo, message_id: int({ min: 0, max: U32_MAX }), dedup: optional(dedupHex) },
  file_recv: {
    friend: friendNo,
    file: fileNo,
    kind: literal('data', 'avatar'),
    size: nullable(int({ min: 0 })),
    name: str(),
    file_id: optional(fileIdHex),
  },
  /** Our file went out as an offer (at once, or when its friend came online). */
  file_offered: { friend: friendNo, file: fileNo, file_id: fileIdHex, name: str(), size: nullable(int({ min: 0 })) },
  /** An incoming file was accepted (by a command or an auto-accept rule): where it goes. */
  file_accepted: { friend: friendNo, file: fileNo, file_id: fileIdHex, path: str(), auto: bool },
  /** An interrupted transfer continues from `bytes` (file_id matched; tox_file_seek). */
  file_resumed: { friend: friendNo, file: fileNo, file_id: fileIdHex, direction, bytes: int({ min: 0 }), path: optional(str()) },
  /** The friend went offline mid-transfer: kept, and resumed when they are back. */
  file_interrupted: { friend: friendNo, file: fileNo, file_id: optional(fileIdHex), direction, bytes: int({ min: 0 }) },
  file_progress: {
    friend: friendNo,
    file: fileNo,
    direction,
    bytes: int({ min: 0 }),
    size: nullable(int({ min: 0 })),
    file_id: optional(fileIdHex),
  },
  /** `sent`: bytes this side put on the wire for the file over all attempts (resumes included). */
  file_done: {
    friend: friendNo,
    file: fileNo,
    direction,
    path: str(),
    bytes: int({ min: 0 }),
    file_id: optional(fileIdHex),
    sent: optional(int({ min: 0 })),
  },
  file_control: { friend: friendNo, file: fileNo, control: fileControl, file_id: optional(fileIdHex) },
  /** `code`: ENOSPC, EACCES, ENOENT (folder gone), not_image, too_large, changed, rule, …;
   *  `partial`: a partial download kept for a later resume (file_discard deletes it). */
  file_error: {
    friend: friendNo,
    file: fileNo,
    direction,
    message: str(),
    file_id: optional(fileIdHex),
    code: optional(str({ max: 64 })),
    partial: optional(str({ max: 4200 })),
  },
  /** A friend's avatar passed the checks (≤ 64 KiB, PNG/JPEG/GIF/WebP, sane size); `data`
   *  null: they removed theirs. Invalid avatars are dropped and never reach this event. */
  avatar: {
    friend: friendNo,
    public_key: hexKey,
    data: nullable(str({ max: 100_000 })),
    hash: nullable(fileIdHex),
    mime: optional(literal('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    width: optional(int({ min: 1 })),
    height: optional(int({ min: 1 })),
  },
  /** The node's transfer records changed (host-kept store only): the host keeps them encrypted. */
  transfers: { records: array(transferRecord, { max: 10_000 }) },
  custom_packet: { friend: friendNo, lossless: bool, data: str() },
  /** While proxied and offline: whether the proxy can reach a relay, and if not, why. */
  proxy_status: { ok: bool, reason: optional(str({ max: 64 })), message: str() },
  result: { id: requestId, cmd: str({ max: 64 }), value: passThrough },
  error: { id: requestId, cmd: optional(str({ max: 64 })), message: str(), code: optional(str({ max: 128 })) },
  pong: { id: requestId },
  /** The CLI's outbox: a queued message's delivery state changed. */
  delivery: { public_key: hexKey, local_id: str({ max: 64 }), state: literal('queued', 'sending', 'sent', 'delivered', 'failed') },
  /** The profile changed (host-kept profiles only): the host stores it encrypted. */
  savedata: { data: base64 },
  log: { level: literal('debug', 'info', 'warn', 'error'), message: str() },
  ...groupEventShapes,
} as const;

export const event = tagged('event', eventShapes);
export type NodeEvent = Infer<typeof event>;
export type EventName = NodeEvent['event'];
export type EventOf<N extends EventName> = Extract<NodeEvent, { event: N }>;
