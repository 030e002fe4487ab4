// One writer per store: two VS Code windows (or a window and the CLI) share a profile folder,
// and two writers would interleave appends and run two Tox nodes with one identity.

import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from './storeErrors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class StoreLock {
  private held = true;
  private constructor(private readonly path: string) {}

  static acquire(dir: string): StoreLock {
    const path = join(dir, 'lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new StoreLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number.parseInt(readSafe(path), 10);
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
          throw new StoreError('BUSY', `the profile is open in another toxync process (pid ${pid})`);
        }
        // Stale (its process is gone) or our own from a previous, crashed session.
        try {
          unlinkSync(path);
        } catch {
          /* raced with another opener: the next attempt decides */
        }
      }
    }
    throw new StoreError('BUSY', 'the profile is being opened by another toxync process');
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}

function readSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(0, 20);
  } catch {
    return '';
  }
}
