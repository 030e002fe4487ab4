// Child process for the Argon2id memory test and bench (test/unit/kdf-memory.test.ts,
// bench/footprint.ts): measures this process's RSS after a garbage collection before and
// after one Argon2id MODERATE derivation, and prints one line of JSON. Runs with
// `node --expose-gc`, in a process of its own so the caller's heap plays no part.
//   inproc — the old way: crypto_pwhash on this process's own libsodium (the positive control)
//   store  — the real thing: a store created and unlocked with a passphrase (two derivations,
//            each in a worker thread)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sodium } from '../../src/core/store/sodium';
import { Store } from '../../src/core/store/store';

export interface KdfProbeResult {
  mode: 'inproc' | 'store';
  /** RSS in bytes after gc: libsodium ready, nothing derived yet. */
  before: number;
  /** After the store was created (store mode only). */
  created: number | null;
  /** After the unlock (store mode) or the derivation (inproc mode). */
  after: number;
  /** Wall time of the unlock or derivation. */
  ms: number;
}

function rssAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  return process.memoryUsage().rss;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode !== 'inproc' && mode !== 'store') throw new Error('usage: kdfProbe.js inproc|store');
  const s = await sodium();
  // One sealed box first, as every store user does: libsodium's own start-up is not Argon2id.
  s.crypto_aead_xchacha20poly1305_ietf_encrypt(new Uint8Array(64), null, null, new Uint8Array(24), new Uint8Array(32));
  const before = rssAfterGc();
  let created: number | null = null;
  const t0 = performance.now();
  let ms: number;
  if (mode === 'inproc') {
    const salt = s.randombytes_buf(s.crypto_pwhash_SALTBYTES);
    s.crypto_pwhash(32, 'probe passphrase', salt, s.crypto_pwhash_OPSLIMIT_MODERATE, s.crypto_pwhash_MEMLIMIT_MODERATE, s.crypto_pwhash_ALG_ARGON2ID13);
    ms = performance.now() - t0;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'toxync-kdf-probe-'));
    try {
      (await Store.create(dir, { passphrase: 'probe passphrase', keychain: false })).close();
      created = rssAfterGc();
      const t1 = performance.now();
      const store = await Store.open(dir, { passphrase: 'probe passphrase' });
      ms = performance.now() - t1;
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const result: KdfProbeResult = { mode, before, created, after: rssAfterGc(), ms };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`kdfProbe: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
