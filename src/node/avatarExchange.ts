// Avatars, per the Tox client conventions: a file transfer of kind AVATAR, at most 64 KiB,
// whose file_id is the SHA-256 of the image (tox_hash); offered to every friend when they
// come online; size 0 means "no avatar". A friend's avatar whose hash we already have is
// declined (nothing to fetch). A received avatar is kept only if it is a well-formed
// PNG/JPEG/GIF/WebP with sane dimensions (magic bytes, not the name); anything else is
// dropped without a trace beyond a log line. Bytes stay in memory: ≤ 64 KiB each.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fitsAvatar, imageInfo, MAX_AVATAR_SIDE } from '../common/image';
import type { NodeEvent } from '../protocol/node';
import { logCode } from '../protocol/errcode';
import type { Tox } from '../tox/tox';

export const FILE_KIND_AVATAR = 1;
export const MAX_AVATAR_BYTES = 65_536;

interface Incoming {
  friend: number;
  file: number;
  hash: string;
  data: Buffer;
  received: number;
}

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();
const keyOf = (friend: number, file: number): string => `${friend}:${file}`;

export class Avatars {
  private mine: { data: Buffer; hash: Buffer } | null = null;
  /** Announce "no avatar" (size 0) after the user removed theirs this session. */
  private removed = false;
  private readonly outgoing = new Map<string, Buffer>();
  private readonly incoming = new Map<string, Incoming>();
  /** Per friend, the hash of the avatar we hold (so an unchanged one is not fetched again). */
  private readonly known = new Map<number, string>();

  constructor(
    private readonly tox: Tox,
    private readonly emit: (e: NodeEvent) => void,
    private readonly log: (level: 'info' | 'warn', m: string) => void,
  ) {}

  /** Validates and sets our avatar (null removes it), then offers it to every online friend. */
  set(data: Uint8Array | null): { hash: string | null; data: string | null } {
    if (data === null || data.length === 0) {
      this.mine = null;
      this.removed = true;
    } else {
      if (data.length > MAX_AVATAR_BYTES) throw new RangeError(`an avatar is at most ${MAX_AVATAR_BYTES} bytes (this one is ${data.length})`);
      const info = imageInfo(data);
      if (!info) throw new RangeError('an avatar must be a PNG, JPEG, GIF or WebP image');
      if (!fitsAvatar(info)) throw new RangeError(`an avatar is at most ${MAX_AVATAR_SIDE} px a side (this one is ${info.width}×${info.height})`);
      const b = Buffer.from(data);
      this.mine = { data: b, hash: sha256(b) };
    }
    for (const f of this.tox.friendList()) {
      if (this.tox.friendConnectionStatus(f) !== 'none') this.offer(f);
    }
    return { hash: this.mine ? this.mine.hash.toString('hex') : null, data: this.mine ? this.mine.data.toString('base64') : null };
  }

  setFromFile(path: string): { hash: string | null; data: string | null } {
    const data = readFileSync(path);
    return this.set(data);
  }

  /** Tox convention: every friend gets our avatar (or "none") when they come online. */
  offer(friend: number): void {
    if (!this.mine && !this.removed) return;
    try {
      if (!this.mine) {
        this.tox.fileSend(friend, FILE_KIND_AVATAR, 0, '');
        return;
      }
      const file = this.tox.fileSend(friend, FILE_KIND_AVATAR, this.mine.data.length, 'avatar', this.mine.hash);
      this.outgoing.set(keyOf(friend, file), this.mine.data);
    } catch (e) {
      this.log('warn', `offering the avatar to friend ${friend} failed: ${logCode(e)}`);
    }
  }

  friendOffline(friend: number): void {
    for (const k of [...this.outgoing.keys()]) if (k.startsWith(`${friend}:`)) this.outgoing.delete(k);
    for (const [k, t] of [...this.incoming]) if (t.friend === friend) this.incoming.delete(k);
  }

  friendDeleted(friend: number): void {
    this.friendOffline(friend);
    this.known.delete(friend);
  }

  owns(friend: number, file: number): boolean {
    const k = keyOf(friend, file);
    return this.outgoing.has(k) || this.incoming.has(k);
  }

  onChunkRequest(friend: number, file: number, pos: number, len: number): void {
    const k = keyOf(friend, file);
    const data = this.outgoing.get(k);
    if (!data) return;
    if (len === 0) {
      this.outgoing.delete(k);
      return;
    }
    if (pos >= data.length) return;
    this.tox.fileSendChunk(friend, file, pos, data.subarray(pos, Math.min(data.length, pos + len)));
  }

  onRecv(friend: number, file: number, size: number | null): void {
    const cancel = (why: string) => {
      if (why) this.log('info', `avatar from friend ${friend} declined: ${why}`);
      try {
        this.tox.fileControl(friend, file, 'cancel');
      } catch {
        /* already gone */
      }
    };
    if (size === 0) {
      cancel('');
      if (this.known.delete(friend)) this.emit({ event: 'avatar', friend, public_key: this.tox.friendPublicKey(friend), data: null, hash: null });
      return;
    }
    if (size === null || size > MAX_AVATAR_BYTES) return cancel(`size ${size ?? 'unknown'} is over ${MAX_AVATAR_BYTES} bytes`);
    const hash = this.tox.fileId(friend, file).toLowerCase();
    if (this.known.get(friend) === hash) return cancel('');
    this.incoming.set(keyOf(friend, file), { friend, file, hash, data: Buffer.alloc(size), received: 0 });
    try {
      this.tox.fileControl(friend, file, 'resume');
    } catch (e) {
      this.incoming.delete(keyOf(friend, file));
      this.log('warn', `accepting an avatar from friend ${friend} failed: ${logCode(e)}`);
    }
  }

  onRecvChunk(friend: number, file: number, pos: number, chunk: Buffer): void {
    const k = keyOf(friend, file);
    const t = this.incoming.get(k);
    if (!t) return;
    if (chunk.length > 0) {
      if (pos + chunk.length > t.data.length) {
        this.incoming.delete(k);
        try {
          this.tox.fileControl(friend, file, 'cancel');
        } catch {
          /* gone */
        }
        this.log('warn', `avatar from friend ${friend} dropped: more bytes than announced`);
        return;
      }
      chunk.copy(t.data, pos);
      t.received = Math.max(t.received, pos + chunk.length);
      return;
    }
    this.incoming.delete(k);
    const info = t.received === t.data.length ? imageInfo(t.data) : null;
    if (!info) {
      this.log('warn', `avatar from friend ${friend} ignored: not a valid PNG, JPEG, GIF or WebP image`);
      return;
    }
    if (!fitsAvatar(info)) {
      this.log('warn', `avatar from friend ${friend} ignored: over ${MAX_AVATAR_SIDE} px a side`);
      return;
    }
    this.known.set(friend, t.hash);
    this.emit({
      event: 'avatar',
      friend,
      public_key: this.tox.friendPublicKey(friend),
      data: t.data.toString('base64'),
      hash: t.hash,
      mime: info.mime,
      width: info.width,
      height: info.height,
    });
  }

  onControl(friend: number, file: number, control: string): void {
    if (control !== 'cancel') return;
    const k = keyOf(friend, file);
    this.outgoing.delete(k);
    this.incoming.delete(k);
  }
}
