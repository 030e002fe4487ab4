// The per-friend "pager source" toggle: alerts are recognised only from friends the user
// marked. Off for everyone by default, so a stranger who becomes a friend cannot make their
// messages look like system alerts. Stored like the other prefs (model/prefs.ts) and
// re-checked on every read.

import type { KeyValueStore } from '../model/prefs';

const SOURCES = 'toxync.pagerSources';
const KEY = /^[0-9A-F]{64}$/;

export class PagerSources {
  constructor(private readonly store: KeyValueStore) {}

  list(): string[] {
    const raw = this.store.get<unknown>(SOURCES);
    return Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string' && KEY.test(k)) : [];
  }

  isSource(key: string): boolean {
    return this.list().includes(key.toUpperCase());
  }

  async set(key: string, on: boolean): Promise<void> {
    const k = key.toUpperCase();
    if (!KEY.test(k)) throw new RangeError('not a public key');
    const all = new Set(this.list());
    if (on) all.add(k);
    else all.delete(k);
    await this.store.update(SOURCES, [...all]);
  }
}
