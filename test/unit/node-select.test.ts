// Choosing bootstrap nodes (src/node/nodeSelect.ts) and the address syntax it relies on
// (src/common/hosts.ts). Pure: no socket, no name lookup.
import { strict as assert } from 'node:assert';
import { isIpLiteral, isIpv4Literal, isIpv6Literal, isValidHostname } from '../../src/common/hosts';
import type { BootstrapNode } from '../../src/node/nodeList';
import { selectBootstrapNodes } from '../../src/node/nodeSelect';
import { seeded } from '../helpers/random';

function entry(host: string, keyByte: number, over: Partial<BootstrapNode> = {}): BootstrapNode {
  return {
    host,
    hostKind: isIpv4Literal(host) ? 'ipv4' : isIpv6Literal(host) ? 'ipv6' : 'hostname',
    udpPort: 33445,
    tcpPorts: [33445],
    publicKey: keyByte.toString(16).toUpperCase().padStart(2, '0').repeat(32),
    statusUdp: true,
    statusTcp: true,
    lastPing: 1700000000,
    maintainer: 'test',
    location: 'ZZ',
    ...over,
  };
}

describe('node selection: address syntax', () => {
  it('recognises IP literals', () => {
    for (const ok of [
      '192.0.2.1',
      '0.0.0.0',
      '255.255.255.255',
      '2001:db8::1',
      '::1',
      '::',
      '1:2:3:4:5:6:7:8',
      '::ffff:192.0.2.1',
      '2a03:c980:db:5d::',
      'FE80::1',
    ]) {
      assert.equal(isIpLiteral(ok), true, ok);
    }
    for (const bad of [
      '',
      'example.org',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '01.2.3.4',
      ' 192.0.2.1',
      '192.0.2.1:80',
      '[::1]',
      'fe80::1%eth0',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      '1:2:3:4:5:6:7::8',
      '12345::',
      '::ffff:1.2.3',
      '1.2.3.4::',
      ':::',
      '2001:db8::/32',
    ]) {
      assert.equal(isIpLiteral(bad), false, bad);
    }
    assert.equal(isIpv4Literal('192.0.2.1'), true);
    assert.equal(isIpv6Literal('192.0.2.1'), false);
  });

  it('recognises RFC 1123 hostnames', () => {
    for (const ok of ['tox.abilinski.com', 'tox1.mf-net.eu', 'a.b', 'xn--bcher-kva.example', 'node.example.org.', `${'a'.repeat(63)}.org`]) {
      assert.equal(isValidHostname(ok), true, ok);
    }
    for (const bad of [
      'localhost',
      'NONE',
      '-',
      'a..b',
      '-a.org',
      'a-.org',
      'a_b.org',
      'http://a.org',
      'a.org:33445',
      'a b.org',
      '1.2.3.999',
      `${'a'.repeat(64)}.org`,
      `${'abc.'.repeat(63)}org`,
      'a.org/x',
    ]) {
      assert.equal(isValidHostname(bad), false, bad);
    }
  });
});

