// Where a node's Tox savedata lives on disk, and how it gets there safely.
// Encryption at rest is its own issue; until then a plain profile exists only when the
// caller explicitly asks for it (`--insecure-plain-profile`), never by default.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PLAIN_PROFILE = 'profile.tox';

/** temp file → fsync → rename → fsync(dir): a crash leaves either the old or the new file. */
export function writeFileAtomic(path: string, data: Uint8Array, mode = 0o600): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* best effort */
    }
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* directories cannot be fsynced on every platform */
  }
}

export class PlainProfile {
  constructor(readonly dir: string) {}

  get path(): string {
    return join(this.dir, PLAIN_PROFILE);
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  load(): Buffer | null {
    return this.exists() ? readFileSync(this.path) : null;
  }

  save(savedata: Uint8Array): void {
    writeFileAtomic(this.path, savedata);
  }
}
