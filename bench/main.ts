// `npm run bench`: toxync's latency, idle CPU and file throughput, with toxic as the reference
// for file throughput. Runs only inside a loopback-only network namespace (scripts/bench.sh).
//
// Phases (all timestamps taken in this process with performance.now()):
//  1. toxync pair: Alice (no bootstrap) and Bob (bootstraps from Alice), befriended.
//  2. Idle CPU: both online as friends, no traffic; utime+stime from /proc over BENCH_IDLE_S.
//  3. One-way latency: BENCH_MESSAGES messages Alice→Bob, random gaps of
//     BENCH_GAP_MIN_MS..BENCH_GAP_MAX_MS between sends; latency = the moment Bob's `message`
//     line is read from his stdout minus the moment Alice's `send` line was written to her stdin.
//  4. File throughput toxync→toxync, BENCH_FILE_RUNS runs of one random BENCH_FILE_BYTES file
//     (50 MB), then BENCH_BIG_FILE_RUNS runs of a BENCH_BIG_FILE_BYTES file (400 MB; 0 skips).
//  5. toxic pair (in tmux via test/helpers/toxic.ts, bootstrapping from a toxync seed node),
//     same files, same runs. Each size is reported as toxync / toxic, a ratio.
//  File timing rule, identical for both clients: start = just before the sender's send command
//  is issued (toxync: `send_file` line written to Alice's stdin; toxic: `tmux send-keys
//  '/sendfile PATH' Enter` spawned); the receiver accepts as soon as this process sees the
//  offer (toxync: `file_recv` event → `file_accept`; toxic: "Type '/savefile N'" on screen,
//  polled every 20 ms → `/savefile N`); end = the complete file is on the receiver's disk
//  (toxync: Bob's `file_done`, emitted after the final rename; toxic: the downloaded file
//  reaches its full size, polled every 10 ms). SHA-256 of the received file is verified after
//  each run. The accept→complete time is reported as well.
//
// Progress goes to stderr; results to stdout, ending with one line of JSON.

import { envInt } from './lib/env';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeRandomFile, sha256File } from '../test/helpers/files';
import { assertLoopbackOnly } from '../test/helpers/netns';
import { CliPeer, befriend, bootstrapArg } from '../test/helpers/peer';
import { assertToxicInstalled, ToxicPeer } from '../test/helpers/toxic';
import { loadLibtoxcore } from '../src/tox/loader';
import { cpuSeconds } from './lib/proc';
import { mean, median, percentile, round } from './lib/stats';


const CFG = {
  messages: envInt('BENCH_MESSAGES', 200, 1),
  gapMinMs: envInt('BENCH_GAP_MIN_MS', 0),
  gapMaxMs: envInt('BENCH_GAP_MAX_MS', 2000),
  idleSeconds: envInt('BENCH_IDLE_S', 60, 1),
  settleSeconds: envInt('BENCH_SETTLE_S', 5),
  fileBytes: envInt('BENCH_FILE_BYTES', 50_000_000, 1),
  fileRuns: envInt('BENCH_FILE_RUNS', 3, 1),
  bigFileBytes: envInt('BENCH_BIG_FILE_BYTES', 400_000_000, 0),
  bigFileRuns: envInt('BENCH_BIG_FILE_RUNS', 1, 1),
  pauseBetweenRunsMs: envInt('BENCH_RUN_PAUSE_MS', 3000),
  toxicIdleSeconds: envInt('BENCH_TOXIC_IDLE_S', 30),
};
if (CFG.gapMaxMs < CFG.gapMinMs) throw new Error('BENCH_GAP_MAX_MS must be >= BENCH_GAP_MIN_MS');

const TARGETS = { latencyMedianMs: 5, idleCpuPercent: 1, fileRatio: 1.0 };

