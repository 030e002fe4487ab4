// WebP stills for the image checker (imageCheck.ts): libwebp compiled to wasm (@jsquash/webp),
// loaded from the .wasm file beside the bundle (never fetched). Before libwebp sees a byte, the
// RIFF container is walked here: every chunk must lie inside the file and inside the RIFF size
// it declares, exactly one VP8/VP8L bitstream must be present, and the size that bitstream
// itself declares (not only the VP8X canvas, which can lie) must pass the caps. Animated WebP
// is refused: this libwebp build exposes only the still decoder (WebPDecodeRGBA).

import { readFileSync } from 'node:fs';
import webpDecoderFactory from '@jsquash/webp/codec/dec/webp_dec.js';

interface Decoded {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}
interface WebpModule {
  decode(data: Uint8Array): Decoded | null;
}
type Factory = (opts: Record<string, unknown>) => Promise<WebpModule>;

/** Why a WebP is not decoded: the caller turns it into its own refusal. */
export class WebpRefused extends Error {}

let decoder: WebpModule | null = null;

/** Compiles and instantiates the wasm decoder once per process (the bytes come from `wasmPath`). */
export async function loadWebpDecoder(wasmPath: string): Promise<void> {
  if (decoder) return;
  const wasm = new WebAssembly.Module(readFileSync(wasmPath));
  decoder = await (webpDecoderFactory as unknown as Factory)({
    noInitialRun: true,
    // Without it the glue builds a URL from import.meta.url, which a CommonJS bundle lacks.
    locateFile: () => wasmPath,
    instantiateWasm: (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
      const instance = new WebAssembly.Instance(wasm, imports);
      done(instance);
      return instance.exports;
    },
  });
}

export const webpDecoderLoaded = (): boolean => decoder !== null;

const fourcc = (b: Uint8Array, i: number): string => String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
const u32le = (b: Uint8Array, i: number): number => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
const u24le = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);

/** Chunks beyond this are not a picture anyone sends; it keeps the walk short. */
const MAX_CHUNKS = 64;

export interface WebpLayout {
  /** Where the RIFF ends: bytes after it (a polyglot's payload) are never given to libwebp. */
  end: number;
  width: number;
  height: number;
}

function bitstreamSize(b: Uint8Array, tag: string, at: number, len: number): [number, number] {
  if (tag === 'VP8 ') {
    // Frame tag (3 bytes, bit 0 clear on a key frame), start code 9d 01 2a, then 14-bit sizes.
    if (len < 10 || (b[at]! & 1) !== 0 || b[at + 3] !== 0x9d || b[at + 4] !== 0x01 || b[at + 5] !== 0x2a)
      throw new WebpRefused('the WebP bitstream header is damaged');
    return [(b[at + 6]! | (b[at + 7]! << 8)) & 0x3fff, (b[at + 8]! | (b[at + 9]! << 8)) & 0x3fff];
  }
  if (len < 5 || b[at] !== 0x2f) throw new WebpRefused('the WebP bitstream header is damaged');
  const bits = u32le(b, at + 1);
  return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
}

/** The container's layout, after checking every chunk boundary; throws WebpRefused. */
export function webpLayout(b: Uint8Array): WebpLayout {
  if (b.length < 20 || fourcc(b, 0) !== 'RIFF' || fourcc(b, 8) !== 'WEBP') throw new WebpRefused('not a WebP file');
  const riff = u32le(b, 4);
  if (riff % 2 !== 0 || riff < 12) throw new WebpRefused('the WebP RIFF size is invalid');
  if (riff + 8 > b.length) throw new WebpRefused('the WebP is truncated (shorter than its RIFF size)');
  const end = riff + 8;
  let canvas: [number, number] | null = null;
  let image: [number, number] | null = null;
  let chunks = 0;
  for (let at = 12; at < end;) {
    if (++chunks > MAX_CHUNKS) throw new WebpRefused('the WebP has too many chunks');
    if (at + 8 > end) throw new WebpRefused('a WebP chunk header runs past the RIFF size');
    const tag = fourcc(b, at);
    const len = u32le(b, at + 4);
    const body = at + 8;
    if (len > end - body) throw new WebpRefused(`the WebP ${tag.trim() || 'chunk'} runs past the RIFF size`);
    if (tag === 'VP8X') {
      if (chunks !== 1 || len < 10) throw new WebpRefused('the WebP VP8X chunk is misplaced or short');
      if (b[body]! & 0x02) throw new WebpRefused('animated WebP pictures are not shown inline (only stills)');
      canvas = [u24le(b, body + 4) + 1, u24le(b, body + 7) + 1];
    } else if (tag === 'ANIM' || tag === 'ANMF') {
      throw new WebpRefused('animated WebP pictures are not shown inline (only stills)');
    } else if (tag === 'VP8 ' || tag === 'VP8L') {
      if (image) throw new WebpRefused('the WebP has more than one bitstream');
      image = bitstreamSize(b, tag, body, len);
    }
    at = body + len + (len & 1);
  }
  if (!image) throw new WebpRefused('the WebP has no image bitstream');
  if (canvas && (canvas[0] !== image[0] || canvas[1] !== image[1]))
    throw new WebpRefused(`the WebP canvas (${canvas[0]}×${canvas[1]}) and its bitstream (${image[0]}×${image[1]}) disagree`);
  return { end, width: image[0], height: image[1] };
}

/** RGBA pixels of a still WebP whose layout (and caps, by the caller) were checked. */
export function decodeWebpRgba(b: Uint8Array, layout: WebpLayout): Decoded {
  if (!decoder) throw new WebpRefused('the WebP decoder is not loaded');
  let out: Decoded | null;
  try {
    out = decoder.decode(b.subarray(0, layout.end));
  } catch (e) {
    // A wasm trap (out of bounds, unreachable) lands here: libwebp's memory is its own.
    throw new WebpRefused(`the WebP does not decode (${e instanceof Error ? e.message.slice(0, 120) : 'error'})`);
  }
  if (!out) throw new WebpRefused('the WebP does not decode');
  if (out.width !== layout.width || out.height !== layout.height || out.data.length !== out.width * out.height * 4)
    throw new WebpRefused('the WebP decoded to the wrong size');
  return out;
}
