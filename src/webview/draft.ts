// The composer's text while a send is on its way: it is kept until the host says the
// message was taken, so a refused send (not a friend any more, too long, store locked)
// loses nothing. Pure, so it is tested without a DOM.

export interface SendReply {
  request_id: number;
  ok: boolean;
  error?: string | undefined;
}

export interface Settled {
  /** What the composer holds now. */
  composer: string;
  /** Why the send was refused, to show beside the composer; null on success. */
  error: string | null;
}

export class DraftSends {
  private next = 1;
  private pending: { id: number; text: string } | null = null;

  /** The request id for sending `text`, or null while a send is still unanswered (a second
   *  Enter must not send the same draft twice). */
  begin(text: string): number | null {
    if (this.pending || !text.trim()) return null;
    const id = this.next;
    this.next = this.next >= 2 ** 31 - 1 ? 1 : this.next + 1;
    this.pending = { id, text };
    return id;
  }

  /** Applies the host's reply to the composer's `current` text; null if the reply is not for
   *  the send in flight (stale or forged: it changes nothing). */
  settle(reply: SendReply, current: string): Settled | null {
    const p = this.pending;
    if (!p || reply.request_id !== p.id) return null;
    this.pending = null;
    if (!reply.ok) return { composer: current, error: reply.error || 'the message was not sent' };
    // Typed on while the send was in flight: keep what was added after the sent text.
    return { composer: current.startsWith(p.text) ? current.slice(p.text.length) : current, error: null };
  }

  /** The conversation was replaced: a reply for it can no longer land anywhere. */
  reset(): void {
    this.pending = null;
  }
}
