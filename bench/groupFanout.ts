// `npm run bench`, group part: NGC group message fan-out against the same messages sent 1:1.
// Runs only inside a loopback-only network namespace (scripts/bench.sh; assertLoopbackOnly
// refuses otherwise).
//
// One sender and BENCH_GROUP_MEMBERS (20) members, each a `toxync run` process (the CLI hosts one
// Tox instance per process, so 21 processes is the fewest; the sender is also the bootstrap node).
// The sender creates a public group that every member joins by chat ID, and befriends every
// member; then, in the same run:
//  1. latency: BENCH_GROUP_MESSAGES (50) messages, one at a time with BENCH_GROUP_GAP_MS (200) between
//     them: the time from writing the send command(s) to the moment the last member's event is read.
//     Group: one group_send_message. 1:1: one `send` per friend, written back to back.
//  2. sustained rate: BENCH_GROUP_BURST (200) messages written back to back, BENCH_GROUP_WINDOW (10)
//     messages' commands in flight at a time; messages/s = messages / time until every member has
//     every one (and member deliveries/s = that × members).
// Ratios are 1:1 ÷ group for latency (above 1: the group is faster) and group ÷ 1:1 for the rate.
// Progress goes to stderr; results to stdout, ending with one line of JSON.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliPeer } from '../test/helpers/peer';
import { befriend, bootstrapArg } from '../test/helpers/peer';
import { assertLoopbackOnly } from '../test/helpers/netns';
import { loadLibtoxcore } from '../src/tox/loader';
import { envInt } from './lib/env';
import { fmt, log, now, onCleanup, runPhase, runtimeSeconds, sleep } from './lib/harness';
import { mean, median, percentile, round } from './lib/stats';
import { startPeer } from './lib/toxyncPair';

const CFG = {
  members: envInt('BENCH_GROUP_MEMBERS', 20, 1),
  messages: envInt('BENCH_GROUP_MESSAGES', 50, 1),
  gapMs: envInt('BENCH_GROUP_GAP_MS', 200),
  burst: envInt('BENCH_GROUP_BURST', 200, 1),
  window: envInt('BENCH_GROUP_WINDOW', 10, 1),
  settleSeconds: envInt('BENCH_SETTLE_S', 5),
};

interface Member {
  peer: CliPeer;
  group: number;
  /** The sender's friend number for this member. */
  friend: number;
  /** This member's friend number for the sender. */
  seesSender: number;
}

type Mode = 'group' | '1:1';

/** Whether `e` is `text` from the sender, arriving at member `m` in this mode. */
function isDelivery(mode: Mode, m: Member, e: Record<string, unknown>, text: string): boolean {
  if (e.text !== text) return false;
  return mode === 'group' ? e.event === 'group_message' && e.group === m.group : e.event === 'message' && e.friend === m.seesSender;
}

async function send(mode: Mode, sender: CliPeer, group: number, members: Member[], text: string): Promise<void> {
  if (mode === 'group') {
    await sender.command({ cmd: 'group_send_message', group, text });
    return;
  }
  await Promise.all(members.map((m) => sender.command({ cmd: 'send', friend: m.friend, text })));
}

/** Per message: time from the send to the last member having it. */
async function latency(mode: Mode, sender: CliPeer, group: number, members: Member[]): Promise<number[]> {
  const out: number[] = [];
  const tag = randomBytes(4).toString('hex');
  for (let i = 0; i < CFG.messages; i++) {
    const text = `fan-out ${mode} ${tag} #${i} ${randomBytes(6).toString('hex')}`;
    let last = 0;
    const all = Promise.all(
      members.map((m) =>
        m.peer.waitForNext(
          (e) => {
            if (!isDelivery(mode, m, e, text)) return false;
            last = Math.max(last, now());
            return true;
          },
          30_000,
          `${mode} message #${i} at ${m.peer.name}`,
        ),
      ),
    );
    all.catch(() => {}); // awaited below
    const t0 = now();
    await send(mode, sender, group, members, text);
    await all;
    out.push(last - t0);
    if ((i + 1) % 10 === 0) log(`${mode} latency: ${i + 1}/${CFG.messages}, median so far ${fmt(median(out), 2)} ms`);
    await sleep(CFG.gapMs);
  }
  return out;
}

/** BENCH_GROUP_BURST messages back to back; seconds until every member has all of them. */
async function burst(mode: Mode, sender: CliPeer, group: number, members: Member[]): Promise<number> {
  const tag = `burst ${mode} ${randomBytes(4).toString('hex')} #`;
  const texts = Array.from({ length: CFG.burst }, (_, i) => `${tag}${i}`);
  const wanted = new Set(texts);
  const all = Promise.all(
    members.map((m) => {
      const got = new Set<string>();
      return m.peer.waitForNext(
        (e) => {
          if (typeof e.text === 'string' && wanted.has(e.text) && isDelivery(mode, m, e, e.text)) got.add(e.text);
          return got.size === wanted.size;
        },
        300_000,
        `all ${CFG.burst} ${mode} burst messages at ${m.peer.name}`,
      );
    }),
  );
  all.catch(() => {});
  const t0 = now();
  // BENCH_GROUP_WINDOW messages in flight: awaiting each command before the next would measure the
  // stdin→result round trip (~10 ms) instead of delivery.
  for (let i = 0; i < texts.length; i += CFG.window) {
    await Promise.all(texts.slice(i, i + CFG.window).map((text) => send(mode, sender, group, members, text)));
  }
  log(`${mode} burst: ${CFG.burst} messages written in ${fmt((now() - t0) / 1000, 2)} s`);
  await all;
  return (now() - t0) / 1000;
}

