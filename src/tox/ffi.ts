// koffi declarations for libtoxcore 0.2.23 (tox.h with the tox_options.h it includes, then
// toxencryptsave.h), in the same order and with the same names as the headers. No toxav
// (audio/video) on purpose: our build has none. The *_to_string helpers are not bound (the names
// are in ./errors.ts, checked against them by test/unit/toxlib.test.ts); tox_conference_* is not bound.
// The NGC group API (tox_group_*) is declared in ./ffiGroups.ts and spread in at its place in tox.h.
//
// Conventions (measured with koffi 3.3.4):
// - Tox *, Tox_Options *, Tox_Pass_Key * are opaque; they come back as BigInt and are passed back as is.
// - Enums are `int`. Error out-params are `_Out_ int *error`: pass an Int32Array(1) (or null), then check().
// - Byte inputs (`const uint8_t *`) and outputs (`_Out_ uint8_t *`) take Buffers, passed by address
//   without copying (koffi.address(buf) === the pointer the C side sees).
// - size_t, uint16_t and uint32_t come back as number. uint64_t comes back as a number when <= 2^53 and
//   as a bigint above that (so type it `number | bigint`); as input both are accepted.
// - Callback prototypes: pointer params arrive as BigInt addresses (null for NULL). The memory is only
//   valid during the callback and toxcore reuses it (every file chunk has the same address): copy it at
//   once, e.g. bindLibc().memcpy(Buffer.allocUnsafe(length), ptr, length).
import koffi from 'koffi';
import type { LibraryHandle } from 'koffi';
import { bindToxGroups, groupProtos } from './ffiGroups';
import { proto } from './ffiTypes';

export type IKoffiLib = LibraryHandle;

/**
 * Callback prototypes, keyed by the tox.h typedef name, for
 * `koffi.register(fn, koffi.pointer(protos.tox_friend_message_cb))`.
 * Keep a registered callback until tox_kill, then koffi.unregister it. An exception thrown in a JS
 * callback propagates out of tox_iterate and skips the rest of that iteration: wrap bodies in try/catch.
 */
export const protos = {
  // Log strings are NUL-terminated C strings: koffi decodes them into (copied) JS strings.
  tox_log_cb: proto('void tox_log_cb(Tox *tox, int level, const char *file, uint32_t line, const char *func, const char *message, void *user_data)'),
  tox_self_connection_status_cb: proto('void tox_self_connection_status_cb(Tox *tox, int connection_status, void *user_data)'),
  tox_friend_name_cb: proto('void tox_friend_name_cb(Tox *tox, uint32_t friend_number, const uint8_t *name, size_t length, void *user_data)'),
  tox_friend_status_message_cb: proto(
    'void tox_friend_status_message_cb(Tox *tox, uint32_t friend_number, const uint8_t *message, size_t length, void *user_data)',
  ),
  tox_friend_status_cb: proto('void tox_friend_status_cb(Tox *tox, uint32_t friend_number, int status, void *user_data)'),
  tox_friend_connection_status_cb: proto('void tox_friend_connection_status_cb(Tox *tox, uint32_t friend_number, int connection_status, void *user_data)'),
  tox_friend_typing_cb: proto('void tox_friend_typing_cb(Tox *tox, uint32_t friend_number, bool typing, void *user_data)'),
  tox_friend_read_receipt_cb: proto('void tox_friend_read_receipt_cb(Tox *tox, uint32_t friend_number, uint32_t message_id, void *user_data)'),
  tox_friend_request_cb: proto('void tox_friend_request_cb(Tox *tox, const uint8_t *public_key, const uint8_t *message, size_t length, void *user_data)'),
  tox_friend_message_cb: proto(
    'void tox_friend_message_cb(Tox *tox, uint32_t friend_number, int type, const uint8_t *message, size_t length, void *user_data)',
  ),
  tox_file_recv_control_cb: proto('void tox_file_recv_control_cb(Tox *tox, uint32_t friend_number, uint32_t file_number, int control, void *user_data)'),
  tox_file_chunk_request_cb: proto(
    'void tox_file_chunk_request_cb(Tox *tox, uint32_t friend_number, uint32_t file_number, uint64_t position, size_t length, void *user_data)',
  ),
  tox_file_recv_cb: proto(
    'void tox_file_recv_cb(Tox *tox, uint32_t friend_number, uint32_t file_number, uint32_t kind, uint64_t file_size, const uint8_t *filename, size_t filename_length, void *user_data)',
  ),
  tox_file_recv_chunk_cb: proto(
    'void tox_file_recv_chunk_cb(Tox *tox, uint32_t friend_number, uint32_t file_number, uint64_t position, const uint8_t *data, size_t length, void *user_data)',
  ),
  tox_friend_lossy_packet_cb: proto('void tox_friend_lossy_packet_cb(Tox *tox, uint32_t friend_number, const uint8_t *data, size_t length, void *user_data)'),
  tox_friend_lossless_packet_cb: proto(
    'void tox_friend_lossless_packet_cb(Tox *tox, uint32_t friend_number, const uint8_t *data, size_t length, void *user_data)',
  ),
  ...groupProtos,
} as const;

