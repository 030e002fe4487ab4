// koffi declarations of libtoxcore 0.2.23's NGC group API (tox.h, "Group chat" sections), in tox.h's
// order and names, with the conventions of ./ffi.ts. Declared only: the groups issue wraps them.
// tox_group_reconnect is deprecated upstream (use tox_group_join) but still exported.
import type { IKoffiLib } from './ffi';
import { proto } from './ffiTypes';

/** Group callback prototypes, keyed by tox.h typedef name. */
export const groupProtos = {
  tox_group_peer_name_cb: proto(
    'void tox_group_peer_name_cb(Tox *tox, uint32_t group_number, uint32_t peer_id, const uint8_t *name, size_t name_length, void *user_data)',
  ),
  tox_group_peer_status_cb: proto('void tox_group_peer_status_cb(Tox *tox, uint32_t group_number, uint32_t peer_id, int status, void *user_data)'),
  tox_group_topic_cb: proto(
    'void tox_group_topic_cb(Tox *tox, uint32_t group_number, uint32_t peer_id, const uint8_t *topic, size_t topic_length, void *user_data)',
  ),
  tox_group_privacy_state_cb: proto('void tox_group_privacy_state_cb(Tox *tox, uint32_t group_number, int privacy_state, void *user_data)'),
  tox_group_voice_state_cb: proto('void tox_group_voice_state_cb(Tox *tox, uint32_t group_number, int voice_state, void *user_data)'),
  tox_group_topic_lock_cb: proto('void tox_group_topic_lock_cb(Tox *tox, uint32_t group_number, int topic_lock, void *user_data)'),
  tox_group_peer_limit_cb: proto('void tox_group_peer_limit_cb(Tox *tox, uint32_t group_number, uint32_t peer_limit, void *user_data)'),
  tox_group_password_cb: proto('void tox_group_password_cb(Tox *tox, uint32_t group_number, const uint8_t *password, size_t password_length, void *user_data)'),
  tox_group_message_cb: proto(
    'void tox_group_message_cb(Tox *tox, uint32_t group_number, uint32_t peer_id, int message_type, const uint8_t *message, size_t message_length, uint32_t message_id, void *user_data)',
  ),
  tox_group_private_message_cb: proto(
    'void tox_group_private_message_cb(Tox *tox, uint32_t group_number, uint32_t peer_id, int message_type, const uint8_t *message, size_t message_length, uint32_t message_id, void *user_data)',
  ),
  tox_group_custom_packet_cb: proto(
    'void tox_group_custom_packet_cb(Tox *tox, uint32_t group_number, uint32_t peer_id, const uint8_t *data, size_t data_length, void *user_data)',
  ),
  tox_group_custom_private_packet_cb: proto(
    'void tox_group_custom_private_packet_cb(Tox *tox, uint32_t group_number, uint32_t peer_id, const uint8_t *data, size_t data_length, void *user_data)',
  ),
  tox_group_invite_cb: proto(
    'void tox_group_invite_cb(Tox *tox, uint32_t friend_number, const uint8_t *invite_data, size_t invite_data_length, const uint8_t *group_name, size_t group_name_length, void *user_data)',
  ),
  tox_group_peer_join_cb: proto('void tox_group_peer_join_cb(Tox *tox, uint32_t group_number, uint32_t peer_id, void *user_data)'),
  tox_group_peer_exit_cb: proto(
    'void tox_group_peer_exit_cb(Tox *tox, uint32_t group_number, uint32_t peer_id, int exit_type, const uint8_t *name, size_t name_length, const uint8_t *part_message, size_t part_message_length, void *user_data)',
  ),
  tox_group_self_join_cb: proto('void tox_group_self_join_cb(Tox *tox, uint32_t group_number, void *user_data)'),
  tox_group_join_fail_cb: proto('void tox_group_join_fail_cb(Tox *tox, uint32_t group_number, int fail_type, void *user_data)'),
  tox_group_moderation_cb: proto(
    'void tox_group_moderation_cb(Tox *tox, uint32_t group_number, uint32_t source_peer_id, uint32_t target_peer_id, int mod_type, void *user_data)',
  ),
} as const;

