// End to end through the real UI: two code-server instances (Alice and Bob) with the packaged
// .vsix, driven in Debian's Chromium, on a local Tox network inside scripts/test.sh's
// loopback-only namespace. Alice adds Bob by his Tox ID, Bob accepts, they exchange messages
// with delivery states; Alice shares two files from her Explorer ("Share via Tox…"), Bob
// accepts one from its notification and one from its card, both land byte for byte; Alice's
// avatar shows on her row in Bob's Contacts. Then a hostile peer (`toxync run`) with corpus
// payloads as name, status, request, messages and file name, while a probe in every frame
// watches for any script running or being blocked by the CSP; then names aimed at VS Code's
// own surfaces (icon syntax, a command link with a bidi override) in the Share picker, the
// progress notification and the pager-source picker and dialog: no icon and no link from the
// name may render, and positive controls show both checks see ours. Screenshots of every step
// go to test-artifacts/e2e/.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderHashes, sha256File } from '../helpers/files';
import {
  armed,
  armWebview,
  HOSTILE_FILE,
  HOSTILE_NAME,
  HOSTILE_REQUEST,
  HOSTILE_STATUS,
  hostileMessages,
  ICON_NAME,
  IMG,
  injectionSinks,
  LAST,
  LINK_NAME,
  messageLinks,
  pickIcons,
  SAFE_FILE,
} from '../helpers/hostileUi';
import { bootstrapArg, CliPeer } from '../helpers/peer';
import { bothOnline, copyToxId, seeEachOtherOnline, setNameByCommand } from '../helpers/friendSteps';
import { sendAndSee, SHARED_BIN, SHARED_TEXT, TwoWorkbenches } from '../helpers/twoWorkbenches';
import { until } from '../helpers/wait';
import {
  acceptOnCard,
  addFriendByCommand,
  contextMenuItem,
  pickInFileDialog,
  conversationView,
  explorerRow,
  openToxView,
  runCommand,
  statusItem,
  toast,
} from '../helpers/workbench';

