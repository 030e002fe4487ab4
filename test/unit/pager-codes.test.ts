// One-time codes: single use, expiry, attempt limit, rate limit, with a hand-driven clock.

import { strict as assert } from 'node:assert';
import { CodeBook, CodeError, MAX_CODE_TTL_MS } from '../../src/pager/codes';

const ALICE = 'A'.repeat(64);
const BOB = 'B'.repeat(64);

function book(over: ConstructorParameters<typeof CodeBook>[0] = {}) {
  const clock = { t: 1_000_000 };
  return { clock, codes: new CodeBook({ now: () => clock.t, ...over }) };
}

describe('one-time codes', () => {
  it('issues 6–8 digit codes from the CSPRNG, zero-padded', () => {
    const { codes } = book({ rateLimitCount: 1000 });
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const digits = 6 + (i % 3);
      const c = codes.issue({ recipient: ALICE, requestId: `r${i}`, ttlMs: 60_000, digits }).code;
      assert.match(c, new RegExp(`^[0-9]{${digits}}$`));
      seen.add(c);
    }
    assert.ok(seen.size > 295, 'codes do not repeat in practice');
  });

  it('verifies once, then fails the second time', () => {
    const { codes } = book();
    const { code } = codes.issue({ recipient: ALICE, requestId: 'login-1', ttlMs: 60_000 });
    assert.deepEqual(codes.verify('login-1', code), { ok: true });
    assert.deepEqual(codes.verify('login-1', code), { ok: false, reason: 'used' });
  });

  it('fails after expiry, even with the right code', () => {
    const { codes, clock } = book();
    const { code, expiresAt } = codes.issue({ recipient: ALICE, requestId: 'login-2', ttlMs: 30_000 });
    assert.equal(expiresAt, clock.t + 30_000);
    clock.t += 29_999;
    clock.t += 1;
    assert.deepEqual(codes.verify('login-2', code), { ok: false, reason: 'expired' });
    codes.sweep();
    assert.deepEqual(codes.verify('login-2', code), { ok: false, reason: 'unknown' });
    assert.equal(codes.size, 0, 'expired codes are dropped from memory');
  });

  it('locks after the attempt limit: the right code fails afterwards', () => {
    const { codes } = book({ maxAttempts: 3 });
    const { code } = codes.issue({ recipient: ALICE, requestId: 'login-3', ttlMs: 60_000 });
    const wrong = code === '000000' ? '000001' : '000000';
    assert.deepEqual(codes.verify('login-3', wrong), { ok: false, reason: 'mismatch' });
    assert.deepEqual(codes.verify('login-3', '12'), { ok: false, reason: 'mismatch' }); // other length counts too
    assert.deepEqual(codes.verify('login-3', `${code}0`), { ok: false, reason: 'mismatch' });
    assert.deepEqual(codes.verify('login-3', code), { ok: false, reason: 'locked' });
  });

  it('a wrong guess under the limit does not spoil the right one', () => {
    const { codes } = book({ maxAttempts: 3 });
    const { code } = codes.issue({ recipient: ALICE, requestId: 'login-4', ttlMs: 60_000 });
    codes.verify('login-4', code === '999999' ? '999998' : '999999');
    assert.deepEqual(codes.verify('login-4', code), { ok: true });
  });

  it('binds a code to its request id', () => {
    const { codes } = book();
    const a = codes.issue({ recipient: ALICE, requestId: 'req-a', ttlMs: 60_000 });
    const b = codes.issue({ recipient: ALICE, requestId: 'req-b', ttlMs: 60_000 });
    if (a.code !== b.code) assert.deepEqual(codes.verify('req-b', a.code), { ok: false, reason: 'mismatch' });
    assert.deepEqual(codes.verify('req-b', b.code), { ok: true });
    assert.deepEqual(codes.verify('nope', a.code), { ok: false, reason: 'unknown' });
    assert.throws(
      () => codes.issue({ recipient: ALICE, requestId: 'req-a', ttlMs: 60_000 }),
      (e: unknown) => e instanceof CodeError && e.code === 'conflict',
    );
  });

  it('rate-limits issuing per recipient within the window', () => {
    const { codes, clock } = book({ rateLimitCount: 3, rateLimitWindowMs: 60_000 });
    for (let i = 0; i < 3; i++) codes.issue({ recipient: ALICE, requestId: `a${i}`, ttlMs: 10_000 });
    assert.throws(
      () => codes.issue({ recipient: ALICE, requestId: 'a3', ttlMs: 10_000 }),
      (e: unknown) => e instanceof CodeError && e.code === 'rate_limited',
    );
    codes.issue({ recipient: BOB, requestId: 'b0', ttlMs: 10_000 }); // another recipient is not affected
    clock.t += 60_000;
    codes.issue({ recipient: ALICE, requestId: 'a4', ttlMs: 10_000 });
  });

  it('refuses TTLs over ten minutes, bad digit counts and bad request ids', () => {
    const { codes } = book();
    const bad = [
      { recipient: ALICE, requestId: 'x', ttlMs: MAX_CODE_TTL_MS + 1 },
      { recipient: ALICE, requestId: 'x', ttlMs: 0 },
      { recipient: ALICE, requestId: 'x', ttlMs: 60_000, digits: 5 },
      { recipient: ALICE, requestId: 'x', ttlMs: 60_000, digits: 9 },
      { recipient: ALICE, requestId: 'has space', ttlMs: 60_000 },
      { recipient: ALICE, requestId: '', ttlMs: 60_000 },
    ];
    for (const r of bad)
      assert.throws(
        () => codes.issue(r),
        (e: unknown) => e instanceof CodeError && e.code === 'invalid',
        JSON.stringify(r),
      );
    codes.issue({ recipient: ALICE, requestId: 'x', ttlMs: MAX_CODE_TTL_MS });
  });

  it('bounds the codes held at once', () => {
    const { codes } = book({ maxLive: 2, rateLimitCount: 100 });
    codes.issue({ recipient: ALICE, requestId: 'a', ttlMs: 10_000 });
    codes.issue({ recipient: BOB, requestId: 'b', ttlMs: 10_000 });
    assert.throws(
      () => codes.issue({ recipient: BOB, requestId: 'c', ttlMs: 10_000 }),
      (e: unknown) => e instanceof CodeError && e.code === 'full',
    );
  });
});
