// An RGB frame the styles paint on: rectangles and anti-aliased text over whatever is below.

import type { GifFont, Run } from './font';

export type Rgb = readonly [number, number, number];

export class Frame {
  /** RGBA, alpha always 255 (what the quantiser reads). */
  readonly px: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    bg: Rgb,
  ) {
    this.px = new Uint8Array(width * height * 4);
    this.rect(0, 0, width, height, bg);
  }

  rect(x: number, y: number, w: number, h: number, c: Rgb): void {
    const x0 = Math.max(0, Math.round(x)),
      y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w)),
      y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0; xx < x1; xx++) {
        const o = (yy * this.width + xx) * 4;
        this.px[o] = c[0];
        this.px[o + 1] = c[1];
        this.px[o + 2] = c[2];
        this.px[o + 3] = 255;
      }
    }
  }

  /** Draws a laid-out run with its pen at x and its baseline at y; `colour` per character. */
  text(font: GifFont, run: Run, x: number, y: number, colour: (i: number) => Rgb, upTo = Infinity): void {
    const by = Math.round(y);
    for (const g of run.glyphs) {
      if (g.i >= upTo) break;
      const { cov, dx } = font.coverage(g.glyph, run.size, x + g.x);
      if (cov) this.blend(cov.a, cov.w, cov.h, dx + cov.x, by + cov.y, colour(g.i));
    }
  }

  private blend(a: Float32Array, w: number, h: number, ox: number, oy: number, c: Rgb): void {
    for (let yy = Math.max(0, -oy); yy < h && oy + yy < this.height; yy++) {
      for (let xx = Math.max(0, -ox); xx < w && ox + xx < this.width; xx++) {
        const k = Math.min(1, a[yy * w + xx]!);
        if (k <= 0) continue;
        const o = ((oy + yy) * this.width + ox + xx) * 4;
        for (let ch = 0; ch < 3; ch++) this.px[o + ch] = Math.round(this.px[o + ch]! * (1 - k) + c[ch]! * k);
      }
    }
  }
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
}

/** Hue 0..1 at full saturation, value 1 (rainbow). */
export function hue(h: number): Rgb {
  const f = (n: number): number => {
    const k = (n + h * 6) % 6;
    return Math.round(255 * (1 - Math.max(0, Math.min(1, k, 4 - k))));
  };
  return [f(5), f(3), f(1)];
}

/** A smooth 0..1..0 wave over one period of p (polynomial, not Math.sin, whose last bits
 *  may differ between engines: the output must be the same bytes everywhere). */
export function wave(p: number): number {
  const t = p - Math.floor(p);
  const tri = t < 0.5 ? t * 2 : 2 - t * 2;
  return tri * tri * (3 - 2 * tri);
}
