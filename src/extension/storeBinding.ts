// Binds an open store to the chat model and the node: restores history, outbox, requests and
// contact settings into the model, keeps the latest Tox savedata for every node (re)start and
// writes each new one (encrypted). No `vscode` import: the extension's ToxService and the
// tests use the same code. close() is Lock: model emptied, key wiped.

import type { NodeEvent, TransferRecord } from '../protocol/node';
import type { Store } from '../core/store/store';
import type { ChatModel } from '../core/chat/chatModel';
import { StoreJournal, StorePrefs } from '../core/chat/journal';
import { EmptyPrefs } from '../core/chat/prefs';
import type { StateAccess } from './pager/sources';

/** Something else that keeps its state in the store's state document while it is open
 *  (the pager: source flags and alerts). Detached before the store closes. */
export interface StateUser {
  attach(store: StateAccess): void;
  detach(): void;
}

export class StoreBinding {
  private saved: string | undefined;
  private closed = false;

  constructor(
    readonly store: Store,
    private readonly model: ChatModel,
    keepHistory: () => boolean = () => true,
    private readonly user: StateUser | null = null,
  ) {
    // Read first: a damaged profile throws here, before anything could replace it with a new identity.
    const profile = store.readProfile();
    this.saved = profile ? Buffer.from(profile).toString('base64') : undefined;
    const journal = new StoreJournal(store, keepHistory);
    model.setPersistence(new StorePrefs(store), journal);
    const restored = journal.restored();
    model.restore(restored.conversations, restored.requests);
    user?.attach(store);
  }

  get conversations(): number {
    return this.store.conversations().length;
  }

  /** For NodeSupervisor's `transfers` option: what resumes after a (re)start. */
  transfers(): TransferRecord[] | undefined {
    return this.closed ? undefined : (this.store.state.transfers ?? []);
  }

  /** For NodeSupervisor's `savedata` option. */
  savedata(): string | undefined {
    return this.saved;
  }

  /** Call with every node event (before the model): stores profile updates. Returns true
   *  if the event was the binding's own (`savedata`, not for views). */
  handle(e: NodeEvent): boolean {
    if (e.event === 'transfers') {
      if (!this.closed) this.store.updateState((s) => (s.transfers = e.records));
      return true;
    }
    if (e.event !== 'savedata') return false;
    if (!this.closed) {
      this.store.writeProfile(Buffer.from(e.data, 'base64'));
      this.saved = e.data;
    }
    return true;
  }

  /** Replaces the profile (import); the caller restarts the node. */
  replaceProfile(savedata: Uint8Array): void {
    this.store.writeProfile(savedata);
    this.saved = Buffer.from(savedata).toString('base64');
  }

  /** Lock: the model forgets everything, the store wipes its key. Stop the node first (it
   *  holds the Tox secret key and sends its last savedata while quitting). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.saved = undefined;
    this.user?.detach();
    this.model.reset();
    this.model.setPersistence(new EmptyPrefs(), null);
    this.store.close();
  }
}
