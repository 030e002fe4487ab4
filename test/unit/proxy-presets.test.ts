// Proxy presets and the custom-proxy parser: the status bar names the route, and a custom
// proxy given as a host name is refused (it would be resolved outside the proxy).

import { strict as assert } from 'node:assert';
import { parseProxyAddress, PRESETS, routeName } from '../../src/extension/proxyPresets';

describe('proxy presets', () => {
  it('has the Tor, Tor Browser, I2P and Nym presets on loopback', () => {
    const byId = Object.fromEntries(PRESETS.map((p) => [p.id, p.spec]));
    assert.deepEqual(byId.tor, { type: 'socks5', host: '127.0.0.1', port: 9050 });
    assert.deepEqual(byId['tor-browser'], { type: 'socks5', host: '127.0.0.1', port: 9150 });
    assert.deepEqual(byId.i2p, { type: 'socks5', host: '127.0.0.1', port: 4447 });
    assert.deepEqual(byId.nym, { type: 'socks5', host: '127.0.0.1', port: 1080 });
  });

  it('names the route by preset, or by type and address when custom', () => {
    assert.equal(routeName({ type: 'socks5', host: '127.0.0.1', port: 9050 }), 'Tor');
    assert.equal(routeName({ type: 'socks5', host: '127.0.0.1', port: 1080 }), 'Nym');
    assert.equal(routeName({ type: 'http', host: '127.0.0.1', port: 9050 }), 'HTTP 127.0.0.1:9050');
    assert.equal(routeName({ type: 'socks5', host: '10.0.0.2', port: 1080 }), 'SOCKS5 10.0.0.2:1080');
  });

  it('parses IP:PORT and refuses host names, bad ports and junk', () => {
    assert.deepEqual(parseProxyAddress('socks5', ' 10.1.2.3:1080 '), { type: 'socks5', host: '10.1.2.3', port: 1080 });
    assert.deepEqual(parseProxyAddress('http', '[::1]:3128'), { type: 'http', host: '::1', port: 3128 });
    assert.match(parseProxyAddress('socks5', 'proxy.example.org:1080') as string, /IP|host name/);
    assert.match(parseProxyAddress('socks5', '127.0.0.1:0') as string, /port/);
    assert.match(parseProxyAddress('socks5', '127.0.0.1:70000') as string, /port/);
    assert.equal(typeof parseProxyAddress('socks5', '127.0.0.1'), 'string');
    assert.equal(typeof parseProxyAddress('socks5', ''), 'string');
  });
});
