// Pictures in the chat, in code-server + Chromium with the packaged .vsix, against a `toxync run`
// friend (Carol, auto-accepting files) on a local Tox network: a GIF Carol sends shows inline
// once accepted, as the checker's re-drawn copy (never the file's own bytes); a GIF made with
// the composer's inline GIF composer (style, text, live preview, Send) and one made with
// "Tox: Send a GIF…" from the palette (quick picks, preview, modal) reach Carol as exactly the
// previewed file and show inline in our own conversation. Screenshots go to
// test-artifacts/pictures/ (its two-vscodes/ folder is gif-two.test.ts's).

import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { makeGif } from '../../src/gif/generate';
import { shippedFont } from '../../src/node/gifFont';
import { packageRoot } from '../../src/sys/packageRoot';
import { readGif } from '../helpers/gifcheck';
import type { CliPeer } from '../helpers/peer';
import { sendGifFromComposer } from '../helpers/gifComposerUi';
import { WorkbenchWithCarol } from '../helpers/withCarol';
import { acceptOnCard, runCommand } from '../helpers/workbench';

const ARTIFACTS = join(packageRoot(), 'test-artifacts', 'pictures');

function folder(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('pictures in the chat: inline GIFs received and sent from the composer', function () {
  this.timeout(240_000);
  const world = new WorkbenchWithCarol();
  let carol: CliPeer | undefined;
  let page: Page;
  let view: FrameLocator;
  let carolSeesUs = -1;
  let work = '';
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

  before(async function () {
    this.timeout(180_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const f of readdirSync(ARTIFACTS)) if (f.endsWith('.png')) rmSync(join(ARTIFACTS, f));
    await world.start('pictures', {
      carolArgs: (w) => ['--accept-files', folder(w, 'carol-inbox')],
      settings: (w) => ({ 'toxync.files.downloadFolder': folder(w, 'downloads') }),
    });
    ({ carol, page, view, carolSeesUs, work } = world);
  });

  after(() => world.stop());

  it('a GIF Carol sends shows inline once accepted, as a re-drawn copy, not the file itself', async () => {
    const original = Buffer.from(makeGif(shippedFont(), { style: 'marquee', text: 'from Carol', width: 160, height: 40, seconds: 1, fps: 6 }));
    const path = join(work, 'carol-party.gif');
    writeFileSync(path, original);
    await carol!.command({ cmd: 'send_file', friend: carolSeesUs, path });
    await acceptOnCard(view, 'carol-party.gif');
    const img = view.locator('.msg.in .inline-image img').first();
    await img.waitFor({ timeout: 60_000 });
    const src = (await img.getAttribute('src')) ?? '';
    assert.match(src, /^data:image\/gif;base64,/, 'a canonical GIF data: URI');
    const shown = Buffer.from(src.slice(src.indexOf(',') + 1), 'base64');
    // That no byte run of an original survives the re-draw is the hostile-image corpus test's
    // job (test/unit/image-corpus.test.ts, with its positive control); here: not the file itself.
    assert.notEqual(Buffer.compare(shown, original), 0, 'the original bytes reached the page');
    const facts = readGif(shown);
    assert.deepEqual([facts.width, facts.height], [160, 40]);
    assert.ok(facts.frames > 1, 'still animated after the re-draw');
    assert.equal(readFileSync(join(work, 'downloads', 'carol-party.gif')).length, original.length, 'the original was saved as sent');
    await shot('received-inline');
  });

  it("the composer's GIF button: Escape closes it; style, text with a live preview, Send; Carol gets exactly the preview, it shows in our chat", async () => {
    // Escape closes the GIF composer (nothing is sent).
    await view.locator('.composer #gif-button').first().click();
    await view.locator('#gif-composer').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Escape');
    await view.locator('#gif-composer').waitFor({ state: 'hidden', timeout: 10_000 });
    const from = carol!.events.length;
    const shown = await sendGifFromComposer(page, view, {
      style: 'pulse',
      parts: ['LG', 'TM'],
      expected: (text) => Buffer.from(makeGif(shippedFont(), { style: 'pulse', text })),
      beforeSend: () => shot('composer-preview'),
    });
    const done = await carol!.event('file_done', (e) => e.direction === 'recv', 60_000, from);
    assert.equal(basename(done.path), 'pulse.gif');
    assert.deepEqual(readFileSync(done.path), shown, 'Carol has exactly the previewed GIF');
    await view.locator('.msg.out', { hasText: 'pulse.gif' }).locator('.inline-image img').first().waitFor({ timeout: 60_000 });
    await shot('sent-inline');
  });

  it('"Tox: Send a GIF…" from the palette: friend, style, text, preview, Send; Carol gets the file', async () => {
    const from = carol!.events.length;
    await runCommand(page, 'Tox: Send a GIF');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Carol' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'badge' }).first().waitFor({ timeout: 15_000 });
    await input.fill('badge');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'badge' }).waitFor({ timeout: 10_000 });
    await input.fill('passing');
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Send this badge GIF to Carol?' });
    await dialog.waitFor({ timeout: 30_000 });
    await shot('palette-preview');
    await dialog.locator('.monaco-button', { hasText: 'Send' }).first().click();

    const done = await carol!.event('file_done', (e) => e.direction === 'recv', 60_000, from);
    assert.equal(basename(done.path), 'badge.gif');
    const got = readFileSync(done.path);
    const expected = Buffer.from(makeGif(shippedFont(), { style: 'badge', text: 'passing', label: 'build' }));
    assert.deepEqual(got, expected, 'Carol has exactly the previewed GIF');
    assert.ok(readGif(got).frames > 1);
    await view.locator('.msg.out', { hasText: 'badge.gif' }).locator('.inline-image img').first().waitFor({ timeout: 60_000 });
  });
});
