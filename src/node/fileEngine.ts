// File transfers, on the node side: the node reads and writes file bytes itself; only
// progress crosses the process boundary. Chunk requests are answered synchronously inside
// the callback (toxcore decides which positions it wants) from a 1 MiB read-ahead block;
// received chunks are gathered and written in 1 MiB blocks.
//
// Resume (as toxic and uTox do it): every transfer has a file_id. A transfer that was
// started (sent, or accepted) is recorded in the TransferJournal until it ends. When its
// friend goes offline, or either node restarts, the record stays; the sender offers the file
// again with the same file_id when the friend is back, and the receiver, recognising the
// file_id, seeks (tox_file_seek) to the length of its `.part` file and continues.
//
// Receiving is held to a higher bar than sending: names are sanitised (common/filename.ts),
// nothing is ever overwritten (receiveTarget.ts), what a peer sends beyond the announced
// size (or the stream cap) ends the transfer, and nothing received is opened or executed.

import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, realpathSync, statSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { hasImageExtension, safeFileName } from '../common/filename';
import { imageInfo, sniffImageType, SNIFF_BYTES } from '../common/image';
import type { AcceptFilesRule, NodeEvent, TransferRecord } from '../protocol/node';
import { Avatars, FILE_KIND_AVATAR } from './avatarExchange';
import { logCode } from '../protocol/errcode';
import { claimExact, claimInFolder, finish as finishPart, PART, removePart, reopenPart } from './receiveTarget';
import { FILE_KIND_DATA, FileControl, Tox } from '../tox/tox';
import { expireRecords, RECORD_TTL_MS, type TransferJournal } from './transferRecords';

const BLOCK = 1 << 20;
const PROGRESS_MS = 250;
/** A sender that does not announce a size gets this much at most. */
export const STREAM_CAP = 1 << 30;
/** The `file` of events about a transfer that has no toxcore file number (not offered yet). */
export const NO_FILE = 0xffffffff;
/** Errors after which a partial download is worth keeping: the disk, not the data, failed. */
const KEEP_PARTIAL = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EACCES', 'EPERM', 'EFBIG']);
/** How much of a finished "images only" file is read to check its header. */
const IMAGE_HEAD = 256 * 1024;

interface Outgoing {
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

interface Incoming {
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

type Transfer = Outgoing | Incoming;
type Dir = 'send' | 'recv';

const liveKey = (friend: number, file: number, dir: Dir) => `${dir}:${friend}:${file}`;
const recKey = (dir: Dir, peer: string, id: string) => `${dir}:${peer}:${id}`;
const errCode = (e: unknown): string => (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : 'failed');
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const fail = (code: string, msg: string): Error => Object.assign(new Error(msg), { code });

export interface AcceptOptions {
  path?: string;
  dir?: string;
  maxBytes?: number;
  requireImage?: boolean;
}

export class FileEngine {
  private readonly live = new Map<string, Transfer>();
  private readonly records = new Map<string, TransferRecord>();
  /** Bytes put on the wire per outgoing record, over all attempts (resume accounting). */
  private readonly wire = new Map<string, number>();
  private readonly online = new Set<number>();
  /** The transfer the last chunk belonged to: consecutive chunks almost always share one, and
   *  this spares building a string key ~30,000 times a second. */
  private recent: Transfer | null = null;
  readonly avatars: Avatars;

  constructor(
    private readonly tox: Tox,
    private readonly emit: (e: NodeEvent) => void,
    private readonly kick: () => void,
    private readonly journal: TransferJournal,
    private readonly acceptRule: AcceptFilesRule | undefined = undefined,
    private readonly log: (level: 'info' | 'warn', m: string) => void = () => {},
  ) {
    const { keep, expired } = expireRecords(journal.load(), Date.now());
    for (const r of keep) this.records.set(recKey(r.dir, r.peer.toUpperCase(), r.id), { ...r, peer: r.peer.toUpperCase() });
    if (expired.length) {
      for (const r of expired) if (r.dir === 'recv') removePart(r.path);
      this.save();
      log('info', `${expired.length} unfinished transfer(s) older than ${RECORD_TTL_MS / 86_400_000} days were forgotten (partial downloads deleted)`);
    }
    this.avatars = new Avatars(tox, emit, log);
    tox.on('fileChunkRequest', (f, n, pos, len) => this.onChunkRequest(f, n, pos, len));
    tox.on('fileRecv', (f, n, kind, size, name) => this.onRecv(f, n, kind, size, name));
    tox.on('fileRecvChunk', (f, n, pos, data) => this.onRecvChunk(f, n, pos, data));
    tox.on('fileRecvControl', (f, n, c) => this.onControl(f, n, c));
  }

