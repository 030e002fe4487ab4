// `npm run bench`, file part: file throughput toxync→toxync against toxic→toxic as the
// reference. Runs only inside a loopback-only network namespace (scripts/bench.sh;
// assertLoopbackOnly refuses otherwise). Idle CPU and message latency are bench/messaging.ts.
//
// Phases (all timestamps taken in this process with performance.now()):
//  1. toxync pair (lib/toxyncPair.ts): BENCH_FILE_RUNS runs of one random BENCH_FILE_BYTES
//     file (50 MB), then BENCH_BIG_FILE_RUNS runs of a BENCH_BIG_FILE_BYTES file (400 MB; 0 skips).
//  2. toxic pair (lib/toxicPair.ts: tmux, bootstrapping from a toxync seed node): toxic's idle
//     CPU as a reference for messaging.ts's figure (BENCH_TOXIC_IDLE_S; 0 skips), then the same
//     files, same runs. Each size is reported as toxync / toxic, a ratio.
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

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRandomFile } from '../test/helpers/files';
import { assertLoopbackOnly } from '../test/helpers/netns';
import { assertToxicInstalled } from '../test/helpers/toxic';
import { loadLibtoxcore } from '../src/tox/loader';
import { envInt } from './lib/env';
import { type FileRun, toxyncFileRun } from './lib/fileRun';
import { fmt, log, measureIdle, onCleanup, runPhase, runtimeSeconds, sleep, verdict } from './lib/harness';
import { median, round } from './lib/stats';
import { toxicFileRun, toxicPair, toxicPid } from './lib/toxicPair';
import { stopPeer, toxyncPair } from './lib/toxyncPair';

const CFG = {
  settleSeconds: envInt('BENCH_SETTLE_S', 5),
  fileBytes: envInt('BENCH_FILE_BYTES', 50_000_000, 1),
  fileRuns: envInt('BENCH_FILE_RUNS', 3, 1),
  bigFileBytes: envInt('BENCH_BIG_FILE_BYTES', 400_000_000, 0),
  bigFileRuns: envInt('BENCH_BIG_FILE_RUNS', 1, 1),
  pauseBetweenRunsMs: envInt('BENCH_RUN_PAUSE_MS', 3000),
  toxicIdleSeconds: envInt('BENCH_TOXIC_IDLE_S', 30),
};

const TARGETS = { fileRatio: 1.0 };

/** A payload written once and sent by both clients, so they move exactly the same bytes. */
interface Payload {
  path: string;
  sha: string;
  bytes: number;
  runs: number;
}

/** The runs of each payload in turn (the big one only if it is configured). */
async function fileRuns(label: string, payloads: Payload[], run: (p: Payload, r: number) => Promise<FileRun>): Promise<FileRun[][]> {
  const out: FileRun[][] = [];
  for (const [i, p] of payloads.entries()) {
    const runs: FileRun[] = [];
    for (let r = 1; r <= p.runs; r++) {
      if (r > 1 || i > 0) await sleep(CFG.pauseBetweenRunsMs);
      log(`file: ${label} ${p.bytes / 1e6} MB run ${r}/${p.runs}`);
      const res = await run(p, r);
      runs.push(res);
      log(
        `file: ${label} ${p.bytes / 1e6} MB run ${r}: ${fmt(res.seconds, 2)} s, ${fmt(res.mbps, 2)} MB/s (accept→done ${fmt(res.acceptToDoneSeconds, 2)} s), SHA-256 ok`,
      );
    }
    out.push(runs);
  }
  return out;
}

