// The alerts the user has in front of them: recognised only from friends marked as pager
// sources, newest first, gone at expiry (each with one timer, cleared exactly once),
// dismissable, and silenced by "do not disturb" except when critical. Pure: timers and the
// clock are injected, so tests drive time by hand and VS Code is not needed.

import { type Alert, parseAlert, parseAlertPacket } from '../../protocol/pagerAlert';
import { oneLine } from '../../common/text';

export interface AlertEntry {
  /** The sender's public key. */
  key: string;
  /** Who sent it, as the user names them (alias or Tox name) at arrival; display-safe. */
  source: string;
  alert: Alert;
  receivedAt: number;
}

/** What the caller does with an incoming message. */
export type Offer =
  /** Not from a pager source, or not an alert: an ordinary message. */
  | { kind: 'plain' }
  /** An alert, but nothing new to show (a repeat after a reconnect, or already expired). */
  | { kind: 'ignored'; reason: 'duplicate' | 'expired' }
  /** New: `notify` says whether to raise a notification (critical, even under DND). */
  | { kind: 'added'; entry: AlertEntry; notify: boolean };

export type AlertChange =
  | { kind: 'added'; entry: AlertEntry }
  | { kind: 'removed'; entry: AlertEntry; why: 'dismissed' | 'expired' | 'cleared' | 'evicted' }
  | { kind: 'dnd'; on: boolean }
  /** Entries put back from the encrypted store at unlock (never announced again). */
  | { kind: 'restored'; count: number }
  /** Everything forgotten at once (the profile was locked). */
  | { kind: 'reset' };

export interface TimerHost {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: TimerHost = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface AlertStoreOptions {
  /** The per-friend "pager source" toggle. */
  isPagerSource: (key: string) => boolean;
  now?: () => number;
  timers?: TimerHost;
  /** Most alerts kept; the oldest goes first. */
  max?: number;
}

/** setTimeout's limit (2^31 − 1 ms); longer expiries re-arm when it fires. */
const MAX_TIMER_MS = 0x7fffffff;
const MAX_SEEN = 2048;

interface Held {
  entry: AlertEntry;
  timer: unknown;
}

export class AlertStore {
  private readonly held = new Map<string, Held>(); // `${key}:${id}`, insertion order = arrival
  /** Ids already shown, until their expiry: a resend of a dismissed alert stays dismissed. */
  private readonly seen = new Map<string, number>();
  private readonly listeners = new Set<(c: AlertChange) => void>();
  private readonly now: () => number;
  private readonly timers: TimerHost;
  private readonly max: number;
  private dndOn = false;
  private disposed = false;

  constructor(private readonly opts: AlertStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? realTimers;
    this.max = opts.max ?? 50;
  }

  /** An incoming Tox message from `key`. */
  offer(key: string, source: string, text: string): Offer {
    if (!this.opts.isPagerSource(key)) return { kind: 'plain' };
    const alert = parseAlert(text);
    return alert ? this.add(key, source, alert) : { kind: 'plain' };
  }

  /** An incoming custom packet (the lossless mirror); never a plain message. */
  offerPacket(key: string, source: string, hex: string): Offer | null {
    if (!this.opts.isPagerSource(key)) return null;
    const alert = parseAlertPacket(hex);
    return alert ? this.add(key, source, alert) : null;
  }

  private add(key: string, source: string, alert: Alert): Offer {
    if (this.disposed) return { kind: 'ignored', reason: 'expired' };
    const now = this.now();
    this.forgetSeen(now);
    if (alert.expiresAt <= now) return { kind: 'ignored', reason: 'expired' };
    const k = `${key}:${alert.id}`;
    if (this.seen.has(k)) return { kind: 'ignored', reason: 'duplicate' };
    this.seen.set(k, alert.expiresAt);
    if (this.seen.size > MAX_SEEN) this.seen.delete(this.seen.keys().next().value!);
    const entry: AlertEntry = { key, source: oneLine(source, 64), alert, receivedAt: now };
    this.held.set(k, { entry, timer: this.arm(k, alert.expiresAt) });
    this.emit({ kind: 'added', entry });
    while (this.held.size > this.max) this.remove(this.held.keys().next().value!, 'evicted');
    return { kind: 'added', entry, notify: alert.priority === 'critical' };
  }

