// Which bootstrap nodes to use for one attempt: a few random healthy DHT nodes plus one TCP
// relay, so no single node learns every attempt and a dead node costs one try, not all.

import type { BootstrapNode } from './nodeList';

export interface SelectOptions {
  /** How many entries to return for DHT bootstrap (at most one per public key). */
  count: number;
  /** Drop hostname entries: with a proxy set, libtoxcore would resolve them with the local resolver. */
  ipLiteralsOnly?: boolean;
  /** Only nodes whose status_udp is true; without it, others fill in when too few are healthy. */
  requireUdp?: boolean;
  /** Returns a number in [0, 1); Math.random by default. Injected by tests. */
  random?: () => number;
}

export interface Selection {
  dht: BootstrapNode[];
  relay: { node: BootstrapNode; port: number } | null;
}

/** Relay ports in order of preference: 443 passes most firewalls, 33445 is the Tox default. */
const PREFERRED_RELAY_PORTS = [443, 33445];

function pickIndex(random: () => number, n: number): number {
  const r = random();
  const i = Math.floor((Number.isFinite(r) ? r : 0) * n);
  return Math.min(n - 1, Math.max(0, i));
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = pickIndex(random, i + 1);
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
  return a;
}

/**
 * Chooses `count` DHT bootstrap entries (random, status_udp ones first, one entry per
 * public key, only entries with a UDP port) and one TCP relay (random among status_tcp
 * entries with a TCP port, those offering 443 or 33445 first; port 443, else 33445,
 * else a random one of its ports). The relay may also be one of the DHT entries.
 */
export function selectBootstrapNodes(nodes: readonly BootstrapNode[], opts: SelectOptions): Selection {
  const { count, ipLiteralsOnly = false, requireUdp = false, random = Math.random } = opts;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${String(count)}`);
  const pool = nodes.filter((n) => !ipLiteralsOnly || n.hostKind !== 'hostname');

  const dhtPool = pool.filter((n) => n.udpPort !== null);
  const healthy = shuffled(
    dhtPool.filter((n) => n.statusUdp),
    random,
  );
  const others = requireUdp
    ? []
    : shuffled(
        dhtPool.filter((n) => !n.statusUdp),
        random,
      );
  const dht: BootstrapNode[] = [];
  const keys = new Set<string>();
  for (const n of [...healthy, ...others]) {
    if (dht.length >= count) break;
    if (keys.has(n.publicKey)) continue;
    keys.add(n.publicKey);
    dht.push(n);
  }

  let relay: Selection['relay'] = null;
  const relays = pool.filter((n) => n.statusTcp && n.tcpPorts.length > 0);
  if (relays.length > 0) {
    const preferred = relays.filter((n) => n.tcpPorts.some((p) => PREFERRED_RELAY_PORTS.includes(p)));
    const from = preferred.length > 0 ? preferred : relays;
    const node = from[pickIndex(random, from.length)] as BootstrapNode;
    const port = PREFERRED_RELAY_PORTS.find((p) => node.tcpPorts.includes(p)) ?? (node.tcpPorts[pickIndex(random, node.tcpPorts.length)] as number);
    relay = { node, port };
  }
  return { dht, relay };
}
