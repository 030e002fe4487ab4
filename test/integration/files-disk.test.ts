// A receiver whose disk fills up: Bob's node runs in its own mount namespace with an 8 MiB
// tmpfs over his download folder (root only: mount namespaces need CAP_SYS_ADMIN). The
// transfer must fail cleanly with ENOSPC and keep the partial file; once there is room, the
// same file sent again resumes from it; or the user deletes it (file_discard).
// What Bob wrote is only visible inside his mount namespace, so it is read through nsenter.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { befriend, bootstrapArg, CliPeer, tempDir } from '../helpers/peer';
import { makeRandomFile } from '../helpers/files';
import { assertLoopbackOnly } from '../helpers/netns';

const MiB = 1 << 20;

describe('a receiver whose disk is full', function () {
  this.timeout(300_000);
  let root: string;
  let inbox: string;
  let seed: CliPeer;
  let alice: CliPeer;
  let bob: CliPeer;
  let aSeesB: number;
  let bSeesA: number;
  const peers: CliPeer[] = [];

  /** Runs a command inside Bob's mount namespace (where his tmpfs is). */
  const inBob = (...cmd: string[]): string =>
    execFileSync('nsenter', ['-t', String(bob.pid), '-m', ...cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const partSize = (path: string): number | null => {
    try {
      return Number(inBob('stat', '-c', '%s', path).trim());
    } catch {
      return null;
    }
  };

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    assertLoopbackOnly();
    root = tempDir('disk');
    inbox = join(root, 'inbox');
    mkdirSync(inbox);
    seed = CliPeer.start('seed');
    peers.push(seed);
    const boot = await bootstrapArg(seed);
    alice = CliPeer.start('alice', boot);
    const small = ['unshare', '-m', 'sh', '-c', `mount -t tmpfs -o size=8m tmpfs '${inbox}' && exec "$@"`, 'small-disk'];
    bob = new CliPeer('bob', tempDir('bob'), boot, { prefix: small });
    peers.push(alice, bob);
    ({ aSeesB, bSeesA } = await befriend(alice, bob));
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const offer = async (src: string) => {
    const { file_id } = (await alice.command({ cmd: 'send_file', friend: aSeesB, path: src })) as { file_id: string };
    return file_id;
  };

  it('fails with ENOSPC, keeps the partial file, and resumes from it once there is room', async () => {
    const src = join(root, 'big.bin');
    const sha = makeRandomFile(src, 24 * MiB);
    const id = await offer(src);
    const o = await bob.event('file_recv', (e) => e.file_id === id, 30_000);
    const { path } = (await bob.command({ cmd: 'file_accept', friend: bSeesA, file: o.file, dir: inbox })) as { path: string };
    const err = await bob.event('file_error', (e) => e.file_id === id, 120_000);
    assert.equal(err.code, 'ENOSPC');
    assert.equal(err.partial, `${path}.part`);
    await alice.event('file_control', (e) => e.file_id === id && e.control === 'cancel', 10_000);
    const kept = partSize(`${path}.part`);
    assert.ok(kept !== null && kept > MiB, `the partial file is kept (${kept} bytes)`);
    assert.equal(bob.proc.exitCode, null, 'the node carries on');

    inBob('mount', '-o', 'remount,size=64m', inbox);
    const again = await offer(src);
    assert.equal(again, id, 'the same unchanged file has the same file_id');
    const resumed = await bob.event('file_resumed', (e) => e.file_id === id, 60_000);
    assert.equal(resumed.bytes, kept, 'continues where the disk filled up');
    const done = await bob.event('file_done', (e) => e.file_id === id && e.direction === 'recv', 120_000);
    assert.equal(done.path, path);
    assert.equal(inBob('sha256sum', path).split(' ')[0], sha);
    inBob('rm', path);
    rmSync(src);
  });

  it('or the partial file is deleted when the user chooses so', async () => {
    inBob('mount', '-o', 'remount,size=8m', inbox);
    const src = join(root, 'other.bin');
    makeRandomFile(src, 24 * MiB);
    const id = await offer(src);
    const o = await bob.event('file_recv', (e) => e.file_id === id, 30_000);
    const { path } = (await bob.command({ cmd: 'file_accept', friend: bSeesA, file: o.file, dir: inbox })) as { path: string };
    const err = await bob.event('file_error', (e) => e.file_id === id, 120_000);
    assert.equal(err.code, 'ENOSPC');
    assert.ok(partSize(`${path}.part`));
    await bob.command({ cmd: 'file_discard', friend: bSeesA, file_id: id, direction: 'recv' });
    assert.equal(partSize(`${path}.part`), null, 'deleted');
    await assert.rejects(bob.command({ cmd: 'file_discard', friend: bSeesA, file_id: id, direction: 'recv' }), /no such transfer/);
    rmSync(src);
  });
});
