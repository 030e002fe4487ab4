// An append-only log of encrypted records, one file per conversation. Each record is sealed
// on its own (XChaCha20-Poly1305, random nonce) with the file's random id and the record's
// position in the associated data, so records cannot be moved between files or reordered
// without detection.
//
//   file   = "TXYL" ‖ version(1) ‖ file id(16) ‖ record*
//   record = length(u32 LE, of the box) ‖ box(nonce ‖ ciphertext ‖ tag)
//
// A record is acknowledged only after write + fsync. A crash can therefore leave at most an
// unacknowledged, incomplete or unauthenticated *last* record (a torn tail): it is dropped
// and the file truncated back. Damage anywhere else is not normal wear: opening reports it,
// keeps every record that still authenticates, and the caller moves the damaged file aside
// instead of overwriting it.

import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDir } from '../../sys/atomicWrite';
import { BoxOpener, DecryptError, SEAL_OVERHEAD, seal } from './crypto';
import { StoreError } from './storeErrors';
import { pad, unpad } from './frame';
import type { Sodium } from './sodium';

const MAGIC = [0x54, 0x58, 0x59, 0x4c]; // "TXYL"
const VERSION = 1;
const ID_BYTES = 16;
const HEADER = MAGIC.length + 1 + ID_BYTES;
const BUCKET = 64;
/** No record is this large (a message the user typed is capped at 2 MB of text); a bigger length is damage. */
export const MAX_RECORD = 4 << 20;

export interface LogDamage {
  /** Records that did not authenticate but could be stepped over. */
  skipped: number;
  /** Bytes after a length field that makes no sense (everything after it is unreadable). */
  lostBytes: number;
}

export interface OpenedLog {
  log: RecordLog;
  records: Uint8Array[];
  /** A torn last record was dropped (normal after a crash). */
  tornTail: boolean;
  /** Damage other than a torn tail; null when the file is sound. */
  damage: LogDamage | null;
}

const AD_LABEL = new TextEncoder().encode('toxync/log/v1');
const AD_SEQ = AD_LABEL.length + ID_BYTES;

/** The associated data of one file's records: label ‖ file id ‖ seq (u64 LE), with the
 *  sequence number written in place for each record (libsodium copies the AD on every call,
 *  so one buffer per file serves all of them; building it afresh cost ~1.8 µs a record). */
class RecordAd {
  private readonly buf = new Uint8Array(AD_SEQ + 8);
  private readonly view = new DataView(this.buf.buffer);

  constructor(fileId: Uint8Array) {
    this.buf.set(AD_LABEL, 0);
    this.buf.set(fileId, AD_LABEL.length);
  }

  at(seq: number): Uint8Array {
    // u64 as two u32 halves: seq stays far below 2^53, and no BigInt per record.
    this.view.setUint32(AD_SEQ, seq >>> 0, true);
    this.view.setUint32(AD_SEQ + 4, Math.floor(seq / 2 ** 32), true);
    return this.buf;
  }
}

