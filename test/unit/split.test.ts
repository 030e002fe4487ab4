import { strict as assert } from 'node:assert';
import { splitMessage } from '../../src/tox/split';

const MAX = 1372; // tox_max_message_length() in 0.2.23

function isValidUtf8(b: Buffer): boolean {
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b);
}

describe('splitting messages at tox_max_message_length()', () => {
  it('keeps a short message whole', () => {
    assert.deepEqual(splitMessage('hi', MAX).map(String), ['hi']);
  });
  it('never exceeds the limit and never cuts a multibyte character', () => {
    for (const unit of ['é', '€', '𝄞', 'a€𝄞']) {
      const text = unit.repeat(2000);
      const parts = splitMessage(text, MAX);
      assert.ok(parts.length > 1);
      for (const p of parts) {
        assert.ok(p.length <= MAX && p.length > 0, `part of ${p.length} bytes`);
        assert.ok(isValidUtf8(p), 'part is valid UTF-8');
      }
      assert.equal(Buffer.concat(parts).toString('utf8'), text);
    }
  });
  it('splits exactly at the limit when a 4-byte character straddles it', () => {
    const text = 'a'.repeat(MAX - 2) + '𝄞' + 'b';
    const parts = splitMessage(text, MAX);
    assert.equal(parts[0]!.length, MAX - 2);
    assert.equal(Buffer.concat(parts).toString(), text);
  });
  it('prefers a newline, then a space, near the end of a chunk', () => {
    const withNl = 'x'.repeat(1200) + '\n' + 'y'.repeat(500);
    assert.equal(splitMessage(withNl, MAX)[0]!.toString(), 'x'.repeat(1200) + '\n');
    const withSp = 'x'.repeat(1100) + ' ' + 'y'.repeat(500);
    assert.equal(splitMessage(withSp, MAX)[0]!.toString(), 'x'.repeat(1100) + ' ');
    // A space early in the chunk is not worth a tiny first part.
    const early = 'x'.repeat(10) + ' ' + 'y'.repeat(2000);
    assert.equal(splitMessage(early, MAX)[0]!.length, MAX);
  });
  it('rejects a nonsensical limit', () => {
    assert.throws(() => splitMessage('x', 0), RangeError);
  });
});
