// Bench-only: one process hosting many recipient Tox instances for bench/senderScale.ts, so a
// 2-core machine can put hundreds of online friends in front of one `toxync pager serve`.
// Forked with an IPC channel; never imported (it runs at load).
//
// Each instance gets its own explicit UDP port (toxcore's default range 33445–33545 holds
// only ~100 instances per namespace), local discovery off, and bootstraps on 127.0.0.1 from
// the seed and from the instance made just before it (spreading the DHT load off the seed).
// All instances share ONE loop: iterate each, then sleep until the earliest
// tox_iteration_interval (floored), so N instances cost one timer, not N. A recipient accepts
// the sender's friend request (and adds the sender's key up front, so either side's request
// completes the friendship); toxcore sends the read receipts itself. With BENCH_RECIPIENT_NUDGE
// (default 1) a recipient acknowledges a message at once as a toxync node does
// (src/node/receiptNudge.ts); 0 leaves the timing to toxcore alone, as other clients do.
//
// Parent → host: { cmd: 'add', count, basePort, bootstrap: [{ host, port, public_key }], sender }
//                { cmd: 'quit' }
// Host → parent: { event: 'added', addresses: string[] }
//                { event: 'stats', instances, dht, online, received, sweepMs }  (every second)

import { ReceiptNudger } from '../../src/node/receiptNudge';
import { loadLibtoxcore } from '../../src/tox/loader';
import { Tox } from '../../src/tox/tox';
import { assertLoopbackOnly } from '../../test/helpers/netns';

interface Boot {
  host: string;
  port: number;
  public_key: string;
}
interface AddCmd {
  cmd: 'add';
  count: number;
  basePort: number;
  bootstrap: Boot[];
  sender: string;
}
type HostCmd = AddCmd | { cmd: 'quit' };

/** Never sweep more often than this, whatever toxcore asks: the harness must leave CPU for the sender. */
const MIN_SWEEP_MS = 10;

function isCmd(v: unknown): v is HostCmd {
  if (typeof v !== 'object' || v === null) return false;
  const c = (v as { cmd?: unknown }).cmd;
  if (c === 'quit') return true;
  const a = v as Partial<AddCmd>;
  return (
    c === 'add' &&
    Number.isInteger(a.count) &&
    Number.isInteger(a.basePort) &&
    typeof a.sender === 'string' &&
    /^[0-9A-F]{64}$/.test(a.sender) &&
    Array.isArray(a.bootstrap) &&
    a.bootstrap.every((b: Boot) => b.host === '127.0.0.1' && Number.isInteger(b.port) && /^[0-9A-Fa-f]{64}$/.test(b.public_key))
  );
}

assertLoopbackOnly();
const native = loadLibtoxcore();
const nudge = process.env.BENCH_RECIPIENT_NUDGE !== '0';
const toxes: Tox[] = [];
const nudgers = new Map<Tox, ReceiptNudger>();
let dht = 0;
let online = 0;
let received = 0;
let lastSweepMs = 0;
let timer: NodeJS.Timeout | null = null;

function addOne(port: number, boot: Boot[], sender: string): Tox {
  const tox = Tox.create(native, { udp: true, localDiscovery: false, ipv6: false, startPort: port, endPort: port });
  tox.on('selfConnectionStatus', (s) => (dht += s === 'none' ? -1 : 1));
  tox.on('friendRequest', (pk) => {
    if (pk.toUpperCase() === sender) {
      try {
        tox.friendAddNorequest(pk);
      } catch {
        /* already a friend: the key was added up front */
      }
    }
  });
  tox.on('friendConnectionStatus', (_f, s) => (online += s === 'none' ? -1 : 1));
  const nudger = new ReceiptNudger((f, data) => tox.sendLossyPacket(f, data));
  if (nudge) nudgers.set(tox, nudger);
  tox.on('friendMessage', (f) => {
    received++;
    nudger.received(f);
  });
  tox.handlerError = (kind, e) => process.stderr.write(`recipient handler ${kind}: ${e instanceof Error ? e.message : String(e)}\n`);
  for (const b of boot) tox.bootstrap(b.host, b.port, b.public_key);
  tox.friendAddNorequest(sender);
  return tox;
}

function sweep(): void {
  const t0 = performance.now();
  let next = 50;
  for (const t of toxes) {
    t.iterate();
    nudgers.get(t)?.flush();
    next = Math.min(next, t.iterationInterval());
  }
  lastSweepMs = performance.now() - t0;
  timer = setTimeout(sweep, Math.max(MIN_SWEEP_MS, next - lastSweepMs));
}

const stats = setInterval(() => {
  process.send?.({ event: 'stats', instances: toxes.length, dht, online, received, sweepMs: lastSweepMs });
}, 1000);

process.on('message', (raw: unknown) => {
  if (!isCmd(raw)) {
    process.stderr.write('recipient host: invalid command\n');
    return;
  }
  if (raw.cmd === 'quit') {
    clearInterval(stats);
    if (timer) clearTimeout(timer);
    for (const t of toxes.splice(0)) t.dispose();
    process.exit(0);
  }
  const addresses: string[] = [];
  for (let i = 0; i < raw.count; i++) {
    const prev = toxes[toxes.length - 1];
    const boot = prev ? [...raw.bootstrap, { host: '127.0.0.1', port: prev.udpPort()!, public_key: prev.dhtId() }] : raw.bootstrap;
    const t = addOne(raw.basePort + i, boot, raw.sender);
    toxes.push(t);
    addresses.push(t.address());
  }
  process.send?.({ event: 'added', addresses });
  if (!timer) sweep();
});
process.on('disconnect', () => process.exit(0));
