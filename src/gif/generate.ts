// The GIF generator: options + a font in, an animated GIF (looping forever) out. Pure code
// (no node:fs, no vscode, no native addon), so the extension host, the CLI, the Tox node,
// the pager and a webview preview can all run it. Deterministic: the same options and font
// give the same bytes.

import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import { Frame } from './canvas';
import { drawable, type GifFont } from './font';
import { parseGifOptions, type GifOptions } from './options';
import { paint } from './styles';

export { GifFont } from './font';
export { GIF_STYLES, GIF_THEMES, GifOptionError, LIMITS, parseGifOptions, STYLE_NAMES, THEME_NAMES } from './options';
export type { GifOptions, GifStyle, GifThemeName } from './options';

/** Frames in a GIF made with these options. */
export function frameCount(o: GifOptions): number {
  return o.seconds * o.fps;
}

/** Makes the GIF. `options` is checked (parseGifOptions) unless already a GifOptions. */
export function makeGif(font: GifFont, options: unknown): Uint8Array {
  const o = parseGifOptions(options);
  const n = frameCount(o);
  const scene = { font, o, chars: drawable(o.text), n };
  const gif = GIFEncoder({ initialCapacity: 64 * 1024 });
  // GIF delays are in hundredths of a second: the nearest one to 1/fps.
  const delay = Math.max(2, Math.round(100 / o.fps)) * 10;
  for (let t = 0; t < n; t++) {
    const frame = new Frame(o.width, o.height, o.bg);
    paint(frame, scene, t);
    const palette = quantize(frame.px, 256, { format: 'rgb444' });
    const index = applyPalette(frame.px, palette, 'rgb444');
    gif.writeFrame(index, o.width, o.height, { palette, delay, repeat: 0 });
  }
  gif.finish();
  return gif.bytes();
}
