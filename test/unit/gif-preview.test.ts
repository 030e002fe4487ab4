// The conversation's inline GIF composer, host side (src/extension/gifPreviews.ts) and its
// messages (src/protocol/webview.ts): a preview is made only for a known style and a text the
// generator takes, is posted as a data: URI of exactly the bytes made, and Send offers exactly
// those bytes, once, and only for the preview on screen; the page never hands bytes over.

import { strict as assert } from 'node:assert';
import { makeGif } from '../../src/gif/generate';
import { STYLE_NAMES, type GifStyle } from '../../src/gif/options';
import { check } from '../../src/protocol/guard';
import { fromWebview, toWebview, type FromWebview, type ToWebview } from '../../src/protocol/webview';
import { GifPreviews, gifSize, PREVIEW_MAX_BYTES } from '../../src/extension/gifPreviews';
import { shippedFont } from '../../src/node/gifFont';

const ALICE = 'A1'.repeat(32);
const BOB = 'B2'.repeat(32);
type PreviewRequest = Extract<FromWebview, { type: 'gif_preview' }>;
const ask = (request_id: number, text: string, style: GifStyle = 'pulse'): PreviewRequest => ({ type: 'gif_preview', request_id, key: ALICE, style, text });
const tick = () => new Promise((r) => setImmediate(r));

/** A GifPreviews with a generator that returns `bytes(text)` and records what it made and sent. */
function world(bytes: (text: string) => Uint8Array = (t) => gifLike(t)) {
  const posted: ToWebview[] = [];
  const made: string[] = [];
  const sent: { key: string; style: GifStyle; gif: Uint8Array }[] = [];
  const previews = new GifPreviews(
    {
      make: (o) => {
        made.push(o.text);
        return Promise.resolve(bytes(o.text));
      },
      send: (key, style, gif) => {
        sent.push({ key, style, gif });
        return Promise.resolve();
      },
    },
    (m) => posted.push(m),
  );
  return { previews, posted, made, sent };
}

/** "GIF89a", a 320×120 screen, then the text: enough for gifSize, and unique per text. */
function gifLike(text: string): Uint8Array {
  return new Uint8Array([...Buffer.from('GIF89a'), 64, 1, 120, 0, ...Buffer.from(text)]);
}

const srcBytes = (m: ToWebview) => {
  assert.equal(m.type, 'gif_previewed');
  const src = (m as { src?: string }).src ?? '';
  return Buffer.from(src.slice(src.indexOf(',') + 1), 'base64');
};

describe('the inline GIF composer’s messages', () => {
  it('gif_preview: a known style and a bounded text; anything else the page adds is dropped', () => {
    for (const style of STYLE_NAMES) assert.ok(check(fromWebview, { ...ask(1, 'LGTM'), style }).ok, style);
    const r = check(fromWebview, { ...ask(7, 'LGTM'), gif: 'R0lGODlh', width: 4000, label: 'pwned' });
    assert.ok(r.ok);
    assert.deepEqual(r.value, ask(7, 'LGTM'));
    for (const bad of [
      { ...ask(1, 'x'), style: 'spin' },
      { ...ask(1, 'x'), style: 'constructor' },
      ask(1, ''),
      ask(1, 'x'.repeat(401)),
      { ...ask(1, 'x'), request_id: 0 },
      { ...ask(1, 'x'), key: 'not-a-key' },
      { type: 'gif_preview', key: ALICE, style: 'pulse', text: 'x' },
    ])
      assert.equal(check(fromWebview, bad).ok, false, JSON.stringify(bad).slice(0, 100));
  });

  it('gif_send names a preview, and carries no bytes to the host', () => {
    const r = check(fromWebview, { type: 'gif_send', request_id: 3, key: ALICE, gif: 'R0lGODlh', path: '/etc/passwd' });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { type: 'gif_send', request_id: 3, key: ALICE });
    for (const bad of [
      { type: 'gif_send', key: ALICE },
      { type: 'gif_send', request_id: 3 },
      { type: 'send_gif', key: ALICE },
    ])
      assert.equal(check(fromWebview, bad).ok, false, JSON.stringify(bad));
  });

  it('gif_previewed carries only a data: GIF; gif_sent says ok or why not', () => {
    const base = { type: 'gif_previewed', key: ALICE, request_id: 1, width: 320, height: 120, bytes: 6 };
    assert.ok(check(toWebview, { ...base, src: 'data:image/gif;base64,R0lGODlh' }).ok, 'positive control');
    assert.ok(check(toWebview, { ...base, width: 0, height: 0, error: 'too long' }).ok);
    for (const src of [
      'data:image/png;base64,iVBORw0K',
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:text/html;base64,PHA+',
      'https://example.org/a.gif',
      'javascript:alert(1)',
      'data:image/gif;base64,R0lG"onerror="x',
      `data:image/gif;base64,${'A'.repeat(2_800_000)}`,
    ])
      assert.equal(check(toWebview, { ...base, src }).ok, false, src.slice(0, 40));
    assert.ok(check(toWebview, { type: 'gif_sent', key: ALICE, request_id: 1, ok: false, error: 'no' }).ok);
    assert.equal(check(toWebview, { type: 'gif_sent', key: ALICE, request_id: 1 }).ok, false);
  });
});

