// What a conversation log holds, as JSON records. Read back through guards like any other
// input: the file authenticated, but a record from an older toxync may lack a field.
//   head    — the first record of every log: whose conversation this is. The peer's key is
//             inside the encryption, so file names need not (and do not) name anyone.
//   msg     — a message (in, out, or toxync's own note), with its delivery state when it
//             was written; `dedup` is the sender's message id used to drop re-sent copies.
//   state   — a later delivery state of an outgoing message (delivered / failed).
//   seen    — our own message was confirmed (kept minimal: only the id).

import type { ChatMessage } from '../../protocol/webview';
import { array, bool, check, type Guard, type Infer, int, literal, obj, optional, str, tagged, nullable } from '../../protocol/guard';
import { hexKey, transferRecord } from '../../protocol/node';
import { chatMessage, deliveryState } from '../../protocol/webview';

/** Outgoing: the message's dedup id; incoming: the sender's id and part, `id:part`. */
export const dedupId = str({ pattern: /^[0-9a-f]{32}(:\d{1,5})?$/ });

export const historyRecord = tagged('t', {
  head: { v: int({ min: 1, max: 1 }), peer: hexKey, created: int({ min: 0 }) },
  msg: { m: chatMessage, dedup: optional(dedupId) },
  state: { id: str({ min: 1, max: 64 }), state: deliveryState },
});
export type HistoryRecord = Infer<typeof historyRecord>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A message's record; the dedup id, when there is one, goes with it so a re-send keeps it. */
export function msgRecord(m: ChatMessage, dedup: string | undefined): HistoryRecord {
  return dedup ? { t: 'msg', m, dedup } : { t: 'msg', m };
}

export function encodeRecord(r: HistoryRecord): Uint8Array {
  return encoder.encode(JSON.stringify(r));
}

/** null for a record this version does not understand (kept on disk, ignored here). */
export function decodeRecord(b: Uint8Array): HistoryRecord | null {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(b));
  } catch {
    return null;
  }
  const r = check(historyRecord, raw);
  return r.ok ? r.value : null;
}

/** A value kept as it was read; its reader checks it (see `alerts`). */
const opaque: Guard<unknown> = (v) => v;

const requestShape = obj({ key: hexKey, message: str({ max: 4096 }), ts: int({ min: 0 }) });
const friendSettings = obj({
  /** Alerts from this friend are recognised as pager alerts (issue: pager). */
  pager_source: optional(literal(true, false)),
  /** Files from this friend are accepted without asking (issue: files). Off when absent. */
  auto_accept: optional(obj({ folder: str({ min: 1, max: 4096 }), max_bytes: int({ min: 0 }), images_only: bool })),
});

/** state.bin: everything the user decided about peers. Names friends, so it is encrypted. */
export const stateDoc = obj({
  v: int({ min: 1, max: 1 }),
  aliases: array(obj({ key: hexKey, alias: str({ max: 512 }) }), { max: 100_000 }),
  blocked: array(hexKey, { max: 100_000 }),
  requests: array(requestShape, { max: 10_000 }),
  friends: array(obj({ key: hexKey, settings: friendSettings }), { max: 100_000 }),
  /** Unix ms of the last retention pass (runs at most daily). */
  pruned: optional(nullable(int({ min: 0 }))),
  /** Pager alerts still on screen (src/extension/pager/persist.ts; never a code's digits).
   *  Items stay unchecked here and are checked one by one when restored: one item this
   *  version does not understand must not make the whole state document unreadable. */
  alerts: optional(array(opaque, { max: 1000 })),
  /** Transfers that resume after a disconnect or restart (the node's TransferJournal). */
  transfers: optional(array(transferRecord, { max: 10_000 })),
  /** Our own avatar (≤ 64 KiB image, base64), sent to friends at every node start. */
  avatar: optional(str({ max: 100_000, pattern: /^[A-Za-z0-9+/]*={0,2}$/ })),
});
export type StateDoc = Infer<typeof stateDoc>;

export function emptyState(): StateDoc {
  return { v: 1, aliases: [], blocked: [], requests: [], friends: [] };
}

/** Retention keeps messages from `cutoff` (Unix ms) on, and outgoing ones not yet delivered. */
export function keptBy(m: { ts: number; dir: string; state?: string | undefined }, cutoff: number): boolean {
  return m.ts >= cutoff || (m.dir === 'out' && m.state !== 'delivered' && m.state !== 'failed');
}
