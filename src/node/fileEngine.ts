// File transfers, on the node side: the node reads and writes file bytes itself; only
// progress crosses the process boundary. This is the engine's shell: it routes toxcore's file
// callbacks to the sending half (fileSend.ts), the receiving half (fileRecv.ts) or the avatar
// exchange, and handles what applies to both directions (control, friends, shutdown). The
// live transfers and their records are shared through transferTable.ts.
//
// Resume (as toxic and uTox do it): every transfer has a file_id. A transfer that was
// started (sent, or accepted) is recorded in the TransferJournal until it ends. When its
// friend goes offline, or either node restarts, the record stays; the sender offers the file
// again with the same file_id when the friend is back, and the receiver, recognising the
// file_id, seeks (tox_file_seek) to the length of its `.part` file and continues.

import type { AcceptFilesRule, NodeEvent } from '../protocol/node';
import { Avatars, FILE_KIND_AVATAR } from './avatarExchange';
import { logCode } from '../protocol/errcode';
import { removePart } from './receiveTarget';
import type { FileControl, Tox } from '../tox/tox';
import { expireRecords, RECORD_TTL_MS, type TransferJournal } from './transferRecords';
import { type AcceptOptions, FileReceiver } from './fileRecv';
import { FileSender } from './fileSend';
import { type Dir, type FileDeps, liveKey, recKey, type Transfer, TransferTable } from './transferTable';

export class FileEngine {
  private readonly table: TransferTable;
  private readonly sender: FileSender;
  private readonly receiver: FileReceiver;
  readonly avatars: Avatars;

  constructor(
    private readonly tox: Tox,
    private readonly emit: (e: NodeEvent) => void,
    private readonly kick: () => void,
    journal: TransferJournal,
    acceptRule: AcceptFilesRule | undefined = undefined,
    private readonly log: (level: 'info' | 'warn', m: string) => void = () => {},
  ) {
    const deps: FileDeps = { tox, emit, kick, log };
    this.table = new TransferTable(deps, journal);
    this.sender = new FileSender(deps, this.table);
    this.receiver = new FileReceiver(deps, this.table, acceptRule);
    const { keep, expired } = expireRecords(journal.load(), Date.now());
    for (const r of keep) this.table.records.set(recKey(r.dir, r.peer.toUpperCase(), r.id), { ...r, peer: r.peer.toUpperCase() });
    if (expired.length) {
      for (const r of expired) if (r.dir === 'recv') removePart(r.path);
      this.table.save();
      log('info', `${expired.length} unfinished transfer(s) older than ${RECORD_TTL_MS / 86_400_000} days were forgotten (partial downloads deleted)`);
    }
    this.avatars = new Avatars(tox, emit, log);
    // Our own transfers first: an avatar transfer is whatever file number they do not hold.
    tox.on('fileChunkRequest', (f, n, pos, len) => {
      if (!this.sender.onChunkRequest(f, n, pos, len) && this.avatars.owns(f, n)) this.avatars.onChunkRequest(f, n, pos, len);
    });
    tox.on('fileRecv', (f, n, kind, size, name) =>
      kind === FILE_KIND_AVATAR ? this.avatars.onRecv(f, n, size) : this.receiver.onRecv(f, n, kind, size, name),
    );
    tox.on('fileRecvChunk', (f, n, pos, data) => {
      if (!this.receiver.onRecvChunk(f, n, pos, data) && this.avatars.owns(f, n)) this.avatars.onRecvChunk(f, n, pos, data);
    });
    tox.on('fileRecvControl', (f, n, c) => this.onControl(f, n, c));
  }

  /** Starts sending `path`, now or when the friend comes online (see FileSender.send). */
  send(friend: number, path: string, name?: string): { file: number | null; file_id: string } {
    return this.sender.send(friend, path, name);
  }

  /** Accepts an offered file (see FileReceiver.accept). Returns the target path. */
  accept(friend: number, file: number, opts: AcceptOptions, auto = false): string {
    return this.receiver.accept(friend, file, opts, auto);
  }

  // ---- control --------------------------------------------------------------------------

