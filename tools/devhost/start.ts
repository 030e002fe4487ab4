// `npm start` (after scripts/start.sh has installed, built and packaged): VS Code in the
// browser (code-server) with the packaged toxync extension, and someone to talk to.
//
// Local mode (default): the Tox network, code-server and its extension host all run inside a
// fresh network + PID namespace with only loopback up (demoHost.ts); this process stays
// outside and forwards 127.0.0.1:PORT to code-server's unix socket, so your browser can reach
// VS Code while no Tox packet can leave the namespace. `--public`: no namespace, toxync on
// the public Tox network (needs internet; the Tox DHT sees your IP address).
// Ctrl-C stops everything this started, by PID, and removes its temporary folder.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../../src/sys/packageRoot';
import { type CodeServer, hostDirs, installVsix, startCodeServer, writeSettings } from './codeServer';
import { forwardToSocket, type Forwarder } from './forward';
import { cmdline, descendants, waitGone } from './procs';
import { QUIET_WORKBENCH } from './hostSettings';

interface Options {
  public: boolean;
  port: number;
  vsix: string;
}

function parse(argv: string[]): Options {
  const o: Options = { public: false, port: 8080, vsix: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--public') o.public = true;
    else if (a === '--port' && /^\d+$/.test(argv[i + 1] ?? '')) o.port = Number(argv[++i]);
    else if (a === '--vsix' && argv[i + 1]) o.vsix = argv[++i]!;
    else throw new Error(`unknown option ${a}; usage: npm start [-- --port N] [--public]`);
  }
  if (!o.vsix) throw new Error('--vsix FILE is required (scripts/start.sh passes it)');
  return o;
}

const say = (s: string) => process.stdout.write(s + '\n');
const runDir = mkdtempSync('/tmp/toxync-start-');
const cleanups: (() => Promise<void>)[] = [];
let stopping: Promise<never> | null = null;

/** Runs the cleanups in reverse order, then exits; every later call waits for the first. */
function stop(code: number): Promise<never> {
  stopping ??= (async () => {
    say('\nstopping …');
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
    say('stopped.');
    process.exit(code);
  })();
  return stopping;
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** Starts demoHost.js as PID 1 of a new network + PID namespace; resolves with its ready line. */
function startNamespace(vsix: string): Promise<{ socket: string; bot_address: string }> {
  const uid = process.getuid?.() ?? 0;
  // --kill-child: if this process dies, the namespace's init and with it everything inside dies too.
  const ns = ['-n', '-p', '-f', '--mount-proc', '--kill-child', ...(uid === 0 ? [] : ['-r'])];
  const inner: ChildProcess = spawn(
    'unshare',
    [
      ...ns,
      'bash',
      '-c',
      'ip link set lo up && exec "$0" "$@"',
      process.execPath,
      join(packageRoot(), 'dist', 'demo-host.js'),
      '--run-dir',
      runDir,
      '--vsix',
      vsix,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((r) => inner.once('exit', () => r()));
  cleanups.push(async () => {
    // The namespace's init (demo-host.js) stops code-server and the Tox nodes by PID on SIGTERM.
    const init = descendants(inner.pid ?? -1).find((p) => cmdline(p).includes('demo-host.js'));
    if (init !== undefined) process.kill(init, 'SIGTERM');
    const t = setTimeout(() => inner.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(t);
    if (init !== undefined) await waitGone([init], 2000);
  });
  return new Promise((resolve, reject) => {
    inner.once('exit', (code) => reject(new Error(`the demo namespace exited (${code}) before it was ready`)));
    createInterface({ input: inner.stdout! }).on('line', (line) => {
      try {
        const m = JSON.parse(line) as { event?: unknown; socket?: unknown; bot_address?: unknown };
        if (m.event === 'ready' && typeof m.socket === 'string' && typeof m.bot_address === 'string') resolve({ socket: m.socket, bot_address: m.bot_address });
      } catch {
        say(line);
      }
    });
  });
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  if (o.public) {
    say('toxync: starting code-server on the PUBLIC Tox network (your IP address is visible to the Tox DHT and your friends)');
    const dirs = hostDirs(join(runDir, 'vscode'));
    // No startupSettings() here: on the public network the profile is a real identity, so the
    // user answers toxync's own first-start question.
    writeSettings(dirs, QUIET_WORKBENCH);
    await installVsix(dirs, o.vsix);
    const cs: CodeServer = await startCodeServer(dirs, { port: o.port });
    cleanups.push(() => cs.stop());
    say(
      `\n  VS Code with toxync:  http://127.0.0.1:${o.port}/\n\n  Open the Tox view in the activity bar and add a friend by their Tox ID.\n  Ctrl-C stops everything.`,
    );
    return;
  }
  say('toxync: starting a local Tox network and VS Code (code-server) in a loopback-only network namespace …');
  const { socket, bot_address } = await startNamespace(o.vsix);
  const fwd: Forwarder = await forwardToSocket(o.port, socket);
  cleanups.push(() => fwd.close());
  say(
    [
      '',
      `  VS Code with toxync:      http://127.0.0.1:${fwd.port}/`,
      `  Tox ID of the echo bot:   ${bot_address}`,
      '',
      '  In VS Code: the Tox icon in the activity bar → "Add a friend" → paste the echo bot\'s Tox ID,',
      '  wait until it shows online, click it, and type a message: it answers with your words.',
      '  Send it a file: it answers with the file\'s SHA-256. Right-click it in Contacts → "Receive Pager',
      '  Alerts From This Contact", then send /pager (an alert with a Conti link) or /code (a one-time code).',
      '  Everything runs on a private Tox network on this machine; nothing leaves it.',
      `  Temporary files (removed on exit): ${runDir}`,
      '  Ctrl-C stops everything.',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`npm start failed: ${e instanceof Error ? e.message : String(e)}\n`);
  void stop(1);
});
