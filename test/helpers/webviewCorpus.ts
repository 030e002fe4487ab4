// The webview corpus test's machinery (test/browser/corpus.test.ts): the payload lists, the
// host messages that put one payload into every role where peer text lands, a runner that
// dispatches them in the page and reads the DOM back, and what counts as a finding. No
// import side effects.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/sys/packageRoot';
import { checkLink, type LinkPolicy } from '../../src/common/links';
import { fingerprint, visibleForm } from '../../src/common/text';
import { check } from '../../src/protocol/guard';
import { type ChatMessage, type PeerView, toWebview } from '../../src/protocol/webview';
import { HOSTILE_PAYLOADS } from '../fixtures/hostile-payloads';
import type { Probe, ProbedPage } from './browser';

const KEY = '5a'.repeat(32);
export const INIT = { type: 'init', mode: 'view', conti_base_url: 'https://conti.example.org/', trusted_hosts: [], self_name: 'me' } as const;
const POLICY: LinkPolicy = { contiBaseUrl: INIT.conti_base_url, trustedHosts: [] };
// Per-field limits of src/protocol/webview.ts: longer values would be dropped by the
// webview's guard, so each role gets the payload cut to what the host may send there.
export const MAX_ALIAS = 512;
const MAX_NAME = 1024;
const MAX_STATUS = 4096;
const MAX_REQUEST = 4096;
const MAX_NOTICE = 4096;
export const CHUNK = 40;

interface Payload {
  source: string;
  text: string;
}

/** The vendored lists (one payload a line; DOMPurify's fixtures as a JSON array of strings) plus ours, duplicates removed. */
export function loadCorpus(): { payloads: Payload[]; lines: number; files: number } {
  const dir = join(packageRoot(), 'test', 'fixtures', 'xss');
  const all: Payload[] = [];
  let files = 0;
  for (const name of readdirSync(dir).sort()) {
    if (/^patt-.*\.txt$/.test(name)) {
      files++;
      // Some lists have CRLF line ends; the CR is the file's, not the payload's.
      for (const line of readFileSync(join(dir, name), 'utf8').split(/\r?\n/)) if (line.trim()) all.push({ source: name, text: line });
    }
  }
  const json: unknown = JSON.parse(readFileSync(join(dir, 'dompurify-fixture-payloads.json'), 'utf8'));
  assert.ok(Array.isArray(json) && json.every((x) => typeof x === 'string'), 'dompurify-fixture-payloads.json: expected an array of strings');
  files++;
  for (const text of json as string[]) all.push({ source: 'dompurify', text });
  const lines = all.length;
  for (const p of HOSTILE_PAYLOADS) all.push({ source: `own: ${p.label}`, text: p.text });
  const seen = new Set<string>();
  const payloads = all.filter((p) => !seen.has(p.text) && seen.add(p.text));
  return { payloads, lines, files };
}

/** Cuts to `max` UTF-16 units without leaving half of a surrogate pair behind. */
function cap(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

export function peer(over: Partial<PeerView>): PeerView {
  return {
    key: KEY,
    alias: null,
    name: 'Bob',
    status_message: '',
    presence: 'online',
    typing: false,
    fingerprint: fingerprint(KEY),
    ...over,
  };
}

export function msg(id: string, kind: ChatMessage['kind'], text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, dir: 'in', kind, text, ts: Date.now(), ...extra };
}

/** One host message and what to read back afterwards: selector → expected textContent (null: absent). */
export interface Step {
  msg: unknown;
  expect: Record<string, string | null>;
  /** Notices stay for 6 s; the test removes them once checked so they do not pile up. */
  clearNotices?: boolean;
}

interface LinkSeen {
  tag: string;
  cls: string;
  title: string | null;
  text: string;
  href: boolean;
  /** What a click on it posted to the host (JSON). */
  opened: string[];
}

export interface StepResult {
  texts: Record<string, string | null>;
  problems: string[];
  attrTexts: string[];
  links: LinkSeen[];
}

