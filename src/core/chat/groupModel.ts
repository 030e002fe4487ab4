// The group chats (NGC) the extension host keeps: groups, their peers and roles, topic,
// unread counts, history, pending invites and an outbox. Pure (no `vscode` import), like
// chatModel.ts: it reacts to node events, drives the node through a narrow NodeLink and
// tells listeners what changed. Views only read from it (names through groupNames.ts).
//
// The node's group numbers are not stable (they change across restarts), so every group is
// keyed by chat ID; events naming a number the model cannot place yet wait for a `groups`
// refresh, which maps numbers to chat IDs again.

import type { GroupInfo } from '../../protocol/nodeGroups';
import type { NodeEvent } from '../../protocol/node';
import type { DeliveryState } from '../../protocol/webview';
import { Emitter } from '../../common/emitter';
import { NodeCommandError, NodeRestartedError } from '../supervisor/supervisor';
import type { NodeLink } from './outbox';
import type { Prefs } from './prefs';
import type { Group, GroupChange, GroupInvite, GroupJournal, GroupMessage, GroupMeta } from './groupTypes';
import { adoptInfo, applyGroupEvent, type GroupEvent, isGroupEvent } from './groupEvents';

const MAX_HISTORY = 50_000;
const MAX_INVITES = 50;
const MAX_WAITING_EVENTS = 1000;

export interface GroupHost {
  node(): NodeLink;
  prefs(): Prefs;
  /** Our nick for new groups (our Tox name), or null. */
  selfName(): string | null;
  /** The public key of friend `no`, if they are a friend. */
  friendKey(no: number): string | null;
}

export class GroupBook {
  readonly groups = new Map<string, Group>();
  readonly invites = new Map<string, GroupInvite>();
  private readonly history = new Map<string, GroupMessage[]>();
  private readonly visible = new Set<string>();
  private readonly changes = new Emitter<GroupChange>();
  private waiting: GroupEvent[] = [];
  private refreshing: Promise<void> | null = null;
  /** Counts events that change what a `groups` list reports (all but messages): a list
   *  requested before one of them and read after it is older than the model. */
  private stateEvents = 0;
  /** Bumped on every node (re)start: a refresh or send result of an older node is ignored. */
  private epoch = 0;
  private seq = 0;

  constructor(
    private readonly host: GroupHost,
    private readonly now: () => number = Date.now,
    private journal: GroupJournal | null = null,
  ) {}

  onChange(l: (c: GroupChange) => void): () => void {
    return this.changes.on(l);
  }

  emit(c: GroupChange): void {
    this.changes.emit(c);
  }

  newId(prefix: string): string {
    return `${prefix}${this.now().toString(36)}-${(this.seq++).toString(36)}`;
  }

  // ---- reading -------------------------------------------------------------------------

  messages(chatId: string): GroupMessage[] {
    return this.history.get(chatId) ?? [];
  }

  byNumber(no: number): Group | undefined {
    for (const g of this.groups.values()) if (g.number === no) return g;
    return undefined;
  }

  totalUnread(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.unread;
    return n;
  }

  /** Whether we may kick peers or change roles here (founder or moderator). */
  canModerate(g: Group): boolean {
    return g.selfRole === 'founder' || g.selfRole === 'moderator';
  }

  // ---- node events ---------------------------------------------------------------------

  handle(e: NodeEvent): void {
    if (e.event === 'ready') {
      this.epoch++;
      for (const g of this.groups.values()) {
        g.number = null;
        g.connected = false;
        for (const m of this.history.get(g.chatId) ?? []) if (m.dir === 'out' && m.state === 'sending') m.state = 'queued';
      }
      this.invites.clear(); // invite data names friend numbers of the old node
      this.emit({ kind: 'invites' });
      void this.refresh();
      return;
    }
    if (e.event === 'group_invite') return this.invited(e);
    if (!isGroupEvent(e)) return;
    if (e.event !== 'group_message' && e.event !== 'group_private_message') this.stateEvents++;
    const g = e.event === 'group_self_join' ? this.placeSelfJoin(e.group, e.chat_id) : this.byNumber(e.group);
    if (!g) {
      // A number we cannot place yet (the node restarted, or we joined elsewhere): ask.
      if (this.waiting.length < MAX_WAITING_EVENTS) this.waiting.push(e);
      void this.refresh();
      return;
    }
    applyGroupEvent(this, g, e);
    if (e.event === 'group_self_join') this.flush(g);
  }

  private placeSelfJoin(no: number, chatIdRaw: string): Group {
    const chatId = chatIdRaw.toUpperCase();
    for (const other of this.groups.values()) if (other.number === no && other.chatId !== chatId) other.number = null;
    const g = this.ensure(chatId);
    g.number = no;
    g.left = false;
    return g;
  }

