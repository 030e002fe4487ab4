import { strict as assert } from 'node:assert';
import type { TransferRecord } from '../../src/protocol/node';
import { expireRecords, MAX_RECORDS, RECORD_TTL_MS } from '../../src/node/transferRecords';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22);

function rec(n: number, created: number): TransferRecord {
  return {
    id: n.toString(16).padStart(64, '0'),
    dir: n % 2 ? 'send' : 'recv',
    peer: 'A'.repeat(64),
    name: `f${n}`,
    size: 10,
    path: `/tmp/f${n}`,
    created,
  };
}

describe('transfer records: expiry', () => {
  it('keeps records younger than the limit and expires older ones', () => {
    const young = rec(1, NOW - 29 * DAY);
    const edge = rec(2, NOW - RECORD_TTL_MS);
    const old = rec(3, NOW - RECORD_TTL_MS - 1);
    const ancient = rec(4, 0);
    const { keep, expired } = expireRecords([old, young, ancient, edge], NOW);
    assert.deepEqual(keep.map((r) => r.name).sort(), ['f1', 'f2']);
    assert.deepEqual(expired.map((r) => r.name).sort(), ['f3', 'f4']);
  });

  it('keeps a record dated in the future (the clock was set back)', () => {
    const { keep, expired } = expireRecords([rec(1, NOW + 400 * DAY)], NOW);
    assert.equal(keep.length, 1);
    assert.equal(expired.length, 0);
  });

  it('keeps at most the newest MAX_RECORDS', () => {
    const all = Array.from({ length: MAX_RECORDS + 5 }, (_, i) => rec(i, NOW - i * 1000));
    const { keep, expired } = expireRecords(all, NOW);
    assert.equal(keep.length, MAX_RECORDS);
    assert.deepEqual(
      expired.map((r) => r.name),
      ['f1000', 'f1001', 'f1002', 'f1003', 'f1004'],
    );
  });

  it('every record lands in exactly one of the two lists', () => {
    const all = [rec(1, NOW), rec(2, 5), rec(3, NOW - 2 * DAY)];
    const { keep, expired } = expireRecords(all, NOW, 1 * DAY, 10);
    assert.equal(keep.length + expired.length, all.length);
    assert.deepEqual(new Set([...keep, ...expired]), new Set(all));
    assert.deepEqual(
      keep.map((r) => r.name),
      ['f1'],
    );
  });
});