  private save(): void {
    try {
      this.journal.save([...this.records.values()]);
    } catch (e) {
      this.log('warn', `saving the transfer records failed: ${logCode(e)}`);
    }
  }

  private addRecord(r: TransferRecord): void {
    this.records.set(recKey(r.dir, r.peer, r.id), r);
    this.save();
  }

  private dropRecord(r: TransferRecord | null): void {
    if (r && this.records.delete(recKey(r.dir, r.peer, r.id))) {
      this.wire.delete(recKey(r.dir, r.peer, r.id));
      this.save();
    }
  }

  private peerOf(friend: number): string {
    return this.tox.friendPublicKey(friend).toUpperCase();
  }

  // ---- sending --------------------------------------------------------------------------

  /** Starts sending `path`, now or when the friend comes online. Only a base name (never
   *  the path) is told to the peer. The file_id is derived from the file and the friend, so
   *  sending the same unchanged file again resumes a partial download on their side. */
  send(friend: number, path: string, name?: string): { file: number | null; file_id: string } {
    const real = realpathSync(path);
    const st = statSync(real);
    if (!st.isFile()) throw new RangeError(`${path} is not a regular file`);
    const sentName = basename(name ?? path);
    if (!sentName || Buffer.byteLength(sentName) > 255) throw new RangeError('the file name must be 1..255 bytes');
    const peer = this.peerOf(friend);
    const id = createHash('sha256').update(`toxync file id v1\0${this.tox.publicKey()}\0${peer}\0${real}\0${st.size}\0${st.mtimeMs}`).digest('hex');
    const existing = this.records.get(recKey('send', peer, id));
    if (existing) {
      const t = this.liveByRecord(existing);
      return { file: t?.file ?? null, file_id: id };
    }
    const rec: TransferRecord = { id, dir: 'send', peer, name: sentName, size: st.size, path: real, created: Date.now() };
    this.addRecord(rec);
    const file = this.online.has(friend) ? this.offer(rec, friend) : null;
    return { file, file_id: id };
  }

  private liveByRecord(r: TransferRecord): Transfer | undefined {
    for (const t of this.live.values()) {
      const tr = t.rec;
      if (tr && tr.id === r.id && tr.dir === r.dir && tr.peer === r.peer) return t;
    }
    return undefined;
  }

  /** Offers a recorded outgoing file; null if it could not be offered (reported). */
  private offer(rec: TransferRecord, friend: number): number | null {
    let fd: number;
    try {
      fd = openSync(rec.path, 'r');
    } catch (e) {
      this.dropRecord(rec);
      this.emit({ event: 'file_error', friend, file: NO_FILE, direction: 'send', message: `cannot read ${rec.name}: ${message(e)}`, file_id: rec.id, code: errCode(e) });
      return null;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size !== rec.size) throw fail('changed', `${rec.name} changed since it was shared`);
      const file = this.tox.fileSend(friend, FILE_KIND_DATA, st.size, rec.name, Buffer.from(rec.id, 'hex'));
      this.live.set(liveKey(friend, file, 'send'), {
        dir: 'send', rec, friend, file, fd, size: st.size, block: Buffer.allocUnsafe(BLOCK), blockStart: 0, blockLen: 0, sent: 0, lastProgress: 0,
      });
      this.emit({ event: 'file_offered', friend, file, file_id: rec.id, name: rec.name, size: st.size });
      this.kick();
      return file;
    } catch (e) {
      closeSync(fd);
      if (errCode(e) === 'changed') {
        this.dropRecord(rec);
        this.emit({ event: 'file_error', friend, file: NO_FILE, direction: 'send', message: message(e), file_id: rec.id, code: 'changed' });
      } else this.log('warn', `offering ${rec.id.slice(0, 8)} failed (kept for later): ${logCode(e)}`);
      return null;
    }
  }

