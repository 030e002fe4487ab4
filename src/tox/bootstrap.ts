// Bootstrap node list: parsing of the nodes.tox.chat JSON format and the choice of
// which nodes to hand to tox_bootstrap / tox_add_tcp_relay.
//
// The list is HOSTILE input: it comes from a file the user points at (toxync.nodesFile)
// or from our bundled snapshot, and whatever survives here is passed to libtoxcore,
// which sends packets to it. So parsing never trusts a type, a length or an address:
// one bad node is skipped with a reason, only a list that is not a list at all throws.
//
// Shape: one BootstrapNode per usable ADDRESS. A node listing both an ipv4 and an
// ipv6 address yields two entries with the same publicKey (and the same ports);
// a node whose ipv4 and ipv6 fields name the same host yields one entry.
//
// No I/O apart from loadNodesFile, which only reads the file it is given.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface BootstrapNode {
  /** IPv4 literal, IPv6 literal (no brackets) or DNS hostname (lower case, no trailing dot). */
  host: string;
  hostKind: 'ipv4' | 'ipv6' | 'hostname';
  /** DHT (UDP) port; null when the node's "port" was unusable but it has TCP ports. */
  udpPort: number | null;
  /** TCP relay ports, deduplicated, in list order. */
  tcpPorts: number[];
  /** 64 upper-case hex characters. */
  publicKey: string;
  statusUdp: boolean;
  statusTcp: boolean;
  /** Unix seconds of the last successful check by the list's scanner, 0 if unknown. */
  lastPing: number;
  /** Display only: control characters removed, at most MAX_DISPLAY_CHARS characters. */
  maintainer: string;
  location: string;
}

export interface ParseIssue {
  /** Index in the input "nodes" array. */
  index: number;
  reason: string;
}

export interface ParseResult {
  nodes: BootstrapNode[];
  /** Nodes that produced no entry. A list longer than MAX_NODES adds ONE entry (index MAX_NODES) for the rest. */
  skipped: ParseIssue[];
  /** Nodes that were kept with something dropped (a bad address, bad TCP ports, truncated text). */
  warnings?: ParseIssue[];
}

export interface ParseOptions {
  /**
   * Accept loopback, RFC 1918, CGNAT, link-local and unique-local addresses and
   * localhost/.local names. Off by default: a public list has no business making
   * toxcore send packets into the local network. Turn on for a user's own LAN node.
   */
  allowPrivateAddresses?: boolean;
}

export const MAX_NODE_LIST_BYTES = 4 * 1024 * 1024;
export const MAX_NODES = 10_000;
export const MAX_TCP_PORTS = 32;
export const MAX_DISPLAY_CHARS = 128;
/** A text field longer than this is not a glitch but an attack or a wrong file: the node is skipped. */
export const MAX_FIELD_CHARS = 4096;

/** Address fields that mean "this node has no such address". */
const NO_ADDRESS = new Set(['', '-', 'none', 'null', 'n/a']);
const KEY_RE = /^[0-9a-fA-F]{64}$/;

// ---------------------------------------------------------------------------
// Address syntax

/** Four decimal octets 0..255, no leading zeros (inet_aton would read "010" as octal). */
export function isIpv4Literal(host: string): boolean {
  return parseIpv4(host) !== null;
}

function parseIpv4(s: string): number[] | null {
  if (typeof s !== 'string' || s.length > 15) return null;
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** RFC 4291 text form without brackets, zone id or prefix length; a trailing dotted IPv4 is allowed. */
export function isIpv6Literal(host: string): boolean {
  return parseIpv6(host) !== null;
}

/** The eight 16-bit groups, or null. */
function parseIpv6(s: string): number[] | null {
  if (typeof s !== 'string' || s.length < 2 || s.length > 45) return null;
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parseSide = (side: string): number[] | null => {
    if (side === '') return [];
    const groups: number[] = [];
    const parts = side.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? '';
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (!v4) return null;
        groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        groups.push(parseInt(p, 16));
      }
    }
    return groups;
  };
  const head = parseSide(halves[0] ?? '');
  if (!head) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const tail = parseSide(halves[1] ?? '');
  if (!tail) return null;
  // A dotted IPv4 is only allowed at the very end of the address.
  if ((halves[0] ?? '').includes('.')) return null;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

