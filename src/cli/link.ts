// The chat model talks to a node through `request()`, as it does to the supervised node
// process in the extension. In the CLI the node runs in-process: this link gives each request
// a private id and takes its result or error out of the event stream before it is printed.

import type { Command, NodeEvent, ResultOf, CommandName } from '../protocol/node';
import { check } from '../protocol/guard';
import { resultGuards } from '../protocol/node';
import { NodeCommandError, type NodeSupervisor } from '../core/supervisor/supervisor';
import type { ToxNode } from '../node/nodeCore';

/** Ids above this are the link's own; a bot's ids are unaffected (they are echoed as given). */
const FIRST_ID = 2 ** 40;

export class InProcessLink {
  private next = FIRST_ID;
  private readonly pending = new Map<number, { cmd: CommandName; resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly node: () => ToxNode | null) {}

  request: NodeSupervisor['request'] = (body) => {
    const node = this.node();
    if (!node) return Promise.reject(new Error('the node is not running'));
    const id = this.next++;
    return new Promise<ResultOf<typeof body.cmd>>((resolve, reject) => {
      this.pending.set(id, { cmd: body.cmd, resolve: resolve as (v: unknown) => void, reject });
      node.run({ ...body, id } as Command);
    }) as never;
  };

  /** True if `e` answered one of the link's requests (then it is not printed). */
  intercept(e: NodeEvent): boolean {
    if ((e.event !== 'result' && e.event !== 'error') || e.id === undefined || e.id < FIRST_ID) return false;
    const p = this.pending.get(e.id);
    if (!p) return true;
    this.pending.delete(e.id);
    if (e.event === 'error') p.reject(new NodeCommandError(e.message, e.code, p.cmd));
    else {
      const v = check(resultGuards[p.cmd], e.value);
      if (v.ok) p.resolve(v.value);
      else p.reject(new NodeCommandError(`invalid result: ${v.error}`, 'invalid_result', p.cmd));
    }
    return true;
  }
}
