// Logs carry codes, never names or paths (issue 14, finding 6). Bob runs `toxync run
// --accept-files DIR` into a folder whose path is recognisable, and receives from Alice files
// named `CANARY-<random>-‮gnp.exe` (a bidi override): one saved, one too large (declined by
// the rule), one into the folder after it turned read-only (EACCES). Alice also tries to send
// a file that does not exist under a recognisable path. Bob also starts with a node list and a
// missing avatar file under those paths (both were logged with their path before). Then every `log` event and every stderr
// line of both nodes is searched for the canary, the name and both paths: none may be there.
// Positive control: the same search finds the canary in Bob's `file_recv` event, which must
// carry the name (protocol data for the host, not a log).
//
// Tests run as root, who writes anywhere: Bob's node drops CAP_DAC_OVERRIDE and
// CAP_DAC_READ_SEARCH (setpriv), as in files-perm.test.ts, so the read-only folder refuses it.

import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { befriend, bootstrapArg, CliPeer, tempDir } from '../helpers/peer';
import { assertLoopbackOnly } from '../helpers/netns';

/** Every place in the logs and stderr of `peers` that contains one of `needles`. */
function leaks(peers: CliPeer[], needles: string[]): string[] {
  const hits: string[] = [];
  for (const p of peers) {
    const lines = [...p.events.filter((e) => e.event === 'log').map((e) => JSON.stringify(e)), ...p.stderr];
    for (const l of lines) for (const n of needles) if (l.includes(n) || l.includes(JSON.stringify(n).slice(1, -1))) hits.push(`${p.name}: ${l}`);
  }
  return hits;
}

describe('node and CLI logs name no file and no path (hostile file names)', function () {
  this.timeout(180_000);
  const canary = `CANARY-${randomBytes(6).toString('hex')}`;
  const name = `${canary}-\u202egnp.exe`;
  const dirToken = `DLDIR-${randomBytes(6).toString('hex')}`;
  const srcToken = `SRCDIR-${randomBytes(6).toString('hex')}`;
  let root = '';
  let inbox = '';
  let alice: CliPeer;
  let bob: CliPeer;
  let aSeesB = 0;
  const peers: CliPeer[] = [];

  before(async () => {
    assertLoopbackOnly();
    root = tempDir('logs');
    inbox = join(root, dirToken);
    mkdirSync(inbox);
    mkdirSync(join(root, srcToken));
    const seed = CliPeer.start('seed');
    peers.push(seed);
    const boot = await bootstrapArg(seed);
    alice = CliPeer.start('alice', boot);
    const asUser =
      process.getuid?.() === 0
        ? { prefix: ['setpriv', '--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search', '--'] }
        : {};
    const s = await seed.ready();
    const nodes = join(root, srcToken, 'nodes.json');
    writeFileSync(
      nodes,
      JSON.stringify({
        nodes: [
          {
            ipv4: '127.0.0.1',
            ipv6: '-',
            port: s.udp_port,
            tcp_ports: [],
            public_key: s.dht_id,
            status_udp: true,
            status_tcp: false,
            last_ping: 1,
          },
        ],
      }),
    );
    const avatar = join(inbox, `${canary}-avatar.png`); // does not exist
    bob = new CliPeer('bob', tempDir('bob'), [...boot, '--nodes', nodes, '--avatar', avatar, '--accept-files', inbox, '--accept-max-bytes', '65536'], asUser);
    peers.push(alice, bob);
    ({ aSeesB } = await befriend(alice, bob));
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
    if (root) {
      chmodSync(inbox, 0o755);
      rmSync(root, { recursive: true, force: true });
    }
  });

  const send = async (bytes: number): Promise<string> => {
    const src = join(root, srcToken, `${randomBytes(4).toString('hex')}.bin`);
    writeFileSync(src, randomBytes(bytes));
    return ((await alice.command({ cmd: 'send_file', friend: aSeesB, path: src, name })) as { file_id: string }).file_id;
  };

  it('a saved, a too large and a refused (EACCES) file, and a missing source: no name or path in any log', async () => {
    const saved = await send(4096);
    const done = await bob.event('file_done', (e) => e.file_id === saved && e.direction === 'recv', 60_000);
    assert.ok(done.path.startsWith(inbox), 'saved into the recognisable folder');

    const big = await send(100_000);
    const tooLarge = await bob.event('file_error', (e) => e.file_id === big, 60_000);
    assert.equal(tooLarge.code, 'too_large');

    chmodSync(inbox, 0o555);
    const refused = await send(4096);
    const denied = await bob.event('file_error', (e) => e.file_id === refused, 60_000);
    if (process.getuid?.() === 0) assert.equal(denied.code, 'EACCES');

    const missing = join(root, srcToken, `${canary}.missing`);
    await assert.rejects(alice.command({ cmd: 'send_file', friend: aSeesB, path: missing, name }));

    // Every log line either node wrote up to now, after a round trip (nothing still queued).
    await Promise.all([alice.command({ cmd: 'info' }), bob.command({ cmd: 'info' })]);
    const needles = [canary, name, inbox, dirToken, srcToken, missing];
    // The node list and the avatar were logged (by code): the search below looks at real lines.
    assert.ok(bob.events.some((e) => e.event === 'log' && /node list: \d+ usable/.test(String(e.message))));
    assert.ok(bob.events.some((e) => e.event === 'log' && /the avatar was not set: ENOENT/.test(String(e.message))));
    assert.deepEqual(leaks([alice, bob], needles), []);

    // Positive control: the search sees the canary where it belongs, in the protocol event.
    const recv = bob.events.filter((e) => e.event === 'file_recv');
    assert.ok(recv.length >= 3);
    assert.ok(
      recv.every((e) => e.name === name),
      "file_recv carries the peer's name as sent",
    );
    const asLog = { ...bob, name: 'control', events: recv.map((e) => ({ ...e, event: 'log' })), stderr: [] } as unknown as CliPeer;
    assert.ok(leaks([asLog], [canary]).length >= 3, 'the search finds the canary in file_recv events');
    assert.ok(leaks([{ name: 'control', events: [], stderr: [`x ${inbox}/y`] } as unknown as CliPeer], needles).length > 0, 'and a path in a stderr line');
  });
});
