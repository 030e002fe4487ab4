// "Test proxy" against real proxies from Debian (microsocks for SOCKS5, tinyproxy for HTTP
// CONNECT) and a stand-in relay on loopback: every failure has its own precise reason.

import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { probeProxy } from '../../src/node/proxyProbe';
import { assertLoopbackOnly } from '../helpers/netns';
import { tempDir } from '../helpers/peer';
import { sleep } from '../helpers/wait';

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

function listen(onConn: (s: Socket) => void = (s) => s.end()): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer(onConn);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const { server, port } = await listen();
  await new Promise((r) => server.close(r));
  return port;
}

async function startProxy(cmd: string, args: string[]): Promise<ChildProcess> {
  const p = spawn(cmd, args, { stdio: 'ignore' });
  await sleep(300); // both bind within milliseconds; give them a moment
  return p;
}

describe('Test proxy (a tunnel through the proxy to a relay)', function () {
  this.timeout(30_000);
  const procs: ChildProcess[] = [];
  const servers: Server[] = [];
  let relayPort = 0;

  before(async function () {
    assertLoopbackOnly();
    if (!has('microsocks') || !has('tinyproxy')) this.skip();
    const relay = await listen((s) => s.on('data', () => {}));
    servers.push(relay.server);
    relayPort = relay.port;
  });
  after(() => {
    procs.forEach((p) => p.kill('SIGKILL'));
    servers.forEach((s) => s.close());
  });

  it('SOCKS5: reports the round trip when the tunnel opens', async () => {
    const port = await freePort();
    procs.push(await startProxy('microsocks', ['-i', '127.0.0.1', '-p', String(port)]));
    const r = await probeProxy({ type: 'socks5', host: '127.0.0.1', port }, { host: '127.0.0.1', port: relayPort });
    assert.ok(r.ok, JSON.stringify(r));
    if (r.ok) assert.ok(r.rtt_ms > 0 && r.rtt_ms < 5000);
    const down = await probeProxy({ type: 'socks5', host: '127.0.0.1', port }, { host: '127.0.0.1', port: await freePort() });
    assert.equal(down.ok ? 'ok' : down.reason, 'relay_unreachable');
  });

  it('SOCKS5: says when the proxy wants a password', async () => {
    const port = await freePort();
    procs.push(await startProxy('microsocks', ['-i', '127.0.0.1', '-p', String(port), '-u', 'user', '-P', 'secret']));
    const r = await probeProxy({ type: 'socks5', host: '127.0.0.1', port }, { host: '127.0.0.1', port: relayPort });
    assert.equal(r.ok ? 'ok' : r.reason, 'auth_required');
  });

  it('HTTP CONNECT: tunnels through tinyproxy, and reports a refused port as relay_unreachable', async () => {
    const port = await freePort();
    const dir = tempDir('tinyproxy');
    const conf = join(dir, 'tinyproxy.conf');
    writeFileSync(
      conf,
      [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'MaxClients 10', 'Allow 127.0.0.1', 'LogLevel Critical', `ConnectPort ${relayPort}`, ''].join('\n'),
    );
    procs.push(await startProxy('tinyproxy', ['-d', '-c', conf]));
    const r = await probeProxy({ type: 'http', host: '127.0.0.1', port }, { host: '127.0.0.1', port: relayPort });
    assert.ok(r.ok, JSON.stringify(r));
    const denied = await probeProxy({ type: 'http', host: '127.0.0.1', port }, { host: '127.0.0.1', port: relayPort === 65535 ? 1 : relayPort + 1 });
    assert.equal(denied.ok ? 'ok' : denied.reason, 'relay_unreachable');
    if (!denied.ok) assert.match(denied.message, /HTTP 403/);
  });

  it('names refused, wrong-protocol and silent proxies precisely', async () => {
    const refused = await probeProxy({ type: 'socks5', host: '127.0.0.1', port: await freePort() }, { host: '127.0.0.1', port: relayPort });
    assert.equal(refused.ok ? 'ok' : refused.reason, 'refused');
    const http = await listen((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    servers.push(http.server);
    const wrong = await probeProxy({ type: 'socks5', host: '127.0.0.1', port: http.port }, { host: '127.0.0.1', port: relayPort });
    assert.equal(wrong.ok ? 'ok' : wrong.reason, 'wrong_protocol');
    const silent = await listen(() => {});
    servers.push(silent.server);
    const t = await probeProxy({ type: 'http', host: '127.0.0.1', port: silent.port }, { host: '127.0.0.1', port: relayPort }, 300);
    assert.equal(t.ok ? 'ok' : t.reason, 'timeout');
    const named = await probeProxy({ type: 'socks5', host: 'localhost', port: 1 }, { host: '127.0.0.1', port: relayPort });
    assert.equal(named.ok ? 'ok' : named.reason, 'error');
  });
});
