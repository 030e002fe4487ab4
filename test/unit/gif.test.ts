// The GIF generator, style by style: a valid GIF that loops forever, animated (more than one
// frame, and the frames differ), every frame decodable, byte-identical for the same options,
// and small enough at the defaults.

import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { shippedFont } from '../../src/node/gifFont';
import { makeGif, STYLE_NAMES } from '../../src/gif/generate';
import { inked, readGif } from '../helpers/gifcheck';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('GIF generator styles', function () {
  this.timeout(60_000);
  const font = shippedFont();

  for (const style of STYLE_NAMES) {
    it(`${style}: valid, looping, animated, deterministic, ≤ 1 MB at the defaults`, () => {
      const opts = { style, text: 'LGTM ✓ Привет λ', label: 'build' };
      const bytes = makeGif(font, opts);
      const gif = readGif(bytes);
      assert.equal(gif.width, 320);
      assert.equal(gif.height, 120);
      assert.equal(gif.frames, 36, '3 s at 12 fps');
      assert.equal(gif.loop, 0, 'loops forever');
      assert.ok(bytes.length <= 1024 * 1024, `${bytes.length} bytes`);
      assert.ok(new Set(gif.pixels.map(sha)).size > 1, 'the frames differ');
      assert.ok(
        gif.pixels.some((p) => inked(p) > 200),
        'something is drawn',
      );
      assert.equal(sha(makeGif(font, { ...opts })), sha(bytes), 'same options, same bytes');
    });
  }

  it('honours size, seconds, fps and colours', () => {
    const gif = readGif(makeGif(font, { style: 'pulse', text: 'x', width: 64, height: 32, seconds: 2, fps: 5, bg: '#102030', fg: '#ffffff' }));
    assert.deepEqual([gif.width, gif.height, gif.frames], [64, 32, 10]);
    // The background colour survives quantisation (gifenc's rgb444 keeps 4 bits a channel).
    const p = gif.pixels[0]!;
    assert.ok(Math.abs(p[0]! - 0x10) <= 16 && Math.abs(p[1]! - 0x20) <= 16 && Math.abs(p[2]! - 0x30) <= 16, `${p[0]},${p[1]},${p[2]}`);
  });

  it('different text gives different bytes (the text is really drawn)', () => {
    assert.notEqual(sha(makeGif(font, { style: 'shake', text: 'yes' })), sha(makeGif(font, { style: 'shake', text: 'no' })));
  });

  it('countdown counts: its frames change once a second', () => {
    const gif = readGif(makeGif(font, { style: 'countdown', text: '', seconds: 3, fps: 2 }));
    assert.equal(gif.frames, 6);
    assert.notEqual(sha(gif.pixels[0]!), sha(gif.pixels[2]!));
  });
});
