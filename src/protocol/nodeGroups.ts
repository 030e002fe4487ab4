// The group-chat (NGC, tox_group_*) part of the node protocol: commands, their results and
// events, named after tox.h's functions and callbacks without the `tox_` prefix. Kept apart
// from node.ts so each file stays one concern; node.ts spreads these into its tables.
// Everything a peer controls (names, topics, texts, the group name in an invite) is a plain
// string here and is treated as untrusted text by every consumer.

import { array, bool, type Infer, int, literal, nullable, obj, optional, str } from './guard';

const U32_MAX = 0xffffffff;
const requestId = optional(int({ min: 0 }));
const friendNo = int({ min: 0, max: U32_MAX - 1 });
/** tox.h: Tox_Group_Number / Tox_Group_Peer_Number are uint32_t; UINT32_MAX means "none". */
export const groupNo = int({ min: 0, max: U32_MAX - 1 });
export const groupPeerNo = int({ min: 0, max: U32_MAX - 1 });
/** TOX_GROUP_CHAT_ID_SIZE (32 bytes) as hex: how a public group is found and joined. */
export const chatIdHex = str({ pattern: /^[0-9A-Fa-f]{64}$/ });
const peerKeyHex = str({ pattern: /^[0-9A-Fa-f]{64}$/ });
/** The invite data of tox_callback_group_invite, hex; handed back to tox_group_invite_accept. */
export const inviteHex = str({ min: 2, max: 4096, pattern: /^([0-9A-Fa-f]{2})+$/ });
/** TOX_GROUP_MAX_PASSWORD_SIZE is 32 bytes (UTF-8); the node checks the byte length. */
const password = str({ max: 32 });
/** TOX_GROUP_MAX_PART_LENGTH: a leave message is at most 128 bytes (checked in bytes by the node). */
const partMessage = str({ max: 128 });
/** A nick is at most TOX_MAX_NAME_LENGTH (128) bytes; the node checks the byte length. */
const nick = str({ min: 1, max: 128 });

export const groupPrivacy = literal('public', 'private');
export const groupRole = literal('founder', 'moderator', 'user', 'observer');
export const groupExitType = literal('quit', 'timeout', 'disconnected', 'self_disconnected', 'kick', 'sync_error');
export const groupJoinFail = literal('peer_limit', 'invalid_password', 'unknown');
export const groupModEvent = literal('kick', 'observer', 'user', 'moderator');
const userStatus = literal('online', 'away', 'busy');
const messageType = literal('normal', 'action');
const connection = literal('none', 'tcp', 'udp');

export const groupPeerInfo = obj({
  peer: groupPeerNo,
  public_key: peerKeyHex,
  name: str(),
  role: groupRole,
  status: userStatus,
  connection,
});
export type GroupPeerInfo = Infer<typeof groupPeerInfo>;

export const groupInfo = obj({
  group: groupNo,
  chat_id: chatIdHex,
  name: str(),
  privacy: groupPrivacy,
  topic: str(),
  /** Whether we are connected to the group (tox_group_is_connected). */
  connected: bool,
  self_peer: groupPeerNo,
  self_public_key: peerKeyHex,
  self_role: groupRole,
  self_name: str(),
  peer_limit: int({ min: 0, max: U32_MAX }),
  /** Whether joining needs a password (the password itself is never reported). */
  has_password: bool,
  peers: array(groupPeerInfo),
});
export type GroupInfo = Infer<typeof groupInfo>;