  private arm(k: string, expiresAt: number): unknown {
    const ms = Math.min(Math.max(0, expiresAt - this.now()), MAX_TIMER_MS);
    return this.timers.set(() => {
      const h = this.held.get(k);
      if (!h) return;
      h.timer = null; // fired: nothing left to clear
      if (this.now() >= h.entry.alert.expiresAt) this.remove(k, 'expired');
      else h.timer = this.arm(k, h.entry.alert.expiresAt);
    }, ms);
  }

  private remove(k: string, why: Extract<AlertChange, { kind: 'removed' }>['why']): boolean {
    const h = this.held.get(k);
    if (!h) return false;
    this.held.delete(k);
    if (h.timer !== null) this.timers.clear(h.timer);
    h.timer = null;
    this.emit({ kind: 'removed', entry: h.entry, why });
    return true;
  }

  private forgetSeen(now: number): void {
    for (const [k, exp] of this.seen) if (exp <= now && !this.held.has(k)) this.seen.delete(k);
  }

  /** Puts back alerts kept from an earlier session (oldest first), without announcing them:
   *  expired ones, ones held already and ones beyond `max` are skipped. Returns how many. */
  restore(entries: readonly AlertEntry[]): number {
    if (this.disposed) return 0;
    const now = this.now();
    let count = 0;
    for (const entry of entries.slice(-this.max)) {
      const k = `${entry.key}:${entry.alert.id}`;
      if (entry.alert.expiresAt <= now || this.held.has(k)) continue;
      this.seen.set(k, entry.alert.expiresAt);
      this.held.set(k, { entry, timer: this.arm(k, entry.alert.expiresAt) });
      count++;
    }
    if (count > 0) this.emit({ kind: 'restored', count });
    while (this.held.size > this.max) this.remove(this.held.keys().next().value!, 'evicted');
    return count;
  }

  /** Forgets every alert and every id seen, silently (no `removed` per entry): the profile
   *  was locked, and nothing of it may stay in memory. The store stays usable. */
  reset(): void {
    for (const h of this.held.values()) if (h.timer !== null) this.timers.clear(h.timer);
    this.held.clear();
    this.seen.clear();
    this.emit({ kind: 'reset' });
  }

  /** Newest first. */
  list(): AlertEntry[] {
    return [...this.held.values()].map((h) => h.entry).reverse();
  }

  get(key: string, id: string): AlertEntry | null {
    return this.held.get(`${key}:${id}`)?.entry ?? null;
  }

  dismiss(key: string, id: string): boolean {
    return this.remove(`${key}:${id}`, 'dismissed');
  }

  clear(): void {
    for (const k of [...this.held.keys()]) this.remove(k, 'cleared');
  }

  get dnd(): boolean {
    return this.dndOn;
  }

  setDnd(on: boolean): void {
    if (on === this.dndOn) return;
    this.dndOn = on;
    this.emit({ kind: 'dnd', on });
  }

  onChange(listener: (c: AlertChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(c: AlertChange): void {
    for (const l of [...this.listeners]) l(c);
  }

  /** Clears every timer; the store accepts nothing afterwards. */
  dispose(): void {
    if (this.disposed) return;
    for (const h of this.held.values()) if (h.timer !== null) this.timers.clear(h.timer);
    this.held.clear();
    this.seen.clear();
    this.listeners.clear();
    this.disposed = true;
  }
}

/** The line a code leaves in the conversation history: never its digits. */
export function codeHistoryLine(entry: AlertEntry, outcome: 'copied' | 'expired' | 'dismissed'): string {
  const a = entry.alert;
  if (a.kind !== 'code') return oneLine(a.title);
  return `Code from ${entry.source} for ${a.service}: ${a.action} (${outcome})`;
}