export function isIpLiteral(host: string): boolean {
  return isIpv4Literal(host) || isIpv6Literal(host);
}

/**
 * A fully qualified DNS name: RFC 1123 labels (letters, digits, inner hyphens, 1..63
 * chars), at least two labels, at most 253 chars, and a top-level label that is not
 * all digits (so "1.2.3.999" is neither an address nor a name). One trailing dot is allowed.
 */
export function isValidHostname(host: string): boolean {
  if (typeof host !== 'string') return false;
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  if (h.length === 0 || h.length > 253) return false;
  const labels = h.split('.');
  if (labels.length < 2) return false;
  for (const l of labels) {
    if (!/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(l)) return false;
  }
  return !/^[0-9]+$/.test(labels[labels.length - 1] ?? '');
}

type AddressClass = 'public' | 'private' | 'unusable';

function classifyIpv4(o: number[]): { cls: AddressClass; what: string } {
  const [a = 0, b = 0] = o;
  if (a === 0) return { cls: 'unusable', what: '"this network" (0.0.0.0/8)' };
  if (a >= 224 && a <= 239) return { cls: 'unusable', what: 'multicast' };
  if (a >= 240) return { cls: 'unusable', what: 'reserved or broadcast' };
  if (a === 127) return { cls: 'private', what: 'loopback' };
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return { cls: 'private', what: 'private (RFC 1918)' };
  if (a === 100 && b >= 64 && b <= 127) return { cls: 'private', what: 'carrier-grade NAT (100.64.0.0/10)' };
  if (a === 169 && b === 254) return { cls: 'private', what: 'link-local' };
  return { cls: 'public', what: 'public' };
}

function classifyIpv6(g: number[]): { cls: AddressClass; what: string } {
  const g0 = g[0] ?? 0;
  const allZeroUpTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  if (allZeroUpTo(8)) return { cls: 'unusable', what: 'unspecified (::)' };
  if (allZeroUpTo(7) && g[7] === 1) return { cls: 'private', what: 'loopback (::1)' };
  if (allZeroUpTo(5) && g[5] === 0xffff) {
    // IPv4-mapped: judge the IPv4 address it carries.
    const v4 = [(g[6] ?? 0) >> 8, (g[6] ?? 0) & 0xff, (g[7] ?? 0) >> 8, (g[7] ?? 0) & 0xff];
    const c = classifyIpv4(v4);
    return { cls: c.cls, what: `IPv4-mapped ${c.what}` };
  }
  if ((g0 & 0xff00) === 0xff00) return { cls: 'unusable', what: 'multicast' };
  if ((g0 & 0xffc0) === 0xfe80) return { cls: 'private', what: 'link-local' };
  if ((g0 & 0xfe00) === 0xfc00) return { cls: 'private', what: 'unique-local (fc00::/7)' };
  return { cls: 'public', what: 'public' };
}

function classifyHostname(h: string): { cls: AddressClass; what: string } {
  if (h === 'localhost' || h.endsWith('.localhost')) return { cls: 'private', what: 'localhost' };
  if (h.endsWith('.local')) return { cls: 'private', what: 'mDNS (.local)' };
  return { cls: 'public', what: 'public' };
}

type AddressCheck =
  | { ok: true; host: string; kind: BootstrapNode['hostKind'] }
  | { ok: false; missing: boolean; reason: string };