  private onControl(friend: number, file: number, control: FileControl): void {
    if (this.avatars.owns(friend, file)) return this.avatars.onControl(friend, file, control);
    const { live } = this.table;
    const t = live.get(liveKey(friend, file, 'send')) ?? live.get(liveKey(friend, file, 'recv'));
    if (!t) return;
    const id = t.dir === 'send' ? t.rec.id : t.fileId;
    this.emit({ event: 'file_control', friend, file, control, file_id: id });
    if (control === 'cancel') this.table.cancelled(t);
  }

  /** Pause, resume or cancel a live transfer (by file number), or one waiting for its
   *  friend or interrupted (by file_id; only cancel applies to those). */
  control(friend: number, file: number | undefined, fileId: string | undefined, control: FileControl): void {
    const { live } = this.table;
    let t: Transfer | undefined;
    if (file !== undefined) t = live.get(liveKey(friend, file, 'recv')) ?? live.get(liveKey(friend, file, 'send'));
    else if (fileId !== undefined) {
      for (const x of live.values()) {
        if (x.friend === friend && (x.dir === 'send' ? x.rec.id : x.fileId) === fileId.toLowerCase()) t = x;
      }
    } else throw new RangeError('give file or file_id');
    if (t) {
      this.tox.fileControl(friend, t.file, control);
      if (control === 'cancel') this.table.cancelled(t);
      this.kick();
      return;
    }
    if (fileId === undefined) throw new RangeError(`no file ${file} with friend ${friend}`);
    if (control !== 'cancel') throw new RangeError('that transfer is not active (its friend is offline)');
    this.discard(friend, fileId, 'send', true) || this.discard(friend, fileId, 'recv', true);
  }

  /** Forgets a recorded transfer that is not running; deletes a partial download. */
  discard(friend: number, fileId: string, dir: Dir, quiet = false): boolean {
    const rec = this.table.records.get(recKey(dir, this.table.peerOf(friend), fileId.toLowerCase()));
    if (!rec || this.table.liveByRecord(rec)) {
      if (quiet) return false;
      throw new RangeError(rec ? 'that transfer is running: cancel it instead' : 'no such transfer');
    }
    if (dir === 'recv') removePart(rec.path);
    this.table.dropRecord(rec);
    return true;
  }

  // ---- friends --------------------------------------------------------------------------

  friendOnline(friend: number): void {
    const { table } = this;
    if (table.online.has(friend)) return;
    table.online.add(friend);
    this.avatars.offer(friend);
    let peer: string;
    try {
      peer = table.peerOf(friend);
    } catch {
      return;
    }
    for (const r of [...table.records.values()]) {
      if (r.dir === 'send' && r.peer === peer && !table.liveByRecord(r)) this.sender.offer(r, friend);
    }
  }

  /** toxcore drops a friend's transfers silently when the friend goes offline: ours are
   *  kept (recorded ones resume when the friend is back). */
  friendOffline(friend: number): void {
    this.table.online.delete(friend);
    this.avatars.friendOffline(friend);
    for (const t of [...this.table.live.values()]) {
      if (t.friend !== friend) continue;
      const bytes = t.dir === 'send' ? t.sent : t.received;
      try {
        this.table.close(t);
      } catch (e) {
        this.log('warn', `closing an interrupted transfer ${t.dir === 'send' ? t.rec.id.slice(0, 8) : t.fileId.slice(0, 8)}: ${logCode(e)}`);
      }
      this.emit({
        event: 'file_interrupted',
        friend,
        file: t.file,
        file_id: t.dir === 'send' ? t.rec.id : t.fileId,
        direction: t.dir,
        bytes,
      });
    }
  }

  /** The friend was deleted: their transfers end for good. */
  friendDeleted(friend: number): void {
    let peer: string | null = null;
    try {
      peer = this.table.peerOf(friend);
    } catch {
      /* unknown friend */
    }
    this.friendOffline(friend);
    this.avatars.friendDeleted(friend);
    if (!peer) return;
    for (const r of [...this.table.records.values()]) {
      if (r.peer !== peer) continue;
      if (r.dir === 'recv') removePart(r.path);
      this.table.dropRecord(r);
    }
  }

  dispose(): void {
    for (const t of [...this.table.live.values()]) {
      try {
        this.table.close(t);
      } catch {
        /* shutting down: the record lets it resume */
      }
    }
  }
}
