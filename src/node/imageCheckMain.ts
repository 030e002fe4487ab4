// Entry of the image checker: a short-lived process the extension host forks to look at
// pictures (src/core/supervisor/imageChecker.ts). It holds no keys and loads no native code; if
// a hostile file makes a decoder spin or blow up, the host kills this process and starts
// another. One request at a time, over IPC.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { check } from '../protocol/guard';
import { type ImageCheckReply, imageCheckRequest } from '../protocol/imageCheck';
import * as path from 'node:path';
import { canonicalImage, ImageRefused } from './imageCheck';
import { loadWebpDecoder } from './webpDecode';

/** Below the host's own timeout, so a slow picture is usually refused with a reason. */
const DECODE_MS = 8000;

function readCapped(path: string, max: number): Buffer {
  // O_NOFOLLOW: the path is ours (a finished transfer), but a symlink put there later is not.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ImageRefused('not a regular file');
    if (st.size > max) throw new ImageRefused('larger than the inline picture limit (toxync.images.inlineMaxBytes)');
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

function handle(raw: unknown): ImageCheckReply | null {
  const req = check(imageCheckRequest, raw);
  if (!req.ok) return null;
  const { id, path, max_bytes } = req.value;
  try {
    const out = canonicalImage(readCapped(path, max_bytes), Date.now() + DECODE_MS);
    return { kind: 'ok', id, mime: out.mime, width: out.width, height: out.height, frames: out.frames, data: Buffer.from(out.data).toString('base64') };
  } catch (e) {
    const reason =
      e instanceof ImageRefused
        ? e.message
        : (e as NodeJS.ErrnoException)?.code
          ? `cannot read the file (${(e as NodeJS.ErrnoException).code})`
          : 'the picture does not decode';
    return { kind: 'refused', id, reason: reason.slice(0, 512) };
  }
}

// libwebp's wasm ships beside this bundle (scripts/build.mjs copies it into dist/). If it does
// not load, WebP pictures are refused with that reason and the other formats still work.
const webpReady = loadWebpDecoder(path.join(__dirname, 'webp_dec.wasm')).catch(() => undefined);

process.on('message', (raw: unknown) => {
  void webpReady.then(() => {
    const reply = handle(raw);
    if (reply) process.send?.(reply);
  });
});
process.on('disconnect', () => process.exit(0));
