// `npm run bench` part: loading a long encrypted history. Writes 100,000 messages (default)
// into a store across 20 conversations, closes it, then times a fresh open — read, decrypt,
// authenticate and index every record — with the data key (what happens at every unlock after
// the key is known). Baseline in the same run: the same messages as plain JSON lines, read
// and parsed without any cryptography, so the ratio is the price of encryption at rest.
// Also prints the passphrase unlock (Argon2id, MODERATE) on its own. Asserts nothing.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastKdf } from '../src/core/store/crypto';
import { sodium } from '../src/core/store/sodium';
import { Store } from '../src/core/store/store';
import type { ChatMessage } from '../src/protocol/webview';

const N = Number(process.env.BENCH_STORE_MESSAGES ?? 100_000);
const CONVS = 20;
const RUNS = Number(process.env.BENCH_STORE_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const s = await sodium();
  const dir = mkdtempSync(join(tmpdir(), 'toxync-bench-store-'));
  try {
    const store = await Store.create(join(dir, 'store'), { passphrase: 'bench passphrase', keychain: false, kdf: fastKdf(s) });
    const key = store.exportKey();
    const plain: string[] = [];
    const t0 = process.hrtime.bigint();
    for (let c = 0; c < CONVS; c++) {
      const peer = c.toString(16).toUpperCase().padStart(64, 'A');
      const per = Math.floor(N / CONVS);
      for (let b = 0; b < per; b += 1000) {
        const recs = [];
        for (let i = b; i < Math.min(per, b + 1000); i++) {
          const m: ChatMessage = {
            id: `m${c}-${i}`,
            dir: i % 2 ? 'in' : 'out',
            kind: 'normal',
            text: `message ${i} in conversation ${c}: ${'lorem ipsum '.repeat(1 + (i % 8))}`,
            ts: 1_700_000_000_000 + i * 1000,
            ...(i % 2 ? {} : { state: 'delivered' as const }),
          };
          recs.push({ t: 'msg' as const, m });
          plain.push(JSON.stringify({ peer, m }));
        }
        store.append(peer, recs);
      }
    }
    const writeMs = ms(t0);
    store.close();
    const plainPath = join(dir, 'plain.jsonl');
    writeFileSync(plainPath, plain.join('\n'));

    const enc: number[] = [];
    const base: number[] = [];
    let loaded = 0;
    for (let r = 0; r < RUNS; r++) {
      let t = process.hrtime.bigint();
      const st = await Store.open(join(dir, 'store'), { key });
      enc.push(ms(t));
      loaded = st.conversations().reduce((n, c) => n + c.messages.length, 0);
      st.close();
      t = process.hrtime.bigint();
      const byPeer = new Map<string, unknown[]>();
      for (const line of readFileSync(plainPath, 'utf8').split('\n')) {
        const o = JSON.parse(line) as { peer: string; m: unknown };
        let l = byPeer.get(o.peer);
        if (!l) byPeer.set(o.peer, (l = []));
        l.push(o.m);
      }
      base.push(ms(t));
    }
    // The passphrase path once, with the default (MODERATE) Argon2id cost, on a fresh vault.
    const pdir = join(dir, 'pw');
    (await Store.create(pdir, { passphrase: 'bench passphrase', keychain: false })).close();
    const tp = process.hrtime.bigint();
    (await Store.open(pdir, { passphrase: 'bench passphrase' })).close();
    const kdfMs = ms(tp);

    const e = median(enc);
    const b = median(base);
    process.stdout.write(
      [
        `store: ${loaded} messages in ${CONVS} encrypted conversation logs (written in ${writeMs.toFixed(0)} ms, ${N / 1000} fsyncs)`,
        `  unlock + load (decrypt, authenticate, index), median of ${RUNS}: ${e.toFixed(0)} ms  (target ≤ 500 ms)`,
        `  baseline, same messages as plain JSON lines: ${b.toFixed(0)} ms  → encrypted/plain ratio ${(e / b).toFixed(2)}`,
        `  passphrase unlock (Argon2id MODERATE, 256 MiB, in a worker thread): ${kdfMs.toFixed(0)} ms, once per unlock`,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench store failed: ${String(e)}\n`);
  process.exitCode = 1;
});
