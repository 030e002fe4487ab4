// How a conversation reads as a timeline: day separators, messages of one sender grouped
// (their name and time shown once), short times with the full one on hover, the parts of a
// message the sender's toxync split shown as one message, and long messages collapsed.
// Pure functions of the messages, so the virtualised list can ask about any row alone.

import type { ChatMessage } from '../protocol/webview';

/** Consecutive messages of one sender closer than this share one header. */
export const GROUP_GAP_MS = 5 * 60_000;
/** A body longer than this (characters or lines) starts collapsed, behind "Show more". */
export const COLLAPSE_CHARS = 700;
export const COLLAPSE_LINES = 12;

const DAY_MS = 24 * 60 * 60_000;

function dayStart(ts: number): number {
  const d = new Date(ts);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export function sameDay(a: number, b: number): boolean {
  return dayStart(a) === dayStart(b);
}

/** "Today", "Yesterday", else the weekday and date (the year only when it is not this one). */
export function dayLabel(ts: number, now = Date.now()): string {
  const days = Math.round((dayStart(now) - dayStart(ts)) / DAY_MS);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  const sameYear = new Date(ts).getFullYear() === new Date(now).getFullYear();
  return new Date(ts).toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) });
}

export function shortTime(ts: number): string {
  return new Date(ts).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function fullTime(ts: number): string {
  return new Date(ts).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'medium' });
}

/** `m` continues `prev`'s group: same sender, same day, soon after, neither a system note. */
export function continuesGroup(prev: ChatMessage | undefined, m: ChatMessage): boolean {
  return prev !== undefined && prev.dir === m.dir && m.dir !== 'system' && sameDay(prev.ts, m.ts) && m.ts - prev.ts < GROUP_GAP_MS && m.ts >= prev.ts;
}

export function startsDay(prev: ChatMessage | undefined, m: ChatMessage): boolean {
  return prev === undefined || !sameDay(prev.ts, m.ts);
}

/** `prev` and `m` joined when `m` is the next part of the same split message, else null. */
export function joinSplit(prev: ChatMessage | undefined, m: ChatMessage): ChatMessage | null {
  if (!prev?.split || !m.split || prev.split.of !== m.split.of || m.split.part !== prev.split.part + 1) return null;
  if (prev.dir !== m.dir || prev.kind !== m.kind) return null;
  return { ...prev, text: prev.text + m.text, split: m.split };
}

/** A history with the parts of each split message joined. */
export function joinSplits(messages: readonly ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const joined = joinSplit(out[out.length - 1], m);
    if (joined) out[out.length - 1] = joined;
    else out.push(m);
  }
  return out;
}

export function isLong(text: string): boolean {
  if (text.length > COLLAPSE_CHARS) return true;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && lines <= COLLAPSE_LINES; i = text.indexOf('\n', i + 1)) lines++;
  return lines > COLLAPSE_LINES;
}
