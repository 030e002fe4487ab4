// Delivers alerts and codes to Tox peers, and knows where each one is:
//   queued ──recipient online──► sent ──read receipt──► delivered
//     ▲                            │ recipient went offline / node restarted
//     └────────────────────────────┘
//   queued or sent ──expiry passes──► expired        refused by the node ──► failed
// Given a full Tox ID that is not a friend yet, the sender sends the friend request itself
// and delivers once the recipient accepted and came online. A message toxcore took but never
// confirmed is sent again after a disconnect (a duplicate is possible, a loss is not: the
// receiver drops repeats by alert id).

import { randomBytes } from 'node:crypto';
import { type Alert, encodeAlert, encodeAlertPacket } from '../protocol/pagerAlert';
import type { NodeEvent, FriendInfo } from '../protocol/node';
import type { PagerGif } from '../protocol/pagerGif';
import { parsePublicKey, parseToxId } from '../sys/toxAddress';
import { logCode } from '../protocol/errcode';
import type { NodePort } from './nodePort';

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'expired' | 'failed';

export interface DeliveryInfo {
  id: string;
  /** The recipient's public key (64 hex, upper case). */
  to: string;
  status: DeliveryStatus;
  createdAt: number;
  expiresAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  /** Why it failed, for `failed` only. */
  reason: string | null;
}

