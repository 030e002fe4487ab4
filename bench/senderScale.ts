// `npm run bench`, sender-at-scale part: one `toxync pager serve` (the real CLI, encrypted
// profile, HTTP API on 127.0.0.1, explicit --port) in front of N online recipients, hosted
// many per process by bench/lib/recipientHost.ts. Runs only inside a loopback-only network
// namespace (scripts/bench.sh; assertLoopbackOnly refuses otherwise).
//
// For each N in BENCH_SENDER_SIZES (ascending; recipients are added, never replaced):
//  - befriend: the first alert to each new recipient goes to its Tox ID (the sender sends the
//    friend request itself); "online" = that alert came back `delivered`.
//  - idle: the sender's CPU over BENCH_SENDER_IDLE_S with N friends online and nothing to
//    send; its RSS, and (RSS − RSS with no friend) / N.
//  - rate: BENCH_SENDER_ROUNDS alerts per recipient POSTed back to back (8 in flight),
//    alerts / (first POST → the last one `delivered`, i.e. its Tox read receipt came back);
//    the sender's CPU milliseconds per alert alongside.
//  - confirmation: BENCH_SENDER_LATENCY alerts one every BENCH_SENDER_GAP_MS to random
//    recipients; time from the POST to GET /v1/alerts/{id} saying `delivered` (polled every
//    POLL_MS, so figures carry up to that much extra).
// Progress goes to stderr; results to stdout, ending with one line of JSON.

import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertLoopbackOnly } from '../test/helpers/netns';
import { CliPeer, cliPath } from '../test/helpers/peer';
import { pagerApi, PagerProcess } from '../test/helpers/pagerProcess';
import { envInt } from './lib/env';
import { cleanupAll, fmt, log, now, onCleanup, runPhase, runtimeSeconds, sleep } from './lib/harness';
import { cpuSeconds } from './lib/proc';
import { median, percentile, round } from './lib/stats';

