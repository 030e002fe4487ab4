// Delivers alerts and codes to Tox peers, and knows where each one is:
//   queued ──recipient online──► sent ──read receipt──► delivered
//     ▲                            │ recipient went offline / node restarted
//     └────────────────────────────┘
//   queued or sent ──expiry passes──► expired        refused by the node ──► failed
// Given a full Tox ID that is not a friend yet, the sender sends the friend request itself
// and delivers once the recipient accepted and came online. A message toxcore took but never
// confirmed is sent again after a disconnect (a duplicate is possible, a loss is not: the
// receiver drops repeats by alert id).
//
// Receipts: every send names its delivery with a dedup id (src/node/dedup.ts); the node's
// receipt event carries that id once the message's last part is confirmed, so no map of
// toxcore message ids lives here and a receipt that overtakes its `send` result is still
// understood. Work per alert and per event is bounded by that recipient's open deliveries,
// never by everything held (up to maxDeliveries, kept for keepFinishedMs).

import { randomBytes } from 'node:crypto';
import { type Alert, encodeAlert, encodeAlertPacket } from '../protocol/pagerAlert';
import type { NodeEvent, FriendInfo } from '../protocol/node';
import type { PagerGif } from '../protocol/pagerGif';
import { parsePublicKey, parseToxId } from '../sys/toxAddress';
import { logCode } from '../protocol/errcode';
import type { NodePort } from './nodePort';
import { GROUP_PREFIX, groupRecipient, groupSendIsTransient, PagerGroups } from './groupRoute';

import { type Delivery, describe, type DeliveryInfo, errorCode, type Friend, RecipientError, SenderFullError, type SenderOptions } from './deliveryTypes';

export { type DeliveryInfo, type DeliveryStatus, newAlertId, RecipientError, SenderFullError, type SenderOptions } from './deliveryTypes';

