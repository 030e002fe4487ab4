// The chat state the extension host and the CLI keep: conversations, messages and the
// outbox, on top of the friend list and requests (friendBook.ts). Pure (no `vscode` import):
// it reacts to node events, drives the node through a narrow `NodeLink`, and tells its
// listeners what changed. Views only read from it.
//
// Why the outbox (outbox.ts) lives here, in the host, and not in the node: the node
// process is the one that may crash (it parses network input in C). Messages queued here
// survive a node restart; anything toxcore had taken but not confirmed is sent again.

import type { NodeEvent, SelfInfo } from '../../protocol/node';
import { type NodeLink, Outbox } from './outbox';
import type { ChatMessage, DeliveryState } from '../../protocol/webview';
import type { Prefs } from './prefs';
import { FriendBook } from './friendBook';
import { capUtf8, MAX_NAME_BYTES, MAX_STATUS_MESSAGE_BYTES } from '../../common/text';
import type { ChatChange, ChatJournal, FriendRequest, IncomingFilter, RestoredConversation } from './chatTypes';
import { randomBytes } from 'node:crypto';

export type { NodeLink } from './outbox';
export type { ChatChange, ChatJournal, Contact, FriendRequest, IncomingFilter, IncomingVerdict, RestoredConversation } from './chatTypes';

/** Beyond this, the oldest messages of a conversation are dropped from memory. */
const MAX_HISTORY = 50_000;

export class ChatModel extends FriendBook {
  private readonly history = new Map<string, ChatMessage[]>();
  /** Per conversation: received dedup tag (id:part) → local message id (drops re-sends). */
  private readonly seen = new Map<string, Map<string, string>>();
  /** Outgoing message id → its dedup id. */
  private readonly outDedup = new Map<string, string>();
  private readonly outbox: Outbox;
  /** Conversations on screen right now (their messages count as read). */
  private readonly visible = new Set<string>();
  private seq = 0;
  private incomingFilter: IncomingFilter | null = null;

  constructor(
    /** Throws when no node is running (the user has not started Tox). */
    node: () => NodeLink,
    prefs: Prefs,
    now: () => number = Date.now,
    journal: ChatJournal | null = null,
  ) {
    super(node, prefs, now, journal);
    this.outbox = new Outbox({
      node,
      connectedFriend: (key) => {
        const c = this.contacts.get(key);
        return c && c.connection !== 'none' ? c.friend : null;
      },
      setState: (key, id, state) => this.setState(key, id, state),
    });
  }

  protected friendGone(key: string): void {
    this.outbox.forget(key);
  }

  protected friendOnline(key: string): void {
    this.outbox.flush(key);
  }

  private newId(prefix: string): string {
    return `${prefix}${this.now().toString(36)}-${(this.seq++).toString(36)}`;
  }

  // ---- reading -------------------------------------------------------------------------

  messages(key: string): ChatMessage[] {
    return this.history.get(key) ?? [];
  }

  // ---- node events ---------------------------------------------------------------------

  handle(e: NodeEvent): void {
    if (e.event === 'friend_connection' || e.event === 'friend_name' || e.event === 'friend_status' || e.event === 'friend_status_message') this.friendEvents++;
    switch (e.event) {
      case 'ready':
        this.onReady(e);
        break;
      case 'friend_request':
        this.friendRequest(e);
        break;
      case 'friend_connection': {
        const c = this.contactByFriend(e.friend);
        if (!c) return;
        const was = c.connection;
        c.connection = e.status;
        if (e.status === 'none') {
          c.typing = false;
          this.outbox.requeueUnconfirmed(c.key);
        }
        this.emit({ kind: 'peer', key: c.key });
        this.emit({ kind: 'contacts' });
        if (was === 'none' && e.status !== 'none') this.outbox.flush(c.key);
        break;
      }
      case 'friend_name':
        this.updateContact(e.friend, (c) => (c.name = capUtf8(e.name, MAX_NAME_BYTES)));
        break;
      case 'friend_status_message':
        this.updateContact(e.friend, (c) => (c.statusMessage = capUtf8(e.text, MAX_STATUS_MESSAGE_BYTES)));
        break;
      case 'friend_status':
        this.updateContact(e.friend, (c) => (c.status = e.status));
        break;
      case 'friend_typing': {
        const c = this.contactByFriend(e.friend);
        if (!c) return;
        c.typing = e.typing;
        this.emit({ kind: 'peer', key: c.key });
        break;
      }
      case 'message': {
        const c = this.contactByFriend(e.friend);
        if (!c) return;
        c.typing = false;
        const tag = e.dedup !== undefined ? `${e.dedup}:${e.part ?? 0}` : undefined;
        if (tag && this.isResent(c.key, tag, e.text)) {
          this.emit({ kind: 'peer', key: c.key });
          return;
        }
        const verdict = this.incomingFilter?.(c.key, e.text) ?? { kind: 'plain' };
        if (verdict.kind === 'drop') {
          this.emit({ kind: 'peer', key: c.key });
          return;
        }
        const replaced = verdict.kind === 'replace';
        const msg: ChatMessage = {
          id: this.newId('i'),
          dir: 'in',
          kind: replaced ? 'normal' : e.type,
          text: replaced ? verdict.text : e.text,
          ts: this.now(),
          ...(e.dedup !== undefined && !replaced ? { split: { of: e.dedup, part: e.part ?? 0 } } : {}),
        };
        if (tag) this.seenOf(c.key).set(tag, msg.id);
        this.push(c.key, msg, true, tag, replaced);
        this.emit({ kind: 'peer', key: c.key });
        break;
      }
      case 'receipt':
        if (e.dedup !== undefined) this.outbox.receipt(e.dedup);
        break;
      // file_* events: model/files.ts (FileTransfers) writes file messages through addMessage.
      default:
        break;
    }
  }

