// Outgoing messages from queued to delivered. Part of the chat model (chatModel.ts), split
// out because it is its own state machine:
//   queued ──friend online──► sending ──send result──► sent ──receipt naming its dedup id──► delivered
//     ▲                          │ not connected / node restarted            │ disconnect or
//     └──────────────────────────┴───────────────────────────────────────────┘ node restart
//   sending ──any other refusal──► failed ──retry──► queued
// A message toxcore took but never confirmed is sent again (a duplicate is possible, a loss
// is not), like qTox does.

import type { ChatMessage, DeliveryState } from '../../protocol/webview';
import { NodeCommandError, NodeRestartedError, type NodeSupervisor } from '../supervisor/supervisor';

/** What the model needs of the node: the supervisor's `request` (tests pass their own). */
export type NodeLink = Pick<NodeSupervisor, 'request'>;

interface Outgoing {
  msg: ChatMessage;
  key: string;
  /** The id it is (re-)sent with: the receiver drops a second copy, and the node names it
   *  in the receipt that completes it. */
  dedup: string;
}

export interface OutboxHost {
  node(): NodeLink;
  /** The friend number of `key` while they are connected, else null. */
  connectedFriend(key: string): number | null;
  setState(key: string, id: string, state: DeliveryState): void;
}

const RETRY_MS = 2000;

export class Outbox {
  private readonly items = new Map<string, Outgoing>(); // by local message id, until delivered
  private readonly retryKeys = new Set<string>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped on every node (re)start: results from an older node are ignored. */
  private epoch = 0;

  constructor(private readonly host: OutboxHost) {}

  /** Takes a new outgoing message (state queued) and sends it if the friend is online. */
  add(key: string, msg: ChatMessage, dedup: string): void {
    this.items.set(msg.id, { msg, key, dedup });
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
    const epoch = this.epoch;
    this.host.setState(o.key, o.msg.id, 'sending');
    this.host
      .node()
      .request({ cmd: 'send', friend, text: o.msg.text, action: o.msg.kind === 'action', dedup: o.dedup })
      .then(
        () => {
          // The node restarted meanwhile, or the receipt overtook this result (both can reach
          // the host in one IPC read, and events are dispatched first): nothing to do.
          if (epoch !== this.epoch || o.msg.state !== 'sending') return;
          this.host.setState(o.key, o.msg.id, 'sent');
        },
        (err: unknown) => {
          if (o.msg.state !== 'sending') return;
          // Not connected (any more) or the node restarted: it waits for the next chance.
          // Anything else (a message toxcore refuses) is shown as failed with a retry button.
          const code = err instanceof NodeCommandError ? (err.code ?? '') : '';
          const transient = err instanceof NodeRestartedError || code.includes('FRIEND_NOT_CONNECTED') || code.includes('SENDQ');
          this.host.setState(o.key, o.msg.id, transient ? 'queued' : 'failed');
          if (transient && epoch === this.epoch) this.flushLater(o.key);
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

  /** The node's receipt completing the message sent under `dedup` (a Tox read receipt: it
   *  means delivered, never "read"). Receipts without a dedup id are not ours. */
  receipt(dedup: string): void {
    for (const [id, o] of this.items) {
      if (o.dedup !== dedup) continue;
      this.items.delete(id);
      this.host.setState(o.key, id, 'delivered');
      return;
    }
  }

  /** Sent but unconfirmed messages go back to the queue (toxcore drops them on disconnect). */
  requeueUnconfirmed(key: string): void {
    for (const o of this.items.values()) {
      if (o.key !== key || (o.msg.state !== 'sent' && o.msg.state !== 'sending')) continue;
      this.host.setState(key, o.msg.id, 'queued');
    }
  }

  /** A new node process: toxcore's own queue and message ids died with the old one. */
  nodeRestarted(): void {
    this.epoch++;
  }

  /** The friend was removed: their undelivered messages go with them. */
  forget(key: string): void {
    for (const [id, o] of this.items) if (o.key === key) this.items.delete(id);
  }

  forgetAll(): void {
    this.items.clear();
    this.retryKeys.clear();
  }

  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryKeys.clear();
  }
}