  /** The live transfer a chunk callback is about (see `recent`). */
  private lookup(friend: number, file: number, dir: Dir): Transfer | undefined {
    const r = this.recent;
    if (r && r.friend === friend && r.file === file && r.dir === dir) return r;
    const t = this.live.get(liveKey(friend, file, dir));
    if (t) this.recent = t;
    return t;
  }

  private onChunkRequest(friend: number, file: number, pos: number, len: number): void {
    const t = this.lookup(friend, file, 'send');
    if (!t || t.dir !== 'send') {
      if (this.avatars.owns(friend, file)) this.avatars.onChunkRequest(friend, file, pos, len);
      return;
    }
    const wkey = recKey('send', t.rec.peer, t.rec.id);
    if (len === 0) {
      this.progress(t, true);
      const sent = this.wire.get(wkey) ?? 0;
      this.dropRecord(t.rec);
      this.emit({ event: 'file_done', friend, file, direction: 'send', path: '', bytes: t.sent, file_id: t.rec.id, sent });
      this.close(t);
      return;
    }
    try {
      if (pos < t.blockStart || pos + len > t.blockStart + t.blockLen) {
        t.blockStart = pos;
        t.blockLen = readSync(t.fd, t.block, 0, Math.min(BLOCK, t.size - pos), pos);
      }
      const off = pos - t.blockStart;
      const n = Math.min(len, t.blockLen - off);
      if (n <= 0) throw fail('changed', 'the file shrank while sending');
      this.tox.fileSendChunk(friend, file, pos, t.block.subarray(off, off + n));
      this.wire.set(wkey, (this.wire.get(wkey) ?? 0) + n);
      t.sent = Math.max(t.sent, pos + n);
      this.progress(t, false);
      this.kick();
    } catch (e) {
      this.failTransfer(t, e);
    }
  }

  // ---- receiving ------------------------------------------------------------------------

  private onRecv(friend: number, file: number, kind: number, size: number | null, name: string): void {
    if (kind === FILE_KIND_AVATAR) return this.avatars.onRecv(friend, file, size);
    if (kind !== FILE_KIND_DATA) {
      try {
        this.tox.fileControl(friend, file, 'cancel');
      } catch {
        /* the transfer may already be gone */
      }
      return;
    }
    const fileId = this.tox.fileId(friend, file).toLowerCase();
    const peer = this.peerOf(friend);
    const t: Incoming = {
      dir: 'recv', friend, file, size, name, fileId, rec: null, fd: null, block: null, blockStart: 0, blockLen: 0, received: 0, lastProgress: 0,
      limit: size ?? STREAM_CAP, sniffed: false,
    };
    this.live.set(liveKey(friend, file, 'recv'), t);
    const rec = this.records.get(recKey('recv', peer, fileId));
    if (rec && rec.size === size && !this.liveByRecord(rec) && this.resume(t, rec)) return;
    this.emit({ event: 'file_recv', friend, file, kind: 'data', size, name, file_id: fileId });
    if (this.acceptRule) this.autoAccept(t, this.acceptRule);
  }