function checkAddress(value: unknown, opts: ParseOptions): AddressCheck {
  if (value === undefined || value === null) return { ok: false, missing: true, reason: 'missing' };
  if (typeof value !== 'string') return { ok: false, missing: false, reason: `not a string (${describe(value)})` };
  if (NO_ADDRESS.has(value.trim().toLowerCase())) return { ok: false, missing: true, reason: `"${value.trim()}" (no address)` };
  if (value.length > 253) return { ok: false, missing: false, reason: `too long (${value.length} chars)` };
  const shown = JSON.stringify(value);
  let host: string;
  let kind: BootstrapNode['hostKind'];
  let c: { cls: AddressClass; what: string };
  const v4 = parseIpv4(value);
  const v6 = v4 ? null : parseIpv6(value);
  if (v4) {
    host = value;
    kind = 'ipv4';
    c = classifyIpv4(v4);
  } else if (v6) {
    host = value.toLowerCase();
    kind = 'ipv6';
    c = classifyIpv6(v6);
  } else if (isValidHostname(value)) {
    host = value.toLowerCase().replace(/\.$/, '');
    kind = 'hostname';
    c = classifyHostname(host);
  } else {
    let why = 'not an IPv4 address, IPv6 address or DNS hostname';
    if (/\s/.test(value)) why = 'contains whitespace';
    else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) why = 'is a URL, not a host';
    else if (value.startsWith('[')) why = 'IPv6 address in brackets';
    else if (/^[^:]+:\d+$/.test(value)) why = 'contains a port';
    else if (/^[0-9.]+$/.test(value)) why = 'not a valid IPv4 address';
    else if (value.includes(':')) why = 'not a valid IPv6 address';
    else if (!value.includes('.')) why = 'not a fully qualified hostname';
    return { ok: false, missing: false, reason: `${shown.slice(0, 80)} ${why}` };
  }
  if (c.cls === 'unusable') return { ok: false, missing: false, reason: `${shown} cannot be a bootstrap node (${c.what})` };
  if (c.cls === 'private' && !opts.allowPrivateAddresses) {
    return { ok: false, missing: false, reason: `${shown} is not a public address (${c.what}); private addresses are not accepted` };
  }
  return { ok: true, host, kind };
}

