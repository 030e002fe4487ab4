// The friend list and friend requests: the half of the chat model that is about who, not
// what was said (chatModel.ts extends it with conversations and the outbox). It keeps the
// contacts as the node reports them, filters requests (blocked keys, floods) and drives
// the node's friend commands; it tells listeners what changed.

import type { FriendInfo, NodeEvent, SelfInfo } from '../../protocol/node';
import type { PeerView, Presence, RequestView } from '../../protocol/webview';
import { capUtf8, fingerprint, MAX_NAME_BYTES, MAX_REQUEST_MESSAGE_BYTES, MAX_STATUS_MESSAGE_BYTES } from '../../common/text';
import type { NodeLink } from './outbox';
import type { Prefs } from './prefs';
import { RequestRate, RequestSaver, trimPending } from './requestFlood';
import type { ChatChange, ChatJournal, Contact, FriendRequest } from './chatTypes';
import { Emitter } from '../../common/emitter';

export abstract class FriendBook {
  self: SelfInfo | null = null;
  readonly contacts = new Map<string, Contact>();
  readonly requests = new Map<string, FriendRequest>();
  private readonly changes = new Emitter<ChatChange>();
  private readonly requestRate = new RequestRate();
  /** Counts friend events a `friends` list also reports (connection, name, status). */
  protected friendEvents = 0;
  protected readonly requestSaver = new RequestSaver(() => this.journal?.requests([...this.requests.values()]));

  constructor(
    /** Throws when no node is running (the user has not started Tox). */
    protected readonly node: () => NodeLink,
    protected prefs: Prefs,
    protected readonly now: () => number,
    protected journal: ChatJournal | null,
  ) {}

  /** A friend is gone (removed here, or missing from the node's list): their outbox goes. */
  protected abstract friendGone(key: string): void;
  /** A friend is (still) online after the list was refreshed: what waits for them leaves. */
  protected abstract friendOnline(key: string): void;

  onChange(l: (c: ChatChange) => void): () => void {
    return this.changes.on(l);
  }

  protected emit(c: ChatChange): void {
    this.changes.emit(c);
  }

  protected clearListeners(): void {
    this.changes.clear();
  }

  // ---- reading -------------------------------------------------------------------------

  contactByFriend(friend: number): Contact | undefined {
    for (const c of this.contacts.values()) if (c.friend === friend) return c;
    return undefined;
  }

  displayName(key: string): string {
    return this.prefs.alias(key) ?? this.contacts.get(key)?.name ?? fingerprint(key).slice(0, 14);
  }

  presence(c: Contact): Presence {
    return c.connection === 'none' ? 'offline' : c.status;
  }

  peerView(key: string): PeerView | null {
    const c = this.contacts.get(key);
    if (!c) return null;
    return {
      key,
      alias: this.prefs.alias(key),
      name: c.name,
      status_message: c.statusMessage,
      presence: this.presence(c),
      typing: c.typing,
      fingerprint: fingerprint(key),
    };
  }

  requestView(key: string): RequestView | null {
    const r = this.requests.get(key);
    return r ? { key, message: r.message, ts: r.ts, fingerprint: fingerprint(key) } : null;
  }

  blocked(): string[] {
    return this.prefs.blocked();
  }

  // ---- node events ---------------------------------------------------------------------

  protected friendRequest(e: Extract<NodeEvent, { event: 'friend_request' }>): void {
    const key = e.public_key.toUpperCase();
    // Blocked keys and existing friends never reach the user; toxcore re-sends requests,
    // so a blocked peer would otherwise pop up again and again.
    if (this.prefs.isBlocked(key) || this.contacts.has(key)) return;
    const r = { key, message: capUtf8(e.message, MAX_REQUEST_MESSAGE_BYTES), ts: this.now() };
    const fresh = !this.requests.has(key);
    this.requests.set(key, r);
    for (const old of trimPending(this.requests.values())) this.requests.delete(old);
    this.requestSaver.soon(); // one write per batch, not one per request
    const notice = fresh ? this.requestRate.arrive(r.ts) : 'quiet';
    this.emit({
      kind: 'requests',
      ...(notice === 'notify' ? { added: r } : {}),
      ...(notice === 'summary' ? { flood: true as const } : {}),
    });
  }

