// Which alerts survive a restart, and in what form: plain alerts still on screen go into the
// encrypted state document (StateDoc.alerts) and come back at unlock; one-time codes never
// do. A code lives in memory only (≤ 10 min): nothing written anywhere holds its digits, and
// after a restart or a lock it is simply gone (the history keeps "code from X for Y").

import { ID_PATTERN, PRIORITIES } from '../../protocol/pagerAlert';
import { check, type Infer, int, literal, nullable, obj, str } from '../../protocol/guard';
import { hexKey } from '../../protocol/node';
import type { AlertEntry } from './alertStore';

/** Generous caps: a stored alert was parsed (and capped) on arrival; these only keep a
 *  damaged or foreign record from growing without bound. */
const storedAlert = obj({
  key: hexKey,
  source: str({ max: 256 }),
  received: int({ min: 0 }),
  id: str({ pattern: ID_PATTERN }),
  priority: literal(...PRIORITIES),
  expires: int({ min: 0 }),
  link: nullable(str({ max: 2048 })),
  title: str({ max: 2048 }),
  body: str({ max: 8192 }),
});
export type StoredAlert = Infer<typeof storedAlert>;

/** The record for `e`, or null for a code (never stored). */
export function toStored(e: AlertEntry): StoredAlert | null {
  const a = e.alert;
  if (a.kind !== 'alert') return null;
  return {
    key: e.key.toUpperCase(),
    source: e.source.slice(0, 256),
    received: e.receivedAt,
    id: a.id,
    priority: a.priority,
    expires: a.expiresAt,
    link: a.link,
    title: a.title.slice(0, 2048),
    body: a.body.slice(0, 8192),
  };
}

/** An entry from a stored record, or null if it is not understood or has expired. */
export function fromStored(raw: unknown, now: number): AlertEntry | null {
  const r = check(storedAlert, raw);
  if (!r.ok || r.value.expires <= now) return null;
  const s = r.value;
  return {
    key: s.key.toUpperCase(),
    source: s.source,
    receivedAt: s.received,
    alert: { kind: 'alert', id: s.id, priority: s.priority, expiresAt: s.expires, link: s.link, title: s.title, body: s.body },
  };
}

/** What StateDoc.alerts should hold for these entries (newest first in, oldest first out). */
export function storedList(entries: readonly AlertEntry[]): StoredAlert[] {
  const out: StoredAlert[] = [];
  for (const e of [...entries].reverse()) {
    const s = toStored(e);
    if (s) out.push(s);
  }
  return out;
}
