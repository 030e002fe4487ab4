// Tools for the proxy leak test (test/leak/): prove, by counting packets in the kernel, that a
// `toxync run --proxy …` node sends nothing except TCP to its proxy.
//
// The client under test runs as an unprivileged uid (LEAK_UID, "nobody"), everything else (the
// DHT node/TCP relay tox-bootstrapd, the proxies, the peer) runs as root, so an nftables table
// whose output-hook rules match `meta skuid LEAK_UID` counts exactly the client's packets:
// all of them, UDP, DNS, ICMP, TCP to the proxy port, and anything to a non-loopback address.
//
// A loopback-only namespace has no default route: a send to a non-loopback address would fail
// with ENETUNREACH in routing, *before* the output hook, and a leak attempt would go uncounted.
// withDefaultRouteViaLo() adds a default route via lo (IPv4 and IPv6) so such a packet reaches
// the hook, is counted, and then dies on lo (there is no other interface).
//
// Everything here needs root, nft, ip and setpriv; the daemons (tox-bootstrapd, microsocks,
// tinyproxy) are in leakDaemons.ts. Nothing runs at import time.

import { execFileSync } from 'node:child_process';
import { accessSync, chownSync, constants, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { assertLoopbackOnly } from './netns';
import { CliPeer } from './peer';
import { sleep } from './wait';

export const LEAK_UID = 65534;
export const LEAK_GID = 65534;
const TABLE = 'toxync_leak';

// ---------------------------------------------------------------------------------------------
// Prerequisites

/** Where a tool lives: searched in PATH and in the sbin directories root's PATH may lack (nft, ip); null if nowhere. */
export function findTool(name: string): string | null {
  const dirs = (process.env.PATH ?? '').split(':').concat('/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin');
  for (const d of dirs) {
    if (!d.startsWith('/')) continue;
    try {
      accessSync(join(d, name), constants.X_OK);
      return join(d, name);
    } catch {
      /* not here */
    }
  }
  return null;
}

/** The absolute path of a tool the leak test needs; throws if it is missing (leakTestUnavailable says so first). */
export function tool(name: string): string {
  const p = findTool(name);
  if (!p) throw new Error(`${name} not found (scripts/setup.sh installs it)`);
  return p;
}

/** Why this machine cannot run the leak test (not root, a tool missing), or null if it can. */
export function leakTestUnavailable(tools: string[]): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root (nftables counters, routes, setpriv to an unprivileged uid)';
  const missing = tools.filter((t) => findTool(t) === null);
  return missing.length > 0 ? `missing ${missing.join(', ')} (scripts/setup.sh installs them)` : null;
}

// ---------------------------------------------------------------------------------------------
// Sockets as the kernel lists them (/proc/PID/net/*: the whole namespace, matched by inode)

export interface InetSocket {
  proto: 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'udplite' | 'udplite6' | 'raw' | 'raw6';
  local: string;
  remote: string;
  /** The kernel's state number in hex: 01 ESTABLISHED, 0A LISTEN, 07 CLOSE (unconnected UDP), … */
  state: string;
  inode: string;
}

const PROTOS: InetSocket['proto'][] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'];

/** "0100007F:0438" → "127.0.0.1:1080"; IPv6 as eight groups (four little-endian words). */
function decodeAddress(hex: string): string {
  const [addr = '', portHex = '0'] = hex.split(':');
  const port = parseInt(portHex, 16);
  const words = addr.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return `${bytes.join('.')}:${port}`;
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return `[${groups.join(':')}]:${port}`;
}

