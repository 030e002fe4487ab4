// `npm run bench` part: how fast the conversation webview opens a long history. Loads the
// real page (real CSP, real bundle) in Debian's Chromium and times, from the moment the
// `conversation` message is handled to the next painted frame:
//   - toxync: the virtualised list with N messages (default 10,000), and a jump to the top;
//   - baseline: the same N messages drawn the plain way (one DOM row each, textContent),
//     measured in the same page and run, so the ratio says what virtualisation buys;
//   - pictures (issue 19): a conversation of N_PICTURES (default 200) file messages with their
//     inline pictures, to the first painted frame and to every shown picture decoded, against
//     the same number of text messages in the same run (bench/lib/pictureOpen.ts).
// Prints figures and ratios; asserts nothing (benchmarks are not tests).

import { launchChromium, openProbedPage, startWebviewServer } from '../test/helpers/browser';
import { type PictureFigures, pictureConversation, pictureRun } from './lib/pictureOpen';

const N = Number(process.env.BENCH_WEBVIEW_MESSAGES ?? 10_000);
const RUNS = Number(process.env.BENCH_WEBVIEW_RUNS ?? 5);
const KEY = 'B'.repeat(64);
const N_PICTURES = Number(process.env.BENCH_WEBVIEW_PICTURES ?? 200);

function messages(n: number): unknown[] {
  const words = ['tox', 'ping', 'deploy', '**done**', 'see https://example.org/x', '`code`', 'ok', 'привет', '🙂', 'alert'];
  const out: unknown[] = [];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(rnd() * (i % 50 === 0 ? 200 : 20));
    const text = Array.from({ length: len }, () => words[Math.floor(rnd() * words.length)]).join(' ');
    out.push({
      id: `m${i}`,
      dir: i % 3 ? 'in' : 'out',
      kind: 'normal',
      text,
      ts: 1_700_000_000_000 + i * 1000,
      ...(i % 3 ? {} : { state: 'delivered' }),
    });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const server = await startWebviewServer();
  const browser = await launchChromium();
  const data = messages(N);
  const toxync: number[] = [];
  const jump: number[] = [];
  const naive: number[] = [];
  const pictures: PictureFigures[] = [];
  const pics = pictureConversation(N_PICTURES, KEY);
  const texts = messages(N_PICTURES);
  try {
    for (let run = 0; run < RUNS; run++) {
      const p = await openProbedPage(browser, server.pageUrl);
      const r = await p.page.evaluate(
        async ({ data, key }) => {
          const frame = () => new Promise<number>((res) => requestAnimationFrame(() => setTimeout(() => res(performance.now()), 0)));
          const post = (msg: unknown) => window.dispatchEvent(new MessageEvent('message', { data: msg }));
          post({ type: 'init', mode: 'panel', conti_base_url: '', trusted_hosts: [], self_name: 'me' });
          const peer = { key, alias: null, name: 'bob', status_message: '', presence: 'online', typing: false, fingerprint: 'BBBB' };
          const t0 = performance.now();
          post({ type: 'conversation', peer, messages: data });
          const t1 = await frame();
          const list = document.getElementById('messages')!;
          const t2 = performance.now();
          list.scrollTop = 0;
          list.dispatchEvent(new Event('scroll'));
          const t3 = await frame();
          return { open: t1 - t0, jump: t3 - t2, rows: document.querySelectorAll('.msg').length };
        },
        { data, key: KEY },
      );
      toxync.push(r.open);
      jump.push(r.jump);
      if (run === 0) console.log(`webview: ${N} messages, ${r.rows} rows in the DOM after opening (virtualised)`);
      // Baseline in a fresh page: every message as a DOM row, text set with textContent.
      const b = await openProbedPage(browser, server.pageUrl);
      naive.push(
        await b.page.evaluate(async (data: unknown[]) => {
          const frame = () => new Promise<number>((res) => requestAnimationFrame(() => setTimeout(() => res(performance.now()), 0)));
          const t0 = performance.now();
          const list = document.createElement('div');
          list.className = 'messages';
          for (const m of data as { text: string; ts: number }[]) {
            const row = document.createElement('div');
            row.className = 'msg';
            const meta = document.createElement('div');
            meta.className = 'meta';
            meta.textContent = new Date(m.ts).toLocaleString();
            const body = document.createElement('div');
            body.className = 'body';
            body.textContent = m.text;
            row.append(meta, body);
            list.append(row);
          }
          document.getElementById('app')!.replaceChildren(list);
          list.scrollTop = list.scrollHeight;
          return (await frame()) - t0;
        }, data),
      );
      await b.close();
      await p.close();
      pictures.push(await pictureRun(browser, server.pageUrl, KEY, pics, texts));
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const t = median(toxync);
  const nv = median(naive);
  console.log(
    `webview open ${N} messages to first paint: toxync median ${t.toFixed(1)} ms (runs: ${toxync.map((x) => x.toFixed(0)).join(', ')}; target ≤ 150 ms)`,
  );
  console.log(`webview jump to the top and paint: toxync median ${median(jump).toFixed(1)} ms`);
  console.log(`baseline (every row in the DOM, plain text, no markup): median ${nv.toFixed(1)} ms; ratio toxync/baseline ${(t / nv).toFixed(2)}`);
  const po = median(pictures.map((x) => x.open));
  const pd = median(pictures.map((x) => x.decoded));
  const pt = median(pictures.map((x) => x.text));
  console.log(
    `webview open ${N_PICTURES} inline pictures (320×240 PNG, ${(pics.bytes / 2 ** 20).toFixed(1)} MB of data: URIs; ${pictures[0]?.imgs ?? 0} <img> in the DOM): ` +
      `first paint median ${po.toFixed(1)} ms (runs: ${pictures.map((x) => x.open.toFixed(0)).join(', ')}), every shown picture decoded ${pd.toFixed(1)} ms`,
  );
  console.log(
    `baseline (${N_PICTURES} text messages, same page): first paint median ${pt.toFixed(1)} ms; ratio pictures/text ${(po / pt).toFixed(2)} (decoded: ${(pd / pt).toFixed(2)})`,
  );
  console.log(
    JSON.stringify({
      bench: 'webview',
      messages: N,
      open_ms: t,
      jump_ms: median(jump),
      baseline_ms: nv,
      ratio: t / nv,
      pictures: N_PICTURES,
      pictures_open_ms: po,
      pictures_decoded_ms: pd,
      pictures_text_ms: pt,
      pictures_ratio: po / pt,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