/** Binds every tox_group_* / tox_callback_group_* function (not the *_to_string helpers). */
export function bindToxGroups(lib: IKoffiLib) {
  const f = (decl: string) => lib.func(decl);
  return {
    tox_group_max_topic_length: f('uint32_t tox_group_max_topic_length(void)'),
    tox_group_max_part_length: f('uint32_t tox_group_max_part_length(void)'),
    tox_group_max_message_length: f('uint32_t tox_group_max_message_length(void)'),
    tox_group_max_custom_lossy_packet_length: f('uint32_t tox_group_max_custom_lossy_packet_length(void)'),
    tox_group_max_custom_lossless_packet_length: f('uint32_t tox_group_max_custom_lossless_packet_length(void)'),
    tox_group_max_group_name_length: f('uint32_t tox_group_max_group_name_length(void)'),
    tox_group_max_password_size: f('uint32_t tox_group_max_password_size(void)'),
    tox_group_chat_id_size: f('uint32_t tox_group_chat_id_size(void)'),
    tox_group_peer_public_key_size: f('uint32_t tox_group_peer_public_key_size(void)'),
    tox_group_new: f(
      'uint32_t tox_group_new(Tox *tox, int privacy_state, const uint8_t *group_name, size_t group_name_length, const uint8_t *name, size_t name_length, _Out_ int *error)',
    ),
    tox_group_join: f(
      'uint32_t tox_group_join(Tox *tox, const uint8_t *chat_id, const uint8_t *name, size_t name_length, const uint8_t *password, size_t password_length, _Out_ int *error)',
    ),
    tox_group_is_connected: f('bool tox_group_is_connected(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_group_disconnect: f('bool tox_group_disconnect(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_group_reconnect: f('bool tox_group_reconnect(Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_group_leave: f('bool tox_group_leave(Tox *tox, uint32_t group_number, const uint8_t *part_message, size_t length, _Out_ int *error)'),
    tox_group_self_set_name: f('bool tox_group_self_set_name(Tox *tox, uint32_t group_number, const uint8_t *name, size_t length, _Out_ int *error)'),
    tox_group_self_get_name_size: f('size_t tox_group_self_get_name_size(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_group_self_get_name: f('bool tox_group_self_get_name(const Tox *tox, uint32_t group_number, _Out_ uint8_t *name, _Out_ int *error)'),
    tox_group_self_set_status: f('bool tox_group_self_set_status(Tox *tox, uint32_t group_number, int status, _Out_ int *error)'),
    tox_group_self_get_status: f('int tox_group_self_get_status(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_group_self_get_role: f('int tox_group_self_get_role(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_group_self_get_peer_id: f('uint32_t tox_group_self_get_peer_id(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_group_self_get_public_key: f('bool tox_group_self_get_public_key(const Tox *tox, uint32_t group_number, _Out_ uint8_t *public_key, _Out_ int *error)'),
    tox_group_peer_get_name_size: f('size_t tox_group_peer_get_name_size(const Tox *tox, uint32_t group_number, uint32_t peer_id, _Out_ int *error)'),
    tox_group_peer_get_name: f('bool tox_group_peer_get_name(const Tox *tox, uint32_t group_number, uint32_t peer_id, _Out_ uint8_t *name, _Out_ int *error)'),
    tox_group_peer_get_status: f('int tox_group_peer_get_status(const Tox *tox, uint32_t group_number, uint32_t peer_id, _Out_ int *error)'),
    tox_group_peer_get_role: f('int tox_group_peer_get_role(const Tox *tox, uint32_t group_number, uint32_t peer_id, _Out_ int *error)'),
    tox_group_peer_get_connection_status: f(
      'int tox_group_peer_get_connection_status(const Tox *tox, uint32_t group_number, uint32_t peer_id, _Out_ int *error)',
    ),
    tox_group_peer_get_public_key: f(
      'bool tox_group_peer_get_public_key(const Tox *tox, uint32_t group_number, uint32_t peer_id, _Out_ uint8_t *public_key, _Out_ int *error)',
    ),
    tox_callback_group_peer_name: f('void tox_callback_group_peer_name(Tox *tox, tox_group_peer_name_cb *callback)'),
    tox_callback_group_peer_status: f('void tox_callback_group_peer_status(Tox *tox, tox_group_peer_status_cb *callback)'),
    tox_group_set_topic: f('bool tox_group_set_topic(Tox *tox, uint32_t group_number, const uint8_t *topic, size_t length, _Out_ int *error)'),
    tox_group_get_topic_size: f('size_t tox_group_get_topic_size(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_group_get_topic: f('bool tox_group_get_topic(const Tox *tox, uint32_t group_number, _Out_ uint8_t *topic, _Out_ int *error)'),
    tox_callback_group_topic: f('void tox_callback_group_topic(Tox *tox, tox_group_topic_cb *callback)'),
    tox_group_get_name_size: f('size_t tox_group_get_name_size(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_group_get_name: f('bool tox_group_get_name(const Tox *tox, uint32_t group_number, _Out_ uint8_t *name, _Out_ int *error)'),
    tox_group_get_chat_id: f('bool tox_group_get_chat_id(const Tox *tox, uint32_t group_number, _Out_ uint8_t *chat_id, _Out_ int *error)'),
    tox_group_by_id: f('uint32_t tox_group_by_id(const Tox *tox, const uint8_t *chat_id, _Out_ int *error)'),
    tox_group_get_group_list_size: f('uint32_t tox_group_get_group_list_size(const Tox *tox)'),
    tox_group_get_number_groups: f('uint32_t tox_group_get_number_groups(const Tox *tox)'),
    tox_group_get_group_list: f('void tox_group_get_group_list(const Tox *tox, _Out_ uint32_t *group_list)'),
    tox_group_get_privacy_state: f('int tox_group_get_privacy_state(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_callback_group_privacy_state: f('void tox_callback_group_privacy_state(Tox *tox, tox_group_privacy_state_cb *callback)'),
    tox_group_get_voice_state: f('int tox_group_get_voice_state(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_callback_group_voice_state: f('void tox_callback_group_voice_state(Tox *tox, tox_group_voice_state_cb *callback)'),
    tox_group_get_topic_lock: f('int tox_group_get_topic_lock(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_callback_group_topic_lock: f('void tox_callback_group_topic_lock(Tox *tox, tox_group_topic_lock_cb *callback)'),
    tox_group_get_peer_limit: f('uint16_t tox_group_get_peer_limit(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_callback_group_peer_limit: f('void tox_callback_group_peer_limit(Tox *tox, tox_group_peer_limit_cb *callback)'),
    tox_group_get_password_size: f('size_t tox_group_get_password_size(const Tox *tox, uint32_t group_number, _Out_ int *error)'),
    tox_group_get_password: f('bool tox_group_get_password(const Tox *tox, uint32_t group_number, _Out_ uint8_t *password, _Out_ int *error)'),
    tox_callback_group_password: f('void tox_callback_group_password(Tox *tox, tox_group_password_cb *callback)'),
    tox_group_send_message: f(
      'uint32_t tox_group_send_message(const Tox *tox, uint32_t group_number, int message_type, const uint8_t *message, size_t length, _Out_ int *error)',
    ),
    tox_group_send_private_message: f(
      'uint32_t tox_group_send_private_message(const Tox *tox, uint32_t group_number, uint32_t peer_id, int message_type, const uint8_t *message, size_t length, _Out_ int *error)',
    ),
    tox_group_send_custom_packet: f(
      'bool tox_group_send_custom_packet(const Tox *tox, uint32_t group_number, bool lossless, const uint8_t *data, size_t length, _Out_ int *error)',
    ),
    tox_group_send_custom_private_packet: f(
      'bool tox_group_send_custom_private_packet(const Tox *tox, uint32_t group_number, uint32_t peer_id, bool lossless, const uint8_t *data, size_t length, _Out_ int *error)',
    ),
    tox_callback_group_message: f('void tox_callback_group_message(Tox *tox, tox_group_message_cb *callback)'),
    tox_callback_group_private_message: f('void tox_callback_group_private_message(Tox *tox, tox_group_private_message_cb *callback)'),
    tox_callback_group_custom_packet: f('void tox_callback_group_custom_packet(Tox *tox, tox_group_custom_packet_cb *callback)'),
    tox_callback_group_custom_private_packet: f('void tox_callback_group_custom_private_packet(Tox *tox, tox_group_custom_private_packet_cb *callback)'),
    tox_group_invite_friend: f('bool tox_group_invite_friend(const Tox *tox, uint32_t group_number, uint32_t friend_number, _Out_ int *error)'),
    tox_group_invite_accept: f(
      'uint32_t tox_group_invite_accept(Tox *tox, uint32_t friend_number, const uint8_t *invite_data, size_t length, const uint8_t *name, size_t name_length, const uint8_t *password, size_t password_length, _Out_ int *error)',
    ),
    tox_callback_group_invite: f('void tox_callback_group_invite(Tox *tox, tox_group_invite_cb *callback)'),
    tox_callback_group_peer_join: f('void tox_callback_group_peer_join(Tox *tox, tox_group_peer_join_cb *callback)'),
    tox_callback_group_peer_exit: f('void tox_callback_group_peer_exit(Tox *tox, tox_group_peer_exit_cb *callback)'),
    tox_callback_group_self_join: f('void tox_callback_group_self_join(Tox *tox, tox_group_self_join_cb *callback)'),
    tox_callback_group_join_fail: f('void tox_callback_group_join_fail(Tox *tox, tox_group_join_fail_cb *callback)'),
    tox_group_set_password: f('bool tox_group_set_password(Tox *tox, uint32_t group_number, const uint8_t *password, size_t length, _Out_ int *error)'),
    tox_group_set_topic_lock: f('bool tox_group_set_topic_lock(Tox *tox, uint32_t group_number, int topic_lock, _Out_ int *error)'),
    tox_group_set_voice_state: f('bool tox_group_set_voice_state(Tox *tox, uint32_t group_number, int voice_state, _Out_ int *error)'),
    tox_group_set_privacy_state: f('bool tox_group_set_privacy_state(Tox *tox, uint32_t group_number, int privacy_state, _Out_ int *error)'),
    tox_group_set_peer_limit: f('bool tox_group_set_peer_limit(Tox *tox, uint32_t group_number, uint16_t peer_limit, _Out_ int *error)'),
    tox_group_set_ignore: f('bool tox_group_set_ignore(Tox *tox, uint32_t group_number, uint32_t peer_id, bool ignore, _Out_ int *error)'),
    tox_group_set_role: f('bool tox_group_set_role(Tox *tox, uint32_t group_number, uint32_t peer_id, int role, _Out_ int *error)'),
    tox_group_kick_peer: f('bool tox_group_kick_peer(const Tox *tox, uint32_t group_number, uint32_t peer_id, _Out_ int *error)'),
    tox_callback_group_moderation: f('void tox_callback_group_moderation(Tox *tox, tox_group_moderation_cb *callback)'),
  };
}
