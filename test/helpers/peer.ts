// A `toxync run` process under test: its JSON events, awaited by predicate, and its commands.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../../src/sys/packageRoot';
import type { NodeEvent } from '../../src/protocol/node';
import { assertLoopbackOnly } from './netns';

type Ev = NodeEvent & Record<string, unknown>;

export interface SpawnAs {
  prefix?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** An encrypted store (made by `toxync init`; the passphrase in env) instead of a plain profile. */
  encrypted?: boolean;
  /** Another Node binary and CLI bundle (the emulated-platform tests: test/platform/). */
  node?: string;
  cli?: string;
}

export function cliPath(): string {
  return join(packageRoot(), 'dist', 'cli.js');
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `toxync-${prefix}-`));
}

export class CliPeer {
  readonly events: Ev[] = [];
  readonly stderr: string[] = [];
  private waiters: { pred: (e: Ev) => boolean; resolve: (e: Ev) => void }[] = [];
  private nextId = 1;
  private exited: Promise<number | null>;
  readonly proc: ChildProcess;

  /** `spawnAs.prefix` runs the node through another command (e.g. setpriv to change uid). */
  constructor(
    readonly name: string,
    readonly profileDir: string,
    args: string[],
    spawnAs: SpawnAs = {},
  ) {
    assertLoopbackOnly();
    const argv = [
      spawnAs.node ?? process.execPath,
      spawnAs.cli ?? cliPath(),
      'run',
      '--profile',
      profileDir,
      ...(spawnAs.encrypted ? [] : ['--insecure-plain-profile']),
      '--local-discovery',
      'off',
      ...args,
    ];
    const [cmd, ...rest] = [...(spawnAs.prefix ?? []), ...argv];
    this.proc = spawn(cmd!, rest, {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(spawnAs.env ? { env: spawnAs.env } : {}),
      ...(spawnAs.cwd ? { cwd: spawnAs.cwd } : {}),
    });
    this.proc.once('error', (e) => this.stderr.push(`spawn error: ${e.message}`));
    this.proc.stdin!.on('error', () => {}); // EPIPE after an early exit surfaces in waitFor's message
    createInterface({ input: this.proc.stdout! }).on('line', (line) => this.onLine(line));
    createInterface({ input: this.proc.stderr! }).on('line', (line) => this.stderr.push(line));
    this.exited = new Promise((resolve) => this.proc.once('close', (code) => resolve(code)));
  }

  get pid(): number {
    if (this.proc.pid === undefined) throw new Error(`${this.name} did not start: ${this.stderr.join(' | ')}`);
    return this.proc.pid;
  }

  static start(name: string, args: string[] = [], profileDir = tempDir(name)): CliPeer {
    return new CliPeer(name, profileDir, args);
  }

  private onLine(line: string): void {
    let e: Ev;
    try {
      e = JSON.parse(line) as Ev;
    } catch {
      this.stderr.push(`non-JSON stdout: ${line}`);
      return;
    }
    this.events.push(e);
    for (const w of [...this.waiters]) {
      if (w.pred(e)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  }

  /** Resolves with the first matching event at or after `fromIndex` (already seen or future). */
  waitFor(pred: (e: Ev) => boolean, timeoutMs = 30_000, what = 'event', fromIndex = 0): Promise<Ev> {
    const seen = this.events.slice(fromIndex).find(pred);
    if (seen) return Promise.resolve(seen);
    return this.waitForNext(pred, timeoutMs, what);
  }

  /** Like waitFor, but only for events that arrive from now on. */
  waitForNext(pred: (e: Ev) => boolean, timeoutMs = 30_000, what = 'event'): Promise<Ev> {
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (e: Ev) => (clearTimeout(t), resolve(e)) };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(
          new Error(
            `${this.name}: timed out after ${timeoutMs} ms waiting for ${what}; last events: ${this.events
              .slice(-5)
              .map((e) => JSON.stringify(e).slice(0, 200))
              .join(' ')}; stderr: ${this.stderr.slice(-5).join(' | ')}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  event<N extends NodeEvent['event']>(
    name: N,
    pred: (e: Extract<NodeEvent, { event: N }>) => boolean = () => true,
    timeoutMs?: number,
    fromIndex = 0,
  ): Promise<Extract<NodeEvent, { event: N }>> {
    return this.waitFor((e) => e.event === name && pred(e as Extract<NodeEvent, { event: N }>), timeoutMs, name, fromIndex) as Promise<
      Extract<NodeEvent, { event: N }>
    >;
  }

  ready(): Promise<Extract<NodeEvent, { event: 'ready' }>> {
    return this.event('ready', () => true, 20_000);
  }

  /** Writes a raw line to stdin (for malformed-input tests). */
  writeLine(line: string): void {
    this.proc.stdin!.write(line + '\n');
  }

  /** Sends a command and resolves with its result value; rejects on its error event. */
  async command(cmd: Record<string, unknown>, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.writeLine(JSON.stringify({ ...cmd, id }));
    const e = await this.waitFor((x) => (x.event === 'result' || x.event === 'error') && x.id === id, timeoutMs, `answer to ${String(cmd.cmd)}`);
    if (e.event === 'error') throw Object.assign(new Error(e.message), { code: e.code });
    return (e as Extract<NodeEvent, { event: 'result' }>).value as Record<string, unknown>;
  }

  async stop(): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null && this.proc.pid !== undefined) {
      this.writeLine(JSON.stringify({ cmd: 'quit' }));
      const t = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
      const code = await this.exited;
      clearTimeout(t);
      return code;
    }
    return this.exited;
  }

  cleanup(): void {
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

/** The node others bootstrap from: its UDP port and DHT key as a --bootstrap argument. */
export async function bootstrapArg(seed: CliPeer): Promise<string[]> {
  const r = await seed.ready();
  if (!r.udp_port) throw new Error('seed node has no UDP port');
  return ['--bootstrap', `127.0.0.1:${r.udp_port}:${r.dht_id}`];
}

/** Makes `a` and `b` friends (a asks, b accepts) and waits until both see each other online. */
export async function befriend(a: CliPeer, b: CliPeer, message = 'hello from a test'): Promise<{ aSeesB: number; bSeesA: number }> {
  const bInfo = await b.ready();
  const aInfo = await a.ready();
  const { friend: aSeesB } = (await a.command({ cmd: 'friend_add', address: bInfo.address, message })) as { friend: number };
  const req = await b.event('friend_request', (e) => e.public_key === aInfo.public_key, 60_000);
  const { friend: bSeesA } = (await b.command({ cmd: 'friend_accept', public_key: req.public_key })) as { friend: number };
  await Promise.all([
    a.event('friend_connection', (e) => e.friend === aSeesB && e.status !== 'none', 60_000),
    b.event('friend_connection', (e) => e.friend === bSeesA && e.status !== 'none', 60_000),
  ]);
  return { aSeesB, bSeesA };
}
