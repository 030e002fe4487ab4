// The palette steps every two-workbench e2e takes before its own: come online, set a name,
// copy the Tox ID, send and accept a friend request. chat.test.ts takes them one `it` at a
// time with a screenshot each; the others call `becomeFriends`. No import side effects.

import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { parseToxId } from '../../src/sys/toxAddress';
import type { Side, TwoWorkbenches } from './twoWorkbenches';
import { until } from './wait';
import { addFriendByCommand, conversationView, openToxView, openWorkbench, runCommand, statusTexts, toast } from './workbench';

/** Both workbenches open their folder, reach "online" (the last status text each showed) and show Contacts. */
export async function bothOnline(sides: Side[]): Promise<void> {
  await Promise.all(sides.map((s) => openWorkbench(s.page, s.host.origin, s.host.dirs.workspace)));
  await Promise.all(sides.map((s) => s.page.locator('.statusbar-item', { hasText: 'Tox (direct): online' }).first().waitFor({ timeout: 90_000 })));
  for (const s of sides) {
    const seen = await statusTexts(s.page);
    assert.match(seen[seen.length - 1] ?? '', /Tox \(direct\): online/, `${s.name}: ${seen.join(' → ')}`);
  }
  for (const s of sides) s.contacts = await openToxView(s.page);
}

/** Tox: Set Name through the palette; returns once toxync confirmed the name. */
export async function setNameByCommand(page: Page, name: string): Promise<void> {
  await runCommand(page, 'Tox: Set Name');
  await page.locator('.quick-input-widget', { hasText: 'Your Tox name' }).waitFor({ timeout: 10_000 });
  const input = page.locator('.quick-input-widget input');
  // Typed until it holds: the box sets its own initial value (the current name) as it opens.
  await until('the name typed into the Set Name box', 10_000, async () => (await input.inputValue()) === name || void (await input.fill(name)), 200);
  await page.keyboard.press('Enter');
  // Waited for: a palette command run at once would close a box still open, dropping the name.
  await toast(page, `Your Tox name is now “${name}”.`).waitFor({ timeout: 10_000 });
}

/** Tox: Copy My Tox ID, then what the clipboard holds (checked to be a valid Tox ID). */
export async function copyToxId(page: Page): Promise<string> {
  await runCommand(page, 'Tox: Copy My Tox ID');
  await toast(page, 'Your Tox ID is on the clipboard').waitFor({ timeout: 10_000 });
  const id = (await page.evaluate(() => navigator.clipboard.readText())).trim();
  assert.doesNotThrow(() => parseToxId(id), `the clipboard holds "${id.slice(0, 80)}"`);
  return id;
}

/** The receiver opens the request from Contacts and accepts it on its card. */
export async function acceptRequest(to: Side, message: string): Promise<void> {
  const row = to.contacts!.locator('.monaco-list-row', { hasText: message }).first();
  await row.waitFor({ timeout: 90_000 });
  await row.click();
  await conversationView(to.page).locator('section.request vscode-button', { hasText: 'Accept' }).click();
}

export async function seeEachOtherOnline(a: Side, b: Side): Promise<void> {
  await Promise.all([
    a.contacts!.locator('.monaco-list-row[aria-label*="online"]', { hasText: b.name }).first().waitFor({ timeout: 90_000 }),
    b.contacts!.locator('.monaco-list-row[aria-label*="online"]', { hasText: a.name }).first().waitFor({ timeout: 90_000 }),
  ]);
}

/** From two fresh workbenches to Alice and Bob, named, friends and both online. */
export async function becomeFriends(world: TwoWorkbenches): Promise<void> {
  await bothOnline(world.sides);
  for (const s of world.sides) await setNameByCommand(s.page, s.name);
  const bobId = await copyToxId(world.bob.page);
  const message = 'Hi Bob, this is Alice';
  await addFriendByCommand(world.alice.page, bobId, message);
  await acceptRequest(world.bob, message);
  await seeEachOtherOnline(world.alice, world.bob);
}
