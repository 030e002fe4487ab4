// The group (NGC) vocabulary of the wrapper: tox.h's Tox_Group_* value enums as string unions
// (index = numeric value, from groupEnums.ts's order) and the group event signatures.
// Shared by toxGroups.ts, groupCallbacks.ts and types.ts.

import type { MessageType, UserStatus } from './types';

export type GroupPrivacy = 'public' | 'private';
export type GroupTopicLock = 'enabled' | 'disabled';
export type GroupVoiceState = 'all' | 'moderator' | 'founder';
export type GroupRole = 'founder' | 'moderator' | 'user' | 'observer';
export type GroupExitType = 'quit' | 'timeout' | 'disconnected' | 'self_disconnected' | 'kick' | 'sync_error';
export type GroupJoinFail = 'peer_limit' | 'invalid_password' | 'unknown';
export type GroupModEvent = 'kick' | 'observer' | 'user' | 'moderator';

export const GROUP_PRIVACY: readonly GroupPrivacy[] = ['public', 'private'];
export const GROUP_TOPIC_LOCK: readonly GroupTopicLock[] = ['enabled', 'disabled'];
export const GROUP_VOICE_STATE: readonly GroupVoiceState[] = ['all', 'moderator', 'founder'];
export const GROUP_ROLES: readonly GroupRole[] = ['founder', 'moderator', 'user', 'observer'];
export const GROUP_EXIT_TYPES: readonly GroupExitType[] = ['quit', 'timeout', 'disconnected', 'self_disconnected', 'kick', 'sync_error'];
export const GROUP_JOIN_FAILS: readonly GroupJoinFail[] = ['peer_limit', 'invalid_password', 'unknown'];
export const GROUP_MOD_EVENTS: readonly GroupModEvent[] = ['kick', 'observer', 'user', 'moderator'];

/** Group events, with peer bytes already copied and decoded (invalid UTF-8 becomes U+FFFD). */
export interface ToxGroupEvents {
  groupPeerName(group: number, peer: number, name: string): void;
  groupPeerStatus(group: number, peer: number, status: UserStatus): void;
  /** `peer` is the setter; toxcore reports UINT32_MAX while syncing the topic on join. */
  groupTopic(group: number, peer: number, topic: string): void;
  groupPrivacyState(group: number, privacy: GroupPrivacy): void;
  groupVoiceState(group: number, state: GroupVoiceState): void;
  groupTopicLock(group: number, lock: GroupTopicLock): void;
  groupPeerLimit(group: number, limit: number): void;
  /** The new password (empty: none); bytes, decoded as UTF-8. */
  groupPassword(group: number, password: string): void;
  groupMessage(group: number, peer: number, type: MessageType, text: string, messageId: number): void;
  groupPrivateMessage(group: number, peer: number, type: MessageType, text: string, messageId: number): void;
  groupCustomPacket(group: number, peer: number, data: Buffer): void;
  groupCustomPrivatePacket(group: number, peer: number, data: Buffer): void;
  /** `invite`: opaque bytes for tox_group_invite_accept; `groupName`: the inviter's claim. */
  groupInvite(friend: number, invite: Buffer, groupName: string): void;
  groupPeerJoin(group: number, peer: number): void;
  groupPeerExit(group: number, peer: number, exitType: GroupExitType, name: string, partMessage: string): void;
  groupSelfJoin(group: number): void;
  groupJoinFail(group: number, reason: GroupJoinFail): void;
  groupModeration(group: number, source: number, target: number, event: GroupModEvent): void;
}