  /** An offer whose file_id we recorded: continue from the partial file. */
  private resume(t: Incoming, rec: TransferRecord): boolean {
    try {
      let part = reopenPart(rec.path);
      if (!part) part = { fd: claimExact(rec.path).fd, size: 0 };
      let pos = part.size;
      if (rec.size !== null && pos > rec.size) {
        ftruncateSync(part.fd, 0);
        pos = 0;
      }
      // A complete partial file (only its rename failed, e.g. EACCES): toxcore refuses a
      // seek to the end (TOX_ERR_FILE_SEEK_INVALID_POSITION), so take the last byte again and
      // let the transfer end the normal way on both sides.
      if (rec.size !== null && rec.size > 0 && pos === rec.size) pos = rec.size - 1;
      t.rec = rec;
      t.fd = part.fd;
      t.block = Buffer.allocUnsafe(BLOCK);
      t.blockStart = pos;
      t.received = pos;
      t.sniffed = pos > 0;
      t.limit = rec.size ?? Math.min(STREAM_CAP, rec.max_bytes ?? STREAM_CAP);
      if (pos > 0) this.tox.fileSeek(t.friend, t.file, pos);
      this.tox.fileControl(t.friend, t.file, 'resume');
      this.emit({ event: 'file_resumed', friend: t.friend, file: t.file, file_id: rec.id, direction: 'recv', bytes: pos, path: rec.path });
      this.kick();
      return true;
    } catch (e) {
      // Could not continue (e.g. the folder is gone): offer it to the user as new.
      this.log('warn', `resuming ${rec.id.slice(0, 8)} failed: ${logCode(e)}`);
      if (t.fd !== null) closeSync(t.fd);
      t.fd = null;
      t.rec = null;
      t.block = null;
      t.received = 0;
      t.blockStart = 0;
      this.dropRecord(rec);
      return false;
    }
  }

  private autoAccept(t: Incoming, rule: AcceptFilesRule): void {
    const decline = (code: string, why: string) => {
      this.forget(liveKey(t.friend, t.file, 'recv'));
      try {
        this.tox.fileControl(t.friend, t.file, 'cancel');
      } catch {
        /* gone */
      }
      this.emit({ event: 'file_error', friend: t.friend, file: t.file, direction: 'recv', message: `declined by the accept rules: ${why}`, file_id: t.fileId, code });
    };
    if (t.size !== null && rule.max_bytes !== undefined && t.size > rule.max_bytes) return decline('too_large', `${t.size} bytes is over ${rule.max_bytes}`);
    if (rule.images_only && !hasImageExtension(safeFileName(t.name))) return decline('rule', 'not an image file name');
    try {
      this.accept(t.friend, t.file, { dir: rule.dir, ...(rule.max_bytes !== undefined ? { maxBytes: rule.max_bytes } : {}), requireImage: rule.images_only === true }, true);
    } catch (e) {
      decline(errCode(e), message(e));
    }
  }

  /** Accepts an offered file into `path`, or into folder `dir` under its sanitised name.
   *  Written as `<target>.part`, renamed when complete; never overwrites. Returns the target. */
  accept(friend: number, file: number, opts: AcceptOptions, auto = false): string {
    const t = this.live.get(liveKey(friend, file, 'recv'));
    if (!t || t.dir !== 'recv') throw new RangeError(`no incoming file ${file} from friend ${friend}`);
    if (t.fd !== null || t.rec) throw new RangeError(`file ${file} from friend ${friend} was already accepted`);
    if ((opts.path === undefined) === (opts.dir === undefined)) throw new RangeError('give exactly one of path and dir');
    if (opts.maxBytes !== undefined && t.size !== null && t.size > opts.maxBytes) throw fail('too_large', `${t.size} bytes is over the limit of ${opts.maxBytes}`);
    const claimed = opts.dir !== undefined ? claimInFolder(opts.dir, t.name) : claimExact(opts.path!);
    const rec: TransferRecord = {
      id: t.fileId, dir: 'recv', peer: this.peerOf(friend), name: t.name.slice(0, 1024), size: t.size, path: claimed.path, created: Date.now(),
      ...(opts.requireImage ? { require_image: true } : {}), ...(opts.maxBytes !== undefined ? { max_bytes: opts.maxBytes } : {}),
    };
    t.fd = claimed.fd;
    t.rec = rec;
    t.block = Buffer.allocUnsafe(BLOCK);
    t.limit = t.size ?? Math.min(STREAM_CAP, opts.maxBytes ?? STREAM_CAP);
    try {
      this.tox.fileControl(friend, file, 'resume');
    } catch (e) {
      closeSync(claimed.fd);
      removePart(claimed.path);
      t.fd = null;
      t.rec = null;
      throw e;
    }
    this.addRecord(rec);
    this.emit({ event: 'file_accepted', friend, file, file_id: t.fileId, path: claimed.path, auto });
    this.kick();
    return claimed.path;
  }

