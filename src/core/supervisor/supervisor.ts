// Runs the Tox node process and keeps it running: restarts it with backoff after a crash,
// an exit or a missed heartbeat, with the same profile (same Tox ID, same friends).
// Lives in the extension host (and in tests), so it imports no native code.
//
// Delivery rule across restarts — nothing lost, nothing twice: a command that was never
// handed to a node waits in a queue and goes to the next one; a command that was in flight
// when the node died is rejected with NodeRestartedError and never replayed (the node may or
// may not have acted on it; only the caller can know whether repeating it is safe).

import { Emitter, type Listener } from '../../common/emitter';
import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { check } from '../../protocol/guard';
import { type Command, type CommandName, event, type NodeConfig, type NodeEvent, type ResultOf, resultGuards, type TransferRecord } from '../../protocol/node';
import { logCode } from '../../protocol/errcode';
import { nodeEnv } from './nodeEnv';

export type NodeState = 'stopped' | 'starting' | 'connecting' | 'online-udp' | 'online-tcp' | 'offline' | 'crashed-restarting';

export class NodeRestartedError extends Error {
  override readonly name = 'NodeRestartedError';
}
export class NodeCommandError extends Error {
  override readonly name = 'NodeCommandError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly cmd: string,
  ) {
    super(message);
  }
}

export interface SupervisorOptions {
  script: string;
  config: NodeConfig;
  heartbeatMs?: number;
  /** A node that sent nothing for this long (counted in heartbeats) is killed and restarted. */
  heartbeatTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** A node that ran this long resets the backoff. */
  stableMs?: number;
  /** Where the node's environment is taken from (default process.env); only NODE_ENV_ALLOWLIST passes. */
  env?: NodeJS.ProcessEnv;
  /** The latest profile (base64), for a host-kept profile: asked at every (re)start, so a
   *  restarted node comes back with what the last one saved. */
  savedata?: () => string | undefined;
  /** The latest resumable-transfer records (host-kept store), also asked at every (re)start. */
  transfers?: () => TransferRecord[] | undefined;
}

