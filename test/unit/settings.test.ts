// Settings → node configuration: user-edited JSON in, a config the node protocol accepts
// out; a broken proxy setting must never turn into a direct connection.

import { strict as assert } from 'node:assert';
import { check } from '../../src/protocol/guard';
import { nodeConfig } from '../../src/protocol/node';
import { nodeConfigFrom, readSettings } from '../../src/extension/settings';
import { safeFileName } from '../../src/common/filename';

const src = (o: Record<string, unknown>) => ({ get: <T>(k: string) => o[k] as T | undefined });

describe('extension settings', () => {
  it('defaults: UDP on, LAN discovery off, no proxy, public nodes', () => {
    const s = readSettings(src({}));
    const c = nodeConfigFrom(s, '/p');
    assert.equal(c.udp, true);
    assert.equal(c.local_discovery, false);
    assert.equal(c.proxy, undefined);
    assert.equal(c.public_nodes, true);
    assert.ok(check(nodeConfig, c).ok);
  });

  it('ignores wrongly typed values instead of trusting them', () => {
    const s = readSettings(src({ 'network.udp': 'no', 'links.trustedHosts': ['Example.COM', 5, null], 'conti.baseUrl': 42 }));
    assert.equal(s.udp, true);
    assert.deepEqual(s.trustedHosts, ['example.com']);
    assert.equal(s.contiBaseUrl, '');
  });

  it('a proxy setting reaches the node config; a broken one fails validation rather than going direct', () => {
    const ok = nodeConfigFrom(readSettings(src({ 'proxy.type': 'socks5', 'proxy.host': '127.0.0.1', 'proxy.port': 9050 })), '/p');
    assert.deepEqual(ok.proxy, { type: 'socks5', host: '127.0.0.1', port: 9050 });
    const broken = nodeConfigFrom(readSettings(src({ 'proxy.type': 'socks5', 'proxy.port': 'x' })), '/p');
    assert.equal(check(nodeConfig, broken).ok, false);
    assert.equal(readSettings(src({ 'proxy.type': 'none' })).proxy, null);
  });
});

describe('safeFileName', () => {
  it('keeps ordinary names', () => {
    assert.equal(safeFileName('report 2026.pdf'), 'report 2026.pdf');
    assert.equal(safeFileName('фото.jpg'), 'фото.jpg');
  });
  it('strips paths, hidden-file dots, reserved names, controls and bidi tricks', () => {
    assert.equal(safeFileName('../../etc/passwd'), 'passwd');
    assert.equal(safeFileName('C:\\Windows\\evil.dll'), 'evil.dll');
    assert.equal(safeFileName('.bashrc'), 'bashrc');
    assert.equal(safeFileName('CON'), '_CON');
    assert.equal(safeFileName('nul.txt'), '_nul.txt');
    assert.equal(safeFileName('a\u202Egnp.exe'), 'agnp.exe');
    assert.equal(safeFileName('a\u0000b\nc'), 'abc');
    assert.equal(safeFileName('x<y>:z?.txt'), 'x_y__z_.txt');
    assert.equal(safeFileName('...'), 'received-file');
    assert.equal(safeFileName(''), 'received-file');
  });
  it('caps long names and keeps the extension', () => {
    const n = safeFileName(`${'a'.repeat(500)}.tar.gz`);
    assert.equal(Array.from(n).length, 200);
    assert.ok(n.endsWith('.gz'));
  });
});
