// Argon2id off the caller's heap. libsodium's WebAssembly memory grows to fit Argon2id's
// 256 MiB (MODERATE) and never shrinks, so running it in the extension host or a Tox node
// would keep ~260 MB there for the process's whole life (measured: 52 → 312 MB RSS). Each
// derivation therefore runs in a fresh worker thread (kdfWorker.ts) that loads its own
// libsodium, posts the key back and is terminated; its memory goes with it (measured: the
// process keeps ~8 MB, the same as for any worker, and nothing more on later unlocks).
// A worker thread rather than a child process: no second Node binary to find (the extension
// host runs inside Electron) and ~150 ms less per unlock; both return the memory.
//
// The worker is one file, dist/kdfWorker.js, found from the package root like native-
// prebuilds/ and data/ (src/sys/packageRoot.ts), so the same path works from dist/ (extension,
// CLI, Tox node), from an installed .vsix and from the out/ test and bench bundles.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../sys/packageRoot';
import { check } from '../../protocol/guard';
import { type KdfRequest, kdfReply } from './kdfProtocol';

/** Longer than any sane Argon2id cost on a slow machine, short of hanging forever. */
const DEFAULT_TIMEOUT_MS = 120_000;

/** The key derivation could not run (the worker failed, timed out or was cancelled): not a
 *  wrong passphrase, which derives a key that then fails to authenticate. */
export class KdfError extends Error {
  override readonly name = 'KdfError';
}

export function kdfWorkerPath(): string {
  return join(packageRoot(), 'dist', 'kdfWorker.js');
}

export interface KdfRunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Runs Argon2id in a short-lived worker thread and resolves once the worker has ended. */
export function deriveInWorker(req: KdfRequest, o: KdfRunOptions = {}): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(new KdfError('key derivation cancelled'));
    let worker: Worker;
    try {
      worker = new Worker(kdfWorkerPath(), { workerData: req });
    } catch (e) {
      return reject(new KdfError(`key derivation worker did not start: ${e instanceof Error ? e.message : String(e)}`));
    }
    let key: Uint8Array | null = null;
    let failure: Error | null = null;
    const fail = (e: Error) => {
      failure ??= e;
      void worker.terminate();
    };
    const onAbort = () => fail(new KdfError('key derivation cancelled'));
    const timer = setTimeout(
      () => fail(new KdfError(`key derivation took longer than ${o.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`)),
      o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    o.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: unknown) => {
      const r = check(kdfReply, m);
      if (!r.ok) return fail(new KdfError(`key derivation worker sent an invalid reply (${r.error})`));
      if (r.value.t === 'error') return fail(new KdfError(`key derivation failed: ${r.value.error}`));
      if (key || r.value.key.byteLength !== req.keyBytes) return fail(new KdfError('key derivation worker sent an unexpected key'));
      key = new Uint8Array(r.value.key);
      void worker.terminate(); // done: do not wait for its event loop to drain
    });
    worker.on('error', (e) => fail(new KdfError(`key derivation worker crashed: ${e.message}`)));
    // Settles only here, once the thread is gone, so its memory is released before the
    // caller goes on.
    worker.once('exit', (code) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (key && !failure) return resolve(key);
      key?.fill(0);
      reject(failure ?? new KdfError(`key derivation worker exited (code ${code}) without a key`));
    });
  });
}
