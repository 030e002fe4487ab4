// Proxy presets and their names. Pure (no `vscode`), so the route label and the parser are
// tested without VS Code.

import { isIpLiteral } from '../common/hosts';
import type { ProxySpec } from '../protocol/node';

export interface ProxyPreset {
  id: 'tor' | 'tor-browser' | 'i2p' | 'nym';
  name: string;
  spec: ProxySpec;
  detail: string;
}

export const PRESETS: readonly ProxyPreset[] = [
  {
    id: 'tor',
    name: 'Tor',
    spec: { type: 'socks5', host: '127.0.0.1', port: 9050 },
    detail: 'The Tor daemon (tor): SOCKS5 on 127.0.0.1:9050.',
  },
  {
    id: 'tor-browser',
    name: 'Tor Browser',
    spec: { type: 'socks5', host: '127.0.0.1', port: 9150 },
    detail: 'Tor Browser while it runs: SOCKS5 on 127.0.0.1:9150.',
  },
  {
    id: 'i2p',
    name: 'I2P',
    spec: { type: 'socks5', host: '127.0.0.1', port: 4447 },
    detail: "I2P's SOCKS proxy on 127.0.0.1:4447 (needs an I2P outproxy to reach Tox relays).",
  },
  { id: 'nym', name: 'Nym', spec: { type: 'socks5', host: '127.0.0.1', port: 1080 }, detail: 'The Nym SOCKS5 client on 127.0.0.1:1080.' },
];

/** "Tor", "Nym", or "SOCKS5 10.0.0.2:1080" for a custom proxy. */
export function routeName(spec: ProxySpec): string {
  const p = PRESETS.find((x) => x.spec.type === spec.type && x.spec.host === spec.host && x.spec.port === spec.port);
  return p ? p.name : `${spec.type === 'socks5' ? 'SOCKS5' : 'HTTP'} ${spec.host}:${spec.port}`;
}

/** Parses a custom "host:port"; the host must be an IP address (fail closed: a hostname
 *  would be resolved by the local resolver, outside the proxy). Returns an error text or the spec. */
export function parseProxyAddress(type: ProxySpec['type'], input: string): ProxySpec | string {
  const s = input.trim();
  const m = /^\[?([0-9A-Fa-f:.]+?)\]?:(\d{1,5})$/.exec(s);
  if (!m) return 'Enter IP:PORT, for example 127.0.0.1:9050.';
  const host = m[1]!;
  const port = Number(m[2]);
  if (!isIpLiteral(host)) return 'The proxy must be an IP address: a host name would be looked up outside the proxy.';
  if (port < 1 || port > 65535) return 'The port must be between 1 and 65535.';
  return { type, host, port };
}

/** Said wherever a proxy is chosen: what it protects and what it does not. */
export const PROXY_LIMITS =
  'With a proxy, Tox uses TCP relays only: no UDP, no LAN discovery, no direct connections, no DNS lookups. Friends no longer see your IP address, but a friend can still learn which TCP relay you use, and TCP-only mode without a proxy is not anonymity (c-toxcore#1927): the proxy is what hides your IP. If the proxy is down, Tox stays offline — it never falls back to a direct connection.';
