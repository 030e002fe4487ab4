// Finds the toxync package root from wherever the bundle runs (dist/, out/test/..., or an
// installed extension folder), so native-prebuilds/, data/ and dist/ resolve the same way.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | null = null;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'toxync') return (cached = dir);
      } catch {
        /* not ours; keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`toxync package root not found above ${__dirname}`);
    dir = up;
  }
}
