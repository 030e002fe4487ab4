// Reading and driving VS Code's workbench (code-server) in Chromium: the status bar, the
// command palette, the Tox views and the webviews two iframes deep. Selectors and waits
// come from a hand-driven run against code-server 4.100.3 (docs/code-server.md).

import type { FrameLocator, Locator, Page } from 'playwright-core';
import { until } from './wait';

type StatusWindow = Window & { __toxStatus?: string[] };

/**
 * Records every distinct text of the Tox status-bar item from page load on (a
 * MutationObserver, so a state that lasts a few milliseconds is not missed).
 */
export async function recordStatusBar(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as StatusWindow;
    w.__toxStatus = [];
    const scan = () => {
      for (const el of Array.from(document.querySelectorAll('.statusbar-item'))) {
        const t = (el as HTMLElement).innerText.trim();
        if (/^Tox( \(direct\)| via [^:]+)?:/.test(t) && w.__toxStatus![w.__toxStatus!.length - 1] !== t) w.__toxStatus!.push(t);
      }
    };
    new MutationObserver(scan).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

export function statusTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as StatusWindow).__toxStatus ?? []);
}

/** The Tox status-bar item. */
export function statusItem(page: Page): Locator {
  return page.locator('.statusbar-item', { hasText: /Tox( \(direct\)| via [^:]+)?:/ }).first();
}

/** Loads the workbench and waits for it and its status bar. */
export async function openWorkbench(page: Page, origin: string, folder: string): Promise<void> {
  await page.goto(`${origin}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
}

/** Runs a command from the palette by (part of) its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Opens the Tox container in the activity bar; returns the Contacts pane. */
export async function openToxView(page: Page): Promise<Locator> {
  // The item, not its label: an unread badge lies over the label and takes the pointer (as it
  // does for a user, whose click on the badge reaches the item).
  await page
    .locator('.activitybar .action-item', { has: page.locator('a[aria-label^="Tox"]') })
    .first()
    .click();
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Contacts' }) }).first();
  await pane.waitFor({ timeout: 15_000 });
  return pane;
}

/** The Conversation view's webview document (two iframes deep). */
export function conversationView(page: Page): FrameLocator {
  // Its first iframe says purpose=webviewView; the one VS Code makes after the view was
  // hidden and shown again does not, so: the visible toxync webview (no editor tabs of ours
  // are open in these tests).
  return page.frameLocator('iframe.webview.ready[src*="extensionId=toxync.toxync"]:visible').frameLocator('iframe#active-frame');
}

/** Shows the Explorer and returns the row of `name` in the workspace folder's tree. */
export async function explorerRow(page: Page, name: string): Promise<Locator> {
  // Clicking the icon of the container already shown would close the sidebar.
  if (!(await page.locator('.explorer-folders-view').first().isVisible())) await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 15_000 });
  return row;
}

/** An entry of the open context menu (the workbench draws it in a shadow root; locators pierce it). */
export function contextMenuItem(page: Page, label: string): Locator {
  return page.locator('.monaco-menu .action-item', { hasText: label }).first();
}

/** A notification toast containing `text`. */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/** Tox: Add Friend through the palette: the Tox ID, then the request message (empty: the default). */
export async function addFriendByCommand(page: Page, address: string, message = ''): Promise<void> {
  await runCommand(page, 'Tox: Add Friend');
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-widget', { hasText: '76 hexadecimal' }).waitFor({ timeout: 10_000 });
  await input.fill(address);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget', { hasText: 'Friend request message' }).waitFor({ timeout: 10_000 });
  if (message) await input.fill(message);
  await page.keyboard.press('Enter');
}

/** code-server's own file dialog (a quick input that lists the workspace folder and takes a
 *  path): picks `name` from the list, then accepts with `accept` if the click only selected it.
 *  Typing a path races the dialog, which rewrites the typed path while it lists. */
export async function pickInFileDialog(page: Page, name: string, accept: string): Promise<void> {
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  const widget = page.locator('.quick-input-widget').first();
  const open = await widget.waitFor({ state: 'hidden', timeout: 3_000 }).then(
    () => false,
    () => true,
  );
  if (open) await widget.locator('.monaco-button', { hasText: accept }).first().click();
}

/** Clicks Accept on the card of an incoming file offer named `name` in a conversation. */
export async function acceptOnCard(view: FrameLocator, name: string, timeout = 30_000): Promise<Locator> {
  const card = view.locator('.msg.in', { hasText: name }).first();
  await card.waitFor({ timeout });
  await card
    .locator('vscode-button', { hasText: /^\s*Accept\s*$/ })
    .first()
    .click();
  return card;
}
