// The LZW pre-pass (src/node/gifLzwCheck.ts) in front of omggif: it passes every frame real
// encoders write and refuses the code streams that make omggif's decoder loop forever.

import { strict as assert } from 'node:assert';
import { GifReader, GifWriter } from 'omggif';
import { gifLzwProblem } from '../../src/node/gifLzwCheck';
import { animatedGif, hostileCorpus, texturedGif } from '../helpers/hostileImages';

function problems(gif: Buffer): (string | null)[] {
  const r = new GifReader(gif);
  return Array.from({ length: r.numFrames() }, (_, i) => {
    const f = r.frameInfo(i);
    return gifLzwProblem(gif, f.data_offset, f.width * f.height);
  });
}

/** omggif's table building, replayed on the stream (no output): whether some entry's prefix
 *  chain never reaches a literal, i.e. whether omggif's `while (chase > clear_code)` loops. */
function omggifTableCycles(b: Uint8Array, p: number, maxCodes: number): boolean {
  const min = b[p++]!;
  const clear = 1 << min;
  let next = clear + 2;
  let size = min + 1;
  let mask = (1 << size) - 1;
  let bit = (p + 1) * 8; // one sub-block, as gifWithLzw writes them here (< 255 bytes)
  const table = new Int32Array(4096);
  let prev: number | null = null;
  for (let n = 0; n < maxCodes && bit + size <= b.length * 8; n++) {
    let code = 0;
    for (let i = 0; i < size; i++, bit++) code |= ((b[bit >> 3]! >> (bit & 7)) & 1) << i;
    if (code === clear) {
      next = clear + 2;
      size = min + 1;
      mask = (1 << size) - 1;
      prev = null;
      continue;
    }
    if (code === clear + 1) break;
    const chaseFrom = code < next ? code : prev;
    let chase = chaseFrom ?? 0;
    for (let steps = 0; chase > clear; steps++) {
      if (steps > 4096) return true;
      chase = table[chase]! >> 8;
    }
    if (prev !== null && next < 4096) {
      table[next++] = (prev << 8) | chase;
      if (next >= mask + 1 && size < 12) {
        size++;
        mask = (mask << 1) | 1;
      }
    }
    prev = code;
  }
  return false;
}

describe('GIF LZW pre-pass', () => {
  it('passes every frame of real GIFs (gifenc: solid runs, a full 4096-entry table; omggif’s writer)', () => {
    assert.deepEqual(problems(animatedGif(32, 16, 3)), [null, null, null]);
    assert.deepEqual(problems(texturedGif(200, 150)), [null]);
    // omggif's own writer starts without a clear code: a different encoder's stream.
    const buf = Buffer.alloc(64 * 48 * 2 + 1024);
    const w = new GifWriter(buf, 64, 48, { palette: Array.from({ length: 16 }, (_, i) => i * 0x111111), loop: 0 });
    for (let f = 0; f < 2; f++)
      w.addFrame(
        0,
        0,
        64,
        48,
        Array.from({ length: 64 * 48 }, (_, i) => (i * (f + 3) + (i >> 6)) & 15),
      );
    assert.deepEqual(problems(buf.subarray(0, w.end())), [null, null]);
  });

  it('refuses codes past the dictionary, where omggif’s table would loop (positive control: it does)', () => {
    const cyclic = hostileCorpus().find((h) => h.name.startsWith('LZW: codes past the dictionary'))!.bytes;
    const r = new GifReader(cyclic);
    const at = r.frameInfo(0).data_offset;
    assert.ok(omggifTableCycles(cyclic, at, 100), 'omggif would chase a prefix loop on this stream');
    assert.match(problems(cyclic)[0] ?? '', /past its dictionary/);
    const good = texturedGif(40, 30);
    assert.ok(!omggifTableCycles(good, new GifReader(good).frameInfo(0).data_offset, 100), 'the replay sees no loop in a valid stream');
  });

  it('refuses a code size outside 1..8 and a frame with no data; stops where omggif stops', () => {
    const head = (min: number, data: number[]) => Buffer.from([min, data.length, ...data, 0]);
    assert.match(gifLzwProblem(head(12, [0xff]), 0, 64) ?? '', /code size is 12/);
    assert.match(gifLzwProblem(head(0, [0x55]), 0, 64) ?? '', /code size is 0/);
    assert.match(gifLzwProblem(Buffer.alloc(0), 0, 64) ?? '', /no image data/);
    // 3-bit codes, low bits first: clear (4), literal 1, then 7 (past the dictionary).
    const stream = head(2, [0xcc, 0x01]);
    // A 1-pixel frame is full before the bad code: omggif stops there and so does the pass.
    assert.equal(gifLzwProblem(stream, 0, 1), null);
    assert.match(gifLzwProblem(stream, 0, 64) ?? '', /past its dictionary/);
  });
});
