// Entry of the Tox node process, forked by the supervisor. libtoxcore parses untrusted
// network input in C; running it here means a crash takes down this process only, never the
// VS Code extension host. Speaks the node protocol over Node's IPC channel.

import { check } from '../protocol/guard';
import { command, type NodeEvent } from '../protocol/node';
import { passDecrypt, passEncrypt } from '../tox/encryptsave';
import { loadLibtoxcore } from '../tox/loader';
import { HostProfile } from './profileFile';
import { HostTransfers } from './transferRecords';
import { describe, errorCode, logCode, ToxNode } from './nodeCore';
import { hardenProcess } from './harden';

if (!process.send) {
  process.stderr.write('toxnode must be started by the toxync supervisor (it needs an IPC channel)\n');
  process.exit(2);
}

// Before any secret reaches this process (savedata comes with `start`).
try {
  const h = hardenProcess();
  if (h && (h.coreLimit === 'failed' || h.dumpable === 'failed')) process.stderr.write(`toxnode: hardening incomplete: ${JSON.stringify(h)}\n`);
} catch (e) {
  process.stderr.write(`toxnode: hardening failed: ${describe(e)}\n`);
}

let node: ToxNode | null = null;

function send(e: NodeEvent): void {
  if (process.connected) process.send!(e);
}

function shutdown(code: number): void {
  try {
    node?.dispose();
  } catch (e) {
    process.stderr.write(`toxnode: dispose failed: ${logCode(e)}\n`);
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
      // A host-kept profile: the extension holds the encrypted store and the data key; this
      // process only ever sees the savedata itself (which it needs to run Tox at all).
      const profile = cmd.config.insecure_plain_profile
        ? undefined
        : new HostProfile(cmd.savedata ? Buffer.from(cmd.savedata, 'base64') : null, (data) =>
            send({ event: 'savedata', data: Buffer.from(data).toString('base64') }),
          );
      // Transfer records travel the same way: in with `start`, every change back out.
      const transfers = cmd.config.insecure_plain_profile
        ? undefined
        : new HostTransfers(cmd.transfers ?? [], (records) => send({ event: 'transfers', records }));
      node = new ToxNode(lib, cmd.config, send, profile, transfers);
      const info = node.start();
      send({ event: 'result', id: cmd.id, cmd: 'start', value: info });
    } catch (e) {
      send({ event: 'error', id: cmd.id, cmd: 'start', message: describe(e), code: errorCode(e) });
      shutdown(3);
    }
    return;
  }
  if (!node && (cmd.cmd === 'pass_encrypt' || cmd.cmd === 'pass_decrypt')) {
    // Export / import of toxencryptsave files, also while no Tox instance runs.
    try {
      const { lib } = loadLibtoxcore(cmd.libtoxcore_path);
      const data = Buffer.from(cmd.data, 'base64');
      const out = cmd.cmd === 'pass_encrypt' ? passEncrypt(lib, data, cmd.passphrase) : passDecrypt(lib, data, cmd.passphrase);
      send({ event: 'result', id: cmd.id, cmd: cmd.cmd, value: { data: out.toString('base64') } });
    } catch (e) {
      send({ event: 'error', id: cmd.id, cmd: cmd.cmd, message: describe(e), code: errorCode(e) });
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
  process.stderr.write(`toxnode: uncaught ${logCode(e)}\n`);
  shutdown(1);
});
