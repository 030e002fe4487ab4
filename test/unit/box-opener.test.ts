// BoxOpener (src/core/store/crypto.ts) opens a conversation log's records through libsodium's raw
// module with one scratch area instead of the wrappers' per-call allocations: it must give
// exactly what `open` gives and refuse what `open` refuses.

import { strict as assert } from 'node:assert';
import { BoxOpener, DecryptError, open, seal } from '../../src/core/store/crypto';
import { sodium, type Sodium } from '../../src/core/store/sodium';

describe('BoxOpener', () => {
  let s: Sodium;
  let key: Uint8Array;
  const ad = new TextEncoder().encode('toxync/test/ad');
  before(async () => {
    s = await sodium();
    key = s.randombytes_buf(32);
  });

  it('opens exactly what open() opens, for short and long boxes and a growing scratch area', () => {
    const opener = new BoxOpener(s, key);
    try {
      for (const n of [0, 1, 63, 64, 1000, 70_000, 5]) {
        const plain = s.randombytes_buf(n);
        const box = seal(s, key, plain, ad);
        assert.deepEqual(opener.open(box, ad), open(s, key, box, ad));
        assert.deepEqual(opener.open(box, ad), plain);
      }
    } finally {
      opener.close();
    }
  });

  it('refuses an altered box, other associated data and another key, as open() does', () => {
    const box = seal(s, key, new TextEncoder().encode('hello'), ad);
    const altered = box.slice();
    altered[30]! ^= 1;
    const other = new BoxOpener(s, s.randombytes_buf(32));
    const opener = new BoxOpener(s, key);
    try {
      assert.throws(() => opener.open(altered, ad), DecryptError);
      assert.throws(() => open(s, key, altered, ad), DecryptError);
      assert.throws(() => opener.open(box, new TextEncoder().encode('other')), DecryptError);
      assert.throws(() => other.open(box, ad), DecryptError);
      assert.throws(() => opener.open(box.subarray(0, 39), ad), DecryptError);
      assert.deepEqual(opener.open(box, ad), new TextEncoder().encode('hello')); // still usable
    } finally {
      opener.close();
      other.close();
    }
  });

  it('after close() it refuses to open, and closing again is harmless', () => {
    const box = seal(s, key, new Uint8Array([1, 2, 3]), ad);
    const opener = new BoxOpener(s, key);
    assert.deepEqual(opener.open(box, ad), new Uint8Array([1, 2, 3]));
    opener.close();
    assert.throws(() => opener.open(box, ad), /closed/);
    opener.close();
  });
});
