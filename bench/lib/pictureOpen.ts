// The webview bench's picture part (bench/webviewOpen.ts, issue 19): a conversation of N file
// messages, each with its inline picture, opened the way the host does it — the `conversation`
// message (file messages and their finished transfers), then one `image` message per picture
// (inlineImages.ts `replay`) — timed to the next painted frame, and on until every <img> in
// the DOM has decoded. Baseline in the same run and page: the same number of text messages.
// The pictures are distinct 320×240 PNG data: URIs (the checker's canonical form), so no two
// share a decode.

import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { openProbedPage } from '../../test/helpers/browser';

export interface PictureFigures {
  /** Conversation + image messages posted → next painted frame (ms). */
  open: number;
  /** … → every <img> in the DOM decoded, then painted (ms). */
  decoded: number;
  /** The same number of text messages → next painted frame (ms). */
  text: number;
  imgs: number;
}

function picture(i: number, w = 320, h = 240): string {
  const png = new PNG({ width: w, height: h });
  for (let p = 0; p < w * h; p++) {
    const x = p % w;
    const y = Math.floor(p / w);
    png.data[p * 4] = (x + i * 13) & 0xff;
    png.data[p * 4 + 1] = (y * 2 + i * 7) & 0xff;
    png.data[p * 4 + 2] = ((x ^ y) + i) & 0xff;
    png.data[p * 4 + 3] = 255;
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

export function pictureConversation(n: number, key: string): { messages: unknown[]; transfers: unknown[]; images: unknown[]; bytes: number } {
  const messages: unknown[] = [];
  const transfers: unknown[] = [];
  const images: unknown[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const id = `f${i}`;
    const name = `photo-${i}.png`;
    messages.push({
      id,
      dir: i % 3 ? 'in' : 'out',
      kind: 'file',
      text: name,
      ts: 1_700_000_000_000 + i * 1000,
      size: 40_000,
      ...(i % 3 ? {} : { state: 'delivered' }),
    });
    transfers.push({
      id,
      state: 'done',
      bytes: 40_000,
      size: 40_000,
      speed: 0,
      eta: null,
      paused_by_us: false,
      paused_by_peer: false,
      saved_name: name,
      error: null,
      partial: false,
      auto: false,
    });
    const src = picture(i);
    bytes += src.length;
    images.push({ type: 'image', key, id, src, width: 320, height: 240 });
  }
  return { messages, transfers, images, bytes };
}

/** One run: the picture conversation and the text baseline, each in a fresh page. */
export async function pictureRun(
  browser: Browser,
  url: string,
  key: string,
  pics: ReturnType<typeof pictureConversation>,
  text: unknown[],
): Promise<PictureFigures> {
  const p = await openProbedPage(browser, url);
  const b = await openProbedPage(browser, url);
  try {
    const r = await p.page.evaluate(
      async ({ key, pics }) => {
        const frame = () => new Promise<number>((res) => requestAnimationFrame(() => setTimeout(() => res(performance.now()), 0)));
        const post = (msg: unknown) => window.dispatchEvent(new MessageEvent('message', { data: msg }));
        post({ type: 'init', mode: 'panel', conti_base_url: '', trusted_hosts: [], self_name: 'me' });
        const peer = { key, alias: null, name: 'bob', status_message: '', presence: 'online', typing: false, fingerprint: 'BBBB' };
        const t0 = performance.now();
        post({ type: 'conversation', peer, messages: pics.messages, transfers: pics.transfers });
        for (const m of pics.images) post(m);
        const t1 = await frame();
        const imgs = Array.from(document.querySelectorAll('img'));
        // A lazy picture far outside the view may never load: it is not waited for past 10 s.
        const late = new Promise((res) => setTimeout(res, 10_000));
        await Promise.all(imgs.map((i) => Promise.race([i.decode().catch(() => undefined), late])));
        const t2 = await frame();
        return { open: t1 - t0, decoded: t2 - t0, imgs: imgs.length };
      },
      { key, pics },
    );
    const text_ms = await b.page.evaluate(
      async ({ key, text }) => {
        const frame = () => new Promise<number>((res) => requestAnimationFrame(() => setTimeout(() => res(performance.now()), 0)));
        const post = (msg: unknown) => window.dispatchEvent(new MessageEvent('message', { data: msg }));
        post({ type: 'init', mode: 'panel', conti_base_url: '', trusted_hosts: [], self_name: 'me' });
        const peer = { key, alias: null, name: 'bob', status_message: '', presence: 'online', typing: false, fingerprint: 'BBBB' };
        const t0 = performance.now();
        post({ type: 'conversation', peer, messages: text });
        return (await frame()) - t0;
      },
      { key, text },
    );
    return { ...r, text: text_ms };
  } finally {
    await b.close();
    await p.close();
  }
}
