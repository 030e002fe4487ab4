// Drives the conversation's inline GIF composer (src/webview/gifComposer.ts) in a workbench:
// the GIF button, a style, the text typed in two parts with the preview checked after each
// (it must be exactly the GIF the generator makes for the text so far, so it changed as the
// user typed), then Send. Returns what the preview showed last: the bytes that must arrive.

import { strict as assert } from 'node:assert';
import type { FrameLocator, Page } from 'playwright-core';
import { until } from './wait';

const bytesOf = (src: string | null) => Buffer.from((src ?? '').slice((src ?? '').indexOf(',') + 1), 'base64');

export interface ComposeSteps {
  style: string;
  /** Typed one after the other; a preview is awaited after each. */
  parts: [string, string];
  /** The GIF the generator makes for a text (in this process, with the shipped font). */
  expected: (text: string) => Buffer;
  /** Called with the composer open, once the preview of the whole text shows. */
  beforeSend?: () => Promise<unknown>;
}

export async function sendGifFromComposer(page: Page, view: FrameLocator, s: ComposeSteps): Promise<Buffer> {
  // Found by its tooltip: the button's look (a label or an icon) is the composer's styling.
  await view.locator('.composer #gif-button').first().click();
  const composer = view.locator('#gif-composer');
  await composer.waitFor({ state: 'visible', timeout: 10_000 });
  await composer.locator(`vscode-button[data-style="${s.style}"]`).click();
  await composer.locator(`vscode-button[data-style="${s.style}"][aria-checked="true"]`).waitFor({ timeout: 5_000 });
  const img = composer.locator('img.gif-preview');
  await composer.locator('#gif-text input').click();
  let text = '';
  let previous: Buffer | null = null;
  for (const part of s.parts) {
    await page.keyboard.type(part, { delay: 15 });
    text += part;
    const want = s.expected(text);
    const shown = await until(`the preview of “${text}”`, 30_000, async () => {
      const got = (await img.isVisible()) ? bytesOf(await img.getAttribute('src')) : null;
      return got?.equals(want) ? got : null;
    });
    if (previous) assert.notDeepEqual(shown, previous, 'the preview changed as the text grew');
    previous = shown;
  }
  await composer.locator('#gif-status', { hasText: `${s.style}.gif` }).waitFor({ timeout: 10_000 });
  await s.beforeSend?.();
  await composer.locator('#gif-send:not([disabled])').click();
  await composer.waitFor({ state: 'hidden', timeout: 30_000 });
  return previous!;
}
