// Node only: loads the font shipped in media/fonts (DejaVu Sans Bold, licence beside it).
// Kept apart from the generator so the generator itself never touches the file system.

import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GifFont } from '../gif/font';

export const FONT_FILE = 'DejaVuSans-Bold.ttf';

/** media/fonts/<FONT_FILE> in the first folder above this bundle that has it (dist/, out/test/…). */
export function fontPath(from = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'media', 'fonts', FONT_FILE);
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`the GIF font (media/fonts/${FONT_FILE}) was not found above ${from}`);
}

let cached: GifFont | null = null;

/** The shipped font, parsed once per process. */
export function shippedFont(): GifFont {
  cached ??= new GifFont(readFileSync(fontPath()));
  return cached;
}
