// Loads libtoxcore, in this order: an explicit path (the `toxync.libtoxcorePath` setting or
// TOXYNC_LIBTOXCORE) → native-prebuilds/<platform>-<arch>/ → the system's library.
// If nothing loads, one error lists every attempt and how to fix it.

import koffi from 'koffi';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../sys/packageRoot';
import { bindLibc, bindTox, bindToxVersion } from './ffi';
import type { Native } from './tox';

/** The tox.h version these bindings mirror. */
export const TOX_API = { major: 0, minor: 2, patch: 23 } as const;

const SYSTEM_NAMES: Record<string, string[]> = {
  linux: ['libtoxcore.so.2'],
  darwin: ['libtoxcore.2.dylib', 'libtoxcore.dylib'],
  win32: ['libtoxcore-2.dll', 'toxcore.dll'],
};

export interface LoadedLibrary extends Native {
  path: string;
  version: string;
}

export class LibraryLoadError extends Error {
  override readonly name = 'LibraryLoadError';
  constructor(readonly attempts: { source: string; path: string; error: string }[]) {
    super(
      'libtoxcore could not be loaded. Tried:\n' +
        attempts.map((a) => `  - ${a.source}: ${a.path} → ${a.error}`).join('\n') +
        '\nFix: reinstall toxync (it ships libtoxcore in native-prebuilds/), rebuild it with `npm run prebuilds`, ' +
        `or point the \`toxync.libtoxcorePath\` setting / TOXYNC_LIBTOXCORE at a libtoxcore >= ${TOX_API.major}.${TOX_API.minor}.${TOX_API.patch} library.`,
    );
  }
}

let loaded: LoadedLibrary | null = null;

export function candidates(explicitPath?: string): { source: string; path: string }[] {
  const out: { source: string; path: string }[] = [];
  if (explicitPath) out.push({ source: 'toxync.libtoxcorePath setting', path: explicitPath });
  const env = process.env.TOXYNC_LIBTOXCORE;
  if (env) out.push({ source: 'TOXYNC_LIBTOXCORE', path: env });
  const names = SYSTEM_NAMES[process.platform] ?? ['libtoxcore.so.2'];
  try {
    const dir = join(packageRoot(), 'native-prebuilds', `${process.platform}-${process.arch}`);
    for (const n of names) out.push({ source: 'bundled prebuild', path: join(dir, n) });
  } catch {
    /* no package root: only explicit and system candidates */
  }
  for (const n of names) out.push({ source: 'system library', path: n });
  return out;
}

/** Loads once per process; later calls return the same library. */
export function loadLibtoxcore(explicitPath?: string): LoadedLibrary {
  if (loaded) return loaded;
  const attempts: { source: string; path: string; error: string }[] = [];
  for (const c of candidates(explicitPath)) {
    const isFile = c.path.includes('/') || c.path.includes('\\');
    if (isFile && !existsSync(c.path)) {
      attempts.push({ ...c, error: 'file not found' });
      continue;
    }
    try {
      const handle = koffi.load(c.path);
      const v = bindToxVersion(handle);
      const version = `${v.tox_version_major()}.${v.tox_version_minor()}.${v.tox_version_patch()}`;
      if (!v.tox_version_is_compatible(TOX_API.major, TOX_API.minor, TOX_API.patch)) {
        attempts.push({
          ...c,
          error: `version ${version} is not compatible with the tox.h ${TOX_API.major}.${TOX_API.minor}.${TOX_API.patch} API`,
        });
        continue;
      }
      loaded = { lib: bindTox(handle), libc: bindLibc(), path: c.path, version };
      return loaded;
    } catch (e) {
      attempts.push({ ...c, error: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new LibraryLoadError(attempts);
}