/** Commands; `text` is split UTF-8-safely at TOX_GROUP_MAX_MESSAGE_LENGTH by the node. */
export const groupCommandShapes = {
  group_new: { id: requestId, privacy: groupPrivacy, name: str({ min: 1, max: 48 }), nick: optional(nick) },
  group_join: { id: requestId, chat_id: chatIdHex, password: optional(password), nick: optional(nick) },
  group_invite_friend: { id: requestId, group: groupNo, friend: friendNo },
  group_invite_accept: { id: requestId, friend: friendNo, invite: inviteHex, password: optional(password), nick: optional(nick) },
  group_send_message: { id: requestId, group: groupNo, text: str({ min: 1, max: 1_000_000 }), action: optional(bool) },
  group_send_private_message: { id: requestId, group: groupNo, peer: groupPeerNo, text: str({ min: 1, max: 1_000_000 }), action: optional(bool) },
  group_leave: { id: requestId, group: groupNo, message: optional(partMessage) },
  group_set_topic: { id: requestId, group: groupNo, topic: str({ max: 512 }) },
  /** An empty password removes it. Founder only. */
  group_set_password: { id: requestId, group: groupNo, password },
  group_set_peer_limit: { id: requestId, group: groupNo, limit: int({ min: 0, max: 0xffff }) },
  group_set_privacy_state: { id: requestId, group: groupNo, privacy: groupPrivacy },
  group_set_role: { id: requestId, group: groupNo, peer: groupPeerNo, role: literal('moderator', 'user', 'observer') },
  group_kick_peer: { id: requestId, group: groupNo, peer: groupPeerNo },
  groups: { id: requestId },
} as const;

export const groupResultGuards = {
  group_new: obj({ group: groupNo, chat_id: chatIdHex }),
  group_join: obj({ group: groupNo }),
  group_invite_friend: obj({}),
  group_invite_accept: obj({ group: groupNo }),
  group_send_message: obj({ message_ids: array(int({ min: 0, max: U32_MAX })) }),
  group_send_private_message: obj({ message_ids: array(int({ min: 0, max: U32_MAX })) }),
  group_leave: obj({}),
  group_set_topic: obj({}),
  group_set_password: obj({}),
  group_set_peer_limit: obj({}),
  group_set_privacy_state: obj({}),
  group_set_role: obj({}),
  group_kick_peer: obj({}),
  groups: obj({ groups: array(groupInfo) }),
} as const;

/** Events, from tox.h's group callbacks. `public_key` (the peer's key in this group) is
 *  what a client may trust to recognise a peer; `name` is whatever the peer chose. */
export const groupEventShapes = {
  group_invite: { friend: friendNo, public_key: peerKeyHex, invite: inviteHex, group_name: str() },
  group_self_join: { group: groupNo, chat_id: chatIdHex },
  group_join_fail: { group: groupNo, reason: groupJoinFail },
  group_peer_join: { group: groupNo, peer: groupPeerNo, name: str(), public_key: peerKeyHex, role: optional(groupRole) },
  group_peer_exit: {
    group: groupNo,
    peer: groupPeerNo,
    exit_type: groupExitType,
    name: str(),
    public_key: optional(peerKeyHex),
    message: str(),
  },
  group_peer_name: { group: groupNo, peer: groupPeerNo, name: str(), public_key: optional(peerKeyHex) },
  group_peer_status: { group: groupNo, peer: groupPeerNo, status: userStatus },
  group_topic: { group: groupNo, peer: nullable(groupPeerNo), topic: str() },
  group_privacy_state: { group: groupNo, privacy: groupPrivacy },
  group_peer_limit: { group: groupNo, limit: int({ min: 0, max: U32_MAX }) },
  group_password: { group: groupNo, has_password: bool },
  group_message: {
    group: groupNo,
    peer: groupPeerNo,
    public_key: peerKeyHex,
    name: str(),
    type: messageType,
    text: str(),
    message_id: int({ min: 0, max: U32_MAX }),
  },
  group_private_message: { group: groupNo, peer: groupPeerNo, public_key: peerKeyHex, name: str(), type: messageType, text: str() },
  /** `source`/`target`: peer numbers; `mod_event` names what happened to `target`. */
  group_moderation: {
    group: groupNo,
    source: groupPeerNo,
    target: groupPeerNo,
    target_public_key: optional(peerKeyHex),
    mod_event: groupModEvent,
  },
} as const;
