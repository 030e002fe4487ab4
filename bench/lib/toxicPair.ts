// The reference client for the file figure: two toxic instances (in tmux, via
// test/helpers/toxic.ts) bootstrapping from a toxync seed node, befriended and each in the
// other's chat window, and one timed file run between them under the same rule as toxync's.

import { rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ToxicPeer } from '../../test/helpers/toxic';
import { type FileRun, timeoutFor } from './fileRun';
import { log, now, onCleanup, sleep, verifyFile } from './harness';
import { startPeer } from './toxyncPair';

export interface ToxicPair {
  a: ToxicPeer;
  b: ToxicPeer;
  /** Public keys: A's of B, B's of A. */
  aSeesB: string;
  bSeesA: string;
}

async function startToxic(name: string, seed: { udpPort: number; dhtKey: string }): Promise<ToxicPeer> {
  const t = await ToxicPeer.start(seed, { name, cols: 250, rows: 50, connectTimeoutMs: 90_000 });
  onCleanup(name, async () => {
    await t.stop();
    t.cleanup();
  });
  return t;
}

export async function toxicPair(root: string): Promise<ToxicPair> {
  log('starting a toxync seed node and two toxic instances (tmux) bootstrapping from it');
  const seed = startPeer('seed', root);
  const info = await seed.ready();
  if (!info.udp_port) throw new Error('seed node has no UDP port');
  const node = { udpPort: info.udp_port, dhtKey: info.dht_id };
  const t = now();
  const started = await Promise.allSettled([startToxic('toxic-A', node), startToxic('toxic-B', node)]);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [a, b] = started.map((r) => (r as PromiseFulfilledResult<ToxicPeer>).value) as [ToxicPeer, ToxicPeer];
  log(`toxic A and B are DHT-connected (${((now() - t) / 1000).toFixed(1)} s)`);
  const aKey = await a.publicKey();
  const bKey = await b.publicKey();
  await a.add(await b.toxId(), 'toxync-bench'); // toxic sends only one-word request messages intact
  await b.accept(await b.waitForRequest('toxync-bench', 60_000));
  await Promise.all([a.waitForOnline(bKey, 60_000), b.waitForOnline(aKey, 60_000)]);
  log(`toxic A and B are friends and online (${((now() - t) / 1000).toFixed(1)} s after start)`);
  // each side stays in the chat window with the other
  await a.openChat(bKey);
  await b.openChat(aKey);
  return { a, b, aSeesB: bKey, bSeesA: aKey };
}

export function toxicPid(t: ToxicPeer): number {
  if (t.processId === null) throw new Error(`${t.name}: toxic is not running`);
  return t.processId;
}

export async function toxicFileRun(p: ToxicPair, src: string, sha: string, run: number, bytes: number): Promise<FileRun> {
  const { a, b } = p;
  await a.clearChat(p.aSeesB);
  await b.clearChat(p.bSeesA);
  await sleep(300);
  rmSync(join(b.downloadDir, basename(src)), { force: true });

  const tStart = await a.sendFile(p.aSeesB, src);
  const { seenAt: tAccept } = await b.acceptFileOffer(p.bSeesA, 30_000);
  // Where toxic saves it (download_path + name; removed above): not the path parsed from the
  // screen, where an earlier run's "Saving file [0] as" line can still be.
  const dest = join(b.downloadDir, basename(src));
  const deadline = Date.now() + timeoutFor(bytes);
  let tDone = 0;
  let lastCheck = Date.now();
  for (;;) {
    let size = -1;
    try {
      size = statSync(dest).size;
    } catch {
      /* not created yet */
    }
    if (size >= bytes) {
      tDone = now();
      break;
    }
    if (Date.now() > deadline) throw new Error(`toxic run ${run}: file incomplete after ${timeoutFor(bytes) / 1000} s (${size} bytes)`);
    if (Date.now() - lastCheck > 2000) {
      lastCheck = Date.now();
      if (!a.isRunning() || !b.isRunning()) throw new Error(`toxic run ${run}: toxic exited during the transfer`);
      const failures = await b.fileTransferFailures();
      if (failures.length > 0) throw new Error(`toxic run ${run}: transfer failed: ${failures.join(' | ')}`);
    }
    await sleep(10);
  }
  const seconds = (tDone - tStart) / 1000;
  await b.waitForFileDone(p.bSeesA, src, 'received', 30_000);
  await a.waitForFileDone(p.aSeesB, src, 'sent', 30_000);
  await verifyFile(dest, bytes, sha, `toxic run ${run}`);
  rmSync(dest, { force: true });
  return { seconds, acceptToDoneSeconds: (tDone - tAccept) / 1000, mbps: bytes / 1e6 / seconds };
}
