// The receiving half of the FileEngine: an offer is shown, auto-accepted by the accept rule,
// or resumed from its record (same file_id: seek to the `.part` file's length); accepted
// chunks are gathered and written in 1 MiB blocks, and a complete file is renamed into place.
//
// Receiving is held to a higher bar than sending: names are sanitised (common/filename.ts),
// nothing is ever overwritten (receiveTarget.ts), what a peer sends beyond the announced
// size (or the stream cap) ends the transfer, and nothing received is opened or executed.

import { closeSync, fsyncSync, ftruncateSync, readSync } from 'node:fs';
import { hasImageExtension, safeFileName } from '../common/filename';
import { imageInfo, sniffImageType, SNIFF_BYTES } from '../common/image';
import type { AcceptFilesRule, TransferRecord } from '../protocol/node';
import { logCode } from '../protocol/errcode';
import { claimExact, claimInFolder, finish as finishPart, removePart, reopenPart } from './receiveTarget';
import { FILE_KIND_DATA } from '../tox/tox';
import { BLOCK, errCode, fail, type FileDeps, type Incoming, liveKey, message, recKey, STREAM_CAP, type TransferTable } from './transferTable';

/** How much of a finished "images only" file is read to check its header. */
const IMAGE_HEAD = 256 * 1024;

export interface AcceptOptions {
  path?: string;
  dir?: string;
  maxBytes?: number;
  requireImage?: boolean;
}

export class FileReceiver {
  constructor(
    private readonly deps: FileDeps,
    private readonly table: TransferTable,
    private readonly acceptRule: AcceptFilesRule | undefined,
  ) {}

