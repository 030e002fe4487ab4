// The GIFs we send (gifCommand.ts) are files under globalStorage/sent-gifs/, named by their
// hash: a transfer reads its file while it runs and again when it resumes after a restart of
// either side, so the file must outlive the command. It must not outlive its transfers: a
// file goes when the last transfer that sends it has finished or been cancelled, and, at each
// start, any file older than SENT_GIF_MAX_AGE_MS that no outgoing transfer refers to (one left
// by a crash, a failed transfer, or a transfer whose record expired). "Refers to" is decided
// from the node's resume records of unfinished sends (kept in the store) and the outgoing
// transfers on screen (outgoingPathsOf). No `vscode` import: unit-tested.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { TransferRecord } from '../protocol/node';
import { isFinal, type Transfer } from '../core/chat/transferState';
import type { FileTransfers } from '../core/chat/fileTransfers';

/** Old enough that no send can be between writing its file and the node recording it. */
export const SENT_GIF_MAX_AGE_MS = 2 * 86_400_000;

const NAME = /^[0-9a-f]{32}\.gif$/;

/** The paths outgoing transfers still need (except the transfer with file id `exceptId`), or
 *  null while that is not known (the profile is locked: its records are not readable). */
export type OutgoingPaths = (exceptId?: string) => ReadonlySet<string> | null;

/** What outgoing transfers still read: the node's resume records of unfinished sends (null:
 *  not known, the profile is locked) and the unfinished outgoing transfers on screen. */
export function outgoingPathsOf(records: readonly TransferRecord[] | undefined, transfers: readonly Transfer[], exceptId?: string): Set<string> | null {
  if (!records) return null;
  const paths = new Set<string>();
  for (const r of records) if (r.dir === 'send' && r.id !== exceptId) paths.add(resolve(r.path));
  for (const t of transfers) if (t.dir === 'out' && t.path && !isFinal(t) && t.fileId !== exceptId) paths.add(resolve(t.path));
  return paths;
}

export class SentGifs {
  /** Files written for a send that has not been recorded yet (count per path). */
  private readonly pinned = new Map<string, number>();

  constructor(
    readonly dir: string,
    private readonly outgoing: OutgoingPaths,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps `gif` as a file and offers it with `send`; the file goes again if that fails. */
  async offer(gif: Uint8Array, send: (path: string) => Promise<unknown>): Promise<string> {
    const path = this.keep(gif);
    let sent = false;
    try {
      await send(path);
      sent = true;
    } finally {
      this.unpin(path);
      // Not offered (the node refused it): nothing will ever read this file.
      if (!sent) this.release(path);
    }
    return path;
  }

  /** Removes a file when an outgoing transfer of it finishes or is cancelled. */
  follow(files: Pick<FileTransfers, 'onChange'>): () => void {
    return files.onChange(({ transfer: t }) => {
      if (t.dir === 'out' && t.path && (t.state === 'done' || t.state === 'cancelled')) this.release(t.path, t.fileId ?? undefined);
    });
  }

  /** Writes `gif` (or finds it already there) and pins it until `unpin`. */
  private keep(gif: Uint8Array): string {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, `${createHash('sha256').update(gif).digest('hex').slice(0, 32)}.gif`);
    // Written again even if present: the new mtime keeps the age rule from taking a file just sent.
    writeFileSync(path, gif, { mode: 0o600 });
    this.pinned.set(path, (this.pinned.get(path) ?? 0) + 1);
    return path;
  }

  /** The send that `keep` was for has been recorded (or failed); `release` decides from now on. */
  private unpin(path: string): void {
    const n = (this.pinned.get(path) ?? 0) - 1;
    if (n > 0) this.pinned.set(path, n);
    else this.pinned.delete(path);
  }

  private ours(path: string): boolean {
    return dirname(resolve(path)) === resolve(this.dir) && NAME.test(basename(path));
  }

  /** The transfer with file id `fileId` sending `path` has ended: the file goes unless another
   *  transfer (or a send being started) still needs it. True if it was removed. */
  release(path: string, fileId?: string): boolean {
    if (!this.ours(path) || this.pinned.has(path)) return false;
    const refs = this.outgoing(fileId);
    if (!refs || refs.has(resolve(path))) return false;
    rmSync(path, { force: true });
    return true;
  }

  /** Removes files older than `maxAgeMs` that no outgoing transfer refers to; nothing while
   *  that is not known. Returns the names removed. */
  prune(maxAgeMs = SENT_GIF_MAX_AGE_MS): string[] {
    const refs = this.outgoing();
    if (!refs) return [];
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      if (!NAME.test(name) || this.pinned.has(path) || refs.has(resolve(path))) continue;
      try {
        const st = statSync(path);
        if (!st.isFile() || this.now() - st.mtimeMs < maxAgeMs) continue;
        rmSync(path, { force: true });
        removed.push(name);
      } catch {
        // Gone already, or unreadable: the next start tries again.
      }
    }
    return removed;
  }
}
