// The pager in the editor, wired to the chat and the encrypted store, without VS Code:
//  - every incoming text passes incoming() before the chat model stores it: from a pager
//    source an alert becomes a short line in the conversation (a code's digits never reach
//    history or disk), a repeat of one already shown is dropped;
//  - the alert mirror packet (custom packet 0xA8) goes to the same AlertStore;
//  - plain alerts on screen are kept in the encrypted state document and come back at
//    unlock; codes never are (persist.ts); when a code ends the conversation gets
//    "code from X for Y (copied / expired / dismissed)";
//  - the pager-source flags live in the state document too (sources.ts).
// While the profile is locked (detached) there is no source, so there are no alerts, and
// everything held was forgotten at lock.

import { type Alert, parseAlert } from '../../protocol/pagerAlert';
import { oneLine } from '../../common/text';
import type { NodeEvent } from '../../protocol/node';
import type { IncomingFilter, IncomingVerdict } from '../../core/chat/chatModel';
import { type AlertChange, type AlertEntry, AlertStore, type AlertStoreOptions, codeHistoryLine } from './alertStore';
import { fromStored, storedList } from './persist';
import { PagerSources, type StateAccess } from './sources';

/** What the controller needs of the chat model (ChatModel has exactly this). */
export interface PagerChat {
  displayName(key: string): string;
  system(key: string, text: string): void;
  setIncomingFilter(filter: IncomingFilter | null): void;
  contactByFriend(friend: number): { key: string } | undefined;
}

const PLAIN: IncomingVerdict = { kind: 'plain' };
const DROP: IncomingVerdict = { kind: 'drop' };
/** Alerts remembered as "has its line in the chat" (a repeat is dropped, not shown twice). */
const MAX_LINED = 4096;

/** The line an alert leaves in the conversation: short, and never a code's digits. */
export function alertChatLine(a: Alert, expiredOnArrival: boolean): string {
  const where = expiredOnArrival ? 'expired before it arrived' : 'in the status bar';
  if (a.kind === 'code') return `🔑 Code for ${oneLine(a.service, 64)}: ${oneLine(a.action, 128)} (${where})`;
  return `${a.priority === 'critical' ? '🚨' : a.priority === 'warning' ? '⚠️' : '🔔'} ${oneLine(a.title, 120)} (pager alert, ${where})`;
}

const keyOf = (e: AlertEntry) => `${e.key}:${e.alert.id}`;

export class PagerController {
  readonly alerts: AlertStore;
  private store: StateAccess | null = null;
  private sources: PagerSources | null = null;
  private readonly lined = new Set<string>();
  private readonly copied = new Set<string>();
  private readonly now: () => number;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly chat: PagerChat,
    opts: Omit<AlertStoreOptions, 'isPagerSource'> = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.alerts = new AlertStore({ ...opts, isPagerSource: (k) => this.sources?.isSource(k) ?? false });
    this.unsubscribe = this.alerts.onChange((c) => this.changed(c));
    chat.setIncomingFilter((key, text) => this.incoming(key, text));
  }

  get unlocked(): boolean {
    return this.store !== null;
  }

  /** At unlock: the flags and the kept alerts become available. Expired ones are pruned. */
  attach(store: StateAccess): void {
    this.store = store;
    this.sources = new PagerSources(store);
    const raw = store.state.alerts ?? [];
    const now = this.now();
    const entries = raw.map((r) => fromStored(r, now)).filter((e): e is AlertEntry => e !== null);
    for (const e of entries) this.remember(keyOf(e));
    this.alerts.restore(entries);
    if (entries.length !== raw.length) this.persist();
  }

  /** At lock, before the store closes: every alert, code and id is forgotten, nothing is
   *  written (the store keeps what was on screen for the next unlock). */
  detach(): void {
    this.store = null;
    this.sources = null;
    this.alerts.reset();
    this.lined.clear();
    this.copied.clear();
  }

  isSource(key: string): boolean {
    return this.sources?.isSource(key) ?? false;
  }

  /** Turning a source off also takes its alerts off the screen. */
  setSource(key: string, on: boolean): void {
    if (!this.sources) throw new Error('your Tox profile is locked: run "Tox: Unlock" first');
    this.sources.set(key, on);
    if (!on) for (const e of this.alerts.list()) if (e.key === key.toUpperCase()) this.alerts.dismiss(e.key, e.alert.id);
  }

  sourceKeys(): string[] {
    return this.sources?.list() ?? [];
  }

  /** The chat model's incoming filter. */
  incoming(key: string, text: string): IncomingVerdict {
    const offer = this.alerts.offer(key, this.chat.displayName(key), text);
    if (offer.kind === 'plain') return PLAIN;
    const alert = offer.kind === 'added' ? offer.entry.alert : parseAlert(text);
    if (!alert) return PLAIN; // not reached: offer() parsed it already
    const k = `${key}:${alert.id}`;
    // A repeat (the sender re-sends what it saw no receipt for) has its line already. The
    // mirror packet may have come first, though: then this text still gets its line.
    if (this.lined.has(k)) return DROP;
    this.remember(k);
    return { kind: 'replace', text: alertChatLine(alert, offer.kind === 'ignored' && offer.reason === 'expired') };
  }

  /** Every node event: the lossless alert mirror goes to the store (never to the chat). */
  nodeEvent(e: NodeEvent): void {
    if (e.event !== 'custom_packet' || !e.lossless) return;
    const c = this.chat.contactByFriend(e.friend);
    if (c) this.alerts.offerPacket(c.key, this.chat.displayName(c.key), e.data);
  }

  /** "Copy code" was used: the code's history line says so when it ends. */
  markCopied(e: AlertEntry): void {
    this.copied.add(keyOf(e));
  }

  private remember(k: string): void {
    this.lined.add(k);
    if (this.lined.size > MAX_LINED) this.lined.delete(this.lined.values().next().value!);
  }

  private changed(c: AlertChange): void {
    if (!this.store || (c.kind !== 'added' && c.kind !== 'removed')) return;
    if (c.entry.alert.kind === 'alert') return this.persist();
    if (c.kind === 'removed') {
      const k = keyOf(c.entry);
      const outcome = this.copied.delete(k) ? 'copied' : c.why === 'expired' ? 'expired' : 'dismissed';
      this.chat.system(c.entry.key, codeHistoryLine(c.entry, outcome));
    }
  }

  private persist(): void {
    const list = storedList(this.alerts.list());
    this.store?.updateState((s) => {
      if (list.length) s.alerts = list;
      else delete s.alerts;
    });
  }

  dispose(): void {
    this.unsubscribe();
    this.chat.setIncomingFilter(null);
    this.detach();
    this.alerts.dispose();
  }
}
