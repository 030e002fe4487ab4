// toxencryptsave.h: the passphrase-encrypted profile format ("toxEsave" magic) that qTox,
// toxic and uTox read and write. toxync's own store uses its own format (store/); this is
// for export and import only, so a profile moves between toxync and other clients.

import { check } from './errors';
import type { ToxLib } from './ffi';

/** Magic at the start of an encrypted savedata file. */
export const TOX_ENC_SAVE_MAGIC = 'toxEsave';
const MAX_PASSPHRASE_BYTES = 4096;
const MAX_DATA_BYTES = 64 << 20;

function passBytes(passphrase: string): Buffer {
  const b = Buffer.from(passphrase, 'utf8');
  if (b.length === 0) throw new RangeError('the passphrase is empty');
  if (b.length > MAX_PASSPHRASE_BYTES) throw new RangeError('the passphrase is too long');
  return b;
}

export function isDataEncrypted(lib: ToxLib, data: Uint8Array): boolean {
  // tox_is_data_encrypted reads TOX_ENC_SAVE_MAGIC_LENGTH bytes without a length argument.
  if (data.length < TOX_ENC_SAVE_MAGIC.length) return false;
  return lib.tox_is_data_encrypted(Buffer.from(data)) as boolean;
}

/** tox_pass_encrypt: savedata → "toxEsave…" bytes. Throws ToxError (Tox_Err_Encryption). */
export function passEncrypt(lib: ToxLib, plaintext: Uint8Array, passphrase: string): Buffer {
  if (plaintext.length === 0 || plaintext.length > MAX_DATA_BYTES) throw new RangeError('nothing to encrypt, or too much');
  const pass = passBytes(passphrase);
  const out = Buffer.alloc(plaintext.length + (lib.tox_pass_encryption_extra_length() as number));
  const err = new Int32Array(1);
  lib.tox_pass_encrypt(Buffer.from(plaintext), plaintext.length, pass, pass.length, out, err);
  pass.fill(0);
  check('tox_pass_encrypt', 'Tox_Err_Encryption', err);
  return out;
}

/** tox_pass_decrypt. Throws ToxError (Tox_Err_Decryption; _FAILED means a wrong passphrase). */
export function passDecrypt(lib: ToxLib, ciphertext: Uint8Array, passphrase: string): Buffer {
  const extra = lib.tox_pass_encryption_extra_length() as number;
  if (ciphertext.length <= extra || ciphertext.length > MAX_DATA_BYTES + extra) throw new RangeError('not a toxencryptsave file (wrong length)');
  if (!isDataEncrypted(lib, ciphertext)) throw new RangeError('not a toxencryptsave file (no toxEsave magic)');
  const pass = passBytes(passphrase);
  const out = Buffer.alloc(ciphertext.length - extra);
  const err = new Int32Array(1);
  lib.tox_pass_decrypt(Buffer.from(ciphertext), ciphertext.length, pass, pass.length, out, err);
  pass.fill(0);
  check('tox_pass_decrypt', 'Tox_Err_Decryption', err);
  return out;
}
