import { strict as assert } from 'node:assert';
import { addressChecksum, makeToxId, parsePublicKey, parseToxId, toHex } from '../../src/sys/toxAddress';

// A real Tox ID produced by libtoxcore 0.2.18 (`toxync init`).
const REAL_ID = 'EF86D4135EC85014A04F8DA0BDFD69FA8AD83A75906B6BB0319A8BE5B0F38D6B13303F532C53';

describe('Tox IDs', () => {
  it('accepts an ID made by libtoxcore and round-trips it', () => {
    assert.equal(toHex(parseToxId(REAL_ID)), REAL_ID);
  });
  it('accepts lower case, surrounding spaces and a tox: prefix', () => {
    assert.equal(toHex(parseToxId(`  tox:${REAL_ID.toLowerCase()}\n`)), REAL_ID);
  });
  it('rejects a single mistyped character by checksum', () => {
    const bad = REAL_ID.slice(0, 10) + (REAL_ID[10] === 'A' ? 'B' : 'A') + REAL_ID.slice(11);
    assert.throws(() => parseToxId(bad), { name: 'RangeError', message: /checksum/ });
  });
  it('rejects wrong lengths, non-hex and non-strings with clear errors', () => {
    assert.throws(() => parseToxId(REAL_ID.slice(0, 74)), { name: 'RangeError', message: /76 hex characters, got 74/ });
    assert.throws(() => parseToxId(REAL_ID.slice(0, 75) + 'G'), { name: 'RangeError', message: /not hexadecimal/ });
    assert.throws(() => parseToxId(42), { name: 'TypeError' });
    assert.throws(() => parseToxId(''), { name: 'RangeError' });
  });
  it('builds IDs whose checksum libtoxcore agrees with', () => {
    const real = parseToxId(REAL_ID);
    const rebuilt = makeToxId(real.subarray(0, 32), real.readUInt32BE(32));
    assert.equal(toHex(rebuilt), REAL_ID);
    assert.deepEqual(addressChecksum(real), [real[36], real[37]]);
  });
  it('parses 64-hex public keys and rejects 76-hex IDs as keys', () => {
    assert.equal(parsePublicKey(REAL_ID.slice(0, 64)).length, 32);
    assert.throws(() => parsePublicKey(REAL_ID), RangeError);
  });
});
