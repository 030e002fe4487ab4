// The typed wrapper over libtoxcore's NGC group API (tox.h "Group chat" sections), in tox.h's
// order and names. Every call with a Tox_Err_Group_* out-param throws a ToxError naming the
// function and the enum constant; every argument is validated here before it crosses the FFI.
// Events arrive through groupCallbacks.ts. Reached as `tox.groups`.

import { PUBLIC_KEY_SIZE, toHex } from '../sys/toxAddress';
import { check, type ToxErrEnum } from './errors';
import type { ToxLib } from './ffi';
import { splitMessage } from './split';
import {
  GROUP_PRIVACY,
  GROUP_ROLES,
  GROUP_TOPIC_LOCK,
  GROUP_VOICE_STATE,
  type GroupPrivacy,
  type GroupRole,
  type GroupTopicLock,
  type GroupVoiceState,
} from './groupTypes';
import { CONNECTIONS, type Connection, MESSAGE_TYPES, type MessageType, STATUSES, toNumber, type UserStatus } from './types';
import { bytesArg, u16, u32, utf8 } from './validate';

/** TOX_GROUP_CHAT_ID_SIZE. */
export const GROUP_CHAT_ID_SIZE = 32;
/** TOX_MAX_NAME_LENGTH: a nick in a group. */
const MAX_NICK = 128;

/** A chat id as 64 hex characters (either case), checked before it reaches toxcore. */
export function parseChatId(hex: string): Buffer {
  if (typeof hex !== 'string' || !/^[0-9A-Fa-f]{64}$/.test(hex)) throw new RangeError('chat id must be 64 hex characters');
  return Buffer.from(hex, 'hex');
}

function indexOf<T>(what: string, table: readonly T[], value: T): number {
  const i = table.indexOf(value);
  if (i < 0) throw new RangeError(`${what} must be one of ${table.join(', ')}`);
  return i;
}

export class ToxGroups {
  private readonly err = new Int32Array(1);
  /** tox_group_max_*: read once from the library instead of trusting our own constants. */
  readonly limits: { topic: number; part: number; message: number; groupName: number; password: number; customLossy: number; customLossless: number };

  /** `ptr` throws once the Tox instance is disposed. */
  constructor(
    private readonly lib: ToxLib,
    private readonly ptr: () => bigint,
  ) {
    this.limits = {
      topic: lib.tox_group_max_topic_length(),
      part: lib.tox_group_max_part_length(),
      message: lib.tox_group_max_message_length(),
      groupName: lib.tox_group_max_group_name_length(),
      password: lib.tox_group_max_password_size(),
      customLossy: lib.tox_group_max_custom_lossy_packet_length(),
      customLossless: lib.tox_group_max_custom_lossless_packet_length(),
    };
    if (lib.tox_group_chat_id_size() !== GROUP_CHAT_ID_SIZE) throw new Error('libtoxcore has an unexpected TOX_GROUP_CHAT_ID_SIZE');
  }

  private get p(): bigint {
    return this.ptr();
  }

  private call<T>(fn: string, errEnum: ToxErrEnum, f: (err: Int32Array) => T): T {
    this.err[0] = 0;
    const r = f(this.err);
    check(fn, errEnum, this.err[0]!);
    return r;
  }

