// End to end through the real UI (issue 20): two code-server instances (Alice and Bob), as in
// chat.test.ts, become friends; then Alice creates a private group from the palette, invites
// Bob, Bob accepts from the invite notification, and both exchange messages in the group
// panels. Bob's side must show Alice's message under her untrusted name with the peer marker
// (her group key is not her friend key), the topic Alice sets must reach Bob's header, and
// Alice (founder) sees moderation buttons on Bob's row. Needs a node that serves the group
// commands (issue 20's node side). Screenshots go to test-artifacts/e2e/.
import { strict as assert } from 'node:assert';
import type { Frame, Page } from 'playwright-core';
import { TwoWorkbenches } from '../helpers/twoWorkbenches';
import { becomeFriends } from '../helpers/friendSteps';
import { until } from '../helpers/wait';
import { conversationView, openToxView, openWorkbench, runCommand, toast } from '../helpers/workbench';

const GROUP = 'Team ünï';

/** The frame of the group conversation webview (an editor panel), once it shows `#group-title`. */
function groupFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  return until('the group conversation panel', timeoutMs, async () => {
    for (const f of page.frames()) {
      if (
        (await f
          .locator('#group-title')
          .count()
          .catch(() => 0)) > 0
      )
        return f;
    }
    return null;
  });
}

async function pickRow(page: Page, text: string): Promise<void> {
  // Typed and Enter rather than a click: under load a row was found while its list was
  // still hidden (a quick pick replacing the palette), and a click there never lands.
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: text }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

async function sendInGroup(frame: Frame, page: Page, text: string): Promise<void> {
  await frame.locator('#composer textarea').click();
  await page.keyboard.type(text, { delay: 5 });
  await page.keyboard.press('Enter');
  const out = frame.locator('.msg.out', { hasText: text }).first();
  await out.waitFor({ timeout: 15_000 });
  await out.locator('.state.sent').waitFor({ timeout: 60_000 });
}

describe('e2e: a group chat between two VS Codes through the UI', function () {
  this.timeout(180_000);
  const world = new TwoWorkbenches();
  const { sides } = world;
  const alice = () => world.alice;
  const bob = () => world.bob;
  const shot = (name: string) => world.shot(`group-${name}`);

  before(async function () {
    this.timeout(240_000);
    await world.start();
  });
  after(async () => world.stop());
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(`FAILED-${(this.currentTest.title.match(/[A-Za-z]+/g) ?? []).slice(0, 4).join('-')}`);
  });

  it('Alice and Bob come online, set names and become friends', async () => {
    await becomeFriends(world);
    await shot('friends');
  });

  it('Alice creates a private group from the palette (Tox: Create Group…)', async () => {
    const p = alice().page;
    await runCommand(p, 'Tox: Create Group');
    await p.locator('.quick-input-widget', { hasText: 'group name' }).waitFor({ timeout: 10_000 });
    await p.locator('.quick-input-widget input').fill(GROUP);
    await p.keyboard.press('Enter');
    await pickRow(p, 'Private');
    const f = await groupFrame(p);
    assert.equal(await f.locator('#group-title').innerText(), GROUP);
    assert.match(await f.locator('.group-header .fingerprint').innerText(), /founder/);
    await p
      .locator('.pane', { has: p.locator('.pane-header', { hasText: 'Groups' }) })
      .locator('.monaco-list-row', { hasText: GROUP })
      .first()
      .waitFor({ timeout: 15_000 });
    await shot('created');
  });

  it('Alice invites Bob (Tox: Invite Friend to Group…)', async () => {
    const p = alice().page;
    await runCommand(p, 'Tox: Invite Friend to Group');
    await pickRow(p, GROUP);
    await pickRow(p, 'Bob');
    await toast(p, 'Invite sent').waitFor({ timeout: 15_000 });
  });

  it('Bob accepts the invite from its notification and the group opens', async () => {
    const p = bob().page;
    const offer = toast(p, 'invites you to the group');
    await offer.waitFor({ timeout: 60_000 });
    assert.match(await offer.innerText(), new RegExp(`Alice invites you to the group “${GROUP}”`));
    await shot('invite');
    await offer.locator('.monaco-button', { hasText: 'Accept' }).first().click();
    const groups = p.locator('.pane', { has: p.locator('.pane-header', { hasText: 'Groups' }) });
    const row = groups.locator('.monaco-list-row', { hasText: GROUP }).first();
    await row.waitFor({ timeout: 60_000 });
    // From the palette, not a click on the row: the Groups tree refreshes while the join
    // settles, and a click landing during a refresh can be lost (see contacts.ts).
    await runCommand(p, 'Tox: Open Group');
    await pickRow(p, GROUP);
    const f = await groupFrame(p);
    const state = f.locator('.group-header .group-state');
    try {
      await state.filter({ hasText: '2 in the group' }).waitFor({ timeout: 90_000 });
    } finally {
      // What Bob's header said, kept for a failure: "connecting…" and "1 in the group" are different faults.
      await shot('joined');
    }
    assert.equal(await state.innerText(), '2 in the group');
  });

  it('they exchange messages; each sees the other as an untrusted peer name with its key tag', async () => {
    const [fa, fb] = [await groupFrame(alice().page), await groupFrame(bob().page)];
    const hello = 'Hello group — ünïcödé 👋 from Alice';
    await sendInGroup(fa, alice().page, hello);
    const inBob = fb.locator('.msg.in', { hasText: hello }).first();
    await inBob.waitFor({ timeout: 60_000 });
    assert.equal(await inBob.locator('.who.peer .peer-name').innerText(), 'Alice');
    assert.equal(await inBob.locator('.who.peer .peer-marker').innerText(), 'peer');
    assert.match(await inBob.locator('.who.peer .peer-tag').innerText(), /^[0-9A-F]{6}$/);
    assert.equal(await inBob.locator('.who.you').count(), 0);
    const reply = 'Hi Alice, Bob here in the group';
    await sendInGroup(fb, bob().page, reply);
    await fa.locator('.msg.in', { hasText: reply }).first().locator('.who.peer .peer-name', { hasText: 'Bob' }).waitFor({ timeout: 60_000 });
    await shot('messages');
  });

  it('Alice (founder) sees Bob in the peer list with moderation actions, and her topic reaches Bob', async () => {
    const p = alice().page;
    const fa = await groupFrame(p);
    // A click, not a pointer click: a tree tooltip may still cover the panel.
    await fa.locator('#group-peers summary').dispatchEvent('click');
    const bobRow = fa.locator('.group-peer', { hasText: 'Bob' }).first();
    await bobRow.waitFor({ timeout: 15_000 });
    assert.equal(await bobRow.locator('.role').innerText(), 'user');
    await bobRow.locator('vscode-button', { hasText: 'Kick' }).waitFor({ timeout: 5_000 });
    await runCommand(p, 'Tox: Set Group Topic');
    await pickRow(p, GROUP);
    await p.locator('.quick-input-widget', { hasText: 'Group topic' }).waitFor({ timeout: 10_000 });
    await p.locator('.quick-input-widget input').fill('Release on Friday');
    await p.keyboard.press('Enter');
    const fb = await groupFrame(bob().page);
    await fb.locator('#group-topic', { hasText: 'Release on Friday' }).waitFor({ timeout: 60_000 });
    // Bob is a user: no moderation buttons on his side.
    await fb.locator('#group-peers summary').dispatchEvent('click');
    assert.equal(await fb.locator('.group-peer vscode-button', { hasText: 'Kick' }).count(), 0);
    await shot('topic');
  });
});
