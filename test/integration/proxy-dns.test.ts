// With a proxy set, a node never resolves a name (issue 14, finding 3): a `bootstrap` or
// `add_relay` command naming a host is refused by the Tox wrapper's choke point
// (src/tox/hostguard.ts) with code host_not_ip_literal, and a DNS listener sees no query.
// The anti-test sends the same command to a node without a proxy: the listener sees the query
// for that very name, so the listener and the resolver set-up can see what we guard against.
//
// How the node is made to use our listener: test/helpers/dnsprobe.ts (a private mount
// namespace with resolv.conf → 127.0.0.1, listener on UDP 127.0.0.1:53). `pager serve` runs
// the same ToxNode over the same Tox wrapper and takes hosts only from the command line
// (parsed by the same parser, names refused with --proxy) and node lists (names dropped when
// proxied), so the choke point is its guarantee too: its tests below start it with a node list
// naming a host (queried without a proxy, not with one) and with --bootstrap naming one while
// proxied (a usage error, no query). The wrapper test at the end needs no node.

import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { HOST_NOT_IP_LITERAL, HostNotIpLiteralError } from '../../src/tox/hostguard';
import { loadLibtoxcore } from '../../src/tox/loader';
import { Tox } from '../../src/tox/tox';
import { DnsListener, resolverPrefix, resolverPrefixUnavailable } from '../helpers/dnsprobe';
import { type Daemon, startMicrosocks } from '../helpers/leakDaemons';
import { assertLoopbackOnly } from '../helpers/netns';
import { CliPeer, cliPath, tempDir } from '../helpers/peer';

const SOCKS_PORT = 24490;
const KEY = 'A'.repeat(64);

describe('with a proxy, no host name is ever resolved (local DNS listener)', function () {
  this.timeout(60_000);
  let dns: DnsListener | null = null;
  let socks: Daemon | null = null;
  const peers: CliPeer[] = [];
  const dirs: string[] = [];

  before(async function () {
    assertLoopbackOnly();
    const why = resolverPrefixUnavailable();
    if (why) this.skip();
    dns = await DnsListener.start();
    socks = await startMicrosocks(SOCKS_PORT);
  });
  after(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
    // A stopped pager may still be finishing its last profile write: retry instead of racing it.
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 }));
    await socks?.stop();
    dns?.close();
  });

  const node = async (name: string, args: string[]): Promise<CliPeer> => {
    const dir = tempDir(`${name}-resolv`);
    dirs.push(dir);
    const p = new CliPeer(name, tempDir(name), args, { prefix: resolverPrefix(dir) });
    peers.push(p);
    await p.ready();
    return p;
  };
  const probeName = (what: string) => `${what}-${randomBytes(4).toString('hex')}.dnsprobe.example`;
  const refusal = async (p: CliPeer, cmd: Record<string, unknown>): Promise<{ code: string; message: string }> => {
    try {
      await p.command(cmd);
    } catch (e) {
      return { code: String((e as { code?: unknown }).code), message: (e as Error).message };
    }
    throw new Error(`${String(cmd.cmd)} was accepted`);
  };

  it('anti-test: without a proxy, bootstrap and add_relay with a host name reach the resolver', async () => {
    const p = await node('direct', ['--udp', 'off']);
    for (const cmd of ['bootstrap', 'add_relay']) {
      const host = probeName(cmd);
      const seen = dns!.seen(host);
      // NXDOMAIN from our listener: toxcore reports a bad host, after having asked.
      const r = await refusal(p, { cmd, host, port: 33445, public_key: KEY });
      assert.equal(r.code, 'TOX_ERR_BOOTSTRAP_BAD_HOST');
      await seen;
      assert.ok(dns!.queries.includes(host), `the listener saw ${host}`);
    }
  });

  it('with --proxy, bootstrap and add_relay with a host name answer host_not_ip_literal and send no query', async () => {
    const p = await node('proxied', ['--proxy', `socks5://127.0.0.1:${SOCKS_PORT}`]);
    const before = dns!.queries.length;
    const hosts: string[] = [];
    for (const cmd of ['bootstrap', 'add_relay']) {
      const host = probeName(cmd);
      hosts.push(host);
      const r = await refusal(p, { cmd, host, port: 33445, public_key: KEY });
      assert.equal(r.code, HOST_NOT_IP_LITERAL);
      assert.ok(!r.message.includes(host), 'the refusal does not repeat the name');
    }
    // An IP literal still goes through (the guard refuses names, not bootstrapping).
    await p.command({ cmd: 'bootstrap', host: '127.0.0.1', port: 33445, public_key: KEY });
    await dns!.barrier();
    const after = dns!.queries.slice(before).filter((q) => !q.startsWith('barrier-'));
    assert.deepEqual(after, [], 'DNS queries while proxied');
    for (const h of hosts) assert.ok(!dns!.queries.includes(h));
  });
});

