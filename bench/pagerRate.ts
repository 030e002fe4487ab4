// `npm run bench`, pager part: what `toxync pager serve` sustains to one online recipient,
// and how long an alert takes from the HTTP call to the recipient's screen. Runs only inside
// a loopback-only network namespace (scripts/bench.sh; assertLoopbackOnly refuses otherwise).
//
// Sender: the real CLI (`toxync pager serve`, encrypted profile, HTTP API on 127.0.0.1).
// Recipient: an extension host as ToxService builds it (supervised node process, chat model,
// PagerController, encrypted store, the sender marked as a pager source), in this process.
//  1. Latency: BENCH_PAGER_LATENCY alerts one at a time, random gaps 0..BENCH_PAGER_GAP_MAX_MS;
//     latency = the recipient's AlertStore `added` event − just before the POST is written
//     (both timestamps performance.now() in this process).
//  2. Throughput: BENCH_PAGER_ALERTS alerts POSTed back to back (BENCH_PAGER_CONCURRENCY
//     requests in flight on keep-alive connections);
//     rate = alerts / (first POST → the sender reports the last one `delivered`, i.e. its Tox
//     read receipt came back). "Shown" rate alongside (→ the last one in the AlertStore).
//
// Progress goes to stderr; results to stdout, ending with one line of JSON.

import { envInt } from './lib/env';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HostUnderTest } from '../test/helpers/chat';
import { assertLoopbackOnly } from '../test/helpers/netns';
import { CliPeer, cliPath } from '../test/helpers/peer';
import { pagerApi, PagerProcess } from '../test/helpers/pagerProcess';
import { sleep, until } from '../test/helpers/wait';
import { mean, median, percentile, round } from './lib/stats';

const CFG = {
  latencyAlerts: envInt('BENCH_PAGER_LATENCY', 200, 1),
  gapMaxMs: envInt('BENCH_PAGER_GAP_MAX_MS', 200),
  throughputAlerts: envInt('BENCH_PAGER_ALERTS', 1000, 1),
  /** Requests in flight at once in the burst (a platform posting from several workers). */
  concurrency: envInt('BENCH_PAGER_CONCURRENCY', 8, 1),
};
/** The bar: an alert appears within a second. */
const TARGET_P95_MS = 1000;

const TOKEN = 'bench-pager-token-5e0c2a9d7b41f3';
const env = { ...process.env, TOXYNC_PASSPHRASE: 'bench pager passphrase' };
const t0Bench = performance.now();
const now = () => performance.now();
const log = (m: string) => void process.stderr.write(`[bench-pager ${((now() - t0Bench) / 1000).toFixed(1).padStart(6)} s] ${m}\n`);
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