describe('node selection: selectBootstrapNodes', () => {
  const healthy = [1, 2, 3, 4, 5, 6].map((i) => entry(`198.51.100.${i}`, i));
  const sick = [7, 8, 9].map((i) => entry(`198.51.100.${i}`, i, { statusUdp: false, statusTcp: false, tcpPorts: [] }));
  const names = [entry('a.example.org', 10), entry('b.example.org', 11, { tcpPorts: [443] })];

  it('is deterministic for a given random source', () => {
    const a = selectBootstrapNodes(healthy, { count: 3, random: seeded(42) });
    const b = selectBootstrapNodes(healthy, { count: 3, random: seeded(42) });
    assert.deepEqual(a, b);
    // With random() always 0 the Fisher-Yates shuffle of [1..4] is [2, 3, 4, 1].
    const z = selectBootstrapNodes(healthy.slice(0, 4), { count: 4, random: () => 0 });
    assert.deepEqual(
      z.dht.map((n) => n.host),
      ['198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.1'],
    );
    // Different seeds do not all give the same choice.
    const picks = new Set(
      Array.from({ length: 20 }, (_, s) =>
        selectBootstrapNodes(healthy, { count: 2, random: seeded(s) })
          .dht.map((n) => n.host)
          .join(),
      ),
    );
    assert.ok(picks.size > 3, `only ${picks.size} distinct selections`);
  });

  it('honours count and prefers UDP-healthy nodes', () => {
    for (let seed = 0; seed < 30; seed++) {
      const s = selectBootstrapNodes([...sick, ...healthy], { count: 4, random: seeded(seed) });
      assert.equal(s.dht.length, 4);
      assert.ok(s.dht.every((n) => n.statusUdp));
      const all = selectBootstrapNodes([...sick, ...healthy], { count: 8, random: seeded(seed) });
      assert.deepEqual(
        all.dht.map((n) => n.statusUdp),
        [true, true, true, true, true, true, false, false],
      );
    }
    assert.equal(selectBootstrapNodes(healthy, { count: 0 }).dht.length, 0);
    assert.throws(() => selectBootstrapNodes(healthy, { count: -1 }), RangeError);
    assert.throws(() => selectBootstrapNodes(healthy, { count: 1.5 }), RangeError);
  });

  it('requireUdp never falls back to unhealthy nodes', () => {
    const s = selectBootstrapNodes([...sick, healthy[0] as BootstrapNode], { count: 3, requireUdp: true, random: seeded(1) });
    assert.deepEqual(
      s.dht.map((n) => n.host),
      ['198.51.100.1'],
    );
  });

  it('returns what there is when there are fewer nodes than count, without duplicates', () => {
    const twoAddrs = [entry('198.51.100.1', 1), entry('2001:db8::1', 1), entry('198.51.100.2', 2), entry('2001:db8::2', 2)];
    for (let seed = 0; seed < 20; seed++) {
      const s = selectBootstrapNodes([...twoAddrs, ...twoAddrs], { count: 10, random: seeded(seed) });
      assert.equal(s.dht.length, 2);
      assert.equal(new Set(s.dht.map((n) => n.publicKey)).size, 2);
    }
    assert.deepEqual(selectBootstrapNodes([], { count: 5 }), { dht: [], relay: null });
  });

  it('never uses an entry without a UDP port for DHT bootstrap', () => {
    const tcpOnly = entry('198.51.100.50', 50, { udpPort: null, tcpPorts: [3389] });
    const s = selectBootstrapNodes([tcpOnly], { count: 3, random: seeded(3) });
    assert.deepEqual(s.dht, []);
    assert.deepEqual(s.relay, { node: tcpOnly, port: 3389 });
  });

  it('ipLiteralsOnly drops hostnames for DHT and relay', () => {
    for (let seed = 0; seed < 30; seed++) {
      const s = selectBootstrapNodes([...names, ...healthy], { count: 10, ipLiteralsOnly: true, random: seeded(seed) });
      assert.equal(s.dht.length, 6);
      assert.ok(s.dht.every((n) => n.hostKind === 'ipv4'));
      assert.ok(s.relay && s.relay.node.hostKind === 'ipv4');
    }
    const onlyNames = selectBootstrapNodes(names, { count: 2, ipLiteralsOnly: true });
    assert.deepEqual(onlyNames, { dht: [], relay: null });
    assert.equal(selectBootstrapNodes(names, { count: 2, random: seeded(1) }).dht.length, 2);
  });

  it('picks a TCP relay with status_tcp, preferring port 443, then 33445', () => {
    const r443 = entry('198.51.100.20', 20, { tcpPorts: [3389, 443, 33445] });
    const r33445 = entry('198.51.100.21', 21, { tcpPorts: [3389, 33445] });
    const rOther = entry('198.51.100.22', 22, { tcpPorts: [3389, 5555] });
    const down = entry('198.51.100.23', 23, { statusTcp: false, tcpPorts: [443] });
    for (let seed = 0; seed < 30; seed++) {
      const s = selectBootstrapNodes([rOther, r443, down, r33445], { count: 1, random: seeded(seed) });
      assert.ok(s.relay);
      assert.ok(s.relay.node === r443 || s.relay.node === r33445, s.relay.node.host);
      assert.equal(s.relay.port, s.relay.node === r443 ? 443 : 33445);
      const o = selectBootstrapNodes([rOther, down], { count: 1, random: seeded(seed) });
      assert.equal(o.relay?.node, rOther);
      assert.ok(o.relay && [3389, 5555].includes(o.relay.port));
    }
    assert.equal(selectBootstrapNodes([down, ...sick], { count: 1 }).relay, null);
  });

  it('tolerates a random source that returns out-of-range values', () => {
    for (const bad of [() => 1, () => -5, () => NaN, () => 1e9]) {
      const s = selectBootstrapNodes(healthy, { count: 6, random: bad });
      assert.equal(new Set(s.dht.map((n) => n.host)).size, 6);
      assert.ok(s.relay);
    }
  });
});
