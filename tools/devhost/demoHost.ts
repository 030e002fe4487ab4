// The inside of `npm start` (local mode): runs in a loopback-only network and PID namespace
// that start.ts created, so neither Tox nor VS Code can send a packet off this machine.
// Starts a local Tox network (a bootstrap seed and the demo bot, demoBot.ts), then code-server
// with the packaged .vsix, toxync pointed at the seed only, listening on a unix socket that
// start.ts forwards to 127.0.0.1 outside. Prints one JSON line when ready; SIGINT/SIGTERM
// stops everything by PID.
// Usage: node dist/demo-host.js --run-dir DIR --vsix FILE

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliNode } from './cliNode';
import { DemoBot } from './demoBot';
import { type CodeServer, hostDirs, installVsix, startCodeServer, writeSettings } from './codeServer';
import { assertLoopbackOnly } from './devNetns';
import { localNetworkSettings, localNodesList, QUIET_WORKBENCH, startupSettings } from './hostSettings';

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`missing ${name}`);
  return v;
}

const log = (line: string) => process.stderr.write(`[demo] ${line}\n`);
const nodes: CliNode[] = [];
let cs: CodeServer | null = null;
let demoBot: DemoBot | null = null;
let stopping: Promise<never> | null = null;

/** Stops code-server, then the Tox nodes, then exits; every later call waits for the first. */
function stopAll(code: number): Promise<never> {
  stopping ??= (async () => {
    demoBot?.dispose();
    await cs?.stop();
    await Promise.all(nodes.reverse().map((n) => n.stop()));
    log('stopped code-server and the Tox nodes');
    process.exit(code);
  })();
  return stopping;
}

async function main(): Promise<void> {
  assertLoopbackOnly('the demo network');
  const runDir = arg('--run-dir');
  const vsix = arg('--vsix');

  log('starting the local Tox network (bootstrap seed + echo bot) on 127.0.0.1');
  const seed = new CliNode('seed', join(runDir, 'seed'), [], log);
  nodes.push(seed);
  const s = await seed.ready;
  if (!s.udp_port) throw new Error('the seed node has no UDP port');
  const bot = new CliNode('echo-bot', join(runDir, 'bot'), ['--bootstrap', `127.0.0.1:${s.udp_port}:${s.dht_id}`, '--accept-friends'], log);
  nodes.push(bot);
  const b = await bot.ready;
  demoBot = new DemoBot(bot, join(runDir, 'bot-files'), log);
  demoBot.attach();
  await bot.command({ cmd: 'set_name', name: 'Echo bot' });
  await bot.command({ cmd: 'set_status_message', text: 'Echoes your messages, checks your files (SHA-256); /pager and /code send an alert and a code.' });

  const nodesFile = join(runDir, 'local-nodes.json');
  writeFileSync(nodesFile, localNodesList(s.udp_port, s.dht_id));
  const dirs = hostDirs(join(runDir, 'vscode'));
  writeSettings(dirs, { ...QUIET_WORKBENCH, ...startupSettings(), ...localNetworkSettings(nodesFile) });
  log('installing the .vsix into code-server');
  await installVsix(dirs, vsix);
  const socket = join(runDir, 'cs.sock');
  cs = await startCodeServer(dirs, { socket }, { onLine: (l) => log(`code-server: ${l}`) });
  process.stdout.write(JSON.stringify({ event: 'ready', socket, bot_address: b.address, workspace: dirs.workspace }) + '\n');
  cs.proc.once('exit', (code) => {
    if (stopping) return;
    log(`code-server exited (${code}); stopping`);
    void stopAll(1);
  });
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch((e: unknown) => {
  log(`failed: ${e instanceof Error ? e.message : String(e)}`);
  void stopAll(1);
});
