// Lets a peer's read receipt for a message we received fire one round trip later, not up to
// a second later.
//
// Why: toxcore acknowledges received lossless packets only inside packets it sends back
// (every data packet carries the receive buffer's start). On an otherwise silent connection
// the next one is net_crypto's request packet: once a second (CRYPTO_SEND_PACKET_INTERVAL),
// sooner only while the measured receive rate is above 4 packets/s and the last request is
// older than ~250 ms (send_crypto_packets in net_crypto.c). So a sender that sent one message
// saw its receipt after ~0.1 s or ~1.1 s (bimodal, measured with the pager). After an
// iteration that delivered messages, we send each of those friends one 1-byte lossy packet:
// it carries the acknowledgement at once. Clients that do not know the packet drop it.

/** In tox.h's custom lossy range (200–254). */
export const RECEIPT_NUDGE_ID = 0xfa;
const NUDGE = Buffer.from([RECEIPT_NUDGE_ID]);

export class ReceiptNudger {
  private readonly due = new Set<number>();

  constructor(private readonly sendLossy: (friend: number, data: Buffer) => void) {}

  /** A message from `friend` arrived in this iteration. */
  received(friend: number): void {
    this.due.add(friend);
  }

  /** After tox_iterate: one nudge per friend that sent messages, however many. */
  flush(): void {
    if (this.due.size === 0) return;
    for (const friend of this.due) {
      try {
        this.sendLossy(friend, NUDGE);
      } catch {
        /* gone offline meanwhile: toxcore dropped the receipt's message with the connection anyway */
      }
    }
    this.due.clear();
  }

  /** True for a nudge from a peer: consumed here, never shown as a custom packet. */
  static isNudge(data: Uint8Array): boolean {
    return data.length === 1 && data[0] === RECEIPT_NUDGE_ID;
  }
}
