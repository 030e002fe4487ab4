// File transfers the way the extension runs them: Bob is a host with an encrypted store and a
// supervised node process (test/helpers/chat.ts: HostUnderTest), his transfers shown by the
// host model (model/files.ts). The transfer record lives in the encrypted state document
// while the file comes in; when Bob's node process is killed (-9) mid-transfer, the supervisor
// restarts it with the records from the store and the download continues where it stopped.

import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HostUnderTest } from '../helpers/chat';
import { makeRandomFile, sha256File } from '../helpers/files';
import { assertLoopbackOnly } from '../helpers/netns';
import { CliPeer, tempDir } from '../helpers/peer';

const MiB = 1 << 20;

describe('file transfers in an extension-like host (encrypted store, supervised node)', function () {
  this.timeout(300_000);
  let seed: CliPeer;
  let alice: CliPeer;
  let bob: HostUnderTest;
  let root: string;
  let aSeesB = -1;

  /** Resolves when `pred` holds, checked after every file-transfer change in Bob's host. */
  const whenFiles = (pred: () => boolean, ms: number, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      if (pred()) return resolve();
      const timer = setTimeout(() => (off(), reject(new Error(`timed out waiting for ${what}`))), ms);
      const off = bob.files.onChange(() => {
        if (!pred()) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });

  before(async () => {
    assertLoopbackOnly();
    root = tempDir('host-files');
    mkdirSync(join(root, 'inbox'));
    seed = CliPeer.start('seed');
    const r = await seed.ready();
    alice = CliPeer.start('alice', ['--bootstrap', `127.0.0.1:${r.udp_port}:${r.dht_id}`]);
    bob = await HostUnderTest.createStored('bob', { host: '127.0.0.1', port: r.udp_port!, public_key: r.dht_id });
    bob.start();
    await bob.until(() => bob.model.self !== null, 30_000, 'ready');
    const a = await alice.ready();
    aSeesB = ((await alice.command({ cmd: 'friend_add', address: bob.model.self!.address, message: 'files for you' })) as { friend: number }).friend;
    await bob.until(() => bob.model.requests.has(a.public_key), 60_000, 'request');
    await bob.model.acceptRequest(a.public_key);
    await alice.event('friend_connection', (e) => e.friend === aSeesB && e.status !== 'none', 60_000);
  });

  after(async () => {
    await bob?.lock().catch(() => undefined);
    bob?.model.dispose();
    if (bob) rmSync(bob.config.profile_dir, { recursive: true, force: true });
    await Promise.all([seed?.stop(), alice?.stop()]);
    seed?.cleanup();
    alice?.cleanup();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the record is kept encrypted while receiving; after kill -9 of the node the download resumes and completes', async () => {
    const src = join(root, 'report.bin');
    const sha = makeRandomFile(src, 48 * MiB);
    const { file_id } = (await alice.command({ cmd: 'send_file', friend: aSeesB, path: src })) as { file_id: string };
    await whenFiles(() => bob.files.all().some((x) => x.fileId === file_id && x.state === 'offered'), 30_000, 'the offer');
    const t = bob.files.all().find((x) => x.fileId === file_id)!;
    const path = await bob.files.accept(t.id, { dir: join(root, 'inbox') });
    assert.equal(path, join(root, 'inbox', 'report.bin'));
    await whenFiles(() => t.bytes >= 16 * MiB, 120_000, '16 MiB');
    const rec = bob.binding!.store.state.transfers?.find((x) => x.id === file_id);
    assert.ok(rec, 'the transfer record is in the encrypted state document');
    assert.equal(rec.path, path);
    for (const f of ['state.bin'])
      assert.ok(!readFileSync(join(bob.config.profile_dir, f)).includes(Buffer.from('report.bin')), `${f} holds no plaintext path`);

    const pid = bob.sup.pid!;
    process.kill(pid, 'SIGKILL');
    await whenFiles(() => t.state === 'interrupted', 60_000, 'the host to see the node restarted');
    assert.notEqual(bob.sup.pid, pid, 'a new node process');
    await whenFiles(() => t.state === 'done', 240_000, 'the resumed download to finish');
    assert.equal(t.path, path);
    assert.equal(await sha256File(path), sha);
    assert.equal(bob.files.all().filter((x) => x.fileId === file_id).length, 1, 'one transfer on screen throughout');
    assert.equal(bob.model.messages(t.key).find((m) => m.id === t.id)?.state, 'delivered');
    assert.ok(!(bob.binding!.store.state.transfers ?? []).some((x) => x.id === file_id), 'the record is gone once complete');
    const sent = await alice.event('file_done', (e) => e.file_id === file_id && e.direction === 'send', 10_000);
    assert.ok(Number(sent.sent) < 1.2 * 48 * MiB, `sent ${sent.sent} bytes`);
    rmSync(dirname(path), { recursive: true, force: true });
  });
});
