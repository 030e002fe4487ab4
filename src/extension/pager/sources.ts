// The per-friend "pager source" toggle: alerts are recognised only from friends the user
// marked. Off for everyone by default, so a stranger who becomes a friend cannot make their
// messages look like system alerts. The flag names a friend, so it lives in the encrypted
// state document (StateDoc.friends[].settings.pager_source), never in VS Code's globalState;
// while the profile is locked there is no store, hence no source and no alert.

import type { StateDoc } from '../../core/store/records';

/** The part of Store this needs (tests can hand in a plain object). */
export interface StateAccess {
  readonly state: StateDoc;
  updateState(change: (s: StateDoc) => void): void;
}

const KEY = /^[0-9A-F]{64}$/;

export class PagerSources {
  constructor(private readonly store: StateAccess) {}

  list(): string[] {
    return this.store.state.friends.filter((f) => f.settings.pager_source === true).map((f) => f.key.toUpperCase());
  }

  isSource(key: string): boolean {
    const k = key.toUpperCase();
    return this.store.state.friends.some((f) => f.settings.pager_source === true && f.key.toUpperCase() === k);
  }

  /** Durable when it returns (the store writes state.bin synchronously). */
  set(key: string, on: boolean): void {
    const k = key.toUpperCase();
    if (!KEY.test(k)) throw new RangeError('not a public key');
    this.store.updateState((s) => {
      const entry = s.friends.find((f) => f.key.toUpperCase() === k);
      if (on) {
        if (entry) entry.settings.pager_source = true;
        else s.friends.push({ key: k, settings: { pager_source: true } });
        return;
      }
      if (!entry) return;
      delete entry.settings.pager_source;
      // An entry with no setting left says nothing: drop it rather than keep naming the friend.
      if (Object.keys(entry.settings).length === 0) s.friends = s.friends.filter((f) => f !== entry);
    });
  }
}
