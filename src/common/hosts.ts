// Host syntax and address classes for bootstrap nodes and proxies: strict IPv4/IPv6 literal
// and DNS hostname checks (no inet_aton leniency), and which addresses are public, private or
// unusable. Pure functions; nothing here resolves a name.

/** Four decimal octets 0..255, no leading zeros (inet_aton would read "010" as octal). */
export function isIpv4Literal(host: string): boolean {
  return parseIpv4(host) !== null;
}

export function parseIpv4(s: string): number[] | null {
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
export function parseIpv6(s: string): number[] | null {
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

export type AddressClass = 'public' | 'private' | 'unusable';

export function classifyIpv4(o: number[]): { cls: AddressClass; what: string } {
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

export function classifyIpv6(g: number[]): { cls: AddressClass; what: string } {
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

export function classifyHostname(h: string): { cls: AddressClass; what: string } {
  if (h === 'localhost' || h.endsWith('.localhost')) return { cls: 'private', what: 'localhost' };
  if (h.endsWith('.local')) return { cls: 'private', what: 'mDNS (.local)' };
  return { cls: 'public', what: 'public' };
}
