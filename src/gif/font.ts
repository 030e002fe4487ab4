// Text for the generator: input cleaned to drawable code points, laid out with the font's
// advances and kerning, and rasterised glyph by glyph (cached per size and sub-pixel phase).
// A code point the font lacks is drawn as the font's .notdef box: visible, never an error.

import { parse, type Font, type Glyph } from 'opentype.js';
import { type Coverage, fill, flatten } from './raster';

/** Bidi controls, other format characters and variation selectors draw nothing useful (and
 *  some would reorder text): they are dropped; control characters become spaces. */
const INVISIBLE = /[\p{Cf}\p{Variation_Selector}]/gu;
const CONTROL = /\p{Cc}/gu;

/** Code points to draw; a lone surrogate becomes U+FFFD. */
export function drawable(text: string): string[] {
  const out: string[] = [];
  for (const ch of text.replace(CONTROL, ' ').replace(INVISIBLE, '')) {
    const c = ch.codePointAt(0)!;
    out.push(c >= 0xd800 && c <= 0xdfff ? '\uFFFD' : ch);
  }
  return out;
}

export interface Placed {
  glyph: Glyph;
  /** Pen x of the glyph, in pixels from the start of the run. */
  x: number;
  /** Index in the drawable code points (for per-character effects). */
  i: number;
}

export interface Run {
  glyphs: Placed[];
  width: number;
  size: number;
}

const PHASES = 4;
/** Cached coverage, in pixels (4 bytes each): pulse draws every glyph at many sizes. */
const CACHE_PIXELS = 8_000_000;

export class GifFont {
  private readonly font: Font;
  private readonly outlines = new Map<number, ReturnType<Glyph['getPath']>['commands']>();
  private readonly bitmaps = new Map<string, Coverage | null>();
  private cachedPixels = 0;

  /** `bytes`: a TrueType/OpenType file. Throws if it is not one. */
  constructor(bytes: Uint8Array) {
    const copy = bytes.slice().buffer;
    this.font = parse(copy);
    if (!(this.font.unitsPerEm > 0) || this.font.numGlyphs < 1) throw new RangeError('not a usable font');
  }

  /** Height of capitals as a fraction of the size (for centring text on its visible part).
   *  DejaVu's is 1493/2048; opentype.js does not expose OS/2 sCapHeight for it. */
  get capHeight(): number {
    return 0.73;
  }

  hasGlyph(ch: string): boolean {
    return this.font.charToGlyphIndex(ch) > 0;
  }

  layout(chars: readonly string[], size: number): Run {
    const scale = size / this.font.unitsPerEm;
    const glyphs: Placed[] = [];
    let x = 0;
    let prev: Glyph | null = null;
    chars.forEach((ch, i) => {
      const glyph = this.font.glyphs.get(this.font.charToGlyphIndex(ch));
      if (prev) x += this.font.getKerningValue(prev, glyph) * scale;
      glyphs.push({ glyph, x, i });
      x += (glyph.advanceWidth ?? 0) * scale;
      prev = glyph;
    });
    return { glyphs, width: x, size };
  }

  /** Width of `chars` at `size` pixels. */
  measure(chars: readonly string[], size: number): number {
    return this.layout(chars, size).width;
  }

  /** The glyph's coverage with its pen at (penX, baseline 0), penX's fraction kept to 1/4 px. */
  coverage(glyph: Glyph, size: number, penX: number): { cov: Coverage | null; dx: number } {
    const whole = Math.floor(penX);
    const phase = Math.floor((penX - whole) * PHASES) / PHASES;
    const key = `${glyph.index}/${size}/${phase}`;
    let cov = this.bitmaps.get(key);
    if (cov === undefined) {
      let cmds = this.outlines.get(glyph.index);
      if (!cmds) {
        cmds = glyph.getPath(0, 0, this.font.unitsPerEm).commands;
        this.outlines.set(glyph.index, cmds);
      }
      cov = fill(flatten(cmds, size / this.font.unitsPerEm, phase, 0));
      const area = cov ? cov.w * cov.h : 0;
      if (this.cachedPixels + area > CACHE_PIXELS) {
        this.bitmaps.clear();
        this.cachedPixels = 0;
      }
      this.cachedPixels += area;
      this.bitmaps.set(key, cov);
    }
    return { cov, dx: whole };
  }
}