function envSizes(): number[] {
  const raw = process.env.BENCH_SENDER_SIZES ?? '100';
  const sizes = raw.split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_SENDER_SIZES must be positive integers, comma-separated, got "${raw}"`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

const CFG = {
  sizes: envSizes(),
  hosts: envInt('BENCH_SENDER_HOSTS', 2, 1),
  idleS: envInt('BENCH_SENDER_IDLE_S', 20, 1),
  rounds: envInt('BENCH_SENDER_ROUNDS', 2, 0),
  latencyAlerts: envInt('BENCH_SENDER_LATENCY', 100, 0),
  gapMs: envInt('BENCH_SENDER_GAP_MS', 100, 1),
  onlineTimeoutS: envInt('BENCH_SENDER_ONLINE_TIMEOUT_S', 600, 10),
  basePort: envInt('BENCH_SENDER_BASE_PORT', 40000, 1024),
};
const POLL_MS = 20;
const TOKEN = 'bench-sender-scale-token-8c1f0e2b';
const env = { ...process.env, TOXYNC_PASSPHRASE: 'bench sender scale passphrase' };

interface HostStats {
  instances: number;
  dht: number;
  online: number;
  received: number;
  sweepMs: number;
}

class RecipientHost {
  readonly proc: ChildProcess;
  stats: HostStats = { instances: 0, dht: 0, online: 0, received: 0, sweepMs: 0 };
  private added: ((a: string[]) => void) | null = null;

  constructor(name: string) {
    this.proc = fork(join(__dirname, 'lib', 'recipientHost.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_HOST: name },
    });
    this.proc.on('message', (m: { event: string; addresses?: string[] } & Partial<HostStats>) => {
      if (m.event === 'stats') this.stats = m as HostStats;
      if (m.event === 'added' && this.added) this.added(m.addresses ?? []);
    });
  }

  add(count: number, basePort: number, bootstrap: object[], sender: string): Promise<string[]> {
    return new Promise((resolve) => {
      this.added = resolve;
      this.proc.send({ cmd: 'add', count, basePort, bootstrap, sender });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) return resolve();
      this.proc.once('exit', () => resolve());
      this.proc.send({ cmd: 'quit' });
      setTimeout(() => this.proc.kill('SIGKILL'), 10_000).unref();
    });
  }
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface Row {
  n: number;
  online: number;
  idleCpuPct: number;
  rssMb: number;
  rssPerFriendKb: number;
  deliveredPerS: number;
  cpuMsPerAlert: number;
  confirmMedianMs: number;
  confirmP95Ms: number;
  confirmOver500: number;
  confirmed: number;
  sweepMs: number;
}

async function main(): Promise<void> {
  assertLoopbackOnly();
  const root = mkdtempSync(join(tmpdir(), 'toxync-bench-sender-'));
  onCleanup('temp dir', () => rmSync(root, { recursive: true, force: true }));
  log(`sender at scale: config ${JSON.stringify(CFG)}; temp dir ${root}`);

  const seed = CliPeer.start('seed', [], join(root, 'seed'));
  onCleanup('seed', async () => void (await seed.stop()));
  const s = await seed.ready();
  const boot = [{ host: '127.0.0.1', port: s.udp_port!, public_key: s.dht_id }];

  const senderDir = join(root, 'sender');
  const init = spawnSync(process.execPath, [cliPath(), 'init', '--profile', senderDir], { env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`toxync init failed: ${init.stderr}`);
  const senderKey = init.stdout.trim().slice(0, 64).toUpperCase();
  const tokenFile = join(root, 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`);
  chmodSync(tokenFile, 0o600);
  const bootArgs = ['--bootstrap', `127.0.0.1:${boot[0]!.port}:${boot[0]!.public_key}`, '--local-discovery', 'off', '--port', String(CFG.basePort - 1)];
  // BENCH_SENDER_NODE_OPTIONS: NODE_OPTIONS for the sender alone (e.g. --require a profiler preload).
  const senderOptions = process.env.BENCH_SENDER_NODE_OPTIONS;
  const server = new PagerProcess(
    ['serve', '--profile', senderDir, '--token-file', tokenFile, '--listen', '127.0.0.1:0', ...bootArgs],
    senderOptions ? { ...env, NODE_OPTIONS: senderOptions } : env,
  );
  onCleanup('sender', async () => {
    const code = await server.stop();
    if (code !== 0) log(`the sender exited ${String(code)}: ${server.stderr.slice(-5).join(' | ')}`);
  });
  const { port } = await server.ready();
  const senderPid = server.proc.pid!;
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  onCleanup('agent', () => agent.destroy());
  const raw = pagerApi(port, TOKEN, agent);
  // A keep-alive socket the server closed while we were idle (adding recipients) resets the
  // next request on it: try once more on a fresh one.
  const api = async (method: string, path: string, body?: unknown) => {
    try {
      return await raw(method, path, body);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET' || server.proc.exitCode !== null) throw e;
      return raw(method, path, body);
    }
  };
  await sleep(5000);
  const rss0 = rssMb(senderPid);
  const idle0 = await idleCpu(senderPid, CFG.idleS);
  log(`sender with no friend: RSS ${fmt(rss0, 1)} MB, idle CPU ${fmt(idle0)} %`);

  const hosts = Array.from({ length: CFG.hosts }, (_, i) => new RecipientHost(`h${i}`));
  for (const h of hosts) onCleanup('recipient host', () => h.stop());
  const recipients: string[] = []; // public keys
  let nextPort = CFG.basePort;
  const rows: Row[] = [];
  let stoppedBy = '';

  const post = async (to: string, title: string): Promise<string> => {
    const r = await api('POST', '/v1/alerts', { to, title, ttl_s: 3600 });
    if (r.status !== 202) throw new Error(`POST /v1/alerts: ${r.status} ${JSON.stringify(r.body)}`);
    return String(r.body.id);
  };
  const status = async (id: string): Promise<string> => String((await api('GET', `/v1/alerts/${id}`)).body.status);
  /** Waits (oldest first) until every id is delivered or `timeoutMs` passes; which were. */
  const waitDelivered = async (ids: string[], timeoutMs: number): Promise<boolean[]> => {
    const end = now() + timeoutMs;
    let next = 0;
    while (next < ids.length && now() < end) {
      const st = await status(ids[next]!);
      if (st === 'delivered') next++;
      else if (st === 'queued' || st === 'sent') await sleep(5);
      else throw new Error(`alert ${ids[next]!}: ${st}`);
    }
    if (next === ids.length) return ids.map(() => true);
    const out: boolean[] = [];
    for (const id of ids) out.push((await status(id)) === 'delivered');
    return out;
  };
  const postAll = async (targets: string[], title: string): Promise<string[]> => {
    const ids = new Array<string>(targets.length);
    let i = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (i < targets.length) {
          const k = i++;
          ids[k] = await post(targets[k]!, `${title} #${k}`);
        }
      }),
    );
    return ids;
  };

  for (const n of CFG.sizes) {
    const add = n - recipients.length;
    log(`N=${n}: adding ${add} recipients over ${hosts.length} host processes`);
    const per = Math.ceil(add / hosts.length);
    const addresses = (
      await Promise.all(
        hosts.map((h, i) => {
          const count = Math.max(0, Math.min(per, add - i * per));
          const base = nextPort;
          nextPort += count;
          return count > 0 ? h.add(count, base, boot, senderKey) : Promise.resolve([]);
        }),
      )
    ).flat();
    const tBefriend = now();
    const firstIds = await postAll(addresses, 'hello');
    const came = await waitDelivered(firstIds, CFG.onlineTimeoutS * 1000);
    // Only recipients that confirmed their first alert get the rest: an offline one would
    // hold every figure below at its timeout.
    recipients.push(...addresses.filter((_, i) => came[i]).map((a) => a.slice(0, 64)));
    const got = came.filter(Boolean).length;
    const online = recipients.length;
    const hostsOnline = hosts.reduce((a, h) => a + h.stats.online, 0);
    log(`N=${n}: ${got} of ${add} new recipients confirmed the first alert in ${fmt((now() - tBefriend) / 1000, 1)} s (hosts see ${hostsOnline} online)`);
    if (got < add) stoppedBy = `at N=${n} only ${online} recipients came online within ${CFG.onlineTimeoutS} s`;

    await sleep(5000);
    const idle = await idleCpu(senderPid, CFG.idleS);
    const rss = rssMb(senderPid);
    log(`N=${n}: sender idle CPU ${fmt(idle)} %, RSS ${fmt(rss, 1)} MB`);

    let deliveredPerS = NaN;
    let cpuMsPerAlert = NaN;
    if (CFG.rounds > 0) {
      const targets = Array.from({ length: CFG.rounds * recipients.length }, (_, i) => recipients[i % recipients.length]!);
      const cpu0 = cpuSeconds(senderPid);
      const t0 = now();
      const ids = await postAll(targets, 'burst');
      const done = (await waitDelivered(ids, 600_000)).filter(Boolean).length;
      const secs = (now() - t0) / 1000;
      deliveredPerS = done / secs;
      cpuMsPerAlert = ((cpuSeconds(senderPid) - cpu0) * 1000) / Math.max(1, done);
      log(`N=${n}: ${done} of ${ids.length} alerts delivered at ${fmt(deliveredPerS, 1)} alerts/s, ${fmt(cpuMsPerAlert, 3)} CPU ms each`);
    }

    const lat: number[] = [];
    if (CFG.latencyAlerts > 0) {
      const outstanding = new Map<string, number>();
      let stop = false;
      const poller = (async () => {
        while (!stop || outstanding.size > 0) {
          for (const [id, t0] of [...outstanding]) {
            if ((await status(id)) === 'delivered') {
              lat.push(now() - t0);
              outstanding.delete(id);
            } else if (now() - t0 > 60_000) outstanding.delete(id);
          }
          await sleep(POLL_MS);
        }
      })();
      for (let i = 0; i < CFG.latencyAlerts; i++) {
        const to = recipients[Math.floor(Math.random() * recipients.length)]!;
        const t0 = now();
        outstanding.set(await post(to, `latency #${i}`), t0);
        await sleep(CFG.gapMs);
      }
      stop = true;
      await poller;
      log(`N=${n}: confirmation median ${fmt(median(lat), 0)} ms, p95 ${fmt(percentile(lat, 95), 0)} ms (${lat.length} of ${CFG.latencyAlerts})`);
    }
    rows.push({
      n,
      online,
      idleCpuPct: idle,
      rssMb: rss,
      rssPerFriendKb: ((rss - rss0) * 1024) / online,
      deliveredPerS,
      cpuMsPerAlert,
      confirmMedianMs: median(lat),
      confirmP95Ms: percentile(lat, 95),
      confirmOver500: lat.filter((x) => x > 500).length / Math.max(1, lat.length),
      confirmed: lat.length,
      sweepMs: Math.max(...hosts.map((h) => h.stats.sweepMs)),
    });
    if (stoppedBy) break;
  }
  await cleanupAll();

  const L = [
    '',
    'toxync sender at scale (loopback-only network namespace)',
    '========================================================',
    `Sender: toxync pager serve (CLI, encrypted profile, HTTP on 127.0.0.1). Recipients: ${CFG.hosts} bench processes hosting many Tox instances each (one shared loop).`,
    `With no friend: RSS ${fmt(rss0, 1)} MB, idle CPU ${fmt(idle0)} % of a core.`,
    '    N  online  idle CPU %  RSS MB  KB/friend  alerts/s  CPU ms/alert  confirm p50/p95 ms  >0.5 s  host sweep ms',
    ...rows.map(
      (r) =>
        `${String(r.n).padStart(5)}  ${String(r.online).padStart(6)}  ${fmt(r.idleCpuPct).padStart(10)}  ${fmt(r.rssMb, 1).padStart(6)}  ${fmt(r.rssPerFriendKb, 0).padStart(9)}  ${fmt(r.deliveredPerS, 1).padStart(8)}  ${fmt(r.cpuMsPerAlert, 3).padStart(12)}  ${`${fmt(r.confirmMedianMs, 0)}/${fmt(r.confirmP95Ms, 0)}`.padStart(18)}  ${`${fmt(r.confirmOver500 * 100, 0)} %`.padStart(6)}  ${fmt(r.sweepMs, 1).padStart(13)}`,
    ),
    ...(stoppedBy ? [`Stopped: ${stoppedBy}.`] : []),
    `Confirmation = POST → GET says delivered, polled every ${POLL_MS} ms. Total runtime ${fmt(runtimeSeconds(), 1)} s`,
    '',
  ];
  const json = {
    sender_no_friend_rss_mb: round(rss0, 1),
    sender_no_friend_idle_cpu_pct: round(idle0, 2),
    sender_rows: rows.map((r) => ({
      n: r.n,
      online: r.online,
      idle_cpu_pct: round(r.idleCpuPct, 2),
      rss_mb: round(r.rssMb, 1),
      rss_per_friend_kb: round(r.rssPerFriendKb, 0),
      delivered_per_s: round(r.deliveredPerS, 1),
      cpu_ms_per_alert: round(r.cpuMsPerAlert, 3),
      confirm_median_ms: round(r.confirmMedianMs, 0),
      confirm_p95_ms: round(r.confirmP95Ms, 0),
      confirm_over_500ms_share: round(r.confirmOver500, 3),
    })),
    ...(stoppedBy ? { sender_stopped_by: stoppedBy } : {}),
    runtime_s: round(runtimeSeconds(), 1),
  };
  process.stdout.write(L.join('\n') + '\n' + JSON.stringify(json) + '\n');
}

async function idleCpu(pid: number, seconds: number): Promise<number> {
  const c0 = cpuSeconds(pid);
  const t0 = now();
  await sleep(seconds * 1000);
  return ((cpuSeconds(pid) - c0) / ((now() - t0) / 1000)) * 100;
}

runPhase('SENDER SCALE BENCHMARK', main);