function readAll(fd: number): Uint8Array {
  const size = fstatSync(fd).size;
  const buf = new Uint8Array(size);
  let off = 0;
  while (off < size) {
    const n = readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return buf.subarray(0, off);
}

export class RecordLog {
  private fd: number | null;
  private seq: number;
  private end: number;

  private constructor(
    private readonly s: Sodium,
    private key: Uint8Array | null,
    readonly path: string,
    fd: number,
    private readonly fileId: Uint8Array,
    seq: number,
    end: number,
  ) {
    this.fd = fd;
    this.seq = seq;
    this.end = end;
  }

  /** Creates a new, empty log (fails if the file exists). */
  static create(s: Sodium, key: Uint8Array, path: string): RecordLog {
    const fd = openSync(path, 'wx+', 0o600);
    const fileId = s.randombytes_buf(ID_BYTES);
    const header = new Uint8Array(HEADER);
    header.set(MAGIC, 0);
    header[MAGIC.length] = VERSION;
    header.set(fileId, MAGIC.length + 1);
    writeSync(fd, header, 0, HEADER, 0);
    fsyncSync(fd);
    fsyncDir(dirname(path));
    return new RecordLog(s, key, path, fd, fileId, 0, HEADER);
  }

  /** Opens a log, reading and authenticating every record (see the header comment). */
  static open(s: Sodium, key: Uint8Array, path: string): OpenedLog {
    if (!existsSync(path)) throw new StoreError('CORRUPT', 'a history file is missing');
    const fd = openSync(path, 'r+');
    try {
      const buf = readAll(fd);
      if (buf.length < HEADER || MAGIC.some((b, i) => buf[i] !== b)) throw new StoreError('CORRUPT', 'a history file is not a toxync log');
      if (buf[MAGIC.length] !== VERSION) throw new StoreError('UNSUPPORTED_VERSION', 'a history file was written by a newer toxync');
      const fileId = buf.slice(MAGIC.length + 1, HEADER);
      const ad = new RecordAd(fileId);
      const opener = new BoxOpener(s, key);
      const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      const records: Uint8Array[] = [];
      let off = HEADER;
      let seq = 0;
      let goodEnd = HEADER;
      let skipped = 0;
      let lostBytes = 0;
      let tornTail = false;
      try {
        while (off < buf.length) {
          if (buf.length - off < 4) {
            tornTail = true;
            break;
          }
          const len = view.getUint32(off, true);
          const recEnd = off + 4 + len;
          if (len < SEAL_OVERHEAD || len > MAX_RECORD + SEAL_OVERHEAD + BUCKET) {
            // A nonsense length: the framing is lost from here on.
            lostBytes = buf.length - off;
            break;
          }
          if (recEnd > buf.length) {
            tornTail = true; // the crash came while this record was being written
            break;
          }
          try {
            const plain = unpad(opener.open(buf.subarray(off + 4, recEnd), ad.at(seq)));
            if (!plain) throw new DecryptError('bad framing');
            records.push(plain); // a view of the decrypt output, which is a fresh buffer of its own
            goodEnd = recEnd;
          } catch (e) {
            if (!(e instanceof DecryptError)) throw e;
            if (recEnd === buf.length) {
              tornTail = true; // complete length, garbage body, at the very end: torn as well
              break;
            }
            skipped++;
          }
          seq++;
          off = recEnd;
        }
      } finally {
        opener.close();
      }
      const damage = skipped || lostBytes ? { skipped, lostBytes } : null;
      if (tornTail && !damage) {
        // Only a torn tail: cut it off so appends continue from the last good record.
        ftruncateSync(fd, goodEnd);
        fsyncSync(fd);
        off = goodEnd;
      }
      return { log: new RecordLog(s, key, path, fd, fileId, seq, damage ? buf.length : goodEnd), records, tornTail, damage };
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  get count(): number {
    return this.seq;
  }

  /** Seals, writes and fsyncs the records; when this returns they are durable, in order. */
  append(payloads: readonly Uint8Array[]): void {
    if (this.fd === null || !this.key) throw new StoreError('LOCKED', 'the history is closed');
    if (payloads.length === 0) return;
    const parts: Uint8Array[] = [];
    let total = 0;
    let seq = this.seq;
    const ad = new RecordAd(this.fileId);
    for (const p of payloads) {
      if (p.length > MAX_RECORD) throw new RangeError(`a record is limited to ${MAX_RECORD} bytes`);
      const framed = pad(p, BUCKET);
      const box = seal(this.s, this.key, framed, ad.at(seq++));
      this.s.memzero(framed);
      const rec = new Uint8Array(4 + box.length);
      new DataView(rec.buffer).setUint32(0, box.length, true);
      rec.set(box, 4);
      parts.push(rec);
      total += rec.length;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    try {
      let written = 0;
      while (written < out.length) written += writeSync(this.fd, out, written, out.length - written, this.end + written);
      fsyncSync(this.fd);
    } catch (e) {
      // Disk full, I/O error: leave the file as it was so the next append lines up again.
      try {
        ftruncateSync(this.fd, this.end);
      } catch {
        /* the next open treats leftovers as a torn tail */
      }
      throw e;
    }
    this.end += out.length;
    this.seq = seq;
  }

  /** Closes the file and forgets the key reference (the owner wipes the key itself). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.key = null;
  }
}