type CommandOf<C extends CommandName> = Omit<Extract<Command, { cmd: C }>, 'id'>;
interface Pending {
  cmd: CommandName;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class NodeSupervisor {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private queue: { id: number; msg: Command }[] = [];
  private ready = false;
  private stopping = false;
  private wasOnline = false;
  private restarts = 0;
  private backoff: number;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** Messages read from the current node: any of them, not only a pong, shows it is alive. */
  private heard = 0;
  private readonly events = new Emitter<NodeEvent>();
  private readonly states = new Emitter<NodeState>();
  private readonly logs = new Emitter<string>();
  private _state: NodeState = 'stopped';

  constructor(private readonly opts: SupervisorOptions) {
    this.backoff = opts.backoffInitialMs ?? 500;
  }

  get state(): NodeState {
    return this._state;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  get restartCount(): number {
    return this.restarts;
  }

  onEvent(l: Listener<NodeEvent>): () => void {
    return this.events.on(l);
  }
  onState(l: Listener<NodeState>): () => void {
    return this.states.on(l);
  }
  /** Diagnostics: the node's stderr and dropped messages. Never message texts. */
  onLog(l: Listener<string>): () => void {
    return this.logs.on(l);
  }

  start(): void {
    if (this.child || this.stopping) return;
    this.spawn();
  }

  /** Sends a command; resolves with its checked result. Queued while the node is down. */
  request<C extends CommandName>(body: CommandOf<C> & { cmd: C }): Promise<ResultOf<C>> {
    if (this.stopping) return Promise.reject(new Error('supervisor stopped'));
    const id = this.nextId++;
    const msg = { ...body, id } as Command;
    return new Promise<ResultOf<C>>((resolve, reject) => {
      this.pending.set(id, { cmd: body.cmd, resolve: resolve as (v: unknown) => void, reject });
      if (this.ready && this.child?.connected) this.child.send(msg);
      else this.queue.push({ id, msg });
    });
  }

  private setState(s: NodeState): void {
    if (s === this._state) return;
    this._state = s;
    this.states.emit(s);
  }

  private log(line: string): void {
    this.logs.emit(line);
  }

  private spawn(): void {
    this.ready = false;
    this.setState('starting');
    this.startedAt = Date.now();
    const child = fork(this.opts.script, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
      env: nodeEnv(this.opts.env ?? process.env),
    });
    this.child = child;
    if (child.stderr) createInterface({ input: child.stderr }).on('line', (l) => this.log(`node stderr: ${l}`));
    child.on('message', (raw) => this.onMessage(child, raw));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('error', (e) => this.log(`node process error: ${logCode(e)}`));
    const startId = this.nextId++;
    this.pending.set(startId, { cmd: 'start', resolve: () => {}, reject: () => {} });
    const savedata = this.opts.savedata?.();
    const transfers = this.opts.transfers?.();
    child.send({
      cmd: 'start',
      id: startId,
      config: this.opts.config,
      ...(savedata ? { savedata } : {}),
      ...(transfers ? { transfers } : {}),
    });
  }

  private onMessage(child: ChildProcess, raw: unknown): void {
    if (child === this.child) this.heard++;
    const parsed = check(event, raw);
    if (!parsed.ok) {
      if (child === this.child) this.log(`dropped an invalid message from the node: ${parsed.error}`);
      return;
    }
    const e = parsed.value;
    if (child !== this.child) {
      // A node's last profile save can arrive after its 'exit' (IPC is read after the exit
      // is reported): still the newest profile, so it is passed on. Nothing else is.
      if (e.event === 'savedata') this.events.emit(e);
      return;
    }
    switch (e.event) {
      case 'ready':
        this.ready = true;
        this.startHeartbeat();
        this.setState(e.connection === 'none' ? (this.wasOnline ? 'offline' : 'connecting') : e.connection === 'udp' ? 'online-udp' : 'online-tcp');
        for (const q of this.queue.splice(0)) child.send(q.msg);
        break;
      case 'self_connection':
        if (e.status !== 'none') this.wasOnline = true;
        this.setState(e.status === 'none' ? (this.wasOnline ? 'offline' : 'connecting') : e.status === 'udp' ? 'online-udp' : 'online-tcp');
        break;
      case 'pong':
        return; // heartbeats are the supervisor's business only
      case 'result':
      case 'error':
        if (e.id !== undefined) this.settle(e);
        break;
    }
    this.events.emit(e);
  }

  private settle(e: Extract<NodeEvent, { event: 'result' | 'error' }>): void {
    const p = this.pending.get(e.id!);
    if (!p) return;
    this.pending.delete(e.id!);
    if (e.event === 'error') return p.reject(new NodeCommandError(e.message, e.code, p.cmd));
    const checked = check(resultGuards[p.cmd], e.value);
    if (checked.ok) p.resolve(checked.value);
    else p.reject(new NodeCommandError(`invalid result for ${p.cmd}: ${checked.error}`, 'invalid_result', p.cmd));
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    const every = this.opts.heartbeatMs ?? 5000;
    const timeout = this.opts.heartbeatTimeoutMs ?? 15000;
    // Silence is counted in heartbeats that found nothing new from the node, not by the clock
    // since the last pong: a host that was itself busy (one tick, late) or still has the
    // node's events to read (the pong waits behind them in the pipe) said nothing about the
    // node. Killing a healthy node loses the events in its write queue, among them messages
    // whose read receipts toxcore has already sent (docs/decisions.md).
    const limit = Math.max(1, Math.ceil(timeout / every));
    let seen = this.heard;
    let silent = 0;
    this.heartbeatTimer = setInterval(() => {
      const child = this.child;
      if (!child || !this.ready) return;
      if (this.heard !== seen) {
        seen = this.heard;
        silent = 0;
      } else if (++silent >= limit) {
        this.log(`node sent nothing for ${limit} heartbeats (${timeout} ms): killing it`);
        child.kill('SIGKILL');
        return;
      }
      if (child.connected) child.send({ cmd: 'ping' });
    }, every);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = null;
    this.ready = false;
    this.stopHeartbeat();
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new NodeRestartedError(`the Tox node stopped (${signal ?? `exit ${code}`}) before answering ${p.cmd}`));
    }
    if (this.stopping) {
      this.setState('stopped');
      return;
    }
    this.log(`node exited (${signal ?? `code ${code}`}); restarting in ${this.backoff} ms`);
    this.setState('crashed-restarting');
    if (Date.now() - this.startedAt > (this.opts.stableMs ?? 60_000)) this.backoff = this.opts.backoffInitialMs ?? 500;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.opts.backoffMaxMs ?? 30_000);
    this.restarts++;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopping) this.spawn();
    }, delay);
  }

  /** Asks the node to save and quit; kills it if it does not within `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.stopHeartbeat();
    for (const q of this.queue.splice(0)) {
      const p = this.pending.get(q.id);
      this.pending.delete(q.id);
      p?.reject(new Error('supervisor stopped'));
    }
    const child = this.child;
    if (!child) {
      this.setState('stopped');
      return;
    }
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      // 'close', not 'exit': 'close' comes after the IPC channel is drained, so the node's
      // last messages (its final profile save) have been handled when stop() resolves.
      child.once('close', () => {
        clearTimeout(kill);
        resolve();
      });
      if (child.connected) child.send({ cmd: 'quit' });
      else child.kill('SIGTERM');
    });
  }
}
