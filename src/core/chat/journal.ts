// The chat model's persistence, over the encrypted store: history and outbox as conversation
// logs, pending requests and the user's decisions about peers (aliases, blocks) in the state
// document. Used by the extension host and by the CLI alike, so both keep the same store.

import type { ChatMessage, DeliveryState } from '../../protocol/webview';
import { msgRecord } from '../store/records';
import type { Store } from '../store/store';
import type { ChatJournal, FriendRequest, RestoredConversation } from './chatModel';
import { MAX_ALIAS_LENGTH, type Prefs } from './prefs';

export class StoreJournal implements ChatJournal {
  /** `keepHistory`: false (history off) writes only outgoing messages, which the outbox needs
   *  until delivered; retention then removes them once they are. */
  constructor(
    private readonly store: Store,
    private readonly keepHistory: () => boolean = () => true,
  ) {}

  append(key: string, msg: ChatMessage, dedup?: string): void {
    if (msg.dir !== 'out' && !this.keepHistory()) return;
    this.store.append(key, [msgRecord(msg, dedup)]);
  }

  state(key: string, id: string, state: DeliveryState): void {
    this.store.setState(key, id, state);
  }

  requests(all: FriendRequest[]): void {
    this.store.updateState((s) => (s.requests = all.map((r) => ({ key: r.key, message: r.message, ts: r.ts }))));
  }

  deleteConversation(key: string): void {
    this.store.deleteConversation(key);
  }

  /** What the model restores at unlock. */
  restored(): { conversations: RestoredConversation[]; requests: FriendRequest[] } {
    const conversations = this.store
      .conversations()
      .map((c) => ({ peer: c.peer, messages: c.messages, seen: new Map(c.seenDedup), outDedup: new Map(c.outDedup) }));
    return { conversations, requests: this.store.state.requests.map((r) => ({ ...r })) };
  }
}

/** Aliases and the block list, inside the encrypted state document. */
export class StorePrefs implements Prefs {
  constructor(private readonly store: Store) {}

  alias(key: string): string | null {
    return this.store.state.aliases.find((a) => a.key === key)?.alias ?? null;
  }

  async setAlias(key: string, alias: string | null): Promise<void> {
    const clean = alias?.trim().slice(0, MAX_ALIAS_LENGTH) ?? '';
    this.store.updateState((s) => {
      s.aliases = s.aliases.filter((a) => a.key !== key);
      if (clean) s.aliases.push({ key, alias: clean });
    });
  }

  isBlocked(key: string): boolean {
    return this.store.state.blocked.includes(key);
  }

  blocked(): string[] {
    return [...this.store.state.blocked];
  }

  async setBlocked(key: string, blocked: boolean): Promise<void> {
    this.store.updateState((s) => {
      s.blocked = s.blocked.filter((k) => k !== key);
      if (blocked) s.blocked.push(key);
    });
  }
}
