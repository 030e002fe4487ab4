// Reads a GIF back for the generator's tests: the header and logical screen read by hand,
// then every frame decoded by an independent decoder (omggif), which throws on bad LZW data.

import { strict as assert } from 'node:assert';
import { GifReader } from 'omggif';

export interface GifFacts {
  width: number;
  height: number;
  frames: number;
  /** NETSCAPE2.0 loop count: 0 is forever; null when absent. */
  loop: number | null;
  /** Every frame composed (RGBA, width × height). */
  pixels: Uint8Array[];
}

export function readGif(bytes: Uint8Array): GifFacts {
  const b = Buffer.from(bytes);
  assert.equal(b.toString('latin1', 0, 6), 'GIF89a', 'GIF89a signature');
  const width = b.readUInt16LE(6),
    height = b.readUInt16LE(8);
  assert.equal(b[b.length - 1], 0x3b, 'ends with the GIF trailer');
  const r = new GifReader(new Uint8Array(b));
  assert.equal(r.width, width);
  assert.equal(r.height, height);
  const pixels: Uint8Array[] = [];
  const canvas = new Uint8Array(width * height * 4);
  for (let i = 0; i < r.numFrames(); i++) {
    const f = r.frameInfo(i);
    assert.ok(f.x + f.width <= width && f.y + f.height <= height, `frame ${i} inside the screen`);
    r.decodeAndBlitFrameRGBA(i, canvas);
    pixels.push(canvas.slice());
  }
  return { width, height, frames: r.numFrames(), loop: r.loopCount(), pixels };
}

/** How many pixels of a frame differ from the colour of its top-left pixel. */
export function inked(px: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] !== px[0] || px[i + 1] !== px[1] || px[i + 2] !== px[2]) n++;
  return n;
}
