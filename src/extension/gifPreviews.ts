// The conversation's inline GIF composer, host side (issue 19). The page asks for a preview of
// a style and a text as the user types; this makes the GIF here, in the extension host, and
// posts it back as a data: URI; Send then offers exactly the bytes of the preview on screen,
// which this keeps (the page never hands bytes back). The generator stays out of the webview
// bundle: it needs the 700 KB font and the font parser and encoder, which a page whose CSP
// allows no fetch would have to be posted anyway, and bytes made in the page would be made in
// the least trusted part of the extension. Pure of vscode, so it is unit-tested.

import type { GifStyle } from '../gif/options';
import type { FromWebview, ToWebview } from '../protocol/webview';
import { gifTextProblem } from './gifFlow';

type PreviewRequest = Extract<FromWebview, { type: 'gif_preview' }>;
type Previewed = Extract<ToWebview, { type: 'gif_previewed' }>;
type Sent = Extract<ToWebview, { type: 'gif_sent' }>;

/** The largest GIF posted to a page as a preview (the composer's defaults make ~50 KB). */
export const PREVIEW_MAX_BYTES = 2 * 2 ** 20;

export interface GifPreviewDeps {
  make(o: { style: GifStyle; text: string }): Promise<Uint8Array>;
  send(key: string, style: GifStyle, gif: Uint8Array): Promise<void>;
}

/** A GIF's logical screen size (bytes 6–9, little-endian), 0×0 if it is too short to say. */
export function gifSize(gif: Uint8Array): { width: number; height: number } {
  if (gif.length < 10) return { width: 0, height: 0 };
  return { width: gif[6]! | (gif[7]! << 8), height: gif[8]! | (gif[9]! << 8) };
}

export class GifPreviews {
  /** The preview on the page now: what Send offers. */
  private last: { key: string; request_id: number; style: GifStyle; gif: Uint8Array } | null = null;
  /** The newest request not made yet: typing faster than the generator skips the ones between. */
  private queued: { key: string; msg: PreviewRequest } | null = null;
  private running = false;
  private disposed = false;

  constructor(
    private readonly deps: GifPreviewDeps,
    private readonly post: (m: Previewed | Sent) => void,
  ) {}

  /** Makes the preview for `msg` (for the friend `key`, the view's own target) and posts it. */
  request(key: string, msg: PreviewRequest): void {
    if (this.disposed) return;
    this.queued = { key, msg };
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queued && !this.disposed) {
        const { key, msg } = this.queued;
        this.queued = null;
        const reply = await this.makeOne(key, msg);
        // A newer request came in meanwhile: the page waits for that answer, not this one.
        if (!this.queued && !this.disposed) this.post(reply);
      }
    } finally {
      this.running = false;
    }
  }

  private async makeOne(key: string, msg: PreviewRequest): Promise<Previewed> {
    const none = { type: 'gif_previewed', key, request_id: msg.request_id, width: 0, height: 0, bytes: 0 } as const;
    // The guard bounded the text; the generator's own caps (code points, UTF-8 bytes) decide.
    const problem = gifTextProblem(msg.style, msg.text);
    if (problem !== null) return { ...none, error: problem.slice(0, 512) };
    let gif: Uint8Array;
    try {
      gif = await this.deps.make({ style: msg.style, text: msg.text });
    } catch (e) {
      return { ...none, error: (e instanceof Error ? e.message : String(e)).slice(0, 512) };
    }
    if (gif.length > PREVIEW_MAX_BYTES) return { ...none, error: 'This GIF is too large to preview; use a shorter text.' };
    this.last = { key, request_id: msg.request_id, style: msg.style, gif };
    return { ...none, ...gifSize(gif), bytes: gif.length, src: `data:image/gif;base64,${Buffer.from(gif).toString('base64')}` };
  }

  /** Offers the preview `request_id` to `key`; only the newest preview made for that friend. */
  async send(key: string, request_id: number): Promise<void> {
    const l = this.last;
    const reply = (ok: boolean, error?: string) => {
      if (!this.disposed) this.post(error === undefined ? { type: 'gif_sent', key, request_id, ok } : { type: 'gif_sent', key, request_id, ok, error });
    };
    if (!l || l.key !== key || l.request_id !== request_id || this.queued) return reply(false, 'This preview is out of date: wait for the new one, then Send.');
    this.last = null; // one Send, one offer
    try {
      await this.deps.send(key, l.style, l.gif);
      reply(true);
    } catch (e) {
      reply(false, (e instanceof Error ? e.message : String(e)).slice(0, 4000));
    }
  }

  /** The view shows another conversation (or none): its preview is no one's to send. */
  clear(): void {
    this.last = null;
    this.queued = null;
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
  }
}
