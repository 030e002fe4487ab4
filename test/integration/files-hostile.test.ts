// Receiving from a hostile peer: "mallory" is a Tox peer run on the wrapper in this process
// (test/helpers/rawpeer.ts), so it can offer what toxync never sends — file names with paths,
// controls, bidi tricks, Windows device names (the whole hostile-names corpus: our own list
// plus every entry of the vendored XSS lists that fits in a Tox file name), lying "images",
// and oversized or non-image avatars. The receivers are `toxync run --accept-files DIR`.

import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { bootstrapArg, CliPeer, tempDir } from '../helpers/peer';
import { assertLoopbackOnly } from '../helpers/netns';
import { RawPeer } from '../helpers/rawpeer';
import { png } from '../helpers/images';
import { assertSafeName } from '../helpers/safe-name';
import { OWN_HOSTILE_NAMES, xssNames } from '../fixtures/hostile-names';

const FILE_KIND_DATA = 0;
const FILE_KIND_AVATAR = 1;
const BATCH = 64;

describe('receiving from a hostile peer', function () {
  this.timeout(600_000);
  let root: string;
  let seed: CliPeer;
  let carol: CliPeer;
  let dave: CliPeer;
  let alice: CliPeer;
  let mallory: RawPeer;
  const peers: CliPeer[] = [];
  /** Mallory's friend numbers for carol and dave, and theirs for her. */
  const mFor: Record<string, number> = {};
  const forM: Record<string, number> = {};
  let malloryKey = '';

  const befriendMallory = async (p: CliPeer) => {
    const info = await p.ready();
    const f = mallory.tox.friendAdd(info.address, 'hi');
    const req = await p.event('friend_request', (e) => e.public_key === malloryKey, 60_000);
    forM[p.name] = ((await p.command({ cmd: 'friend_accept', public_key: req.public_key })) as { friend: number }).friend;
    mFor[p.name] = f;
    await mallory.until(() => mallory.isOnline(f), 90_000, `${p.name} online`);
  };

  before(async () => {
    assertLoopbackOnly();
    root = tempDir('hostile');
    for (const d of ['inbox', 'images']) mkdirSync(join(root, d));
    seed = CliPeer.start('seed');
    peers.push(seed);
    const boot = await bootstrapArg(seed);
    const s = await seed.ready();
    carol = CliPeer.start('carol', [...boot, '--accept-files', join(root, 'inbox')]);
    dave = CliPeer.start('dave', [...boot, '--accept-files', join(root, 'images'), '--accept-images-only', '--accept-max-bytes', String(1 << 20)]);
    alice = CliPeer.start('alice', boot);
    peers.push(carol, dave, alice);
    mallory = new RawPeer({ port: s.udp_port!, dht: s.dht_id });
    malloryKey = mallory.tox.publicKey();
    await Promise.all([befriendMallory(carol), befriendMallory(dave)]);
  });

  after(async () => {
    mallory?.dispose();
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
    rmSync(root, { recursive: true, force: true });
  });

  /** Offers every (name, data) to `to`; resolves when each transfer ended on mallory's side. */
  const offerAll = async (to: CliPeer, files: { name: string; data: Buffer; kind?: number }[]) => {
    const f = mFor[to.name]!;
    for (let i = 0; i < files.length; i += BATCH) {
      const batch = files.slice(i, i + BATCH).map((x) => mallory.sendFile(f, x.kind ?? FILE_KIND_DATA, x.name, x.data));
      await mallory.until(() => batch.every((n) => mallory.state(f, n)?.done || mallory.state(f, n)?.control === 'cancel'), 120_000, `batch ${i / BATCH}`);
    }
  };

  it('every name of the hostile corpus is saved inside the folder under a safe name; nothing is overwritten or followed', async () => {
    const inbox = join(root, 'inbox');
    const outside = join(root, 'outside-target');
    const precious = ['passwd', 'same.txt', 'received-file', 'rf', 'bashrc', '_CON'];
    for (const n of precious) writeFileSync(join(inbox, n), `precious ${n}`);
    symlinkSync(outside, join(inbox, 'shadow')); // a planted link: "/etc/shadow" must not write through it
    const names = [...new Set([...OWN_HOSTILE_NAMES, ...xssNames()])].filter((n) => Buffer.byteLength(n) <= 255);
    assert.ok(names.length > 2000, `${names.length} names`);
    const files = names.map((name, i) => ({ name, data: Buffer.from(`hostile #${i}\n`) }));
    const from = carol.events.length;
    await offerAll(carol, files);
    await carol.waitFor(
      () => carol.events.slice(from).filter((e) => e.event === 'file_done' || e.event === 'file_error').length >= names.length,
      60_000,
      'every transfer to end',
    );
    const ended = carol.events.slice(from);
    const errors = ended.filter((e) => e.event === 'file_error');
    assert.deepEqual(errors, [], 'every file was received');
    const seen = new Set<number>();
    const saved = new Set<string>();
    for (const e of ended.filter((x) => x.event === 'file_done')) {
      const path = String(e.path);
      assert.equal(dirname(path), inbox, `saved inside the folder: ${path}`);
      assertSafeName(basename(path), path);
      const m = /^hostile #(\d+)\n$/.exec(readFileSync(path, 'utf8'));
      assert.ok(m, `content of ${path}`);
      seen.add(Number(m[1]));
      saved.add(basename(path));
    }
    assert.equal(seen.size, names.length, 'each offered file is a file of its own');
    const listing = readdirSync(inbox);
    assert.equal(listing.length, names.length + precious.length + 1, 'one file per offer, plus what was there');
    assert.deepEqual(listing.filter((n) => !saved.has(n)).sort(), [...precious, 'shadow'].sort(), 'no partial or stray files left');
    for (const n of listing) assert.ok(!lstatSync(join(inbox, n)).isDirectory(), `no folders created (${n})`);
    for (const n of precious) assert.equal(readFileSync(join(inbox, n), 'utf8'), `precious ${n}`, `${n} untouched`);
    assert.equal(readlinkSync(join(inbox, 'shadow')), outside, 'the planted link is untouched');
    assert.ok(!existsSync(outside), 'nothing was written through the link');
    assert.deepEqual(readdirSync(root).sort(), ['images', 'inbox'], 'nothing was written outside the folder');
  });

  it('"images only" checks the bytes, not the name; the size cap holds; other names are declined', async () => {
    const images = join(root, 'images');
    const from = dave.events.length;
    await offerAll(dave, [
      { name: 'cat.png', data: Buffer.from('#!/bin/sh\necho pwned\n'.repeat(20)) },
      { name: 'real.png', data: png(8, 8) },
      { name: 'notes.txt', data: Buffer.from('hello') },
      { name: 'huge.png', data: Buffer.concat([png(2, 2), Buffer.alloc(2 << 20)]) },
    ]);
    await dave.waitFor(() => dave.events.slice(from).filter((e) => e.event === 'file_done' || e.event === 'file_error').length >= 4, 30_000, 'four outcomes');
    const codes = dave.events
      .slice(from)
      .filter((e) => e.event === 'file_error')
      .map((e) => String(e.code))
      .sort();
    assert.deepEqual(codes, ['not_image', 'rule', 'too_large']);
    assert.deepEqual(readdirSync(images), ['real.png'], 'only the real image is kept (the fake one was deleted)');
    assert.deepEqual(readFileSync(join(images, 'real.png')), png(8, 8));
  });

  it('a stream of unknown size is capped: more than the accept cap ends it and deletes the partial file', async () => {
    const images = join(root, 'images');
    const f = mFor.dave!;
    const from = dave.events.length;
    const n = mallory.sendFile(f, FILE_KIND_DATA, 'stream.png', Buffer.concat([png(4, 4), Buffer.alloc(3 << 20)]), undefined, true);
    const offer = await dave.event('file_recv', (e) => e.name === 'stream.png', 30_000, from);
    assert.equal(offer.size, null, 'announced as unknown size (UINT64_MAX)');
    const err = await dave.event('file_error', (e) => e.file === offer.file, 60_000, from);
    assert.equal(err.code, 'too_large');
    await mallory.until(() => mallory.state(f, n)?.control === 'cancel', 30_000, 'the stream to be cancelled');
    assert.deepEqual(readdirSync(images), ['real.png'], 'nothing of the stream is left');
    // A stream within the cap ends when the sender sends less than asked for, and is kept.
    const small = Buffer.concat([png(4, 4), Buffer.alloc(100_000, 7)]);
    mallory.sendFile(f, FILE_KIND_DATA, 'small-stream.png', small, undefined, true);
    const done = await dave.event('file_done', (e) => e.direction === 'recv' && String(e.path).endsWith('small-stream.png'), 60_000, from);
    assert.deepEqual(readFileSync(done.path), small);
    rmSync(done.path);
  });

  it('avatars: a valid one is kept; a 1 MB one and a non-image are rejected', async () => {
    const f = mFor.carol!;
    const from = carol.events.length;
    const big = mallory.sendFile(f, FILE_KIND_AVATAR, 'avatar', Buffer.alloc(1 << 20, 0x89));
    await mallory.until(() => mallory.state(f, big)?.control === 'cancel', 30_000, 'the 1 MB avatar to be refused');
    const fake = mallory.sendFile(f, FILE_KIND_AVATAR, 'avatar', Buffer.from('<svg onload=alert(1)>'.repeat(50)));
    await mallory.until(() => !!mallory.state(f, fake)?.done, 30_000, 'the fake avatar to be sent');
    const good = png(16, 16);
    mallory.sendFile(f, FILE_KIND_AVATAR, 'avatar', good);
    const got = await carol.event('avatar', (e) => e.public_key === malloryKey, 30_000, from);
    assert.equal(got.data, good.toString('base64'), 'the valid avatar, and only it');
    assert.equal(got.mime, 'image/png');
    assert.equal(got.width, 16);
    assert.equal(carol.events.slice(from).filter((e) => e.event === 'avatar').length, 1, 'the rejected ones never surfaced');
    assert.ok(carol.events.slice(from).some((e) => e.event === 'log' && /ignored: not a valid/.test(String(e.message))));
  });

  it('avatars: declared 1025×1 is refused, 1024×1 is kept (MAX_AVATAR_SIDE)', async () => {
    const f = mFor.carol!;
    const from = carol.events.length;
    const wide = png(1025, 1);
    const n = mallory.sendFile(f, FILE_KIND_AVATAR, 'avatar', wide);
    await mallory.until(() => !!mallory.state(f, n)?.done, 30_000, 'the 1025 px avatar to be sent');
    await carol.event('log', (e) => /ignored: over 1024 px a side/.test(String(e.message)), 30_000, from);
    const ok = png(1024, 1);
    mallory.sendFile(f, FILE_KIND_AVATAR, 'avatar', ok);
    const got = await carol.event('avatar', (e) => e.public_key === malloryKey, 30_000, from);
    assert.equal(got.data, ok.toString('base64'), 'the 1024 px one (positive control), and only it');
    assert.equal(got.width, 1024);
    assert.equal(carol.events.slice(from).filter((e) => e.event === 'avatar').length, 1);
  });

  it('avatars between toxync nodes: set_avatar validates, and the friend receives it', async () => {
    const dir = join(root, 'avatars');
    mkdirSync(dir);
    const good = png(32, 24);
    writeFileSync(join(dir, 'me.png'), good);
    writeFileSync(join(dir, 'big.png'), Buffer.concat([good, Buffer.alloc(70_000)]));
    writeFileSync(join(dir, 'script.png'), '#!/bin/sh\n');
    await assert.rejects(alice.command({ cmd: 'set_avatar', path: join(dir, 'big.png') }), /at most 65536 bytes/);
    await assert.rejects(alice.command({ cmd: 'set_avatar', path: join(dir, 'script.png') }), /PNG, JPEG, GIF or WebP/);
    const r = (await alice.command({ cmd: 'set_avatar', path: join(dir, 'me.png') })) as { hash: string };
    // Alice and carol become friends now: the avatar goes out when carol comes online.
    const cInfo = await carol.ready();
    const aInfo = await alice.ready();
    await alice.command({ cmd: 'friend_add', address: cInfo.address, message: 'hi carol' });
    const req = await carol.event('friend_request', (e) => e.public_key === aInfo.public_key, 60_000);
    await carol.command({ cmd: 'friend_accept', public_key: req.public_key });
    const got = await carol.event('avatar', (e) => e.public_key === aInfo.public_key, 90_000);
    assert.equal(got.data, good.toString('base64'));
    assert.equal(got.hash, r.hash);
    assert.deepEqual([got.width, got.height], [32, 24]);
    rmSync(dir, { recursive: true, force: true });
  });
});
