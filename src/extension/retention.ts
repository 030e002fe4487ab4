// Which history the retention settings would delete, and how to ask about it. Deleting
// history always asks first (issue 14): a setting is not consent, since it may have been
// set long ago, or (before these settings were application-scoped) by a cloned workspace.
// Once the user agreed to a rule ("history off", "keep 30 days"), later runs of the same
// rule (the daily retention pass) go silently; a changed rule asks again.

import { linesText } from './surfaceText';

export type RetentionRule = { kind: 'off' } | { kind: 'days'; days: number };

/** The rule the settings ask for, or null when everything is kept. */
export function retentionRule(enabled: unknown, keepDays: unknown): RetentionRule | null {
  if (enabled === false) return { kind: 'off' };
  if (typeof keepDays === 'number' && Number.isFinite(keepDays) && keepDays > 0) return { kind: 'days', days: Math.ceil(keepDays) };
  return null;
}

export function cutoffOf(rule: RetentionRule, now: number): number {
  return rule.kind === 'off' ? Infinity : now - rule.days * 86_400_000;
}

/** What the user's consent is remembered under. */
export function ruleKey(rule: RetentionRule): string {
  return rule.kind === 'off' ? 'off' : `days:${rule.days}`;
}

const NAMES_SHOWN = 5;

function plural(n: number, word: 'day' | 'message' | 'conversation'): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The modal's message: what is deleted and how much. */
export function retentionMessage(rule: RetentionRule, counts: ReadonlyMap<string, number>): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const what = rule.kind === 'off' ? 'all conversation history' : `messages older than ${plural(rule.days, 'day')}`;
  return `Delete ${what} (${plural(total, 'message')} in ${plural(counts.size, 'conversation')})?`;
}

/** The modal's detail: why (which setting), and each conversation with its count. */
export function retentionDetail(rule: RetentionRule, counts: ReadonlyMap<string, number>, nameOf: (key: string) => string): string {
  const convs = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const names = convs.slice(0, NAMES_SHOWN).map(([k, n]) => `${nameOf(k)}: ${plural(n, 'message')}`);
  if (convs.length > NAMES_SHOWN) names.push(`…and ${convs.length - NAMES_SHOWN} more conversations`);
  const why = rule.kind === 'off' ? 'Your setting toxync.history.enabled is off.' : `Your setting toxync.history.keepDays is ${rule.days}.`;
  return `${why} Undelivered outgoing messages are kept. This cannot be undone.\n\n${linesText(names, 200)}`;
}

/** What to tell the user who declined. */
export function keptNotice(rule: RetentionRule): string {
  return rule.kind === 'off'
    ? 'Nothing was deleted. To keep history, set toxync.history.enabled to true in your User settings; new messages are not kept while it is off.'
    : 'Nothing was deleted. To keep all history, set toxync.history.keepDays to 0 in your User settings.';
}
