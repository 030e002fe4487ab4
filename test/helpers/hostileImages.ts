// The hostile-image corpus, built in code (no binary fixtures): each entry is a file a peer
// could send, what it attacks, and the marker bytes that must never reach the webview.

import { deflateSync } from 'node:zlib';
import * as jpeg from 'jpeg-js';
import { GIFEncoder } from 'gifenc';
import { gifHeader, jpegHeader, png, pngChunk, webpLossless } from './images';

export interface Hostile {
  name: string;
  bytes: Buffer;
  /** Accepted outcomes: shown (re-encoded), refused, or either (decoder-defined). */
  expect: 'shown' | 'refused' | 'either';
  /** Bytes that must not appear in anything shown. */
  markers?: string[];
  /** When refused, the reason must match (a refusal for the wrong reason hides a missing check). */
  reason?: RegExp;
}

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(w: number, h: number, colorType = 2): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(w, 0);
  b.writeUInt32BE(h, 4);
  b[8] = 8;
  b[9] = colorType;
  return pngChunk('IHDR', b);
}

function rawPng(w: number, h: number, idat: Buffer): Buffer {
  return Buffer.concat([PNG_SIG, ihdr(w, h), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A real animated GIF of `frames` frames (w×h), each a different shade. Its LZW codes start
 *  at 2 bits (the checker's own encoder starts at 8), so a copied stream would be seen. */
export function animatedGif(w: number, h: number, frames: number): Buffer {
  const enc = GIFEncoder();
  const palette = [
    [0, 0, 0],
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
  ];
  for (let i = 0; i < frames; i++) enc.writeFrame(new Uint8Array(w * h).fill(i % 4), w, h, { palette, delay: 50, colorDepth: 2 });
  enc.finish();
  return Buffer.from(enc.bytes());
}

/** A one-frame GIF of noisy 256-colour texture: long LZW streams that fill the 4096-entry
 *  table, so the LZW pre-pass sees table growth, a full table and clear codes. */
export function texturedGif(w: number, h: number): Buffer {
  const enc = GIFEncoder();
  const palette = Array.from({ length: 256 }, (_, i) => [i, (i * 7) & 0xff, (i * 13) & 0xff]);
  const index = new Uint8Array(w * h);
  for (let i = 0; i < index.length; i++) index[i] = ((i % w) * 3 + Math.floor(i / w) * 5 + ((i * 2654435761) >>> 24)) & 0xff;
  enc.writeFrame(index, w, h, { palette });
  enc.finish();
  return Buffer.from(enc.bytes());
}

/** A real baseline JPEG with some texture (jpeg-js's encoder). */
export function photo(w: number, h: number, quality = 90): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const x = i % w;
    const y = Math.floor(i / w);
    data[i * 4] = (x * 255) / w;
    data[i * 4 + 1] = (y * 255) / h;
    data[i * 4 + 2] = ((x ^ y) * 37) & 0xff;
    data[i * 4 + 3] = 255;
  }
  return Buffer.from(jpeg.encode({ data, width: w, height: h }, quality).data);
}

/** A GIF whose one image's LZW stream is `lzw` (min code size `min`), 8×8, 4-colour palette. */
function gifWithLzw(min: number, lzw: Buffer): Buffer {
  const head = Buffer.from([...Buffer.from('GIF89a', 'ascii'), 8, 0, 8, 0, 0x81, 0, 0, ...Array<number>(12).fill(0x80)]);
  const desc = Buffer.from([0x2c, 0, 0, 0, 0, 8, 0, 8, 0, 0, min]);
  const blocks: Buffer[] = [];
  for (let i = 0; i < lzw.length; i += 255) {
    const part = lzw.subarray(i, i + 255);
    blocks.push(Buffer.from([part.length]), part);
  }
  return Buffer.concat([head, desc, ...blocks, Buffer.from([0, 0x3b])]);
}

export function hostileCorpus(): Hostile[] {
  const good = png(64, 48);
  const gif3 = animatedGif(32, 16, 3);
  const js = '*/=1;alert("gif-polyglot-js");/*';
  const html = '<html><script>alert("png-polyglot-html")</script></html>';
  const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'binary'), Buffer.from('zip-polyglot-payload.txt'), Buffer.alloc(64, 7)]);
  const withText = Buffer.concat([good.subarray(0, 33), pngChunk('tEXt', Buffer.from(`Comment\0${html}`)), good.subarray(33)]);
  const gifJs = Buffer.concat([gif3, Buffer.from(js)]);
  // The classic GIF/JS trick puts "/*" in the width field: 0x2f2a = 10799 px, refused by size.
  const gifJsHeader = Buffer.concat([Buffer.from('GIF89a/*', 'ascii'), gif3.subarray(8), Buffer.from(js)]);
  return [
    { name: 'a well-formed PNG (control)', bytes: good, expect: 'shown' },
    { name: 'a well-formed 3-frame GIF (control)', bytes: gif3, expect: 'shown' },
    { name: 'a well-formed JPEG (control)', bytes: photo(40, 30), expect: 'shown' },
    { name: 'a truncated PNG', bytes: good.subarray(0, Math.floor(good.length / 2)), expect: 'refused' },
    { name: 'a truncated JPEG', bytes: photo(64, 64).subarray(0, 300), expect: 'either' },
    { name: 'a truncated GIF', bytes: gif3.subarray(0, gif3.length - 20), expect: 'either' },
    { name: 'a PNG whose IHDR claims more rows than its data has', bytes: rawPng(64, 4000, deflateSync(Buffer.alloc(65 * 3 * 10))), expect: 'either' },
    { name: 'a PNG with a bad CRC', bytes: Buffer.from(good).fill(0, good.length - 20, good.length - 16), expect: 'refused' },
    { name: 'a 65535×65535 PNG header', bytes: rawPng(65535, 65535, deflateSync(Buffer.alloc(100))), expect: 'refused' },
    { name: 'a 65535×65535 GIF header', bytes: gifHeader(65535, 65535), expect: 'refused' },
    { name: 'a 65535×65535 JPEG header', bytes: jpegHeader(65535, 65535), expect: 'refused' },
    { name: 'a 5000×5000 PNG (beyond 4096 a side)', bytes: rawPng(5000, 5000, deflateSync(Buffer.alloc(5001 * 3 * 8))), expect: 'refused' },
    // 64×64 declared, ~200 MB of zeros inflated: the inflater must stop at the image size.
    { name: 'a PNG decompression bomb', bytes: rawPng(64, 64, deflateSync(Buffer.alloc(200 * 2 ** 20), { level: 9 })), expect: 'refused' },
    { name: 'a GIF with 5,000 frames', bytes: animatedGif(2, 2, 5000), expect: 'refused' },
    { name: 'a GIF with 301 frames', bytes: animatedGif(4, 4, 301), expect: 'refused' },
    { name: 'LZW: minimum code size 12', bytes: gifWithLzw(12, Buffer.alloc(40, 0xff)), expect: 'either' },
    { name: 'LZW: minimum code size 0', bytes: gifWithLzw(0, Buffer.alloc(40, 0x55)), expect: 'either' },
    // omggif 1.0.10 loops forever on this one (its prefix chain cycles): the LZW pre-pass refuses it.
    {
      name: 'LZW: codes past the dictionary (a cyclic code table)',
      bytes: gifWithLzw(2, Buffer.alloc(300, 0xff)),
      expect: 'refused',
      reason: /past its dictionary/,
    },
    // clear (4), then 6: the next free entry, with no previous code to build it from.
    {
      name: 'LZW: a first code that is the next free entry',
      bytes: gifWithLzw(2, Buffer.from([0x34, 0, 0, 0])),
      expect: 'refused',
      reason: /past its dictionary/,
    },
    { name: 'LZW: a textured 256-colour GIF (control)', bytes: texturedGif(96, 64), expect: 'shown' },
    { name: 'LZW: no data at all', bytes: gifWithLzw(2, Buffer.alloc(0)), expect: 'either' },
    {
      name: 'LZW: a dictionary that fills without a clear code',
      bytes: gifWithLzw(2, Buffer.from(Array.from({ length: 6000 }, (_, i) => (i * 73) & 0xff))),
      expect: 'either',
    },
    { name: 'polyglot: GIF + JavaScript after the trailer', bytes: gifJs, expect: 'shown', markers: ['gif-polyglot-js'] },
    { name: 'polyglot: GIF/JS with "/*" as the width', bytes: gifJsHeader, expect: 'refused', markers: ['gif-polyglot-js'] },
    {
      name: 'polyglot: PNG + HTML in a tEXt chunk',
      bytes: withText,
      expect: 'shown',
      markers: ['png-polyglot-html', 'tEXt'],
    },
    { name: 'polyglot: PNG + HTML after IEND', bytes: Buffer.concat([withText, Buffer.from(html)]), expect: 'either', markers: ['png-polyglot-html'] },
    {
      name: 'polyglot: JPEG with a trailing zip',
      bytes: Buffer.concat([photo(48, 32), zip]),
      expect: 'shown',
      markers: ['zip-polyglot-payload', 'PK\x03\x04'],
    },
    { name: 'a .png that is text', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'), expect: 'refused' },
    { name: 'a WebP header with no picture data', bytes: webpLossless(16, 16), expect: 'refused' },
    { name: 'empty file', bytes: Buffer.alloc(0), expect: 'refused' },
  ];
}

/** Whether `out` carries a run of `original` long and varied enough not to be a coincidence
 *  (signatures, zero runs and small headers repeat between any two files of a format). */
export function carriesOriginal(out: Uint8Array, original: Uint8Array, win = 48): boolean {
  const seen = new Set<string>();
  const o = Buffer.from(out);
  for (let i = 0; i + win <= o.length; i++) seen.add(o.subarray(i, i + win).toString('latin1'));
  const src = Buffer.from(original);
  for (let i = 0; i + win <= src.length; i++) {
    const w = src.subarray(i, i + win);
    if (new Set(w).size < 12) continue;
    if (seen.has(w.toString('latin1'))) return true;
  }
  return false;
}
