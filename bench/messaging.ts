// `npm run bench`, messaging part: a befriended toxync pair's idle CPU and one-way message
// latency. Runs only inside a loopback-only network namespace (scripts/bench.sh;
// assertLoopbackOnly refuses otherwise). File throughput against toxic is bench/fileSpeed.ts.
//
// Phases (all timestamps taken in this process with performance.now()):
//  1. toxync pair: Alice (no bootstrap) and Bob (bootstraps from Alice), befriended.
//  2. Idle CPU: both online as friends, no traffic; utime+stime from /proc over BENCH_IDLE_S.
//  3. One-way latency: BENCH_MESSAGES messages Alice→Bob, random gaps of
//     BENCH_GAP_MIN_MS..BENCH_GAP_MAX_MS between sends; latency = the moment Bob's `message`
//     line is read from his stdout minus the moment Alice's `send` line was written to her stdin.
//
// Progress goes to stderr; results to stdout, ending with one line of JSON.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertLoopbackOnly } from '../test/helpers/netns';
import { loadLibtoxcore } from '../src/tox/loader';
import { envInt } from './lib/env';
import { fmt, log, measureIdle, now, onCleanup, runPhase, runtimeSeconds, sleep, verdict } from './lib/harness';
import { mean, median, percentile, round } from './lib/stats';
import { type Pair, toxyncPair } from './lib/toxyncPair';

const CFG = {
  messages: envInt('BENCH_MESSAGES', 200, 1),
  gapMinMs: envInt('BENCH_GAP_MIN_MS', 0),
  gapMaxMs: envInt('BENCH_GAP_MAX_MS', 2000),
  idleSeconds: envInt('BENCH_IDLE_S', 60, 1),
  settleSeconds: envInt('BENCH_SETTLE_S', 5),
};
if (CFG.gapMaxMs < CFG.gapMinMs) throw new Error('BENCH_GAP_MAX_MS must be >= BENCH_GAP_MIN_MS');

const TARGETS = { latencyMedianMs: 5, idleCpuPercent: 1 };

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

function report(libtox: { version: string; path: string }, lat: LatencyResult, idle: Record<string, number>): void {
  const latMed = median(lat.samples);
  const latP95 = percentile(lat.samples, 95);
  const idleMax = Math.max(...Object.values(idle));
  const runtime = runtimeSeconds();
  const L: string[] = [];
  L.push('');
  L.push('toxync messaging benchmark (loopback-only network namespace)');
  L.push('============================================================');
  L.push(`libtoxcore ${libtox.version} (${libtox.path})`);
  L.push(`One-way message latency toxync→toxync (${lat.samples.length} delivered of ${CFG.messages}, gaps ${CFG.gapMinMs}–${CFG.gapMaxMs} ms):`);
  L.push(
    `  median ${fmt(latMed, 3)} ms   p95 ${fmt(latP95, 3)} ms   (target: median ≤ ${TARGETS.latencyMedianMs} ms → ${verdict(latMed <= TARGETS.latencyMedianMs)})`,
  );
  L.push(
    `  min ${fmt(Math.min(...lat.samples), 3)}  mean ${fmt(mean(lat.samples), 3)}  p99 ${fmt(percentile(lat.samples, 99), 3)}  max ${fmt(Math.max(...lat.samples), 3)} ms; lost ${lat.lost}`,
  );
  L.push(`  calibration: bench→Alice stdin→\`result\` line round trip median ${fmt(median(lat.sendRtt), 3)} ms`);
  L.push(`Idle CPU over ${CFG.idleSeconds} s (friends online, no traffic), % of one core:`);
  for (const [k, v] of Object.entries(idle)) L.push(`  ${k.padEnd(6)} ${fmt(v, 3)} %`);
  L.push(`  max ${fmt(idleMax, 3)} %   (target: ≤ ${TARGETS.idleCpuPercent} % → ${verdict(idleMax <= TARGETS.idleCpuPercent)})`);
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
    targets: { latency_one_way_median_ms_max: TARGETS.latencyMedianMs, idle_cpu_percent_max: TARGETS.idleCpuPercent },
    runtime_s: round(runtime, 1),
  };
  process.stdout.write(L.join('\n') + '\n' + JSON.stringify(json) + '\n');
}

async function main(): Promise<void> {
  assertLoopbackOnly();
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run node scripts/build.mjs');
  const root = mkdtempSync(join(tmpdir(), 'toxync-bench-'));
  onCleanup('temp dir', () => rmSync(root, { recursive: true, force: true }));
  log(`config ${JSON.stringify(CFG)}; temp dir ${root}`);
  // The CLI peers resolve libtoxcore the same way (same package, same environment).
  const libtox = loadLibtoxcore();
  log(`libtoxcore ${libtox.version} (${libtox.path})`);

  const pair = await toxyncPair(root);
  log(`idle CPU: settling ${CFG.settleSeconds} s, then measuring ${CFG.idleSeconds} s with no traffic`);
  await sleep(CFG.settleSeconds * 1000);
  const idle = await measureIdle({ alice: pair.alice.proc.pid!, bob: pair.bob.proc.pid! }, CFG.idleSeconds);
  log(`idle CPU: alice ${fmt(idle.alice!, 3)} %, bob ${fmt(idle.bob!, 3)} %`);

  const expectedLatencyS = (CFG.messages * (CFG.gapMinMs + CFG.gapMaxMs)) / 2 / 1000;
  log(`latency: ${CFG.messages} messages Alice→Bob, gaps ${CFG.gapMinMs}–${CFG.gapMaxMs} ms (~${expectedLatencyS.toFixed(0)} s)`);
  const lat = await measureLatency(pair);
  report(libtox, lat, idle);
}

runPhase('MESSAGING BENCHMARK', main);
