// Settings → node configuration: user-edited JSON in, a config the node protocol accepts
// out; a broken proxy setting must never turn into a direct connection.

import { strict as assert } from 'node:assert';
import { check } from '../../src/protocol/guard';
import { nodeConfig } from '../../src/protocol/node';
import { nodeConfigFrom, readSettings } from '../../src/extension/settings';

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
