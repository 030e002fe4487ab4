// Inline pictures on file messages (issue 19). The host posts, per file message, either the
// image checker's canonical copy (a data: URI of a PNG or GIF it re-encoded from pixels) or
// why the file is not shown; the original file never reaches this page. A click opens the
// picture in an editor tab; "Save as…" saves the original file (both done by the host).

import type { ToWebview } from '../protocol/webview';
import { button, el } from './dom';

export type ImageMessage = Extract<ToWebview, { type: 'image' }>;

/** The largest box a picture is drawn in, in CSS pixels (aspect ratio kept). */
const BOX_W = 360;
const BOX_H = 280;

/** Only what the guard already allows, checked again where it becomes an attribute. */
const CANONICAL = /^data:image\/(png|gif);base64,[A-Za-z0-9+/]+={0,2}$/;

export function fitBox(width: number, height: number): [number, number] {
  const s = Math.min(1, BOX_W / Math.max(1, width), BOX_H / Math.max(1, height));
  return [Math.max(1, Math.round(width * s)), Math.max(1, Math.round(height * s))];
}

export class InlinePictures {
  private readonly byId = new Map<string, ImageMessage>();

  set(m: ImageMessage): void {
    this.byId.set(m.id, m);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The picture (or the reason it is not shown) for file message `id`, or null. */
  render(id: string, act: (action: 'open_image' | 'save_original') => void): HTMLElement | null {
    const m = this.byId.get(id);
    if (!m) return null;
    if (!m.src || !CANONICAL.test(m.src)) return el('div', 'file-info image-refused', `Not shown inline: ${m.reason ?? 'not a picture'}`);
    const fig = el('figure', 'inline-image');
    const img = el('img');
    const [w, h] = fitBox(m.width, m.height);
    img.width = w;
    img.height = h;
    img.alt = 'Picture (click to open it in an editor tab)';
    img.title = `${m.width}×${m.height} — click to open`;
    img.decoding = 'async';
    img.loading = 'lazy';
    img.tabIndex = 0;
    img.src = m.src;
    img.addEventListener('click', () => act('open_image'));
    img.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') act('open_image');
    });
    const actions = el('div', 'actions');
    actions.append(button('Save as…', () => act('save_original'), true));
    fig.append(img, actions);
    return fig;
  }
}