  private onReady(info: SelfInfo): void {
    this.self = info;
    this.outbox.nodeRestarted();
    const seen = new Set<string>();
    for (const f of info.friends) {
      const key = f.public_key.toUpperCase();
      seen.add(key);
      this.upsertContact(f);
    }
    for (const key of [...this.contacts.keys()]) if (!seen.has(key)) this.contacts.delete(key);
    for (const key of this.contacts.keys()) this.outbox.requeueUnconfirmed(key);
    this.emit({ kind: 'self' });
    this.emit({ kind: 'contacts' });
    for (const key of this.contacts.keys()) {
      this.emit({ kind: 'peer', key });
      this.outbox.flush(key);
    }
  }

  private seenOf(key: string): Map<string, string> {
    let m = this.seen.get(key);
    if (!m) this.seen.set(key, (m = new Map()));
    return m;
  }

  /** A re-sent copy: the same sender id and part, with the same text, already shown. A tag
   *  alone is not trusted to drop anything (a peer could reuse ids to hide messages). */
  private isResent(key: string, tag: string, text: string): boolean {
    const id = this.seen.get(key)?.get(tag);
    if (!id) return false;
    return this.history.get(key)?.some((m) => m.id === id && m.text === text) ?? false;
  }

  private push(key: string, msg: ChatMessage, incoming: boolean, dedup?: string, quiet = false): void {
    this.journal?.append(key, msg, dedup);
    let h = this.history.get(key);
    if (!h) this.history.set(key, (h = []));
    h.push(msg);
    if (h.length > MAX_HISTORY) h.splice(0, h.length - MAX_HISTORY);
    const c = this.contacts.get(key);
    if (c) {
      c.lastActivity = msg.ts;
      if (incoming && !quiet && !this.visible.has(key)) c.unread++;
    }
    this.emit({ kind: 'append', key, messages: [msg], incoming, ...(quiet ? { quiet } : {}) });
    this.emit({ kind: 'contacts' });
  }

  /** A note from toxync itself into a conversation (never peer text on its own). */
  system(key: string, text: string): void {
    this.push(key, { id: this.newId('s'), dir: 'system', kind: 'normal', text, ts: this.now() }, false);
  }

  private setState(key: string, id: string, state: DeliveryState): void {
    const m = this.findMessage(key, id);
    if (!m || m.state === state) return;
    m.state = state;
    // Only final states are written: anything else is "not yet delivered" after a restart.
    if (state === 'delivered' || state === 'failed') this.journal?.state(key, id, state);
    this.emit({ kind: 'state', key, id, state });
  }

  private findMessage(key: string, id: string): ChatMessage | undefined {
    const h = this.history.get(key);
    if (!h) return undefined;
    for (let i = h.length - 1; i >= 0; i--) if (h[i]!.id === id) return h[i];
    return undefined;
  }

  /** Decides about every incoming text before it is stored or shown (the pager, see
   *  extension/pager/controller.ts); null: every text is an ordinary message. */
  setIncomingFilter(filter: IncomingFilter | null): void {
    this.incomingFilter = filter;
  }