const t0Bench = performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const now = () => performance.now();
function log(msg: string): void {
  process.stderr.write(`[bench ${((now() - t0Bench) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);
}

// ---------------------------------------------------------------- cleanup

const cleanups: { name: string; fn: () => Promise<void> | void }[] = [];
function onCleanup(name: string, fn: () => Promise<void> | void): void {
  cleanups.push({ name, fn });
}
let cleaning: Promise<void> | null = null;
function cleanupAll(): Promise<void> {
  if (!cleaning) {
    cleaning = (async () => {
      for (const c of cleanups.splice(0).reverse()) {
        try {
          await c.fn();
        } catch (e) {
          process.stderr.write(`cleanup of ${c.name} failed: ${e instanceof Error ? e.message : String(e)}\n`);
        }
      }
    })();
  }
  return cleaning;
}

const stopping = new Set<CliPeer>();
async function stopPeer(p: CliPeer): Promise<void> {
  stopping.add(p);
  await p.stop();
  p.cleanup();
}

function startPeer(name: string, root: string, args: string[] = []): CliPeer {
  const dir = join(root, name);
  const p = CliPeer.start(name, args, dir);
  onCleanup(`toxync ${name}`, () => stopPeer(p));
  p.proc.on('exit', (code, signal) => {
    if (!cleaning && !stopping.has(p)) log(`warning: toxync ${name} exited (code ${code}, signal ${signal}); stderr: ${p.stderr.slice(-5).join(' | ')}`);
  });
  return p;
}

// ---------------------------------------------------------------- helpers

async function verifyFile(path: string, bytes: number, sha: string, what: string): Promise<void> {
  const size = statSync(path).size;
  if (size !== bytes) throw new Error(`${what}: received ${size} bytes, expected ${bytes}`);
  const got = await sha256File(path);
  if (got !== sha) throw new Error(`${what}: SHA-256 mismatch (got ${got}, expected ${sha})`);
}

function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'MISSES target';
}

// ---------------------------------------------------------------- phases

interface Pair {
  alice: CliPeer;
  bob: CliPeer;
  aSeesB: number;
  bSeesA: number;
}

async function toxyncPair(root: string): Promise<Pair> {
  log('starting toxync Alice and Bob (Bob bootstraps from Alice)');
  const alice = startPeer('alice', root);
  const bob = startPeer('bob', root, await bootstrapArg(alice));
  await bob.ready();
  const t = now();
  const { aSeesB, bSeesA } = await befriend(alice, bob, 'toxync bench');
  log(`Alice and Bob are friends and online (${((now() - t) / 1000).toFixed(1)} s)`);
  return { alice, bob, aSeesB, bSeesA };
}

async function measureIdle(pids: Record<string, number>, seconds: number): Promise<Record<string, number>> {
  const before: Record<string, number> = {};
  for (const [k, pid] of Object.entries(pids)) before[k] = cpuSeconds(pid);
  const t = now();
  await sleep(seconds * 1000);
  const wall = (now() - t) / 1000;
  const out: Record<string, number> = {};
  for (const [k, pid] of Object.entries(pids)) out[k] = ((cpuSeconds(pid) - before[k]!) / wall) * 100;
  return out;
}

interface LatencyResult {
  samples: number[];
  lost: number;
  sendRtt: number[];
}

async function measureLatency(p: Pair): Promise<LatencyResult> {
  const samples: number[] = [];
  const sendRtt: number[] = [];
  let lost = 0;
  const tag = randomBytes(4).toString('hex');
  for (let i = 0; i < CFG.messages; i++) {
    const text = `bench ${tag} #${i} ${randomBytes(8).toString('hex')}`;
    let tRecv = 0;
    const got = p.bob.waitForNext(
      (e) => {
        if (e.event === 'message' && e.friend === p.bSeesA && e.text === text) {
          tRecv = now();
          return true;
        }
        return false;
      },
      15_000,
      `message #${i}`,
    );
    got.catch(() => {}); // handled below
    const tSend = now();
    const result = p.alice.command({ cmd: 'send', friend: p.aSeesB, text });
    await result;
    sendRtt.push(now() - tSend);
    try {
      await got;
      samples.push(tRecv - tSend);
    } catch (e) {
      lost++;
      log(`warning: message #${i} not delivered within 15 s: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
      if (lost >= 5) throw new Error(`${lost} messages were not delivered; giving up`);
    }
    if ((i + 1) % 25 === 0) log(`latency: ${i + 1}/${CFG.messages} sent, median so far ${fmt(median(samples), 3)} ms`);
    if (i + 1 < CFG.messages) await sleep(CFG.gapMinMs + Math.random() * (CFG.gapMaxMs - CFG.gapMinMs));
  }
  return { samples, lost, sendRtt };
}

interface FileRun {
  seconds: number;
  acceptToDoneSeconds: number;
  mbps: number;
}

/** Generous per-size timeouts: 300 s, or 1 s per MB beyond that (a 400 MB file at ~1 MB/s worst case is slow, not hung). */
const timeoutFor = (bytes: number): number => Math.max(300_000, Math.ceil(bytes / 1e6) * 1000);

async function toxyncFileRun(p: Pair, src: string, sha: string, root: string, run: number, bytes: number): Promise<FileRun> {
  const dest = join(root, `toxync-recv-${bytes}-${run}.bin`);
  rmSync(dest, { force: true });
  const name = `bench-${bytes}-${run}.bin`;
  let tDone = 0;
  let tAccept = 0;
  const failed = (peer: CliPeer) =>
    peer.waitForNext((e) => e.event === 'file_error' || (e.event === 'file_control' && e.control === 'cancel'), 2 * timeoutFor(bytes), 'file error').then((e) => {
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
  const sentDone = p.alice.waitForNext((e) => e.event === 'file_done' && e.direction === 'send' && e.friend === p.aSeesB, timeoutFor(bytes) + 30_000, 'file_done (send)');
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

interface ToxicPair {
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

async function toxicPair(root: string): Promise<ToxicPair> {
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

function toxicPid(t: ToxicPeer): number {
  if (t.processId === null) throw new Error(`${t.name}: toxic is not running`);
  return t.processId;
}

async function toxicFileRun(p: ToxicPair, src: string, sha: string, run: number, bytes: number): Promise<FileRun> {
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

function checkTools(): void {
  assertToxicInstalled();
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run node scripts/build.mjs');
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  assertLoopbackOnly();
  checkTools();
  const root = mkdtempSync(join(tmpdir(), 'toxync-bench-'));
  onCleanup('temp dir', () => rmSync(root, { recursive: true, force: true }));
  log(`config ${JSON.stringify(CFG)}; temp dir ${root}`);
  // The CLI peers resolve libtoxcore the same way (same package, same environment).
  const libtox = loadLibtoxcore();
  log(`libtoxcore ${libtox.version} (${libtox.path})`);

  const src = join(root, 'payload.bin');
  const sha = makeRandomFile(src, CFG.fileBytes);
  log(`random ${CFG.fileBytes}-byte file written (sha256 ${sha.slice(0, 16)}…)`);
  const bigSrc = join(root, 'payload-big.bin');
  const bigSha = CFG.bigFileBytes > 0 ? makeRandomFile(bigSrc, CFG.bigFileBytes) : '';
  if (CFG.bigFileBytes > 0) log(`random ${CFG.bigFileBytes}-byte file written (sha256 ${bigSha.slice(0, 16)}…)`);

  // --- toxync pair
  const pair = await toxyncPair(root);
  const pids = { alice: pair.alice.proc.pid!, bob: pair.bob.proc.pid! };

  log(`idle CPU: settling ${CFG.settleSeconds} s, then measuring ${CFG.idleSeconds} s with no traffic`);
  await sleep(CFG.settleSeconds * 1000);
  const idle = await measureIdle(pids, CFG.idleSeconds);
  log(`idle CPU: alice ${fmt(idle.alice!, 3)} %, bob ${fmt(idle.bob!, 3)} %`);

  const expectedLatencyS = (CFG.messages * (CFG.gapMinMs + CFG.gapMaxMs)) / 2 / 1000;
  log(`latency: ${CFG.messages} messages Alice→Bob, gaps ${CFG.gapMinMs}–${CFG.gapMaxMs} ms (~${expectedLatencyS.toFixed(0)} s)`);
  const lat = await measureLatency(pair);

  const toxyncRuns: FileRun[] = [];
  for (let r = 1; r <= CFG.fileRuns; r++) {
    if (r > 1) await sleep(CFG.pauseBetweenRunsMs);
    log(`file: toxync→toxync run ${r}/${CFG.fileRuns}`);
    const res = await toxyncFileRun(pair, src, sha, root, r, CFG.fileBytes);
    toxyncRuns.push(res);
    log(`file: toxync run ${r}: ${fmt(res.seconds, 2)} s, ${fmt(res.mbps, 2)} MB/s (accept→done ${fmt(res.acceptToDoneSeconds, 2)} s), SHA-256 ok`);
  }
  const toxyncBig: FileRun[] = [];
  for (let r = 1; CFG.bigFileBytes > 0 && r <= CFG.bigFileRuns; r++) {
    await sleep(CFG.pauseBetweenRunsMs);
    log(`file: toxync→toxync ${CFG.bigFileBytes / 1e6} MB run ${r}/${CFG.bigFileRuns}`);
    const res = await toxyncFileRun(pair, bigSrc, bigSha, root, r, CFG.bigFileBytes);
    toxyncBig.push(res);
    log(`file: toxync big run ${r}: ${fmt(res.seconds, 2)} s, ${fmt(res.mbps, 2)} MB/s, SHA-256 ok`);
  }
  await stopPeer(pair.alice);
  await stopPeer(pair.bob);

  // --- toxic pair
  const toxic = await toxicPair(root);
  let toxicIdle: Record<string, number> | null = null;
  if (CFG.toxicIdleSeconds > 0) {
    log(`toxic idle CPU (reference): settling ${CFG.settleSeconds} s, measuring ${CFG.toxicIdleSeconds} s`);
    await sleep(CFG.settleSeconds * 1000);
    toxicIdle = await measureIdle({ toxic_a: toxicPid(toxic.a), toxic_b: toxicPid(toxic.b) }, CFG.toxicIdleSeconds);
  }
  const toxicRuns: FileRun[] = [];
  for (let r = 1; r <= CFG.fileRuns; r++) {
    if (r > 1) await sleep(CFG.pauseBetweenRunsMs);
    log(`file: toxic→toxic run ${r}/${CFG.fileRuns}`);
    const res = await toxicFileRun(toxic, src, sha, r, CFG.fileBytes);
    toxicRuns.push(res);
    log(`file: toxic run ${r}: ${fmt(res.seconds, 2)} s, ${fmt(res.mbps, 2)} MB/s (accept→done ${fmt(res.acceptToDoneSeconds, 2)} s), SHA-256 ok`);
  }
  const toxicBig: FileRun[] = [];
  for (let r = 1; CFG.bigFileBytes > 0 && r <= CFG.bigFileRuns; r++) {
    await sleep(CFG.pauseBetweenRunsMs);
    log(`file: toxic→toxic ${CFG.bigFileBytes / 1e6} MB run ${r}/${CFG.bigFileRuns}`);
    const res = await toxicFileRun(toxic, bigSrc, bigSha, r, CFG.bigFileBytes);
    toxicBig.push(res);
    log(`file: toxic big run ${r}: ${fmt(res.seconds, 2)} s, ${fmt(res.mbps, 2)} MB/s, SHA-256 ok`);
  }
  await cleanupAll();

  // --- report
  const latMed = median(lat.samples);
  const latP95 = percentile(lat.samples, 95);
  const idleMax = Math.max(...Object.values(idle));
  const mb = median(toxyncRuns.map((r) => r.mbps));
  const tmb = median(toxicRuns.map((r) => r.mbps));
  const ratio = mb / tmb;
  const accMb = median(toxyncRuns.map((r) => CFG.fileBytes / 1e6 / r.acceptToDoneSeconds));
  const accTmb = median(toxicRuns.map((r) => CFG.fileBytes / 1e6 / r.acceptToDoneSeconds));
  const bigMb = toxyncBig.length ? median(toxyncBig.map((r) => r.mbps)) : NaN;
  const bigTmb = toxicBig.length ? median(toxicBig.map((r) => r.mbps)) : NaN;
  const bigRatio = bigMb / bigTmb;
  const bigLabel = `${CFG.bigFileBytes / 1e6} MB`;
  const runtime = (now() - t0Bench) / 1000;

  const L: string[] = [];
  L.push('');
  L.push('toxync benchmark (loopback-only network namespace)');
  L.push('==================================================');
  L.push(`libtoxcore ${libtox.version} (${libtox.path})`);
  L.push(`One-way message latency toxync→toxync (${lat.samples.length} delivered of ${CFG.messages}, gaps ${CFG.gapMinMs}–${CFG.gapMaxMs} ms):`);
  L.push(`  median ${fmt(latMed, 3)} ms   p95 ${fmt(latP95, 3)} ms   (target: median ≤ ${TARGETS.latencyMedianMs} ms → ${verdict(latMed <= TARGETS.latencyMedianMs)})`);
  L.push(`  min ${fmt(Math.min(...lat.samples), 3)}  mean ${fmt(mean(lat.samples), 3)}  p99 ${fmt(percentile(lat.samples, 99), 3)}  max ${fmt(Math.max(...lat.samples), 3)} ms; lost ${lat.lost}`);
  L.push(`  calibration: bench→Alice stdin→\`result\` line round trip median ${fmt(median(lat.sendRtt), 3)} ms`);
  L.push(`Idle CPU over ${CFG.idleSeconds} s (friends online, no traffic), % of one core:`);
  for (const [k, v] of Object.entries(idle)) L.push(`  ${k.padEnd(6)} ${fmt(v, 3)} %`);
  L.push(`  max ${fmt(idleMax, 3)} %   (target: ≤ ${TARGETS.idleCpuPercent} % → ${verdict(idleMax <= TARGETS.idleCpuPercent)})`);
  if (toxicIdle) L.push(`  reference, toxic over ${CFG.toxicIdleSeconds} s: ${Object.entries(toxicIdle).map(([k, v]) => `${k} ${fmt(v, 3)} %`).join(', ')}`);
  L.push(`File transfer, ${CFG.fileBytes / 1e6} MB random file, SHA-256 verified, ${CFG.fileRuns} run(s) each; MB/s = ${CFG.fileBytes / 1e6} MB / (send command → complete file on receiver's disk):`);
  L.push(`  toxync→toxync  runs ${toxyncRuns.map((r) => `${fmt(r.mbps)} MB/s (${fmt(r.seconds)} s)`).join(', ')}  → median ${fmt(mb)} MB/s`);
  L.push(`  toxic→toxic    runs ${toxicRuns.map((r) => `${fmt(r.mbps)} MB/s (${fmt(r.seconds)} s)`).join(', ')}  → median ${fmt(tmb)} MB/s`);
  L.push(`  file_50mb_ratio_vs_toxic = toxync / toxic = ${fmt(ratio, 3)}   (target: ≥ ${TARGETS.fileRatio.toFixed(1)}× → ${verdict(ratio >= TARGETS.fileRatio)})`);
  L.push(`  (counted from the receiver's accept instead: toxync ${fmt(accMb)} MB/s, toxic ${fmt(accTmb)} MB/s, ratio ${fmt(accMb / accTmb, 3)})`);
  if (toxyncBig.length) {
    L.push(`File transfer, ${bigLabel} random file, SHA-256 verified, ${CFG.bigFileRuns} run(s) each:`);
    L.push(`  toxync→toxync  runs ${toxyncBig.map((r) => `${fmt(r.mbps)} MB/s (${fmt(r.seconds)} s)`).join(', ')}  → median ${fmt(bigMb)} MB/s`);
    L.push(`  toxic→toxic    runs ${toxicBig.map((r) => `${fmt(r.mbps)} MB/s (${fmt(r.seconds)} s)`).join(', ')}  → median ${fmt(bigTmb)} MB/s`);
    L.push(`  file_big_ratio_vs_toxic = toxync / toxic = ${fmt(bigRatio, 3)}   (target: ≥ ${TARGETS.fileRatio.toFixed(1)}× → ${verdict(bigRatio >= TARGETS.fileRatio)})`);
  }
  L.push(`Total runtime ${fmt(runtime, 1)} s`);
  L.push('');

  const json = {
    libtoxcore_version: libtox.version,
    libtoxcore_path: libtox.path,
    latency_one_way_median_ms: round(latMed, 3),
    latency_one_way_p95_ms: round(latP95, 3),
    latency_one_way_p99_ms: round(percentile(lat.samples, 99), 3),
    latency_one_way_mean_ms: round(mean(lat.samples), 3),
    latency_one_way_max_ms: round(Math.max(...lat.samples), 3),
    messages: CFG.messages,
    messages_delivered: lat.samples.length,
    idle_cpu_percent: round(idleMax, 3),
    idle_cpu_percent_by_process: Object.fromEntries(Object.entries(idle).map(([k, v]) => [k, round(v, 3)])),
    idle_seconds: CFG.idleSeconds,
    toxic_idle_cpu_percent: toxicIdle ? round(Math.max(...Object.values(toxicIdle)), 3) : null,
    file_bytes: CFG.fileBytes,
    file_50mb_mbps: round(mb, 3),
    toxic_file_50mb_mbps: round(tmb, 3),
    file_50mb_ratio_vs_toxic: round(ratio, 3),
    file_50mb_mbps_runs: toxyncRuns.map((r) => round(r.mbps, 3)),
    toxic_file_50mb_mbps_runs: toxicRuns.map((r) => round(r.mbps, 3)),
    file_50mb_mbps_from_accept: round(accMb, 3),
    toxic_file_50mb_mbps_from_accept: round(accTmb, 3),
    runs: CFG.fileRuns,
    file_big_bytes: CFG.bigFileBytes,
    file_big_mbps: toxyncBig.length ? round(bigMb, 3) : null,
    toxic_file_big_mbps: toxicBig.length ? round(bigTmb, 3) : null,
    file_big_ratio_vs_toxic: toxyncBig.length ? round(bigRatio, 3) : null,
    file_big_mbps_runs: toxyncBig.map((r) => round(r.mbps, 3)),
    toxic_file_big_mbps_runs: toxicBig.map((r) => round(r.mbps, 3)),
    targets: { latency_one_way_median_ms_max: TARGETS.latencyMedianMs, idle_cpu_percent_max: TARGETS.idleCpuPercent, file_50mb_ratio_vs_toxic_min: TARGETS.fileRatio },
    runtime_s: round(runtime, 1),
  };
  process.stdout.write(L.join('\n') + '\n' + JSON.stringify(json) + '\n');
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    log(`${sig}: cleaning up`);
    void cleanupAll().then(() => process.exit(130));
  });
}

main().then(
  () => cleanupAll().then(() => process.exit(0)),
  (e: unknown) => {
    const msg = e instanceof Error ? e.stack ?? e.message : String(e);
    process.stdout.write(`\nBENCHMARK FAILED: ${msg}\n`);
    void cleanupAll().then(() => process.exit(1));
  },
);
