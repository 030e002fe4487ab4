// A scripted stand-in for the supervisor's `request`, for unit tests of the host models:
// every call is recorded and stays pending until the test resolves or rejects it, so the
// orderings a live network produces only rarely can be made to happen on purpose.

export interface Call {
  body: { cmd: string } & Record<string, unknown>;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class ScriptedNode {
  readonly calls: Call[] = [];
  request = ((body: Call['body']) => new Promise((resolve, reject) => this.calls.push({ body, resolve, reject }))) as never;

  sends(): Call[] {
    return this.calls.filter((c) => c.body.cmd === 'send');
  }

  /** The latest call of `cmd`; throws if there is none. */
  last(cmd: string): Call {
    const c = [...this.calls].reverse().find((x) => x.body.cmd === cmd);
    if (!c) throw new Error(`no ${cmd} call`);
    return c;
  }
}
