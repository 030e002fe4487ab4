// One painter per style: frame t of n, drawn from the options alone (no clock, no randomness),
// so the same options always give the same frames.

import { type Frame, hue, mix, type Rgb, wave } from './canvas';
import { drawable, type GifFont } from './font';
import type { GifOptions, GifStyle } from './options';

export interface Scene {
  font: GifFont;
  o: GifOptions;
  chars: string[];
  n: number;
}

type Painter = (f: Frame, s: Scene, t: number) => void;

/** The largest whole pixel size at which `chars` fits in maxW × maxH (at least 6). */
function fit(s: Scene, chars: readonly string[], maxW: number, maxH: number): number {
  let size = Math.max(6, Math.floor(maxH));
  const w = s.font.measure(chars, size);
  if (w > maxW) size = Math.max(6, Math.floor((size * maxW) / w));
  return size;
}

function baseline(s: Scene, size: number, cy: number): number {
  return cy + (size * s.font.capHeight) / 2;
}

/** Draws `chars` centred on (cx, cy) at `size`. */
function centred(f: Frame, s: Scene, chars: readonly string[], size: number, cx: number, cy: number, c: (i: number) => Rgb, upTo?: number): number {
  const run = s.font.layout(chars, size);
  const x = cx - run.width / 2;
  f.text(s.font, run, x, baseline(s, size, cy), c, upTo);
  return x;
}

const pad = (o: GifOptions): number => Math.max(2, Math.round(Math.min(o.width, o.height) * 0.08));

