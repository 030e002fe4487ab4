// The protocol between the Tox node process (or the in-process CLI core) and whoever drives
// it: the VS Code extension host over IPC, or a bot over the CLI's stdin/stdout JSON lines.
// Commands carry `cmd`, events carry `event`; both are validated with the guards below on
// every receive. Peer-controlled strings travel as plain strings, never as markup.

import { array, bool, Guard, Infer, int, literal, nullable, num, obj, optional, str, tagged } from './guard';

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
  start: { id: requestId, config: nodeConfig, savedata: optional(base64) },
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
  file_accept: { id: requestId, friend: friendNo, file: fileNo, path: str({ min: 1, max: 4096 }) },
  file_control: { id: requestId, friend: friendNo, file: fileNo, control: fileControl },
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
  send_file: obj({ file: fileNo }),
  file_accept: obj({}),
  file_control: obj({}),
  custom_packet: obj({}),
  bootstrap: obj({}),
  add_relay: obj({}),
  proxy_test: obj({ ok: bool, rtt_ms: optional(num), reason: optional(str({ max: 64 })), message: optional(str()) }),
  save: obj({}),
  pass_encrypt: obj({ data: base64 }),
  pass_decrypt: obj({ data: base64 }),
  ping: obj({}),
  quit: obj({}),
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
  message: { friend: friendNo, public_key: hexKey, type: messageType, text: str(), dedup: optional(dedupHex), part: optional(int({ min: 0, max: 0xffff })) },
  receipt: { friend: friendNo, message_id: int({ min: 0, max: U32_MAX }) },
  file_recv: { friend: friendNo, file: fileNo, kind: literal('data', 'avatar'), size: nullable(int({ min: 0 })), name: str() },
  file_progress: { friend: friendNo, file: fileNo, direction, bytes: int({ min: 0 }), size: nullable(int({ min: 0 })) },
  file_done: { friend: friendNo, file: fileNo, direction, path: str(), bytes: int({ min: 0 }) },
  file_control: { friend: friendNo, file: fileNo, control: fileControl },
  file_error: { friend: friendNo, file: fileNo, direction, message: str() },
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
} as const;

export const event = tagged('event', eventShapes);
export type NodeEvent = Infer<typeof event>;
export type EventName = NodeEvent['event'];
export type EventOf<N extends EventName> = Extract<NodeEvent, { event: N }>;
