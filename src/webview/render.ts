// Turns peer text into DOM nodes. The only way peer text reaches the page: every string is
// set with textContent (or as a Text node); the only elements are the ones created here,
// from a fixed list of tags, with class names from a fixed list. No innerHTML anywhere.

import type { LinkPolicy } from '../common/links';
import { parseMarkup } from '../common/markup';
import { markerFor, splitInvisibles } from '../common/text';
import { el } from './dom';
import { layoutBlocks, type LaidSpan } from './markupLayout';

export type LinkHandler = (url: string) => void;

/** Appends `text` with invisible/bidi code points shown as visible markers. */
export function appendSafeText(parent: Node, text: string): void {
  for (const part of splitInvisibles(text)) {
    if ('text' in part) parent.appendChild(document.createTextNode(part.text));
    else {
      const m = el('span', 'invisible');
      m.textContent = markerFor(part.invisible);
      m.title = 'hidden or direction-changing character';
      parent.appendChild(m);
    }
  }
}

/** A one-line field (name, status): plain text, markers, nothing else. */
export function safeText(tag: 'span' | 'div', cls: string, text: string): HTMLElement {
  const e = el(tag, cls);
  appendSafeText(e, text);
  return e;
}

function renderSpans(parent: HTMLElement, spans: readonly LaidSpan[], onLink: LinkHandler): void {
  for (const s of spans) {
    switch (s.t) {
      case 'text':
        appendSafeText(parent, s.text);
        break;
      case 'syntax':
        parent.appendChild(safeText('span', 'syntax', s.text));
        break;
      case 'strong':
      case 'em': {
        const e = el(s.t === 'strong' ? 'strong' : 'em');
        renderSpans(e, s.children, onLink);
        parent.appendChild(e);
        break;
      }
      case 'code':
        parent.appendChild(safeText('span', 'code', s.text));
        break;
      case 'codelang':
        parent.appendChild(safeText('span', 'codelang', s.text));
        break;
      case 'codeblock': {
        const e = el('span', 'codeblock');
        appendSafeText(e, s.text);
        parent.appendChild(e);
        break;
      }
      case 'link': {
        // No href: the page never navigates. A click asks the host, which checks again.
        const a = el('span', 'link');
        a.setAttribute('role', 'link');
        a.tabIndex = 0;
        a.title = s.url;
        appendSafeText(a, s.text);
        const open = () => onLink(s.url);
        a.addEventListener('click', open);
        a.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter') open();
        });
        parent.appendChild(a);
        break;
      }
    }
  }
}

/** A message body: the markdown subset; its markers are hidden by the page, but every
 *  character of the input is still in the body's text. */
export function renderMessageBody(text: string, policy: LinkPolicy, onLink: LinkHandler): HTMLElement {
  const body = el('div', 'body');
  renderSpans(body, layoutBlocks(parseMarkup(text, policy)), onLink);
  return body;
}