export interface SenderOptions {
  now?: () => number;
  /** How often queued deliveries are retried and expiries checked. */
  retryMs?: number;
  /** The friend request message sent to a recipient who is not a friend yet. */
  friendRequestMessage?: string;
  /** Also send each alert as a lossless custom packet (for toxync peers). */
  mirrorPacket?: boolean;
  /** How long a finished delivery stays queryable. */
  keepFinishedMs?: number;
  /** Bound on deliveries held (queued, in flight or finished-but-kept). */
  maxDeliveries?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export class RecipientError extends RangeError {
  override readonly name = 'RecipientError';
}
export class SenderFullError extends Error {
  override readonly name = 'SenderFullError';
}

interface Delivery {
  info: DeliveryInfo;
  text: string;
  packet: string | null;
  /** The GIF still to send after the message (once; cleared when sent or refused). */
  gif: PagerGif | null;
  inFlight: boolean;
  awaiting: Set<number>;
  epoch: number;
}

interface Friend {
  friend: number;
  online: boolean;
}

const MAX_EARLY_RECEIPTS = 4096;

/** A fresh delivery/alert id: 72 random bits, URL- and trailer-safe. */
export function newAlertId(): string {
  return randomBytes(9).toString('base64url');
}

function errorCode(e: unknown): string {
  return e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : '';
}
function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class PagerSender {
  private readonly deliveries = new Map<string, Delivery>(); // insertion order = send order
  private readonly friends = new Map<string, Friend>(); // by public key
  private readonly requested = new Set<string>(); // keys with a friend request in flight
  private readonly receipts = new Map<string, string>(); // `${friend}:${message_id}` → delivery id
  private readonly earlyReceipts = new Set<string>();
  private readonly listeners = new Set<(d: DeliveryInfo) => void>();
  private readonly now: () => number;
  private readonly opts: Required<Omit<SenderOptions, 'now' | 'log'>>;
  private readonly log: NonNullable<SenderOptions['log']>;
  private unsubscribe: (() => void) | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Bumped when the node (re)starts: results and receipts from before are void. */
  private epoch = 0;
  private disposed = false;

  constructor(
    private readonly port: NodePort,
    options: SenderOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    this.opts = {
      retryMs: options.retryMs ?? 2000,
      friendRequestMessage: options.friendRequestMessage ?? 'toxync pager: alerts for you',
      mirrorPacket: options.mirrorPacket ?? false,
      keepFinishedMs: options.keepFinishedMs ?? 60 * 60_000,
      maxDeliveries: options.maxDeliveries ?? 10_000,
    };
  }

  /** Subscribes to the node and learns its friends. Call once, before deliver(). */
  async start(): Promise<void> {
    this.unsubscribe = this.port.onEvent((e) => this.onEvent(e));
    this.timer = setInterval(() => this.tick(), this.opts.retryMs);
    this.timer.unref?.(); // the server keeps the process alive, not this timer
    await this.reloadFriends();
  }

  onStatus(listener: (d: DeliveryInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Checks a recipient: a full Tox ID (76 hex, checksum verified), or the public key of an
   * existing friend (64 hex). Throws RecipientError otherwise.
   */
  recipient(to: string): { key: string; address: string | null } {
    const s = to.trim();
    try {
      if (s.length === 76) return { key: s.slice(0, 64).toUpperCase(), address: parseToxId(s).toString('hex').toUpperCase() };
      if (s.length === 64) {
        const key = parsePublicKey(s).toString('hex').toUpperCase();
        if (!this.friends.has(key)) throw new RecipientError('this public key is not a friend: give the full Tox ID (76 hex) so a friend request can be sent');
        return { key, address: null };
      }
    } catch (e) {
      if (e instanceof RecipientError) throw e;
      throw new RecipientError(`to: ${describe(e)}`);
    }
    throw new RecipientError("to must be a Tox ID (76 hex characters) or a friend's public key (64 hex characters)");
  }

  /** Queues an alert (its id becomes the delivery id) and sends it as soon as possible;
   *  `gif` (already checked) follows the message as a file transfer, once. */
  deliver(to: string, alert: Alert, gif: PagerGif | null = null): DeliveryInfo {
    if (this.disposed) throw new Error('the sender is stopped');
    const { key, address } = this.recipient(to);
    const text = encodeAlert(alert); // throws AlertFormatError before anything is queued
    if (this.deliveries.has(alert.id)) throw new RangeError('an alert with this id was sent already');
    this.makeRoom();
    const now = this.now();
    const info: DeliveryInfo = {
      id: alert.id,
      to: key,
      status: 'queued',
      createdAt: now,
      expiresAt: alert.expiresAt,
      sentAt: null,
      deliveredAt: null,
      reason: null,
    };
    const d: Delivery = {
      info,
      text,
      packet: this.opts.mirrorPacket ? encodeAlertPacket(alert) : null,
      gif,
      inFlight: false,
      awaiting: new Set(),
      epoch: this.epoch,
    };
    this.deliveries.set(info.id, d);
    this.changed(d);
    if (!this.friends.has(key) && address) this.requestFriend(key, address);
    else this.flush(key);
    return { ...info };
  }

  status(id: string): DeliveryInfo | null {
    const d = this.deliveries.get(id);
    return d ? { ...d.info } : null;
  }

  private makeRoom(): void {
    if (this.deliveries.size < this.opts.maxDeliveries) return;
    for (const [id, d] of this.deliveries) {
      if (d.info.status !== 'queued' && d.info.status !== 'sent') {
        this.deliveries.delete(id);
        return;
      }
    }
    throw new SenderFullError(`${this.opts.maxDeliveries} alerts are waiting for delivery already`);
  }

  private requestFriend(key: string, address: string): void {
    if (this.requested.has(key)) return;
    this.requested.add(key);
    const epoch = this.epoch;
    this.port.request({ cmd: 'friend_add', address, message: this.opts.friendRequestMessage }).then(
      (r) => {
        this.requested.delete(key);
        if (epoch !== this.epoch) return;
        if (!this.friends.has(key)) this.friends.set(key, { friend: r.friend, online: false });
        this.log('info', `sent a friend request to ${key.slice(0, 8)}…`);
      },
      (e: unknown) => {
        this.requested.delete(key);
        // Already a friend (a race with our friend list): learn the list again and go on.
        if (errorCode(e).includes('ALREADY_SENT'))
          return void this.reloadFriends().then(
            () => this.flush(key),
            () => {},
          );
        this.failAll(key, `the friend request was refused: ${describe(e)}`);
      },
    );
  }

  /** Sends every queued delivery for `key`, oldest first, if the recipient is online. */
  private flush(key: string): void {
    const f = this.friends.get(key);
    if (!f || !f.online || this.disposed) return;
    for (const d of this.deliveries.values()) {
      if (d.info.to === key && d.info.status === 'queued' && !d.inFlight) this.transmit(f.friend, d);
    }
  }

  private transmit(friend: number, d: Delivery): void {
    const epoch = this.epoch;
    d.inFlight = true;
    this.port.request({ cmd: 'send', friend, text: d.text }).then(
      (r) => {
        d.inFlight = false;
        if (epoch !== this.epoch || d.info.status !== 'queued') return;
        d.awaiting = new Set(r.message_ids);
        d.epoch = epoch;
        for (const mid of r.message_ids) this.receipts.set(`${friend}:${mid}`, d.info.id);
        d.info.status = 'sent';
        d.info.sentAt = this.now();
        this.changed(d);
        if (d.packet)
          this.port
            .request({ cmd: 'custom_packet', friend, lossless: true, data: d.packet })
            .catch((e: unknown) => this.log('warn', `alert packet mirror failed: ${logCode(e)}`));
        if (d.gif) this.sendGif(friend, d);
        for (const mid of r.message_ids) if (this.earlyReceipts.delete(`${friend}:${mid}`)) this.receipt(friend, mid);
      },
      (e: unknown) => {
        d.inFlight = false;
        if (d.info.status !== 'queued') return;
        const code = errorCode(e);
        // Not connected (any more), queue full, or the node went away: the next tick retries.
        const transient = code.includes('FRIEND_NOT_CONNECTED') || code.includes('SENDQ') || (e instanceof Error && e.name === 'NodeRestartedError');
        if (!transient) this.finish(d, 'failed', `the node refused the message: ${describe(e)}`);
      },
    );
  }

  /** The alert's GIF, after its message: the node generates it and offers it as an ordinary
   *  file (toxcore queues the offer while the friend is away). Sent once: a resent message
   *  after a reconnect is deduplicated by the receiver, a second file would not be. */
  private sendGif(friend: number, d: Delivery): void {
    const gif = d.gif!;
    d.gif = null;
    this.port.request({ cmd: 'send_gif', friend, ...gif }).then(
      () => this.log('info', `alert ${d.info.id}: sent its ${gif.style} GIF`),
      (e: unknown) => this.log('warn', `alert ${d.info.id}: its GIF was not sent: ${logCode(e)}`),
    );
  }

  private receipt(friend: number, messageId: number): void {
    const rk = `${friend}:${messageId}`;
    const id = this.receipts.get(rk);
    if (!id) {
      // Possibly ahead of the `send` result naming it (one IPC read can carry both).
      if ([...this.deliveries.values()].some((d) => d.inFlight)) {
        this.earlyReceipts.add(rk);
        if (this.earlyReceipts.size > MAX_EARLY_RECEIPTS) this.earlyReceipts.delete(this.earlyReceipts.values().next().value!);
      }
      return;
    }
    this.receipts.delete(rk);
    const d = this.deliveries.get(id);
    if (!d || d.info.status !== 'sent') return;
    d.awaiting.delete(messageId);
    if (d.awaiting.size === 0) {
      d.info.deliveredAt = this.now();
      this.finish(d, 'delivered', null);
    }
  }

  private onEvent(e: NodeEvent): void {
    switch (e.event) {
      case 'ready':
        // A (re)started node: toxcore's queue and message ids died with the old one.
        this.epoch++;
        this.receipts.clear();
        this.earlyReceipts.clear();
        this.friends.clear();
        this.learnFriends(e.friends);
        for (const d of this.deliveries.values()) if (d.info.status === 'sent') this.requeue(d);
        for (const key of new Set([...this.deliveries.values()].map((d) => d.info.to))) this.flush(key);
        break;
      case 'friend_connection': {
        const key = e.public_key.toUpperCase();
        this.friends.set(key, { friend: e.friend, online: e.status !== 'none' });
        if (e.status === 'none') {
          for (const d of this.deliveries.values()) if (d.info.to === key && d.info.status === 'sent') this.requeue(d);
        } else this.flush(key);
        break;
      }
      case 'receipt':
        this.receipt(e.friend, e.message_id);
        break;
      default:
        break;
    }
  }

  private requeue(d: Delivery): void {
    for (const [rk, id] of this.receipts) if (id === d.info.id) this.receipts.delete(rk);
    d.awaiting.clear();
    d.info.status = 'queued';
    d.info.sentAt = null;
    this.changed(d);
  }

  private async reloadFriends(): Promise<void> {
    const r = await this.port.request({ cmd: 'friends' });
    this.learnFriends(r.friends);
  }

  private learnFriends(list: readonly FriendInfo[]): void {
    for (const f of list) this.friends.set(f.public_key.toUpperCase(), { friend: f.friend, online: f.connection !== 'none' });
    for (const key of this.friends.keys()) this.flush(key);
  }

  private failAll(key: string, reason: string): void {
    for (const d of this.deliveries.values()) if (d.info.to === key && d.info.status === 'queued') this.finish(d, 'failed', reason);
  }

  private finish(d: Delivery, status: 'delivered' | 'expired' | 'failed', reason: string | null): void {
    d.info.status = status;
    d.info.reason = reason;
    d.text = ''; // a code's digits are not kept longer than needed
    d.packet = null;
    if (status !== 'delivered') d.gif = null;
    this.changed(d);
  }

  /** Expires what is past its expiry, retries the queue, forgets old finished deliveries. */
  tick(): void {
    const now = this.now();
    const keys = new Set<string>();
    for (const [id, d] of this.deliveries) {
      const s = d.info.status;
      if ((s === 'queued' || s === 'sent') && now >= d.info.expiresAt) this.finish(d, 'expired', null);
      else if (s === 'queued') keys.add(d.info.to);
      else if (s !== 'sent' && now - Math.max(d.info.expiresAt, d.info.deliveredAt ?? 0) > this.opts.keepFinishedMs) this.deliveries.delete(id);
    }
    for (const k of keys) this.flush(k);
  }

  private changed(d: Delivery): void {
    const snapshot = { ...d.info };
    for (const l of [...this.listeners]) l(snapshot);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }
}
