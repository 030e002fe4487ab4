// Friend-request floods (issue 14, finding 8). Anyone who knows our Tox ID can send requests,
// and a new key costs nothing, so without limits each one popped a notification and rewrote
// the encrypted state document. Three limits:
// - at most REQUEST_NOTICES_PER_MINUTE requests get a notification of their own in any 60 s;
//   the first one past that gets ONE summary notification instead, the rest none (they are
//   still listed under Contacts). 20 a minute is far above what a person receives (a QR code
//   shown to a room gives a handful) and still few enough to read.
// - at most MAX_PENDING_REQUESTS wait for an answer; past that the oldest are dropped. 100 is a
//   list one can still go through, and bounds the state document (each request ≤ 1 KiB text).
//   A dropped request is not lost for good: toxcore re-sends a request until it is accepted.
// - the request list is written at most once per REQUEST_SAVE_MS, however many arrive.
// RequestRate and trimPending are pure (time is passed in); RequestSaver owns the one timer.

export const REQUEST_NOTICES_PER_MINUTE = 20;
export const MAX_PENDING_REQUESTS = 100;
export const REQUEST_WINDOW_MS = 60_000;
/** A crash in this window loses only requests that their senders' toxcore sends again. */
export const REQUEST_SAVE_MS = 1000;

/** The summary notification of a flood (no peer text in it). */
export const REQUEST_FLOOD_NOTICE = `More than ${REQUEST_NOTICES_PER_MINUTE} friend requests arrived within a minute; the rest are listed under Contacts without a notification each.`;

/** How the user hears of a new request: its own notification, the one summary of a flood, or none. */
export type RequestNotice = 'notify' | 'summary' | 'quiet';

export class RequestRate {
  /** When each of the last notifications (at most `perMinute`) was given. */
  private notified: number[] = [];
  private summaryAt: number | null = null;

  constructor(
    private readonly perMinute = REQUEST_NOTICES_PER_MINUTE,
    private readonly windowMs = REQUEST_WINDOW_MS,
  ) {}

  /** A new request (a key not pending already) arrived at `now`. */
  arrive(now: number): RequestNotice {
    this.notified = this.notified.filter((t) => now - t < this.windowMs && t <= now);
    if (this.notified.length < this.perMinute) {
      this.notified.push(now);
      return 'notify';
    }
    if (this.summaryAt === null || now - this.summaryAt >= this.windowMs || now < this.summaryAt) {
      this.summaryAt = now;
      return 'summary';
    }
    return 'quiet';
  }
}

/** The keys to drop so that at most `max` requests remain: the oldest (`ts`) first, ties in
 *  insertion order. */
export function trimPending(requests: Iterable<{ key: string; ts: number }>, max = MAX_PENDING_REQUESTS): string[] {
  const all = [...requests];
  if (all.length <= max) return [];
  return all
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.ts - b.r.ts || a.i - b.i)
    .slice(0, all.length - max)
    .map((x) => x.r.key);
}

/** Coalesces writes of the request list: `soon()` schedules one `save` within REQUEST_SAVE_MS,
 *  `flush()` writes a pending one now (before a lock or a journal change), `dispose()` too. */
export class RequestSaver {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly save: () => void,
    private readonly delayMs = REQUEST_SAVE_MS,
  ) {}

  soon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save();
    }, this.delayMs);
  }

  get pending(): boolean {
    return this.timer !== null;
  }

  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.save();
  }

  /** Drops a pending write (the list was just written by someone else). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
