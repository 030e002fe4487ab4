// What the pager's status-bar item and quick pick show, as pure functions of the alerts and
// the time: the VS Code layer (statusItem.ts) only copies these values onto its widgets.
// Peer text never reaches the status-bar text (a code's service name could carry "$(…)"
// icon syntax); in labels that render icons it is defused with labelText().

import type { LinkPolicy } from '../../common/links';
import { resolveAlertLink } from '../../common/alertLink';
import { alertSummary, type Priority } from '../../protocol/pagerAlert';
import type { AlertEntry } from './alertStore';
import { labelText } from '../surfaceText';

export const WARNING_BACKGROUND = 'statusBarItem.warningBackground';
export const ERROR_BACKGROUND = 'statusBarItem.errorBackground';

export interface PagerStatusView {
  visible: boolean;
  text: string;
  /** A theme colour id, or null for the default (never a custom colour). */
  background: typeof WARNING_BACKGROUND | typeof ERROR_BACKGROUND | null;
  /** Plain-text lines with peer text in them (the VS Code layer appends them through
   *  surfaceText's appendPeerLines). */
  tooltipLines: string[];
  accessibility: string;
  /** Milliseconds until the view changes by itself (a countdown, ages), or null. */
  refreshInMs: number | null;
}

const TOOLTIP_ALERTS = 5;
const RANK: Record<Priority, number> = { info: 0, warning: 1, critical: 2 };
const ICON: Record<Priority, string> = { info: '$(info)', warning: '$(warning)', critical: '$(error)' };

/** 4:05 — minutes and seconds left, rounded up (a code never shows 0:00 while valid). */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** Whether an entry still sounds under "do not disturb". */
function audible(e: AlertEntry, dnd: boolean): boolean {
  return !dnd || e.alert.priority === 'critical';
}

/**
 * The status-bar text: our icons, a countdown and a count, never peer text (a service name
 * could carry "$(…)"). Kept to expressions the surface audit can prove safe.
 */
export function pagerStatusText(entries: readonly AlertEntry[], now: number, dnd: boolean): string {
  const live = entries.filter((e) => e.alert.expiresAt > now);
  const codes = live.filter((e) => e.alert.kind === 'code').map((e) => e.alert.expiresAt);
  const soonest = codes.length ? Math.min(...codes) : null;
  const others = live.length - codes.length;
  const bell = dnd ? '$(bell-slash)' : live.length ? '$(bell-dot)' : '$(bell)';
  const keyPart = soonest !== null ? `$(key) ${countdown(soonest - now)}` : '';
  const bellPart = others > 0 || soonest === null ? `${bell} ${others}` : '';
  return `${keyPart} ${bellPart}`.trim();
}

/** `entries` newest first (AlertStore.list()). */
export function pagerStatusView(entries: readonly AlertEntry[], now: number, dnd: boolean): PagerStatusView {
  const live = entries.filter((e) => e.alert.expiresAt > now);
  const codes = live.filter((e) => e.alert.kind === 'code').sort((a, b) => a.alert.expiresAt - b.alert.expiresAt);
  const audibleEntries = live.filter((e) => audible(e, dnd));
  const top = audibleEntries.reduce<Priority | null>((p, e) => (p === null || RANK[e.alert.priority] > RANK[p] ? e.alert.priority : p), null);
  const background = top === 'critical' ? ERROR_BACKGROUND : top === 'warning' ? WARNING_BACKGROUND : null;
  const code = codes[0];
  const others = live.length - codes.length;

  const tooltip: string[] = [];
  if (dnd) tooltip.push('Do not disturb: only critical alerts are announced.');
  if (live.length === 0) tooltip.push('No pager alerts.');
  for (const e of live.slice(0, TOOLTIP_ALERTS)) {
    const a = e.alert;
    tooltip.push(
      a.kind === 'code'
        ? `Code for ${a.service}: ${a.action}, from ${e.source}, expires in ${countdown(a.expiresAt - now)}`
        : `[${a.priority}] ${alertSummary(a)}, from ${e.source}, ${age(now - e.receivedAt)}`,
    );
  }
  if (live.length > TOOLTIP_ALERTS) tooltip.push(`…and ${live.length - TOOLTIP_ALERTS} more`);
  if (live.length) tooltip.push('Click to open, dismiss or copy.');

  const accessibility = code
    ? `Pager: a code expires in ${countdown(code.alert.expiresAt - now)}; ${others} other alerts`
    : `Pager: ${live.length} alerts${dnd ? ', do not disturb' : ''}`;
  return {
    visible: live.length > 0 || dnd,
    text: pagerStatusText(entries, now, dnd),
    background,
    tooltipLines: tooltip,
    accessibility,
    refreshInMs: code ? 1000 - (now % 1000) || 1000 : live.length ? 30_000 : null,
  };
}

export type AlertAction = 'open' | 'dismiss' | 'copy-code' | 'copy-text';

export interface AlertPickItem {
  label: string;
  description: string;
  detail: string;
  key: string;
  id: string;
}

/** Quick pick rows: title, source alias and age (codes: service, action, time left). */
export function alertPickItems(entries: readonly AlertEntry[], now: number): AlertPickItem[] {
  return entries
    .filter((e) => e.alert.expiresAt > now)
    .map((e) => {
      const a = e.alert;
      if (a.kind === 'code') {
        return {
          label: `$(key) ${labelText(`Code for ${a.service}: ${a.action}`, 120)}`,
          description: `${labelText(e.source)} · ${age(now - e.receivedAt)}`,
          detail: `expires in ${countdown(a.expiresAt - now)}`,
          key: e.key,
          id: a.id,
        };
      }
      return {
        label: `${ICON[a.priority]} ${labelText(alertSummary(a))}`,
        description: `${labelText(e.source)} · ${age(now - e.receivedAt)}`,
        detail: labelText(a.body, 200),
        key: e.key,
        id: a.id,
      };
    });
}

/** What can be done with one alert; "open" only when its link resolves to something openable. */
export function alertActions(e: AlertEntry, policy: LinkPolicy): AlertAction[] {
  const out: AlertAction[] = [];
  if (e.alert.link !== null && resolveAlertLink(e.alert.link, policy).kind !== 'refuse') out.push('open');
  out.push(e.alert.kind === 'code' ? 'copy-code' : 'copy-text', 'dismiss');
  return out;
}