const cleanups: (() => Promise<unknown> | void)[] = [];
async function cleanupAll(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch (e) {
      log(`cleanup failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

async function main(): Promise<void> {
  assertLoopbackOnly();
  const root = mkdtempSync(join(tmpdir(), 'toxync-bench-pager-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  log(`config ${JSON.stringify(CFG)}; temp dir ${root}`);

  const seed = CliPeer.start('seed', [], join(root, 'seed'));
  cleanups.push(() => seed.stop());
  const s = await seed.ready();
  const boot = { host: '127.0.0.1', port: s.udp_port!, public_key: s.dht_id };
  const bootArgs = ['--bootstrap', `127.0.0.1:${boot.port}:${boot.public_key}`, '--local-discovery', 'off'];

  const senderDir = join(root, 'sender');
  const init = spawnSync(process.execPath, [cliPath(), 'init', '--profile', senderDir], { env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`toxync init failed: ${init.stderr}`);
  const senderKey = init.stdout.trim().slice(0, 64);
  const tokenFile = join(root, 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`);
  chmodSync(tokenFile, 0o600);
  const server = new PagerProcess(['serve', '--profile', senderDir, '--token-file', tokenFile, '--listen', '127.0.0.1:0', ...bootArgs], env);
  cleanups.push(() => server.stop());
  const { port } = await server.ready();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  cleanups.push(() => agent.destroy());
  const api = pagerApi(port, TOKEN, agent);
  const burstAgent = new Agent({ keepAlive: true, maxSockets: CFG.concurrency });
  cleanups.push(() => burstAgent.destroy());
  const burstApi = pagerApi(port, TOKEN, burstAgent);

  const recipient = await HostUnderTest.createStored('recipient', boot, undefined, join(root, 'recipient'));
  cleanups.push(async () => {
    await recipient.lock();
    recipient.model.dispose();
  });
  recipient.start();
  await recipient.until(() => recipient.model.self !== null, 30_000, 'recipient ready');
  recipient.pager.setSource(senderKey, true);
  const shownAt = new Map<string, number>();
  recipient.pager.alerts.onChange((c) => {
    if (c.kind === 'added') shownAt.set(c.entry.alert.id, now());
  });

  log('befriending: the first alert goes to the Tox ID, the recipient accepts');
  const first = await api('POST', '/v1/alerts', { to: recipient.model.self!.address, title: 'hello', ttl_s: 600 });
  if (first.status !== 202) throw new Error(`POST /v1/alerts: ${first.status} ${JSON.stringify(first.body)}`);
  await recipient.until(() => recipient.model.requests.has(senderKey), 60_000, 'friend request');
  await recipient.model.acceptRequest(senderKey);
  await until('first alert shown', 60_000, () => (shownAt.has(String(first.body.id)) ? true : null));
  await sleep(2000);

  // --- 1. latency
  log(`latency: ${CFG.latencyAlerts} alerts, one at a time, gaps 0–${CFG.gapMaxMs} ms`);
  const lat: number[] = [];
  let lost = 0;
  for (let i = 0; i < CFG.latencyAlerts; i++) {
    const t0 = now();
    const r = await api('POST', '/v1/alerts', {
      to: recipient.model.self!.public_key,
      title: `latency #${i}`,
      priority: i % 10 === 0 ? 'critical' : 'info',
      link: `/ci/runs/${i}`,
      ttl_s: 600,
    });
    if (r.status !== 202) throw new Error(`POST: ${r.status} ${JSON.stringify(r.body)}`);
    const id = String(r.body.id);
    try {
      const t1 = await until(`alert ${i} shown`, 10_000, () => shownAt.get(id) ?? null, 1);
      lat.push(t1 - t0);
    } catch {
      lost++;
    }
    await sleep(Math.random() * CFG.gapMaxMs);
  }

  // --- 2. throughput
  recipient.pager.alerts.clear();
  await sleep(1000);
  log(`throughput: ${CFG.throughputAlerts} alerts back to back, ${CFG.concurrency} requests in flight`);
  const ids: string[] = new Array<string>(CFG.throughputAlerts);
  const postedAt: number[] = new Array<number>(CFG.throughputAlerts);
  const tStart = now();
  let nextPost = 0;
  const poster = async (): Promise<void> => {
    while (nextPost < CFG.throughputAlerts) {
      const i = nextPost++;
      postedAt[i] = now();
      const r = await burstApi('POST', '/v1/alerts', { to: recipient.model.self!.public_key, title: `burst #${i}`, ttl_s: 600 });
      if (r.status !== 202) throw new Error(`POST #${i}: ${r.status} ${JSON.stringify(r.body)}`);
      ids[i] = String(r.body.id);
    }
  };
  await Promise.all(Array.from({ length: CFG.concurrency }, poster));
  const tPosted = now();
  // The sender finishes them roughly in order: wait on the oldest one not yet delivered.
  let tDelivered = 0;
  for (let next = 0; next < ids.length;) {
    const st = (await api('GET', `/v1/alerts/${ids[next]!}`)).body.status;
    if (st === 'delivered') {
      next++;
      tDelivered = now();
      continue;
    }
    if (st !== 'queued' && st !== 'sent') throw new Error(`alert ${next}: ${String(st)}`);
    if (now() - tStart > 300_000) throw new Error(`after 300 s only ${next} of ${ids.length} delivered`);
    await sleep(5);
  }
  await until('every burst alert shown', 30_000, () => (ids.every((id) => shownAt.has(id)) ? true : null));
  const tShownLast = Math.max(...ids.map((id) => shownAt.get(id)!));
  const burstLat = ids.map((id, i) => shownAt.get(id)! - postedAt[i]!);
  await cleanupAll();

  const deliveredRate = ids.length / ((tDelivered - tStart) / 1000);
  const shownRate = ids.length / ((tShownLast - tStart) / 1000);
  const postRate = ids.length / ((tPosted - tStart) / 1000);
  const p95 = percentile(lat, 95);
  const L = [
    '',
    'toxync pager benchmark (loopback-only network namespace)',
    '=========================================================',
    `Sender: toxync pager serve (CLI, encrypted profile, HTTP on 127.0.0.1); recipient: extension host model (supervised node, encrypted store, AlertStore).`,
    `Send → shown latency (${lat.length} of ${CFG.latencyAlerts} shown, one at a time, gaps 0–${CFG.gapMaxMs} ms; POST written → recipient's AlertStore has it):`,
    `  median ${fmt(median(lat), 3)} ms   p95 ${fmt(p95, 3)} ms   (target: within a second → ${p95 <= TARGET_P95_MS ? 'meets target' : 'MISSES target'})`,
    `  min ${fmt(Math.min(...lat), 3)}  mean ${fmt(mean(lat), 3)}  p99 ${fmt(percentile(lat, 99), 3)}  max ${fmt(Math.max(...lat), 3)} ms; lost ${lost}`,
    `Sustained rate to one online recipient, ${ids.length} alerts POSTed back to back (${CFG.concurrency} in flight):`,
    `  delivered (read receipts back at the sender) ${fmt(deliveredRate, 1)} alerts/s   (${fmt((tDelivered - tStart) / 1000, 2)} s)`,
    `  shown at the recipient ${fmt(shownRate, 1)} alerts/s; HTTP accepted ${fmt(postRate, 1)} alerts/s; queueing delay p95 ${fmt(percentile(burstLat, 95), 1)} ms`,
    `Total runtime ${fmt((now() - t0Bench) / 1000, 1)} s`,
    '',
  ];
  const json = {
    pager_latency_median_ms: round(median(lat), 3),
    pager_latency_p95_ms: round(p95, 3),
    pager_latency_p99_ms: round(percentile(lat, 99), 3),
    pager_latency_max_ms: round(Math.max(...lat), 3),
    pager_latency_alerts: CFG.latencyAlerts,
    pager_latency_lost: lost,
    pager_delivered_per_s: round(deliveredRate, 1),
    pager_shown_per_s: round(shownRate, 1),
    pager_http_accepted_per_s: round(postRate, 1),
    pager_burst_alerts: ids.length,
    pager_burst_queueing_p95_ms: round(percentile(burstLat, 95), 1),
    targets: { pager_latency_p95_ms_max: TARGET_P95_MS },
    runtime_s: round((now() - t0Bench) / 1000, 1),
  };
  process.stdout.write(L.join('\n') + '\n' + JSON.stringify(json) + '\n');
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => void cleanupAll().then(() => process.exit(130)));
}

main().then(
  () => cleanupAll().then(() => process.exit(0)),
  (e: unknown) => {
    process.stdout.write(`\nPAGER BENCHMARK FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    void cleanupAll().then(() => process.exit(1));
  },
);
