// Big random test files in os.tmpdir() (deleted by the tests that make them), their hashes, and
// waiting for a download folder to hold given files.

import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';

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

/** Waits until `dir` holds exactly the files of `want` (name → sha256), ignoring `.part`
 *  files still being written; returns what it last saw, for the caller's assertion. */
export async function folderHashes(dir: string, want: Map<string, string>, ms: number): Promise<Map<string, string>> {
  const until = Date.now() + ms;
  let got = new Map<string, string>();
  while (Date.now() < until) {
    const names = readdirSync(dir).filter((n) => !n.endsWith('.part'));
    got = new Map(await Promise.all(names.map(async (n) => [n, await sha256File(join(dir, n))] as [string, string])));
    if (got.size === want.size && [...want].every(([n, h]) => got.get(n) === h)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return got;
}
