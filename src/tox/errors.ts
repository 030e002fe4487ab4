// Error codes and enum names of libtoxcore 0.2.23 (tox.h with tox_options.h, toxencryptsave.h).
// The tables were generated once from the upstream headers and pasted here; this
// file never reads the headers at runtime (test/unit/toxlib.test.ts checks every
// name against the library's own tox_err_*_to_string). Every enum in those headers is
// sequential from 0 (no explicit values), so array index = numeric value, and
// every Tox_Err_* has its _OK constant at 0.
// Conference (tox_conference_*) enums are left out: conferences are not bound.
// The NGC group error enums live in ./groupEnums.ts and are spread in at their place in tox.h.

import { TOX_GROUP_ERR } from './groupEnums';

export class ToxError extends Error {
  /** C function that failed, e.g. 'tox_friend_send_message'. */
  readonly fn: string;
  /** Enum constant name, e.g. 'TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_FOUND'. */
  readonly code: string;
  /** Numeric value of the error code. */
  readonly value: number;

  constructor(fn: string, code: string, value: number) {
    super(`${fn} failed: ${code}`);
    this.name = 'ToxError';
    this.fn = fn;
    this.code = code;
    this.value = value;
  }
}

/** Error enum typedef name -> constant names, index = numeric value. */
export const TOX_ERR = {
  // tox.h
  Tox_Err_Options_New: ['TOX_ERR_OPTIONS_NEW_OK', 'TOX_ERR_OPTIONS_NEW_MALLOC'],
  Tox_Err_New: [
    'TOX_ERR_NEW_OK',
    'TOX_ERR_NEW_NULL',
    'TOX_ERR_NEW_MALLOC',
    'TOX_ERR_NEW_PORT_ALLOC',
    'TOX_ERR_NEW_PROXY_BAD_TYPE',
    'TOX_ERR_NEW_PROXY_BAD_HOST',
    'TOX_ERR_NEW_PROXY_BAD_PORT',
    'TOX_ERR_NEW_PROXY_NOT_FOUND',
    'TOX_ERR_NEW_LOAD_ENCRYPTED',
    'TOX_ERR_NEW_LOAD_BAD_FORMAT',
  ],
  Tox_Err_Bootstrap: ['TOX_ERR_BOOTSTRAP_OK', 'TOX_ERR_BOOTSTRAP_NULL', 'TOX_ERR_BOOTSTRAP_BAD_HOST', 'TOX_ERR_BOOTSTRAP_BAD_PORT'],
  Tox_Err_Set_Info: ['TOX_ERR_SET_INFO_OK', 'TOX_ERR_SET_INFO_NULL', 'TOX_ERR_SET_INFO_TOO_LONG'],
  Tox_Err_Friend_Add: [
    'TOX_ERR_FRIEND_ADD_OK',
    'TOX_ERR_FRIEND_ADD_NULL',
    'TOX_ERR_FRIEND_ADD_TOO_LONG',
    'TOX_ERR_FRIEND_ADD_NO_MESSAGE',
    'TOX_ERR_FRIEND_ADD_OWN_KEY',
    'TOX_ERR_FRIEND_ADD_ALREADY_SENT',
    'TOX_ERR_FRIEND_ADD_BAD_CHECKSUM',
    'TOX_ERR_FRIEND_ADD_SET_NEW_NOSPAM',
    'TOX_ERR_FRIEND_ADD_MALLOC',
  ],
  Tox_Err_Friend_Delete: ['TOX_ERR_FRIEND_DELETE_OK', 'TOX_ERR_FRIEND_DELETE_FRIEND_NOT_FOUND'],
  Tox_Err_Friend_By_Public_Key: ['TOX_ERR_FRIEND_BY_PUBLIC_KEY_OK', 'TOX_ERR_FRIEND_BY_PUBLIC_KEY_NULL', 'TOX_ERR_FRIEND_BY_PUBLIC_KEY_NOT_FOUND'],
  Tox_Err_Friend_Get_Public_Key: ['TOX_ERR_FRIEND_GET_PUBLIC_KEY_OK', 'TOX_ERR_FRIEND_GET_PUBLIC_KEY_FRIEND_NOT_FOUND'],
  Tox_Err_Friend_Get_Last_Online: ['TOX_ERR_FRIEND_GET_LAST_ONLINE_OK', 'TOX_ERR_FRIEND_GET_LAST_ONLINE_FRIEND_NOT_FOUND'],
  Tox_Err_Friend_Query: ['TOX_ERR_FRIEND_QUERY_OK', 'TOX_ERR_FRIEND_QUERY_NULL', 'TOX_ERR_FRIEND_QUERY_FRIEND_NOT_FOUND'],
  Tox_Err_Set_Typing: ['TOX_ERR_SET_TYPING_OK', 'TOX_ERR_SET_TYPING_FRIEND_NOT_FOUND'],
  Tox_Err_Friend_Send_Message: [
    'TOX_ERR_FRIEND_SEND_MESSAGE_OK',
    'TOX_ERR_FRIEND_SEND_MESSAGE_NULL',
    'TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_FOUND',
    'TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_CONNECTED',
    'TOX_ERR_FRIEND_SEND_MESSAGE_SENDQ',
    'TOX_ERR_FRIEND_SEND_MESSAGE_TOO_LONG',
    'TOX_ERR_FRIEND_SEND_MESSAGE_EMPTY',
  ],
  Tox_Err_File_Control: [
    'TOX_ERR_FILE_CONTROL_OK',
    'TOX_ERR_FILE_CONTROL_FRIEND_NOT_FOUND',
    'TOX_ERR_FILE_CONTROL_FRIEND_NOT_CONNECTED',
    'TOX_ERR_FILE_CONTROL_NOT_FOUND',
    'TOX_ERR_FILE_CONTROL_NOT_PAUSED',
    'TOX_ERR_FILE_CONTROL_DENIED',
    'TOX_ERR_FILE_CONTROL_ALREADY_PAUSED',
    'TOX_ERR_FILE_CONTROL_SENDQ',
  ],
  Tox_Err_File_Seek: [
    'TOX_ERR_FILE_SEEK_OK',
    'TOX_ERR_FILE_SEEK_FRIEND_NOT_FOUND',
    'TOX_ERR_FILE_SEEK_FRIEND_NOT_CONNECTED',
    'TOX_ERR_FILE_SEEK_NOT_FOUND',
    'TOX_ERR_FILE_SEEK_DENIED',
    'TOX_ERR_FILE_SEEK_INVALID_POSITION',
    'TOX_ERR_FILE_SEEK_SENDQ',
  ],
  Tox_Err_File_Get: ['TOX_ERR_FILE_GET_OK', 'TOX_ERR_FILE_GET_NULL', 'TOX_ERR_FILE_GET_FRIEND_NOT_FOUND', 'TOX_ERR_FILE_GET_NOT_FOUND'],
  Tox_Err_File_By_Id: ['TOX_ERR_FILE_BY_ID_OK', 'TOX_ERR_FILE_BY_ID_NULL', 'TOX_ERR_FILE_BY_ID_FRIEND_NOT_FOUND', 'TOX_ERR_FILE_BY_ID_NOT_FOUND'],
  Tox_Err_File_Send: [
    'TOX_ERR_FILE_SEND_OK',
    'TOX_ERR_FILE_SEND_NULL',
    'TOX_ERR_FILE_SEND_FRIEND_NOT_FOUND',
    'TOX_ERR_FILE_SEND_FRIEND_NOT_CONNECTED',
    'TOX_ERR_FILE_SEND_NAME_TOO_LONG',
    'TOX_ERR_FILE_SEND_TOO_MANY',
  ],
  Tox_Err_File_Send_Chunk: [
    'TOX_ERR_FILE_SEND_CHUNK_OK',
    'TOX_ERR_FILE_SEND_CHUNK_NULL',
    'TOX_ERR_FILE_SEND_CHUNK_FRIEND_NOT_FOUND',
    'TOX_ERR_FILE_SEND_CHUNK_FRIEND_NOT_CONNECTED',
    'TOX_ERR_FILE_SEND_CHUNK_NOT_FOUND',
    'TOX_ERR_FILE_SEND_CHUNK_NOT_TRANSFERRING',
    'TOX_ERR_FILE_SEND_CHUNK_INVALID_LENGTH',
    'TOX_ERR_FILE_SEND_CHUNK_SENDQ',
    'TOX_ERR_FILE_SEND_CHUNK_WRONG_POSITION',
  ],
  Tox_Err_Friend_Custom_Packet: [
    'TOX_ERR_FRIEND_CUSTOM_PACKET_OK',
    'TOX_ERR_FRIEND_CUSTOM_PACKET_NULL',
    'TOX_ERR_FRIEND_CUSTOM_PACKET_FRIEND_NOT_FOUND',
    'TOX_ERR_FRIEND_CUSTOM_PACKET_FRIEND_NOT_CONNECTED',
    'TOX_ERR_FRIEND_CUSTOM_PACKET_INVALID',
    'TOX_ERR_FRIEND_CUSTOM_PACKET_EMPTY',
    'TOX_ERR_FRIEND_CUSTOM_PACKET_TOO_LONG',
    'TOX_ERR_FRIEND_CUSTOM_PACKET_SENDQ',
  ],
  Tox_Err_Get_Port: ['TOX_ERR_GET_PORT_OK', 'TOX_ERR_GET_PORT_NOT_BOUND'],
  ...TOX_GROUP_ERR,
  // toxencryptsave.h
  Tox_Err_Key_Derivation: ['TOX_ERR_KEY_DERIVATION_OK', 'TOX_ERR_KEY_DERIVATION_NULL', 'TOX_ERR_KEY_DERIVATION_FAILED'],
  Tox_Err_Encryption: ['TOX_ERR_ENCRYPTION_OK', 'TOX_ERR_ENCRYPTION_NULL', 'TOX_ERR_ENCRYPTION_KEY_DERIVATION_FAILED', 'TOX_ERR_ENCRYPTION_FAILED'],
  Tox_Err_Decryption: [
    'TOX_ERR_DECRYPTION_OK',
    'TOX_ERR_DECRYPTION_NULL',
    'TOX_ERR_DECRYPTION_INVALID_LENGTH',
    'TOX_ERR_DECRYPTION_BAD_FORMAT',
    'TOX_ERR_DECRYPTION_KEY_DERIVATION_FAILED',
    'TOX_ERR_DECRYPTION_FAILED',
  ],
  Tox_Err_Get_Salt: ['TOX_ERR_GET_SALT_OK', 'TOX_ERR_GET_SALT_NULL', 'TOX_ERR_GET_SALT_BAD_FORMAT'],
} as const;

export type ToxErrEnum = keyof typeof TOX_ERR;

function lookup(table: ToxErrEnum, value: number): string {
  return TOX_ERR[table][value] ?? `${table.toUpperCase()}_UNKNOWN_${value}`;
}

/**
 * Throws ToxError unless the error code is 0 (the _OK value of every Tox_Err_*).
 * `value` may also be the Int32Array(1) that was passed as the `_Out_ int *error` parameter.
 */
export function check(fn: string, enumName: ToxErrEnum, value: number | Int32Array): void {
  const v = typeof value === 'number' ? value : (value[0] ?? 0);
  if (v !== 0) throw new ToxError(fn, lookup(enumName, v), v);
}
