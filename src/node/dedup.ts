// Duplicate suppression for re-sent messages, readable in every client. toxcore drops its
// send queue on a disconnect without telling which messages arrived, so a sender re-sends
// whatever had no read receipt — and the peer may see it twice. toxync therefore sends, right
// before a message, a lossless custom packet naming it:
//
//   0xA7 ‖ message id (16 bytes) ‖ number of parts (u16 BE)
//
// Lossless packets and messages travel in order on the same connection, so the receiving
// node tags the next `parts` messages from that friend with the id and their part number.
// The receiver's host drops a message whose (id, part) it already has *with the same text*.
// Other clients ignore unknown custom packets and show the message as usual: the text itself
// is never altered.

export const DEDUP_PACKET_ID = 0xa7;
const ID_BYTES = 16;
const PACKET_BYTES = 1 + ID_BYTES + 2;

export function dedupPacket(id: string, parts: number): Buffer {
  if (!/^[0-9a-f]{32}$/.test(id)) throw new RangeError('a dedup id is 32 lowercase hex digits');
  if (!Number.isInteger(parts) || parts < 0 || parts > 0xffff) throw new RangeError('parts out of range');
  const b = Buffer.alloc(PACKET_BYTES);
  b[0] = DEDUP_PACKET_ID;
  Buffer.from(id, 'hex').copy(b, 1);
  b.writeUInt16BE(parts, 1 + ID_BYTES);
  return b;
}

export interface DedupTag {
  dedup: string;
  part: number;
}

/** Per friend: the id announced by the last dedup packet and how many parts it still covers. */
export class DedupReceiver {
  private readonly pending = new Map<number, { id: string; next: number; parts: number }>();

  /** True if `data` was a dedup packet (consumed; not a custom packet for anyone else). */
  packet(friend: number, data: Buffer): boolean {
    if (data[0] !== DEDUP_PACKET_ID) return false;
    if (data.length !== PACKET_BYTES) return true; // ours, malformed: ignore it
    const parts = data.readUInt16BE(1 + ID_BYTES);
    if (parts === 0) this.pending.delete(friend); // the sender took it back (the send failed)
    else this.pending.set(friend, { id: data.subarray(1, 1 + ID_BYTES).toString('hex'), next: 0, parts });
    return true;
  }

  /** The tag for the message that just arrived from `friend`, if one was announced. */
  message(friend: number): DedupTag | undefined {
    const p = this.pending.get(friend);
    if (!p) return undefined;
    const tag = { dedup: p.id, part: p.next++ };
    if (p.next >= p.parts) this.pending.delete(friend);
    return tag;
  }

  /** A reconnect starts a new packet stream: an announcement cannot span it. */
  forget(friend: number): void {
    this.pending.delete(friend);
  }
}
