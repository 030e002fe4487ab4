// The `toxync` command line as a user meets it: init/id, usage errors, and node lists.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertLoopbackOnly } from '../helpers/netns';
import { CliPeer, cliPath, tempDir } from '../helpers/peer';

function toxync(...args: string[]) {
  const r = spawnSync(process.execPath, [cliPath(), ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the toxync CLI', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  const peers: CliPeer[] = [];
  before(() => assertLoopbackOnly());
  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('init creates a profile once and id prints the same Tox ID', () => {
    const dir = tempDir('init');
    dirs.push(dir);
    const init = toxync('init', '--profile', dir, '--insecure-plain-profile');
    assert.equal(init.code, 0, init.err);
    assert.match(init.out.trim(), /^[0-9A-F]{76}$/);
    assert.equal(toxync('id', '--profile', dir, '--insecure-plain-profile').out, init.out);
    const again = toxync('init', '--profile', dir, '--insecure-plain-profile');
    assert.equal(again.code, 2);
    assert.match(again.err, /already exists/);
  });

  it('explains usage errors and exits 2', () => {
    const cases: [string[], RegExp][] = [
      [['id', '--profile', '/nonexistent-toxync', '--insecure-plain-profile'], /no profile in/],
      [['run', '--profile', '/tmp/x'], /--insecure-plain-profile/],
      [['run', '--profile', '/tmp/x', '--insecure-plain-profile', '--bootstrap', 'nope'], /HOST:PORT:PUBLIC_KEY/],
      [['frobnicate'], /unknown command/],
    ];
    for (const [args, msg] of cases) {
      const r = toxync(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, msg);
    }
  });

  it('a hostile node list is refused with a reason, and the node still starts', async () => {
    const dir = tempDir('nodes');
    dirs.push(dir);
    const file = join(dir, 'nodes.json');
    writeFileSync(file, '{"nodes": [ this is not json');
    const p = CliPeer.start('badlist', ['--nodes', file]);
    peers.push(p);
    await p.ready();
    const log = await p.event('log', (e) => e.level === 'error');
    // Only a code: the parser's message quotes the file's bytes.
    assert.match(log.message, /^the node list was rejected: invalid_argument$/);
    assert.equal(p.events[0]!.event, 'ready');
  });

  it('bootstraps from a nodes.tox.chat-format file naming a local node', async () => {
    const seed = CliPeer.start('seed');
    peers.push(seed);
    const s = await seed.ready();
    const dir = tempDir('nodes');
    dirs.push(dir);
    const file = join(dir, 'nodes.json');
    writeFileSync(
      file,
      JSON.stringify({
        last_scan: 1,
        last_refresh: 1,
        nodes: [
          {
            ipv4: '127.0.0.1',
            ipv6: '-',
            port: s.udp_port,
            tcp_ports: [],
            public_key: s.dht_id,
            maintainer: 'test',
            location: 'LO',
            status_udp: true,
            status_tcp: false,
            version: '',
            motd: '',
            last_ping: 1,
          },
          { ipv4: 'not an address', ipv6: '-', port: 1, tcp_ports: [], public_key: 'zz', status_udp: true },
        ],
      }),
    );
    const p = CliPeer.start('listed', ['--nodes', file]);
    peers.push(p);
    const log = await p.event('log', (e) => /usable/.test(e.message));
    assert.match(log.message, /1 usable, 1 skipped/);
    await p.event('self_connection', (e) => e.status !== 'none', 60_000);
  });
});
