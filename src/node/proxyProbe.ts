// "Test proxy": opens a tunnel through the configured SOCKS5 or HTTP CONNECT proxy to a Tox TCP
// relay and reports the round trip or exactly what went wrong. Only IP literals are used, so
// the probe itself performs no DNS lookup and connects to nothing but the proxy.
// It stops at the proxy's answer: the Tox TCP handshake behind it is libtoxcore's business.

import { isIP, Socket } from 'node:net';
import type { ProxySpec } from '../protocol/node';

export type ProbeFailure = 'refused' | 'timeout' | 'auth_required' | 'wrong_protocol' | 'relay_unreachable' | 'error';
export type ProbeResult = { ok: true; rtt_ms: number } | { ok: false; reason: ProbeFailure; message: string };

const SOCKS_REPLIES: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused by the relay',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

class Failure extends Error {
  constructor(
    readonly reason: ProbeFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Reads from `sock` until `enough(buffered)` says how many bytes make a complete answer. */
function readAnswer(sock: Socket, enough: (b: Buffer) => number | null): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length > 16384) return done(new Failure('wrong_protocol', 'the proxy sent an oversized answer'));
      const n = enough(buf);
      if (n !== null) done(null, buf.subarray(0, n));
    };
    const onEnd = () => done(new Failure('wrong_protocol', 'the proxy closed the connection without answering'));
    const onError = (e: Error) => done(e);
    function done(e: Error | null, value?: Buffer) {
      sock.off('data', onData).off('end', onEnd).off('error', onError);
      if (e) reject(e);
      else resolve(value!);
    }
    sock.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

function socksAddress(host: string, port: number): Buffer {
  const p = Buffer.alloc(2);
  p.writeUInt16BE(port);
  if (isIP(host) === 4) return Buffer.concat([Buffer.from([1]), Buffer.from(host.split('.').map(Number)), p]);
  // IPv6: expand "::" and write the eight groups.
  const [head = '', tail = ''] = host.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = host.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return Buffer.concat([Buffer.from([4]), b, p]);
}

async function socks5(sock: Socket, target: { host: string; port: number }): Promise<void> {
  sock.write(Buffer.from([5, 1, 0])); // version 5, one method: no authentication
  const hello = await readAnswer(sock, (b) => (b.length >= 2 ? 2 : null));
  if (hello[0] !== 5) throw new Failure('wrong_protocol', 'not a SOCKS5 proxy (bad greeting)');
  if (hello[1] === 0xff || hello[1] === 2) throw new Failure('auth_required', 'the SOCKS5 proxy requires authentication, which toxync does not send');
  if (hello[1] !== 0) throw new Failure('wrong_protocol', `the SOCKS5 proxy chose unsupported method ${hello[1]}`);
  sock.write(Buffer.concat([Buffer.from([5, 1, 0]), socksAddress(target.host, target.port)]));
  const reply = await readAnswer(sock, (b) => {
    if (b.length < 5) return null;
    const len = b[3] === 1 ? 10 : b[3] === 4 ? 22 : b[3] === 3 ? 7 + (b[4] ?? 0) : 5;
    return b.length >= len ? len : null;
  });
  if (reply[0] !== 5) throw new Failure('wrong_protocol', 'not a SOCKS5 proxy (bad reply)');
  if (reply[1] !== 0)
    throw new Failure('relay_unreachable', `the proxy could not reach the relay: ${SOCKS_REPLIES[reply[1] ?? 1] ?? `SOCKS error ${reply[1]}`}`);
}

async function httpConnect(sock: Socket, target: { host: string; port: number }): Promise<void> {
  const authority = isIP(target.host) === 6 ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  sock.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
  const head = (
    await readAnswer(sock, (b) => {
      const i = b.indexOf('\r\n\r\n');
      return i >= 0 ? i + 4 : null;
    })
  ).toString('latin1');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!m) throw new Failure('wrong_protocol', 'not an HTTP proxy (no HTTP status line)');
  const status = Number(m[1]);
  if (status === 407) throw new Failure('auth_required', 'the HTTP proxy requires authentication, which toxync does not send');
  if (status < 200 || status > 299) throw new Failure('relay_unreachable', `the proxy answered CONNECT with HTTP ${status}`);
}

/** Opens a tunnel to `target` (an IP-literal relay) through `proxy` and closes it again. */
export async function probeProxy(proxy: ProxySpec, target: { host: string; port: number }, timeoutMs = 5000): Promise<ProbeResult> {
  if (!isIP(proxy.host) || !isIP(target.host)) return { ok: false, reason: 'error', message: 'proxy and relay must be IP addresses (no DNS lookups)' };
  const started = process.hrtime.bigint();
  const sock = new Socket();
  const timer = setTimeout(() => sock.destroy(new Failure('timeout', `no answer from the proxy within ${timeoutMs} ms`)), timeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve).once('error', reject);
      sock.connect({ host: proxy.host, port: proxy.port });
    });
    // From here on readAnswer listens for errors itself; this keeps a late one from going unhandled.
    sock.on('error', () => {});
    await (proxy.type === 'socks5' ? socks5(sock, target) : httpConnect(sock, target));
    return { ok: true, rtt_ms: Number(process.hrtime.bigint() - started) / 1e6 };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, reason: e.reason, message: e.message };
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') return { ok: false, reason: 'refused', message: `nothing listens on ${proxy.host}:${proxy.port} (connection refused)` };
    return { ok: false, reason: 'error', message: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
    sock.destroy();
  }
}
