// A generated GIF between two VS Codes (issue 19): two code-server workbenches (Alice and Bob)
// with the packaged .vsix become friends through the palette; Alice opens Bob's conversation,
// clicks the composer's GIF button, picks a style and types the text in two goes, the inline
// preview following (each preview exactly the GIF the generator makes for the text so far),
// and sends it. Bob accepts the offer on its card and sees it inline, as the image checker's
// re-drawn copy (not the file's own bytes), and Alice sees it in her own conversation.
// Screenshots go to test-artifacts/pictures/two-vscodes/.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { makeGif } from '../../src/gif/generate';
import { shippedFont } from '../../src/node/gifFont';
import { packageRoot } from '../../src/sys/packageRoot';
import { readGif } from '../helpers/gifcheck';
import { sendGifFromComposer } from '../helpers/gifComposerUi';
import { type Side, TwoWorkbenches } from '../helpers/twoWorkbenches';
import { becomeFriends } from '../helpers/friendSteps';
import { acceptOnCard, conversationView } from '../helpers/workbench';

const badge = (text: string) => Buffer.from(makeGif(shippedFont(), { style: 'badge', text, label: 'build' }));

/** Opens `who`'s conversation on `side`. */
async function openChat(side: Side, who: string): Promise<FrameLocator> {
  await side.contacts!.locator('.monaco-list-row', { hasText: who }).first().click();
  const view = conversationView(side.page);
  await view.locator('#peer-title', { hasText: who }).waitFor({ timeout: 20_000 });
  return view;
}

/** The inline picture's bytes, once it shows; it must be a canonical GIF data: URI. */
async function inlineGif(view: FrameLocator, row: string): Promise<Buffer> {
  const img = view.locator(`${row} .inline-image img`).first();
  await img.waitFor({ timeout: 60_000 });
  const src = (await img.getAttribute('src')) ?? '';
  assert.match(src, /^data:image\/gif;base64,/, 'a canonical GIF data: URI');
  return Buffer.from(src.slice(src.indexOf(',') + 1), 'base64');
}

describe('e2e: Alice sends a GIF from the composer, Bob sees it inline (two VS Codes)', function () {
  this.timeout(240_000);
  const world = new TwoWorkbenches(join(packageRoot(), 'test-artifacts', 'pictures', 'two-vscodes'));
  const alice = () => world.alice;
  const bob = () => world.bob;
  let sent: Buffer | undefined;

  before(async function () {
    this.timeout(240_000);
    await world.start();
  });
  after(async () => world.stop());
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await world.shot(`FAILED-${(this.currentTest.title.match(/[A-Za-z]+/g) ?? []).slice(0, 4).join('-')}`);
  });

  it('Alice and Bob come online, set names and become friends', async () => {
    await becomeFriends(world);
    await world.shot('friends');
  });

  it('Alice: GIF button, a style, the text (the preview follows as she types), Send', async () => {
    const view = await openChat(alice(), 'Bob');
    await openChat(bob(), 'Alice');
    sent = await sendGifFromComposer(alice().page, view, {
      style: 'badge',
      parts: ['pass', 'ing'],
      expected: badge,
      beforeSend: () => world.shot('gif-preview'),
    });
    assert.deepEqual(sent, badge('passing'), 'the preview on screen is the generator’s GIF of the whole text');
    await view.locator('.msg.out', { hasText: 'badge.gif' }).first().waitFor({ timeout: 30_000 });
  });

  it('Bob accepts it on its card and sees it inline, as a re-drawn copy; Alice sees it in her chat', async () => {
    assert.ok(sent, 'the GIF was sent');
    const view = conversationView(bob().page);
    await acceptOnCard(view, 'badge.gif', 60_000);
    const shown = await inlineGif(view, '.msg.in');
    // That no byte run of an original survives is the hostile-image corpus test's job; here:
    // what Bob's page shows is not the file itself, but it is still the animation.
    assert.notEqual(Buffer.compare(shown, sent), 0, 'the original bytes reached Bob’s page');
    const facts = readGif(shown);
    assert.deepEqual([facts.width, facts.height], [320, 120]);
    assert.ok(facts.frames > 1, 'still animated after the re-draw');
    assert.deepEqual(readFileSync(join(world.bobDownloads, 'badge.gif')), sent, 'Bob saved exactly what Alice previewed');
    const mine = await inlineGif(conversationView(alice().page), '.msg.out');
    assert.notEqual(Buffer.compare(mine, sent), 0, 'Alice’s page shows the re-drawn copy too');
    await world.shot('bob-sees-it-inline');
  });
});
