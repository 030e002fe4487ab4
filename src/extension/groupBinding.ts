// Binds the open store's group part (core/store/groupStore.ts) to the group model: restores
// groups, history and outbox at unlock, journals every change while open, and on close
// (Lock) empties the model and wipes the group store's key copy. No `vscode` import.

import type { Store } from '../core/store/store';
import { GroupStore } from '../core/store/groupStore';
import type { GroupBook } from '../core/chat/groupModel';
import { StoreGroupJournal } from '../core/chat/groupJournal';
import { StorePrefs } from '../core/chat/journal';
import type { Prefs } from '../core/chat/prefs';

export class GroupBinding {
  private closed = false;
  /** The user's aliases (shared with friends: a peer key the user named). */
  readonly prefs: Prefs;

  private constructor(
    private readonly groupStore: GroupStore,
    store: Store,
    private readonly book: GroupBook,
    keepHistory: () => boolean,
  ) {
    this.prefs = new StorePrefs(store);
    const journal = new StoreGroupJournal(groupStore, keepHistory);
    const restored = journal.restored();
    book.setJournal(journal);
    book.restore(restored.metas, restored.histories);
  }

  static async open(store: Store, book: GroupBook, keepHistory: () => boolean = () => true): Promise<GroupBinding> {
    const gs = await GroupStore.open(store);
    try {
      return new GroupBinding(gs, store, book, keepHistory);
    } catch (e) {
      gs.close();
      throw e;
    }
  }

  get unreadable(): number {
    return this.groupStore.unreadable;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.book.reset();
    this.book.setJournal(null);
    this.groupStore.close();
  }
}
