// Inline-picture validation (issue 19): how long the image checker process takes to decode,
// check and re-encode a ~1 MB photo (JPEG → PNG) and a ~2 MB animated GIF (GIF → GIF), each
// measured from the host's side (request sent → verdict), median of BENCH_IMAGE_RUNS, with the
// checker process already started (as it is after the first picture of a conversation); and the
// same photo as a WebP (libwebp's wasm in the checker; made with Debian's cwebp, skipped without it).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as jpeg from 'jpeg-js';
import { GIFEncoder } from 'gifenc';
import { ImageChecker } from '../src/core/supervisor/imageChecker';

const RUNS = Number(process.env.BENCH_IMAGE_RUNS ?? 5);
const SCRIPT = resolve(__dirname, '../../dist/imagecheck.js');

/** Deterministic noise: photos and real GIFs do not compress to nothing. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24) & 0xff;
}

function photo(targetBytes: number): Buffer {
  const w = 1400;
  const h = 1000;
  const r = noise(1);
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const x = i % w;
    const y = (i / w) | 0;
    data[i * 4] = ((x * 255) / w + r() / 4) & 0xff;
    data[i * 4 + 1] = ((y * 255) / h + r() / 4) & 0xff;
    data[i * 4 + 2] = (((x ^ y) & 0xff) + r() / 8) & 0xff;
    data[i * 4 + 3] = 255;
  }
  for (let q = 60; q <= 100; q += 5) {
    const out = Buffer.from(jpeg.encode({ data, width: w, height: h }, q).data);
    if (out.length >= targetBytes || q === 100) return out;
  }
  throw new Error('unreachable');
}

function animation(targetBytes: number): Buffer {
  const w = 320;
  const h = 240;
  const r = noise(2);
  const palette = Array.from({ length: 256 }, (_, i) => [i, (i * 7) & 0xff, 255 - i]);
  const enc = GIFEncoder();
  let frames = 0;
  while (enc.bytes().length < targetBytes && frames < 300) {
    const idx = new Uint8Array(w * h);
    for (let i = 0; i < idx.length; i++) idx[i] = (i % w) + frames + (r() >> 5);
    enc.writeFrame(idx, w, h, { palette, delay: 80 });
    frames++;
  }
  enc.finish();
  return Buffer.from(enc.bytes());
}

/** The photo as a WebP (cwebp reads the JPEG), or null without cwebp. */
function webp(jpegBytes: Buffer, dir: string): Buffer | null {
  writeFileSync(join(dir, 'src.jpg'), jpegBytes);
  const r = spawnSync('cwebp', ['-quiet', '-q', '90', 'src.jpg', '-o', 'photo.webp'], { cwd: dir });
  if (r.error || r.status !== 0) {
    console.log('image check webp_photo: skipped (no cwebp: Debian package webp)');
    return null;
  }
  return readFileSync(join(dir, 'photo.webp'));
}

const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'toxync-bench-img-'));
  const checker = new ImageChecker(SCRIPT, { timeoutMs: 60_000 });
  const json: Record<string, unknown> = { bench: 'image_check', runs: RUNS };
  try {
    const jpegPhoto = photo(1_000_000);
    const webpPhoto = webp(jpegPhoto, dir);
    for (const [name, bytes] of [
      ['photo', jpegPhoto],
      ['animated_gif', animation(2_000_000)],
      ...(webpPhoto ? [['webp_photo', webpPhoto] as const] : []),
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const first = await checker.check(file, 64 * 2 ** 20); // warm-up: starts the process
      if (!first.ok) throw new Error(`${name}: ${first.reason}`);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const v = await checker.check(file, 64 * 2 ** 20);
        times.push(performance.now() - t0);
        if (!v.ok) throw new Error(`${name}: ${v.reason}`);
      }
      const ms = median(times);
      const frames = first.frames;
      console.log(
        `image check ${name.padEnd(13)} ${(bytes.length / 1e6).toFixed(2)} MB ${first.width}×${first.height}${frames > 1 ? ` ${frames} frames` : ''}: ${ms.toFixed(0)} ms (median of ${RUNS})`,
      );
      json[`${name}_bytes`] = bytes.length;
      json[`${name}_ms`] = Math.round(ms);
    }
  } finally {
    checker.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(json));
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
