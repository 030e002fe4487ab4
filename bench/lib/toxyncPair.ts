// Two befriended toxync CLI peers for the bench phases: Alice (no bootstrap) and Bob
// (bootstraps from Alice). Every peer is stopped by the phase's cleanup, and one that exits
// on its own mid-run is logged, since its figures would then be meaningless.

import { join } from 'node:path';
import { CliPeer, befriend, bootstrapArg } from '../../test/helpers/peer';
import { isCleaning, log, now, onCleanup } from './harness';

export interface Pair {
  alice: CliPeer;
  bob: CliPeer;
  aSeesB: number;
  bSeesA: number;
}

const stopping = new Set<CliPeer>();
export async function stopPeer(p: CliPeer): Promise<void> {
  stopping.add(p);
  await p.stop();
  p.cleanup();
}

export function startPeer(name: string, root: string, args: string[] = []): CliPeer {
  const dir = join(root, name);
  const p = CliPeer.start(name, args, dir);
  onCleanup(`toxync ${name}`, () => stopPeer(p));
  p.proc.on('exit', (code, signal) => {
    if (!isCleaning() && !stopping.has(p)) log(`warning: toxync ${name} exited (code ${code}, signal ${signal}); stderr: ${p.stderr.slice(-5).join(' | ')}`);
  });
  return p;
}

export async function toxyncPair(root: string): Promise<Pair> {
  log('starting toxync Alice and Bob (Bob bootstraps from Alice)');
  const alice = startPeer('alice', root);
  const bob = startPeer('bob', root, await bootstrapArg(alice));
  await bob.ready();
  const t = now();
  const { aSeesB, bSeesA } = await befriend(alice, bob, 'toxync bench');
  log(`Alice and Bob are friends and online (${((now() - t) / 1000).toFixed(1)} s)`);
  return { alice, bob, aSeesB, bSeesA };
}