describe('e2e: two people chat in VS Code (code-server) through the UI', function () {
  this.timeout(120_000);
  const world = new TwoWorkbenches();
  const { sides } = world;
  let mallory: CliPeer | undefined;
  let bobId = '';
  let aliceId = '';
  const alice = () => world.alice;
  const bob = () => world.bob;
  const shot = (name: string) => world.shot(name);

  before(async function () {
    this.timeout(240_000);
    await world.start();
  });

  after(async () => {
    await world.stop([mallory]);
  });
  // A failed step leaves a picture of both workbenches as they were.
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(`FAILED-${(this.currentTest.title.match(/[A-Za-z]+/g) ?? []).slice(0, 4).join('-')}`);
  });

  it('both workbenches load and their status bars reach "Tox (direct): online"', async () => {
    await bothOnline(sides);
    await shot('online');
  });

  it('each sets a name through the palette (Tox: Set Name…)', async () => {
    for (const s of sides) await setNameByCommand(s.page, s.name);
    await shot('names-set');
  });

  it('Bob copies his Tox ID (Tox: Copy My Tox ID)', async () => {
    [aliceId, bobId] = [await copyToxId(alice().page), await copyToxId(bob().page)];
    assert.notEqual(aliceId, bobId);
    await shot('ids-copied');
  });

  it('Alice adds Bob by his Tox ID (Tox: Add Friend…)', async () => {
    // Lower case: the ID is taken whatever its case.
    await addFriendByCommand(alice().page, bobId.toLowerCase(), 'Hi Bob, this is Alice');
    await alice().contacts!.locator('.monaco-list-row', { hasText: 'Friends' }).first().waitFor({ timeout: 15_000 });
    await shot('friend-request-sent');
  });

  it('Bob sees the request in Contacts, opens it and accepts', async () => {
    const p = bob().page;
    const row = bob().contacts!.locator('.monaco-list-row', { hasText: 'Hi Bob, this is Alice' }).first();
    await row.waitFor({ timeout: 90_000 });
    await row.click();
    const card = conversationView(p).locator('section.request');
    await card.waitFor({ timeout: 20_000 });
    assert.match(await conversationView(p).locator('#request-message').innerText(), /Hi Bob, this is Alice/);
    await shot('request-card');
    await conversationView(p).locator('section.request vscode-button', { hasText: 'Accept' }).click();
  });

  it('both see each other online in Contacts', async () => {
    await seeEachOtherOnline(alice(), bob());
    await shot('friends-online');
  });

  it('Alice writes to Bob: delivered on her side, shown on his', async () => {
    const state = await sendAndSee(alice(), bob(), 'Hello Bob! **bold** and `code` from Alice');
    assert.match(state, /delivered/i);
    await shot('alice-to-bob');
  });

  it('Bob answers: delivered on his side, shown on hers', async () => {
    const state = await sendAndSee(bob(), alice(), 'Hi Alice, Bob here');
    assert.match(state, /delivered/i);
    await shot('bob-to-alice');
  });

  it('Alice selects two files in the Explorer, right-clicks, "Share via Tox…", picks Bob: a cancellable progress notification per file', async () => {
    const p = alice().page;
    const selected = (name: string) => p.locator('.explorer-folders-view .monaco-list-row[aria-selected="true"]', { hasText: name }).first();
    const first = await explorerRow(p, SHARED_BIN);
    await first.click();
    // The click opens a preview editor, and the Explorer may re-select the active file as
    // it opens (Alice's explorer.autoReveal is off for that): Ctrl+click until both are selected.
    await p.locator('.tabs-container .tab', { hasText: SHARED_BIN }).first().waitFor({ timeout: 10_000 });
    await selected(SHARED_BIN).waitFor({ timeout: 10_000 });
    const second = await explorerRow(p, SHARED_TEXT);
    for (let i = 0; i < 3 && !(await selected(SHARED_TEXT).isVisible()); i++) {
      await second.click({ modifiers: ['Control'] });
      await selected(SHARED_TEXT)
        .waitFor({ timeout: 3_000 })
        .catch(() => undefined);
    }
    assert.equal(await p.locator('.explorer-folders-view .monaco-list-row[aria-selected="true"]').count(), 2, 'both files are selected');
    await second.click({ button: 'right' });
    const item = contextMenuItem(p, 'Share via Tox…');
    await item.waitFor({ timeout: 10_000 });
    await shot('explorer-context-menu');
    await item.click();
    await p.locator('.quick-input-widget input[placeholder="Send 2 files to…"]').waitFor({ timeout: 10_000 });
    const bobRow = p.locator('.quick-input-widget .monaco-list-row', { hasText: 'Bob' }).first();
    await bobRow.waitFor({ timeout: 10_000 });
    await bobRow.click();
    // Bob has not accepted yet, so both progress notifications stay up.
    for (const name of [SHARED_TEXT, SHARED_BIN]) await toast(p, `Sending ${name} to Bob`).waitFor({ timeout: 20_000 });
    await shot('sharing');
  });

  it('Bob accepts one file from its notification and the other from its card in the chat; both land in his download folder, byte for byte', async function () {
    this.timeout(180_000);
    const p = bob().page;
    const offer = toast(p, `offers a file: “${SHARED_TEXT}”`);
    await offer.waitFor({ timeout: 60_000 });
    assert.match(await offer.innerText(), /Alice offers a file/);
    await shot('offer-notification');
    await offer.locator('.monaco-button', { hasText: 'Accept' }).first().click();

    await bob().contacts!.locator('.monaco-list-row', { hasText: 'Alice' }).first().click();
    const view = conversationView(p);
    await view.locator('#peer-title', { hasText: 'Alice' }).waitFor({ timeout: 20_000 });
    const card = await acceptOnCard(view, SHARED_BIN);
    assert.match(await card.innerText(), /Offers a file · 3\.0 MiB/);

    const want = new Map([
      [SHARED_TEXT, await sha256File(join(alice().host.dirs.workspace, SHARED_TEXT))],
      [SHARED_BIN, await sha256File(join(alice().host.dirs.workspace, SHARED_BIN))],
    ]);
    const got = await folderHashes(world.bobDownloads, want, 120_000);
    assert.deepEqual([...got].sort(), [...want].sort(), "Bob's download folder holds exactly the two files, with the same bytes");
    await card.locator('.progress-line', { hasText: 'complete' }).first().waitFor({ timeout: 30_000 });
    for (const name of [SHARED_TEXT, SHARED_BIN]) await toast(alice().page, `${name} was sent to Bob.`).waitFor({ timeout: 30_000 });
    await shot('files-received');
  });

  it('Alice sets an avatar (Tox: Set Avatar…); Bob sees it on her row in Contacts', async () => {
    const p = alice().page;
    await runCommand(p, 'Tox: Set Avatar');
    await pickInFileDialog(p, 'avatar.png', 'Use as Avatar');
    await toast(p, 'Your avatar is set').waitFor({ timeout: 20_000 });
    // Back from the Explorer to the Tox views for the steps that follow.
    alice().contacts = await openToxView(p);
    const icon = bob().contacts!.locator('.monaco-list-row', { hasText: 'Alice' }).first().locator('.custom-view-tree-node-item-icon');
    const background = () => icon.evaluate((e) => getComputedStyle(e).backgroundImage).catch(() => '');
    await until("Alice's avatar as her contact icon on Bob's side", 60_000, async () => /data:image\/png/.test(await background()), 250);
    await shot('avatar');
  });

  it('the status bar shows the route and state, and its tooltip the friends online', async () => {
    for (const s of sides) {
      const item = statusItem(s.page);
      assert.match(await item.innerText(), /Tox \(direct\): online/);
      await item.hover();
      const hover = s.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'friends online' }).first();
      await hover.waitFor({ timeout: 10_000 });
      // The tooltip is Markdown: VS Code may render its spaces as no-break spaces.
      assert.match(await hover.innerText(), /1\s+of\s+1\s+friends\s+online/);
    }
    await shot('status-tooltip');
    for (const s of sides) await s.page.mouse.move(600, 300);
  });

  it('positive controls: the probe sees a canary call and a CSP-blocked script in the webview', async () => {
    const view = conversationView(alice().page);
    const from = world.probe.records.length;
    await armWebview(view);
    await view.locator('body').evaluate(() => {
      (window as unknown as { __canary: () => void }).__canary();
      const s = document.createElement('script');
      s.textContent = '__canary()';
      document.body.appendChild(s);
    });
    const seen = (kind: string) => world.probe.records.slice(from).some((r) => r.kind === kind);
    await until('the canary and the CSP violation', 5000, () => seen('canary') && seen('violation'), 100).catch(() => undefined);
    const got = world.probe.records.slice(from);
    assert.equal(got.filter((r) => r.kind === 'canary').length, 1, `expected exactly the control's own canary call: ${JSON.stringify(got)}`);
    assert.ok(
      got.some((r) => r.kind === 'violation' && /script-src/.test(r.detail)),
      `no securitypolicyviolation for the nonce-less script: ${JSON.stringify(got)}`,
    );
    // The sink check sees a picture the renderer did not make, even one dressed as the GIF preview.
    const fake = () => document.querySelector('.gif-preview')?.setAttribute('src', '/x.png');
    await view.locator('body').evaluate(fake);
    assert.deepEqual(await injectionSinks(view), ['IMG', 'IMG[src]']);
    await view.locator('body').evaluate(() => document.querySelector('.gif-preview')?.removeAttribute('src'));
    // Console errors for the blocked script arrive asynchronously; wait so they land before the next step.
    await alice().page.waitForTimeout(500);
  });

  it('a hostile peer’s name, status, request and messages show as text in Alice’s UI, and no injected code runs', async function () {
    this.timeout(240_000);
    const messages = hostileMessages();
    const from = world.probe.records.length;
    mallory = CliPeer.start('mallory', await bootstrapArg(world.seed!));
    await mallory.ready();
    await mallory.command({ cmd: 'set_name', name: HOSTILE_NAME });
    await mallory.command({ cmd: 'set_status_message', text: HOSTILE_STATUS });
    const { friend } = (await mallory.command({ cmd: 'friend_add', address: aliceId, message: HOSTILE_REQUEST })) as { friend: number };

    const a = alice();
    const row = a.contacts!.locator('.monaco-list-row', { hasText: 'mallory wants in' }).first();
    await row.waitFor({ timeout: 90_000 });
    await row.click();
    const view = conversationView(a.page);
    await view.locator('section.request').waitFor({ timeout: 20_000 });
    assert.equal(await view.locator('#request-message').innerText(), HOSTILE_REQUEST);
    await shot('hostile-request');
    await view.locator('section.request vscode-button', { hasText: 'Accept' }).click();
    await mallory.event('friend_connection', (e) => e.friend === friend && e.status !== 'none', 90_000);

    await armWebview(view);
    for (const text of messages) await mallory.command({ cmd: 'send', friend, text });
    // Only the newest rows are in the DOM (virtualised list): this one is checked as text below.
    await mallory.command({ cmd: 'send', friend, text: IMG });
    await mallory.command({ cmd: 'send', friend, text: LAST });
    const malloryRow = a.contacts!.locator('.monaco-list-row', { hasText: HOSTILE_NAME }).first();
    await malloryRow.waitFor({ timeout: 30_000 });
    await malloryRow.click();
    await view.locator('#peer-title', { hasText: HOSTILE_NAME }).waitFor({ timeout: 20_000 });
    await view.locator('.msg.in .body', { hasText: LAST }).first().waitFor({ timeout: 60_000 });
    await shot('hostile-messages');

    // A file whose name tries markup and a right-to-left override (the path in front is
    // dropped by Mallory's own toxync, as a sender must; raw names on the wire are
    // files-hostile.test.ts's corpus): the notification
    // names the sanitised name and shows the sender's with the override as a marker; the
    // card shows it as text; declining leaves nothing behind.
    const payload = join(world.work, 'payload.bin');
    writeFileSync(payload, 'not what its name says');
    const { file_id } = (await mallory.command({ cmd: 'send_file', friend, path: payload, name: HOSTILE_FILE })) as { file_id: string };
    const offer = toast(a.page, 'offers a file');
    await offer.waitFor({ timeout: 60_000 });
    const offerText = await offer.innerText();
    assert.ok(offerText.includes(`“${SAFE_FILE}”`), `the notification names the sanitised name: ${offerText}`);
    assert.ok(offerText.includes('⟦U+202E⟧'), `the hidden override is shown as a marker: ${offerText}`);
    await view.locator('.msg.in .file-name', { hasText: 'onerror=__canary()' }).last().waitFor({ timeout: 20_000 });
    await shot('hostile-file-offer');
    await offer.locator('.monaco-button', { hasText: 'Decline' }).first().click();
    await mallory.event('file_control', (e) => e.file_id === file_id && e.control === 'cancel', 30_000);

    // Shown as text: the name in the tree and the header, a payload literally in the chat.
    assert.equal((await view.locator('#peer-title').innerText()).trim(), HOSTILE_NAME);
    assert.match((await malloryRow.getAttribute('aria-label')) ?? '', /onerror=__canary\(\)/);
    const bodies = await view.locator('.msg.in .body').allTextContents();
    assert.equal(bodies[bodies.indexOf(LAST) - 1], IMG, 'the <img onerror> payload is not shown as text');
    // The renderer's DOM holds none of the elements or attributes the payloads try to create.
    assert.deepEqual(await injectionSinks(view), []);
    await alice().page.waitForTimeout(1000);
    assert.ok(await armed(view), 'the webview document was replaced: its violation listener is gone, so the check below would be blind');
    const alarms = world.probe.alarms(from);
    assert.deepEqual(
      alarms,
      [],
      `injected code ran or was blocked while hostile input was shown:\n${alarms.map((r) => `${r.kind} in ${r.frame}: ${r.detail}`).join('\n')}`,
    );
  });

  it('positive controls: the link and icon checks see a link and an icon our own UI puts there', async () => {
    const p = alice().page;
    // Our own notification with a real command link ("Tox: Test Proxy" without a proxy).
    await runCommand(p, 'Tox: Test Proxy');
    await toast(p, 'No proxy is set').waitFor({ timeout: 10_000 });
    assert.ok((await messageLinks(p).count()) > 0, 'the link check does not see the link in our own notification');
    await p.keyboard.press('Escape');
    // Our own icons in a quick pick label: the "no proxy" row of Choose Proxy carries $(check).
    await runCommand(p, 'Tox: Choose Proxy');
    const rows = p.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor({ timeout: 10_000 });
    assert.ok((await pickIcons(p.locator('.quick-input-widget')).count()) > 0, 'the icon check does not see our own $(check) icon');
    await p.keyboard.press('Escape');
    for (const t of await p.locator('.notifications-toasts .notification-toast').all())
      await t
        .locator('.codicon-notifications-clear, .codicon-close')
        .first()
        .click()
        .catch(() => undefined);
  });

  async function renameMallory(name: string, shown: string): Promise<void> {
    await mallory!.command({ cmd: 'set_name', name });
    // The previous step left the Explorer in front: bring the Tox view (and Contacts) back.
    // (The activity bar item toggles: click it only when the view is not already shown.)
    if (!(await alice().contacts!.isVisible())) await openToxView(alice().page);
    await alice().contacts!.locator('.monaco-list-row', { hasText: shown }).first().waitFor({ timeout: 60_000 });
  }

  it('a peer named with icon syntax: no icon from it in the Share picker, the progress notification or the pager-source picker', async function () {
    this.timeout(120_000);
    const p = alice().page;
    await renameMallory(ICON_NAME, '$ (verified-filled) Conti pager Alice$ (x)');
    const pick = await world.sharePicker('Conti pager');
    assert.equal(await pickIcons(pick).count(), 0, 'an icon from the peer name rendered in the Share picker');
    assert.match(await pick.innerText(), /\$ \(verified-filled\) Conti pager Alice\$ \(x\)/);
    await shot('surface-share-picker');
    await pick.click();
    const progress = toast(p, /Sending meeting-notes\.txt to \$ \(verified-filled\)/);
    await progress.waitFor({ timeout: 20_000 });
    assert.equal(
      await p.locator('.notifications-toasts .notification-list-item-message .codicon').count(),
      0,
      'an icon from the peer name rendered in a notification',
    );
    await progress
      .locator('.monaco-button', { hasText: 'Cancel' })
      .first()
      .click()
      .catch(() => undefined);
    await runCommand(p, 'Tox: Receive Pager Alerts From This Contact');
    const source = p.locator('.quick-input-widget .monaco-list-row', { hasText: 'Conti pager' }).first();
    await source.waitFor({ timeout: 10_000 });
    assert.equal(await pickIcons(source).count(), 0, 'an icon from the peer name rendered in the pager-source picker');
    await shot('surface-pager-picker');
    await p.keyboard.press('Escape');
  });

  it('a peer named with a command link and a bidi override: no link from it in the progress notification or the pager-source dialog', async function () {
    this.timeout(120_000);
    const p = alice().page;
    await renameMallory(LINK_NAME, '[Details] (command:');
    const pick = await world.sharePicker('[Details] (command:');
    await pick.click();
    const progress = toast(p, /Sending meeting-notes\.txt to \[Details\] \(command:/);
    await progress.waitFor({ timeout: 20_000 });
    await shot('surface-progress');
    assert.equal(await messageLinks(p).count(), 0, 'a link from the peer name rendered in a notification');
    await progress
      .locator('.monaco-button', { hasText: 'Cancel' })
      .first()
      .click()
      .catch(() => undefined);

    await runCommand(p, 'Tox: Receive Pager Alerts From This Contact');
    const source = p.locator('.quick-input-widget .monaco-list-row', { hasText: '[Details] (command:' }).first();
    await source.waitFor({ timeout: 10_000 });
    await source.click();
    const dialog = p.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    const text = await dialog.innerText();
    assert.ok(
      text.includes('Receive pager alerts from [Details] (command:workbench.action.quit) ⟦U+202E⟧exe?'),
      `the dialog names the peer as defused text: ${text}`,
    );
    assert.equal(await messageLinks(p).count(), 0, 'a link from the peer name rendered in the dialog');
    await shot('surface-pager-dialog');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  });
});
