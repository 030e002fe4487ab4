// What every toxync-pair bench phase (bench/messaging.ts, bench/fileSpeed.ts) shares: a
// progress log on stderr timed from the start, cleanups that run once however the phase ends
// (so no node or tmux session outlives a failed run), and the entry point that wires signals.

import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sha256File } from '../../test/helpers/files';
import { cpuSeconds } from './proc';

const t0Bench = performance.now();
export const now = () => performance.now();
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Seconds since this phase started. */
export const runtimeSeconds = () => (now() - t0Bench) / 1000;

export function log(msg: string): void {
  process.stderr.write(`[bench ${runtimeSeconds().toFixed(1).padStart(6)} s] ${msg}\n`);
}

const cleanups: { name: string; fn: () => Promise<void> | void }[] = [];
export function onCleanup(name: string, fn: () => Promise<void> | void): void {
  cleanups.push({ name, fn });
}
let cleaning: Promise<void> | null = null;
/** True once the phase is tearing down: a peer exiting then is expected, not news. */
export const isCleaning = () => cleaning !== null;
export function cleanupAll(): Promise<void> {
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

/** Runs a phase as this process's whole life: cleans up on a signal, on success and on
 *  failure, and says FAILED on stdout so a reader of the results sees it. */
export function runPhase(label: string, main: () => Promise<void>): void {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      log(`${sig}: cleaning up`);
      void cleanupAll().then(() => process.exit(130));
    });
  }
  main().then(
    () => cleanupAll().then(() => process.exit(0)),
    (e: unknown) => {
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      process.stdout.write(`\n${label} FAILED: ${msg}\n`);
      void cleanupAll().then(() => process.exit(1));
    },
  );
}

export async function verifyFile(path: string, bytes: number, sha: string, what: string): Promise<void> {
  const size = statSync(path).size;
  if (size !== bytes) throw new Error(`${what}: received ${size} bytes, expected ${bytes}`);
  const got = await sha256File(path);
  if (got !== sha) throw new Error(`${what}: SHA-256 mismatch (got ${got}, expected ${sha})`);
}

export function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

export function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'MISSES target';
}

/** CPU use of each process over `seconds` of wall time, in % of one core. */
export async function measureIdle(pids: Record<string, number>, seconds: number): Promise<Record<string, number>> {
  const before: Record<string, number> = {};
  for (const [k, pid] of Object.entries(pids)) before[k] = cpuSeconds(pid);
  const t = now();
  await sleep(seconds * 1000);
  const wall = (now() - t) / 1000;
  const out: Record<string, number> = {};
  for (const [k, pid] of Object.entries(pids)) out[k] = ((cpuSeconds(pid) - before[k]!) / wall) * 100;
  return out;
}