  private onRecvChunk(friend: number, file: number, pos: number, data: Buffer): void {
    const t = this.lookup(friend, file, 'recv');
    if (!t) {
      if (this.avatars.owns(friend, file)) this.avatars.onRecvChunk(friend, file, pos, data);
      return;
    }
    if (t.dir !== 'recv' || t.fd === null || !t.block || !t.rec) return;
    try {
      if (data.length === 0) return this.complete(t);
      if (pos + data.length > t.limit) throw fail('too_large', `the peer sent more than the ${t.size === null ? 'stream cap' : 'announced size'}`);
      if (!t.sniffed && t.rec.require_image && pos === 0 && data.length >= SNIFF_BYTES) {
        t.sniffed = true;
        if (!sniffImageType(data)) throw fail('not_image', 'not a PNG, JPEG, GIF or WebP image');
      }
      if (pos !== t.blockStart + t.blockLen || t.blockLen + data.length > BLOCK) this.flush(t);
      if (t.blockLen === 0) t.blockStart = pos;
      data.copy(t.block, t.blockLen);
      t.blockLen += data.length;
      t.received = Math.max(t.received, pos + data.length);
      this.progress(t, false);
      this.kick();
    } catch (e) {
      this.failTransfer(t, e);
    }
  }

  private complete(t: Incoming): void {
    const rec = t.rec!;
    this.flush(t);
    fsyncSync(t.fd!);
    if (rec.require_image) {
      const head = Buffer.alloc(Math.min(IMAGE_HEAD, t.received));
      const n = readSync(t.fd!, head, 0, head.length, 0);
      if (!imageInfo(head.subarray(0, n))) throw fail('not_image', 'not a valid PNG, JPEG, GIF or WebP image');
    }
    closeSync(t.fd!);
    t.fd = null;
    const path = finishPart(rec.path);
    this.dropRecord(rec);
    this.progress(t, true);
    this.forget(liveKey(t.friend, t.file, 'recv'));
    this.emit({ event: 'file_done', friend: t.friend, file: t.file, direction: 'recv', path, bytes: t.received, file_id: rec.id });
  }

  // ---- control --------------------------------------------------------------------------

  private onControl(friend: number, file: number, control: FileControl): void {
    if (this.avatars.owns(friend, file)) return this.avatars.onControl(friend, file, control);
    const t = this.live.get(liveKey(friend, file, 'send')) ?? this.live.get(liveKey(friend, file, 'recv'));
    if (!t) return;
    const id = t.dir === 'send' ? t.rec.id : t.fileId;
    this.emit({ event: 'file_control', friend, file, control, file_id: id });
    if (control === 'cancel') this.cancelled(t);
  }

  /** Pause, resume or cancel a live transfer (by file number), or one waiting for its
   *  friend or interrupted (by file_id; only cancel applies to those). */
  control(friend: number, file: number | undefined, fileId: string | undefined, control: FileControl): void {
    let t: Transfer | undefined;
    if (file !== undefined) t = this.live.get(liveKey(friend, file, 'recv')) ?? this.live.get(liveKey(friend, file, 'send'));
    else if (fileId !== undefined) {
      for (const x of this.live.values()) {
        if (x.friend === friend && (x.dir === 'send' ? x.rec.id : x.fileId) === fileId.toLowerCase()) t = x;
      }
    } else throw new RangeError('give file or file_id');
    if (t) {
      this.tox.fileControl(friend, t.file, control);
      if (control === 'cancel') this.cancelled(t);
      this.kick();
      return;
    }
    if (fileId === undefined) throw new RangeError(`no file ${file} with friend ${friend}`);
    if (control !== 'cancel') throw new RangeError('that transfer is not active (its friend is offline)');
    this.discard(friend, fileId, 'send', true) || this.discard(friend, fileId, 'recv', true);
  }

