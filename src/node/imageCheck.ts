// Inline images: hostile bytes in, a canonical picture out. Runs only in the short-lived image
// checker process (imageCheckMain.ts), never in the extension host: a decoder bug or a bomb
// kills that process, nothing else. Every cap is checked on the header before any pixel is
// decoded, and again on what the decoder reports. The output is re-encoded from raw pixels
// (PNG for stills, GIF for animations), so no chunk, comment, EXIF block or trailing byte of
// the original survives.

import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { GifReader } from 'omggif';
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import { imageInfo, sniffImageType } from '../common/image';
import { gifLzwProblem } from './gifLzwCheck';
import { decodeWebpRgba, webpLayout, WebpRefused } from './webpDecode';

export const INLINE_MAX_SIDE = 4096;
export const INLINE_MAX_FRAMES = 300;
/** Width × height summed over every frame (a 4096² still is 16.8 M). */
export const INLINE_MAX_PIXELS = 40_000_000;
/** A canonical copy larger than this is not shown (it would travel as a data: URI). */
export const INLINE_MAX_OUTPUT = 16 * 2 ** 20;

export interface Canonical {
  mime: 'image/png' | 'image/gif';
  width: number;
  height: number;
  frames: number;
  data: Uint8Array;
}

/** Why a picture is not shown: the text is for the file card. */
export class ImageRefused extends Error {}

const refuse = (why: string): never => {
  throw new ImageRefused(why);
};

function checkSize(w: number, h: number, frames = 1): void {
  if (!(w >= 1 && h >= 1)) refuse('the image has no size');
  if (w > INLINE_MAX_SIDE || h > INLINE_MAX_SIDE) refuse(`the image is ${w}×${h} (at most ${INLINE_MAX_SIDE} px a side is shown)`);
  if (frames > INLINE_MAX_FRAMES) refuse(`the animation has ${frames} frames (at most ${INLINE_MAX_FRAMES} are shown)`);
  if (w * h * frames > INLINE_MAX_PIXELS) refuse('the image has too many pixels to show');
}

function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return PNG.sync.write(png, { colorType: 6 });
}

function decodePng(bytes: Buffer): Canonical {
  let img: { width: number; height: number; data: Buffer };
  try {
    img = PNG.sync.read(bytes, { checkCRC: true });
  } catch (e) {
    return refuse(`the PNG does not decode (${e instanceof Error ? e.message.slice(0, 120) : 'error'})`);
  }
  checkSize(img.width, img.height);
  if (img.data.length !== img.width * img.height * 4) refuse('the PNG decoded to the wrong size');
  return { mime: 'image/png', width: img.width, height: img.height, frames: 1, data: encodePng(img.width, img.height, img.data) };
}

function decodeJpeg(bytes: Buffer): Canonical {
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      tolerantDecoding: false,
      maxResolutionInMP: Math.ceil((INLINE_MAX_SIDE * INLINE_MAX_SIDE) / 1e6),
      maxMemoryUsageInMB: 256,
    });
  } catch (e) {
    return refuse(`the JPEG does not decode (${e instanceof Error ? e.message.slice(0, 120) : 'error'})`);
  }
  checkSize(img.width, img.height);
  if (img.data.length !== img.width * img.height * 4) refuse('the JPEG decoded to the wrong size');
  return { mime: 'image/png', width: img.width, height: img.height, frames: 1, data: encodePng(img.width, img.height, img.data) };
}