  protected upsertContact(f: FriendInfo): Contact {
    const key = f.public_key.toUpperCase();
    const old = this.contacts.get(key);
    const c: Contact = {
      key,
      friend: f.friend,
      name: capUtf8(f.name, MAX_NAME_BYTES),
      statusMessage: capUtf8(f.status_message, MAX_STATUS_MESSAGE_BYTES),
      status: f.status,
      connection: f.connection,
      typing: false,
      lastActivity: old?.lastActivity ?? (f.last_online ? f.last_online * 1000 : null),
      unread: old?.unread ?? 0,
    };
    this.contacts.set(key, c);
    return c;
  }

  protected updateContact(friend: number, change: (c: Contact) => void): void {
    const c = this.contactByFriend(friend);
    if (!c) return;
    change(c);
    this.emit({ kind: 'peer', key: c.key });
    this.emit({ kind: 'contacts' });
  }

  // ---- user actions --------------------------------------------------------------------

  async acceptRequest(key: string): Promise<void> {
    if (!this.requests.has(key)) throw new RangeError('no such friend request');
    await this.node().request({ cmd: 'friend_accept', public_key: key });
    this.requests.delete(key);
    this.saveRequests();
    await this.refreshFriends();
    this.emit({ kind: 'requests' });
  }

  declineRequest(key: string): void {
    if (!this.requests.delete(key)) return;
    this.saveRequests();
    this.emit({ kind: 'requests' });
  }

  async block(key: string): Promise<void> {
    await this.prefs.setBlocked(key, true);
    this.declineRequest(key);
    if (this.contacts.has(key)) await this.removeFriend(key);
  }

  async unblock(key: string): Promise<void> {
    await this.prefs.setBlocked(key, false);
  }

  async removeFriend(key: string): Promise<void> {
    const c = this.contacts.get(key);
    if (!c) return;
    await this.node().request({ cmd: 'friend_delete', friend: c.friend });
    this.contacts.delete(key);
    this.friendGone(key);
    this.emit({ kind: 'contacts' });
  }

  async addFriend(address: string, message: string): Promise<string> {
    const key = address.slice(0, 64).toUpperCase();
    if (this.prefs.isBlocked(key)) await this.prefs.setBlocked(key, false); // adding is an explicit unblock
    await this.node().request({ cmd: 'friend_add', address, message });
    if (this.requests.delete(key)) this.saveRequests();
    await this.refreshFriends();
    return key;
  }

  async setAlias(key: string, alias: string | null): Promise<void> {
    await this.prefs.setAlias(key, alias);
    this.emit({ kind: 'peer', key });
    this.emit({ kind: 'contacts' });
  }

  /** Takes the node's friend list as it is (after our own add/accept, or a CLI bot's own
   *  friend_add / friend_accept / friend_delete, or --accept-friends), then sends what waits
   *  for friends that are online. */
  async refreshFriends(): Promise<void> {
    // The list is read a few ticks after the node wrote it: an event handled in between (a
    // friend coming online) is newer than it, so an overtaken list is asked for again.
    let friends: FriendInfo[];
    for (let attempt = 0; ; attempt++) {
      const seen = this.friendEvents;
      ({ friends } = await this.node().request({ cmd: 'friends' }));
      if (this.friendEvents === seen || attempt >= 4) break;
    }
    const now = new Set(friends.map((f) => f.public_key.toUpperCase()));
    for (const key of [...this.contacts.keys()]) {
      if (now.has(key)) continue;
      this.contacts.delete(key);
      this.friendGone(key);
    }
    for (const f of friends) this.upsertContact(f);
    this.emit({ kind: 'contacts' });
    for (const c of this.contacts.values()) if (c.connection !== 'none') this.friendOnline(c.key);
  }

  async refreshSelf(): Promise<void> {
    this.self = await this.node().request({ cmd: 'info' });
    this.emit({ kind: 'self' });
  }

  protected saveRequests(): void {
    this.requestSaver.cancel();
    this.journal?.requests([...this.requests.values()]);
  }
}
