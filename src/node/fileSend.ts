// The sending half of the FileEngine: a shared file is recorded first and offered whenever
// its friend is online, so a transfer cut by a disconnect or a restart is offered again with
// the same file_id and the receiver resumes it. Chunks are read ahead in 1 MiB blocks and
// answered inside toxcore's callback, because toxcore decides which positions it wants.

import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { TransferRecord } from '../protocol/node';
import { logCode } from '../protocol/errcode';
import { FILE_KIND_DATA } from '../tox/tox';
import { BLOCK, errCode, fail, type FileDeps, liveKey, message, NO_FILE, recKey, type TransferTable } from './transferTable';

export class FileSender {
  constructor(
    private readonly deps: FileDeps,
    private readonly table: TransferTable,
  ) {}

  /** Starts sending `path`, now or when the friend comes online. Only a base name (never
   *  the path) is told to the peer. The file_id is derived from the file and the friend, so
   *  sending the same unchanged file again resumes a partial download on their side. */
  send(friend: number, path: string, name?: string): { file: number | null; file_id: string } {
    const real = realpathSync(path);
    const st = statSync(real);
    if (!st.isFile()) throw new RangeError(`${path} is not a regular file`);
    const sentName = basename(name ?? path);
    if (!sentName || Buffer.byteLength(sentName) > 255) throw new RangeError('the file name must be 1..255 bytes');
    const peer = this.table.peerOf(friend);
    const id = createHash('sha256').update(`toxync file id v1\0${this.deps.tox.publicKey()}\0${peer}\0${real}\0${st.size}\0${st.mtimeMs}`).digest('hex');
    const existing = this.table.records.get(recKey('send', peer, id));
    if (existing) {
      const t = this.table.liveByRecord(existing);
      return { file: t?.file ?? null, file_id: id };
    }
    const rec: TransferRecord = { id, dir: 'send', peer, name: sentName, size: st.size, path: real, created: Date.now() };
    this.table.addRecord(rec);
    const file = this.table.online.has(friend) ? this.offer(rec, friend) : null;
    return { file, file_id: id };
  }

  /** Offers a recorded outgoing file; null if it could not be offered (reported). */
  offer(rec: TransferRecord, friend: number): number | null {
    const { emit } = this.deps;
    let fd: number;
    try {
      fd = openSync(rec.path, 'r');
    } catch (e) {
      this.table.dropRecord(rec);
      emit({
        event: 'file_error',
        friend,
        file: NO_FILE,
        direction: 'send',
        message: `cannot read ${rec.name}: ${message(e)}`,
        file_id: rec.id,
        code: errCode(e),
      });
      return null;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size !== rec.size) throw fail('changed', `${rec.name} changed since it was shared`);
      const file = this.deps.tox.fileSend(friend, FILE_KIND_DATA, st.size, rec.name, Buffer.from(rec.id, 'hex'));
      this.table.live.set(liveKey(friend, file, 'send'), {
        dir: 'send',
        rec,
        friend,
        file,
        fd,
        size: st.size,
        block: Buffer.allocUnsafe(BLOCK),
        blockStart: 0,
        blockLen: 0,
        sent: 0,
        lastProgress: 0,
      });
      emit({ event: 'file_offered', friend, file, file_id: rec.id, name: rec.name, size: st.size });
      this.deps.kick();
      return file;
    } catch (e) {
      closeSync(fd);
      if (errCode(e) === 'changed') {
        this.table.dropRecord(rec);
        emit({ event: 'file_error', friend, file: NO_FILE, direction: 'send', message: message(e), file_id: rec.id, code: 'changed' });
      } else this.deps.log('warn', `offering ${rec.id.slice(0, 8)} failed (kept for later): ${logCode(e)}`);
      return null;
    }
  }

  /** Answers toxcore's request for a chunk; false if the file is not one of ours (an avatar). */
  onChunkRequest(friend: number, file: number, pos: number, len: number): boolean {
    const { table } = this;
    const t = table.lookup(friend, file, 'send');
    if (!t || t.dir !== 'send') return false;
    const wkey = recKey('send', t.rec.peer, t.rec.id);
    if (len === 0) {
      table.progress(t, true);
      const sent = table.wire.get(wkey) ?? 0;
      table.dropRecord(t.rec);
      this.deps.emit({ event: 'file_done', friend, file, direction: 'send', path: '', bytes: t.sent, file_id: t.rec.id, sent });
      table.close(t);
      return true;
    }
    try {
      if (pos < t.blockStart || pos + len > t.blockStart + t.blockLen) {
        t.blockStart = pos;
        t.blockLen = readSync(t.fd, t.block, 0, Math.min(BLOCK, t.size - pos), pos);
      }
      const off = pos - t.blockStart;
      const n = Math.min(len, t.blockLen - off);
      if (n <= 0) throw fail('changed', 'the file shrank while sending');
      this.deps.tox.fileSendChunk(friend, file, pos, t.block.subarray(off, off + n));
      table.wire.set(wkey, (table.wire.get(wkey) ?? 0) + n);
      t.sent = Math.max(t.sent, pos + n);
      table.progress(t, false);
      this.deps.kick();
    } catch (e) {
      table.failTransfer(t, e);
    }
    return true;
  }
}
