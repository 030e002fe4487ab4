// What an error is, in two forms: `describe` (its message, for the `error` answer to the one
// who sent the command) and `logCode` (for logs). Messages may carry peer data or paths — an
// fs error names the file, a file name is the peer's — so a log line gets only the code.

import { ProtocolError } from './guard';

export function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** ToxError (src/tox/errors.ts) and system errors carry their code in `code`; checked by shape so
 *  that this wire-level module does not depend on the FFI. */
export function errorCode(e: unknown): string {
  if (e instanceof ProtocolError) return 'invalid_command';
  if (e instanceof TypeError || e instanceof RangeError) return 'invalid_argument';
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') return (e as { code: string }).code;
  return 'failed';
}

/** For a log line: the code, and for a system error the call that failed ("EACCES (open)") —
 *  never the message, whose path or name may be the peer's. */
export function logCode(e: unknown): string {
  const code = errorCode(e);
  const syscall = e && typeof e === 'object' && 'syscall' in e ? (e as { syscall: unknown }).syscall : undefined;
  return typeof syscall === 'string' && /^[a-z_]{1,20}$/.test(syscall) ? `${code} (${syscall})` : code;
}
