// The group (NGC) trampolines: thin, like callbacks.ts's, which registers them with its own.
// Each copies the bytes out at once (toxcore reuses the memory after the callback) and maps
// enum values to their names; nothing else happens here.

import { GROUP_EXIT_TYPES, GROUP_JOIN_FAILS, GROUP_MOD_EVENTS, GROUP_PRIVACY, GROUP_TOPIC_LOCK, GROUP_VOICE_STATE } from './groupTypes';
import { MESSAGE_TYPES, STATUSES, type ToxEvents } from './types';

/** What callbacks.ts hands over: its dispatcher and byte-copying helpers. */
export interface TrampolineKit {
  dispatch<K extends keyof ToxEvents>(ptr: bigint, kind: K, ...args: Parameters<ToxEvents[K]>): void;
  copy(p: unknown, len: number | bigint): Buffer;
  text(p: unknown, len: number | bigint): string;
  pick<T>(table: readonly T[], i: number, fallback: T): T;
}

/** [setter, prototype, trampoline], in tox.h's order. */
export function groupTrampolines(k: TrampolineKit): [string, string, (...a: never[]) => void][] {
  const { dispatch: d, copy, text, pick } = k;
  return [
    [
      'tox_callback_group_peer_name',
      'tox_group_peer_name_cb',
      (t: bigint, g: number, p: number, s: unknown, l: number) => d(t, 'groupPeerName', g, p, text(s, l)),
    ],
    [
      'tox_callback_group_peer_status',
      'tox_group_peer_status_cb',
      (t: bigint, g: number, p: number, s: number) => d(t, 'groupPeerStatus', g, p, pick(STATUSES, s, 'online')),
    ],
    ['tox_callback_group_topic', 'tox_group_topic_cb', (t: bigint, g: number, p: number, s: unknown, l: number) => d(t, 'groupTopic', g, p, text(s, l))],
    [
      'tox_callback_group_privacy_state',
      'tox_group_privacy_state_cb',
      (t: bigint, g: number, s: number) => d(t, 'groupPrivacyState', g, pick(GROUP_PRIVACY, s, 'private')),
    ],
    [
      'tox_callback_group_voice_state',
      'tox_group_voice_state_cb',
      (t: bigint, g: number, s: number) => d(t, 'groupVoiceState', g, pick(GROUP_VOICE_STATE, s, 'founder')),
    ],
    [
      'tox_callback_group_topic_lock',
      'tox_group_topic_lock_cb',
      (t: bigint, g: number, s: number) => d(t, 'groupTopicLock', g, pick(GROUP_TOPIC_LOCK, s, 'enabled')),
    ],
    ['tox_callback_group_peer_limit', 'tox_group_peer_limit_cb', (t: bigint, g: number, n: number) => d(t, 'groupPeerLimit', g, n)],
    ['tox_callback_group_password', 'tox_group_password_cb', (t: bigint, g: number, s: unknown, l: number) => d(t, 'groupPassword', g, text(s, l))],
    [
      'tox_callback_group_message',
      'tox_group_message_cb',
      (t: bigint, g: number, p: number, ty: number, s: unknown, l: number, id: number) =>
        d(t, 'groupMessage', g, p, pick(MESSAGE_TYPES, ty, 'normal'), text(s, l), id),
    ],
    [
      'tox_callback_group_private_message',
      'tox_group_private_message_cb',
      (t: bigint, g: number, p: number, ty: number, s: unknown, l: number, id: number) =>
        d(t, 'groupPrivateMessage', g, p, pick(MESSAGE_TYPES, ty, 'normal'), text(s, l), id),
    ],
    [
      'tox_callback_group_custom_packet',
      'tox_group_custom_packet_cb',
      (t: bigint, g: number, p: number, s: unknown, l: number) => d(t, 'groupCustomPacket', g, p, copy(s, l)),
    ],
    [
      'tox_callback_group_custom_private_packet',
      'tox_group_custom_private_packet_cb',
      (t: bigint, g: number, p: number, s: unknown, l: number) => d(t, 'groupCustomPrivatePacket', g, p, copy(s, l)),
    ],
    [
      'tox_callback_group_invite',
      'tox_group_invite_cb',
      (t: bigint, f: number, inv: unknown, il: number, n: unknown, nl: number) => d(t, 'groupInvite', f, copy(inv, il), text(n, nl)),
    ],
    ['tox_callback_group_peer_join', 'tox_group_peer_join_cb', (t: bigint, g: number, p: number) => d(t, 'groupPeerJoin', g, p)],
    [
      'tox_callback_group_peer_exit',
      'tox_group_peer_exit_cb',
      (t: bigint, g: number, p: number, x: number, n: unknown, nl: number, m: unknown, ml: number) =>
        d(t, 'groupPeerExit', g, p, pick(GROUP_EXIT_TYPES, x, 'disconnected'), text(n, nl), text(m, ml)),
    ],
    ['tox_callback_group_self_join', 'tox_group_self_join_cb', (t: bigint, g: number) => d(t, 'groupSelfJoin', g)],
    [
      'tox_callback_group_join_fail',
      'tox_group_join_fail_cb',
      (t: bigint, g: number, x: number) => d(t, 'groupJoinFail', g, pick(GROUP_JOIN_FAILS, x, 'unknown')),
    ],
    [
      'tox_callback_group_moderation',
      'tox_group_moderation_cb',
      (t: bigint, g: number, s: number, tg: number, x: number) => d(t, 'groupModeration', g, s, tg, pick(GROUP_MOD_EVENTS, x, 'kick')),
    ],
  ];
}
