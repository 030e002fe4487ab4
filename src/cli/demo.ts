// `npm start` until the chat UI lands: a real local Tox network on loopback — a bootstrap
// node and an echo bot — and you, chatting with the bot from this terminal. Everything runs
// inside a loopback-only network namespace (scripts/start.sh), so nothing leaves the machine.
// Without a terminal on stdin it sends one message, prints the echo and exits (a smoke test).

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { check } from '../protocol/guard';
import { event, type NodeEvent } from '../protocol/node';

const cli = join(__dirname, 'cli.js');
const dirs: string[] = [];
const procs: ChildProcess[] = [];

function node(name: string, args: string[], onEvent: (e: NodeEvent) => void): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), `toxync-demo-${name}-`));
  dirs.push(dir);
  const p = spawn(process.execPath, [cli, 'run', '--profile', dir, '--insecure-plain-profile', '--local-discovery', 'off', ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  procs.push(p);
  createInterface({ input: p.stdout! }).on('line', (line) => {
    try {
      const r = check(event, JSON.parse(line));
      if (r.ok) onEvent(r.value);
    } catch {
      /* not JSON: ignore */
    }
  });
  return p;
}

function send(p: ChildProcess, cmd: Record<string, unknown>): void {
  p.stdin!.write(JSON.stringify(cmd) + '\n');
}

function waitReady(
  name: string,
  args: string[],
  onEvent: (e: NodeEvent) => void = () => {},
): Promise<{ p: ChildProcess; ready: Extract<NodeEvent, { event: 'ready' }> }> {
  return new Promise((resolve) => {
    const p = node(name, args, (e) => {
      if (e.event === 'ready') resolve({ p, ready: e });
      onEvent(e);
    });
  });
}

function cleanup(code: number): never {
  for (const p of procs) p.kill('SIGTERM');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  process.exit(code);
}

async function main(): Promise<void> {
  const interactive = process.stdin.isTTY === true;
  const say = (s: string) => process.stdout.write(s + '\n');
  say('toxync demo: starting a local Tox network (bootstrap node + echo bot) on 127.0.0.1 …');
  const seed = await waitReady('seed', []);
  const boot = ['--bootstrap', `127.0.0.1:${seed.ready.udp_port}:${seed.ready.dht_id}`];
  const bot = await waitReady('bot', [...boot, '--accept-friends', '--echo']);
  say(`echo bot Tox ID: ${bot.ready.address}`);
  let friend = -1;
  let onEcho: (text: string) => void = () => {};
  const me = await waitReady('you', boot, (e) => {
    if (e.event === 'result' && e.cmd === 'friend_add') friend = (e.value as { friend: number }).friend;
    if (e.event === 'friend_connection' && e.status !== 'none') {
      say(`echo bot is online (${e.status.toUpperCase()}). ${interactive ? 'Type a message and press Enter; Ctrl-C quits.' : ''}`);
      if (!interactive) {
        onEcho = (text) => {
          say(`bot: ${text}`);
          cleanup(text === 'hello over Tox' ? 0 : 1);
        };
        send(me.p, { cmd: 'send', friend: e.friend, text: 'hello over Tox' });
        say('you: hello over Tox');
      }
    }
    if (e.event === 'message') onEcho(e.text);
    if (e.event === 'error') say(`error: ${e.message}`);
  });
  say(`your Tox ID:     ${me.ready.address}`);
  say('sending a friend request to the bot; coming online takes ~10 s …');
  send(me.p, { cmd: 'friend_add', address: bot.ready.address, message: 'hi bot' });
  if (interactive) {
    onEcho = (text) => say(`bot: ${text}`);
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (line.trim() && friend >= 0) send(me.p, { cmd: 'send', friend, text: line });
    });
  } else {
    setTimeout(() => (say('no echo within 90 s'), cleanup(1)), 90_000).unref();
  }
}

process.on('SIGINT', () => cleanup(0));
process.on('SIGTERM', () => cleanup(0));
main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  cleanup(1);
});
