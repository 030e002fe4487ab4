// Files both ways between toxync and toxic 0.11.1 (the reference client, driven through tmux
// by test/helpers/toxic.ts), on the loopback-only network of this test: a toxync seed,
// alice (`toxync run --accept-files DIR`) and toxic.

import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { assertLoopbackOnly } from '../helpers/netns';
import { bootstrapArg, CliPeer, tempDir } from '../helpers/peer';
import { makeRandomFile, sha256File } from '../helpers/files';
import { ToxicPeer } from '../helpers/toxic';

const MiB = 1 << 20;

describe('files with toxic 0.11.1', function () {
  this.timeout(120_000);
  let root = '';
  let seed: CliPeer | undefined;
  let alice: CliPeer | undefined;
  let bob: ToxicPeer | undefined;
  let alicePk = '';
  let bobPk = '';
  let aliceSeesBob = -1;

  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} did not start`);
    return v;
  };

  before(async function () {
    this.timeout(150_000);
    assertLoopbackOnly();
    root = tempDir('toxic-files');
    mkdirSync(join(root, 'inbox'));
    seed = CliPeer.start('seed');
    const boot = await bootstrapArg(seed);
    const s = await seed.ready();
    alice = CliPeer.start('alice', [...boot, '--accept-files', join(root, 'inbox')]);
    const started = await Promise.allSettled([
      alice.ready(),
      ToxicPeer.start({ udpPort: s.udp_port!, dhtKey: s.dht_id }, { name: 'bob' }).then((b) => (bob = b)),
    ]);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const a = await alice.ready();
    alicePk = a.public_key;
    const t = need(bob, 'toxic');
    bobPk = await t.publicKey();
    await t.add(a.address, 'files-please');
    await alice.event('friend_request', (e) => e.public_key === bobPk, 60_000);
    aliceSeesBob = ((await alice.command({ cmd: 'friend_accept', public_key: bobPk })) as { friend: number }).friend;
    await alice.event('friend_connection', (e) => e.friend === aliceSeesBob && e.status !== 'none', 60_000);
    await t.waitForOnline(alicePk, 60_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && bob) console.error(`--- toxic's screen:\n${await bob.screen().catch(() => '')}\n---`);
  });

  after(async function () {
    this.timeout(30_000);
    await Promise.allSettled([bob?.stop(), seed?.stop(), alice?.stop()]);
    bob?.cleanup();
    seed?.cleanup();
    alice?.cleanup();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('toxync → toxic: toxic saves it (/savefile), byte-identical', async () => {
    const a = need(alice, 'alice');
    const t = need(bob, 'toxic');
    const src = join(root, 'from-toxync.bin');
    const sha = makeRandomFile(src, 3 * MiB);
    await t.clearChat(alicePk);
    const { file_id } = (await a.command({ cmd: 'send_file', friend: aliceSeesBob, path: src })) as { file_id: string };
    const { path } = await t.acceptFileOffer(alicePk, 30_000);
    assert.equal(basename(path), 'from-toxync.bin', 'toxic got the file name only');
    await a.event('file_done', (e) => e.file_id === file_id && e.direction === 'send', 60_000);
    await t.waitForFileDone(alicePk, src, 'received', 30_000);
    assert.equal(await sha256File(path), sha);
  });

  it('toxic → toxync: accepted into the --accept-files folder, byte-identical', async () => {
    const a = need(alice, 'alice');
    const t = need(bob, 'toxic');
    const dir = join(root, 'toxic-out');
    mkdirSync(dir);
    const src = join(dir, 'from-toxic.bin');
    const sha = makeRandomFile(src, 3 * MiB);
    const from = a.events.length;
    await t.sendFile(alicePk, src);
    const accepted = await a.event('file_accepted', (e) => e.friend === aliceSeesBob, 30_000, from);
    assert.equal(accepted.auto, true);
    assert.equal(dirname(accepted.path), join(root, 'inbox'));
    const done = await a.event('file_done', (e) => e.file_id === accepted.file_id && e.direction === 'recv', 60_000);
    assert.equal(done.path, join(root, 'inbox', 'from-toxic.bin'));
    assert.equal(await sha256File(done.path), sha);
    await t.waitForFileDone(alicePk, src, 'sent', 30_000);
  });
});
