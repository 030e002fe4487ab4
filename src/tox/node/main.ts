// Entry of the Tox node process, forked by the supervisor. libtoxcore parses untrusted
// network input in C; running it here means a crash takes down this process only, never the
// VS Code extension host. Speaks the node protocol over Node's IPC channel.

import { check } from '../../protocol/guard';
import { command, NodeEvent } from '../../protocol/node';
import { loadLibtoxcore } from '../loader';
import { describe, errorCode, ToxNode } from './core';

if (!process.send) {
  process.stderr.write('toxnode must be started by the toxync supervisor (it needs an IPC channel)\n');
  process.exit(2);
}

let node: ToxNode | null = null;

function send(e: NodeEvent): void {
  if (process.connected) process.send!(e);
}

function shutdown(code: number): void {
  try {
    node?.dispose();
  } catch (e) {
    process.stderr.write(`toxnode: dispose failed: ${describe(e)}\n`);
  }
  node = null;
  // Let the IPC channel flush the last events before leaving.
  setImmediate(() => process.exit(code));
}

process.on('message', (raw: unknown) => {
  const parsed = check(command, raw);
  if (!parsed.ok) {
    send({ event: 'error', message: `invalid command: ${parsed.error}`, code: 'invalid_command' });
    return;
  }
  const cmd = parsed.value;
  if (cmd.cmd === 'start') {
    if (node) return send({ event: 'error', id: cmd.id, cmd: 'start', message: 'already started', code: 'invalid_command' });
    try {
      const lib = loadLibtoxcore(cmd.config.libtoxcore_path);
      node = new ToxNode(lib, cmd.config, send);
      const info = node.start();
      send({ event: 'result', id: cmd.id, cmd: 'start', value: info });
    } catch (e) {
      send({ event: 'error', id: cmd.id, cmd: 'start', message: describe(e), code: errorCode(e) });
      shutdown(3);
    }
    return;
  }
  if (!node) return send({ event: 'error', id: cmd.id, cmd: cmd.cmd, message: 'node not started', code: 'not_started' });
  if (cmd.cmd === 'ping') return send({ event: 'pong', id: cmd.id });
  node.run(cmd);
  if (cmd.cmd === 'quit') shutdown(0);
});

// The parent went away (extension host closed or crashed): save and leave.
process.on('disconnect', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
process.on('uncaughtException', (e) => {
  process.stderr.write(`toxnode: uncaught ${describe(e)}\n`);
  shutdown(1);
});
