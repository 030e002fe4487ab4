// The inline GIF composer (issue 19), opened by the composer's GIF button: a style, the text,
// a live preview, Send. The page only asks: the host makes each preview (extension/
// gifPreviews.ts says why the generator is not in this bundle) and answers with a data: URI,
// which the CSP's img-src already allows. Send names the preview on screen; the host offers
// the very bytes it made for it. Only the style names and descriptions come from src/gif
// (plain strings; the encoder and font parser stay out of the bundle).

import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { GIF_STYLES, LIMITS, STYLE_NAMES, type GifStyle } from '../gif/options';
import type { ToWebview } from '../protocol/webview';
import { formatBytes } from '../common/units';
import { button, el } from './dom';
import { post } from './host';

type Previewed = Extract<ToWebview, { type: 'gif_previewed' }>;
type Sent = Extract<ToWebview, { type: 'gif_sent' }>;

/** The pause in typing after which a preview is asked for. */
const DEBOUNCE_MS = 300;
/** Checked again where it becomes an attribute: only what the guard allows. */
const GIF_URI = /^data:image\/gif;base64,[A-Za-z0-9+/]+={0,2}$/;
/** Shared by every composer on the page, so a reply meant for a closed one matches nothing. */
let nextRequest = 1;

export class GifComposer {
  readonly root = el('section', 'gif-composer');
  private style: GifStyle = STYLE_NAMES[0]!;
  private readonly chips = new Map<GifStyle, HTMLElement>();
  private readonly text = document.createElement('vscode-textfield') as HTMLElement & { value: string };
  private readonly img = el('img', 'gif-preview');
  private readonly status = el('p', 'gif-status');
  private readonly sendButton: HTMLElement;
  private timer: number | undefined;
  /** The newest preview asked for, and the one on screen (0: none). Send needs them equal. */
  private wanted = 0;
  private shown = 0;
  private sending = false;
  /** What the status line says about the preview on screen. */
  private shownInfo = '';

  constructor(
    private readonly key: () => string,
    /** Where focus goes when the composer closes (the message box). */
    private readonly onClose: () => void,
  ) {
    this.root.id = 'gif-composer';
    this.root.hidden = true;
    this.root.setAttribute('aria-label', 'Send a generated GIF');
    const styles = el('div', 'gif-styles');
    styles.setAttribute('role', 'radiogroup');
    styles.setAttribute('aria-label', 'Animation style');
    for (const s of STYLE_NAMES) {
      const chip = button(s, () => this.pick(s), true);
      chip.dataset.style = s;
      chip.setAttribute('role', 'radio');
      chip.title = GIF_STYLES[s];
      this.chips.set(s, chip);
      styles.append(chip);
    }
    this.text.id = 'gif-text';
    this.text.setAttribute('label', 'GIF text');
    this.text.setAttribute('maxlength', String(LIMITS.textChars));
    this.text.addEventListener('input', () => this.schedule());
    this.text.addEventListener('keydown', (ev) => {
      if ((ev as KeyboardEvent).key === 'Enter' && this.canSend()) this.send();
    });
    this.img.alt = 'Preview of the GIF';
    this.img.hidden = true;
    this.status.id = 'gif-status';
    this.status.setAttribute('aria-live', 'polite');
    this.sendButton = button('Send GIF', () => this.send());
    this.sendButton.id = 'gif-send';
    const cancel = button('Cancel', () => this.close(), true);
    cancel.id = 'gif-cancel';
    const preview = el('div', 'gif-preview-box');
    preview.append(this.img, this.status);
    // Styles and preview scroll when the view is short; the text and Send stay in sight.
    const top = el('div', 'gif-scroll');
    top.append(styles, preview);
    const row = el('div', 'gif-row');
    row.append(this.text, this.sendButton, cancel);
    this.root.append(top, row);
    this.root.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') (ev.preventDefault(), ev.stopPropagation(), this.close());
    });
    this.pick(this.style, false);
    this.update();
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  toggle(): void {
    if (this.isOpen) return this.close();
    this.root.hidden = false;
    this.text.focus();
    if (this.text.value.trim()) this.request();
  }

  close(): void {
    window.clearTimeout(this.timer);
    this.root.hidden = true;
    // A preview still on its way is dropped when it lands.
    this.wanted = 0;
    this.shown = 0;
    this.sending = false;
    this.update();
    this.onClose();
  }

  private pick(style: GifStyle, preview = true): void {
    this.style = style;
    for (const [s, chip] of this.chips) {
      const on = s === style;
      chip.toggleAttribute('secondary', !on);
      chip.setAttribute('aria-checked', String(on));
    }
    this.text.setAttribute('placeholder', style === 'badge' ? 'The badge’s value (its label is “build”)' : 'The text to animate');
    if (preview) this.request();
  }

  private schedule(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.request(), DEBOUNCE_MS);
  }

  private request(): void {
    window.clearTimeout(this.timer);
    const text = this.text.value;
    if (!text.trim()) {
      this.wanted = this.shown = 0;
      this.img.hidden = true;
      return this.update();
    }
    this.wanted = nextRequest++;
    post({ type: 'gif_preview', request_id: this.wanted, key: this.key(), style: this.style, text: text.slice(0, 2 * LIMITS.textChars) });
    this.update();
  }

  /** A reply from the host: a preview, or the outcome of Send. */
  handle(m: Previewed | Sent): void {
    if (m.type === 'gif_sent') {
      if (!this.sending || m.request_id !== this.shown) return;
      this.sending = false;
      if (m.ok) {
        this.text.value = '';
        this.img.hidden = true;
        return this.close();
      }
      return this.update(m.error ?? 'Not sent.');
    }
    if (m.request_id !== this.wanted) return; // superseded (or the composer was closed)
    if (m.src === undefined || !GIF_URI.test(m.src)) {
      this.shown = 0;
      this.img.hidden = true;
      return this.update(m.error ?? 'No preview.');
    }
    this.shown = m.request_id;
    this.img.src = m.src;
    this.img.width = m.width;
    this.img.height = m.height;
    this.img.dataset.request = String(m.request_id);
    this.shownInfo = `${this.style}.gif · ${m.width}×${m.height} · ${formatBytes(m.bytes)}`;
    this.img.hidden = false;
    this.update();
  }

  private canSend(): boolean {
    return this.shown !== 0 && this.shown === this.wanted && !this.sending;
  }

  private send(): void {
    if (!this.canSend()) return;
    this.sending = true;
    post({ type: 'gif_send', request_id: this.shown, key: this.key() });
    this.update();
  }

  /** The status line and whether Send is on: from the state, or `error` when given. */
  private update(error?: string): void {
    this.status.classList.toggle('gif-error', error !== undefined);
    this.status.textContent =
      error ??
      (this.sending
        ? 'Sending…'
        : this.wanted !== 0 && this.wanted !== this.shown
          ? 'Making the preview…'
          : this.shown !== 0
            ? this.shownInfo
            : 'Type some text to see a preview.');
    this.sendButton.toggleAttribute('disabled', !this.canSend());
  }

  dispose(): void {
    window.clearTimeout(this.timer);
  }
}
