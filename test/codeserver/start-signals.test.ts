// `npm start` stopped the way people and tools stop it: SIGTERM or SIGINT to the PID of
// `npm start` itself (a process manager, an IDE's stop button, `kill PID`) and Ctrl-C of the
// terminal's process group. Each must stop every process it started and remove its temporary
// folder. Runs the real `npm start` (npm → scripts/start.sh → dist/start.js → the demo
// namespace) with TOXYNC_START_PREPACKAGED=1, which skips set-up and packaging (scripts/test.sh
// has just packaged the .vsix). The positive control is the first run's process count: the
// tree must hold the namespace, code-server and both Tox nodes before the signal, so "nothing
// left" is a real observation, not an empty list.

import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { packageRoot } from '../../src/sys/packageRoot';
import { cmdline, descendants, waitGone } from '../../tools/devhost/procs';
import { vsixPath } from '../helpers/vscodeHost';

interface Started {
  proc: ChildProcess;
  out: string[];
  runDir: string;
}

async function npmStart(): Promise<Started> {
  vsixPath(); // throws if the .vsix is missing: the test must not fall back to packaging
  // detached: npm leads a process group of its own, like a shell's foreground job.
  const proc = spawn('npm', ['start', '--', '--port', '0'], {
    cwd: packageRoot(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TOXYNC_START_PREPACKAGED: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
  const out: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (l) => out.push(l));
  let runDir = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`not ready within 100 s; output:\n${out.slice(-20).join('\n')}`)), 100_000);
    proc.once('exit', (c) => reject(new Error(`npm start exited (${c}); output:\n${out.slice(-20).join('\n')}`)));
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      out.push(l);
      runDir = /Temporary files \(removed on exit\): (\S+)/.exec(l)?.[1] ?? runDir;
      if (l.includes('Ctrl-C stops everything')) (clearTimeout(t), resolve());
    });
  });
  return { proc, out, runDir };
}

async function stopsEverything(s: Started, signal: () => void): Promise<void> {
  const tree = descendants(s.proc.pid!);
  const names = tree.map(cmdline).join('\n');
  assert.ok(names.includes('start.js') && names.includes('demo-host.js') && names.includes('code-server'), `unexpected tree:\n${names}`);
  assert.ok(tree.filter((p) => cmdline(p).includes('cli.js run')).length >= 2, `expected two Tox nodes in:\n${names}`);
  assert.ok(s.runDir && existsSync(s.runDir), 'no temporary folder announced');
  const exited = new Promise<void>((r) => s.proc.once('exit', () => r()));
  signal();
  await exited;
  assert.deepEqual(
    await waitGone(tree, 10_000),
    [],
    `processes left behind:\n${tree
      .filter((p) => cmdline(p))
      .map(cmdline)
      .join('\n')}`,
  );
  assert.ok(
    s.out.some((l) => l.includes('stopped code-server and the Tox nodes')),
    s.out.slice(-10).join('\n'),
  );
  assert.ok(!existsSync(s.runDir), `temporary folder ${s.runDir} left behind`);
}

describe('npm start stops everything it started on SIGTERM/SIGINT to its PID and on Ctrl-C', function () {
  this.timeout(180_000);
  let current: Started | undefined;

  afterEach(async () => {
    // A failed run must not leave its hosts behind for the next test: stop the tree by PID.
    if (!current) return;
    const left = [current.proc.pid!, ...descendants(current.proc.pid!)];
    for (const p of left.reverse()) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    current = undefined;
  });

  it('SIGTERM to the PID of `npm start`', async () => {
    current = await npmStart();
    await stopsEverything(current, () => current!.proc.kill('SIGTERM'));
  });

  it('SIGINT to the PID of `npm start`', async () => {
    current = await npmStart();
    await stopsEverything(current, () => current!.proc.kill('SIGINT'));
  });

  it('Ctrl-C: SIGINT to its whole process group', async () => {
    current = await npmStart();
    await stopsEverything(current, () => process.kill(-current!.proc.pid!, 'SIGINT'));
  });
});
