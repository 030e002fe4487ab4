// A whole encrypted file (the Tox profile, the state document): "TXYB", a version byte, then
// one sealed box. Replaced atomically on every save, so a crash leaves the old or the new one.

import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../sys/atomicWrite';
import { DecryptError, open, seal } from './crypto';
import { StoreError } from './storeErrors';
import { pad, unpad } from './frame';
import type { Sodium } from './sodium';

const MAGIC = [0x54, 0x58, 0x59, 0x42]; // "TXYB"
const VERSION = 1;
const HEADER = MAGIC.length + 1;
const BUCKET = 4096;

function ad(purpose: string): string {
  return `toxync/blob/v${VERSION}/${purpose}`;
}

export function writeBlob(s: Sodium, key: Uint8Array, path: string, purpose: string, data: Uint8Array): void {
  const framed = pad(data, BUCKET);
  const box = seal(s, key, framed, ad(purpose));
  s.memzero(framed);
  const out = new Uint8Array(HEADER + box.length);
  out.set(MAGIC, 0);
  out[MAGIC.length] = VERSION;
  out.set(box, HEADER);
  writeFileAtomic(path, out);
}

/** The file's content, or null if there is no such file. Throws StoreError CORRUPT when it
 *  does not authenticate (the key was checked against the vault before, so a failure here
 *  means damage or tampering, not a wrong key). */
export function readBlob(s: Sodium, key: Uint8Array, path: string, purpose: string): Uint8Array | null {
  if (!existsSync(path)) return null;
  const raw = new Uint8Array(readFileSync(path));
  if (raw.length < HEADER || MAGIC.some((b, i) => raw[i] !== b)) throw new StoreError('CORRUPT', `${purpose} file is not a toxync file`);
  if (raw[MAGIC.length] !== VERSION) throw new StoreError('UNSUPPORTED_VERSION', `${purpose} file was written by a newer toxync`);
  try {
    const data = unpad(open(s, key, raw.subarray(HEADER), ad(purpose)));
    if (!data) throw new StoreError('CORRUPT', `${purpose} file is damaged`);
    return data;
  } catch (e) {
    if (e instanceof DecryptError) throw new StoreError('CORRUPT', `${purpose} file is damaged or was altered`);
    throw e;
  }
}
