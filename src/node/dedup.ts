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
    if (parts === 0)
      this.pending.delete(friend); // the sender took it back (the send failed)
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

/** Sender side: which dedup id each outgoing message id belongs to, so the receipt of a
 *  message's last unconfirmed part can name the whole message (the host then needs no map of
 *  toxcore message ids, and a receipt that overtakes its `send` result is still understood). */
export class DedupSender {
  /** Per friend: toxcore message id → the dedup id of the message it is a part of. */
  private readonly parts = new Map<number, Map<number, string>>();
  /** Per friend: dedup id → how many of its parts still wait for a receipt. */
  private readonly open = new Map<number, Map<string, number>>();

  /** Records a message sent as `ids` under `dedup`. A re-send under the same id replaces the
   *  old parts: toxcore dropped them (disconnect) or they belong to a dead node. */
  sent(friend: number, dedup: string, ids: number[]): void {
    const parts = this.parts.get(friend) ?? new Map<number, string>();
    const open = this.open.get(friend) ?? new Map<string, number>();
    this.parts.set(friend, parts);
    this.open.set(friend, open);
    for (const [mid, d] of parts) if (d === dedup) parts.delete(mid);
    for (const mid of ids) parts.set(mid, dedup);
    open.set(dedup, ids.length);
  }

  /** The dedup id of the message this receipt completes, if it completes one. */
  receipt(friend: number, messageId: number): string | undefined {
    const dedup = this.parts.get(friend)?.get(messageId);
    if (dedup === undefined) return undefined;
    this.parts.get(friend)!.delete(messageId);
    const open = this.open.get(friend)!;
    const left = (open.get(dedup) ?? 1) - 1;
    if (left > 0) {
      open.set(dedup, left);
      return undefined;
    }
    open.delete(dedup);
    return dedup;
  }

  /** toxcore drops its send queue when a friend goes offline (or is deleted): no receipt
   *  for what was pending will come. */
  forget(friend: number): void {
    this.parts.delete(friend);
    this.open.delete(friend);
  }
}
