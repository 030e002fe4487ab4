// A receiver who may not write where the file goes. Tests run as root, who writes anywhere,
// so Bob's node drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its bounding set
// (setpriv): as root it then gets EACCES on a folder whose mode says no, like any user.
// Two cases: the folder is read-only when Bob accepts (the accept fails with a message and
// the offer stays, to be saved elsewhere), and it turns read-only during the transfer, so
// only the final rename fails (the complete partial file is kept, and the file sent again
// completes from it once the folder is writable again).

import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { befriend, bootstrapArg, CliPeer, tempDir } from '../helpers/peer';
import { makeRandomFile, sha256File } from '../helpers/files';
import { assertLoopbackOnly } from '../helpers/netns';

const MiB = 1 << 20;

describe('a receiver without write permission', function () {
  this.timeout(300_000);
  let root: string;
  let inbox: string;
  let elsewhere: string;
  let alice: CliPeer;
  let bob: CliPeer;
  let aSeesB: number;
  let bSeesA: number;
  const peers: CliPeer[] = [];

  before(async function () {
    assertLoopbackOnly();
    root = tempDir('perm');
    inbox = join(root, 'inbox');
    elsewhere = join(root, 'elsewhere');
    mkdirSync(inbox);
    mkdirSync(elsewhere);
    const seed = CliPeer.start('seed');
    peers.push(seed);
    const boot = await bootstrapArg(seed);
    alice = CliPeer.start('alice', boot);
    const asUser =
      process.getuid?.() === 0
        ? { prefix: ['setpriv', '--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search', '--'] }
        : {};
    bob = new CliPeer('bob', tempDir('bob'), boot, asUser);
    peers.push(alice, bob);
    ({ aSeesB, bSeesA } = await befriend(alice, bob));
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
    if (root) {
      chmodSync(inbox, 0o755);
      rmSync(root, { recursive: true, force: true });
    }
  });

  const offer = async (src: string): Promise<string> => ((await alice.command({ cmd: 'send_file', friend: aSeesB, path: src })) as { file_id: string }).file_id;

  it('accepting into a read-only folder fails with EACCES and a message; the offer stays and is saved elsewhere', async () => {
    chmodSync(inbox, 0o555);
    const src = join(root, 'report.pdf');
    const sha = makeRandomFile(src, 2 * MiB);
    const id = await offer(src);
    const o = await bob.event('file_recv', (e) => e.file_id === id, 30_000);
    const err = await bob.command({ cmd: 'file_accept', friend: bSeesA, file: o.file, dir: inbox }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    assert.ok(err, 'the accept must fail');
    assert.equal(err.code, 'EACCES');
    assert.match(err.message, /permission denied/i);
    assert.equal(bob.proc.exitCode, null, 'the node carries on');
    const { path } = (await bob.command({ cmd: 'file_accept', friend: bSeesA, file: o.file, dir: elsewhere })) as { path: string };
    assert.equal(path, join(elsewhere, 'report.pdf'));
    const done = await bob.event('file_done', (e) => e.file_id === id && e.direction === 'recv', 120_000);
    assert.equal(done.path, path);
    assert.equal(await sha256File(path), sha);
    await alice.event('file_done', (e) => e.file_id === id && e.direction === 'send', 30_000);
  });

  it('losing write permission mid-transfer fails at the rename with EACCES, keeps the partial file, and completes from it once writable', async () => {
    chmodSync(inbox, 0o755);
    const src = join(root, 'dataset.bin');
    const size = 16 * MiB;
    const sha = makeRandomFile(src, size);
    const id = await offer(src);
    const o = await bob.event('file_recv', (e) => e.file_id === id, 30_000);
    const { path } = (await bob.command({ cmd: 'file_accept', friend: bSeesA, file: o.file, dir: inbox })) as { path: string };
    // Pause after the first progress so the folder can turn read-only with the file half done.
    await bob.event('file_progress', (e) => e.file_id === id && e.direction === 'recv' && e.bytes > 0, 60_000);
    await bob.command({ cmd: 'file_control', friend: bSeesA, file: o.file, control: 'pause' });
    chmodSync(inbox, 0o555);
    await bob.command({ cmd: 'file_control', friend: bSeesA, file: o.file, control: 'resume' });
    const err = await bob.event('file_error', (e) => e.file_id === id, 120_000);
    assert.equal(err.code, 'EACCES');
    assert.equal(err.partial, `${path}.part`);
    assert.equal(statSync(`${path}.part`).size, size, 'every byte arrived and is kept');
    assert.equal(existsSync(path), false);
    await alice.event('file_control', (e) => e.file_id === id && e.control === 'cancel', 10_000);

    chmodSync(inbox, 0o755);
    const again = await offer(src);
    assert.equal(again, id, 'the same unchanged file has the same file_id');
    const resumed = await bob.event('file_resumed', (e) => e.file_id === id, 60_000);
    assert.ok(resumed.bytes >= size - 1, `continues from the end (${resumed.bytes} of ${size})`);
    const done = await bob.event('file_done', (e) => e.file_id === id && e.direction === 'recv', 120_000);
    assert.equal(done.path, path);
    assert.equal(await sha256File(path), sha);
    assert.equal(existsSync(`${path}.part`), false);
    await alice.event('file_done', (e) => e.file_id === id && e.direction === 'send', 30_000);
  });
});