async function setUp(root: string): Promise<{ sender: CliPeer; group: number; members: Member[] }> {
  log(`starting the sender and ${CFG.members} members (each a toxync process; they bootstrap from the sender)`);
  const sender = startPeer('sender', root);
  const boot = await bootstrapArg(sender);
  const peers = Array.from({ length: CFG.members }, (_, i) => startPeer(`member${i + 1}`, root, boot));
  await Promise.all(peers.map((p) => p.ready()));
  const { group, chat_id } = (await sender.command({ cmd: 'group_new', privacy: 'public', name: 'fan-out bench', nick: 'sender' })) as {
    group: number;
    chat_id: string;
  };
  let t = now();
  const joined = peers.map((p) => sender.event('group_peer_join', (e) => e.group === group && e.name === p.name, 180_000));
  const groups = await Promise.all(
    peers.map(async (p) => {
      const self = p.event('group_self_join', (e) => e.chat_id.toUpperCase() === chat_id.toUpperCase(), 180_000);
      const { group: g } = (await p.command({ cmd: 'group_join', chat_id, nick: p.name })) as { group: number };
      await self;
      return g;
    }),
  );
  await Promise.all(joined);
  log(`all ${CFG.members} members joined the group (${fmt((now() - t) / 1000, 1)} s)`);
  t = now();
  const members: Member[] = [];
  // befriended a few at a time: 20 friend requests at once mostly measure toxcore's request queue
  for (let i = 0; i < peers.length; i += 5) {
    const batch = peers.slice(i, i + 5);
    const done = await Promise.all(batch.map((p) => befriend(sender, p, 'fan-out bench')));
    batch.forEach((p, j) => members.push({ peer: p, group: groups[i + j]!, friend: done[j]!.aSeesB, seesSender: done[j]!.bSeesA }));
  }
  log(`the sender is friends with all ${CFG.members} members, all online (${fmt((now() - t) / 1000, 1)} s)`);
  return { sender, group, members };
}

function stats(xs: number[]) {
  return { median: round(median(xs), 3), p95: round(percentile(xs, 95), 3), mean: round(mean(xs), 3), max: round(Math.max(...xs), 3) };
}

async function main(): Promise<void> {
  assertLoopbackOnly();
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run node scripts/build.mjs');
  const root = mkdtempSync(join(tmpdir(), 'toxync-bench-groups-'));
  onCleanup('temp dir', () => rmSync(root, { recursive: true, force: true }));
  log(`config ${JSON.stringify(CFG)}; temp dir ${root}`);
  const libtox = loadLibtoxcore();
  const { sender, group, members } = await setUp(root);
  log(`settling ${CFG.settleSeconds} s`);
  await sleep(CFG.settleSeconds * 1000);

  const lat: Record<Mode, number[]> = { group: [], '1:1': [] };
  const secs: Record<Mode, number> = { group: NaN, '1:1': NaN };
  for (const mode of ['group', '1:1'] as const) {
    log(`${mode}: ${CFG.messages} messages one at a time to ${CFG.members} members`);
    lat[mode] = await latency(mode, sender, group, members);
    log(`${mode}: burst of ${CFG.burst} messages`);
    secs[mode] = await burst(mode, sender, group, members);
  }
  const rate = (m: Mode) => CFG.burst / secs[m];
  const L: string[] = [
    '',
    'toxync group fan-out benchmark (loopback-only network namespace)',
    '================================================================',
    `libtoxcore ${libtox.version} (${libtox.path}); 1 sender, ${CFG.members} members, ${CFG.members + 1} toxync processes`,
    `Time until every member has a message (${CFG.messages} messages, ${CFG.gapMs} ms apart):`,
    `  group: median ${fmt(median(lat.group), 2)} ms   p95 ${fmt(percentile(lat.group, 95), 2)} ms   max ${fmt(Math.max(...lat.group), 2)} ms`,
    `  1:1  : median ${fmt(median(lat['1:1']), 2)} ms   p95 ${fmt(percentile(lat['1:1'], 95), 2)} ms   max ${fmt(Math.max(...lat['1:1']), 2)} ms  (${CFG.members} sends per message)`,
    `  ratio 1:1 ÷ group (median): ${fmt(median(lat['1:1']) / median(lat.group), 2)}`,
    `Sustained (${CFG.burst} messages back to back, ${CFG.window} in flight, until every member has all):`,
    `  group: ${fmt(rate('group'), 1)} messages/s (${fmt(rate('group') * CFG.members, 0)} member deliveries/s, ${fmt(secs.group, 2)} s)`,
    `  1:1  : ${fmt(rate('1:1'), 1)} messages/s (${fmt(rate('1:1') * CFG.members, 0)} member deliveries/s, ${fmt(secs['1:1'], 2)} s)`,
    `  ratio group ÷ 1:1: ${fmt(rate('group') / rate('1:1'), 2)}`,
    `Total runtime ${fmt(runtimeSeconds(), 1)} s`,
    '',
  ];
  const json = {
    libtoxcore_version: libtox.version,
    group_members: CFG.members,
    group_fanout_ms: stats(lat.group),
    one_to_one_fanout_ms: stats(lat['1:1']),
    fanout_median_ratio_1to1_over_group: round(median(lat['1:1']) / median(lat.group), 3),
    group_messages_per_s: round(rate('group'), 2),
    one_to_one_messages_per_s: round(rate('1:1'), 2),
    rate_ratio_group_over_1to1: round(rate('group') / rate('1:1'), 3),
    messages: CFG.messages,
    burst: CFG.burst,
    runtime_s: round(runtimeSeconds(), 1),
  };
  process.stdout.write(L.join('\n') + '\n' + JSON.stringify(json) + '\n');
}

runPhase('GROUP FAN-OUT BENCHMARK', main);