/** :: API version. Bound on their own so the loader can reject an older library (which lacks
 *  functions bindTox needs) with a version message instead of "function not found". */
export function bindToxVersion(lib: IKoffiLib) {
  const f = (decl: string) => lib.func(decl);
  return {
    tox_version_major: f('uint32_t tox_version_major(void)'),
    tox_version_minor: f('uint32_t tox_version_minor(void)'),
    tox_version_patch: f('uint32_t tox_version_patch(void)'),
    tox_version_is_compatible: f('bool tox_version_is_compatible(uint32_t major, uint32_t minor, uint32_t patch)'),
  };
}

/** Binds every tox.h function (except conferences and *_to_string) and the toxencryptsave.h functions. */
export function bindTox(lib: IKoffiLib) {
  const f = (decl: string) => lib.func(decl);
  return {
    ...bindToxVersion(lib),
    // :: Numeric constants
    tox_public_key_size: f('uint32_t tox_public_key_size(void)'),
    tox_secret_key_size: f('uint32_t tox_secret_key_size(void)'),
    tox_dht_id_size: f('uint32_t tox_dht_id_size(void)'),
    tox_nospam_size: f('uint32_t tox_nospam_size(void)'),
    tox_address_size: f('uint32_t tox_address_size(void)'),
    tox_max_name_length: f('uint32_t tox_max_name_length(void)'),
    tox_max_status_message_length: f('uint32_t tox_max_status_message_length(void)'),
    tox_max_friend_request_length: f('uint32_t tox_max_friend_request_length(void)'),
    tox_max_message_length: f('uint32_t tox_max_message_length(void)'),
    tox_max_custom_packet_size: f('uint32_t tox_max_custom_packet_size(void)'),
    tox_hash_length: f('uint32_t tox_hash_length(void)'),
    tox_file_id_length: f('uint32_t tox_file_id_length(void)'),
    tox_max_filename_length: f('uint32_t tox_max_filename_length(void)'),
    tox_max_hostname_length: f('uint32_t tox_max_hostname_length(void)'),
    // :: Global enumerations (values and names: ./errors.ts)
    // :: Startup options (tox_options.h)
    tox_options_get_ipv6_enabled: f('bool tox_options_get_ipv6_enabled(const Tox_Options *options)'),
    tox_options_set_ipv6_enabled: f('void tox_options_set_ipv6_enabled(Tox_Options *options, bool ipv6_enabled)'),
    tox_options_get_udp_enabled: f('bool tox_options_get_udp_enabled(const Tox_Options *options)'),
    tox_options_set_udp_enabled: f('void tox_options_set_udp_enabled(Tox_Options *options, bool udp_enabled)'),
    tox_options_get_local_discovery_enabled: f('bool tox_options_get_local_discovery_enabled(const Tox_Options *options)'),
    tox_options_set_local_discovery_enabled: f('void tox_options_set_local_discovery_enabled(Tox_Options *options, bool local_discovery_enabled)'),
    tox_options_get_dht_announcements_enabled: f('bool tox_options_get_dht_announcements_enabled(const Tox_Options *options)'),
    tox_options_set_dht_announcements_enabled: f('void tox_options_set_dht_announcements_enabled(Tox_Options *options, bool dht_announcements_enabled)'),
    tox_options_get_proxy_type: f('int tox_options_get_proxy_type(const Tox_Options *options)'),
    tox_options_set_proxy_type: f('void tox_options_set_proxy_type(Tox_Options *options, int type)'),
    tox_options_get_proxy_host: f('const char *tox_options_get_proxy_host(const Tox_Options *options)'),
    // Unless experimental_owned_data is set, toxcore keeps the raw pointer until tox_new: pass a
    // NUL-terminated Buffer (not a JS string, which would dangle -> PROXY_BAD_HOST) and keep it
    // referenced until tox_new returns. false = out of memory (owned data only).
    tox_options_set_proxy_host: f('bool tox_options_set_proxy_host(Tox_Options *options, const uint8_t *proxy_host)'),
    tox_options_get_proxy_port: f('uint16_t tox_options_get_proxy_port(const Tox_Options *options)'),
    tox_options_set_proxy_port: f('void tox_options_set_proxy_port(Tox_Options *options, uint16_t port)'),
    tox_options_get_start_port: f('uint16_t tox_options_get_start_port(const Tox_Options *options)'),
    tox_options_set_start_port: f('void tox_options_set_start_port(Tox_Options *options, uint16_t start_port)'),
    tox_options_get_end_port: f('uint16_t tox_options_get_end_port(const Tox_Options *options)'),
    tox_options_set_end_port: f('void tox_options_set_end_port(Tox_Options *options, uint16_t end_port)'),
    tox_options_get_tcp_port: f('uint16_t tox_options_get_tcp_port(const Tox_Options *options)'),
    tox_options_set_tcp_port: f('void tox_options_set_tcp_port(Tox_Options *options, uint16_t tcp_port)'),
    tox_options_get_hole_punching_enabled: f('bool tox_options_get_hole_punching_enabled(const Tox_Options *options)'),
    tox_options_set_hole_punching_enabled: f('void tox_options_set_hole_punching_enabled(Tox_Options *options, bool hole_punching_enabled)'),
    tox_options_get_savedata_type: f('int tox_options_get_savedata_type(const Tox_Options *options)'),
    tox_options_set_savedata_type: f('void tox_options_set_savedata_type(Tox_Options *options, int type)'),
    // Pointer getters return BigInt addresses (or null).
    tox_options_get_savedata_data: f('const uint8_t *tox_options_get_savedata_data(const Tox_Options *options)'),
    // toxcore keeps this raw pointer too: keep the Buffer referenced until tox_new returns.
    tox_options_set_savedata_data: f('bool tox_options_set_savedata_data(Tox_Options *options, const uint8_t *savedata_data, size_t length)'),
    tox_options_get_savedata_length: f('size_t tox_options_get_savedata_length(const Tox_Options *options)'),
    tox_options_set_savedata_length: f('void tox_options_set_savedata_length(Tox_Options *options, size_t length)'),
    tox_options_get_log_callback: f('tox_log_cb *tox_options_get_log_callback(const Tox_Options *options)'),
    tox_options_set_log_callback: f('void tox_options_set_log_callback(Tox_Options *options, tox_log_cb *callback)'),
    tox_options_get_log_user_data: f('void *tox_options_get_log_user_data(const Tox_Options *options)'),
    tox_options_set_log_user_data: f('void tox_options_set_log_user_data(Tox_Options *options, void *user_data)'),
    tox_options_get_experimental_owned_data: f('bool tox_options_get_experimental_owned_data(const Tox_Options *options)'),
    tox_options_set_experimental_owned_data: f('void tox_options_set_experimental_owned_data(Tox_Options *options, bool experimental_owned_data)'),
    tox_options_get_experimental_thread_safety: f('bool tox_options_get_experimental_thread_safety(const Tox_Options *options)'),
    tox_options_set_experimental_thread_safety: f('void tox_options_set_experimental_thread_safety(Tox_Options *options, bool experimental_thread_safety)'),
    tox_options_get_experimental_groups_persistence: f('bool tox_options_get_experimental_groups_persistence(const Tox_Options *options)'),
    tox_options_set_experimental_groups_persistence: f(
      'void tox_options_set_experimental_groups_persistence(Tox_Options *options, bool experimental_groups_persistence)',
    ),
    // true: toxcore resolves no hostname at all (tox_bootstrap/add_tcp_relay/proxy host must be IP literals).
    tox_options_get_experimental_disable_dns: f('bool tox_options_get_experimental_disable_dns(const Tox_Options *options)'),
    tox_options_set_experimental_disable_dns: f('void tox_options_set_experimental_disable_dns(Tox_Options *options, bool experimental_disable_dns)'),
    tox_options_default: f('void tox_options_default(Tox_Options *options)'),
    tox_options_copy: f('void tox_options_copy(Tox_Options *dest, const Tox_Options *src)'),
    tox_options_new: f('Tox_Options *tox_options_new(_Out_ int *error)'),
    tox_options_free: f('void tox_options_free(Tox_Options *options)'),
    // :: Creation and destruction
    tox_new: f('Tox *tox_new(const Tox_Options *options, _Out_ int *error)'),
    tox_kill: f('void tox_kill(Tox *tox)'),
    tox_get_savedata_size: f('size_t tox_get_savedata_size(const Tox *tox)'),
    tox_get_savedata: f('void tox_get_savedata(const Tox *tox, _Out_ uint8_t *savedata)'),
    // :: Connection lifecycle and event loop
    // host is only used during the call. It is resolved with the local resolver even behind a proxy:
    // pass IP literals when proxied.
    tox_bootstrap: f('bool tox_bootstrap(Tox *tox, const char *host, uint16_t port, const uint8_t *public_key, _Out_ int *error)'),
    tox_add_tcp_relay: f('bool tox_add_tcp_relay(Tox *tox, const char *host, uint16_t port, const uint8_t *public_key, _Out_ int *error)'),
    tox_self_get_connection_status: f('int tox_self_get_connection_status(const Tox *tox)'),
    tox_callback_self_connection_status: f('void tox_callback_self_connection_status(Tox *tox, tox_self_connection_status_cb *callback)'),
    tox_iteration_interval: f('uint32_t tox_iteration_interval(const Tox *tox)'),
    // Runs the registered callbacks; user_data may be null.
    tox_iterate: f('void tox_iterate(Tox *tox, void *user_data)'),
    // :: Internal client information (Tox address/id)
    tox_self_get_address: f('void tox_self_get_address(const Tox *tox, _Out_ uint8_t *address)'),
    tox_self_set_nospam: f('void tox_self_set_nospam(Tox *tox, uint32_t nospam)'),
    tox_self_get_nospam: f('uint32_t tox_self_get_nospam(const Tox *tox)'),
    tox_self_get_public_key: f('void tox_self_get_public_key(const Tox *tox, _Out_ uint8_t *public_key)'),
    tox_self_get_secret_key: f('void tox_self_get_secret_key(const Tox *tox, _Out_ uint8_t *secret_key)'),
    // :: User-visible client information (nickname/status)
    tox_self_set_name: f('bool tox_self_set_name(Tox *tox, const uint8_t *name, size_t length, _Out_ int *error)'),
    tox_self_get_name_size: f('size_t tox_self_get_name_size(const Tox *tox)'),
    tox_self_get_name: f('void tox_self_get_name(const Tox *tox, _Out_ uint8_t *name)'),
    tox_self_set_status_message: f('bool tox_self_set_status_message(Tox *tox, const uint8_t *status_message, size_t length, _Out_ int *error)'),
    tox_self_get_status_message_size: f('size_t tox_self_get_status_message_size(const Tox *tox)'),
    tox_self_get_status_message: f('void tox_self_get_status_message(const Tox *tox, _Out_ uint8_t *status_message)'),
    tox_self_set_status: f('void tox_self_set_status(Tox *tox, int status)'),
    tox_self_get_status: f('int tox_self_get_status(const Tox *tox)'),
    // :: Friend list management
    tox_friend_add: f('uint32_t tox_friend_add(Tox *tox, const uint8_t *address, const uint8_t *message, size_t length, _Out_ int *error)'),
    tox_friend_add_norequest: f('uint32_t tox_friend_add_norequest(Tox *tox, const uint8_t *public_key, _Out_ int *error)'),
    tox_friend_delete: f('bool tox_friend_delete(Tox *tox, uint32_t friend_number, _Out_ int *error)'),
    // :: Friend list queries
    tox_friend_by_public_key: f('uint32_t tox_friend_by_public_key(const Tox *tox, const uint8_t *public_key, _Out_ int *error)'),
    tox_friend_exists: f('bool tox_friend_exists(const Tox *tox, uint32_t friend_number)'),
    tox_self_get_friend_list_size: f('size_t tox_self_get_friend_list_size(const Tox *tox)'),
    // friend_list: a Uint32Array of tox_self_get_friend_list_size() elements.
    tox_self_get_friend_list: f('void tox_self_get_friend_list(const Tox *tox, _Out_ uint32_t *friend_list)'),
    tox_friend_get_public_key: f('bool tox_friend_get_public_key(const Tox *tox, uint32_t friend_number, _Out_ uint8_t *public_key, _Out_ int *error)'),
    tox_friend_get_last_online: f('uint64_t tox_friend_get_last_online(const Tox *tox, uint32_t friend_number, _Out_ int *error)'),
    // :: Friend-specific state queries (can also be received through callbacks)
    tox_friend_get_name_size: f('size_t tox_friend_get_name_size(const Tox *tox, uint32_t friend_number, _Out_ int *error)'),
    tox_friend_get_name: f('bool tox_friend_get_name(const Tox *tox, uint32_t friend_number, _Out_ uint8_t *name, _Out_ int *error)'),
    tox_callback_friend_name: f('void tox_callback_friend_name(Tox *tox, tox_friend_name_cb *callback)'),
    tox_friend_get_status_message_size: f('size_t tox_friend_get_status_message_size(const Tox *tox, uint32_t friend_number, _Out_ int *error)'),
    tox_friend_get_status_message: f(
      'bool tox_friend_get_status_message(const Tox *tox, uint32_t friend_number, _Out_ uint8_t *status_message, _Out_ int *error)',
    ),
    tox_callback_friend_status_message: f('void tox_callback_friend_status_message(Tox *tox, tox_friend_status_message_cb *callback)'),
    tox_friend_get_status: f('int tox_friend_get_status(const Tox *tox, uint32_t friend_number, _Out_ int *error)'),
    tox_callback_friend_status: f('void tox_callback_friend_status(Tox *tox, tox_friend_status_cb *callback)'),
    tox_friend_get_connection_status: f('int tox_friend_get_connection_status(const Tox *tox, uint32_t friend_number, _Out_ int *error)'),
    tox_callback_friend_connection_status: f('void tox_callback_friend_connection_status(Tox *tox, tox_friend_connection_status_cb *callback)'),
    tox_friend_get_typing: f('bool tox_friend_get_typing(const Tox *tox, uint32_t friend_number, _Out_ int *error)'),
    tox_callback_friend_typing: f('void tox_callback_friend_typing(Tox *tox, tox_friend_typing_cb *callback)'),
    // :: Sending private messages
    tox_self_set_typing: f('bool tox_self_set_typing(Tox *tox, uint32_t friend_number, bool typing, _Out_ int *error)'),
    tox_friend_send_message: f(
      'uint32_t tox_friend_send_message(Tox *tox, uint32_t friend_number, int type, const uint8_t *message, size_t length, _Out_ int *error)',
    ),
    tox_callback_friend_read_receipt: f('void tox_callback_friend_read_receipt(Tox *tox, tox_friend_read_receipt_cb *callback)'),
    // :: Receiving private messages and friend requests
    tox_callback_friend_request: f('void tox_callback_friend_request(Tox *tox, tox_friend_request_cb *callback)'),
    tox_callback_friend_message: f('void tox_callback_friend_message(Tox *tox, tox_friend_message_cb *callback)'),
    // :: File transmission: common between sending and receiving
    tox_hash: f('bool tox_hash(_Out_ uint8_t *hash, const uint8_t *data, size_t length)'),
    tox_file_control: f('bool tox_file_control(Tox *tox, uint32_t friend_number, uint32_t file_number, int control, _Out_ int *error)'),
    tox_callback_file_recv_control: f('void tox_callback_file_recv_control(Tox *tox, tox_file_recv_control_cb *callback)'),
    tox_file_seek: f('bool tox_file_seek(Tox *tox, uint32_t friend_number, uint32_t file_number, uint64_t position, _Out_ int *error)'),
    tox_file_get_file_id: f(
      'bool tox_file_get_file_id(const Tox *tox, uint32_t friend_number, uint32_t file_number, _Out_ uint8_t *file_id, _Out_ int *error)',
    ),
    // Finds an incoming or outgoing transfer with this friend by its file ID (TOX_ERR_FILE_BY_ID_NOT_FOUND if none).
    tox_file_by_id: f('uint32_t tox_file_by_id(const Tox *tox, uint32_t friend_number, const uint8_t *file_id, _Out_ int *error)'),
    // :: File transmission: sending
    tox_file_send: f(
      'uint32_t tox_file_send(Tox *tox, uint32_t friend_number, uint32_t kind, uint64_t file_size, const uint8_t *file_id, const uint8_t *filename, size_t filename_length, _Out_ int *error)',
    ),
    tox_file_send_chunk: f(
      'bool tox_file_send_chunk(Tox *tox, uint32_t friend_number, uint32_t file_number, uint64_t position, const uint8_t *data, size_t length, _Out_ int *error)',
    ),
    tox_callback_file_chunk_request: f('void tox_callback_file_chunk_request(Tox *tox, tox_file_chunk_request_cb *callback)'),
    // :: File transmission: receiving
    tox_callback_file_recv: f('void tox_callback_file_recv(Tox *tox, tox_file_recv_cb *callback)'),
    tox_callback_file_recv_chunk: f('void tox_callback_file_recv_chunk(Tox *tox, tox_file_recv_chunk_cb *callback)'),
    // :: Conference management
    // tox_conference_* (incl. tox_conference_uid_size/_id_size) deliberately not bound.
    // :: Low-level custom packet sending and receiving
    tox_friend_send_lossy_packet: f(
      'bool tox_friend_send_lossy_packet(Tox *tox, uint32_t friend_number, const uint8_t *data, size_t length, _Out_ int *error)',
    ),
    tox_friend_send_lossless_packet: f(
      'bool tox_friend_send_lossless_packet(Tox *tox, uint32_t friend_number, const uint8_t *data, size_t length, _Out_ int *error)',
    ),
    tox_callback_friend_lossy_packet: f('void tox_callback_friend_lossy_packet(Tox *tox, tox_friend_lossy_packet_cb *callback)'),
    tox_callback_friend_lossless_packet: f('void tox_callback_friend_lossless_packet(Tox *tox, tox_friend_lossless_packet_cb *callback)'),
    // :: Low-level network information
    tox_self_get_dht_id: f('void tox_self_get_dht_id(const Tox *tox, _Out_ uint8_t *dht_id)'),
    tox_self_get_udp_port: f('uint16_t tox_self_get_udp_port(const Tox *tox, _Out_ int *error)'),
    tox_self_get_tcp_port: f('uint16_t tox_self_get_tcp_port(const Tox *tox, _Out_ int *error)'),
    // :: Group chat management ... Group moderation (./ffiGroups.ts)
    ...bindToxGroups(lib),

    // ==== toxencryptsave.h (same library file) ====
    tox_pass_salt_length: f('uint32_t tox_pass_salt_length(void)'),
    tox_pass_key_length: f('uint32_t tox_pass_key_length(void)'),
    tox_pass_encryption_extra_length: f('uint32_t tox_pass_encryption_extra_length(void)'),
    tox_pass_encrypt: f(
      'bool tox_pass_encrypt(const uint8_t *plaintext, size_t plaintext_len, const uint8_t *passphrase, size_t passphrase_len, _Out_ uint8_t *ciphertext, _Out_ int *error)',
    ),
    tox_pass_decrypt: f(
      'bool tox_pass_decrypt(const uint8_t *ciphertext, size_t ciphertext_len, const uint8_t *passphrase, size_t passphrase_len, _Out_ uint8_t *plaintext, _Out_ int *error)',
    ),
    tox_pass_key_free: f('void tox_pass_key_free(Tox_Pass_Key *key)'),
    tox_pass_key_derive: f('Tox_Pass_Key *tox_pass_key_derive(const uint8_t *passphrase, size_t passphrase_len, _Out_ int *error)'),
    tox_pass_key_derive_with_salt: f(
      'Tox_Pass_Key *tox_pass_key_derive_with_salt(const uint8_t *passphrase, size_t passphrase_len, const uint8_t *salt, _Out_ int *error)',
    ),
    tox_pass_key_encrypt: f(
      'bool tox_pass_key_encrypt(const Tox_Pass_Key *key, const uint8_t *plaintext, size_t plaintext_len, _Out_ uint8_t *ciphertext, _Out_ int *error)',
    ),
    tox_pass_key_decrypt: f(
      'bool tox_pass_key_decrypt(const Tox_Pass_Key *key, const uint8_t *ciphertext, size_t ciphertext_len, _Out_ uint8_t *plaintext, _Out_ int *error)',
    ),
    tox_get_salt: f('bool tox_get_salt(const uint8_t *ciphertext, _Out_ uint8_t *salt, _Out_ int *error)'),
    tox_is_data_encrypted: f('bool tox_is_data_encrypted(const uint8_t *data)'),
  };
}