// ---------------------------------------------------------------------------
// Field helpers

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return v.length > 20 ? `string of ${v.length} chars` : `string ${JSON.stringify(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return typeof v;
}

/** Own enumerable data only: never walks the prototype chain ("__proto__", "toString"...). */
function own(obj: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

// C0/C1 controls and bidi overrides/isolates: they can break or spoof the line a name is shown on.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function displayText(v: unknown): { text: string; truncated: boolean } {
  if (typeof v !== 'string') return { text: '', truncated: false };
  const clean = v.replace(UNSAFE_CHARS, ' ').trim();
  const chars = Array.from(clean); // by code point, so no surrogate pair is cut in half
  if (chars.length <= MAX_DISPLAY_CHARS) return { text: clean, truncated: false };
  return { text: chars.slice(0, MAX_DISPLAY_CHARS).join(''), truncated: true };
}

// ---------------------------------------------------------------------------
// Parsing

type NodeOutcome = { entries: BootstrapNode[]; warnings: string[] } | { skip: string };

function parseOne(raw: unknown, opts: ParseOptions): NodeOutcome {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { skip: `node is not an object (${describe(raw)})` };
  }
  const warnings: string[] = [];

  const key = own(raw, 'public_key');
  if (key === undefined) return { skip: 'public_key is missing' };
  if (typeof key !== 'string') return { skip: `public_key is not a string (${describe(key)})` };
  if (!KEY_RE.test(key)) {
    return {
      skip: key.length !== 64
        ? `public_key must be 64 hex characters, got ${key.length}`
        : 'public_key contains characters that are not hexadecimal',
    };
  }

  for (const f of ['maintainer', 'location', 'motd', 'version']) {
    const v = own(raw, f);
    if (typeof v === 'string' && v.length > MAX_FIELD_CHARS) {
      return { skip: `${f} is absurdly long (${v.length} chars, limit ${MAX_FIELD_CHARS})` };
    }
  }

  // Ports: the UDP port and each TCP port are judged separately; the node survives if any remains.
  const rawPort = own(raw, 'port');
  const udpPort = isPort(rawPort) ? rawPort : null;
  const portProblem = udpPort === null ? `port ${describe(rawPort)} is not an integer in 1..65535` : null;

  const tcpPorts: number[] = [];
  const rawTcp = own(raw, 'tcp_ports');
  if (rawTcp !== undefined && rawTcp !== null && !Array.isArray(rawTcp)) {
    warnings.push(`tcp_ports is not an array (${describe(rawTcp)}); no TCP ports used`);
  } else if (Array.isArray(rawTcp)) {
    const bad: string[] = [];
    const n = Math.min(rawTcp.length, MAX_TCP_PORTS);
    for (let i = 0; i < n; i++) {
      const p: unknown = rawTcp[i];
      if (!isPort(p)) bad.push(describe(p));
      else if (!tcpPorts.includes(p)) tcpPorts.push(p);
    }
    if (bad.length > 0) warnings.push(`dropped invalid TCP port(s): ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', ...' : ''}`);
    if (rawTcp.length > MAX_TCP_PORTS) warnings.push(`only the first ${MAX_TCP_PORTS} of ${rawTcp.length} TCP ports considered`);
  }
  if (udpPort === null && tcpPorts.length === 0) {
    return { skip: `${portProblem ?? 'no UDP port'} and no valid TCP port` };
  }
  if (portProblem) warnings.push(`${portProblem}; node kept for TCP only`);

  // Addresses.
  const addrs: { host: string; kind: BootstrapNode['hostKind'] }[] = [];
  const problems: string[] = [];
  for (const field of ['ipv4', 'ipv6']) {
    const r = checkAddress(own(raw, field), opts);
    if (r.ok) {
      if (!addrs.some((a) => a.host === r.host)) addrs.push({ host: r.host, kind: r.kind });
    } else if (!r.missing) {
      problems.push(`${field}: ${r.reason}`);
    }
  }
  if (addrs.length === 0) {
    return { skip: problems.length > 0 ? `no usable address (${problems.join('; ')})` : 'no address (ipv4 and ipv6 both missing or "-")' };
  }
  warnings.push(...problems.map((p) => `ignored ${p}`));

  const maintainer = displayText(own(raw, 'maintainer'));
  const location = displayText(own(raw, 'location'));
  if (maintainer.truncated) warnings.push(`maintainer truncated to ${MAX_DISPLAY_CHARS} characters`);
  if (location.truncated) warnings.push(`location truncated to ${MAX_DISPLAY_CHARS} characters`);

  const lp = own(raw, 'last_ping');
  const lastPing = typeof lp === 'number' && Number.isFinite(lp) && lp > 0 ? Math.floor(lp) : 0;

  const publicKey = key.toUpperCase();
  const statusUdp = own(raw, 'status_udp') === true; // anything but the boolean true is "not working"
  const statusTcp = own(raw, 'status_tcp') === true;
  const entries = addrs.map((a): BootstrapNode => ({
    host: a.host,
    hostKind: a.kind,
    udpPort,
    tcpPorts: [...tcpPorts],
    publicKey,
    statusUdp,
    statusTcp,
    lastPing,
    maintainer: maintainer.text,
    location: location.text,
  }));
  return { entries, warnings };
}

/**
 * Parses an already-decoded nodes.tox.chat document. Throws TypeError only when the
 * document itself is unusable (not an object, no "nodes" array); every bad node is
 * reported in `skipped` and the rest are returned.
 */
export function parseNodeList(input: unknown, opts: ParseOptions = {}): ParseResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`node list must be a JSON object with a "nodes" array, got ${describe(input)}`);
  }
  let list: unknown;
  try {
    list = own(input, 'nodes');
  } catch (e) {
    throw new TypeError(`node list "nodes" could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(list)) {
    throw new TypeError(`node list "nodes" must be an array, got ${list === undefined ? 'nothing' : describe(list)}`);
  }

  const nodes: BootstrapNode[] = [];
  const skipped: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  const seen = new Map<string, number>(); // entryId -> index of the node that first produced it
  const entryId = (e: BootstrapNode): string => `${e.host}|${e.udpPort ?? '-'}|${e.publicKey}`;
  const total = list.length;
  const n = Math.min(total, MAX_NODES);
  for (let index = 0; index < n; index++) {
    let outcome: NodeOutcome;
    try {
      outcome = parseOne(list[index], opts);
    } catch (e) {
      // Getters, proxies and other exotic objects are not JSON, but parseNodeList takes `unknown`.
      outcome = { skip: `node could not be read: ${e instanceof Error ? e.message : String(e)}` };
    }
    if ('skip' in outcome) {
      skipped.push({ index, reason: outcome.skip });
      continue;
    }
    const fresh = outcome.entries.filter((e) => !seen.has(entryId(e)));
    if (fresh.length === 0) {
      const first = outcome.entries[0];
      const dupOf = first ? seen.get(entryId(first)) : undefined;
      skipped.push({ index, reason: `duplicate of node #${dupOf ?? '?'} (same address, port and key)` });
      continue;
    }
    for (const e of fresh) seen.set(entryId(e), index);
    nodes.push(...fresh);
    for (const w of outcome.warnings) warnings.push({ index, reason: w });
  }
  if (total > MAX_NODES) {
    skipped.push({ index: MAX_NODES, reason: `nodes #${MAX_NODES}..#${total - 1} ignored: only the first ${MAX_NODES} entries are considered` });
  }
  return { nodes, skipped, warnings };
}

