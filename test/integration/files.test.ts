// File transfers between two `toxync run` nodes on a real local Tox network (a third node
// is the bootstrap node), inside the test's loopback-only namespace: a 100 MiB file, pause
// and resume and cancel from either side, kill -9 of either node mid-transfer followed by a
// resume, a friend who is offline when the file is sent, and a download folder that vanishes.
// Big files live in os.tmpdir() and are deleted afterwards.
//
// Each kill -9 test gets fresh nodes: on a three-node loopback network, toxcore did not
// reconnect a restarted sender to a receiver that had itself been restarted earlier (no
// onion path to find the friend again; measured, minutes without reconnecting), which is a
// property of the tiny test network, not of resuming.

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { befriend, bootstrapArg, CliPeer, tempDir } from '../helpers/peer';
import { makeRandomFile, sha256File } from '../helpers/files';
import { sleep } from '../helpers/wait';
import { assertLoopbackOnly } from '../helpers/netns';

const MiB = 1 << 20;

describe('file transfers between toxync nodes', function () {
  this.timeout(300_000);
  let root: string;
  let boot: string[];
  let seed: CliPeer;
  let alice: CliPeer;
  let bob: CliPeer;
  let aSeesB: number;
  let bSeesA: number;
  const peers: CliPeer[] = [];
  let n = 0;

  /** A fresh random source file and a fresh download folder for one test. */
  const fixture = (bytes: number) => {
    const dir = join(root, `t${++n}`);
    mkdirSync(join(dir, 'inbox'), { recursive: true });
    const src = join(dir, `payload-${n}.bin`);
    const sha = makeRandomFile(src, bytes);
    return { src, sha, inbox: join(dir, 'inbox'), bytes };
  };

  /** Alice offers, Bob accepts into `inbox`; resolves with what the receiving side needs. */
  const startTransfer = async (src: string, inbox: string) => {
    const { file, file_id } = (await alice.command({ cmd: 'send_file', friend: aSeesB, path: src })) as { file: number; file_id: string };
    const offer = await bob.event('file_recv', (e) => e.file_id === file_id, 30_000);
    const { path } = (await bob.command({ cmd: 'file_accept', friend: bSeesA, file: offer.file, dir: inbox })) as { path: string };
    return { file, file_id, bobFile: offer.file, path };
  };

  const progressAtLeast = (peer: CliPeer, fileId: string, bytes: number, ms = 120_000) =>
    peer.waitForNext((e) => e.event === 'file_progress' && e.file_id === fileId && Number(e.bytes) >= bytes, ms, `${bytes} bytes of progress`);

  const lastProgress = (peer: CliPeer, fileId: string): number => {
    const p = peer.events.filter((e) => e.event === 'file_progress' && e.file_id === fileId);
    return p.length ? Number(p[p.length - 1]!.bytes) : 0;
  };

  const waitOnline = async (p: CliPeer, friend: number) => {
    const from = p.events.length;
    const { friends } = (await p.command({ cmd: 'friends' })) as { friends: { friend: number; connection: string }[] };
    if (friends.find((f) => f.friend === friend)?.connection !== 'none') return;
    await p.event('friend_connection', (e) => e.friend === friend && e.status !== 'none', 180_000, from);
  };

  before(async () => {
    assertLoopbackOnly();
    root = tempDir('xfer');
    await freshNodes();
  });

  /** A new seed, Alice and Bob, befriended (the old ones keep running until the end). */
  const freshNodes = async () => {
    seed = CliPeer.start('seed');
    peers.push(seed);
    boot = await bootstrapArg(seed);
    alice = CliPeer.start('alice', boot);
    bob = CliPeer.start('bob', boot);
    peers.push(alice, bob);
    ({ aSeesB, bSeesA } = await befriend(alice, bob));
  };

  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
    rmSync(root, { recursive: true, force: true });
  });

  it('a 100 MiB file arrives SHA-256-identical, written as <name>.part and renamed when complete', async () => {
    const f = fixture(100 * MiB);
    const t = await startTransfer(f.src, f.inbox);
    assert.equal(dirname(t.path), f.inbox);
    assert.equal(t.path, join(f.inbox, `payload-${n}.bin`));
    await progressAtLeast(bob, t.file_id, 4 * MiB);
    assert.ok(existsSync(`${t.path}.part`), 'the partial file exists while receiving');
    assert.ok(!existsSync(t.path), 'the final name appears only when complete');
    const done = await bob.event('file_done', (e) => e.file_id === t.file_id && e.direction === 'recv', 280_000);
    assert.equal(done.path, t.path);
    assert.equal(done.bytes, f.bytes);
    const sent = await alice.event('file_done', (e) => e.file_id === t.file_id && e.direction === 'send', 20_000);
    assert.equal(sent.bytes, f.bytes);
    assert.ok(!existsSync(`${t.path}.part`));
    assert.equal(statSync(t.path).mode & 0o777, 0o600, 'saved private and never executable');
    assert.equal(await sha256File(t.path), f.sha);
    rmSync(dirname(f.src), { recursive: true, force: true });
  });

  it('pause and resume work from the receiver and from the sender', async () => {
    const f = fixture(48 * MiB);
    const t = await startTransfer(f.src, f.inbox);
    const stalls = async (what: string) => {
      await sleep(1500); // chunks already in flight may still land
      const a = lastProgress(bob, t.file_id);
      await sleep(2000);
      assert.equal(lastProgress(bob, t.file_id), a, `no progress while paused by the ${what}`);
      return a;
    };

    await progressAtLeast(bob, t.file_id, 2 * MiB);
    await bob.command({ cmd: 'file_control', friend: bSeesA, file: t.bobFile, control: 'pause' });
    await alice.event('file_control', (e) => e.file_id === t.file_id && e.control === 'pause', 10_000);
    const p1 = await stalls('receiver');
    await bob.command({ cmd: 'file_control', friend: bSeesA, file: t.bobFile, control: 'resume' });
    await progressAtLeast(bob, t.file_id, p1 + MiB);

    await alice.command({ cmd: 'file_control', friend: aSeesB, file: t.file, control: 'pause' });
    await bob.event('file_control', (e) => e.file_id === t.file_id && e.control === 'pause', 10_000);
    const p2 = await stalls('sender');
    assert.ok(p2 < f.bytes, 'paused before the end');
    await alice.command({ cmd: 'file_control', friend: aSeesB, file: t.file, control: 'resume' });

    const done = await bob.event('file_done', (e) => e.file_id === t.file_id && e.direction === 'recv', 200_000);
    assert.equal(await sha256File(done.path), f.sha);
    rmSync(dirname(f.src), { recursive: true, force: true });
  });

  it('cancel from the sender ends it on both sides and deletes the partial file', async () => {
    const f = fixture(40 * MiB);
    const t = await startTransfer(f.src, f.inbox);
    await progressAtLeast(bob, t.file_id, 2 * MiB);
    await alice.command({ cmd: 'file_control', friend: aSeesB, file: t.file, control: 'cancel' });
    await bob.event('file_control', (e) => e.file_id === t.file_id && e.control === 'cancel', 10_000);
    await sleep(300);
    assert.deepEqual(readdirSync(f.inbox), [], 'no partial file is left');
    assert.ok(!readFileSync(join(alice.profileDir, 'transfers.json'), 'utf8').includes(t.file_id), 'the sender forgot it');
    assert.ok(!readFileSync(join(bob.profileDir, 'transfers.json'), 'utf8').includes(t.file_id), 'the receiver forgot it');
    rmSync(dirname(f.src), { recursive: true, force: true });
  });

  it('cancel from the receiver ends it on both sides and deletes the partial file', async () => {
    const f = fixture(40 * MiB);
    const t = await startTransfer(f.src, f.inbox);
    await progressAtLeast(bob, t.file_id, 2 * MiB);
    await bob.command({ cmd: 'file_control', friend: bSeesA, file: t.bobFile, control: 'cancel' });
    await alice.event('file_control', (e) => e.file_id === t.file_id && e.control === 'cancel', 10_000);
    assert.deepEqual(readdirSync(f.inbox), []);
    assert.ok(!alice.events.some((e) => e.event === 'file_done' && e.file_id === t.file_id));
    rmSync(dirname(f.src), { recursive: true, force: true });
  });

  it('a file sent to an offline friend waits, and goes when they come online', async () => {
    const f = fixture(3 * MiB);
    await waitOnline(alice, aSeesB);
    const from = alice.events.length;
    await bob.stop();
    await alice.event('friend_connection', (e) => e.friend === aSeesB && e.status === 'none', 90_000, from);
    const { file, file_id } = (await alice.command({ cmd: 'send_file', friend: aSeesB, path: f.src })) as {
      file: number | null;
      file_id: string;
    };
    assert.equal(file, null, 'not offered while the friend is offline');
    bob = CliPeer.start('bob-back', boot, bob.profileDir);
    peers.push(bob);
    await alice.event('file_offered', (e) => e.file_id === file_id, 90_000);
    const offer = await bob.event('file_recv', (e) => e.file_id === file_id, 30_000);
    await bob.command({ cmd: 'file_accept', friend: bSeesA, file: offer.file, dir: f.inbox });
    const done = await bob.event('file_done', (e) => e.file_id === file_id && e.direction === 'recv', 60_000);
    assert.equal(await sha256File(done.path), f.sha);
    rmSync(dirname(f.src), { recursive: true, force: true });
  });

  it('a download folder deleted mid-transfer fails the transfer cleanly (ENOENT), on both sides', async () => {
    const f = fixture(40 * MiB);
    const t = await startTransfer(f.src, f.inbox);
    await progressAtLeast(bob, t.file_id, 2 * MiB);
    rmSync(f.inbox, { recursive: true, force: true });
    const err = await bob.event('file_error', (e) => e.file_id === t.file_id, 60_000);
    assert.equal(err.code, 'ENOENT');
    assert.match(String(err.message), /deleted/);
    await alice.event('file_control', (e) => e.file_id === t.file_id && e.control === 'cancel', 10_000);
    assert.ok(!existsSync(f.inbox), 'nothing recreated');
    assert.ok(bob.proc.exitCode === null, 'the node carries on');
    rmSync(dirname(f.src), { recursive: true, force: true });
  });
  it('kill -9 of the receiver mid-transfer: after a restart it resumes, verified, sending < 1.2× the file', async () => {
    await freshNodes();
    const f = fixture(64 * MiB);
    const t = await startTransfer(f.src, f.inbox);
    await progressAtLeast(bob, t.file_id, 24 * MiB);
    bob.proc.kill('SIGKILL');
    await new Promise((r) => bob.proc.once('exit', r));
    const partial = statSync(`${t.path}.part`).size;
    assert.ok(partial > 0 && partial < f.bytes, `a partial file was kept (${partial} bytes)`);
    // Restarted at once, as a crashed node is: the sender notices the old session is gone
    // (kill -9 says nothing to friends) and offers the file again when the new one connects.
    bob = CliPeer.start('bob-after-kill', boot, bob.profileDir);
    peers.push(bob);
    const resumed = await bob.event('file_resumed', (e) => e.file_id === t.file_id, 240_000);
    assert.equal(resumed.bytes, partial, 'continues from the end of the partial file');
    await alice.event('file_interrupted', (e) => e.file_id === t.file_id, 1000);
    const done = await bob.event('file_done', (e) => e.file_id === t.file_id && e.direction === 'recv', 200_000);
    assert.equal(done.path, t.path);
    assert.equal(await sha256File(done.path), f.sha);
    const sent = await alice.event('file_done', (e) => e.file_id === t.file_id && e.direction === 'send', 20_000);
    assert.ok(Number(sent.sent) < 1.2 * f.bytes, `sent ${sent.sent} bytes for a ${f.bytes}-byte file`);
    assert.ok(Number(sent.sent) >= f.bytes, 'every byte went out at least once');
    rmSync(dirname(f.src), { recursive: true, force: true });
  });

  it('kill -9 of the sender mid-transfer: after a restart it offers the file again and it resumes', async () => {
    await freshNodes();
    const f = fixture(48 * MiB);
    const t = await startTransfer(f.src, f.inbox);
    await progressAtLeast(bob, t.file_id, 16 * MiB);
    alice.proc.kill('SIGKILL');
    await new Promise((r) => alice.proc.once('exit', r));
    alice = CliPeer.start('alice-after-kill', boot, alice.profileDir);
    peers.push(alice);
    const resumed = await bob.event('file_resumed', (e) => e.file_id === t.file_id, 240_000);
    const cut = await bob.event('file_interrupted', (e) => e.file_id === t.file_id, 1000);
    assert.ok(Number(resumed.bytes) > 0 && Number(resumed.bytes) <= Number(cut.bytes), `resumed at ${resumed.bytes} (had ${cut.bytes})`);
    const done = await bob.event('file_done', (e) => e.file_id === t.file_id && e.direction === 'recv', 200_000);
    assert.equal(await sha256File(done.path), f.sha);
    rmSync(dirname(f.src), { recursive: true, force: true });
  });
});
