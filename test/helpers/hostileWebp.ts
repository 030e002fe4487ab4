// WebP files for the hostile-image corpus: real ones made by libwebp's own command-line tools
// (`cwebp`, `img2webp`: Debian's `webp` package, scripts/setup.sh) — a different build from the
// wasm decoder the checker uses — and hostile ones cut and rebuilt from them chunk by chunk.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import type { Hostile } from './hostileImages';

/** A textured RGBA PNG (varied bytes, so a copied run of the original would be seen). */
function texturedPng(w: number, h: number, alpha: boolean, shade = 0): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) {
    const x = i % w;
    const y = Math.floor(i / w);
    png.data[i * 4] = ((x * 255) / w + shade) & 0xff;
    png.data[i * 4 + 1] = (y * 255) / h;
    png.data[i * 4 + 2] = ((x ^ y) * 37) & 0xff;
    png.data[i * 4 + 3] = alpha ? (x * 4) & 0xff : 255;
  }
  return PNG.sync.write(png);
}

function run(tool: string, args: string[], dir: string): void {
  const r = spawnSync(tool, args, { cwd: dir, encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${tool} failed (install Debian's webp package: scripts/setup.sh): ${r.error?.message ?? r.stderr}`);
}

export interface RealWebps {
  lossy: Buffer;
  lossless: Buffer;
  /** Lossy with an alpha plane: VP8X + ALPH + VP8. */
  alpha: Buffer;
  animated: Buffer;
  /** The PNG the stills were made from (the lossless one decodes to exactly its pixels). */
  source: Buffer;
}

/** Real WebP files of w×h made by cwebp/img2webp. */
export function realWebps(w: number, h: number): RealWebps {
  const dir = mkdtempSync(path.join(tmpdir(), 'toxync-webp-'));
  try {
    const source = texturedPng(w, h, false);
    writeFileSync(path.join(dir, 'in.png'), source);
    writeFileSync(path.join(dir, 'alpha.png'), texturedPng(w, h, true));
    for (let i = 0; i < 3; i++) writeFileSync(path.join(dir, `f${i}.png`), texturedPng(w, h, false, i * 80));
    run('cwebp', ['-quiet', '-q', '80', 'in.png', '-o', 'lossy.webp'], dir);
    run('cwebp', ['-quiet', '-lossless', 'in.png', '-o', 'lossless.webp'], dir);
    run('cwebp', ['-quiet', '-q', '80', '-exact', 'alpha.png', '-o', 'alpha.webp'], dir);
    run('img2webp', ['-loop', '0', '-d', '100', 'f0.png', 'f1.png', 'f2.png', '-o', 'anim.webp'], dir);
    const read = (f: string) => readFileSync(path.join(dir, f));
    return { lossy: read('lossy.webp'), lossless: read('lossless.webp'), alpha: read('alpha.webp'), animated: read('anim.webp'), source };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function chunk(tag: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(tag, 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, body.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function riff(chunks: Buffer[], size?: number): Buffer {
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(size ?? body.length + 4, 4);
  head.write('WEBP', 8, 'ascii');
  return Buffer.concat([head, body]);
}

/** The chunks of a well-formed WebP (tag and body). */
function chunksOf(webp: Buffer): { tag: string; body: Buffer }[] {
  const out: { tag: string; body: Buffer }[] = [];
  for (let at = 12; at + 8 <= webp.length;) {
    const len = webp.readUInt32LE(at + 4);
    out.push({ tag: webp.toString('ascii', at, at + 4), body: webp.subarray(at + 8, at + 8 + len) });
    at += 8 + len + (len & 1);
  }
  return out;
}

function vp8x(w: number, h: number, flags = 0): Buffer {
  const b = Buffer.alloc(10);
  b[0] = flags;
  b.writeUIntLE(w - 1, 4, 3);
  b.writeUIntLE(h - 1, 7, 3);
  return chunk('VP8X', b);
}

export function hostileWebps(): Hostile[] {
  const { lossy, lossless, alpha, animated } = realWebps(64, 48);
  const bitstream = chunksOf(lossy).find((c) => c.tag === 'VP8 ')!;
  const vp8 = chunk('VP8 ', bitstream.body);
  const html = '<html><script>alert("webp-polyglot-html")</script></html>';
  // A VP8 bitstream whose own header claims 16383×16383 (the 14-bit maximum).
  const hugeBody = Buffer.from(bitstream.body);
  hugeBody.writeUInt16LE(0x3fff, 6);
  hugeBody.writeUInt16LE(0x3fff, 8);
  return [
    { name: 'WebP: a lossy still (control)', bytes: lossy, expect: 'shown' },
    { name: 'WebP: a lossless still (control)', bytes: lossless, expect: 'shown' },
    { name: 'WebP: a lossy still with alpha (control)', bytes: alpha, expect: 'shown' },
    { name: 'WebP: an animation (refused: stills only)', bytes: animated, expect: 'refused', reason: /animated WebP/ },
    { name: 'WebP: truncated', bytes: lossy.subarray(0, Math.floor(lossy.length / 2)), expect: 'refused', reason: /truncated/ },
    { name: 'WebP: truncated lossless', bytes: lossless.subarray(0, lossless.length - 40), expect: 'refused' },
    {
      name: 'WebP: a VP8X canvas that lies (16384×16384 over a 64×48 bitstream)',
      bytes: riff([vp8x(16384, 16384), vp8]),
      expect: 'refused',
      reason: /16384×16384/,
    },
    { name: 'WebP: a VP8X canvas that disagrees with its bitstream', bytes: riff([vp8x(32, 32), vp8]), expect: 'refused', reason: /disagree/ },
    { name: 'WebP: a bitstream that claims 16383×16383', bytes: riff([chunk('VP8 ', hugeBody)]), expect: 'refused', reason: /16383×16383/ },
    { name: 'WebP: a RIFF size past the end of the file', bytes: riff([vp8], 0x7ffffff0), expect: 'refused', reason: /truncated/ },
    { name: 'WebP: a RIFF size that cuts the bitstream', bytes: riff([vp8], 40), expect: 'refused', reason: /past the RIFF size/ },
    { name: 'WebP: an odd RIFF size', bytes: riff([vp8], vp8.length + 3), expect: 'refused', reason: /RIFF size/ },
    {
      name: 'WebP: a chunk size past the RIFF',
      bytes: riff([vp8, Buffer.from('EXIF\xff\xff\xff\x7fxx', 'binary')]),
      expect: 'refused',
      reason: /past the RIFF/,
    },
    { name: 'WebP: two bitstreams', bytes: riff([vp8, vp8]), expect: 'refused', reason: /more than one/ },
    { name: 'WebP: no bitstream', bytes: riff([chunk('EXIF', Buffer.from('x'))]), expect: 'refused' },
    {
      name: 'WebP: a damaged bitstream',
      bytes: riff([chunk('VP8 ', Buffer.concat([bitstream.body.subarray(0, 10), Buffer.alloc(bitstream.body.length - 10, 0xa5)]))]),
      expect: 'either',
    },
    { name: 'WebP: a .webp that is text', bytes: Buffer.from('RIFF? no: <html><script>alert(1)</script></html>\n'), expect: 'refused' },
    {
      name: 'polyglot: WebP + HTML after the RIFF',
      bytes: Buffer.concat([lossy, Buffer.from(html)]),
      expect: 'shown',
      markers: ['webp-polyglot-html', 'RIFF', 'VP8'],
    },
    {
      name: 'polyglot: WebP + HTML in an XMP chunk',
      bytes: riff([vp8x(64, 48, 0x04), vp8, chunk('XMP ', Buffer.from(html))]),
      expect: 'shown',
      markers: ['webp-polyglot-html', 'XMP'],
    },
  ];
}