export class PagerSender {
  private readonly deliveries = new Map<string, Delivery>(); // insertion order = send order
  private readonly friends = new Map<string, Friend>(); // by public key
  private readonly requested = new Set<string>(); // keys with a friend request in flight
  private readonly byDedup = new Map<string, Delivery>(); // open deliveries by dedup id
  /** Per recipient key: its open (queued or sent) deliveries, oldest first. */
  private readonly open = new Map<string, Set<Delivery>>();
  private readonly listeners = new Set<(d: DeliveryInfo) => void>();
  private readonly now: () => number;
  private readonly opts: Required<Omit<SenderOptions, 'now' | 'log'>>;
  private readonly log: NonNullable<SenderOptions['log']>;
  private readonly groups: PagerGroups;
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
    this.groups = new PagerGroups(
      port,
      (chatId) => this.flush(GROUP_PREFIX + chatId),
      (m) => this.log('warn', m),
    );
  }

  /** Subscribes to the node and learns its friends. Call once, before deliver(). */
  async start(): Promise<void> {
    this.unsubscribe = this.port.onEvent((e) => this.onEvent(e));
    this.timer = setInterval(() => this.tick(), this.opts.retryMs);
    this.timer.unref?.(); // the server keeps the process alive, not this timer
    await Promise.all([this.reloadFriends(), this.groups.refresh()]);
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
      const chatId = groupRecipient(s);
      if (chatId !== null) {
        if (!this.groups.has(chatId)) throw new RecipientError("the pager's node is not in this group: it must join it first");
        return { key: GROUP_PREFIX + chatId, address: null };
      }
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
    // A group has no file transfers in NGC: refused rather than dropped without a word.
    if (gif && key.startsWith(GROUP_PREFIX)) throw new RecipientError('gif: a group alert cannot carry a GIF (NGC groups have no file transfers)');
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
      dedup: randomBytes(16).toString('hex'),
    };
    this.deliveries.set(info.id, d);
    this.byDedup.set(d.dedup, d);
    const mine = this.open.get(key) ?? new Set<Delivery>();
    this.open.set(key, mine.add(d));
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
    if (key.startsWith(GROUP_PREFIX)) return this.flushGroup(key);
    const f = this.friends.get(key);
    if (!f || !f.online || this.disposed) return;
    for (const d of this.open.get(key) ?? []) if (d.info.status === 'queued' && !d.inFlight) this.transmit(f.friend, d);
  }

  private transmit(friend: number, d: Delivery): void {
    const epoch = this.epoch;
    d.inFlight = true;
    this.port.request({ cmd: 'send', friend, text: d.text, dedup: d.dedup }).then(
      () => {
        d.inFlight = false;
        if (epoch !== this.epoch) return;
        // The receipt can be ahead of this result: the GIF follows a delivered message too.
        if (d.gif && (d.info.status === 'queued' || d.info.status === 'delivered')) this.sendGif(friend, d);
        if (d.info.status !== 'queued') return;
        d.info.status = 'sent';
        d.info.sentAt = this.now();
        this.changed(d);
        if (d.packet)
          this.port
            .request({ cmd: 'custom_packet', friend, lossless: true, data: d.packet })
            .catch((e: unknown) => this.log('warn', `alert packet mirror failed: ${logCode(e)}`));
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

  /** A group alert: one group message. NGC has no receipts: `sent` is final (text dropped, never requeued). */
  private flushGroup(key: string): void {
    const group = this.groups.readyGroup(key.slice(GROUP_PREFIX.length));
    if (group === null || this.disposed) return;
    for (const d of this.open.get(key) ?? []) {
      if (d.info.status !== 'queued' || d.inFlight) continue;
      d.inFlight = true;
      this.port.request({ cmd: 'group_send_message', group, text: d.text }).then(
        () => {
          d.inFlight = false;
          if (d.info.status === 'queued') this.finish(d, 'sent', null);
        },
        (e: unknown) => {
          d.inFlight = false;
          if (d.info.status === 'queued' && !groupSendIsTransient(e)) this.finish(d, 'failed', `the node refused the message: ${describe(e)}`);
        },
      );
    }
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

  /** The node confirmed every part of the message sent under `dedup`. It may be ahead of the
   *  `send` result (one IPC read can carry both): the id names the delivery either way. The
   *  node forgets a friend's ids when they go offline and a restarted node knows none, so a
   *  receipt never confirms a send that toxcore dropped. */
  private receipt(dedup: string | undefined): void {
    const d = dedup === undefined ? undefined : this.byDedup.get(dedup);
    if (!d || !(d.info.status === 'sent' || (d.info.status === 'queued' && d.inFlight))) return;
    const now = this.now();
    d.info.sentAt ??= now;
    d.info.deliveredAt = now;
    this.finish(d, 'delivered', null);
  }

  private onEvent(e: NodeEvent): void {
    this.groups.onEvent(e);
    switch (e.event) {
      case 'ready':
        // A (re)started node: toxcore's queue and message ids died with the old one.
        this.epoch++;
        this.friends.clear();
        for (const mine of this.open.values()) for (const d of mine) if (d.info.status === 'sent') this.requeue(d);
        this.learnFriends(e.friends); // flushes every friend's queue
        for (const key of this.open.keys()) if (key.startsWith(GROUP_PREFIX)) this.flush(key);
        break;
      case 'friend_connection': {
        const key = e.public_key.toUpperCase();
        this.friends.set(key, { friend: e.friend, online: e.status !== 'none' });
        if (e.status === 'none') {
          for (const d of this.open.get(key) ?? []) if (d.info.status === 'sent') this.requeue(d);
        } else this.flush(key);
        break;
      }
      case 'receipt':
        this.receipt(e.dedup);
        break;
      default:
        break;
    }
  }

  private requeue(d: Delivery): void {
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
    for (const d of this.open.get(key) ?? []) if (d.info.status === 'queued') this.finish(d, 'failed', reason);
  }

  private finish(d: Delivery, status: 'sent' | 'delivered' | 'expired' | 'failed', reason: string | null): void {
    if (status === 'sent') d.info.sentAt = this.now();
    d.info.status = status;
    d.info.reason = reason;
    this.byDedup.delete(d.dedup);
    const mine = this.open.get(d.info.to);
    if (mine?.delete(d) && mine.size === 0) this.open.delete(d.info.to);
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
      const open = s === 'queued' || (s === 'sent' && d.text !== '');
      if (open && now >= d.info.expiresAt) this.finish(d, 'expired', null);
      else if (s === 'queued') keys.add(d.info.to);
      else if (!open && now - Math.max(d.info.expiresAt, d.info.deliveredAt ?? 0) > this.opts.keepFinishedMs) this.deliveries.delete(id);
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
