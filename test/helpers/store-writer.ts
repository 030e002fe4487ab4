// A child process for the crash test: opens a store and appends messages as fast as it can,
// printing "ack N" after message N is durable (append returned). The test kills it with
// SIGKILL at random moments and checks that every acknowledged message survived.
//   node store-writer.js DIR FIRST

import { Store } from '../../src/core/store/store';

const PEERS = ['A'.repeat(64), 'B'.repeat(64)];

async function main(): Promise<void> {
  const [dir, firstArg] = process.argv.slice(2);
  if (!dir || !firstArg) throw new Error('usage: store-writer DIR FIRST');
  const store = await Store.open(dir, { passphrase: 'crash test' });
  let n = Number(firstArg);
  for (;;) {
    const batch = 1 + (n % 7);
    const recs = [];
    for (let i = 0; i < batch; i++, n++) {
      recs.push({
        t: 'msg' as const,
        m: { id: `m${n}`, dir: 'in' as const, kind: 'normal' as const, text: `message ${n} ${'x'.repeat(n % 300)}`, ts: n },
      });
    }
    store.append(PEERS[n % 2]!, recs);
    if (n % 50 === 0) store.updateState((s) => (s.pruned = n)); // blob rewrites in between
    if (n % 130 === 0) store.writeProfile(new Uint8Array(2000).fill(n & 0xff));
    process.stdout.write(`ack ${n - 1}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`store-writer: ${String(e)}\n`);
  process.exit(1);
});
