// The `toxync` command line: the same node core the extension runs, driven by JSON lines.
// It runs the core in-process: a bot is its own process already, and a crash ends only it.

import { createInterface } from 'node:readline';
import { check } from '../protocol/guard';
import { command, NodeEvent } from '../protocol/node';
import { describe, errorCode, ToxNode } from '../tox/node/core';
import { loadLibtoxcore } from '../tox/loader';
import { PlainProfile } from '../tox/profile';
import { Tox } from '../tox/tox';
import { parseArgs, USAGE, UsageError } from './args';

function out(e: NodeEvent): void {
  process.stdout.write(JSON.stringify(e) + '\n');
}

function main(argv: string[]): number | null {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(USAGE + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  const { command: cmdName, config } = parseArgs(argv);
  const native = loadLibtoxcore(config.libtoxcore_path);

  if (cmdName === 'init' || cmdName === 'id') {
    const profile = new PlainProfile(config.profile_dir);
    const existing = profile.load();
    if (cmdName === 'init' && existing) throw new UsageError(`a profile already exists in ${config.profile_dir}`);
    if (cmdName === 'id' && !existing) throw new UsageError(`no profile in ${config.profile_dir}: run "toxync init" first`);
    // UDP off and no TCP server: this Tox instance opens no socket at all.
    const tox = Tox.create(native, { udp: false, localDiscovery: false, tcpPort: 0, ...(existing ? { savedata: existing } : {}) });
    try {
      if (!existing) profile.save(tox.savedata());
      process.stdout.write(tox.address() + '\n');
    } finally {
      tox.dispose();
    }
    return 0;
  }

  const node = new ToxNode(native, config, out);
  node.start();
  let quitting = false;
  const quit = (code: number) => {
    if (quitting) return;
    quitting = true;
    node.dispose();
    process.exitCode = code;
    // stdout may be a pipe: exit only once everything written has drained.
    process.stdout.write('', () => process.exit(code));
  };
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (quitting || line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      return out({ event: 'error', message: `not JSON: ${describe(e)}`, code: 'invalid_command' });
    }
    const parsed = check(command, raw);
    if (!parsed.ok) return out({ event: 'error', message: `invalid command: ${parsed.error}`, code: 'invalid_command' });
    const cmd = parsed.value;
    if (cmd.cmd === 'ping') return out({ event: 'pong', id: cmd.id });
    node.run(cmd);
    if (cmd.cmd === 'quit') quit(0);
  });
  // End of input is not a request to stop: a bot may run with stdin closed (< /dev/null).
  process.on('SIGINT', () => quit(0));
  process.on('SIGTERM', () => quit(0));
  return null;
}

try {
  const code = main(process.argv.slice(2));
  if (code !== null) process.exitCode = code;
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`toxync: ${e.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`toxync: ${describe(e)} (${errorCode(e)})\n`);
    process.exitCode = 1;
  }
}