/** JSON text -> ParseResult. Rejects text over MAX_NODE_LIST_BYTES (UTF-8) and invalid JSON with a TypeError. */
export function parseNodeListText(text: string, opts: ParseOptions = {}): ParseResult {
  if (typeof text !== 'string') throw new TypeError(`node list text must be a string, got ${describe(text)}`);
  // length > limit implies more than limit UTF-8 bytes; the exact count is only needed below it.
  if (text.length > MAX_NODE_LIST_BYTES || Buffer.byteLength(text, 'utf8') > MAX_NODE_LIST_BYTES) {
    throw new TypeError(`node list is too large (over ${MAX_NODE_LIST_BYTES} bytes)`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new TypeError(`node list is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseNodeList(doc, opts);
}

/**
 * Reads and parses a nodes file. Reads at most MAX_NODE_LIST_BYTES + 1 bytes, so a huge
 * file or a device such as /dev/zero is refused instead of filling memory. File-system
 * errors (ENOENT, EACCES...) are thrown as they are; content problems as TypeError.
 */
export function loadNodesFile(path: string, opts: ParseOptions = {}): ParseResult {
  const fd = openSync(path, 'r');
  let buf: Buffer;
  let used = 0;
  try {
    if (!fstatSync(fd).isFile()) throw new TypeError(`node list ${path} is not a regular file`);
    buf = Buffer.alloc(MAX_NODE_LIST_BYTES + 1);
    for (;;) {
      const got = readSync(fd, buf, used, buf.length - used, null);
      if (got === 0) break;
      used += got;
      if (used > MAX_NODE_LIST_BYTES) throw new TypeError(`node list ${path} is too large (over ${MAX_NODE_LIST_BYTES} bytes)`);
    }
  } finally {
    closeSync(fd);
  }
  return parseNodeListText(buf.toString('utf8', 0, used), opts);
}

// ---------------------------------------------------------------------------
// Selection

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
  const healthy = shuffled(dhtPool.filter((n) => n.statusUdp), random);
  const others = requireUdp ? [] : shuffled(dhtPool.filter((n) => !n.statusUdp), random);
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
