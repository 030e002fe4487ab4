// The store's cryptography, in one place: authenticated encryption with a domain label in the
// associated data (so a ciphertext made for one purpose never opens as another), key
// wrapping under a passphrase (Argon2id, in a worker thread: kdf.ts), and wiping. XChaCha20-Poly1305 takes 192-bit random
// nonces, so nonces can be drawn at random for every record without a counter to persist.

import { deriveInWorker, type KdfRunOptions } from './kdf';
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

/** The part of libsodium's Emscripten module that BoxOpener uses (libsodium-wrappers exports
 *  it as `libsodium`; i64 arguments are passed as two i32 halves, low first). */
interface RawSodium {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _crypto_aead_xchacha20poly1305_ietf_decrypt(
    m: number,
    mlenP: number,
    nsec: number,
    c: number,
    clenLo: number,
    clenHi: number,
    ad: number,
    adlenLo: number,
    adlenHi: number,
    npub: number,
    k: number,
  ): number;
}

function rawSodium(s: Sodium): RawSodium | null {
  const raw = (s as unknown as { libsodium?: Partial<RawSodium> }).libsodium;
  return raw &&
    raw.HEAPU8 instanceof Uint8Array &&
    typeof raw._malloc === 'function' &&
    typeof raw._free === 'function' &&
    typeof raw._crypto_aead_xchacha20poly1305_ietf_decrypt === 'function'
    ? (raw as RawSodium)
    : null;
}

/** `open` for many boxes under one key (a conversation log at unlock), same primitive, same
 *  result. The wrappers' `open` allocates, copies in and frees key, nonce, ciphertext, AD and
 *  output in libsodium's heap on every call — 70% of the time on short records. This copies
 *  the key in once and reuses one scratch area, wiped after every record (the wrappers leave
 *  theirs as they were when freed); close() wipes and frees both. Falls back to `open` where the raw module is not there. */
export class BoxOpener {
  private readonly raw: RawSodium | null;
  private keyPtr = 0;
  private buf = 0;
  private cap = 0;
  private closed = false;

  constructor(
    private readonly s: Sodium,
    private readonly key: Uint8Array,
  ) {
    const raw = rawSodium(s);
    this.keyPtr = raw ? raw._malloc(KEY_BYTES) : 0;
    this.raw = this.keyPtr ? raw : null;
    this.raw?.HEAPU8.set(key, this.keyPtr);
  }

  open(box: Uint8Array, ad: Uint8Array): Uint8Array {
    if (this.closed) throw new Error('this BoxOpener is closed');
    const raw = this.raw;
    if (!raw) return open(this.s, this.key, box, ad);
    if (box.length < SEAL_OVERHEAD) throw new DecryptError('too short to be encrypted data');
    const need = 2 * box.length + ad.length;
    if (need > this.cap) {
      this.release(raw, this.buf, this.cap);
      this.buf = raw._malloc(need);
      this.cap = this.buf ? need : 0;
      if (!this.buf) throw new RangeError('out of memory in libsodium');
    }
    // Read HEAPU8 only after _malloc: a grown heap is a new view.
    const heap = raw.HEAPU8;
    const c = this.buf;
    const a = c + box.length;
    const m = a + ad.length;
    const clen = box.length - NONCE_BYTES;
    const mlen = clen - TAG_BYTES;
    heap.set(box, c);
    heap.set(ad, a);
    const rc = raw._crypto_aead_xchacha20poly1305_ietf_decrypt(m, 0, 0, c + NONCE_BYTES, clen, 0, a, ad.length, 0, c, this.keyPtr);
    const out = rc === 0 ? heap.slice(m, m + mlen) : null;
    heap.fill(0, m, m + mlen);
    if (!out) throw new DecryptError('the data does not authenticate (wrong key or damaged)');
    return out;
  }

  private release(raw: RawSodium, p: number, n: number): void {
    if (!p) return;
    raw.HEAPU8.fill(0, p, p + n);
    raw._free(p);
  }

  /** Wipes and frees the key copy and the scratch area. Idempotent. */
  close(): void {
    this.closed = true;
    if (!this.raw) return;
    this.release(this.raw, this.buf, this.cap);
    this.release(this.raw, this.keyPtr, KEY_BYTES);
    this.buf = this.cap = this.keyPtr = 0;
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
