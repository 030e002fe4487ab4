// A small markdown subset for chat messages, as a tree of plain data (no HTML strings, ever):
// **bold**, *italic* / _italic_, `code`, ```code blocks``` and links.
//
// Nothing is ever hidden: the syntax characters stay in the output as `syntax` spans (drawn
// dimmed), so what the user sees is exactly what the peer sent — a link's visible text can
// never differ from its target, and "**" cannot make text disappear. The scanner is a single
// left-to-right pass with bounded look-ahead per opener, so no input makes it slow.

import { checkLink, type LinkPolicy } from './links';

export type Span =
  | { t: 'text'; text: string }
  | { t: 'syntax'; text: string }
  | { t: 'strong' | 'em'; children: Span[] }
  | { t: 'code'; text: string }
  | { t: 'codeblock'; text: string }
  | { t: 'link'; text: string; url: string };

const URL_RE = /https?:\/\/[^\s<>"'`]+/y;
/** Punctuation that ends a sentence rather than a URL. Stripped with a loop: a `[…]+$` regex
 *  backtracks quadratically over a long run of these followed by a letter. */
const LINK_TRAILING = new Set('.,;:!?)]}\'"');
const MAX_INLINE = 4096; // an opener looks this far for its closer, no further
const SCAN_BUDGET = 200_000; // look-ahead characters per message; past it, the rest is plain text

interface Ctx {
  policy: LinkPolicy;
  budget: number;
}

/** Index of `closer` at or after `from`, or -1. Only the characters actually looked at are
 *  charged to the budget (charging the whole window would stop formatting after a few dozen
 *  markers in a long message). `notBeforeWord`: the closer must not be followed by a word
 *  character (so "_private_var" is not emphasis). */
function findCloser(ctx: Ctx, s: string, from: number, closer: string, stopAtNewline: boolean, notBeforeWord = false): number {
  if (ctx.budget <= 0) return -1;
  const limit = Math.min(s.length, from + MAX_INLINE, from + ctx.budget);
  for (let i = from; i < limit; i++) {
    if (stopAtNewline && s[i] === '\n') {
      ctx.budget -= i - from + 1;
      return -1;
    }
    if (s.startsWith(closer, i) && !(notBeforeWord && /\w/.test(s[i + closer.length] ?? ''))) {
      ctx.budget -= i - from + 1;
      return i;
    }
  }
  ctx.budget -= limit - from;
  return -1;
}

function trimLinkTrailing(url: string): string {
  let end = url.length;
  while (end > 0 && LINK_TRAILING.has(url[end - 1]!)) end--;
  return url.slice(0, end);
}

function pushText(out: Span[], text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.t === 'text') last.text += text;
  else out.push({ t: 'text', text });
}

function inline(s: string, ctx: Ctx, depth: number): Span[] {
  const out: Span[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '`') {
      const end = findCloser(ctx, s, i + 1, '`', true);
      if (end > i + 1) {
        out.push({ t: 'syntax', text: '`' }, { t: 'code', text: s.slice(i + 1, end) }, { t: 'syntax', text: '`' });
        i = end + 1;
        continue;
      }
    }
    const mark = s.startsWith('**', i) ? '**' : c === '*' || c === '_' ? c : '';
    if (mark && depth < 2) {
      const end = findCloser(ctx, s, i + mark.length, mark, true, mark === '_');
      const inner = end > 0 ? s.slice(i + mark.length, end) : '';
      // Emphasis needs non-space content right inside the markers (so "2 * 3 * 4" stays text).
      // "_" never opens or closes inside a word, nor against another "_" (snake_case, __init__).
      const wordy = mark === '_' && (/\w/.test(s[i - 1] ?? '') || inner.startsWith('_') || inner.endsWith('_'));
      if (end > 0 && inner.trim() === inner && inner.length > 0 && !wordy) {
        out.push({ t: 'syntax', text: mark }, { t: mark === '**' ? 'strong' : 'em', children: inline(inner, ctx, depth + 1) }, { t: 'syntax', text: mark });
        i = end + mark.length;
        continue;
      }
    }
    // The word-boundary test comes first: matching a URL that is then not used would rescan
    // the same run for every "xhttp://" in it (quadratic).
    if (c === 'h' && (i === 0 || !/\w/.test(s[i - 1]!))) {
      URL_RE.lastIndex = i;
      const m = URL_RE.exec(s);
      if (m) {
        const url = trimLinkTrailing(m[0]);
        if (checkLink(url, ctx.policy).ok) out.push({ t: 'link', text: url, url });
        else pushText(out, url);
        i += url.length;
        continue;
      }
    }
    pushText(out, c);
    i++;
  }
  return out;
}

/** Parses a message. Fenced blocks (```) first, inline markup inside the rest. */
export function parseMarkup(text: string, policy: LinkPolicy): Span[] {
  const ctx: Ctx = { policy, budget: SCAN_BUDGET };
  const out: Span[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('```', i);
    const close = open < 0 ? -1 : text.indexOf('```', open + 3);
    if (open < 0 || close < 0) {
      out.push(...inline(text.slice(i), ctx, 0));
      break;
    }
    out.push(...inline(text.slice(i, open), ctx, 0));
    out.push({ t: 'syntax', text: '```' }, { t: 'codeblock', text: text.slice(open + 3, close) }, { t: 'syntax', text: '```' });
    i = close + 3;
  }
  return out;
}

/** The characters a span tree shows (before invisible markers): always equals the input. */
export function spanText(spans: readonly Span[]): string {
  return spans.map((s) => ('children' in s ? spanText(s.children) : s.text)).join('');
}