/** `toxync pager serve` under the resolver prefix: resolves with pager_ready or the exit code. */
function pagerServe(
  prefix: string[],
  args: string[],
  dir: string,
): { result: Promise<{ ready: boolean; code: number | null; stderr: string }>; stop: () => Promise<void> } {
  const token = join(dir, 'token');
  writeFileSync(token, 'x'.repeat(32) + '\n', { mode: 0o600 });
  const argv = [
    process.execPath,
    cliPath(),
    'pager',
    'serve',
    '--profile',
    join(dir, 'profile'),
    '--insecure-plain-profile',
    '--token-file',
    token,
    '--listen',
    '127.0.0.1:0',
    '--local-discovery',
    'off',
    ...args,
  ];
  const [cmd, ...rest] = [...prefix, ...argv];
  const proc = spawn(cmd!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (l) => stderr.push(l));
  const result = new Promise<{ ready: boolean; code: number | null; stderr: string }>((resolve) => {
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      if (l.includes('"pager_ready"')) resolve({ ready: true, code: null, stderr: stderr.join('\n') });
    });
    proc.once('close', (code) => resolve({ ready: false, code, stderr: stderr.join('\n') }));
  });
  const closed = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  // Resolves once the pager has exited (it saves its profile on the way out), so the caller
  // can remove its folder without racing that last write.
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const hard = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await closed;
    clearTimeout(hard);
  };
  return { result, stop };
}

describe('pager serve, with and without a proxy, never resolves a name it was not meant to (DNS listener)', function () {
  this.timeout(60_000);
  let dns: DnsListener | null = null;
  const dirs: string[] = [];
  const stops: (() => Promise<void>)[] = [];

  before(async function () {
    assertLoopbackOnly();
    if (resolverPrefixUnavailable()) this.skip();
    dns = await DnsListener.start();
  });
  after(async () => {
    await Promise.all(stops.map((s) => s()));
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 }));
    dns?.close();
  });

  const setup = (name: string) => {
    const dir = tempDir(name);
    dirs.push(dir);
    const host = `${name}-${randomBytes(4).toString('hex')}.dnsprobe.example`;
    const nodes = join(dir, 'nodes.json');
    writeFileSync(
      nodes,
      JSON.stringify({
        nodes: [{ ipv4: host, ipv6: '-', port: 33445, tcp_ports: [33445], public_key: KEY, status_udp: true, status_tcp: true, last_ping: 1 }],
      }),
    );
    return { dir, host, nodes, prefix: resolverPrefix(dir) };
  };

  it("anti-test: without a proxy, a node list naming a host makes the pager's node look it up", async () => {
    const { dir, host, nodes, prefix } = setup('pager-direct');
    const seen = dns!.seen(host);
    const p = pagerServe(prefix, ['--nodes', nodes, '--udp', 'off'], dir);
    stops.push(p.stop);
    const r = await p.result;
    assert.ok(r.ready, `pager serve did not start: ${r.stderr}`);
    await seen;
  });

  it('with --proxy: a node list naming a host gives no query; --bootstrap naming one is refused before start', async () => {
    const { dir, host, nodes, prefix } = setup('pager-proxied');
    const before = dns!.queries.length;
    const p = pagerServe(prefix, ['--nodes', nodes, '--proxy', `socks5://127.0.0.1:${SOCKS_PORT}`], dir);
    stops.push(p.stop);
    const r = await p.result;
    assert.ok(r.ready, `pager serve did not start: ${r.stderr}`);
    const named = `boot-${host}`;
    mkdirSync(join(dir, 'second'));
    const q = pagerServe(prefix, ['--bootstrap', `${named}:33445:${KEY}`, '--proxy', `socks5://127.0.0.1:${SOCKS_PORT}`], join(dir, 'second'));
    const r2 = await q.result;
    assert.equal(r2.code, 2, 'a usage error');
    await dns!.barrier();
    assert.deepEqual(
      dns!.queries.slice(before).filter((x) => !x.startsWith('barrier-')),
      [],
      'DNS queries while proxied',
    );
  });
});

describe('the Tox wrapper is the choke point (no node, no sockets)', () => {
  const quiet = { udp: false, localDiscovery: false, tcpPort: 0 } as const;
  before(() => assertLoopbackOnly());

  it('a proxied Tox refuses host names in bootstrap and addTcpRelay before the FFI, and a name as proxy host', () => {
    const lib = loadLibtoxcore();
    assert.throws(
      () => Tox.create(lib, { ...quiet, proxy: { type: 'socks5', host: 'localhost', port: 9050 } }),
      (e: unknown) => e instanceof HostNotIpLiteralError && e.code === HOST_NOT_IP_LITERAL,
    );
    const t = Tox.create(lib, { ...quiet, proxy: { type: 'socks5', host: '127.0.0.1', port: 9050 } });
    try {
      assert.equal(t.proxied, true);
      for (const host of ['dnsprobe.example', 'localhost', '010.0.0.1', '1.2.3.4.']) {
        assert.throws(() => t.bootstrap(host, 33445, KEY), HostNotIpLiteralError, host);
        assert.throws(() => t.addTcpRelay(host, 33445, KEY), HostNotIpLiteralError, host);
      }
      t.bootstrap('127.0.0.1', 33445, KEY);
      t.addTcpRelay('::1', 33445, KEY);
    } finally {
      t.dispose();
    }
  });

  it('positive control: an unproxied Tox lets a name through to toxcore (which then resolves it)', () => {
    const t = Tox.create(loadLibtoxcore(), quiet);
    try {
      assert.equal(t.proxied, false);
      // "localhost" resolves from /etc/hosts, so no DNS leaves the test: the guard was not in the way.
      t.bootstrap('localhost', 33445, KEY);
    } finally {
      t.dispose();
    }
  });
});
