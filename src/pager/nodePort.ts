// What the pager needs of a Tox node: send a protocol command and get its checked result,
// and hear its events. The extension's NodeSupervisor has exactly this shape; in the CLI the
// node core runs in-process, and InProcessPort gives it the same shape.

import { check } from '../protocol/guard';
import type { Command, CommandName, NodeEvent, ResultOf } from '../protocol/node';
import { resultGuards } from '../protocol/node';

export type CommandBody<C extends CommandName> = Omit<Extract<Command, { cmd: C }>, 'id'> & { cmd: C };

export interface NodePort {
  request<C extends CommandName>(body: CommandBody<C>): Promise<ResultOf<C>>;
  onEvent(listener: (e: NodeEvent) => void): () => void;
}

/** A command the node refused; `code` is the TOX_ERR_* name or invalid_argument etc. */
export class NodeRequestError extends Error {
  override readonly name = 'NodeRequestError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly cmd: string,
  ) {
    super(message);
  }
}

/** The part of ToxNode this adapter drives (kept narrow so tests need no native library). */
export interface RunsCommands {
  run(cmd: Command): void;
}

/**
 * Adapts an in-process ToxNode: pass `port.emit` as the node's emit callback (after any
 * other output you need, e.g. the CLI's stdout writer), then `port.attach(node)`.
 * Request ids start high so they never meet the small ids a bot numbers its commands with.
 */
export class InProcessPort implements NodePort {
  private node: RunsCommands | null = null;
  private nextId = 1_000_000_000_000;
  private readonly pending = new Map<number, { cmd: CommandName; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(e: NodeEvent) => void>();

  attach(node: RunsCommands): void {
    this.node = node;
  }

  /** The node's emit callback: answers pending requests, then tells every listener. */
  readonly emit = (e: NodeEvent): void => {
    if ((e.event === 'result' || e.event === 'error') && e.id !== undefined) {
      const p = this.pending.get(e.id);
      if (p) {
        this.pending.delete(e.id);
        if (e.event === 'error') p.reject(new NodeRequestError(e.message, e.code, p.cmd));
        else {
          const r = check(resultGuards[p.cmd] as never, e.value);
          if (r.ok) p.resolve(r.value);
          else p.reject(new NodeRequestError(`invalid result for ${p.cmd}: ${r.error}`, 'invalid_result', p.cmd));
        }
      }
    }
    for (const l of [...this.listeners]) l(e);
  };

  request<C extends CommandName>(body: CommandBody<C>): Promise<ResultOf<C>> {
    const node = this.node;
    if (!node) return Promise.reject(new Error('no node attached'));
    const id = this.nextId++;
    return new Promise<ResultOf<C>>((resolve, reject) => {
      this.pending.set(id, { cmd: body.cmd, resolve: resolve as (v: unknown) => void, reject });
      node.run({ ...body, id } as Command);
    });
  }

  onEvent(listener: (e: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rejects whatever is still pending (the node is going away). */
  close(): void {
    for (const p of this.pending.values()) p.reject(new Error('the node stopped'));
    this.pending.clear();
    this.listeners.clear();
    this.node = null;
  }
}
