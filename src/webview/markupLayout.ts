// Layout of a parsed message for display: a code block is drawn as a block, so the line
// breaks right around it (before the opening ```, after it, before the closing ``` and after
// it) would each show as an empty line. They become `syntax` spans, which the page hides
// like the other markers — hidden, never dropped, so the body's text still equals what the
// peer sent (the XSS corpus compares exactly that). A first line that names a language
// ("```ts") is kept visible, as the block's label.

import type { Span } from '../common/markup';

export type LaidSpan = Span | { t: 'codelang'; text: string };

const LANG = /^[A-Za-z0-9_+#.-]{1,24}\n/;

/** `text` split at its leading and trailing line break (at most one of each). */
function peel(text: string, lead: boolean, trail: boolean): { head: string; mid: string; tail: string } {
  let mid = text;
  let head = '';
  let tail = '';
  if (lead && mid.startsWith('\n')) ((head = '\n'), (mid = mid.slice(1)));
  if (trail && mid.endsWith('\n')) ((tail = '\n'), (mid = mid.slice(0, -1)));
  return { head, mid, tail };
}

function pushParts(out: LaidSpan[], p: { head: string; mid: string; tail: string }, as: 'text' | 'codeblock'): void {
  if (p.head) out.push({ t: 'syntax', text: p.head });
  if (p.mid) out.push({ t: as, text: p.mid });
  if (p.tail) out.push({ t: 'syntax', text: p.tail });
}

export function layoutBlocks(spans: readonly Span[]): LaidSpan[] {
  const out: LaidSpan[] = [];
  spans.forEach((s, i) => {
    if (s.t === 'text') {
      const before = spans[i + 1]?.t === 'syntax' && spans[i + 2]?.t === 'codeblock';
      const after = spans[i - 1]?.t === 'syntax' && spans[i - 2]?.t === 'codeblock';
      pushParts(out, peel(s.text, after, before), 'text');
    } else if (s.t === 'codeblock') {
      let text = s.text;
      const lang = LANG.exec(text);
      if (lang) {
        out.push({ t: 'codelang', text: lang[0].slice(0, -1) }, { t: 'syntax', text: '\n' });
        text = text.slice(lang[0].length);
      }
      pushParts(out, peel(text, !lang, true), 'codeblock');
    } else out.push(s);
  });
  return out;
}
