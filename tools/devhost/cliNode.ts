// A `toxync run` node started by the demo host (the local bootstrap seed and the echo bot):
// its validated JSON events and its commands. The test suite has a richer twin
// (test/helpers/peer.ts); this one stays in src/ because `npm start` ships it.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../../src/sys/packageRoot';
import { check } from '../../src/protocol/guard';
import { event, type NodeEvent } from '../../src/protocol/node';
import { assertLoopbackOnly } from './devNetns';

export type Ready = Extract<NodeEvent, { event: 'ready' }>;

export class CliNode {
  readonly proc: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<Ready>;
  /** Every validated event after `ready` (the demo bot reads messages and files here). */
  onEvent: (e: NodeEvent) => void = () => {};

  constructor(
    readonly name: string,
    profileDir: string,
    args: string[],
    onLog: (line: string) => void,
  ) {
    assertLoopbackOnly(`the ${name} Tox node`);
    mkdirSync(profileDir, { recursive: true, mode: 0o700 });
    const cli = join(packageRoot(), 'dist', 'cli.js');
    this.proc = spawn(process.execPath, [cli, 'run', '--profile', profileDir, '--insecure-plain-profile', '--local-discovery', 'off', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stdin!.on('error', () => {}); // EPIPE after an early exit shows up as a missing answer
    createInterface({ input: this.proc.stderr! }).on('line', (l) => onLog(`${name}: ${l}`));
    this.ready = new Promise((resolve, reject) => {
      this.proc.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
      createInterface({ input: this.proc.stdout! }).on('line', (line) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          return onLog(`${name}: ${line}`);
        }
        const r = check(event, parsed);
        if (!r.ok) return;
        const e = r.value;
        if (e.event === 'ready') resolve(e);
        else if ((e.event === 'result' || e.event === 'error') && e.id !== undefined) {
          const p = this.pending.get(e.id);
          this.pending.delete(e.id);
          if (e.event === 'result') p?.resolve(e.value);
          else p?.reject(new Error(`${name}: ${e.cmd ?? 'command'} failed: ${e.message}`));
        } else if (e.event === 'log' && e.level !== 'debug') onLog(`${name}: ${e.message}`);
        else this.onEvent(e);
      });
    });
  }

  command(cmd: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.stdin!.write(JSON.stringify({ ...cmd, id }) + '\n');
    });
  }

  /** Asks the node to save and quit; kills it if it has not exited after 5 s. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.stdin!.write(JSON.stringify({ cmd: 'quit' }) + '\n');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}
