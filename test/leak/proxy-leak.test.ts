// The proxy promise, checked by the kernel: a `toxync run --proxy …` node sends nothing but TCP
// to its proxy — no UDP, no DNS, no TCP to anyone else, nothing to a non-loopback address —
// while it comes online, befriends, chats and sends a file, and also after its proxy dies.
//
// The local Tox network: tox-bootstrapd (DHT node and TCP relay) and a peer (`toxync run
// --accept-friends --echo`), both as root; the proxies (microsocks, tinyproxy) also as root.
// The client under test runs as uid 65534, and an nftables output-hook table counts every packet
// that uid sends (test/helpers/leak.ts). A default route via lo makes even a send to a
// non-loopback address reach those counters instead of failing before them. The anti-test runs
// the same session without a proxy and must be reported as a leak: the counters do count.
//
// Runs inside the test namespace (loopback only, scripts/test.sh); needs root and
// tox-bootstrapd, microsocks, tinyproxy, nft, ip, setpriv (scripts/setup.sh installs them).

import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertPortsFree,
  countsSince,
  formatCounts,
  inetSocketsOf,
  type InetSocket,
  LEAK_GID,
  LEAK_UID,
  LeakCounters,
  type LeakCounts,
  leakFree,
  leakTestUnavailable,
  unprivilegedDir,
  UnprivilegedCli,
  withDefaultRouteViaLo,
} from '../helpers/leak';
import { type Bootstrapd, type Daemon, startBootstrapd, startMicrosocks, startTinyproxy } from '../helpers/leakDaemons';
import { assertLoopbackOnly } from '../helpers/netns';
import { CliPeer } from '../helpers/peer';

// Clear of toxcore's default range (33445–33545), which the peer and the other suites' nodes
// use, and below Linux's ephemeral range (32768–60999), from which outgoing connections and the
// other suites' port-0 listeners take theirs.
const BSD_UDP = 24445;
const BSD_TCP = 24446;
const SOCKS_PORT = 24480;
const HTTP_PORT = 24481;
const SOCKS_KILL_PORT = 24482;

type SelfInfo = Awaited<ReturnType<CliPeer['ready']>>;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const secondsSince = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** Every packet went to the proxy: no UDP, no DNS, nothing else (which covers non-loopback addresses and ICMP). */
function assertOnlyProxyTraffic(c: LeakCounts, label: string): void {
  assert.equal(c.udp, 0, `${label}: UDP packets sent`);
  assert.equal(c.dns_udp + c.dns_tcp, 0, `${label}: DNS packets sent`);
  assert.equal(c.nonlocal4 + c.nonlocal6, 0, `${label}: packets to non-loopback addresses`);
  assert.equal(c.not_proxy, 0, `${label}: packets not addressed to the proxy`);
  assert.ok(leakFree(c));
}

/** The client's internet sockets: TCP to the proxy only (a socket not yet connected sends nothing and is allowed). */
function assertOnlyProxySockets(pid: number, proxyPort: number): InetSocket[] {
  const sockets = inetSocketsOf(pid);
  const toProxy = (s: InetSocket) => s.proto === 'tcp' && s.remote === `127.0.0.1:${proxyPort}`;
  const unconnected = (s: InetSocket) => (s.proto === 'tcp' || s.proto === 'tcp6') && s.state === '07' && /^(0\.0\.0\.0|\[0:0:0:0:0:0:0:0\]):0$/.test(s.remote);
  const others = sockets.filter((s) => !toProxy(s) && !unconnected(s));
  assert.deepEqual(others, [], `sockets other than TCP to the proxy: ${JSON.stringify(others)}`);
  return sockets;
}

