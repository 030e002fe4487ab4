// Where the pager's HTTP API may listen, and the token that guards it. Loopback only: the
// API can make anyone's VS Code show a message and can issue login codes, so it is never
// reachable from another machine, whatever the flags say.

import { readFileSync, statSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';

export class ListenError extends RangeError {
  override readonly name = 'ListenError';
}

export const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_LENGTH = 4096;

/** 127.0.0.0/8 or ::1, as literals. Host names are refused (they resolve somewhere). */
export function isLoopbackLiteral(host: string): boolean {
  if (isIPv4(host)) return host.split('.')[0] === '127';
  if (isIPv6(host)) {
    // URL() writes an IPv6 literal in its one canonical form ("0:0::1" → "[::1]").
    try {
      return new URL(`http://[${host}]/`).hostname === '[::1]';
    } catch {
      return false;
    }
  }
  return false;
}

/** Parses `--listen 127.0.0.1:PORT` / `[::1]:PORT` / `localhost:PORT` (= 127.0.0.1). Port 0
 *  picks a free port (tests). Anything that is not loopback is refused. */
export function parseListen(spec: string): { host: string; port: number } {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:\s[\]]+):(\d{1,5})$/.exec(spec.trim());
  if (!m) throw new ListenError(`--listen: expected 127.0.0.1:PORT or [::1]:PORT, got "${spec.slice(0, 80)}"`);
  let host = m[1]!.replace(/^\[(.*)\]$/, '$1');
  if (host.toLowerCase() === 'localhost') host = '127.0.0.1';
  const port = Number(m[2]);
  if (port > 65535) throw new ListenError(`--listen: port ${port} is out of range`);
  if (!isLoopbackLiteral(host))
    throw new ListenError(`--listen: ${host.slice(0, 80)} is not a loopback address; the pager API listens on 127.0.0.0/8 or ::1 only`);
  return { host, port };
}

/** The bearer token in `path`: its first line, trimmed. Refused when empty, short, not
 *  printable ASCII, or readable/writable by every user on the machine. */
export function readTokenFile(path: string): string {
  const st = statSync(path);
  if (!st.isFile()) throw new ListenError(`--token-file: ${path} is not a file`);
  if (process.platform !== 'win32' && (st.mode & 0o006) !== 0) {
    throw new ListenError(`--token-file: ${path} is readable or writable by every user (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`);
  }
  if (st.size > MAX_TOKEN_LENGTH + 2) throw new ListenError(`--token-file: ${path} is too large to be a token`);
  const token = (readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '').trim();
  if (!token) throw new ListenError(`--token-file: ${path} is empty`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new ListenError(`--token-file: the token must be printable ASCII without spaces`);
  if (token.length < MIN_TOKEN_LENGTH)
    throw new ListenError(`--token-file: the token is shorter than ${MIN_TOKEN_LENGTH} characters (try: openssl rand -hex 32)`);
  return token;
}
