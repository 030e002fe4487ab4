import { strict as assert } from 'node:assert';
import { formatBytes, formatEta } from '../../src/common/units';

describe('units: sizes and time left', () => {
  it('formats sizes at each unit boundary', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1024), '1.0 KiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(3 * 2 ** 20), '3.0 MiB');
    assert.equal(formatBytes(2 ** 30 - 1), '1024.0 MiB');
    assert.equal(formatBytes(1.25 * 2 ** 30), '1.25 GiB');
  });

  it('says "unknown size" for streams and for values that are not sizes', () => {
    for (const v of [null, undefined, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(formatBytes(v), 'unknown size');
  });

  it('formats time left in seconds, minutes and hours, rounding up', () => {
    assert.equal(formatEta(0), '0 s left');
    assert.equal(formatEta(0.2), '1 s left');
    assert.equal(formatEta(59.5), '1 min 0 s left');
    assert.equal(formatEta(185), '3 min 5 s left');
    assert.equal(formatEta(3600), '1 h 0 min left');
    assert.equal(formatEta(7625), '2 h 7 min left');
  });

  it('is empty when the time left is unknown', () => {
    for (const v of [null, undefined, -5, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(formatEta(v), '');
  });
});
