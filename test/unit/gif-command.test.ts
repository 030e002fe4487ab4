// "Tox: Send a GIF…" without VS Code (src/extension/gifFlow.ts): which friend an invocation
// names, the style list, the text check, and that nothing is sent unless every step was
// answered and Send chosen. The conversation's inline composer: gif-preview.test.ts.

import { strict as assert } from 'node:assert';
import { STYLE_NAMES, type GifStyle } from '../../src/gif/options';
import { gifTargetKey, gifTextProblem, sendGifFlow, styleItems, type GifUi } from '../../src/extension/gifFlow';

const ALICE = 'A1'.repeat(32);
const isFriend = (k: string) => k === ALICE;

describe('Send a GIF: the command’s arguments and steps', () => {
  it('names the friend from a key (either case) or a contact node, and nobody from anything else', () => {
    assert.equal(gifTargetKey(ALICE, isFriend), ALICE);
    assert.equal(gifTargetKey(ALICE.toLowerCase(), isFriend), ALICE);
    assert.equal(gifTargetKey({ type: 'friend', contact: { key: ALICE } }, isFriend), ALICE);
    for (const arg of [undefined, null, 42, 'B2'.repeat(32), `${ALICE}00`, { type: 'request', contact: { key: ALICE } }, { contact: { key: ALICE } }, [ALICE]])
      assert.equal(gifTargetKey(arg, isFriend), undefined, JSON.stringify(arg));
  });

  it('offers every style, in the generator’s order, with its description', () => {
    const items = styleItems();
    assert.deepEqual(
      items.map((i) => i.style),
      STYLE_NAMES,
    );
    assert.ok(items.every((i) => i.label === i.style && i.description.length > 5));
  });

  it('checks the text with the generator’s own rules', () => {
    assert.equal(gifTextProblem('pulse', 'LGTM'), null);
    assert.match(gifTextProblem('pulse', '   ') ?? '', /Type the text/);
    assert.match(gifTextProblem('pulse', 'x'.repeat(201)) ?? '', /longer than 200 characters/);
  });

  function fakeUi(answers: { style?: GifStyle; text?: string; send?: boolean }, seen: string[]): GifUi {
    return {
      pickStyle: (items) => {
        seen.push(`pick:${items.length}`);
        return Promise.resolve(answers.style);
      },
      askText: (style, validate) => {
        seen.push(`ask:${style}:${String(validate('ok'))}`);
        return Promise.resolve(answers.text);
      },
      preview: (gif, c) => {
        seen.push(`preview:${c.style}:${c.text}:${gif.length}`);
        return Promise.resolve(answers.send === true);
      },
    };
  }

  it('style → text → preview → send, with the same options previewed and sent', async () => {
    const seen: string[] = [];
    const sent: unknown[] = [];
    const r = await sendGifFlow(
      fakeUi({ style: 'shake', text: 'LGTM', send: true }, seen),
      (o) => new Uint8Array(o.text.length),
      (o) => {
        sent.push(o);
        return Promise.resolve();
      },
    );
    assert.deepEqual(r, { sent: true, style: 'shake', text: 'LGTM' });
    assert.deepEqual(seen, [`pick:${STYLE_NAMES.length}`, 'ask:shake:null', 'preview:shake:LGTM:4']);
    assert.deepEqual(sent, [{ style: 'shake', text: 'LGTM' }]);
  });

  it('sends nothing when a step is cancelled, or the text or style is not acceptable', async () => {
    for (const [answers, at] of [
      [{}, 'style'],
      [{ style: 'spin' as GifStyle, text: 'x', send: true }, 'style'],
      [{ style: 'pulse' }, 'text'],
      [{ style: 'pulse', text: 'x'.repeat(500), send: true }, 'text'],
      [{ style: 'pulse', text: 'ok', send: false }, 'preview'],
    ] as [{ style?: GifStyle; text?: string; send?: boolean }, string][]) {
      const sent: unknown[] = [];
      const r = await sendGifFlow(
        fakeUi(answers, []),
        () => new Uint8Array(1),
        (o) => {
          sent.push(o);
          return Promise.resolve();
        },
      );
      assert.deepEqual(r, { sent: false, at }, JSON.stringify(answers));
      assert.deepEqual(sent, []);
    }
  });
});
