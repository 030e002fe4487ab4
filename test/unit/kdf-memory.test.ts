// Argon2id never stays on a long-lived heap: libsodium's WebAssembly memory grows by 256 MiB
// for Argon2id MODERATE and never shrinks, so key derivation runs in a short-lived worker
// thread (src/core/store/kdf.ts). The memory figures come from child processes (test/helpers/
// kdfProbe.ts), so this runner's own heap plays no part; the positive control shows that the
// probe does see the growth when the derivation runs in-process, the old way.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/sys/packageRoot';
import { deriveInWorker, KdfError } from '../../src/core/store/kdf';
import { sodium } from '../../src/core/store/sodium';
import type { KdfProbeResult } from '../helpers/kdfProbe';

const MB = 1024 * 1024;

function probe(mode: 'inproc' | 'store'): KdfProbeResult {
  const r = spawnSync(process.execPath, ['--expose-gc', join(packageRoot(), 'out', 'test', 'helpers', 'kdfProbe.js'), mode], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `kdfProbe ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as KdfProbeResult;
}

describe('Argon2id off the long-lived heap', function () {
  this.timeout(60_000);

  it('creating and unlocking a store with a passphrase (MODERATE) leaves the process less than 200 MB larger', () => {
    const r = probe('store');
    assert.ok(r.after - r.before < 200 * MB, `grew by ${((r.after - r.before) / MB).toFixed(0)} MB`);
  });

  it('positive control: the same derivation in-process grows the process by 200 MB or more', () => {
    const r = probe('inproc');
    assert.ok(r.after - r.before >= 200 * MB, `grew by only ${((r.after - r.before) / MB).toFixed(0)} MB`);
  });

  it('the worker derives exactly what libsodium derives in this thread (the vault format is unchanged)', async () => {
    const s = await sodium();
    const salt = s.randombytes_buf(s.crypto_pwhash_SALTBYTES);
    const p = { opslimit: s.crypto_pwhash_OPSLIMIT_MIN, memlimit: s.crypto_pwhash_MEMLIMIT_MIN };
    const here = s.crypto_pwhash(32, 'same passphrase', salt, p.opslimit, p.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
    const there = await deriveInWorker({ passphrase: 'same passphrase', salt, ...p, keyBytes: 32 });
    assert.deepEqual(there, here);
  });

  it('a derivation libsodium refuses is a KdfError that says so', async () => {
    const s = await sodium();
    // 8 bytes pass the boundary's guard but are not a valid Argon2id salt (16 bytes).
    await assert.rejects(
      deriveInWorker({
        passphrase: 'p',
        salt: new Uint8Array(8),
        opslimit: s.crypto_pwhash_OPSLIMIT_MIN,
        memlimit: s.crypto_pwhash_MEMLIMIT_MIN,
        keyBytes: 32,
      }),
      (e: unknown) => e instanceof KdfError && /key derivation failed/.test(e.message),
    );
  });

  it('a request the worker does not accept is refused there, not derived', async () => {
    const s = await sodium();
    await assert.rejects(
      deriveInWorker({
        passphrase: '',
        salt: new Uint8Array(16),
        opslimit: s.crypto_pwhash_OPSLIMIT_MIN,
        memlimit: s.crypto_pwhash_MEMLIMIT_MIN,
        keyBytes: 32,
      }),
      (e: unknown) => e instanceof KdfError && /passphrase/.test(e.message),
    );
  });

  it('a cancelled derivation ends its worker and rejects', async () => {
    const s = await sodium();
    const req = {
      passphrase: 'p',
      salt: new Uint8Array(16),
      opslimit: s.crypto_pwhash_OPSLIMIT_MODERATE,
      memlimit: s.crypto_pwhash_MEMLIMIT_MODERATE,
      keyBytes: 32,
    };
    const ac = new AbortController();
    const running = deriveInWorker(req, { signal: ac.signal });
    ac.abort();
    await assert.rejects(running, (e: unknown) => e instanceof KdfError && /cancelled/.test(e.message));
    await assert.rejects(deriveInWorker(req, { signal: ac.signal }), (e: unknown) => e instanceof KdfError && /cancelled/.test(e.message));
  });
});