describe('a node behind a proxy sends nothing but TCP to the proxy (kernel packet counters)', function () {
  this.timeout(120_000);

  let work = '';
  let removeRoutes: (() => void) | null = null;
  let bsd: Bootstrapd | null = null;
  let peer: CliPeer | null = null;
  let peerInfo: SelfInfo;
  // Per scenario, stopped in afterEach.
  let client: UnprivilegedCli | null = null;
  let proxy: Daemon | null = null;
  let counters: LeakCounters | null = null;

  before(async function () {
    const why = leakTestUnavailable(['tox-bootstrapd', 'microsocks', 'tinyproxy', 'nft', 'ip', 'setpriv']);
    if (why) {
      console.log(`    proxy leak test skipped: ${why}`);
      this.skip();
    }
    assertLoopbackOnly();
    assertPortsFree([BSD_UDP, BSD_TCP, SOCKS_PORT, HTTP_PORT, SOCKS_KILL_PORT]);
    work = mkdtempSync(join(tmpdir(), 'toxync-leak-'));
    chmodSync(work, 0o755); // the client (uid 65534) reaches its own directories below
    removeRoutes = withDefaultRouteViaLo();
    const bsdDir = join(work, 'tox-bootstrapd');
    mkdirSync(bsdDir);
    bsd = await startBootstrapd(bsdDir, BSD_UDP, BSD_TCP);
    peer = CliPeer.start('peer', [...nodeArgs(), '--accept-friends', '--echo']);
    peerInfo = await peer.ready();
    await peer.event('self_connection', (e) => e.status !== 'none', 30_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      if (counters) console.log(`    ${formatCounts('at failure', safeRead(counters))}`);
      if (proxy) console.log(`    ${proxy.name} output: ${proxy.lines.slice(-10).join(' | ')}`);
      if (client) console.log(`    client stderr: ${client.stderr.slice(-10).join(' | ')}`);
      if (peer)
        console.log(
          `    peer's last events: ${peer.events
            .filter((e) => e.event !== 'log')
            .slice(-8)
            .map((e) => JSON.stringify(e).slice(0, 160))
            .join(' ')}`,
        );
    }
    await client?.stop();
    await proxy?.stop();
    LeakCounters.remove();
    client = proxy = counters = null;
  });

  after(async () => {
    await client?.stop();
    await proxy?.stop();
    await peer?.stop();
    peer?.cleanup();
    await bsd?.daemon.stop();
    LeakCounters.remove();
    removeRoutes?.();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function nodeArgs(): string[] {
    return ['--bootstrap', `127.0.0.1:${bsd!.udpPort}:${bsd!.key}`, '--relay', `127.0.0.1:${bsd!.tcpPort}:${bsd!.key}`];
  }

  function safeRead(c: LeakCounters): LeakCounts {
    try {
      return c.read();
    } catch {
      return {
        all: NaN,
        udp: NaN,
        tcp: NaN,
        tcp_proxy: NaN,
        dns_udp: NaN,
        dns_tcp: NaN,
        icmp: NaN,
        nonlocal4: NaN,
        nonlocal6: NaN,
        not_proxy: NaN,
      };
    }
  }

  /** A fresh counter table, then the client (as uid 65534, fresh profile) with `extraArgs`. */
  async function startClient(name: string, proxyPort: number, extraArgs: string[]): Promise<{ c: UnprivilegedCli; home: string; info: SelfInfo }> {
    counters = new LeakCounters(proxyPort).install();
    const dir = unprivilegedDir(work, name);
    const home = unprivilegedDir(dir, 'home');
    client = new UnprivilegedCli(name, unprivilegedDir(dir, 'profile'), home, [...nodeArgs(), ...extraArgs]);
    const info = await client.ready();
    assert.equal(client.uid(), LEAK_UID, 'the client runs as the counted uid');
    return { c: client, home, info };
  }

  /** Befriends the peer, waits until both are online and exchanges one message with its echo. */
  async function chat(c: UnprivilegedCli, info: SelfInfo, label: string, t0: number): Promise<{ friend: number; peerSeesClient: number; connection: string }> {
    const { friend } = (await c.command({ cmd: 'friend_add', address: peerInfo.address, message: `leak test: ${label}` })) as {
      friend: number;
    };
    const self = await c.event('self_connection', (e) => e.status !== 'none', 60_000);
    const tSelf = secondsSince(t0);
    const online = await c.event('friend_connection', (e) => e.friend === friend && e.status !== 'none', 60_000);
    const tFriend = secondsSince(t0);
    const peerSide = await peer!.event('friend_connection', (e) => e.public_key === info.public_key && e.status !== 'none', 30_000);
    const text = `hello through ${label}`;
    await c.command({ cmd: 'send', friend, text });
    await c.event('message', (e) => e.friend === friend && e.text === text, 30_000);
    console.log(
      `    ${label}: self_connection ${self.status} after ${tSelf}, friend online (${online.status}) after ${tFriend}, echo after ${secondsSince(t0)}`,
    );
    return { friend, peerSeesClient: peerSide.friend, connection: online.status };
  }

  it('through SOCKS5 (microsocks): comes online, befriends, chats and sends a file — nothing but TCP to the proxy', async () => {
    proxy = await startMicrosocks(SOCKS_PORT);
    const t0 = Date.now();
    const { c, home, info } = await startClient('socks5', SOCKS_PORT, ['--proxy', `socks5://127.0.0.1:${SOCKS_PORT}`]);
    assert.equal(info.udp_port, null, 'no UDP port with a proxy');
    const { friend, peerSeesClient, connection } = await chat(c, info, 'socks5', t0);
    assert.equal(connection, 'tcp', 'the friend is reached over TCP (through the relay)');

    const file = join(home, 'small.bin');
    writeFileSync(file, randomBytes(64 * 1024));
    chownSync(file, LEAK_UID, LEAK_GID);
    const received = join(work, 'received-socks5.bin');
    const { file: fileNo } = (await c.command({ cmd: 'send_file', friend, path: file })) as { file: number };
    const offer = await peer!.event('file_recv', (e) => e.friend === peerSeesClient && e.kind === 'data', 30_000);
    await peer!.command({ cmd: 'file_accept', friend: offer.friend, file: offer.file, path: received });
    const done = await peer!.event('file_done', (e) => e.friend === peerSeesClient && e.file === offer.file && e.direction === 'recv', 60_000);
    await c.event('file_done', (e) => e.friend === friend && e.file === fileNo && e.direction === 'send', 30_000);
    assert.equal(done.bytes, 64 * 1024);
    assert.equal(sha256(received), sha256(file), 'the file arrives intact');
    console.log(`    socks5: 64 KiB file received and verified after ${secondsSince(t0)}`);

    const sockets = assertOnlyProxySockets(c.pid, SOCKS_PORT);
    assert.ok(
      sockets.some((s) => s.state === '01'),
      `an established connection to the proxy: ${JSON.stringify(sockets)}`,
    );
    const counts = counters!.read();
    console.log(`    ${formatCounts('socks5', counts)}`);
    assertOnlyProxyTraffic(counts, 'socks5');
    assert.ok(counts.tcp_proxy > 0, 'the counters saw the traffic to the proxy');
    await proxy.waitLine(new RegExp(`connected to 127\\.0\\.0\\.1:${BSD_TCP}\\b`), 1000);
  });

  it('the detector works: the same session without a proxy is reported as a leak', async () => {
    const t0 = Date.now();
    const { c, info } = await startClient('no-proxy', SOCKS_PORT, []);
    assert.notEqual(info.udp_port, null, 'without a proxy the node has a UDP port');
    await chat(c, info, 'no proxy', t0);
    const counts = counters!.read();
    console.log(`    ${formatCounts('no proxy, anti-test', counts)}`);
    assert.ok(counts.udp > 0 || counts.not_proxy > 0, 'the counters report packets that did not go through a proxy');
    assert.ok(!leakFree(counts));
    const udp = inetSocketsOf(c.pid).filter((s) => s.proto.startsWith('udp'));
    assert.ok(udp.length > 0, 'the socket check sees its UDP socket');
  });

  it('when the SOCKS5 proxy dies mid-session the node goes offline and still sends nothing but TCP to the proxy port', async () => {
    proxy = await startMicrosocks(SOCKS_KILL_PORT);
    const t0 = Date.now();
    const { c, info } = await startClient('socks5-killed', SOCKS_KILL_PORT, ['--proxy', `socks5://127.0.0.1:${SOCKS_KILL_PORT}`]);
    const { friend } = await chat(c, info, 'socks5, before the kill', t0);
    const before = counters!.read();
    console.log(`    ${formatCounts('socks5, before the kill', before)}`);
    assertOnlyProxyTraffic(before, 'before the kill');

    const mark = c.events.length;
    const tKill = Date.now();
    await proxy.kill('SIGKILL');
    // toxcore notices through its ping timeout (~32 s); self_connection follows only after ~77 s.
    await c.event('friend_connection', (e) => e.friend === friend && e.status === 'none', 60_000, mark);
    console.log(`    socks5 killed: friend_connection none after ${secondsSince(tKill)}`);
    const after = counters!.read();
    console.log(`    ${formatCounts('socks5, kill → offline', countsSince(before, after))}`);
    assertOnlyProxyTraffic(after, 'after the kill');
    assert.equal(c.proc.exitCode, null, 'the node keeps running');
    assertOnlyProxySockets(c.pid, SOCKS_KILL_PORT);
  });

  it('through an HTTP CONNECT proxy (tinyproxy): comes online and chats — nothing but TCP to the proxy', async () => {
    const dir = join(work, 'tinyproxy');
    mkdirSync(dir);
    proxy = await startTinyproxy(dir, HTTP_PORT, BSD_TCP);
    const t0 = Date.now();
    const { c, info } = await startClient('http', HTTP_PORT, ['--proxy', `http://127.0.0.1:${HTTP_PORT}`]);
    assert.equal(info.udp_port, null, 'no UDP port with a proxy');
    const { connection } = await chat(c, info, 'http', t0);
    assert.equal(connection, 'tcp');
    assertOnlyProxySockets(c.pid, HTTP_PORT);
    const counts = counters!.read();
    console.log(`    ${formatCounts('http', counts)}`);
    assertOnlyProxyTraffic(counts, 'http');
    assert.ok(counts.tcp_proxy > 0, 'the counters saw the traffic to the proxy');
    await proxy.waitLine(new RegExp(`CONNECT 127\\.0\\.0\\.1:${BSD_TCP}\\b`), 1000);
  });
});