export type ToxLib = ReturnType<typeof bindTox>;
export type ToxProtoName = keyof typeof protos;

// :: libc helpers (not part of tox.h)

let libc: ReturnType<typeof loadLibc> | undefined;

/** The C library that has memcpy on each platform (Windows: the system msvcrt.dll). */
const LIBC_NAME: Partial<Record<NodeJS.Platform, string>> = { linux: 'libc.so.6', darwin: 'libSystem.B.dylib', win32: 'msvcrt.dll' };

function loadLibc() {
  const lib = koffi.load(LIBC_NAME[process.platform] ?? 'libc.so.6');
  // poll, rlimits and prctl are used on Linux only (SocketPoller.supported(), hardenProcess());
  // elsewhere they do not exist (prctl, and all of them on Windows), so binding them would fail
  // the whole load. There they are stubs that throw if ever called.
  const linuxOnly = (decl: string): ReturnType<typeof lib.func> => {
    if (process.platform === 'linux') return lib.func(decl);
    const fail = (): never => {
      throw new Error(`${decl} is Linux-only (running on ${process.platform})`);
    };
    return Object.assign(fail, { async: fail, info: fail }) as unknown as ReturnType<typeof lib.func>;
  };
  return {
    // Fastest way to copy callback bytes out: memcpy(buffer, bigintAddress, length).
    memcpy: lib.func('void *memcpy(_Out_ uint8_t *dst, const void *src, size_t n)'),
    // fds: a Buffer of struct pollfd { int fd; short events; short revents; }, 8 bytes per fd.
    // Use poll.async(fds, n, timeoutMs, (err, res) => ...) to wait off the JS thread.
    poll: linuxOnly('int poll(_Inout_ uint8_t *fds, unsigned long nfds, int timeout)'),
    // rlim: a Buffer of struct rlimit { rlim_t cur; rlim_t max; } (2 x uint64 on 64-bit Linux).
    getrlimit: linuxOnly('int getrlimit(int resource, _Out_ uint8_t *rlim)'),
    setrlimit: linuxOnly('int setrlimit(int resource, const uint8_t *rlim)'),
    prctl: linuxOnly('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)'),
  };
}

/** memcpy from the platform's C library; poll, get/setrlimit and prctl on Linux only. Loaded once. */
export function bindLibc(): ReturnType<typeof loadLibc> {
  return (libc ??= loadLibc());
}

export type Libc = ReturnType<typeof bindLibc>;

/** Linux constants for setrlimit(2) / prctl(2). */
export const RLIMIT_CORE = 4;
export const PR_GET_DUMPABLE = 3;
export const PR_SET_DUMPABLE = 4;

/** poll(2) event bits (Linux). */
export const POLL = { IN: 0x001, PRI: 0x002, OUT: 0x004, ERR: 0x008, HUP: 0x010, NVAL: 0x020 } as const;
