// Where a received file is written: a `.part` file claimed atomically (O_CREAT|O_EXCL, so
// neither an existing file nor a symlink planted under that name is ever followed or
// replaced), renamed by link()+unlink() when complete (link fails instead of replacing, where
// rename would overwrite). Names come from the sender, so they always go through
// safeFileName, and a taken name gets a numbered alternative ("photo (2).jpg").

import { closeSync, fstatSync, linkSync, lstatSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { numberedName, safeFileName, FALLBACK_NAME, MAX_NAME_BYTES } from '../common/filename';

export const PART = '.part';
/** Room for ".part" after the longest name, so the temp file fits in 255 bytes too. */
const NAME_BYTES = MAX_NAME_BYTES - PART.length;
const MAX_TRIES = 10_000;

export interface Claimed {
  /** The final path (the data goes to `path + PART` until complete). */
  path: string;
  fd: number;
}

function isCode(e: unknown, code: string): boolean {
  return !!e && typeof e === 'object' && 'code' in e && (e as { code: unknown }).code === code;
}

/** Any directory entry counts, a dangling symlink too (existsSync would follow it). */
function taken(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function fileError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Claims `name` (any sender-supplied string) inside `dir` under a safe, unused name. */
export function claimInFolder(dir: string, name: string): Claimed {
  const st = statSync(dir); // ENOENT / EACCES reach the caller as they are
  if (!st.isDirectory()) throw fileError('ENOTDIR', `${dir} is not a folder`);
  const safe = safeFileName(name, FALLBACK_NAME, NAME_BYTES);
  for (let n = 0; n < MAX_TRIES; n++) {
    const path = join(dir, numberedName(safe, n, NAME_BYTES));
    if (taken(path)) continue;
    try {
      return { path, fd: openSync(path + PART, 'wx+', 0o600) };
    } catch (e) {
      if (!isCode(e, 'EEXIST')) throw e;
    }
  }
  throw fileError('EEXIST', `no free name for ${safe} in ${dir}`);
}

/** Claims exactly `path` (the user chose it): refused if it or its `.part` exists. */
export function claimExact(path: string): Claimed {
  if (taken(path)) throw fileError('EEXIST', `${path} already exists`);
  return { path, fd: openSync(path + PART, 'wx+', 0o600) };
}

/** Reopens a partial download to continue it: its length is what was written. Null when the
 *  `.part` is gone (the user removed it): the transfer then starts over. */
export function reopenPart(path: string): { fd: number; size: number } | null {
  let fd: number;
  try {
    fd = openSync(path + PART, 'r+');
  } catch (e) {
    if (isCode(e, 'ENOENT')) return null;
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw fileError('EINVAL', `${path}${PART} is not a regular file`);
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Gives the complete `.part` its name; if that name was taken meanwhile, the next free
 *  numbered one in the same folder. Returns the final path. */
export function finish(path: string): string {
  const dir = dirname(path);
  const base = basename(path);
  for (let n = 0; n < MAX_TRIES; n++) {
    const target = n === 0 ? path : join(dir, numberedName(base, n, NAME_BYTES));
    try {
      linkSync(path + PART, target);
      unlinkSync(path + PART);
      return target;
    } catch (e) {
      if (!isCode(e, 'EEXIST')) throw e;
    }
  }
  throw fileError('EEXIST', `no free name for ${base} in ${dir}`);
}

/** Deletes a partial download (cancel, or the user chose not to keep it). */
export function removePart(path: string): void {
  try {
    unlinkSync(path + PART);
  } catch {
    /* already gone */
  }
}
