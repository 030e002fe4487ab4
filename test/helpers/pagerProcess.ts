// A `toxync pager serve|send` CLI process under test (or bench), and a client for its HTTP
// API. No import side effects (every .ts under test/ is bundled as an entry).

import { type ChildProcess, spawn } from 'node:child_process';
import { type Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { assertLoopbackOnly } from './netns';
import { cliPath } from './peer';
import { until } from './wait';

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** Calls the pager API on 127.0.0.1:`port` with `token`; `agent` to reuse connections. */
export function pagerApi(port: number, token: string, agent?: Agent): (method: string, path: string, body?: unknown) => Promise<Reply> {
  return (method, path, body) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          ...(agent ? { agent } : {}),
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    });
}

/** `toxync pager …` with `args`: its stdout lines (JSON) and stderr lines. */
export class PagerProcess {
  readonly lines: Record<string, unknown>[] = [];
  readonly stderr: string[] = [];
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    assertLoopbackOnly();
    this.proc = spawn(process.execPath, [cliPath(), 'pager', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    createInterface({ input: this.proc.stdout! }).on('line', (l) => this.lines.push(JSON.parse(l) as Record<string, unknown>));
    createInterface({ input: this.proc.stderr! }).on('line', (l) => this.stderr.push(l));
    this.exited = new Promise((resolve) => this.proc.once('close', (code) => resolve(code)));
  }

  /** `serve`: resolves once it printed pager_ready (its port and Tox ID). */
  ready(timeoutMs = 30_000): Promise<{ port: number; address: string }> {
    return until(`pager_ready (stderr: ${this.stderr.join(' | ')})`, timeoutMs, () => {
      if (this.proc.exitCode !== null) throw new Error(`toxync pager exited ${this.proc.exitCode}: ${this.stderr.join(' | ')}`);
      const r = this.lines.find((l) => l.event === 'pager_ready');
      return r ? { port: Number(new URL(String(r.listen)).port), address: String(r.address) } : null;
    });
  }

  /** SIGTERM (serve saves its profile and exits 0), then the exit code. */
  async stop(): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    return this.exited;
  }
}