  private invited(e: Extract<NodeEvent, { event: 'group_invite' }>): void {
    const friendKey = this.host.friendKey(e.friend);
    // Only friends can invite (toxcore says so too); a blocked key never shows up.
    if (!friendKey || this.host.prefs().isBlocked(friendKey)) return;
    for (const [id, i] of this.invites) if (i.friendKey === friendKey && i.invite === e.invite) this.invites.delete(id);
    if (this.invites.size >= MAX_INVITES) this.invites.delete(this.invites.keys().next().value!);
    const invite: GroupInvite = { id: this.newId('v'), friend: e.friend, friendKey, invite: e.invite, groupName: e.group_name, ts: this.now() };
    this.invites.set(invite.id, invite);
    this.emit({ kind: 'invites', added: invite });
  }

  /** Maps node group numbers to chat IDs and takes the node's view of each group. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const epoch = this.epoch;
    let list: GroupInfo[];
    // A list is a snapshot from when the node answered, read here a few ticks later: a join
    // landing in between is already in the model, and adopting the older list would undo it
    // (a group stuck at "connecting…" on a busy machine). So a list overtaken by a state event
    // is asked for again; after a few tries the last one is taken.
    for (let attempt = 0; ; attempt++) {
      const seen = this.stateEvents;
      try {
        list = (await this.host.node().request({ cmd: 'groups' })).groups;
      } catch {
        return; // no node, or it does not serve groups: nothing to map
      }
      if (epoch !== this.epoch) return;
      if (this.stateEvents === seen || attempt >= 4) break;
    }
    const present = new Set<string>();
    for (const info of list) {
      const g = this.ensure(info.chat_id.toUpperCase());
      present.add(g.chatId);
      this.adopt(g, info);
    }
    for (const g of this.groups.values()) if (!present.has(g.chatId)) g.number = null;
    // Events still unplaced (a group joined after this list was made) wait for the next refresh.
    const waiting = this.waiting;
    this.waiting = [];
    for (const e of waiting) {
      const g = this.byNumber(e.group);
      if (g) applyGroupEvent(this, g, e);
      else this.waiting.push(e);
    }
    this.saveMeta();
    this.emit({ kind: 'groups' });
    for (const g of this.groups.values()) {
      this.emit({ kind: 'group', chatId: g.chatId });
      this.flush(g);
    }
  }

  private adopt(g: Group, info: GroupInfo): void {
    for (const other of this.groups.values()) if (other !== g && other.number === info.group) other.number = null;
    adoptInfo(g, info);
  }

  ensure(chatId: string): Group {
    let g = this.groups.get(chatId);
    if (!g) {
      g = {
        chatId,
        number: null,
        name: '',
        privacy: 'private',
        topic: '',
        selfRole: 'user',
        selfKey: null,
        connected: false,
        left: false,
        peers: new Map(),
        unread: 0,
        lastActivity: null,
      };
      this.groups.set(chatId, g);
    }
    return g;
  }

  /** Adds a message to a group's history (journal first, so what is shown is on disk). */
  push(g: Group, msg: GroupMessage, incoming: boolean): void {
    this.journal?.append(g.chatId, msg);
    let h = this.history.get(g.chatId);
    if (!h) this.history.set(g.chatId, (h = []));
    h.push(msg);
    if (h.length > MAX_HISTORY) h.splice(0, h.length - MAX_HISTORY);
    g.lastActivity = msg.ts;
    if (incoming && !this.visible.has(g.chatId)) g.unread++;
    this.emit({ kind: 'append', chatId: g.chatId, messages: [msg], incoming });
    this.emit({ kind: 'groups' });
  }

  /** A note from toxync itself (never peer text on its own). */
  system(g: Group, text: string): void {
    this.push(g, { id: this.newId('s'), dir: 'system', kind: 'normal', text, ts: this.now() }, false);
  }

  isBlocked(key: string): boolean {
    return this.host.prefs().isBlocked(key);
  }

  /** The user's own name for a peer key (set like a friend's alias), or null. */
  alias(key: string): string | null {
    return this.host.prefs().alias(key.toUpperCase());
  }

  /** The user gave a peer key an alias (or removed it). */
  namesChanged(): void {
    this.emit({ kind: 'names' });
  }

  time(): number {
    return this.now();
  }

  /** The node (throws when none runs): for the commands in groupActions.ts. */
  link(): NodeLink {
    return this.host.node();
  }

  selfNick(): string | null {
    return this.host.selfName();
  }

  // ---- outbox --------------------------------------------------------------------------

