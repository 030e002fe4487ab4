// vault.json: how the data key of one store is reached, without containing it in the clear.
// The data key is 256 random bits. It can be kept by the caller (the extension keeps it in
// VS Code SecretStorage) and/or wrapped here under a passphrase (Argon2id → XChaCha20-
// Poly1305). A key check (a constant sealed with the data key) tells a wrong key from a
// damaged store. Changing the passphrase re-wraps the key: no data is re-encrypted.
// Nothing in this file names a friend or says anything about the profile.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { array, check, int, literal, nullable, obj, str } from '../../protocol/guard';
import { writeFileAtomic } from '../../sys/atomicWrite';
import { DecryptError, type KdfParams, KEY_BYTES, open, passphraseKey, seal, wipe } from './crypto';
import { StoreError } from './storeErrors';
import type { Sodium } from './sodium';

export const VAULT_FILE = 'vault.json';
const CHECK_AD = 'toxync/vault/check/v1';
const WRAP_AD = 'toxync/vault/wrap/v1';
const CHECK_TEXT = 'toxync key check';

const b64 = str({ max: 4096, pattern: /^[A-Za-z0-9+/]*={0,2}$/ });
const vaultShape = obj({
  format: literal('toxync-vault'),
  version: int({ min: 1 }),
  check: b64,
  passphrase: nullable(
    obj({
      kdf: literal('argon2id13'),
      opslimit: int({ min: 1, max: 2 ** 32 - 1 }),
      memlimit: int({ min: 8192, max: 2 ** 32 - 1 }),
      salt: b64,
      wrapped: b64,
    }),
  ),
  /** Where else the key is kept, as a hint for the UI ("keychain"): never the key itself. */
  holders: array(literal('keychain'), { max: 4 }),
});
export type VaultFile = ReturnType<typeof vaultShape>;

const enc = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const dec = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

export function vaultPath(dir: string): string {
  return join(dir, VAULT_FILE);
}

export function readVault(dir: string): VaultFile | null {
  const p = vaultPath(dir);
  if (!existsSync(p)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    throw new StoreError('CORRUPT', `${VAULT_FILE} is damaged (not JSON)`);
  }
  if (typeof raw === 'object' && raw && (raw as { version?: unknown }).version !== 1 && typeof (raw as { version?: unknown }).version === 'number') {
    throw new StoreError('UNSUPPORTED_VERSION', `${VAULT_FILE} was written by a newer toxync`);
  }
  const v = check(vaultShape, raw);
  if (!v.ok) throw new StoreError('CORRUPT', `${VAULT_FILE} is damaged (${v.error})`);
  return v.value;
}

export interface VaultOptions {
  passphrase: string | null;
  kdf: KdfParams;
  holders: 'keychain'[];
}

async function wrapUnder(s: Sodium, key: Uint8Array, passphrase: string, kdf: KdfParams): Promise<NonNullable<VaultFile['passphrase']>> {
  const salt = s.randombytes_buf(s.crypto_pwhash_SALTBYTES);
  const pk = await passphraseKey(passphrase, salt, kdf);
  try {
    return { kdf: 'argon2id13', opslimit: kdf.opslimit, memlimit: kdf.memlimit, salt: enc(salt), wrapped: enc(seal(s, pk, key, WRAP_AD)) };
  } finally {
    wipe(s, pk);
  }
}

/** Writes the vault of a new store (or replaces how its key is reached). */
export async function writeVault(s: Sodium, dir: string, key: Uint8Array, o: VaultOptions): Promise<VaultFile> {
  if (key.length !== KEY_BYTES) throw new RangeError('a data key has 32 bytes');
  // The key is copied first: the caller may wipe its own while Argon2id runs.
  const own = key.slice();
  try {
    return writeVaultWith(s, dir, own, o.passphrase === null ? null : await wrapUnder(s, own, o.passphrase, o.kdf), o.holders);
  } finally {
    wipe(s, own);
  }
}

function writeVaultWith(s: Sodium, dir: string, key: Uint8Array, passphrase: VaultFile['passphrase'], holders: VaultFile['holders']): VaultFile {
  const v: VaultFile = {
    format: 'toxync-vault',
    version: 1,
    check: enc(seal(s, key, new TextEncoder().encode(CHECK_TEXT), CHECK_AD)),
    passphrase,
    holders,
  };
  writeFileAtomic(vaultPath(dir), new TextEncoder().encode(JSON.stringify(v, null, 1)));
  return v;
}

/** Unwraps the data key. Throws StoreError WRONG_PASSPHRASE (nothing touched) or NO_KEY. */
export async function unwrapKey(s: Sodium, v: VaultFile, passphrase: string): Promise<Uint8Array> {
  if (!v.passphrase) throw new StoreError('NO_KEY', 'this profile has no passphrase');
  const p = v.passphrase;
  const pk = await passphraseKey(passphrase, dec(p.salt), { opslimit: p.opslimit, memlimit: p.memlimit });
  try {
    const key = open(s, pk, dec(p.wrapped), WRAP_AD);
    if (!keyMatches(s, v, key)) throw new StoreError('CORRUPT', `${VAULT_FILE} is inconsistent: the unwrapped key fails the key check`);
    return key;
  } catch (e) {
    if (e instanceof DecryptError) throw new StoreError('WRONG_PASSPHRASE', 'wrong passphrase');
    throw e;
  } finally {
    wipe(s, pk);
  }
}

/** Whether `key` (e.g. from SecretStorage) is this store's data key. */
export function keyMatches(s: Sodium, v: VaultFile, key: Uint8Array): boolean {
  if (key.length !== KEY_BYTES) return false;
  try {
    return new TextDecoder().decode(open(s, key, dec(v.check), CHECK_AD)) === CHECK_TEXT;
  } catch {
    return false;
  }
}
