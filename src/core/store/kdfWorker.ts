// The worker thread that runs Argon2id (kdf.ts starts it). It loads its own libsodium,
// derives one key, hands it over and ends: the 256 MiB that Argon2id MODERATE adds to
// libsodium's WebAssembly heap (which never shrinks) goes away with this thread instead of
// staying in the extension host or the Tox node for their whole life.

import { parentPort, workerData } from 'node:worker_threads';
import { kdfRequest, type KdfReply } from './kdfProtocol';
import { sodium } from './sodium';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('kdfWorker runs only as a worker thread');
  let reply: KdfReply;
  try {
    const r = kdfRequest(workerData, 'workerData');
    const s = await sodium();
    const derived = s.crypto_pwhash(r.keyBytes, r.passphrase, r.salt, r.opslimit, r.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
    // A copy in a buffer of its own, so it can be transferred (not copied) and the
    // original wiped here.
    const key = new Uint8Array(derived.length);
    key.set(derived);
    s.memzero(derived);
    reply = { t: 'key', key: key.buffer };
    port.postMessage(reply, [key.buffer]);
  } catch (e) {
    reply = { t: 'error', error: (e instanceof Error ? e.message : String(e)).slice(0, 4096) };
    port.postMessage(reply);
  }
}

void main();