describe('GifPreviews: the host side of the inline GIF composer', () => {
  it('posts a data: URI of exactly the bytes made, with the GIF’s own size', async () => {
    const w = world();
    w.previews.request(ALICE, ask(5, 'LGTM'));
    await tick();
    assert.equal(w.posted.length, 1);
    const m = w.posted[0]!;
    assert.ok(check(toWebview, m).ok);
    assert.deepEqual(srcBytes(m), Buffer.from(gifLike('LGTM')));
    assert.deepEqual([m.type === 'gif_previewed' && m.width, m.type === 'gif_previewed' && m.height], [320, 120]);
  });

  it('a real preview (every style, the composer’s defaults) fits the message cap', async () => {
    const font = shippedFont();
    const w = world();
    const previews = new GifPreviews(
      { make: (o) => Promise.resolve(makeGif(font, o.style === 'badge' ? { ...o, label: 'build' } : o)), send: () => Promise.resolve() },
      (m) => w.posted.push(m),
    );
    for (const [i, style] of STYLE_NAMES.entries()) {
      previews.request(ALICE, ask(i + 1, 'Ünïcode ΩЖ ✓ LGTM', style));
      await tick();
    }
    assert.equal(w.posted.length, STYLE_NAMES.length);
    for (const m of w.posted) {
      assert.ok(check(toWebview, m).ok, m.type);
      assert.ok(m.type === 'gif_previewed' && m.bytes > 0 && m.bytes < PREVIEW_MAX_BYTES);
    }
  });

  it('refuses a text the generator would refuse, without making anything', async () => {
    const w = world();
    w.previews.request(ALICE, ask(1, '😀'.repeat(150)));
    await tick();
    w.previews.request(ALICE, ask(2, 'x'.repeat(201)));
    await tick();
    w.previews.request(ALICE, ask(3, '😀'.repeat(151)));
    await tick();
    w.previews.request(ALICE, ask(4, '  '));
    await tick();
    assert.deepEqual(w.made, ['😀'.repeat(150)], 'the text at the caps was made (positive control), the others not');
    assert.deepEqual(
      w.posted.map((m) => m.type === 'gif_previewed' && [m.request_id, m.src === undefined, m.error ?? '']),
      [
        [1, false, ''],
        [2, true, 'text is longer than 200 characters'],
        [3, true, 'text is longer than 600 bytes (UTF-8)'],
        [4, true, 'Type the text to animate.'],
      ],
    );
  });

  it('a GIF over the cap is not posted', async () => {
    const w = world(() => new Uint8Array(PREVIEW_MAX_BYTES + 1));
    w.previews.request(ALICE, ask(1, 'big'));
    await tick();
    const m = w.posted[0]!;
    assert.ok(m.type === 'gif_previewed' && !m.src && m.error);
  });

  it('Send offers exactly the previewed bytes, once, and only the preview on screen', async () => {
    const w = world();
    w.previews.request(ALICE, ask(1, 'first'));
    await tick();
    w.previews.request(ALICE, ask(2, 'second'));
    await tick();
    await w.previews.send(ALICE, 1); // stale: the page shows preview 2
    await w.previews.send(BOB, 2); // another friend's conversation
    assert.equal(w.sent.length, 0);
    await w.previews.send(ALICE, 2);
    assert.equal(w.sent.length, 1);
    assert.deepEqual(w.sent[0], { key: ALICE, style: 'pulse', gif: gifLike('second') });
    assert.deepEqual(Buffer.from(w.sent[0]!.gif), srcBytes(w.posted[1]!), 'the bytes sent are the bytes shown');
    await w.previews.send(ALICE, 2); // a second click: no second offer
    assert.equal(w.sent.length, 1);
    const replies = w.posted.filter((m) => m.type === 'gif_sent');
    assert.deepEqual(
      replies.map((m) => m.type === 'gif_sent' && [m.request_id, m.ok]),
      [
        [1, false],
        [2, false],
        [2, true],
        [2, false],
      ],
    );
  });

  it('typing faster than the generator: only the newest request is answered', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const posted: ToWebview[] = [];
    const made: string[] = [];
    const previews = new GifPreviews(
      {
        make: async (o) => {
          made.push(o.text);
          if (o.text === 'L') await gate;
          return gifLike(o.text);
        },
        send: () => Promise.resolve(),
      },
      (m) => posted.push(m),
    );
    previews.request(ALICE, ask(1, 'L'));
    previews.request(ALICE, ask(2, 'LG'));
    previews.request(ALICE, ask(3, 'LGT'));
    release();
    await tick();
    await tick();
    assert.deepEqual(made, ['L', 'LGT'], 'the request in between was never made');
    assert.deepEqual(
      posted.map((m) => m.type === 'gif_previewed' && m.request_id),
      [3],
    );
  });

  it('clear() (another conversation) and dispose() leave nothing to send and post nothing more', async () => {
    const w = world();
    w.previews.request(ALICE, ask(1, 'x'));
    await tick();
    w.previews.clear();
    await w.previews.send(ALICE, 1);
    assert.deepEqual(w.sent, []);
    w.previews.dispose();
    const before = w.posted.length;
    w.previews.request(ALICE, ask(2, 'y'));
    await w.previews.send(ALICE, 2);
    await tick();
    assert.equal(w.posted.length, before);
    assert.deepEqual(w.sent, []);
  });

  it('gifSize reads the logical screen, and says 0×0 for a stub', () => {
    assert.deepEqual(gifSize(gifLike('')), { width: 320, height: 120 });
    assert.deepEqual(gifSize(new Uint8Array(3)), { width: 0, height: 0 });
  });
});