function namespaceSockets(pid: number | 'self'): InetSocket[] {
  const out: InetSocket[] = [];
  for (const proto of PROTOS) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${proto}`, 'utf8');
    } catch {
      continue; // e.g. no IPv6 in this kernel
    }
    for (const row of text.trim().split('\n').slice(1)) {
      const c = row.trim().split(/\s+/);
      if (c.length < 10) continue;
      out.push({ proto, local: decodeAddress(c[1]!), remote: decodeAddress(c[2]!), state: c[3]!, inode: c[9]! });
    }
  }
  return out;
}

/** The internet sockets (TCP, UDP, UDP-Lite, raw; v4 and v6) that process `pid` holds open. */
export function inetSocketsOf(pid: number): InetSocket[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      /* the fd closed meanwhile */
    }
  }
  return namespaceSockets(pid).filter((s) => inodes.has(s.inode));
}

/** Throws if anything in this namespace already uses one of `ports` (TCP or UDP, v4 or v6). */
export function assertPortsFree(ports: number[]): void {
  const busy = namespaceSockets('self').filter((s) => !s.proto.startsWith('raw') && ports.includes(Number(s.local.split(':').pop())));
  if (busy.length > 0) throw new Error(`ports the leak test needs are in use: ${busy.map((s) => `${s.proto} ${s.local}`).join(', ')}`);
}

/** Resolves once process `pid` itself listens on TCP `port` (or has UDP `port` bound). */
export async function waitListening(pid: number, port: number, proto: 'tcp' | 'udp', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let up = false;
    try {
      up = inetSocketsOf(pid).some((s) => s.proto.startsWith(proto) && Number(s.local.split(':').pop()) === port && (proto === 'udp' || s.state === '0A'));
    } catch {
      /* not started yet, or gone (then the deadline reports it) */
    }
    if (up) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} does not listen on ${proto} port ${port} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Routes

/**
 * Adds default routes via lo (IPv4 and IPv6) unless the namespace already has one, and returns
 * the function that removes what was added. Refuses to run outside a loopback-only namespace.
 */
export function withDefaultRouteViaLo(): () => void {
  assertLoopbackOnly();
  const added: string[][] = [];
  for (const family of [['-4'], ['-6']]) {
    let existing = '';
    try {
      existing = execFileSync(tool('ip'), [...family, 'route', 'show', 'default'], { encoding: 'utf8' }).trim();
    } catch {
      continue; // no such address family here
    }
    if (existing !== '') continue;
    try {
      execFileSync(tool('ip'), [...family, 'route', 'add', 'default', 'dev', 'lo'], { stdio: ['ignore', 'ignore', 'pipe'] });
      added.push(family);
    } catch (e) {
      if (family[0] === '-4') throw e; // IPv6 may be disabled; IPv4 must work
    }
  }
  return () => {
    for (const family of added) {
      try {
        execFileSync(tool('ip'), [...family, 'route', 'del', 'default', 'dev', 'lo'], { stdio: 'ignore' });
      } catch {
        /* already gone */
      }
    }
  };
}

// ---------------------------------------------------------------------------------------------
// nftables packet counters for LEAK_UID

export interface LeakCounts {
  all: number;
  udp: number;
  tcp: number;
  tcp_proxy: number;
  dns_udp: number;
  dns_tcp: number;
  icmp: number;
  nonlocal4: number;
  nonlocal6: number;
  /** all − tcp_proxy: every packet that did not go to the proxy. */
  not_proxy: number;
}

type NftJson = { nftables: { rule?: { comment?: string; expr: { counter?: { packets: number } }[] } }[] };

/**
 * Output-hook counters for packets sent by LEAK_UID. Counters of nft 1.0.6 cannot be reset, so
 * every scenario installs a fresh table (install() replaces any previous one).
 */
export class LeakCounters {
  constructor(readonly proxyPort: number) {}

  install(): this {
    LeakCounters.remove();
    const u = `meta skuid ${LEAK_UID}`;
    execFileSync(tool('nft'), ['-f', '-'], {
      input: `table inet ${TABLE} {
  chain output {
    type filter hook output priority 0; policy accept;
    ${u} counter comment "all"
    ${u} meta l4proto udp counter comment "udp"
    ${u} meta l4proto tcp counter comment "tcp"
    ${u} ip daddr 127.0.0.1 tcp dport ${this.proxyPort} counter comment "tcp_proxy"
    ${u} udp dport 53 counter comment "dns_udp"
    ${u} tcp dport 53 counter comment "dns_tcp"
    ${u} meta l4proto { icmp, ipv6-icmp } counter comment "icmp"
    ${u} ip daddr != 127.0.0.0/8 counter comment "nonlocal4"
    ${u} ip6 daddr != ::1 counter comment "nonlocal6"
  }
}
`,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    return this;
  }

  read(): LeakCounts {
    const j = JSON.parse(execFileSync(tool('nft'), ['-j', 'list', 'table', 'inet', TABLE], { encoding: 'utf8' })) as NftJson;
    const c: Record<string, number> = {};
    for (const item of j.nftables) {
      const counter = item.rule?.expr.find((e) => e.counter)?.counter;
      if (item.rule?.comment && counter) c[item.rule.comment] = counter.packets;
    }
    const names = ['all', 'udp', 'tcp', 'tcp_proxy', 'dns_udp', 'dns_tcp', 'icmp', 'nonlocal4', 'nonlocal6'] as const;
    for (const n of names) if (typeof c[n] !== 'number') throw new Error(`nft table ${TABLE} has no counter "${n}"`);
    const counts = Object.fromEntries(names.map((n) => [n, c[n]!])) as Omit<LeakCounts, 'not_proxy'>;
    return { ...counts, not_proxy: counts.all - counts.tcp_proxy };
  }

  static remove(): void {
    try {
      execFileSync(tool('nft'), ['delete', 'table', 'inet', TABLE], { stdio: 'ignore' });
    } catch {
      /* not there */
    }
  }
}

/** `b − a`, counter by counter. */
export function countsSince(a: LeakCounts, b: LeakCounts): LeakCounts {
  const d = { ...b };
  for (const k of Object.keys(d) as (keyof LeakCounts)[]) d[k] = b[k] - a[k];
  return d;
}

export function formatCounts(label: string, c: LeakCounts): string {
  return `leak counts (${label}): all=${c.all} tcp_proxy=${c.tcp_proxy} not_proxy=${c.not_proxy} udp=${c.udp} tcp=${c.tcp} dns=${c.dns_udp + c.dns_tcp} icmp=${c.icmp} nonlocal=${c.nonlocal4 + c.nonlocal6}`;
}

/** Nothing but TCP to the proxy: no UDP, no DNS, no other TCP, no ICMP, no non-loopback destination. */
export function leakFree(c: LeakCounts): boolean {
  return c.not_proxy === 0 && c.udp === 0 && c.dns_udp === 0 && c.dns_tcp === 0;
}

// ---------------------------------------------------------------------------------------------
// The client under test: `toxync run` as LEAK_UID

/** A directory owned by LEAK_UID (mode 0700) under `parent`. */
export function unprivilegedDir(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { mode: 0o700 });
  chownSync(dir, LEAK_UID, LEAK_GID);
  return dir;
}

/**
 * `toxync run` as LEAK_UID through setpriv (which execs, so proc.pid is the node process), with
 * a HOME of its own and no LAN discovery. The JSON-line handling mirrors CliPeer (test/helpers/
 * peer.ts), which cannot be reused because its constructor spawns the process itself.
 */
export class UnprivilegedCli extends CliPeer {
  /** `profileDir` and `home` must belong to LEAK_UID (see unprivilegedDir). */
  constructor(name: string, profileDir: string, home: string, args: string[]) {
    const env: NodeJS.ProcessEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
    for (const k of ['TOXYNC_LIBTOXCORE', 'TOXYNC_LOOP']) if (process.env[k] !== undefined) env[k] = process.env[k];
    super(name, profileDir, args, {
      prefix: [tool('setpriv'), `--reuid=${LEAK_UID}`, `--regid=${LEAK_GID}`, '--clear-groups', '--'],
      env,
      cwd: home,
    });
  }

  /** The real uid of the running process, from /proc/PID/status. */
  uid(): number {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return Number(m?.[1]);
  }
}