const PAINTERS: Record<GifStyle, Painter> = {
  marquee(f, s, t) {
    const { o } = s;
    const size = Math.max(6, Math.round(o.height * 0.5));
    const run = s.font.layout(s.chars, size);
    // Enters at the right edge and has just left at the left edge when the loop restarts.
    const x = o.width - ((o.width + run.width) * t) / s.n;
    f.text(s.font, run, x, baseline(s, size, o.height / 2), () => o.fg);
  },
  shake(f, s, t) {
    const { o } = s;
    const p = pad(o);
    const amp = Math.max(1, Math.round(Math.min(o.width, o.height) * 0.04));
    const size = fit(s, s.chars, o.width - 2 * p - 2 * amp, o.height * 0.55);
    const dx = Math.round(amp * (2 * wave((t * 3) / s.n + 0.25) - 1) * (t % 2 ? 1 : -1));
    const dy = Math.round(amp * (2 * wave((t * 5) / s.n) - 1));
    centred(f, s, s.chars, size, o.width / 2 + dx, o.height / 2 + dy, () => o.fg);
  },
  pulse(f, s, t) {
    const { o } = s;
    const k = wave(t / s.n);
    const full = fit(s, s.chars, o.width - 2 * pad(o), o.height * 0.6);
    const size = Math.max(6, Math.round(full * (0.75 + 0.25 * k)));
    centred(f, s, s.chars, size, o.width / 2, o.height / 2, () => mix(o.fg, o.accent, k));
  },
  typewriter(f, s, t) {
    const { o } = s;
    const size = fit(s, [...s.chars, '▌'], o.width - 2 * pad(o), o.height * 0.5);
    // Typed over the first three quarters, then held; the cursor blinks about twice a second.
    const shown = Math.min(s.chars.length, Math.floor((s.chars.length * t) / Math.max(1, Math.floor(s.n * 0.75))));
    const run = s.font.layout(s.chars, size);
    const x = o.width / 2 - run.width / 2;
    const by = baseline(s, size, o.height / 2);
    f.text(s.font, run, x, by, () => o.fg, shown);
    if (Math.floor((t * 4) / o.fps) % 2 === 0) {
      const cx = x + (shown < run.glyphs.length ? run.glyphs[shown]!.x : run.width);
      f.rect(cx + 1, by - size * s.font.capHeight, Math.max(2, size * 0.08), size * s.font.capHeight, o.accent);
    }
  },
  countdown(f, s, t) {
    const { o } = s;
    const p = pad(o);
    const left = o.seconds - Math.floor(t / o.fps);
    const textH = s.chars.length ? (o.height - 2 * p) * 0.3 : 0;
    if (textH) centred(f, s, s.chars, fit(s, s.chars, o.width - 2 * p, textH * 0.8), o.width / 2, p + textH / 2, () => o.fg);
    const digits = drawable(String(left));
    const numH = o.height - 2 * p - textH;
    // The number shrinks a little through each second: it visibly ticks.
    const within = (t % o.fps) / o.fps;
    const size = Math.max(6, Math.round(fit(s, digits, o.width - 2 * p, numH * 0.8) * (1 - 0.2 * within)));
    centred(f, s, digits, size, o.width / 2, p + textH + numH / 2, () => mix(o.accent, o.fg, within));
  },
  progress(f, s, t) {
    const { o } = s;
    const p = pad(o);
    const share = s.n > 1 ? t / (s.n - 1) : 1;
    const pct = drawable(`${Math.round(share * 100)}%`);
    const barH = Math.max(4, Math.round(o.height * 0.22));
    const barY = o.height - p - barH;
    if (s.chars.length) centred(f, s, s.chars, fit(s, s.chars, o.width - 2 * p, (barY - p) * 0.6), o.width / 2, (p + barY) / 2, () => o.fg);
    f.rect(p, barY, o.width - 2 * p, barH, mix(o.bg, o.fg, 0.2));
    f.rect(p, barY, Math.round((o.width - 2 * p) * share), barH, o.accent);
    const size = fit(s, pct, o.width - 2 * p, barH * 0.8);
    centred(f, s, pct, size, o.width / 2, barY + barH / 2, () => o.fg);
  },
  rainbow(f, s, t) {
    const { o } = s;
    const size = fit(s, s.chars, o.width - 2 * pad(o), o.height * 0.55);
    const len = Math.max(1, s.chars.length);
    centred(f, s, s.chars, size, o.width / 2, o.height / 2, (i) => hue((t / s.n + i / len) % 1));
  },
  badge(f, s, t) {
    const { o } = s;
    const label = drawable(o.label || 'status');
    const p = pad(o);
    const h = Math.max(12, Math.round(o.height * 0.4));
    const size0 = Math.max(6, Math.round(h * 0.55));
    const lw = s.font.measure(label, size0),
      vw = s.font.measure(s.chars, size0);
    const shrink = Math.min(1, (o.width - 2 * p - 4 * h * 0.3) / Math.max(1, lw + vw));
    const size = Math.max(6, Math.floor(size0 * shrink));
    const lbox = s.font.measure(label, size) + h * 0.6,
      vbox = s.font.measure(s.chars, size) + h * 0.6;
    const x0 = Math.round((o.width - lbox - vbox) / 2),
      y0 = Math.round((o.height - h) / 2);
    const grey: Rgb = [0x55, 0x55, 0x55];
    f.rect(x0, y0, lbox, h, grey);
    f.rect(x0 + lbox, y0, vbox, h, o.accent);
    // A light band sweeps across the value once per loop (and is off screen at the ends).
    const band = Math.max(3, Math.round(h * 0.5));
    const bx = x0 + lbox - band + ((vbox + band) * t) / s.n;
    for (let i = 0; i < band; i++) {
      const x = Math.round(bx + i);
      if (x >= x0 + lbox && x < x0 + lbox + vbox) f.rect(x, y0, 1, h, mix(o.accent, [255, 255, 255], 0.35 * wave(i / band)));
    }
    const white: Rgb = [255, 255, 255];
    centred(f, s, label, size, x0 + lbox / 2, y0 + h / 2, () => white);
    centred(f, s, s.chars, size, x0 + lbox + vbox / 2, y0 + h / 2, () => white);
  },
};

export function paint(f: Frame, s: Scene, t: number): void {
  PAINTERS[s.o.style](f, s, t);
}
