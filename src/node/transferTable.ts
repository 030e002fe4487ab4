// The live file transfers of the node and their resume records, shared by the sending
// (fileSend.ts) and receiving (fileRecv.ts) halves of the FileEngine: both directions end the
// same ways (done, cancelled, failed, friend gone), so how a transfer ends lives here too.

import { closeSync, fstatSync, writeSync } from 'node:fs';
import type { NodeEvent, TransferRecord } from '../protocol/node';
import { logCode } from '../protocol/errcode';
import { PART, removePart } from './receiveTarget';
import type { Tox } from '../tox/tox';
import type { TransferJournal } from './transferRecords';

export const BLOCK = 1 << 20;
const PROGRESS_MS = 250;
/** A sender that does not announce a size gets this much at most. */
export const STREAM_CAP = 1 << 30;
/** The `file` of events about a transfer that has no toxcore file number (not offered yet). */
export const NO_FILE = 0xffffffff;
/** Errors after which a partial download is worth keeping: the disk, not the data, failed. */
const KEEP_PARTIAL = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EACCES', 'EPERM', 'EFBIG']);

export interface Outgoing {
  dir: 'send';
  rec: TransferRecord;
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

export interface Incoming {
  dir: 'recv';
  friend: number;
  file: number;
  size: number | null;
  name: string;
  fileId: string;
  /** Set once accepted (or resumed): the transfer is then persistent. */
  rec: TransferRecord | null;
  fd: number | null;
  block: Buffer | null;
  blockStart: number;
  blockLen: number;
  received: number;
  lastProgress: number;
  /** Most bytes accepted: the announced size, or a cap for unknown-size streams. */
  limit: number;
  sniffed: boolean;
}

export type Transfer = Outgoing | Incoming;
export type Dir = 'send' | 'recv';

export const liveKey = (friend: number, file: number, dir: Dir) => `${dir}:${friend}:${file}`;
export const recKey = (dir: Dir, peer: string, id: string) => `${dir}:${peer}:${id}`;
export const errCode = (e: unknown): string =>
  e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : 'failed';
export const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
export const fail = (code: string, msg: string): Error => Object.assign(new Error(msg), { code });

/** What the two halves need from the node: toxcore, the event stream, the loop. */
export interface FileDeps {
  readonly tox: Tox;
  readonly emit: (e: NodeEvent) => void;
  readonly kick: () => void;
  readonly log: (level: 'info' | 'warn', m: string) => void;
}

export class TransferTable {
  readonly live = new Map<string, Transfer>();
  readonly records = new Map<string, TransferRecord>();
  /** Bytes put on the wire per outgoing record, over all attempts (resume accounting). */
  readonly wire = new Map<string, number>();
  readonly online = new Set<number>();
  /** The transfer the last chunk belonged to: consecutive chunks almost always share one, and
   *  this spares building a string key ~30,000 times a second. */
  private recent: Transfer | null = null;

  constructor(
    private readonly deps: FileDeps,
    private readonly journal: TransferJournal,
  ) {}

  save(): void {
    try {
      this.journal.save([...this.records.values()]);
    } catch (e) {
      this.deps.log('warn', `saving the transfer records failed: ${logCode(e)}`);
    }
  }

  addRecord(r: TransferRecord): void {
    this.records.set(recKey(r.dir, r.peer, r.id), r);
    this.save();
  }

  dropRecord(r: TransferRecord | null): void {
    if (r && this.records.delete(recKey(r.dir, r.peer, r.id))) {
      this.wire.delete(recKey(r.dir, r.peer, r.id));
      this.save();
    }
  }

  peerOf(friend: number): string {
    return this.deps.tox.friendPublicKey(friend).toUpperCase();
  }

  liveByRecord(r: TransferRecord): Transfer | undefined {
    for (const t of this.live.values()) {
      const tr = t.rec;
      if (tr && tr.id === r.id && tr.dir === r.dir && tr.peer === r.peer) return t;
    }
    return undefined;
  }

  /** The live transfer a chunk callback is about (see `recent`). */
  lookup(friend: number, file: number, dir: Dir): Transfer | undefined {
    const r = this.recent;
    if (r && r.friend === friend && r.file === file && r.dir === dir) return r;
    const t = this.live.get(liveKey(friend, file, dir));
    if (t) this.recent = t;
    return t;
  }

  forget(key: string): void {
    const t = this.live.get(key);
    if (t && t === this.recent) this.recent = null;
    this.live.delete(key);
  }

  flush(t: Incoming): void {
    if (t.fd === null || !t.block || t.blockLen === 0) return;
    // A deleted folder does not stop writes to an open file (the inode lives on): notice it
    // here, while the partial data still matters, not at the final rename.
    if (fstatSync(t.fd).nlink === 0) throw fail('ENOENT', 'the download folder (or the partial file) was deleted');
    let off = 0;
    while (off < t.blockLen) off += writeSync(t.fd, t.block, off, t.blockLen - off, t.blockStart + off);
    t.blockStart += t.blockLen;
    t.blockLen = 0;
  }

  progress(t: Transfer, force: boolean): void {
    const now = Date.now();
    if (!force && now - t.lastProgress < PROGRESS_MS) return;
    t.lastProgress = now;
    const bytes = t.dir === 'send' ? t.sent : t.received;
    const file_id = t.dir === 'send' ? t.rec.id : t.fileId;
    this.deps.emit({ event: 'file_progress', friend: t.friend, file: t.file, direction: t.dir, bytes, size: t.size, file_id });
  }

  /** Cancelled by either side: the transfer ends; a partial download is deleted. */
  cancelled(t: Transfer): void {
    this.close(t);
    if (t.dir === 'recv' && t.rec) removePart(t.rec.path);
    this.dropRecord(t.rec);
  }

  /** A transfer failed here (disk, file, or a misbehaving peer): it ends on both sides. A
   *  partial download is kept when the disk failed (it resumes if the file is sent again,
   *  or file_discard removes it), deleted when the data was wrong. */
  failTransfer(t: Transfer, e: unknown): void {
    const code = errCode(e);
    try {
      this.deps.tox.fileControl(t.friend, t.file, 'cancel');
    } catch {
      /* already gone */
    }
    let partial: string | undefined;
    try {
      this.close(t, false);
    } catch {
      /* the disk is failing: what is written stays */
    }
    if (t.dir === 'recv' && t.rec) {
      if (KEEP_PARTIAL.has(code)) partial = t.rec.path + PART;
      else {
        removePart(t.rec.path);
        this.dropRecord(t.rec);
      }
    } else if (t.dir === 'send') this.dropRecord(t.rec);
    const file_id = t.dir === 'send' ? t.rec.id : t.fileId;
    this.deps.emit({
      event: 'file_error',
      friend: t.friend,
      file: t.file,
      direction: t.dir,
      message: message(e),
      file_id,
      code,
      ...(partial ? { partial } : {}),
    });
  }

  /** Forgets a live transfer and closes its file (flushing what was received, unless the
   *  flush is what failed). The record, if any, stays. */
  close(t: Transfer, flush = true): void {
    this.forget(liveKey(t.friend, t.file, t.dir));
    if (t.dir === 'send') closeSync(t.fd);
    else if (t.fd !== null) {
      const fd = t.fd;
      t.fd = null;
      try {
        if (flush) this.flushFd(t, fd);
      } finally {
        closeSync(fd);
      }
    }
  }

  private flushFd(t: Incoming, fd: number): void {
    t.fd = fd;
    try {
      this.flush(t);
    } finally {
      t.fd = null;
    }
  }
}