/** The six host messages that put one payload into every role. */
export function stepsFor(text: string): Step[] {
  const alias = cap(text, MAX_ALIAS);
  const name = cap(text, MAX_NAME);
  const status = cap(text, MAX_STATUS);
  // One row per host message: the list is virtualised, so of several long rows only the
  // last would exist. `append` keeps the view stuck to the bottom, so the new row is drawn.
  return [
    {
      // (a) message, (c) name with an alias, (d) status message.
      msg: { type: 'conversation', peer: peer({ alias, name, status_message: status }), messages: [msg('n', 'normal', text)] },
      expect: {
        '.msg.normal[data-id="n"] .body': visibleForm(text),
        '.msg[data-id="n"] .who': visibleForm(alias),
        '#peer-title': visibleForm(alias),
        '#peer-name': visibleForm(name),
        '#peer-status': visibleForm(status),
      },
    },
    {
      // (b) action message.
      msg: { type: 'append', key: KEY, messages: [msg('a', 'action', text)] },
      expect: { '.msg.action[data-id="a"] .body': visibleForm(text) },
    },
    {
      // (f) file name.
      msg: { type: 'append', key: KEY, messages: [msg('f', 'file', text, { size: 4096 })] },
      expect: { '.msg.file[data-id="f"] .body': visibleForm(text) },
    },
    {
      // (c) name without an alias, (g) the typing line.
      msg: { type: 'peer', peer: peer({ name, status_message: status, typing: true }) },
      expect: { '#peer-title': visibleForm(name), '#peer-name': null, '#typing': `${visibleForm(name)} is typing…` },
    },
    {
      // (e) friend request message.
      msg: { type: 'request', request: { key: KEY, message: cap(text, MAX_REQUEST), ts: Date.now(), fingerprint: fingerprint(KEY) } },
      expect: { '#request-message': visibleForm(cap(text, MAX_REQUEST)) },
    },
    {
      // Notices are toxync's own text but may quote a peer: markers like everywhere else.
      msg: { type: 'notice', level: 'error', text: cap(text, MAX_NOTICE) },
      expect: { 'body > .notice': visibleForm(cap(text, MAX_NOTICE)) },
      clearNotices: true,
    },
  ];
}
export const STEPS = 6;
// (a) message (b) action (c) name with and without an alias (d) status (e) request (f) file (g) typing; plus the notice.
export const ROLES = 7;

/**
 * Runs in the page: dispatches each host message synchronously (a MessageEvent, as VS Code's
 * postMessage delivers it) and reads the DOM right after. JSON both ways, so lone surrogates
 * and NULs in payloads survive the trip through the DevTools protocol unchanged.
 */
function runSteps(p: Probe, json: string): string {
  const steps = JSON.parse(json) as { msg: unknown; selectors: string[]; clearNotices?: boolean }[];
  const out: unknown[] = [];
  for (const s of steps) {
    window.dispatchEvent(new MessageEvent('message', { data: s.msg }));
    const texts: Record<string, string | null> = {};
    for (const sel of s.selectors) texts[sel] = document.querySelector(sel)?.textContent ?? null;
    const links = Array.from(document.querySelectorAll('#app [role="link"], #app .link, #app [href]'), (e) => {
      // Click each drawn link (never a real href: that could navigate) and take back what it
      // posted, so the host stub ends up holding only what the webview sends on its own.
      const before = p.posted.length;
      if (e instanceof HTMLSpanElement && !e.hasAttribute('href')) e.click();
      const opened = p.posted.splice(before).map((m) => JSON.stringify(m));
      return {
        tag: e.tagName,
        cls: e.className,
        title: e.getAttribute('title'),
        text: e.textContent ?? '',
        href: e.hasAttribute('href'),
        opened,
      };
    });
    const report = p.check();
    out.push({ texts, problems: report.problems, attrTexts: report.attrTexts, links });
    if (s.clearNotices) for (const n of Array.from(document.querySelectorAll('body > .notice'))) n.remove();
  }
  return JSON.stringify(out);
}

export async function run(page: ProbedPage, steps: Step[]): Promise<StepResult[]> {
  for (const s of steps) {
    const v = check(toWebview, s.msg);
    assert.ok(v.ok, `test bug: the webview would drop this message: ${v.ok ? '' : v.error}`);
  }
  const wire = steps.map((s) => ({ msg: s.msg, selectors: Object.keys(s.expect), clearNotices: s.clearNotices }));
  return JSON.parse(await page.probe(runSteps, JSON.stringify(wire))) as StepResult[];
}

/** Everything wrong with one step's result, as readable lines. */
export function findings(step: Step, r: StepResult): string[] {
  const out = [...r.problems];
  for (const [sel, want] of Object.entries(step.expect)) {
    const got = r.texts[sel];
    if (got !== want) out.push(`${sel}: expected ${preview(want)}, got ${preview(got ?? null)}`);
  }
  for (const t of r.attrTexts) if (visibleForm(t) !== t) out.push(`attribute value with an invisible/bidi code point: ${preview(t)}`);
  for (const l of r.links) {
    const posted = l.opened.map((m) => JSON.parse(m) as { type?: unknown; url?: unknown });
    const url = posted.length === 1 && posted[0]?.type === 'open_link' && typeof posted[0].url === 'string' ? posted[0].url : null;
    if (l.tag !== 'SPAN' || l.cls !== 'link' || l.href) out.push(`link drawn as <${l.tag.toLowerCase()} class="${l.cls}"${l.href ? ' href' : ''}>`);
    else if (url === null) out.push(`a click on link ${preview(l.text)} posted ${JSON.stringify(l.opened)}`);
    else if (!checkLink(url, POLICY).ok) out.push(`link to a refused URL: ${preview(url)}`);
    // What the user reads (text and tooltip) is the URL the click sends, invisibles marked.
    else if (l.text !== visibleForm(url) || l.title !== visibleForm(url))
      out.push(`link shows ${preview(l.text)} / ${preview(l.title)} but opens ${preview(url)}`);
  }
  return out;
}

export function preview(s: string | null): string {
  if (s === null) return 'nothing';
  const j = JSON.stringify(s);
  return j.length > 120 ? `${j.slice(0, 117)}…" (${s.length} chars)` : j;
}
