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
import { type AddressClass, classifyHostname, classifyIpv4, classifyIpv6, isValidHostname, parseIpv4, parseIpv6 } from '../common/hosts';

export { isIpLiteral, isIpv4Literal, isIpv6Literal, isValidHostname } from '../common/hosts';
export { selectBootstrapNodes } from './nodeSelect';
export type { SelectOptions, Selection } from './nodeSelect';

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

type AddressCheck = { ok: true; host: string; kind: BootstrapNode['hostKind'] } | { ok: false; missing: boolean; reason: string };

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
      skip: key.length !== 64 ? `public_key must be 64 hex characters, got ${key.length}` : 'public_key contains characters that are not hexadecimal',
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
    skipped.push({
      index: MAX_NODES,
      reason: `nodes #${MAX_NODES}..#${total - 1} ignored: only the first ${MAX_NODES} entries are considered`,
    });
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
