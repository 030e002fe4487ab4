// One-time codes: issued from the CSPRNG, bound to a request id, valid for at most ten
// minutes, good for exactly one successful verification, locked after a few wrong guesses,
// and rate-limited per recipient. Held in this process's memory only: nothing here is ever
// written to disk, and a restart forgets every code (the platform issues a new one).

import { randomInt, timingSafeEqual } from 'node:crypto';
import { REQUEST_ID_PATTERN } from '../protocol/pagerAlert';

export const MAX_CODE_TTL_MS = 10 * 60_000;
export const DEFAULT_CODE_TTL_MS = 5 * 60_000;

export interface CodeOptions {
  /** Wrong guesses allowed per code; the next one locks it. */
  maxAttempts?: number;
  /** At most `rateLimitCount` codes per recipient in any `rateLimitWindowMs`. */
  rateLimitCount?: number;
  rateLimitWindowMs?: number;
  /** Bound on codes held at once, so a flood cannot grow memory without limit. */
  maxLive?: number;
  now?: () => number;
}

export interface IssueRequest {
  /** The recipient's public key (rate limits are per recipient). */
  recipient: string;
  requestId: string;
  ttlMs: number;
  digits?: number;
}

export interface Issued {
  code: string;
  requestId: string;
  expiresAt: number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'locked' | 'mismatch' };

export class CodeError extends Error {
  override readonly name = 'CodeError';
  constructor(
    message: string,
    readonly code: 'invalid' | 'rate_limited' | 'conflict' | 'full',
  ) {
    super(message);
  }
}

interface Entry {
  /** Cleared on success or lock: a used code is not kept around. */
  code: Buffer | null;
  recipient: string;
  expiresAt: number;
  attempts: number;
  state: 'live' | 'used' | 'locked';
}

export class CodeBook {
  private readonly byRequest = new Map<string, Entry>();
  private readonly issuedAt = new Map<string, number[]>(); // recipient → issue times in the window
  private readonly maxAttempts: number;
  private readonly rateCount: number;
  private readonly rateWindow: number;
  private readonly maxLive: number;
  private readonly now: () => number;

  constructor(opts: CodeOptions = {}) {
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.rateCount = opts.rateLimitCount ?? 5;
    this.rateWindow = opts.rateLimitWindowMs ?? 10 * 60_000;
    this.maxLive = opts.maxLive ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  issue(req: IssueRequest): Issued {
    const digits = req.digits ?? 6;
    if (!Number.isInteger(digits) || digits < 6 || digits > 8) throw new CodeError('digits must be 6, 7 or 8', 'invalid');
    if (!Number.isInteger(req.ttlMs) || req.ttlMs < 1000 || req.ttlMs > MAX_CODE_TTL_MS)
      throw new CodeError(`ttl must be 1 s to ${MAX_CODE_TTL_MS / 1000} s`, 'invalid');
    if (!REQUEST_ID_PATTERN.test(req.requestId)) throw new CodeError('request id must be 1–128 characters of A–Z, a–z, 0–9, ".", "_", ":" or "-"', 'invalid');
    const now = this.now();
    this.sweep(now);
    // A request id names one code for its whole life: reusing it while it is held would let a
    // second code silently replace the one the user is looking at.
    if (this.byRequest.has(req.requestId)) throw new CodeError('a code for this request id exists already', 'conflict');
    const recent = (this.issuedAt.get(req.recipient) ?? []).filter((t) => now - t < this.rateWindow);
    if (recent.length >= this.rateCount)
      throw new CodeError(`at most ${this.rateCount} codes per recipient in ${Math.round(this.rateWindow / 1000)} s`, 'rate_limited');
    if (this.byRequest.size >= this.maxLive) throw new CodeError('too many codes are live', 'full');
    recent.push(now);
    this.issuedAt.set(req.recipient, recent);
    // randomInt draws uniformly (rejection sampling) from the CSPRNG: no modulo bias.
    const code = randomInt(0, 10 ** digits)
      .toString()
      .padStart(digits, '0');
    const expiresAt = now + req.ttlMs;
    this.byRequest.set(req.requestId, {
      code: Buffer.from(code, 'ascii'),
      recipient: req.recipient,
      expiresAt,
      attempts: 0,
      state: 'live',
    });
    return { code, requestId: req.requestId, expiresAt };
  }

  /** Checks a guess. Any answer but `ok: true` means "do not authorise". */
  verify(requestId: string, guess: string): VerifyResult {
    const now = this.now();
    const e = this.byRequest.get(requestId);
    if (!e) return { ok: false, reason: 'unknown' };
    if (e.state === 'used') return { ok: false, reason: 'used' };
    if (e.state === 'locked') return { ok: false, reason: 'locked' };
    if (now >= e.expiresAt) return { ok: false, reason: 'expired' };
    const code = e.code!;
    // timingSafeEqual needs equal lengths: a guess of another length is compared against
    // the code itself (and then counted wrong), so the time taken does not depend on it.
    const g = Buffer.from(guess, 'utf8');
    const same = timingSafeEqual(g.length === code.length ? g : code, code) && g.length === code.length;
    if (same) {
      e.state = 'used';
      e.code = null;
      return { ok: true };
    }
    e.attempts++;
    if (e.attempts >= this.maxAttempts) {
      e.state = 'locked';
      e.code = null;
    }
    return { ok: false, reason: 'mismatch' };
  }

  /** Forgets the code (the delivery failed, or the platform cancelled the request). */
  revoke(requestId: string): void {
    this.byRequest.delete(requestId);
  }

  /** Number of codes held (live, used or locked, until they expire). */
  get size(): number {
    return this.byRequest.size;
  }

  /** Drops codes past expiry and rate-limit history past its window. */
  sweep(now = this.now()): void {
    for (const [rid, e] of this.byRequest) if (now >= e.expiresAt) this.byRequest.delete(rid);
    for (const [r, times] of this.issuedAt) {
      const keep = times.filter((t) => now - t < this.rateWindow);
      if (keep.length) this.issuedAt.set(r, keep);
      else this.issuedAt.delete(r);
    }
  }
}
