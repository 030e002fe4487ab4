// File transfers, on the node side: the node reads and writes file bytes itself; only
// progress crosses the process boundary. Chunk requests are answered synchronously inside
// the callback (toxcore decides which positions it wants) from a 1 MiB read-ahead block;
// received chunks are gathered and written in 1 MiB blocks.

import { closeSync, existsSync, fstatSync, linkSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type { NodeEvent } from '../protocol/node';
import { FILE_KIND_DATA, FileControl, Tox } from './tox';

const BLOCK = 1 << 20;
const PROGRESS_MS = 250;
/** A sender that does not announce a size gets this much at most. */
export const STREAM_CAP = 1 << 30;

interface Outgoing {
  dir: 'send';
  friend: number;
  file: number;
  fd: number;
  size: number;
  block: Buffer;
  blockStart: number;
  blockLen: number;
  sent: number;
  lastProgress: number;
}

interface Incoming {
  dir: 'recv';
  friend: number;
  file: number;
  size: number | null;
  name: string;
  fd: number | null;
  path: string | null;
  block: Buffer | null;
  blockStart: number;
  blockLen: number;
  received: number;
  lastProgress: number;
}

type Transfer = Outgoing | Incoming;
const key = (friend: number, file: number, dir: 'send' | 'recv') => `${dir}:${friend}:${file}`;

export class FileEngine {
  private transfers = new Map<string, Transfer>();

  constructor(
    private readonly tox: Tox,
    private readonly emit: (e: NodeEvent) => void,
    private readonly kick: () => void,
  ) {
    tox.on('fileChunkRequest', (f, n, pos, len) => this.onChunkRequest(f, n, pos, len));
    tox.on('fileRecv', (f, n, kind, size, name) => this.onRecv(f, n, kind, size, name));
    tox.on('fileRecvChunk', (f, n, pos, data) => this.onRecvChunk(f, n, pos, data));
    tox.on('fileRecvControl', (f, n, c) => this.onControl(f, n, c));
  }

  /** Starts sending `path`. Only a base name (never the path) is told to the peer. */
  send(friend: number, path: string, name?: string): number {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new RangeError(`${path} is not a regular file`);
      const sentName = basename(name ?? path);
      const file = this.tox.fileSend(friend, FILE_KIND_DATA, st.size, sentName);
      this.transfers.set(key(friend, file, 'send'), {
        dir: 'send', friend, file, fd, size: st.size, block: Buffer.allocUnsafe(BLOCK), blockStart: 0, blockLen: 0, sent: 0, lastProgress: 0,
      });
      this.kick();
      return file;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Accepts an offered file into `path` (written as `path.part`, renamed when complete). */
  accept(friend: number, file: number, path: string): void {
    const t = this.transfers.get(key(friend, file, 'recv'));
    if (!t || t.dir !== 'recv') throw new RangeError(`no incoming file ${file} from friend ${friend}`);
    if (t.fd !== null) throw new RangeError(`file ${file} from friend ${friend} was already accepted`);
    // Never overwrite: neither the target nor a .part file may exist yet ('wx').
    if (existsSync(path)) throw Object.assign(new Error(`${path} already exists`), { code: 'EEXIST' });
    t.fd = openSync(`${path}.part`, 'wx', 0o600);
    t.path = path;
    t.block = Buffer.allocUnsafe(BLOCK);
    try {
      this.tox.fileControl(friend, file, 'resume');
    } catch (e) {
      this.finish(t);
      throw e;
    }
    this.kick();
  }

  control(friend: number, file: number, control: FileControl): void {
    const t = this.transfers.get(key(friend, file, 'recv')) ?? this.transfers.get(key(friend, file, 'send'));
    if (!t) throw new RangeError(`no file ${file} with friend ${friend}`);
    this.tox.fileControl(friend, file, control);
    if (control === 'cancel') this.finish(t);
    this.kick();
  }

  /** toxcore drops a friend's transfers silently when the friend goes offline. */
  friendOffline(friend: number): void {
    for (const t of [...this.transfers.values()]) {
      if (t.friend !== friend) continue;
      this.emit({ event: 'file_error', friend, file: t.file, direction: t.dir, message: 'friend went offline' });
      this.finish(t);
    }
  }

  dispose(): void {
    for (const t of [...this.transfers.values()]) this.finish(t);
  }

  private onChunkRequest(friend: number, file: number, pos: number, len: number): void {
    const t = this.transfers.get(key(friend, file, 'send'));
    if (!t || t.dir !== 'send') return;
    if (len === 0) {
      this.progress(t, true);
      this.emit({ event: 'file_done', friend, file, direction: 'send', path: '', bytes: t.sent });
      this.finish(t);
      return;
    }
    try {
      if (pos < t.blockStart || pos + len > t.blockStart + t.blockLen) {
        t.blockStart = pos;
        t.blockLen = readSync(t.fd, t.block, 0, Math.min(BLOCK, t.size - pos), pos);
      }
      const off = pos - t.blockStart;
      const n = Math.min(len, t.blockLen - off);
      if (n <= 0) throw new Error('file shrank while sending');
      this.tox.fileSendChunk(friend, file, pos, t.block.subarray(off, off + n));
      t.sent = Math.max(t.sent, pos + n);
      this.progress(t, false);
    } catch (e) {
      this.fail(t, e);
    }
  }

  private onRecv(friend: number, file: number, kind: number, size: number | null, name: string): void {
    if (kind !== FILE_KIND_DATA) {
      // Avatars (kind 1) are their own feature; until then decline them so the sender's
      // transfer does not hang (toxic sends its avatar to every new friend).
      try {
        this.tox.fileControl(friend, file, 'cancel');
      } catch {
        /* the transfer may already be gone */
      }
      return;
    }
    this.transfers.set(key(friend, file, 'recv'), {
      dir: 'recv', friend, file, size, name, fd: null, path: null, block: null, blockStart: 0, blockLen: 0, received: 0, lastProgress: 0,
    });
    this.emit({ event: 'file_recv', friend, file, kind: 'data', size, name });
  }

  private onRecvChunk(friend: number, file: number, pos: number, data: Buffer): void {
    const t = this.transfers.get(key(friend, file, 'recv'));
    if (!t || t.dir !== 'recv' || t.fd === null || !t.block) return;
    try {
      if (data.length === 0) {
        this.flush(t);
        closeSync(t.fd);
        t.fd = null;
        // link() fails with EEXIST instead of replacing a file that appeared meanwhile (rename would).
        linkSync(`${t.path}.part`, t.path!);
        unlinkSync(`${t.path}.part`);
        this.progress(t, true);
        this.emit({ event: 'file_done', friend, file, direction: 'recv', path: t.path!, bytes: t.received });
        this.finish(t);
        return;
      }
      const limit = t.size ?? STREAM_CAP;
      if (pos + data.length > limit) throw new RangeError(`peer sent more than the ${t.size === null ? 'stream cap' : 'announced size'}`);
      if (pos !== t.blockStart + t.blockLen || t.blockLen + data.length > BLOCK) this.flush(t);
      if (t.blockLen === 0) t.blockStart = pos;
      data.copy(t.block, t.blockLen);
      t.blockLen += data.length;
      t.received = Math.max(t.received, pos + data.length);
      this.progress(t, false);
    } catch (e) {
      this.fail(t, e);
    }
  }

  private onControl(friend: number, file: number, control: FileControl): void {
    const t = this.transfers.get(key(friend, file, 'send')) ?? this.transfers.get(key(friend, file, 'recv'));
    if (!t) return;
    this.emit({ event: 'file_control', friend, file, control });
    if (control === 'cancel') this.finish(t);
  }

  private flush(t: Incoming): void {
    if (t.fd === null || !t.block || t.blockLen === 0) return;
    let off = 0;
    while (off < t.blockLen) off += writeSync(t.fd, t.block, off, t.blockLen - off, t.blockStart + off);
    t.blockStart += t.blockLen;
    t.blockLen = 0;
  }

  private progress(t: Transfer, force: boolean): void {
    const now = Date.now();
    if (!force && now - t.lastProgress < PROGRESS_MS) return;
    t.lastProgress = now;
    const bytes = t.dir === 'send' ? t.sent : t.received;
    this.emit({ event: 'file_progress', friend: t.friend, file: t.file, direction: t.dir, bytes, size: t.size });
  }

  private fail(t: Transfer, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.emit({ event: 'file_error', friend: t.friend, file: t.file, direction: t.dir, message });
    try {
      this.tox.fileControl(t.friend, t.file, 'cancel');
    } catch {
      /* already gone */
    }
    this.finish(t);
  }

  /** Closes and forgets a transfer. An incomplete download keeps its `.part` file. */
  private finish(t: Transfer): void {
    this.transfers.delete(key(t.friend, t.file, t.dir));
    if (t.dir === 'send') closeSync(t.fd);
    else if (t.fd !== null) {
      try {
        this.flush(t);
      } finally {
        closeSync(t.fd);
        t.fd = null;
      }
    }
  }
}
