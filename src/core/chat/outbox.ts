// Outgoing messages from queued to delivered. Part of the chat model (model/chat.ts), split
// out because it is its own state machine:
//   queued ──friend online──► sending ──send result──► sent ──every receipt──► delivered
//     ▲                          │ not connected / node restarted            │ disconnect or
//     └──────────────────────────┴───────────────────────────────────────────┘ node restart
//   sending ──any other refusal──► failed ──retry──► queued
// A message toxcore took but never confirmed is sent again (a duplicate is possible, a loss
// is not), like qTox does.

import type { ChatMessage, DeliveryState } from '../../protocol/webview';
import { NodeCommandError, NodeRestartedError, NodeSupervisor } from '../supervisor/supervisor';

/** What the model needs of the node: the supervisor's `request` (tests pass their own). */
export type NodeLink = Pick<NodeSupervisor, 'request'>;

interface Outgoing {
  msg: ChatMessage;
  key: string;
  /** toxcore message ids still waiting for a receipt. */
  awaiting: Set<number>;
}

export interface OutboxHost {
  node(): NodeLink;
  /** The friend number of `key` while they are connected, else null. */
  connectedFriend(key: string): number | null;
  setState(key: string, id: string, state: DeliveryState): void;
  /** The id a message is (re-)sent with, so the receiver can drop a second copy. */
  dedup(id: string): string | undefined;
  /** Bumped on every node (re)start: results from an older node are ignored. */
  epoch(): number;
}

const RETRY_MS = 2000;
const MAX_EARLY_RECEIPTS = 4096;

export class Outbox {
  private readonly items = new Map<string, Outgoing>(); // by local message id, until delivered
  private readonly receipts = new Map<string, string>(); // `${friend}:${message_id}` → local id
  /** Receipts that arrived before the `send` result naming their message id: the result
   *  and the receipt can reach the host in one IPC read, and events are dispatched before
   *  the promise of the result resolves. Bounded; cleared with the node epoch. */
  private readonly earlyReceipts = new Set<string>();
  private readonly retryKeys = new Set<string>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly host: OutboxHost) {}

  /** Takes a new outgoing message (state queued) and sends it if the friend is online. */
  add(key: string, msg: ChatMessage): void {
    this.items.set(msg.id, { msg, key, awaiting: new Set() });
    this.flush(key);
  }

  retry(key: string, id: string): void {
    const o = this.items.get(id);
    if (!o || o.key !== key || o.msg.state !== 'failed') return;
    this.host.setState(key, id, 'queued');
    this.flush(key);
  }

  /** Sends every queued message for `key`, in order, if the friend is connected. */
  flush(key: string): void {
    const friend = this.host.connectedFriend(key);
    if (friend === null) return;
    for (const o of this.items.values()) {
      if (o.key === key && o.msg.state === 'queued') this.transmit(friend, o);
    }
  }

  private transmit(friend: number, o: Outgoing): void {
    const epoch = this.host.epoch();
    this.host.setState(o.key, o.msg.id, 'sending');
    const dedup = this.host.dedup(o.msg.id);
    this.host.node().request({ cmd: 'send', friend, text: o.msg.text, action: o.msg.kind === 'action', ...(dedup ? { dedup } : {}) }).then(
      (r) => {
        if (epoch !== this.host.epoch() || o.msg.state !== 'sending') return; // the node restarted meanwhile
        o.awaiting = new Set(r.message_ids);
        for (const mid of r.message_ids) this.receipts.set(`${friend}:${mid}`, o.msg.id);
        this.host.setState(o.key, o.msg.id, 'sent');
        for (const mid of r.message_ids) {
          if (this.earlyReceipts.delete(`${friend}:${mid}`)) this.receipt(friend, mid);
        }
      },
      (err: unknown) => {
        if (o.msg.state !== 'sending') return;
        // Not connected (any more) or the node restarted: it waits for the next chance.
        // Anything else (a message toxcore refuses) is shown as failed with a retry button.
        const code = err instanceof NodeCommandError ? (err.code ?? '') : '';
        const transient = err instanceof NodeRestartedError || code.includes('FRIEND_NOT_CONNECTED') || code.includes('SENDQ');
        this.host.setState(o.key, o.msg.id, transient ? 'queued' : 'failed');
        if (transient && epoch === this.host.epoch()) this.flushLater(o.key);
      },
    );
  }

  private flushLater(key: string): void {
    this.retryKeys.add(key);
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      const keys = [...this.retryKeys];
      this.retryKeys.clear();
      for (const k of keys) this.flush(k);
    }, RETRY_MS);
  }

  /** A Tox read receipt (it means delivered, never "read"). */
  receipt(friend: number, messageId: number): void {
    const rk = `${friend}:${messageId}`;
    const id = this.receipts.get(rk);
    if (!id) {
      // Possibly ahead of its `send` result; kept only while sends are in flight.
      if ([...this.items.values()].some((o) => o.msg.state === 'sending')) {
        this.earlyReceipts.add(rk);
        if (this.earlyReceipts.size > MAX_EARLY_RECEIPTS) this.earlyReceipts.delete(this.earlyReceipts.values().next().value!);
      }
      return;
    }
    this.receipts.delete(rk);
    const o = this.items.get(id);
    if (!o) return;
    o.awaiting.delete(messageId);
    if (o.awaiting.size === 0) {
      this.items.delete(id);
      this.host.setState(o.key, id, 'delivered');
    }
  }

  /** Sent but unconfirmed messages go back to the queue (toxcore drops them on disconnect). */
  requeueUnconfirmed(key: string): void {
    for (const o of this.items.values()) {
      if (o.key !== key || (o.msg.state !== 'sent' && o.msg.state !== 'sending')) continue;
      for (const [rk, id] of this.receipts) if (id === o.msg.id) this.receipts.delete(rk);
      o.awaiting.clear();
      this.host.setState(key, o.msg.id, 'queued');
    }
  }

  /** A new node process: toxcore's own queue and message ids died with the old one. */
  nodeRestarted(): void {
    this.receipts.clear();
    this.earlyReceipts.clear();
  }

  /** The friend was removed: their undelivered messages go with them. */
  forget(key: string): void {
    for (const [id, o] of this.items) if (o.key === key) this.items.delete(id);
  }

  forgetAll(): void {
    this.items.clear();
    this.receipts.clear();
    this.earlyReceipts.clear();
    this.retryKeys.clear();
  }

  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryKeys.clear();
  }
}
