// Alice and Bob, two `toxync run` processes on a real local Tox network (a third node is the
// bootstrap node), inside the test's loopback-only namespace. Read as a protocol spec.

import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { befriend, bootstrapArg, CliPeer, tempDir } from '../helpers/peer';
import { assertLoopbackOnly } from '../helpers/netns';

describe('Alice and Bob over a real local Tox network', function () {
  this.timeout(180_000);
  let seed: CliPeer;
  let alice: CliPeer;
  let bob: CliPeer;
  let aSeesB: number;
  let bSeesA: number;
  const peers: CliPeer[] = [];

  before(async () => {
    assertLoopbackOnly();
    seed = CliPeer.start('seed');
    peers.push(seed);
    const boot = await bootstrapArg(seed);
    alice = CliPeer.start('alice', boot);
    bob = CliPeer.start('bob', boot);
    peers.push(alice, bob);
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
  });

  it('a friend request carries its message; once accepted both are online', async () => {
    const bobInfo = await bob.ready();
    const aliceInfo = await alice.ready();
    const { friend } = (await alice.command({ cmd: 'friend_add', address: bobInfo.address, message: 'Hi Bob, it is Alice ✓' })) as {
      friend: number;
    };
    aSeesB = friend;
    const req = await bob.event('friend_request', () => true, 60_000);
    assert.equal(req.public_key, aliceInfo.public_key);
    assert.equal(req.message, 'Hi Bob, it is Alice ✓');
    bSeesA = ((await bob.command({ cmd: 'friend_accept', public_key: req.public_key })) as { friend: number }).friend;
    await alice.event('friend_connection', (e) => e.friend === aSeesB && e.status !== 'none', 60_000);
    await bob.event('friend_connection', (e) => e.friend === bSeesA && e.status !== 'none', 60_000);
    const friends = (await bob.command({ cmd: 'friends' })) as { friends: { public_key: string; connection: string }[] };
    assert.equal(friends.friends.length, 1);
    assert.equal(friends.friends[0]!.public_key, aliceInfo.public_key);
  });

  it('200 messages each way arrive in order, none lost, each with a receipt', async () => {
    const N = 200;
    const send = async (from: CliPeer, to: CliPeer, friendAtSender: number, friendAtReceiver: number, tag: string) => {
      const start = to.events.length;
      const ids: number[] = [];
      for (let i = 0; i < N; i++) {
        const r = (await from.command({ cmd: 'send', friend: friendAtSender, text: `${tag} #${i}` })) as { message_ids: number[] };
        assert.equal(r.message_ids.length, 1);
        ids.push(r.message_ids[0]!);
      }
      await to.waitFor(() => to.events.slice(start).filter((e) => e.event === 'message' && e.friend === friendAtReceiver).length >= N, 60_000, `${N} messages`);
      const got = to.events
        .slice(start)
        .filter((e) => e.event === 'message' && e.friend === friendAtReceiver)
        .map((e) => e.text);
      assert.deepEqual(
        got,
        Array.from({ length: N }, (_, i) => `${tag} #${i}`),
      );
      const receiptOf = (id: number) => from.events.some((e) => e.event === 'receipt' && e.friend === friendAtSender && e.message_id === id);
      await from.waitFor(() => ids.every(receiptOf), 60_000, 'all receipts');
    };
    await Promise.all([send(alice, bob, aSeesB, bSeesA, 'a→b'), send(bob, alice, bSeesA, aSeesB, 'b→a')]);
  });

  it('a message longer than one Tox message, with multibyte UTF-8 at the split points, arrives rejoined exactly', async () => {
    // 1371 ASCII bytes then 4-byte characters: the first split point falls inside one.
    const text = 'x'.repeat(1371) + '𝄞é€'.repeat(400) + ' end';
    const start = bob.events.length;
    const { message_ids } = (await alice.command({ cmd: 'send', friend: aSeesB, text })) as { message_ids: number[] };
    assert.ok(message_ids.length >= 3, `split into ${message_ids.length} parts`);
    await bob.waitFor(() => bob.events.slice(start).filter((e) => e.event === 'message').length === message_ids.length, 30_000, 'all parts');
    const parts = bob.events
      .slice(start)
      .filter((e) => e.event === 'message')
      .map((e) => String(e.text));
    for (const p of parts) assert.ok(Buffer.byteLength(p) <= 1372 && !p.includes('\uFFFD'), 'each part is whole UTF-8 within the limit');
    assert.equal(parts.join(''), text);
  });

  it('typing notifications and custom lossless packets reach the friend unchanged', async () => {
    await alice.command({ cmd: 'typing', friend: aSeesB, typing: true });
    await bob.event('friend_typing', (e) => e.friend === bSeesA && e.typing);
    const data = 'a0' + Buffer.from('toxync custom ✓').toString('hex'); // 160-191: lossless packet ids
    await alice.command({ cmd: 'custom_packet', friend: aSeesB, lossless: true, data });
    const got = await bob.event('custom_packet', (e) => e.friend === bSeesA);
    assert.equal(got.lossless, true);
    assert.equal(got.data, data);
    await assert.rejects(alice.command({ cmd: 'custom_packet', friend: aSeesB, lossless: true, data: '01ff' }), {
      code: 'TOX_ERR_FRIEND_CUSTOM_PACKET_INVALID',
    });
  });

  it('a 20 MiB file arrives byte-identical (SHA-256)', async () => {
    const dir = tempDir('files');
    const src = join(dir, 'payload.bin');
    const data = randomBytes(20 * 1024 * 1024);
    writeFileSync(src, data);
    const { file } = (await alice.command({ cmd: 'send_file', friend: aSeesB, path: src, name: 'renamed.bin' })) as { file: number };
    // File numbers are per side (toxcore numbers incoming files differently): match by name.
    const offer = await bob.event('file_recv', (e) => e.friend === bSeesA && e.name === 'renamed.bin');
    assert.equal(offer.size, data.length);
    const dest = join(dir, 'received.bin');
    await bob.command({ cmd: 'file_accept', friend: bSeesA, file: offer.file, path: dest });
    const done = await bob.event('file_done', (e) => e.file === offer.file && e.direction === 'recv', 150_000);
    assert.equal(done.path, dest);
    assert.equal(done.bytes, data.length);
    await alice.event('file_done', (e) => e.file === file && e.direction === 'send', 10_000);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal(sha(readFileSync(dest)), sha(data));
  });

  it('accepting a file never overwrites an existing one', async () => {
    const dir = tempDir('files');
    const src = join(dir, 'small.txt');
    writeFileSync(src, 'second file');
    const existing = join(dir, 'keep.txt');
    writeFileSync(existing, 'precious');
    await alice.command({ cmd: 'send_file', friend: aSeesB, path: src, name: 'small.txt' });
    const offer = await bob.event('file_recv', (e) => e.name === 'small.txt');
    await assert.rejects(bob.command({ cmd: 'file_accept', friend: bSeesA, file: offer.file, path: existing }), { code: 'EEXIST' });
    assert.equal(readFileSync(existing, 'utf8'), 'precious');
    await bob.command({ cmd: 'file_control', friend: bSeesA, file: offer.file, control: 'cancel' });
  });

  it('malformed commands get an error event and change nothing', async () => {
    const before = (await alice.command({ cmd: 'friends' })) as { friends: unknown[] };
    const bad = [
      'not json at all',
      '{"cmd":"send","friend":0}',
      '{"cmd":"friend_add","address":"ABC","message":"x"}',
      '{"cmd":"friend_delete","friend":"0"}',
      '["quit"]',
      '{"cmd":"quit ","id":99}',
    ];
    const start = alice.events.length;
    for (const line of bad) alice.writeLine(line);
    await alice.waitFor(() => alice.events.slice(start).filter((e) => e.event === 'error').length >= bad.length, 10_000, 'errors');
    const errors = alice.events.slice(start).filter((e) => e.event === 'error');
    assert.equal(errors.length, bad.length);
    for (const e of errors) assert.ok(e.code === 'invalid_command' || e.code === 'invalid_argument', `code ${String(e.code)}`);
    assert.match(String(errors[2]!.message), /76 hex characters/);
    const after = (await alice.command({ cmd: 'friends' })) as { friends: unknown[] };
    assert.deepEqual(after, before);
    assert.equal(alice.proc.exitCode, null, 'still running');
  });

  it('Tox errors reach the caller with their enum name', async () => {
    await assert.rejects(alice.command({ cmd: 'send', friend: 42, text: 'anyone?' }), {
      code: 'TOX_ERR_FRIEND_SEND_MESSAGE_FRIEND_NOT_FOUND',
    });
    const bobInfo = await bob.ready();
    await assert.rejects(alice.command({ cmd: 'friend_add', address: bobInfo.address, message: 'again' }), {
      code: 'TOX_ERR_FRIEND_ADD_ALREADY_SENT',
    });
  });

  it('a profile restarted from disk keeps its Tox ID and friends, and the friend comes back', async () => {
    const aliceInfo = await alice.ready();
    await alice.stop();
    const boot = await bootstrapArg(seed);
    const again = CliPeer.start('alice-again', boot, alice.profileDir);
    peers.push(again);
    const info = await again.ready();
    assert.equal(info.address, aliceInfo.address);
    assert.deepEqual(
      info.friends.map((f) => f.public_key),
      aliceInfo.friends.length ? aliceInfo.friends.map((f) => f.public_key) : [(await bob.ready()).public_key],
    );
    await again.event('friend_connection', (e) => e.status !== 'none', 60_000);
    const start = bob.events.length;
    await again.command({ cmd: 'send', friend: aSeesB, text: 'back again' });
    await bob.waitFor(() => bob.events.slice(start).some((e) => e.event === 'message' && e.text === 'back again'), 20_000, 'message after restart');
  });
});

// Unused-import guard for helpers shared with other suites.
void befriend;