function decodeGif(bytes: Buffer, deadline: number): Canonical {
  let gif: GifReader;
  try {
    gif = new GifReader(bytes);
  } catch (e) {
    return refuse(`the GIF does not decode (${e instanceof Error ? e.message.slice(0, 120) : 'error'})`);
  }
  const { width: w, height: h } = gif;
  const n = gif.numFrames();
  checkSize(w, h, Math.max(1, n));
  if (n < 1) refuse('the GIF has no frames');
  const canvas = new Uint8Array(w * h * 4);
  // Frames go to the encoder as they are composited: one canvas in memory, not one per frame.
  const enc = n > 1 ? GIFEncoder() : null;
  let restore: Uint8Array | null = null;
  let prev: ReturnType<GifReader['frameInfo']> | null = null;
  try {
    for (let i = 0; i < n; i++) {
      if (Date.now() > deadline) refuse('the GIF took too long to decode');
      const f = gif.frameInfo(i);
      if (f.x + f.width > w || f.y + f.height > h) refuse('a GIF frame lies outside the picture');
      // The previous frame's disposal: 2 clears its rectangle, 3 restores what was there.
      if (prev?.disposal === 2) for (let y = prev.y; y < prev.y + prev.height; y++) canvas.fill(0, (y * w + prev.x) * 4, (y * w + prev.x + prev.width) * 4);
      else if (prev?.disposal === 3 && restore) canvas.set(restore);
      restore = f.disposal === 3 ? canvas.slice() : null;
      // omggif's LZW decoder loops forever on some invalid code streams: they are refused first.
      const lzw = gifLzwProblem(bytes, f.data_offset, f.width * f.height);
      if (lzw) refuse(lzw);
      gif.decodeAndBlitFrameRGBA(i, canvas);
      prev = f;
      if (!enc) continue;
      const rgba = canvas.slice();
      const palette = quantize(rgba, 256, { format: 'rgba4444' });
      const index = applyPalette(rgba, palette, 'rgba4444');
      const clear = palette.findIndex((c) => c[3] === 0);
      // Every frame is whole, so each replaces the last (dispose 2) rather than drawing over it.
      enc.writeFrame(index, w, h, {
        palette,
        delay: f.delay * 10,
        repeat: 0,
        dispose: 2,
        ...(clear >= 0 ? { transparent: true, transparentIndex: clear } : {}),
      });
    }
  } catch (e) {
    if (e instanceof ImageRefused) throw e;
    return refuse(`the GIF does not decode (${e instanceof Error ? e.message.slice(0, 120) : 'error'})`);
  }
  if (!enc) return { mime: 'image/png', width: w, height: h, frames: 1, data: encodePng(w, h, canvas) };
  enc.finish();
  return { mime: 'image/gif', width: w, height: h, frames: n, data: enc.bytes() };
}

function decodeWebp(bytes: Buffer): Canonical {
  try {
    const layout = webpLayout(bytes);
    // The bitstream's own size, not only the header's canvas, before libwebp allocates a pixel.
    checkSize(layout.width, layout.height);
    const img = decodeWebpRgba(bytes, layout);
    const rgba = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
    return { mime: 'image/png', width: img.width, height: img.height, frames: 1, data: encodePng(img.width, img.height, rgba) };
  } catch (e) {
    if (e instanceof WebpRefused) return refuse(e.message);
    throw e;
  }
}

/** The canonical copy of `bytes`, or an ImageRefused saying why not. */
export function canonicalImage(bytes: Buffer, deadline = Date.now() + 5000): Canonical {
  const mime = sniffImageType(bytes);
  if (!mime) return refuse('not a PNG, JPEG, GIF or WebP picture');
  // The header's own claim first: a 65535×65535 bomb is refused before anything is inflated.
  const info = imageInfo(bytes);
  if (!info) return refuse('the picture header is damaged or its size is out of range');
  checkSize(info.width, info.height);
  let out: Canonical;
  switch (mime) {
    case 'image/png':
      out = decodePng(bytes);
      break;
    case 'image/jpeg':
      out = decodeJpeg(bytes);
      break;
    case 'image/gif':
      out = decodeGif(bytes, deadline);
      break;
    case 'image/webp':
      out = decodeWebp(bytes);
      break;
  }
  if (out.data.length > INLINE_MAX_OUTPUT) refuse('the picture is too large to show inline');
  return out;
}
