// The user's own settings about peers: local aliases and the block list, keyed by public key.
// An interface so the chat model stays testable without VS Code. The extension keeps them in
// the encrypted store (model/journal.ts: StorePrefs); StoredPrefs over a Memento is what
// versions before encryption used, kept to migrate from and for tests.

export interface Prefs {
  alias(key: string): string | null;
  setAlias(key: string, alias: string | null): Promise<void>;
  isBlocked(key: string): boolean;
  setBlocked(key: string, blocked: boolean): Promise<void>;
  blocked(): string[];
}

/** While locked: no aliases, nothing blocked, and nothing can be changed. */
export class EmptyPrefs implements Prefs {
  alias(): string | null {
    return null;
  }
  async setAlias(): Promise<void> {
    throw new Error('your Tox profile is locked');
  }
  isBlocked(): boolean {
    return false;
  }
  async setBlocked(): Promise<void> {
    throw new Error('your Tox profile is locked');
  }
  blocked(): string[] {
    return [];
  }
}

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const ALIASES = 'toxync.aliases';
const BLOCKED = 'toxync.blocked';
export const MAX_ALIAS_LENGTH = 128;

/** Prefs over a VS Code Memento (or any store with the same shape). Values read back are
 *  re-checked: the store is a file on disk that something else may have edited. */
export class StoredPrefs implements Prefs {
  constructor(private readonly store: KeyValueStore) {}

  private aliases(): Record<string, string> {
    const raw = this.store.get<unknown>(ALIASES);
    const out: Record<string, string> = {};
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      for (const [k, v] of Object.entries(raw)) if (/^[0-9A-F]{64}$/.test(k) && typeof v === 'string') out[k] = v.slice(0, MAX_ALIAS_LENGTH);
    }
    return out;
  }

  alias(key: string): string | null {
    return this.aliases()[key] ?? null;
  }

  async setAlias(key: string, alias: string | null): Promise<void> {
    const all = this.aliases();
    const clean = alias?.trim().slice(0, MAX_ALIAS_LENGTH) ?? '';
    if (clean) all[key] = clean;
    else delete all[key];
    await this.store.update(ALIASES, all);
  }

  blocked(): string[] {
    const raw = this.store.get<unknown>(BLOCKED);
    return Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string' && /^[0-9A-F]{64}$/.test(k)) : [];
  }

  isBlocked(key: string): boolean {
    return this.blocked().includes(key);
  }

  async setBlocked(key: string, blocked: boolean): Promise<void> {
    const set = new Set(this.blocked());
    if (blocked) set.add(key);
    else set.delete(key);
    await this.store.update(BLOCKED, [...set]);
  }
}
