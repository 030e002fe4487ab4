// The store's cryptography, in one place: authenticated encryption with a domain label in the
// associated data (so a ciphertext made for one purpose never opens as another), key
// wrapping under a passphrase (Argon2id, in a worker thread: kdf.ts), and wiping. XChaCha20-Poly1305 takes 192-bit random
// nonces, so nonces can be drawn at random for every record without a counter to persist.

import { deriveInWorker, KdfRunOptions } from './kdf';
import type { Sodium } from './sodium';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;
/** Bytes a sealed box adds to its plaintext: nonce + tag. */
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES;

/** Raised when data does not authenticate: a wrong key or passphrase, or damaged bytes. */
export class DecryptError extends Error {
  override readonly name = 'DecryptError';
}

export function newDataKey(s: Sodium): Uint8Array {
  return s.randombytes_buf(KEY_BYTES);
}

/** nonce ‖ ciphertext ‖ tag. */
export function seal(s: Sodium, key: Uint8Array, plaintext: Uint8Array, ad: Uint8Array | string): Uint8Array {
  const nonce = s.randombytes_buf(NONCE_BYTES);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
  const out = new Uint8Array(NONCE_BYTES + ct.length);
  out.set(nonce, 0);
  out.set(ct, NONCE_BYTES);
  return out;
}

export function open(s: Sodium, key: Uint8Array, box: Uint8Array, ad: Uint8Array | string): Uint8Array {
  if (box.length < SEAL_OVERHEAD) throw new DecryptError('too short to be encrypted data');
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, box.subarray(NONCE_BYTES), ad, box.subarray(0, NONCE_BYTES), key);
  } catch {
    throw new DecryptError('the data does not authenticate (wrong key or damaged)');
  }
}

/** Argon2id cost. MODERATE (256 MiB, 3 passes, ~1.4 s here) by default; tests may ask for less. */
export interface KdfParams {
  opslimit: number;
  memlimit: number;
}

export function defaultKdf(s: Sodium): KdfParams {
  return { opslimit: s.crypto_pwhash_OPSLIMIT_MODERATE, memlimit: s.crypto_pwhash_MEMLIMIT_MODERATE };
}

export function fastKdf(s: Sodium): KdfParams {
  return { opslimit: s.crypto_pwhash_OPSLIMIT_MIN, memlimit: s.crypto_pwhash_MEMLIMIT_MIN };
}

/** Argon2id13, always in a short-lived worker thread (kdf.ts says why). */
export async function passphraseKey(passphrase: string, salt: Uint8Array, p: KdfParams, o?: KdfRunOptions): Promise<Uint8Array> {
  if (passphrase.length === 0) throw new RangeError('the passphrase is empty');
  return deriveInWorker({ passphrase, salt, opslimit: p.opslimit, memlimit: p.memlimit, keyBytes: KEY_BYTES }, o);
}

export function wipe(s: Sodium, ...bufs: (Uint8Array | null | undefined)[]): void {
  for (const b of bufs) if (b && b.length) s.memzero(b);
}
