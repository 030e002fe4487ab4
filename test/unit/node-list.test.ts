// The bootstrap node list (src/node/nodeList.ts): parsing hostile input, unusable documents
// and the bundled snapshot. Parsing only: no test here opens a socket or resolves a name.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { seeded } from '../helpers/random';
import {
  type BootstrapNode,
  MAX_NODE_LIST_BYTES,
  MAX_NODES,
  isIpLiteral,
  loadNodesFile,
  parseNodeList,
  parseNodeListText,
  selectBootstrapNodes,
} from '../../src/node/nodeList';

/** The repo root: the first directory up from here (or from the cwd) whose package.json is "toxync". */
function repoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg)) {
        try {
          if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'toxync') return dir;
        } catch {
          // not JSON: keep walking
        }
      }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error('cannot find the toxync repository root from ' + __dirname);
}

const ROOT = repoRoot();
const fixture = (name: string): string => join(ROOT, 'test', 'fixtures', 'nodes', name);

describe('node list: bundled data/nodes.json', () => {
  const result = loadNodesFile(join(ROOT, 'data', 'nodes.json'));

  it('parses every node of the snapshot', () => {
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(result.warnings, []);
    // 37 nodes; 9 have a distinct IPv6 literal as well as an IPv4 literal.
    assert.equal(result.nodes.length, 46);
    assert.equal(new Set(result.nodes.map((n) => n.publicKey)).size, 37);
    assert.ok(result.nodes.filter((n) => n.statusUdp).length >= 20, 'a sane number of UDP-healthy nodes');
  });

  it('produces well-formed entries', () => {
    for (const n of result.nodes) {
      assert.match(n.publicKey, /^[0-9A-F]{64}$/);
      assert.ok(n.host.length > 0 && n.host !== '-' && n.host.toLowerCase() !== 'none', n.host);
      assert.equal(isIpLiteral(n.host), n.hostKind !== 'hostname', n.host);
      assert.ok(n.udpPort === null || (n.udpPort >= 1 && n.udpPort <= 65535));
    }
  });

  it('keeps per-node details (ports, one entry for identical ipv4/ipv6 hostnames)', () => {
    const gdr = result.nodes.filter((n) => n.host === '205.185.115.131');
    assert.equal(gdr.length, 1);
    assert.equal(gdr[0]?.udpPort, 53);
    assert.deepEqual(gdr[0]?.tcpPorts, [33445, 53, 3389, 443]);
    assert.equal(gdr[0]?.publicKey, '3091C6BEB2A993F1C6300C16549FABA67098FF3D62C6D253828B531470B53D68');
    const kurnevsky = result.nodes.filter((n) => n.publicKey.startsWith('82EF82BA'));
    assert.deepEqual(
      kurnevsky.map((n) => [n.host, n.hostKind]),
      [['tox.kurnevsky.net', 'hostname']],
    );
    const busindre = result.nodes.filter((n) => n.publicKey.startsWith('8AFE1FC6')); // ipv4 "NONE"
    assert.deepEqual(
      busindre.map((n) => [n.host, n.hostKind]),
      [['2607:f130:0:f8::4c85:a645', 'ipv6']],
    );
    const cuber = result.nodes.find((n) => n.publicKey.startsWith('28DB44A3'));
    assert.equal(cuber?.maintainer, 'C\u00fcber');
  });

  it('selects from the snapshot with IP literals only', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const s = selectBootstrapNodes(result.nodes, { count: 8, ipLiteralsOnly: true, random: seeded(seed) });
      assert.equal(s.dht.length, 8);
      assert.ok(s.dht.every((n) => n.hostKind !== 'hostname' && n.statusUdp));
      assert.equal(new Set(s.dht.map((n) => n.publicKey)).size, 8);
      assert.ok(s.relay);
      assert.notEqual(s.relay.node.hostKind, 'hostname');
      assert.ok(s.relay.node.statusTcp);
      assert.ok([443, 33445].includes(s.relay.port));
    }
  });
});