  /** Queues a message; it leaves now if the group is connected, else once it is. */
  send(chatId: string, raw: string): GroupMessage {
    const g = this.groups.get(chatId);
    if (!g) throw new RangeError('no such group');
    if (g.left) throw new RangeError('you left this group');
    const action = /^\/me\s/.test(raw);
    const text = action ? raw.replace(/^\/me\s+/, '') : raw;
    if (!text.trim()) throw new RangeError('the message is empty');
    const msg: GroupMessage = { id: this.newId('o'), dir: 'out', kind: action ? 'action' : 'normal', text, ts: this.now(), state: 'queued' };
    this.push(g, msg, false);
    this.flush(g);
    return msg;
  }

  retry(chatId: string, id: string): void {
    const g = this.groups.get(chatId);
    const m = this.messages(chatId).find((x) => x.id === id);
    if (!g || !m || m.dir !== 'out' || m.state !== 'failed') return;
    this.setState(g, m, 'queued');
    this.flush(g);
  }

  /** Sends what is queued, in order, while the group is connected. NGC has no receipts:
   *  `sent` (the node took it) is final. */
  flush(g: Group): void {
    if (g.number === null || !g.connected || g.left) return;
    let link: NodeLink;
    try {
      link = this.host.node();
    } catch {
      return;
    }
    const epoch = this.epoch;
    for (const m of this.messages(g.chatId)) {
      if (m.dir !== 'out' || m.state !== 'queued') continue;
      this.setState(g, m, 'sending');
      link.request({ cmd: 'group_send_message', group: g.number, text: m.text, ...(m.kind === 'action' ? { action: true } : {}) }).then(
        () => this.setState(g, m, 'sent'),
        (err: unknown) => {
          if (epoch !== this.epoch) return; // the ready handler re-queued it
          const code = err instanceof NodeCommandError ? (err.code ?? '') : '';
          const transient = err instanceof NodeRestartedError || code.includes('DISCONNECTED') || code.includes('FAIL_SEND');
          this.setState(g, m, transient ? 'queued' : 'failed');
        },
      );
    }
  }

  setState(g: Group, m: GroupMessage, state: DeliveryState): void {
    if (m.state === state) return;
    m.state = state;
    // Final states only: anything else is "queued" again after a restart.
    if (state === 'sent' || state === 'failed') this.journal?.state(g.chatId, m.id, state);
    this.emit({ kind: 'state', chatId: g.chatId, id: m.id, state });
  }

  // ---- unread --------------------------------------------------------------------------

  setVisible(chatId: string, visible: boolean): void {
    if (visible) {
      this.visible.add(chatId);
      this.markRead(chatId);
    } else this.visible.delete(chatId);
  }

  markRead(chatId: string): void {
    const g = this.groups.get(chatId);
    if (!g || g.unread === 0) return;
    g.unread = 0;
    this.saveMeta();
    this.emit({ kind: 'groups' });
  }

  // ---- persistence ---------------------------------------------------------------------

  setJournal(journal: GroupJournal | null): void {
    this.journal = journal;
  }

  metas(): GroupMeta[] {
    return [...this.groups.values()].map((g) => ({
      chat_id: g.chatId,
      name: g.name,
      privacy: g.privacy,
      topic: g.topic,
      self_role: g.selfRole,
      left: g.left,
      unread: g.unread,
      last_activity: g.lastActivity,
    }));
  }

  saveMeta(): void {
    this.journal?.meta(this.metas());
  }

  /** Loads what the journal kept (at unlock). Unsent messages go back into the outbox. */
  restore(metas: GroupMeta[], histories: Map<string, GroupMessage[]>): void {
    for (const meta of metas) {
      const g = this.ensure(meta.chat_id.toUpperCase());
      g.name = meta.name;
      g.privacy = meta.privacy;
      g.topic = meta.topic;
      g.selfRole = meta.self_role;
      g.left = meta.left;
      g.unread = meta.unread;
      g.lastActivity = meta.last_activity;
    }
    for (const [chatId, msgs] of histories) {
      this.ensure(chatId);
      const kept = msgs.slice(-MAX_HISTORY);
      for (const m of kept) if (m.dir === 'out' && m.state !== 'sent' && m.state !== 'failed') m.state = 'queued';
      this.history.set(chatId, kept);
    }
    this.emit({ kind: 'groups' });
  }

  /** Forgets a group we left: its history goes, here and on disk. */
  forget(chatId: string): void {
    this.groups.delete(chatId);
    this.history.delete(chatId);
    this.visible.delete(chatId);
    this.journal?.deleteGroup(chatId);
    this.saveMeta();
    this.emit({ kind: 'groups' });
  }

  /** Lock: everything goes from memory (the journal keeps it). */
  reset(): void {
    this.epoch++;
    this.groups.clear();
    this.invites.clear();
    this.history.clear();
    this.visible.clear();
    this.waiting = [];
    this.emit({ kind: 'groups' });
    this.emit({ kind: 'invites' });
  }

  dispose(): void {
    this.epoch++;
    this.changes.clear();
  }
}
