// One timed toxync→toxync file run, and the run's figures both clients report. The timing
// rule is the one bench/fileSpeed.ts states, and is kept identical for toxic (toxicPair.ts)
// so the ratio compares like with like.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CliPeer } from '../../test/helpers/peer';
import { now, verifyFile } from './harness';
import type { Pair } from './toxyncPair';

export interface FileRun {
  seconds: number;
  acceptToDoneSeconds: number;
  mbps: number;
}

/** Generous per-size timeouts: 300 s, or 1 s per MB beyond that (a 400 MB file at ~1 MB/s worst case is slow, not hung). */
export const timeoutFor = (bytes: number): number => Math.max(300_000, Math.ceil(bytes / 1e6) * 1000);

export async function toxyncFileRun(p: Pair, src: string, sha: string, root: string, run: number, bytes: number): Promise<FileRun> {
  const dest = join(root, `toxync-recv-${bytes}-${run}.bin`);
  rmSync(dest, { force: true });
  const name = `bench-${bytes}-${run}.bin`;
  let tDone = 0;
  let tAccept = 0;
  const failed = (peer: CliPeer) =>
    peer
      .waitForNext((e) => e.event === 'file_error' || (e.event === 'file_control' && e.control === 'cancel'), 2 * timeoutFor(bytes), 'file error')
      .then((e) => {
        throw new Error(`${peer.name}: transfer failed: ${JSON.stringify(e)}`);
      });
  const offer = p.bob.waitForNext((e) => e.event === 'file_recv' && e.friend === p.bSeesA && e.kind === 'data' && e.name === name, 30_000, 'file_recv');
  const accepted = offer.then((e) => {
    tAccept = now();
    return p.bob.command({ cmd: 'file_accept', friend: p.bSeesA, file: e.file, path: dest });
  });
  const done = p.bob.waitForNext(
    (e) => {
      if (e.event === 'file_done' && e.direction === 'recv' && e.path === dest) {
        tDone = now();
        return true;
      }
      return false;
    },
    timeoutFor(bytes),
    'file_done (recv)',
  );
  const sentDone = p.alice.waitForNext(
    (e) => e.event === 'file_done' && e.direction === 'send' && e.friend === p.aSeesB,
    timeoutFor(bytes) + 30_000,
    'file_done (send)',
  );
  const errA = failed(p.alice);
  const errB = failed(p.bob);
  for (const pr of [offer, accepted, done, sentDone, errA, errB]) (pr as Promise<unknown>).catch(() => {});

  const tStart = now();
  await Promise.race([Promise.all([p.alice.command({ cmd: 'send_file', friend: p.aSeesB, path: src, name }), accepted, done]), errA, errB]);
  const seconds = (tDone - tStart) / 1000;
  await Promise.race([sentDone, errA, errB]);
  await verifyFile(dest, bytes, sha, `toxync run ${run}`);
  rmSync(dest, { force: true });
  return { seconds, acceptToDoneSeconds: (tDone - tAccept) / 1000, mbps: bytes / 1e6 / seconds };
}