  /** Size-then-fill getters: size 0 skips the fill (koffi passes an empty Buffer as NULL). */
  private sized(fn: string, errEnum: ToxErrEnum, size: (e: Int32Array) => number | bigint, fill: (out: Buffer, e: Int32Array) => unknown): Buffer {
    const n = toNumber(this.call(`${fn}_size`, errEnum, size));
    if (n === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(n);
    this.call(fn, errEnum, (e) => fill(out, e));
    return out;
  }

  /** An optional byte string: empty goes over as NULL with length 0, which toxcore reads as "none". */
  private optionalBytes(what: string, s: string | undefined, max: number): Buffer | null {
    const b = utf8(what, s ?? '', max);
    return b.length === 0 ? null : b;
  }

  // :: Group chat management
  new(privacy: GroupPrivacy, groupName: string, nick: string): number {
    const pr = indexOf('privacy state', GROUP_PRIVACY, privacy);
    const g = utf8('group name', groupName, this.limits.groupName, false);
    const n = utf8('nick', nick, MAX_NICK, false);
    return this.call('tox_group_new', 'Tox_Err_Group_New', (e) => this.lib.tox_group_new(this.p, pr, g, g.length, n, n.length, e));
  }
  join(chatId: string, nick: string, password?: string): number {
    const id = parseChatId(chatId);
    const n = utf8('nick', nick, MAX_NICK, false);
    const pw = this.optionalBytes('password', password, this.limits.password);
    return this.call('tox_group_join', 'Tox_Err_Group_Join', (e) => this.lib.tox_group_join(this.p, id, n, n.length, pw, pw?.length ?? 0, e));
  }
  isConnected(group: number): boolean {
    return this.call('tox_group_is_connected', 'Tox_Err_Group_Is_Connected', (e) => this.lib.tox_group_is_connected(this.p, u32('group', group), e));
  }
  disconnect(group: number): void {
    this.call('tox_group_disconnect', 'Tox_Err_Group_Disconnect', (e) => this.lib.tox_group_disconnect(this.p, u32('group', group), e));
  }
  /** @deprecated upstream: join() again instead. */
  reconnect(group: number): void {
    this.call('tox_group_reconnect', 'Tox_Err_Group_Reconnect', (e) => this.lib.tox_group_reconnect(this.p, u32('group', group), e));
  }
  leave(group: number, partMessage = ''): void {
    const m = this.optionalBytes('part message', partMessage, this.limits.part);
    this.call('tox_group_leave', 'Tox_Err_Group_Leave', (e) => this.lib.tox_group_leave(this.p, u32('group', group), m, m?.length ?? 0, e));
  }

  // :: Group user-visible client information (nickname/status/role/public key)
  selfSetName(group: number, nick: string): void {
    const n = utf8('nick', nick, MAX_NICK, false);
    this.call('tox_group_self_set_name', 'Tox_Err_Group_Self_Name_Set', (e) => this.lib.tox_group_self_set_name(this.p, u32('group', group), n, n.length, e));
  }
  selfName(group: number): string {
    const g = u32('group', group);
    return this.sized(
      'tox_group_self_get_name',
      'Tox_Err_Group_Self_Query',
      (e) => this.lib.tox_group_self_get_name_size(this.p, g, e),
      (out, e) => this.lib.tox_group_self_get_name(this.p, g, out, e),
    ).toString('utf8');
  }
  selfSetStatus(group: number, status: UserStatus): void {
    const s = indexOf('status', STATUSES, status);
    this.call('tox_group_self_set_status', 'Tox_Err_Group_Self_Status_Set', (e) => this.lib.tox_group_self_set_status(this.p, u32('group', group), s, e));
  }
  selfStatus(group: number): UserStatus {
    const s = this.call('tox_group_self_get_status', 'Tox_Err_Group_Self_Query', (e) => this.lib.tox_group_self_get_status(this.p, u32('group', group), e));
    return STATUSES[s] ?? 'online';
  }
  selfRole(group: number): GroupRole {
    const r = this.call('tox_group_self_get_role', 'Tox_Err_Group_Self_Query', (e) => this.lib.tox_group_self_get_role(this.p, u32('group', group), e));
    return GROUP_ROLES[r] ?? 'observer';
  }
  selfPeerId(group: number): number {
    return this.call('tox_group_self_get_peer_id', 'Tox_Err_Group_Self_Query', (e) => this.lib.tox_group_self_get_peer_id(this.p, u32('group', group), e));
  }
  selfPublicKey(group: number): string {
    const out = Buffer.alloc(PUBLIC_KEY_SIZE);
    this.call('tox_group_self_get_public_key', 'Tox_Err_Group_Self_Query', (e) => this.lib.tox_group_self_get_public_key(this.p, u32('group', group), out, e));
    return toHex(out);
  }

  // :: Peer-specific group state queries
  peerName(group: number, peer: number): string {
    const g = u32('group', group);
    const pe = u32('peer', peer);
    return this.sized(
      'tox_group_peer_get_name',
      'Tox_Err_Group_Peer_Query',
      (e) => this.lib.tox_group_peer_get_name_size(this.p, g, pe, e),
      (out, e) => this.lib.tox_group_peer_get_name(this.p, g, pe, out, e),
    ).toString('utf8');
  }
  peerStatus(group: number, peer: number): UserStatus {
    const s = this.call('tox_group_peer_get_status', 'Tox_Err_Group_Peer_Query', (e) =>
      this.lib.tox_group_peer_get_status(this.p, u32('group', group), u32('peer', peer), e),
    );
    return STATUSES[s] ?? 'online';
  }
  peerRole(group: number, peer: number): GroupRole {
    const r = this.call('tox_group_peer_get_role', 'Tox_Err_Group_Peer_Query', (e) =>
      this.lib.tox_group_peer_get_role(this.p, u32('group', group), u32('peer', peer), e),
    );
    return GROUP_ROLES[r] ?? 'observer';
  }
  peerConnectionStatus(group: number, peer: number): Connection {
    const c = this.call('tox_group_peer_get_connection_status', 'Tox_Err_Group_Peer_Query', (e) =>
      this.lib.tox_group_peer_get_connection_status(this.p, u32('group', group), u32('peer', peer), e),
    );
    return CONNECTIONS[c] ?? 'none';
  }
  peerPublicKey(group: number, peer: number): string {
    const out = Buffer.alloc(PUBLIC_KEY_SIZE);
    this.call('tox_group_peer_get_public_key', 'Tox_Err_Group_Peer_Query', (e) =>
      this.lib.tox_group_peer_get_public_key(this.p, u32('group', group), u32('peer', peer), out, e),
    );
    return toHex(out);
  }

  // :: Group chat state queries and events
  /** An empty topic unsets it. */
  setTopic(group: number, topic: string): void {
    const t = this.optionalBytes('topic', topic, this.limits.topic);
    this.call('tox_group_set_topic', 'Tox_Err_Group_Topic_Set', (e) => this.lib.tox_group_set_topic(this.p, u32('group', group), t, t?.length ?? 0, e));
  }
  topic(group: number): string {
    const g = u32('group', group);
    return this.sized(
      'tox_group_get_topic',
      'Tox_Err_Group_State_Query',
      (e) => this.lib.tox_group_get_topic_size(this.p, g, e),
      (out, e) => this.lib.tox_group_get_topic(this.p, g, out, e),
    ).toString('utf8');
  }
  name(group: number): string {
    const g = u32('group', group);
    return this.sized(
      'tox_group_get_name',
      'Tox_Err_Group_State_Query',
      (e) => this.lib.tox_group_get_name_size(this.p, g, e),
      (out, e) => this.lib.tox_group_get_name(this.p, g, out, e),
    ).toString('utf8');
  }
  chatId(group: number): string {
    const out = Buffer.alloc(GROUP_CHAT_ID_SIZE);
    this.call('tox_group_get_chat_id', 'Tox_Err_Group_State_Query', (e) => this.lib.tox_group_get_chat_id(this.p, u32('group', group), out, e));
    return toHex(out);
  }
  byId(chatId: string): number {
    const id = parseChatId(chatId);
    return this.call('tox_group_by_id', 'Tox_Err_Group_By_Id', (e) => this.lib.tox_group_by_id(this.p, id, e));
  }
  /** tox_group_get_group_list: the group numbers in use (they may have gaps). */
  list(): number[] {
    const n = toNumber(this.lib.tox_group_get_group_list_size(this.p));
    const out = new Uint32Array(n);
    if (n > 0) this.lib.tox_group_get_group_list(this.p, out);
    return Array.from(out);
  }
  count(): number {
    return this.lib.tox_group_get_number_groups(this.p);
  }
  privacyState(group: number): GroupPrivacy {
    const s = this.call('tox_group_get_privacy_state', 'Tox_Err_Group_State_Query', (e) =>
      this.lib.tox_group_get_privacy_state(this.p, u32('group', group), e),
    );
    return GROUP_PRIVACY[s] ?? 'private';
  }
  voiceState(group: number): GroupVoiceState {
    const s = this.call('tox_group_get_voice_state', 'Tox_Err_Group_State_Query', (e) => this.lib.tox_group_get_voice_state(this.p, u32('group', group), e));
    return GROUP_VOICE_STATE[s] ?? 'founder';
  }
  topicLock(group: number): GroupTopicLock {
    const s = this.call('tox_group_get_topic_lock', 'Tox_Err_Group_State_Query', (e) => this.lib.tox_group_get_topic_lock(this.p, u32('group', group), e));
    return GROUP_TOPIC_LOCK[s] ?? 'enabled';
  }
  peerLimit(group: number): number {
    return this.call('tox_group_get_peer_limit', 'Tox_Err_Group_State_Query', (e) => this.lib.tox_group_get_peer_limit(this.p, u32('group', group), e));
  }
  /** The password, or '' when none (the node reports only whether there is one). */
  password(group: number): string {
    const g = u32('group', group);
    return this.sized(
      'tox_group_get_password',
      'Tox_Err_Group_State_Query',
      (e) => this.lib.tox_group_get_password_size(this.p, g, e),
      (out, e) => this.lib.tox_group_get_password(this.p, g, out, e),
    ).toString('utf8');
  }

  // :: Group chat message sending
  /** One group message of 1..limits.message bytes; returns its message id. */
  sendMessagePart(group: number, type: MessageType, part: Buffer): number {
    const t = indexOf('message type', MESSAGE_TYPES, type);
    const m = bytesArg('message part', part, this.limits.message);
    return this.call('tox_group_send_message', 'Tox_Err_Group_Send_Message', (e) =>
      this.lib.tox_group_send_message(this.p, u32('group', group), t, m, m.length, e),
    );
  }
  /** Splits UTF-8-safely at the group limit and sends every part, in order; returns their ids. */
  sendMessage(group: number, text: string, type: MessageType = 'normal'): number[] {
    if (typeof text !== 'string' || text.length === 0) throw new RangeError('message must not be empty');
    return splitMessage(text, this.limits.message).map((part) => this.sendMessagePart(group, type, part));
  }
  sendPrivateMessagePart(group: number, peer: number, type: MessageType, part: Buffer): number {
    const t = indexOf('message type', MESSAGE_TYPES, type);
    const m = bytesArg('message part', part, this.limits.message);
    return this.call('tox_group_send_private_message', 'Tox_Err_Group_Send_Private_Message', (e) =>
      this.lib.tox_group_send_private_message(this.p, u32('group', group), u32('peer', peer), t, m, m.length, e),
    );
  }
  sendPrivateMessage(group: number, peer: number, text: string, type: MessageType = 'normal'): number[] {
    if (typeof text !== 'string' || text.length === 0) throw new RangeError('message must not be empty');
    return splitMessage(text, this.limits.message).map((part) => this.sendPrivateMessagePart(group, peer, type, part));
  }
  sendCustomPacket(group: number, lossless: boolean, data: Uint8Array): void {
    const d = bytesArg('packet', data, lossless ? this.limits.customLossless : this.limits.customLossy);
    this.call('tox_group_send_custom_packet', 'Tox_Err_Group_Send_Custom_Packet', (e) =>
      this.lib.tox_group_send_custom_packet(this.p, u32('group', group), !!lossless, d, d.length, e),
    );
  }
  sendCustomPrivatePacket(group: number, peer: number, lossless: boolean, data: Uint8Array): void {
    const d = bytesArg('packet', data, lossless ? this.limits.customLossless : this.limits.customLossy);
    this.call('tox_group_send_custom_private_packet', 'Tox_Err_Group_Send_Custom_Private_Packet', (e) =>
      this.lib.tox_group_send_custom_private_packet(this.p, u32('group', group), u32('peer', peer), !!lossless, d, d.length, e),
    );
  }

  // :: Group chat inviting and join/part events
  inviteFriend(group: number, friend: number): void {
    this.call('tox_group_invite_friend', 'Tox_Err_Group_Invite_Friend', (e) =>
      this.lib.tox_group_invite_friend(this.p, u32('group', group), u32('friend', friend), e),
    );
  }
  /** `invite`: the bytes of the groupInvite event. */
  inviteAccept(friend: number, invite: Uint8Array, nick: string, password?: string): number {
    const inv = bytesArg('invite', invite, 4096);
    const n = utf8('nick', nick, MAX_NICK, false);
    const pw = this.optionalBytes('password', password, this.limits.password);
    return this.call('tox_group_invite_accept', 'Tox_Err_Group_Invite_Accept', (e) =>
      this.lib.tox_group_invite_accept(this.p, u32('friend', friend), inv, inv.length, n, n.length, pw, pw?.length ?? 0, e),
    );
  }

  // :: Group chat founder controls
  /** An empty password removes it. */
  setPassword(group: number, password: string): void {
    const pw = this.optionalBytes('password', password, this.limits.password);
    this.call('tox_group_set_password', 'Tox_Err_Group_Set_Password', (e) =>
      this.lib.tox_group_set_password(this.p, u32('group', group), pw, pw?.length ?? 0, e),
    );
  }
  setTopicLock(group: number, lock: GroupTopicLock): void {
    const l = indexOf('topic lock', GROUP_TOPIC_LOCK, lock);
    this.call('tox_group_set_topic_lock', 'Tox_Err_Group_Set_Topic_Lock', (e) => this.lib.tox_group_set_topic_lock(this.p, u32('group', group), l, e));
  }
  setVoiceState(group: number, state: GroupVoiceState): void {
    const s = indexOf('voice state', GROUP_VOICE_STATE, state);
    this.call('tox_group_set_voice_state', 'Tox_Err_Group_Set_Voice_State', (e) => this.lib.tox_group_set_voice_state(this.p, u32('group', group), s, e));
  }
  setPrivacyState(group: number, privacy: GroupPrivacy): void {
    const s = indexOf('privacy state', GROUP_PRIVACY, privacy);
    this.call('tox_group_set_privacy_state', 'Tox_Err_Group_Set_Privacy_State', (e) => this.lib.tox_group_set_privacy_state(this.p, u32('group', group), s, e));
  }
  setPeerLimit(group: number, limit: number): void {
    this.call('tox_group_set_peer_limit', 'Tox_Err_Group_Set_Peer_Limit', (e) =>
      this.lib.tox_group_set_peer_limit(this.p, u32('group', group), u16('peer limit', limit), e),
    );
  }

  // :: Group chat moderation controls
  setIgnore(group: number, peer: number, ignore: boolean): void {
    this.call('tox_group_set_ignore', 'Tox_Err_Group_Set_Ignore', (e) =>
      this.lib.tox_group_set_ignore(this.p, u32('group', group), u32('peer', peer), !!ignore, e),
    );
  }
  setRole(group: number, peer: number, role: GroupRole): void {
    const r = indexOf('role', GROUP_ROLES, role);
    this.call('tox_group_set_role', 'Tox_Err_Group_Set_Role', (e) => this.lib.tox_group_set_role(this.p, u32('group', group), u32('peer', peer), r, e));
  }
  kickPeer(group: number, peer: number): void {
    this.call('tox_group_kick_peer', 'Tox_Err_Group_Kick_Peer', (e) => this.lib.tox_group_kick_peer(this.p, u32('group', group), u32('peer', peer), e));
  }
}