describe('node list: parseNodeList with hostile nodes', () => {
  const result = parseNodeListText(readFileSync(fixture('hostile.json'), 'utf8'));
  const reasons = new Map(result.skipped.map((s) => [s.index, s.reason]));
  // Fixture node #i has the key made of the byte i repeated (node #1 has a lower-case key).
  const keyOf = (i: number): string => i.toString(16).toUpperCase().padStart(2, '0').repeat(32);
  const byIndex = (i: number): BootstrapNode[] => result.nodes.filter((n) => n.publicKey === keyOf(i));

  it('skips exactly the bad nodes', () => {
    assert.deepEqual(
      result.skipped.map((s) => s.index),
      [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29, 32, 33, 34, 35, 36, 37],
    );
    assert.equal(result.nodes.length, 10);
  });

  const expected: [number, RegExp][] = [
    [2, /^node is not an object \(null\)$/],
    [3, /^node is not an object \(string "just a string"\)$/],
    [4, /^node is not an object \(array\)$/],
    [5, /^public_key is missing$/],
    [6, /^public_key must be 64 hex characters, got 63$/],
    [7, /^public_key contains characters that are not hexadecimal$/],
    [8, /^public_key is not a string \(number 12345\)$/],
    [9, /^port number 0 is not an integer in 1\.\.65535 and no valid TCP port$/],
    [10, /^port number 65536 is not an integer/],
    [11, /^port string "33445" is not an integer/],
    [12, /^port number 1\.5 is not an integer .* and no valid TCP port$/],
    [15, /^no address \(ipv4 and ipv6 both missing or "-"\)$/],
    [16, /^no address/],
    [17, /^no usable address \(ipv4: "http:\/\/node\.example\.org" is a URL, not a host\)$/],
    [18, /ipv4: "192\.0\.2\.18:33445" contains a port/],
    [19, /ipv4: "node example\.org" contains whitespace/],
    [20, /ipv4: "256\.1\.1\.1" not a valid IPv4 address/],
    [21, /ipv6: "2001:db8::1::2" not a valid IPv6 address/],
    [22, /ipv6: "\[2001:db8::22\]" IPv6 address in brackets/],
    [23, /ipv4: "localhost" not a fully qualified hostname/],
    [24, /^no usable address \(ipv4: "127\.0\.0\.1" is not a public address \(loopback\); private addresses are not accepted\)$/],
    [26, /ipv6: "fe80::1" is not a public address \(link-local\)/],
    [27, /ipv4: "224\.0\.0\.1" cannot be a bootstrap node \(multicast\)/],
    [28, /ipv4: "a-\.example\.org" not an IPv4 address, IPv6 address or DNS hostname/],
    [29, /^no usable address \(ipv4: not a string \(object\); ipv6: not a string \(array\)\)$/],
    [32, /^motd is absurdly long \(5000 chars, limit 4096\)$/],
    [33, /^duplicate of node #0 /],
    [34, /ipv4: too long \(258 chars\)/],
    [35, /^public_key is missing$/], // only inside "__proto__": never read through the prototype
    [36, /ipv6: "::ffff:192\.168\.1\.1" is not a public address \(IPv4-mapped private \(RFC 1918\)\)/],
    [37, /ipv4: "01\.2\.3\.4" not a valid IPv4 address/],
  ];
  for (const [index, re] of expected) {
    it(`node #${index}: ${re.source.slice(0, 60)}`, () => {
      const r = reasons.get(index);
      assert.ok(r !== undefined, `node #${index} should be skipped`);
      assert.match(r, re);
    });
  }

  it('keeps a node with ipv4 and ipv6 as two entries', () => {
    const e = byIndex(0);
    assert.deepEqual(
      e.map((n) => [n.host, n.hostKind]),
      [
        ['192.0.2.0', 'ipv4'],
        ['2001:db8::10', 'ipv6'],
      ],
    );
    assert.ok(e.every((n) => n.udpPort === 33445 && n.tcpPorts.join() === '443,33445' && n.statusUdp && n.statusTcp));
  });

  it('keeps hostnames (lower case, no trailing dot) and upper-cases keys', () => {
    assert.deepEqual(
      byIndex(0xab).map((n) => [n.host, n.hostKind, n.lastPing]),
      [['node.example.org', 'hostname', 1700000001]],
    );
    assert.deepEqual(
      byIndex(39).map((n) => [n.host, n.hostKind]),
      [['node.example.net', 'hostname']],
    );
  });

  it('keeps a TCP-only node when the UDP port is bad, and drops bad TCP ports one by one', () => {
    assert.deepEqual(
      byIndex(13).map((n) => [n.udpPort, n.tcpPorts]),
      [[null, [33445]]],
    );
    assert.deepEqual(
      byIndex(14).map((n) => [n.udpPort, n.tcpPorts]),
      [[33445, [443, 3389]]],
    );
    const w = result.warnings ?? [];
    assert.ok(w.some((x) => x.index === 13 && /port number -1 is not an integer .*TCP only/.test(x.reason)));
    assert.ok(w.some((x) => x.index === 14 && x.reason === 'dropped invalid TCP port(s): string "443", number 0, number 70000'));
  });

  it('uses the good address when the other one is bad, or "NONE"', () => {
    assert.deepEqual(
      byIndex(25).map((n) => n.host),
      ['2001:db8::25'],
    );
    assert.ok(
      (result.warnings ?? []).some((x) => x.index === 25 && /^ignored ipv4: "10\.1\.2\.3" is not a public address \(private \(RFC 1918\)\)/.test(x.reason)),
    );
    assert.deepEqual(
      byIndex(38).map((n) => [n.host, n.hostKind]),
      [['2001:db8::38', 'ipv6']],
    );
  });

  it('turns wrong-typed status, ping and text fields into false, 0 and ""', () => {
    const e = byIndex(30)[0];
    assert.ok(e, 'node #30 kept');
    assert.equal(e.host, '192.0.2.30');
    assert.equal(e.statusUdp, false);
    assert.equal(e.statusTcp, false);
    assert.equal(e.lastPing, 0);
    assert.equal(e.maintainer, '');
    assert.equal(e.location, '');
  });

  it('truncates long display text and strips control characters', () => {
    const e = byIndex(31)[0];
    assert.ok(e);
    assert.equal(e.maintainer, 'm'.repeat(128));
    assert.equal(e.location, 'D E');
    assert.ok((result.warnings ?? []).some((x) => x.index === 31 && /maintainer truncated to 128/.test(x.reason)));
  });

  it('accepts private addresses only when asked', () => {
    const doc = { nodes: [{ ipv4: '127.0.0.1', ipv6: 'fd00::1', port: 33445, public_key: 'CD'.repeat(32) }] };
    assert.equal(parseNodeList(doc).nodes.length, 0);
    const r = parseNodeList(doc, { allowPrivateAddresses: true });
    assert.deepEqual(
      r.nodes.map((n) => n.host),
      ['127.0.0.1', 'fd00::1'],
    );
    // Multicast and unspecified are never bootstrap targets.
    const never = { nodes: [{ ipv4: '0.0.0.0', ipv6: 'ff02::1', port: 33445, public_key: 'CD'.repeat(32) }] };
    assert.equal(parseNodeList(never, { allowPrivateAddresses: true }).nodes.length, 0);
  });

  it('considers only the first MAX_NODES nodes and says so once', () => {
    const nodes = Array.from({ length: MAX_NODES + 5 }, (_, i) => ({
      ipv4: '198.51.100.7',
      port: 33445,
      public_key: i.toString(16).padStart(64, '0'),
    }));
    const r = parseNodeList({ nodes });
    assert.equal(r.nodes.length, MAX_NODES);
    assert.deepEqual(r.skipped, [{ index: MAX_NODES, reason: `nodes #10000..#10004 ignored: only the first 10000 entries are considered` }]);
  });

  it('survives a node whose properties throw when read', () => {
    const evil = Object.defineProperty({}, 'public_key', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const r = parseNodeList({ nodes: [evil, { ipv4: '198.51.100.1', port: 1, public_key: 'EF'.repeat(32) }] });
    assert.deepEqual(r.skipped, [{ index: 0, reason: 'node could not be read: boom' }]);
    assert.equal(r.nodes.length, 1);
  });
});

describe('node list: unusable documents', () => {
  for (const [label, input] of [
    ['null', null],
    ['a number', 42],
    ['a string', 'nodes'],
    ['an array', [{ nodes: [] }]],
  ] as [string, unknown][]) {
    it(`throws TypeError for ${label}`, () => {
      assert.throws(
        () => parseNodeList(input),
        (e: unknown) => e instanceof TypeError && /must be a JSON object with a "nodes" array/.test(e.message),
      );
    });
  }

  it('throws TypeError when "nodes" is missing or not an array', () => {
    assert.throws(() => parseNodeList({}), { name: 'TypeError', message: 'node list "nodes" must be an array, got nothing' });
    assert.throws(() => parseNodeList({ nodes: { 0: {} } }), {
      name: 'TypeError',
      message: 'node list "nodes" must be an array, got object',
    });
    assert.throws(() => parseNodeList({ nodes: 'x' }), {
      name: 'TypeError',
      message: 'node list "nodes" must be an array, got string "x"',
    });
  });

  it('throws TypeError for a top-level array file and for invalid JSON', () => {
    assert.throws(() => loadNodesFile(fixture('top-level-array.json')), { name: 'TypeError', message: /got array$/ });
    assert.throws(
      () => loadNodesFile(fixture('truncated.json.txt')),
      (e: unknown) => e instanceof TypeError && e.message.startsWith('node list is not valid JSON: '),
    );
    assert.throws(
      () => parseNodeListText(''),
      (e: unknown) => e instanceof TypeError && e.message.startsWith('node list is not valid JSON: '),
    );
    assert.throws(() => parseNodeListText('{"nodes": [}'), TypeError);
  });

  it('accepts an empty list and a UTF-8 BOM', () => {
    assert.deepEqual(parseNodeListText('\ufeff{"nodes": []}'), { nodes: [], skipped: [], warnings: [] });
  });

  it('rejects text over 4 MiB before parsing it', () => {
    const big = '{"nodes": [], "pad": "' + 'x'.repeat(MAX_NODE_LIST_BYTES) + '"}';
    assert.throws(() => parseNodeListText(big), { name: 'TypeError', message: /too large/ });
    // Under the limit in UTF-16 units but over it in UTF-8 bytes.
    const wide = '{"nodes": [], "pad": "' + '\u00e9'.repeat(MAX_NODE_LIST_BYTES / 2 + 10) + '"}';
    assert.ok(wide.length < MAX_NODE_LIST_BYTES);
    assert.throws(() => parseNodeListText(wide), { name: 'TypeError', message: /too large/ });
  });

  it('loadNodesFile refuses huge files and directories', () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxync-nodes-'));
    try {
      const big = join(dir, 'big.json');
      writeFileSync(big, Buffer.alloc(MAX_NODE_LIST_BYTES + 1, 0x20));
      assert.throws(() => loadNodesFile(big), { name: 'TypeError', message: /too large/ });
      assert.throws(() => loadNodesFile(dir), TypeError);
      assert.throws(() => loadNodesFile(join(dir, 'missing.json')), { code: 'ENOENT' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
