// `toxync run` with an encrypted store keeps files in its history, as the extension does:
// Alice's bot sends a file with `send_file`, Bob's bot takes it with --accept-files; after
// both stop, each store (opened with its passphrase) holds the file message, with its state,
// and Bob's the line saying where it was saved. Friends the bots added themselves are known
// to the store's chat model (a text to one goes through the outbox). Real nodes on loopback.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/core/store/store';
import { befriend, bootstrapArg, CliPeer, cliPath, tempDir } from '../helpers/peer';
import { makeRandomFile, sha256File } from '../helpers/files';
import { assertLoopbackOnly } from '../helpers/netns';

const PASS = 'correct horse battery staple, for a test';
const env = { ...process.env, TOXYNC_PASSPHRASE: PASS };

/** `toxync init` on an encrypted store; returns the new Tox ID (its first 64 digits are the key). */
function init(dir: string): string {
  const r = spawnSync(process.execPath, [cliPath(), 'init', '--profile', dir], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe('CLI with an encrypted store: files in the history', function () {
  this.timeout(180_000);
  const peers: CliPeer[] = [];
  const dirs: string[] = [];

  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a file sent and one auto-accepted are stored as file messages on both sides', async () => {
    assertLoopbackOnly();
    const work = tempDir('cli-files');
    dirs.push(work);
    const inbox = join(work, 'inbox');
    mkdirSync(inbox);
    const src = join(work, 'quarterly report.pdf');
    const sha = makeRandomFile(src, 3 << 20);
    const seed = CliPeer.start('seed');
    peers.push(seed);
    const boot = await bootstrapArg(seed);
    const aDir = tempDir('cli-files-alice');
    const bDir = tempDir('cli-files-bob');
    const aliceKey = init(aDir).slice(0, 64);
    const bobKey = init(bDir).slice(0, 64);
    const alice = new CliPeer('alice', aDir, boot, { encrypted: true, env });
    const bob = new CliPeer('bob', bDir, [...boot, '--accept-files', inbox], { encrypted: true, env });
    peers.push(alice, bob);
    const { aSeesB } = await befriend(alice, bob);

    // A friend the bot added itself in this session is known to the store's chat model.
    const q = (await alice.command({ cmd: 'send', friend: aSeesB, text: 'the report follows' })) as { queued?: boolean; local_id?: string };
    assert.equal(q.queued, true);
    await alice.event('delivery', (e) => e.local_id === q.local_id && e.state === 'delivered', 30_000);

    const r = (await alice.command({ cmd: 'send_file', friend: aSeesB, path: src })) as { file: number | null; file_id: string };
    assert.match(r.file_id, /^[0-9a-f]{64}$/);
    const done = await bob.event('file_done', (e) => e.file_id === r.file_id && e.direction === 'recv', 120_000);
    assert.equal(await sha256File(String(done.path)), sha);
    await alice.event('file_done', (e) => e.file_id === r.file_id && e.direction === 'send', 30_000);
    // A friend the bot adds (offline: Carol never starts) gets texts queued in the outbox.
    const carol = tempDir('cli-files-carol');
    dirs.push(carol);
    const carolAddress = init(carol);
    const { friend: toCarol } = (await alice.command({ cmd: 'friend_add', address: carolAddress, message: 'hi Carol' })) as {
      friend: number;
    };
    const c = (await alice.command({ cmd: 'send', friend: toCarol, text: 'waits for Carol' })) as { queued?: boolean };
    assert.equal(c.queued, true);
    await Promise.all([alice.stop(), bob.stop()]);

    const aStore = await Store.open(aDir, { passphrase: PASS });
    try {
      const sent = aStore.conversation(bobKey)?.messages.filter((m) => m.kind === 'file') ?? [];
      assert.equal(sent.length, 1, "Alice's history holds the file she sent");
      assert.equal(sent[0]!.dir, 'out');
      assert.equal(sent[0]!.text, 'quarterly report.pdf');
      assert.equal(sent[0]!.file_id, r.file_id);
      assert.equal(sent[0]!.state, 'delivered');
      const carolKey = carolAddress.slice(0, 64);
      assert.deepEqual(
        aStore.conversation(carolKey)?.messages.map((m) => [m.text, m.state]),
        [['waits for Carol', 'queued']],
        'the outbox keeps it for Carol',
      );
    } finally {
      aStore.close();
    }
    const bStore = await Store.open(bDir, { passphrase: PASS });
    try {
      const msgs = bStore.conversation(aliceKey)?.messages ?? [];
      const got = msgs.filter((m) => m.kind === 'file');
      assert.equal(got.length, 1, "Bob's history holds the file he received");
      assert.equal(got[0]!.dir, 'in');
      assert.equal(got[0]!.text, 'quarterly report.pdf');
      assert.ok(
        msgs.some((m) => m.text === `File saved to ${String(done.path)}`),
        'and where it was saved',
      );
      assert.ok(
        msgs.some((m) => m.dir === 'in' && m.text === 'the report follows'),
        'and the text before it',
      );
    } finally {
      bStore.close();
    }
  });
});
