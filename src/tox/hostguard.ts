// The one place that guarantees a proxied node never resolves a name. libtoxcore hands any
// host that is not an IP literal to the system resolver (tox_bootstrap, tox_add_tcp_relay and
// the proxy host in tox_new), and that lookup leaves the machine outside the proxy. Versions
// before 0.2.21 have no experimental_disable_dns, and where it exists it is a second line, not
// this one. The Tox wrapper calls this before every host crosses the FFI, so no caller (node
// command, node list, CLI, pager) can forget it.

import { isIpLiteral } from '../common/hosts';

/** The stable `code` of the error (and of the node's `error` event) a refused host gives. */
export const HOST_NOT_IP_LITERAL = 'host_not_ip_literal';

export class HostNotIpLiteralError extends Error {
  readonly code = HOST_NOT_IP_LITERAL;
  /** Which argument was refused ('host', 'proxy host'); the host itself is not repeated. */
  readonly what: string;

  constructor(what: string) {
    super(`${what} must be an IP address while a proxy is set: a host name would be resolved outside the proxy`);
    this.name = 'HostNotIpLiteralError';
    this.what = what;
  }
}

/** Throws HostNotIpLiteralError when `proxied` and `host` is not a strict IPv4/IPv6 literal
 *  (strict: "010.0.0.1" is refused too, since inet_aton would read it differently). */
export function requireIpLiteralWhenProxied(what: string, host: string, proxied: boolean): void {
  if (proxied && !isIpLiteral(host)) throw new HostNotIpLiteralError(what);
}
