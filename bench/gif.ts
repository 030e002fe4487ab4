// `npm run bench` part: generating a default animated GIF (320×120, 3 s at 12 fps) per style
// with src/gif, against ImageMagick making the same frames (same font, text, positions and
// colours, one `convert` run writing a looping GIF) in the same run. Prints ms per style and
// the ratio. Asserts nothing.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fontPath, shippedFont } from '../src/node/gifFont';
import { makeGif, parseGifOptions, STYLE_NAMES, type GifOptions, type GifStyle } from '../src/gif/generate';

const RUNS = Number(process.env.BENCH_GIF_RUNS ?? 5);
const TEXT = 'LGTM ✓ build 42';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function time(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Real ImageMagick (a stand-in `convert` earlier on PATH is skipped). */
function convertBin(): string | null {
  for (const c of ['/usr/bin/convert', 'convert']) {
    try {
      if (/ImageMagick/.test(execFileSync(c, ['-version'], { encoding: 'utf8' })) && (c !== 'convert' || existsSync('/usr/bin/convert'))) return c;
    } catch {
      /* next */
    }
  }
  return null;
}

const hex = (c: readonly number[]): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** One frame of the style as ImageMagick arguments (an approximation of the same drawing). */
function imFrame(style: GifStyle, o: GifOptions, t: number, n: number): string[] {
  const p = t / n;
  const base = ['(', '-size', `${o.width}x${o.height}`, `xc:${hex(o.bg)}`, '-gravity', 'center'];
  const text = (size: number, fill: string, s: string, dx = 0, dy = 0): string[] => ['-pointsize', String(size), '-fill', fill, '-annotate', `+${dx}+${dy}`, s];
  const size = Math.round(o.height * 0.3);
  switch (style) {
    case 'marquee':
      return [...base, '-gravity', 'west', ...text(60, hex(o.fg), TEXT, Math.round(o.width - (o.width + 500) * p)), ')'];
    case 'shake':
      return [...base, ...text(size, hex(o.fg), TEXT, (t % 3) - 1, (t % 5) - 2), ')'];
    case 'pulse':
      return [...base, ...text(Math.round(size * (0.75 + 0.25 * Math.abs(1 - 2 * p))), hex(o.fg), TEXT), ')'];
    case 'typewriter':
      return [...base, ...text(size, hex(o.fg), [...TEXT].slice(0, Math.ceil(TEXT.length * p)).join('') || ' '), ')'];
    case 'countdown':
      return [...base, ...text(16, hex(o.fg), TEXT, 0, -40), ...text(60, hex(o.accent), String(o.seconds - Math.floor(t / o.fps)), 0, 15), ')'];
    case 'progress':
      return [
        ...base,
        '-fill',
        hex(o.accent),
        '-draw',
        `rectangle 10,85 ${10 + Math.round(300 * p)},110`,
        ...text(24, hex(o.fg), TEXT, 0, -20),
        ...text(18, hex(o.fg), `${Math.round(p * 100)}%`, 0, 37),
        ')',
      ];
    case 'rainbow':
      return [...base, ...text(size, `hsl(${Math.round(p * 360)},100%,50%)`, TEXT), ')'];
    case 'badge':
      return [
        ...base,
        '-fill',
        '#555555',
        '-draw',
        'rectangle 40,36 130,84',
        '-fill',
        hex(o.accent),
        '-draw',
        `rectangle 130,36 280,84`,
        ...text(26, 'white', 'build', -75, 0),
        ...text(26, 'white', 'passing', 45, 0),
        ')',
      ];
  }
}

function main(): void {
  const font = shippedFont();
  const im = convertBin();
  const dir = mkdtempSync(join(tmpdir(), 'toxync-bench-gif-'));
  console.log(
    `GIF generation, 320×120, 3 s at 12 fps (36 frames), median of ${RUNS}${im ? '; ImageMagick: one convert run, same frames' : '; ImageMagick not found'}`,
  );
  try {
    for (const style of STYLE_NAMES) {
      const raw = { style, text: TEXT, label: 'build', ...(style === 'badge' ? { theme: 'success' } : {}) };
      const o = parseGifOptions(raw);
      let bytes = 0;
      makeGif(font, raw); // warm-up: glyph caches and JIT, as a long-running node has them
      const ours = median(Array.from({ length: RUNS }, () => time(() => (bytes = makeGif(font, raw).length))));
      let line = `gif ${style.padEnd(10)} toxync ${ours.toFixed(1).padStart(7)} ms (${(bytes / 1024).toFixed(0)} KiB)`;
      if (im) {
        const n = o.seconds * o.fps;
        const args = ['-font', fontPath(), '-delay', String(Math.round(100 / o.fps)), '-loop', '0'];
        for (let t = 0; t < n; t++) args.push(...imFrame(style, o, t, n));
        const out = join(dir, `${style}.gif`);
        const theirs = median(Array.from({ length: Math.min(RUNS, 3) }, () => time(() => execFileSync(im, [...args, out]))));
        line += `  imagemagick ${theirs.toFixed(1).padStart(7)} ms  ratio ${(theirs / ours).toFixed(1)}× faster`;
      }
      console.log(line);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
