// Text the font cannot draw, or that should not be drawn at all: a missing glyph shows as
// the font's .notdef box (visible, never a crash); controls, bidi marks and variation
// selectors are dropped; a lone surrogate becomes U+FFFD.

import { strict as assert } from 'node:assert';
import { Frame } from '../../src/gif/canvas';
import { shippedFont } from '../../src/node/gifFont';
import { drawable } from '../../src/gif/font';
import { makeGif, STYLE_NAMES } from '../../src/gif/generate';
import { inked, readGif } from '../helpers/gifcheck';

const font = shippedFont();

/** Pixels inked by drawing `text` at 40 px on a 400×80 frame. */
function ink(text: string): number {
  const f = new Frame(400, 80, [0, 0, 0]);
  f.text(font, font.layout(drawable(text), 40), 10, 60, () => [255, 255, 255]);
  return inked(f.px);
}

describe('GIF text and missing glyphs', function () {
  this.timeout(60_000);

  it('covers Latin, Greek, Cyrillic and common symbols', () => {
    for (const ch of 'AzÄßéλΩЖя€✓→★©…') assert.ok(font.hasGlyph(ch), `${ch} is in the font`);
  });

  it('a missing glyph (CJK) is drawn as a visible box, not nothing', () => {
    assert.equal(font.hasGlyph('中'), false, 'positive control: the font really lacks it');
    assert.ok(ink('中') > 50, 'the .notdef box is inked');
    assert.ok(ink('中文') > ink('中'), 'each missing character gets its own box');
  });

  it('drops controls, bidi marks and variation selectors; lone surrogates become U+FFFD', () => {
    assert.deepEqual(drawable('a\u200Eb\u202Ec\u2066d\u2069'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(drawable('a\u0000b\tc\u007F'), ['a', ' ', 'b', ' ', 'c', ' ']);
    assert.deepEqual(drawable('❤\uFE0F'), ['❤']);
    assert.deepEqual(drawable('x\uD800y\uDC00'), ['x', '\uFFFD', 'y', '\uFFFD']);
    assert.deepEqual(drawable('😀'), ['😀']);
    assert.equal(ink('a\u200Fb'), ink('ab'), 'a bidi mark draws nothing');
    assert.ok(ink('\uD800') > 50, 'a lone surrogate shows as U+FFFD');
  });

  const hostile: [string, string][] = [
    ['empty text', ''],
    ['emoji with ZWJ sequences', '👩‍👩‍👧 🏳️‍🌈 😀'],
    ['CJK', '漢字かなカナ한국어'],
    ['lone surrogates', '\uD800\uDBFF\uDC00x\uDFFF'],
    ['control characters', '\u0000\u0001\u001b[31m\r\n\u0085'],
    ['bidi overrides', '\u202Eabc\u202C \u2067שלום\u2069 مرحبا'],
    ['very long text', 'W'.repeat(200)],
    ['combining marks', 'e\u0301\u0302\u0303\u0304'.repeat(20)],
  ];
  for (const [what, text] of hostile) {
    it(`every style survives ${what}`, () => {
      for (const style of STYLE_NAMES) {
        const gif = readGif(makeGif(font, { style, text, label: text.slice(0, 20), width: 120, height: 48, seconds: 1, fps: 4 }));
        assert.equal(gif.frames, 4, style);
      }
    });
  }
});