  /** A file offered by a friend (avatars are the engine's, not ours). */
  onRecv(friend: number, file: number, kind: number, size: number | null, name: string): void {
    const { tox } = this.deps;
    if (kind !== FILE_KIND_DATA) {
      try {
        tox.fileControl(friend, file, 'cancel');
      } catch {
        /* the transfer may already be gone */
      }
      return;
    }
    const fileId = tox.fileId(friend, file).toLowerCase();
    const peer = this.table.peerOf(friend);
    const t: Incoming = {
      dir: 'recv',
      friend,
      file,
      size,
      name,
      fileId,
      rec: null,
      fd: null,
      block: null,
      blockStart: 0,
      blockLen: 0,
      received: 0,
      lastProgress: 0,
      limit: size ?? STREAM_CAP,
      sniffed: false,
    };
    this.table.live.set(liveKey(friend, file, 'recv'), t);
    const rec = this.table.records.get(recKey('recv', peer, fileId));
    if (rec && rec.size === size && !this.table.liveByRecord(rec) && this.resume(t, rec)) return;
    this.deps.emit({ event: 'file_recv', friend, file, kind: 'data', size, name, file_id: fileId });
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
      if (pos > 0) this.deps.tox.fileSeek(t.friend, t.file, pos);
      this.deps.tox.fileControl(t.friend, t.file, 'resume');
      this.deps.emit({
        event: 'file_resumed',
        friend: t.friend,
        file: t.file,
        file_id: rec.id,
        direction: 'recv',
        bytes: pos,
        path: rec.path,
      });
      this.deps.kick();
      return true;
    } catch (e) {
      // Could not continue (e.g. the folder is gone): offer it to the user as new.
      this.deps.log('warn', `resuming ${rec.id.slice(0, 8)} failed: ${logCode(e)}`);
      if (t.fd !== null) closeSync(t.fd);
      t.fd = null;
      t.rec = null;
      t.block = null;
      t.received = 0;
      t.blockStart = 0;
      this.table.dropRecord(rec);
      return false;
    }
  }

  private autoAccept(t: Incoming, rule: AcceptFilesRule): void {
    const decline = (code: string, why: string) => {
      this.table.forget(liveKey(t.friend, t.file, 'recv'));
      try {
        this.deps.tox.fileControl(t.friend, t.file, 'cancel');
      } catch {
        /* gone */
      }
      this.deps.emit({
        event: 'file_error',
        friend: t.friend,
        file: t.file,
        direction: 'recv',
        message: `declined by the accept rules: ${why}`,
        file_id: t.fileId,
        code,
      });
    };
    if (t.size !== null && rule.max_bytes !== undefined && t.size > rule.max_bytes) return decline('too_large', `${t.size} bytes is over ${rule.max_bytes}`);
    if (rule.images_only && !hasImageExtension(safeFileName(t.name))) return decline('rule', 'not an image file name');
    try {
      this.accept(
        t.friend,
        t.file,
        { dir: rule.dir, ...(rule.max_bytes !== undefined ? { maxBytes: rule.max_bytes } : {}), requireImage: rule.images_only === true },
        true,
      );
    } catch (e) {
      decline(errCode(e), message(e));
    }
  }

  /** Accepts an offered file into `path`, or into folder `dir` under its sanitised name.
   *  Written as `<target>.part`, renamed when complete; never overwrites. Returns the target. */
  accept(friend: number, file: number, opts: AcceptOptions, auto = false): string {
    const t = this.table.live.get(liveKey(friend, file, 'recv'));
    if (!t || t.dir !== 'recv') throw new RangeError(`no incoming file ${file} from friend ${friend}`);
    if (t.fd !== null || t.rec) throw new RangeError(`file ${file} from friend ${friend} was already accepted`);
    if ((opts.path === undefined) === (opts.dir === undefined)) throw new RangeError('give exactly one of path and dir');
    if (opts.maxBytes !== undefined && t.size !== null && t.size > opts.maxBytes)
      throw fail('too_large', `${t.size} bytes is over the limit of ${opts.maxBytes}`);
    const claimed = opts.dir !== undefined ? claimInFolder(opts.dir, t.name) : claimExact(opts.path!);
    const rec: TransferRecord = {
      id: t.fileId,
      dir: 'recv',
      peer: this.table.peerOf(friend),
      name: t.name.slice(0, 1024),
      size: t.size,
      path: claimed.path,
      created: Date.now(),
      ...(opts.requireImage ? { require_image: true } : {}),
      ...(opts.maxBytes !== undefined ? { max_bytes: opts.maxBytes } : {}),
    };
    t.fd = claimed.fd;
    t.rec = rec;
    t.block = Buffer.allocUnsafe(BLOCK);
    t.limit = t.size ?? Math.min(STREAM_CAP, opts.maxBytes ?? STREAM_CAP);
    try {
      this.deps.tox.fileControl(friend, file, 'resume');
    } catch (e) {
      closeSync(claimed.fd);
      removePart(claimed.path);
      t.fd = null;
      t.rec = null;
      throw e;
    }
    this.table.addRecord(rec);
    this.deps.emit({ event: 'file_accepted', friend, file, file_id: t.fileId, path: claimed.path, auto });
    this.deps.kick();
    return claimed.path;
  }

  /** Takes a received chunk; false if the file is not one of ours (an avatar). */
  onRecvChunk(friend: number, file: number, pos: number, data: Buffer): boolean {
    const t = this.table.lookup(friend, file, 'recv');
    if (!t) return false;
    if (t.dir !== 'recv' || t.fd === null || !t.block || !t.rec) return true;
    try {
      if (data.length === 0) {
        this.complete(t);
        return true;
      }
      if (pos + data.length > t.limit) throw fail('too_large', `the peer sent more than the ${t.size === null ? 'stream cap' : 'announced size'}`);
      if (!t.sniffed && t.rec.require_image && pos === 0 && data.length >= SNIFF_BYTES) {
        t.sniffed = true;
        if (!sniffImageType(data)) throw fail('not_image', 'not a PNG, JPEG, GIF or WebP image');
      }
      if (pos !== t.blockStart + t.blockLen || t.blockLen + data.length > BLOCK) this.table.flush(t);
      if (t.blockLen === 0) t.blockStart = pos;
      data.copy(t.block, t.blockLen);
      t.blockLen += data.length;
      t.received = Math.max(t.received, pos + data.length);
      this.table.progress(t, false);
      this.deps.kick();
    } catch (e) {
      this.table.failTransfer(t, e);
    }
    return true;
  }

  private complete(t: Incoming): void {
    const rec = t.rec!;
    this.table.flush(t);
    fsyncSync(t.fd!);
    if (rec.require_image) {
      const head = Buffer.alloc(Math.min(IMAGE_HEAD, t.received));
      const n = readSync(t.fd!, head, 0, head.length, 0);
      if (!imageInfo(head.subarray(0, n))) throw fail('not_image', 'not a valid PNG, JPEG, GIF or WebP image');
    }
    closeSync(t.fd!);
    t.fd = null;
    const path = finishPart(rec.path);
    this.table.dropRecord(rec);
    this.table.progress(t, true);
    this.table.forget(liveKey(t.friend, t.file, 'recv'));
    this.deps.emit({ event: 'file_done', friend: t.friend, file: t.file, direction: 'recv', path, bytes: t.received, file_id: rec.id });
  }
}
