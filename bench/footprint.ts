// `npm run bench` part: what unlocking and loading cost the long-lived processes. Asserts
// nothing; runs inside the loopback-only namespace of scripts/bench.sh (it starts Tox nodes).
//  1. RSS after an Argon2id MODERATE unlock vs before, each in a fresh child process
//     (test/helpers/kdfProbe.ts): the old in-process derivation as the baseline, and the
//     store's real unlock, whose derivation runs in a short-lived worker thread.
//  2. A `toxync run` node (BENCH_FOOTPRINT_DIST/cli.js, default this tree's), idle after start-up, with an encrypted profile (unlocked with a
//     passphrase) and with a plain one: VmRSS from /proc after BENCH_FOOTPRINT_SETTLE_S.
//  3. The extension bundle (BENCH_FOOTPRINT_DIST/extension.js): its size, and the time to require() it and call
//     activate() in a fresh process (test/helpers/extLoad.ts: `vscode` is a stand-in), median of
//     BENCH_EXT_RUNS.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../src/sys/packageRoot';
import type { ExtLoad } from '../test/helpers/extLoad';
import type { KdfProbeResult } from '../test/helpers/kdfProbe';
import { assertLoopbackOnly } from '../test/helpers/netns';
import { tempDir } from '../test/helpers/peer';
import { sleep } from '../test/helpers/wait';
import { envInt } from './lib/env';
import { median } from './lib/stats';

const SETTLE_S = envInt('BENCH_FOOTPRINT_SETTLE_S', 5);
const EXT_RUNS = envInt('BENCH_EXT_RUNS', 9, 1);
/** Whose dist/ the node and extension figures use: this tree's, or another build's (a
 *  checkout of an older commit, built with scripts/build.mjs) for a before/after. */
const DIST = resolve(process.env.BENCH_FOOTPRINT_DIST ?? join(packageRoot(), 'dist'));
const MB = 1024 * 1024;
const mb = (b: number) => `${(b / MB).toFixed(1)} MB`;

function child(args: string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000, ...(env ? { env } : {}) });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function kdfProbe(mode: 'inproc' | 'store'): KdfProbeResult {
  return JSON.parse(child(['--expose-gc', join(packageRoot(), 'out', 'test', 'helpers', 'kdfProbe.js'), mode])) as KdfProbeResult;
}

function vmRss(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** `toxync run` from DIST (this tree's or another build's, to compare), idle after start-up. */
async function idleNodeRss(encrypted: boolean): Promise<number> {
  const dir = tempDir(encrypted ? 'bench-enc' : 'bench-plain');
  const cli = join(DIST, 'cli.js');
  const env = { ...process.env, TOXYNC_PASSPHRASE: 'bench footprint passphrase' };
  if (encrypted) child([cli, 'init', '--profile', dir], env);
  const node = spawn(process.execPath, [cli, 'run', '--profile', dir, ...(encrypted ? [] : ['--insecure-plain-profile']), '--local-discovery', 'off'], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => node.once('exit', () => r()));
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the node did not report ready within 60 s')), 60_000);
      createInterface({ input: node.stdout }).on('line', (l) => {
        if (!/"event":"ready"/.test(l)) return;
        clearTimeout(t);
        resolve();
      });
      node.once('exit', () => reject(new Error('the node exited before it was ready')));
    });
    await sleep(SETTLE_S * 1000);
    if (node.pid === undefined) throw new Error('the node has no pid');
    return vmRss(node.pid);
  } finally {
    node.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
    const kill = setTimeout(() => node.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(kill);
    rmSync(dir, { recursive: true, force: true });
  }
}

const cliFrom = (d: string) => join(d, 'cli.js');
const size = (f: string) => (existsSync(f) ? `${(statSync(f).size / 1024).toFixed(0)} KB` : 'none');

async function main(): Promise<void> {
  assertLoopbackOnly();
  const inproc = kdfProbe('inproc');
  const worker = kdfProbe('store');
  const enc = await idleNodeRss(true);
  const plain = await idleNodeRss(false);
  const dist = DIST;
  const loads = Array.from({ length: EXT_RUNS }, () => JSON.parse(child([join(packageRoot(), 'out', 'test', 'helpers', 'extLoad.js'), dist])) as ExtLoad);
  const req = median(loads.map((l) => l.requireMs));
  const act = median(loads.map((l) => l.activateMs));
  process.stdout.write(
    [
      'footprint: RSS after an Argon2id MODERATE unlock vs before (fresh process, after gc)',
      `  in-process derivation (the old way, baseline): ${mb(inproc.before)} → ${mb(inproc.after)} (+${mb(inproc.after - inproc.before)}), ${inproc.ms.toFixed(0)} ms`,
      `  store create + unlock, Argon2id in a worker thread: ${mb(worker.before)} → ${mb(worker.created ?? NaN)} after create → ${mb(worker.after)} after unlock (+${mb(worker.after - worker.before)}), unlock ${worker.ms.toFixed(0)} ms`,
      `  toxync run (${cliFrom(DIST)}), idle ${SETTLE_S} s after start: encrypted profile ${mb(enc)}, plain profile ${mb(plain)} (difference ${mb(enc - plain)})`,
      `extension bundle (${dist}): extension.js ${size(join(dist, 'extension.js'))} (+ on first use: sodium.js ${size(join(dist, 'sodium.js'))}, uqr.js ${size(join(dist, 'uqr.js'))})`,
      `  require() ${req.toFixed(1)} ms + activate() ${act.toFixed(1)} ms = ${(req + act).toFixed(1)} ms, median of ${EXT_RUNS} fresh processes with a stand-in vscode (target ≤ 30 ms); dist/ files loaded by then: ${[...new Set(loads.flatMap((l) => l.loaded))].join(', ')}`,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench footprint failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