function report(libtox: { version: string; path: string }, toxync: FileRun[][], toxic: FileRun[][], toxicIdle: Record<string, number> | null): void {
  const [toxyncRuns = [], toxyncBig = []] = toxync;
  const [toxicRuns = [], toxicBig = []] = toxic;
  const mb = median(toxyncRuns.map((r) => r.mbps));
  const tmb = median(toxicRuns.map((r) => r.mbps));
  const ratio = mb / tmb;
  const accMb = median(toxyncRuns.map((r) => CFG.fileBytes / 1e6 / r.acceptToDoneSeconds));
  const accTmb = median(toxicRuns.map((r) => CFG.fileBytes / 1e6 / r.acceptToDoneSeconds));
  const bigMb = toxyncBig.length ? median(toxyncBig.map((r) => r.mbps)) : NaN;
  const bigTmb = toxicBig.length ? median(toxicBig.map((r) => r.mbps)) : NaN;
  const bigRatio = bigMb / bigTmb;
  const runtime = runtimeSeconds();
  const runList = (runs: FileRun[]) => runs.map((r) => `${fmt(r.mbps)} MB/s (${fmt(r.seconds)} s)`).join(', ');

  const L: string[] = [];
  L.push('');
  L.push('toxync file benchmark (loopback-only network namespace)');
  L.push('=======================================================');
  L.push(`libtoxcore ${libtox.version} (${libtox.path})`);
  if (toxicIdle)
    L.push(
      `Idle CPU reference, toxic over ${CFG.toxicIdleSeconds} s: ${Object.entries(toxicIdle)
        .map(([k, v]) => `${k} ${fmt(v, 3)} %`)
        .join(', ')}`,
    );
  L.push(
    `File transfer, ${CFG.fileBytes / 1e6} MB random file, SHA-256 verified, ${CFG.fileRuns} run(s) each; MB/s = ${CFG.fileBytes / 1e6} MB / (send command → complete file on receiver's disk):`,
  );
  L.push(`  toxync→toxync  runs ${runList(toxyncRuns)}  → median ${fmt(mb)} MB/s`);
  L.push(`  toxic→toxic    runs ${runList(toxicRuns)}  → median ${fmt(tmb)} MB/s`);
  L.push(
    `  file_50mb_ratio_vs_toxic = toxync / toxic = ${fmt(ratio, 3)}   (target: ≥ ${TARGETS.fileRatio.toFixed(1)}× → ${verdict(ratio >= TARGETS.fileRatio)})`,
  );
  L.push(`  (counted from the receiver's accept instead: toxync ${fmt(accMb)} MB/s, toxic ${fmt(accTmb)} MB/s, ratio ${fmt(accMb / accTmb, 3)})`);
  if (toxyncBig.length) {
    L.push(`File transfer, ${CFG.bigFileBytes / 1e6} MB random file, SHA-256 verified, ${CFG.bigFileRuns} run(s) each:`);
    L.push(`  toxync→toxync  runs ${runList(toxyncBig)}  → median ${fmt(bigMb)} MB/s`);
    L.push(`  toxic→toxic    runs ${runList(toxicBig)}  → median ${fmt(bigTmb)} MB/s`);
    L.push(
      `  file_big_ratio_vs_toxic = toxync / toxic = ${fmt(bigRatio, 3)}   (target: ≥ ${TARGETS.fileRatio.toFixed(1)}× → ${verdict(bigRatio >= TARGETS.fileRatio)})`,
    );
  }
  L.push(`Total runtime ${fmt(runtime, 1)} s`);
  L.push('');

  const json = {
    libtoxcore_version: libtox.version,
    libtoxcore_path: libtox.path,
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
    targets: { file_50mb_ratio_vs_toxic_min: TARGETS.fileRatio },
    runtime_s: round(runtime, 1),
  };
  process.stdout.write(L.join('\n') + '\n' + JSON.stringify(json) + '\n');
}

async function main(): Promise<void> {
  assertLoopbackOnly();
  assertToxicInstalled();
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run node scripts/build.mjs');
  const root = mkdtempSync(join(tmpdir(), 'toxync-bench-files-'));
  onCleanup('temp dir', () => rmSync(root, { recursive: true, force: true }));
  log(`config ${JSON.stringify(CFG)}; temp dir ${root}`);
  // The CLI peers resolve libtoxcore the same way (same package, same environment).
  const libtox = loadLibtoxcore();
  log(`libtoxcore ${libtox.version} (${libtox.path})`);

  const payloads: Payload[] = [];
  const src = join(root, 'payload.bin');
  payloads.push({ path: src, sha: makeRandomFile(src, CFG.fileBytes), bytes: CFG.fileBytes, runs: CFG.fileRuns });
  log(`random ${CFG.fileBytes}-byte file written (sha256 ${payloads[0]!.sha.slice(0, 16)}…)`);
  if (CFG.bigFileBytes > 0) {
    const bigSrc = join(root, 'payload-big.bin');
    payloads.push({ path: bigSrc, sha: makeRandomFile(bigSrc, CFG.bigFileBytes), bytes: CFG.bigFileBytes, runs: CFG.bigFileRuns });
    log(`random ${CFG.bigFileBytes}-byte file written (sha256 ${payloads[1]!.sha.slice(0, 16)}…)`);
  }

  const pair = await toxyncPair(root);
  const toxync = await fileRuns('toxync→toxync', payloads, (p, r) => toxyncFileRun(pair, p.path, p.sha, root, r, p.bytes));
  await stopPeer(pair.alice);
  await stopPeer(pair.bob);

  const toxic = await toxicPair(root);
  let toxicIdle: Record<string, number> | null = null;
  if (CFG.toxicIdleSeconds > 0) {
    log(`toxic idle CPU (reference): settling ${CFG.settleSeconds} s, measuring ${CFG.toxicIdleSeconds} s`);
    await sleep(CFG.settleSeconds * 1000);
    toxicIdle = await measureIdle({ toxic_a: toxicPid(toxic.a), toxic_b: toxicPid(toxic.b) }, CFG.toxicIdleSeconds);
  }
  const toxicRuns = await fileRuns('toxic→toxic', payloads, (p, r) => toxicFileRun(toxic, p.path, p.sha, r, p.bytes));
  report(libtox, toxync, toxicRuns, toxicIdle);
}

runPhase('FILE BENCHMARK', main);
