// The reader's place in the real webview (built bundle, real CSP, Chromium): a conversation
// opened with unread messages draws "New messages" above the oldest unread one; while the
// user reads further up, messages from the friend are counted on a "Jump to latest" button,
// and a click on it brings the newest message into view and hides the button.

import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import type { ChatMessage } from '../../src/protocol/webview';
import { webviewPages } from '../helpers/browser';
import { INIT, msg, peer } from '../helpers/webviewCorpus';

const KEY = '5a'.repeat(32);
const HOUR = 3_600_000;

/** 60 messages alternating between us and the friend, an hour apart (no grouping). */
function history(): ChatMessage[] {
  const t0 = Date.now() - 61 * HOUR;
  return Array.from({ length: 60 }, (_, i) => ({ ...msg(`m${i}`, 'normal', `message ${i}`), dir: i % 2 ? 'in' : 'out', ts: t0 + i * HOUR }));
}

const post = (page: Page, m: unknown) => page.evaluate((x) => window.postMessage(x, '*'), m);

describe('the webview keeps the reader’s place: unread line and jump to latest', function () {
  this.timeout(60_000);
  const world = webviewPages();

  async function open(unread?: number): Promise<Page> {
    const p = await world.open(world.server().pageUrl);
    await post(p.page, INIT);
    await post(p.page, { type: 'conversation', peer: peer({ key: KEY }), messages: history(), ...(unread === undefined ? {} : { unread }) });
    await p.page.locator('.msg[data-id="m59"]').waitFor({ timeout: 10_000 });
    return p.page;
  }

  it('positive control: opened with nothing unread, there is no "New messages" line and no jump button', async () => {
    const page = await open();
    assert.equal(await page.locator('.unread-divider').count(), 0);
    assert.equal(await page.locator('.jump-latest').isVisible(), false);
  });

  it('opened with 3 unread, the line sits above the oldest of the last 3 messages from the friend', async () => {
    const page = await open(3);
    // Incoming are the odd ones: the last three are m55, m57, m59.
    const line = page.locator('.unread-divider');
    assert.equal(await line.count(), 1);
    assert.equal(await page.locator('.msg[data-id="m55"] .unread-divider').count(), 1);
    assert.equal((await line.innerText()).trim(), 'New messages');
  });

  it('reading further up, new messages from the friend are counted on the jump button; a click goes back down', async () => {
    const page = await open();
    await page.locator('#messages').evaluate((v) => {
      v.scrollTop = 0;
      v.dispatchEvent(new Event('scroll'));
    });
    const jump = page.locator('.jump-latest');
    await jump.waitFor({ state: 'visible', timeout: 5_000 });
    assert.match(await jump.innerText(), /Jump to latest/);
    const now = Date.now();
    await post(page, {
      type: 'append',
      key: KEY,
      messages: [
        { ...msg('n1', 'normal', 'new one'), ts: now },
        { ...msg('n2', 'normal', 'new two'), ts: now + 1 },
        { ...msg('o1', 'normal', 'ours'), dir: 'out', ts: now + 2 },
      ],
    });
    await page.locator('.jump-latest', { hasText: '2 new messages' }).waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('.msg[data-id="o1"]').count(), 0, 'the list stayed where the user reads');
    await jump.click();
    await page.locator('.msg[data-id="o1"]').waitFor({ timeout: 5_000 });
    await jump.waitFor({ state: 'hidden', timeout: 5_000 });
  });
});