  // ---- persistence ---------------------------------------------------------------------

  /** Where aliases, blocks and history go (the store, once unlocked; nothing while locked). */
  setPersistence(prefs: Prefs, journal: ChatJournal | null): void {
    this.requestSaver.flush(); // into the journal it belongs to
    this.prefs = prefs;
    this.journal = journal;
  }

  /** Loads what the journal kept (at unlock, before the node starts). Outgoing messages that
   *  were not delivered go back into the outbox and leave when their friend is online. */
  restore(convs: RestoredConversation[], requests: FriendRequest[]): void {
    for (const c of convs) {
      const msgs = c.messages.slice(-MAX_HISTORY);
      this.history.set(c.peer, msgs);
      this.seen.set(c.peer, new Map(c.seen));
      for (const [id, d] of c.outDedup) this.outDedup.set(id, d);
      for (const m of msgs) {
        if (m.dir !== 'out' || m.state === 'delivered' || m.state === 'failed') continue;
        m.state = 'queued';
        this.outbox.add(c.peer, m, this.dedupOf(m.id));
      }
    }
    for (const r of requests) if (!this.prefs.isBlocked(r.key)) this.requests.set(r.key, r);
    this.emit({ kind: 'requests' });
    this.emit({ kind: 'contacts' });
  }

  /** Forgets everything (Lock): the next unlock restores from the journal again. */
  reset(): void {
    this.requestSaver.flush();
    this.outbox.forgetAll();
    this.history.clear();
    this.seen.clear();
    this.outDedup.clear();
    this.contacts.clear();
    this.requests.clear();
    this.visible.clear();
    this.self = null;
    this.emit({ kind: 'self' });
    this.emit({ kind: 'contacts' });
    this.emit({ kind: 'requests' });
  }

  /** Deletes a conversation's history, here and on disk (undelivered messages included). */
  deleteHistory(key: string): void {
    this.outbox.forget(key);
    for (const m of this.history.get(key) ?? []) this.outDedup.delete(m.id);
    this.history.delete(key);
    this.seen.delete(key);
    this.journal?.deleteConversation(key);
    this.emit({ kind: 'peer', key });
    this.emit({ kind: 'contacts' });
  }

  /** Conversations with history, including former friends (for search and deletion). */
  conversationKeys(): string[] {
    return [...this.history.keys()];
  }

  // ---- outbox --------------------------------------------------------------------------

  /** Queues a message; it goes out now if the friend is online, else when they come online. */
  send(key: string, raw: string): ChatMessage {
    const c = this.contacts.get(key);
    if (!c) throw new RangeError('not a friend');
    const action = /^\/me\s/.test(raw);
    const text = action ? raw.replace(/^\/me\s+/, '') : raw;
    if (!text.trim()) throw new RangeError('the message is empty');
    const msg: ChatMessage = { id: this.newId('o'), dir: 'out', kind: action ? 'action' : 'normal', text, ts: this.now(), state: 'queued' };
    const dedup = randomBytes(16).toString('hex');
    this.outDedup.set(msg.id, dedup);
    this.push(key, msg, false, dedup);
    this.outbox.add(key, msg, dedup);
    return msg;
  }

  /** A journal from before dedup ids has none for its messages: they get one now. */
  private dedupOf(id: string): string {
    let d = this.outDedup.get(id);
    if (!d) this.outDedup.set(id, (d = randomBytes(16).toString('hex')));
    return d;
  }

  retry(key: string, id: string): void {
    this.outbox.retry(key, id);
  }

  // ---- user actions --------------------------------------------------------------------

  setVisible(key: string, visible: boolean): void {
    if (visible) {
      this.visible.add(key);
      this.markRead(key);
    } else this.visible.delete(key);
  }

  markRead(key: string): void {
    const c = this.contacts.get(key);
    if (!c || c.unread === 0) return;
    c.unread = 0;
    this.emit({ kind: 'contacts' });
  }

  /** A message another part of the host made (a file transfer: model/files.ts). */
  addMessage(key: string, msg: ChatMessage, incoming: boolean): void {
    this.push(key, msg, incoming);
  }

  /** The delivery state of such a message (files: sending / delivered / failed). */
  messageState(key: string, id: string, state: DeliveryState): void {
    this.setState(key, id, state);
  }

  dispose(): void {
    this.requestSaver.flush();
    this.outbox.dispose();
    this.clearListeners();
  }
}
