// Big random test files in os.tmpdir() (deleted by the tests that make them) and their hashes.

import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';

/** Writes `bytes` random bytes to a new file; returns its SHA-256 (hex). */
export function makeRandomFile(path: string, bytes: number): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'wx', 0o600);
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let left = bytes; left > 0;) {
      const n = Math.min(left, buf.length);
      randomFillSync(buf, 0, n);
      const chunk = buf.subarray(0, n);
      hash.update(chunk);
      let off = 0;
      while (off < n) off += writeSync(fd, chunk, off, n - off);
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