  /** Forgets a recorded transfer that is not running; deletes a partial download. */
  discard(friend: number, fileId: string, dir: Dir, quiet = false): boolean {
    const rec = this.records.get(recKey(dir, this.peerOf(friend), fileId.toLowerCase()));
    if (!rec || this.liveByRecord(rec)) {
      if (quiet) return false;
      throw new RangeError(rec ? 'that transfer is running: cancel it instead' : 'no such transfer');
    }
    if (dir === 'recv') removePart(rec.path);
    this.dropRecord(rec);
    return true;
  }

  /** Cancelled by either side: the transfer ends; a partial download is deleted. */
  private cancelled(t: Transfer): void {
    this.close(t);
    if (t.dir === 'recv' && t.rec) removePart(t.rec.path);
    this.dropRecord(t.rec);
  }

  // ---- friends --------------------------------------------------------------------------

  friendOnline(friend: number): void {
    if (this.online.has(friend)) return;
    this.online.add(friend);
    this.avatars.offer(friend);
    let peer: string;
    try {
      peer = this.peerOf(friend);
    } catch {
      return;
    }
    for (const r of [...this.records.values()]) {
      if (r.dir === 'send' && r.peer === peer && !this.liveByRecord(r)) this.offer(r, friend);
    }
  }

  /** toxcore drops a friend's transfers silently when the friend goes offline: ours are
   *  kept (recorded ones resume when the friend is back). */
  friendOffline(friend: number): void {
    this.online.delete(friend);
    this.avatars.friendOffline(friend);
    for (const t of [...this.live.values()]) {
      if (t.friend !== friend) continue;
      const bytes = t.dir === 'send' ? t.sent : t.received;
      try {
        this.close(t);
      } catch (e) {
        this.log('warn', `closing an interrupted transfer ${t.dir === 'send' ? t.rec.id.slice(0, 8) : t.fileId.slice(0, 8)}: ${logCode(e)}`);
      }
      this.emit({ event: 'file_interrupted', friend, file: t.file, file_id: t.dir === 'send' ? t.rec.id : t.fileId, direction: t.dir, bytes });
    }
  }

  /** The friend was deleted: their transfers end for good. */
  friendDeleted(friend: number): void {
    let peer: string | null = null;
    try {
      peer = this.peerOf(friend);
    } catch {
      /* unknown friend */
    }
    this.friendOffline(friend);
    this.avatars.friendDeleted(friend);
    if (!peer) return;
    for (const r of [...this.records.values()]) {
      if (r.peer !== peer) continue;
      if (r.dir === 'recv') removePart(r.path);
      this.dropRecord(r);
    }
  }

  dispose(): void {
    for (const t of [...this.live.values()]) {
      try {
        this.close(t);
      } catch {
        /* shutting down: the record lets it resume */
      }
    }
  }

  // ---- plumbing -------------------------------------------------------------------------

  private forget(key: string): void {
    const t = this.live.get(key);
    if (t && t === this.recent) this.recent = null;
    this.live.delete(key);
  }

  private flush(t: Incoming): void {
    if (t.fd === null || !t.block || t.blockLen === 0) return;
    // A deleted folder does not stop writes to an open file (the inode lives on): notice it
    // here, while the partial data still matters, not at the final rename.
    if (fstatSync(t.fd).nlink === 0) throw fail('ENOENT', 'the download folder (or the partial file) was deleted');
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
    const file_id = t.dir === 'send' ? t.rec.id : t.fileId;
    this.emit({ event: 'file_progress', friend: t.friend, file: t.file, direction: t.dir, bytes, size: t.size, file_id });
  }

  /** A transfer failed here (disk, file, or a misbehaving peer): it ends on both sides. A
   *  partial download is kept when the disk failed (it resumes if the file is sent again,
   *  or file_discard removes it), deleted when the data was wrong. */
  private failTransfer(t: Transfer, e: unknown): void {
    const code = errCode(e);
    try {
      this.tox.fileControl(t.friend, t.file, 'cancel');
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
    this.emit({ event: 'file_error', friend: t.friend, file: t.file, direction: t.dir, message: message(e), file_id, code, ...(partial ? { partial } : {}) });
  }

  /** Forgets a live transfer and closes its file (flushing what was received, unless the
   *  flush is what failed). The record, if any, stays. */
  private close(t: Transfer, flush = true): void {
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
