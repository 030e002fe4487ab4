// How the chat looks and lays out, in code-server + Chromium with the packaged .vsix, against
// a `toxync run` friend (Carol) on a local Tox network: a day of grouped messages, a long
// message (split by its sender into parts, shown as one, collapsed), markup, the sidebar at
// 300 px, the editor tab, the question before a link opens, the conversation in the secondary
// side bar, the walkthrough, and light / dark / high-contrast themes. Screenshots go to
// test-artifacts/look/. Layout facts are asserted from element boxes, not pixels: Send sits on
// the composer's line, and at least 8 short messages fit in the sidebar's default height;
// theme facts from computed colours (contrast), not pixels.

import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { packageRoot } from '../../src/sys/packageRoot';
import type { CliPeer } from '../helpers/peer';
import { runCommand } from '../helpers/workbench';
import { WorkbenchWithCarol } from '../helpers/withCarol';

const ARTIFACTS = join(packageRoot(), 'test-artifacts', 'look');
const SHORT = ['hi!', 'are you there?', 'the build is green', 'lunch?', 'ok', 'see you at 1', 'bring the notes', 'thanks', 'one more thing', 'never mind'];

type Box = { x: number; y: number; width: number; height: number };

async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  assert.ok(b, 'element has no box');
  return b;
}

/** Drags the side bar's edge so it is `width` px wide; false if no sash was found. */
async function dragSidebarTo(page: Page, width: number): Promise<boolean> {
  const sb = await box(page.locator('.part.sidebar').first());
  const sash = page.locator('.monaco-sash.vertical').filter({ visible: true });
  for (let i = 0; i < (await sash.count()); i++) {
    const s = await box(sash.nth(i));
    if (Math.abs(s.x + s.width / 2 - (sb.x + sb.width)) > 6) continue;
    await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
    await page.mouse.down();
    await page.mouse.move(sb.x + width, s.y + s.height / 2, { steps: 8 });
    await page.mouse.up();
    return true;
  }
  return false;
}

type Rgb = { r: number; g: number; b: number; a: number };

function rgb(css: string): Rgb {
  const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(css);
  assert.ok(m, `not an rgb() colour: ${css}`);
  return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a: m[4] === undefined ? 1 : Number(m[4]) };
}

/** WCAG 2 relative luminance. */
function luminance(c: Rgb): number {
  const lin = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Preferences: Color Theme, then the theme's row, as a user picks one. */
async function pickTheme(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('>Preferences: Color Theme');
  // The exact row, not Enter on whatever ranks first ("Browse Color Themes…" also matches).
  const command = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^Preferences: Color Theme$/ }) });
  await command.first().click({ timeout: 10_000 });
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Default Dark Modern' }).first().waitFor({ timeout: 10_000 });
  await input.fill(label);
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  await row.first().waitFor({ timeout: 10_000 });
  await row.first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

describe('the chat as people see it: grouping, collapse, layout, walkthrough, themes', function () {
  this.timeout(240_000);
  const world = new WorkbenchWithCarol();
  let carol: CliPeer | undefined;
  let page: Page;
  let view: FrameLocator;
  let carolSeesUs = -1;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

  before(async function () {
    this.timeout(180_000);
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    await world.start('look');
    ({ carol, page, view, carolSeesUs } = world);
  });

  after(() => world.stop());

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(`failed-${this.currentTest.title.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
  });

  const fromCarol = async (text: string, dedup = false) => {
    await carol!.command({ cmd: 'send', friend: carolSeesUs, text, ...(dedup ? { dedup: randomBytes(16).toString('hex') } : {}) });
  };

  it('a long message split by its sender shows as one message, collapsed behind "Show more"', async () => {
    const long = Array.from({ length: 700 }, (_, i) => `word${i}`).join(' ');
    assert.ok(long.length > 4000);
    await fromCarol(long, true);
    const msg = view.locator('.msg.in', { hasText: 'word699' });
    await msg.waitFor({ timeout: 30_000 });
    assert.equal(await view.locator('.msg.in', { hasText: 'word0 ' }).count(), 1, 'one message, not one per part');
    assert.equal(await msg.locator('.body').textContent(), long, 'the parts joined, nothing lost');
    await msg.locator('.show-more', { hasText: 'Show more' }).waitFor();
    const collapsed = await box(msg.locator('.body'));
    await shot('collapsed-long-message');
    await msg.locator('.show-more').click();
    await view.locator('.msg.in .show-more', { hasText: 'Show less' }).waitFor();
    assert.ok((await box(view.locator('.msg.in', { hasText: 'word699' }).locator('.body'))).height > collapsed.height * 2);
    await view.locator('.msg.in .show-more', { hasText: 'Show less' }).click();
  });

  it('markup renders without its markers; a code block has no blank lines around it', async () => {
    await fromCarol('**bold** and *soft*, then:\n```ts\nconst x = 1;\n```\ndone');
    const body = view.locator('.msg.in .body', { hasText: 'const x' }).last();
    await body.waitFor({ timeout: 30_000 });
    const shown = await body.innerText();
    assert.ok(!shown.includes('**') && !shown.includes('```'), shown);
    assert.ok(!/\n\s*\n/.test(shown), `blank line in ${JSON.stringify(shown)}`);
    assert.equal(await body.locator('strong').innerText(), 'bold');
  });

  it('short messages of one sender are grouped, and at least 8 fit in the sidebar at its default height', async () => {
    for (const t of SHORT) await fromCarol(t);
    await view.locator('.msg.in .body', { hasText: SHORT[SHORT.length - 1]! }).waitFor({ timeout: 30_000 });
    const rows = view.locator('.msg.in');
    const grouped = await view.locator('.msg.in.grouped').count();
    assert.ok(grouped >= SHORT.length - 1, `${grouped} grouped rows`);
    await view.locator('.day-separator', { hasText: 'Today' }).first().waitFor();
    const port = await box(view.locator('#messages'));
    let visible = 0;
    for (const t of SHORT) {
      const b = await box(rows.filter({ hasText: t }).last());
      if (b.y >= port.y - 1 && b.y + b.height <= port.y + port.height + 1) visible++;
    }
    assert.ok(visible >= 8, `only ${visible} short messages visible in ${port.height}px`);
    await shot('day-grouped-messages');
  });

  it('Send is on the composer line; the header is compact; the sidebar at 300 px', async () => {
    const input = await box(view.locator('#composer'));
    const send = await box(view.locator('#send-button'));
    assert.ok(send.y < input.y + input.height && send.y + send.height > input.y, `Send ${JSON.stringify(send)} vs composer ${JSON.stringify(input)}`);
    assert.ok(!(await view.locator('#peer-fp').isVisible()), 'the full key waits behind Verify');
    await view.locator('#peer-verify').click();
    await view.locator('#peer-fp').waitFor({ state: 'visible' });
    await view.locator('#peer-verify').click();
    const dragged = await dragSidebarTo(page, 300);
    const sidebar = page.locator('.part.sidebar').first();
    const narrow = await box(sidebar);
    const input2 = await box(view.locator('#composer'));
    const send2 = await box(view.locator('#send-button'));
    assert.ok(send2.y < input2.y + input2.height && send2.y + send2.height > input2.y, 'Send still on the composer line at 300 px');
    // The text field keeps most of the line: Attach and GIF are icons, each with a name.
    const line = await box(view.locator('.composer'));
    assert.ok(input2.width >= 0.55 * line.width, `the text field is ${input2.width}px of a ${line.width}px composer`);
    for (const [id, name] of [
      ['#attach-button', 'Attach files'],
      ['#gif-button', 'Send a GIF'],
      ['#send-button', 'Send'],
    ] as const) {
      const b = view.locator(id);
      assert.equal(await b.getAttribute('aria-label'), name);
      assert.ok(((await b.getAttribute('title')) ?? '').startsWith(name), `${id} has a tooltip`);
      const bb = await box(b);
      assert.ok(bb.y < input2.y + input2.height && bb.y + bb.height > input2.y, `${id} on the composer line`);
    }
    // The paperclip is a glyph of the codicon font (loaded under the webview's CSP), not a box.
    const fontLoaded = await view.locator('#attach-button .codicon').evaluate(async () => {
      await document.fonts.ready;
      let loaded = false;
      document.fonts.forEach((f) => (loaded ||= f.family.replace(/["']/g, '') === 'codicon' && f.status === 'loaded'));
      return loaded;
    });
    assert.ok(fontLoaded, 'the codicon font loaded');
    await page.screenshot({ path: join(ARTIFACTS, 'sidebar-300px.png'), clip: narrow });
    assert.ok(dragged && Math.abs(narrow.width - 300) < 20, `sidebar is ${narrow.width}px wide`);
  });

  it('a friend opened from Contacts while the side bar is narrow opens in an editor tab', async () => {
    await dragSidebarTo(page, 200);
    const row = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Contacts' }) }).locator('.monaco-list-row', { hasText: 'Carol' });
    await row.first().click();
    await page.locator('.tab', { hasText: 'Carol' }).first().waitFor({ timeout: 15_000 });
    await dragSidebarTo(page, 300);
  });

  it('the editor-tab conversation', async () => {
    // The narrow-side-bar step above has opened it already; else the header's button does.
    if (!(await page.locator('.tab', { hasText: 'Carol' }).count())) await view.locator('.peer vscode-button', { hasText: 'Open in editor' }).click();
    await page.locator('.tab', { hasText: 'Carol' }).first().waitFor({ timeout: 15_000 });
    // The editor tab's webview: the toxync one that is not the side bar's view.
    const tab = page
      .frameLocator('iframe.webview.ready[src*="extensionId=toxync.toxync"]:not([src*="purpose=webviewView"])')
      .first()
      .frameLocator('iframe#active-frame');
    await tab.locator('.msg.in .body', { hasText: 'never mind' }).waitFor({ timeout: 15_000 });
    await shot('editor-tab');
  });

  it('a link from a friend asks first with Cancel active: Enter opens nothing; Open does (positive control)', async () => {
    // One toxync webview on screen again: the side bar's.
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tab', { hasText: 'Carol' }).first().waitFor({ state: 'detached', timeout: 15_000 });
    const url = 'https://127.0.0.1:9/look-link';
    await fromCarol(`the notes are at ${url}`);
    const link = view.locator('.msg.in .link', { hasText: '127.0.0.1:9/look-link' }).last();
    await link.waitFor({ timeout: 30_000 });
    let popups = 0;
    page.context().on('page', () => popups++);
    // VS Code's own "open the external website?" check may come first: an opening either way.
    const external = page.locator('.monaco-dialog-box', { hasText: /external website/i });
    const question = page.locator('.quick-input-widget', { hasText: 'Open a link from a Tox contact?' });
    await link.click();
    await question.waitFor({ timeout: 15_000 });
    const active = page.locator('.quick-input-widget .monaco-list-row.focused');
    assert.equal((await active.locator('.label-name').innerText()).trim(), 'Cancel', 'Cancel is the active choice');
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest('.quick-input-widget')), 'the question has the keyboard');
    await shot('link-question');
    await page.keyboard.press('Enter');
    await question.waitFor({ state: 'hidden', timeout: 10_000 });
    // The host answers in order: had the first answer opened the link, its openExternal would
    // have reached the workbench before this second question does.
    await link.click();
    await question.waitFor({ timeout: 15_000 });
    assert.equal(popups + (await external.count()), 0, 'Enter (Cancel) opened nothing');
    const open = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^Open$/ }) });
    const popup = page
      .context()
      .waitForEvent('page', { timeout: 15_000 })
      .then((p) => p.close().then(() => 'popup'));
    await open.first().click();
    const how = await Promise.race([popup, external.waitFor({ timeout: 15_000 }).then(() => 'dialog')]);
    if (how === 'dialog') await external.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
    await popup.catch(() => undefined);
  });

  it("the conversation moves to the secondary side bar (where VS Code's Chat lives), works there, and moves back", async () => {
    await runCommand(page, 'Tox: Move Conversation to Secondary Side Bar or Panel');
    const dest = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'New Secondary Side Bar Entry' }).first();
    await dest.waitFor({ timeout: 10_000 });
    await dest.click();
    const aux = page.locator('.part.auxiliarybar');
    await aux.waitFor({ state: 'visible', timeout: 15_000 });
    await aux
      .locator('.title', { hasText: /conversation/i })
      .first()
      .waitFor({ timeout: 15_000 });
    const frame = page.locator('iframe.webview.ready[src*="extensionId=toxync.toxync"]:visible');
    await frame.waitFor({ timeout: 15_000 });
    const [f, a] = [await box(frame), await box(aux)];
    assert.ok(f.x >= a.x - 1 && f.x + f.width <= a.x + a.width + 1, `the webview ${JSON.stringify(f)} is in the secondary side bar ${JSON.stringify(a)}`);
    if (!(await view.locator('#peer-title', { hasText: 'Carol' }).count())) {
      await page
        .locator('.pane', { has: page.locator('.pane-header', { hasText: 'Contacts' }) })
        .locator('.monaco-list-row', { hasText: 'Carol' })
        .first()
        .click();
    }
    await view.locator('#peer-title', { hasText: 'Carol' }).waitFor({ timeout: 15_000 });
    const text = 'sent from the secondary side bar';
    await view.locator('#composer textarea').click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await view.locator('.msg.out .body', { hasText: text }).waitFor({ timeout: 15_000 });
    await carol!.event('message', (e) => e.text === text, 30_000);
    await shot('secondary-side-bar');
    await runCommand(page, 'Tox: Move Conversation Back to the Tox Side Bar');
    await page
      .locator('.part.sidebar .pane-header', { hasText: /conversation/i })
      .first()
      .waitFor({ timeout: 15_000 });
    if (await aux.isVisible()) await runCommand(page, 'View: Hide Secondary Side Bar');
    await view.locator('#peer-title', { hasText: 'Carol' }).waitFor({ timeout: 15_000 });
  });

  it('themes: light, dark and high contrast, each with readable text', async () => {
    const initial = (await page.locator('.monaco-workbench').first().getAttribute('class')) ?? '';
    const seen: Record<string, Rgb> = {};
    for (const [name, label, klass, bodyClass] of [
      ['theme-light', 'Light Modern', 'vs', 'vscode-light'],
      ['theme-dark', 'Dark Modern', 'vs-dark', 'vscode-dark'],
      ['theme-high-contrast', 'Dark High Contrast', 'hc-black', 'vscode-high-contrast'],
    ] as const) {
      await pickTheme(page, label);
      await page.locator(`.monaco-workbench.${klass}`).waitFor({ timeout: 15_000 });
      await view.locator(`body.${bodyClass}`).waitFor({ timeout: 15_000 });
      const c = await view
        .locator('.msg.in .body', { hasText: 'never mind' })
        .last()
        .evaluate((el) => {
          const composer = getComputedStyle(document.querySelector('.composer')!);
          return {
            fg: getComputedStyle(el).color,
            bg: getComputedStyle(document.body).backgroundColor,
            border: composer.borderTopColor,
            borderWidth: composer.borderTopWidth,
          };
        });
      const [fg, bg] = [rgb(c.fg), rgb(c.bg)];
      seen[name] = fg;
      assert.ok(contrast(fg, bg) >= 4.5, `${name}: text ${c.fg} on ${c.bg} has contrast ${contrast(fg, bg).toFixed(2)}`);
      if (name === 'theme-light') assert.ok(luminance(fg) < luminance(bg), `${name}: dark text on light`);
      if (name === 'theme-dark') assert.ok(luminance(fg) > luminance(bg), `${name}: light text on dark`);
      if (name === 'theme-high-contrast') {
        const border = rgb(c.border);
        assert.ok(parseFloat(c.borderWidth) >= 1 && border.a > 0 && contrast(border, bg) >= 3, `${name}: the composer's border ${c.border} shows`);
      }
      await shot(name);
    }
    assert.notDeepEqual(seen['theme-light'], seen['theme-dark'], 'the text colour follows the theme');
    await pickTheme(page, /\bvs-dark\b/.test(initial) ? 'Dark Modern' : 'Light Modern');
  });

  it('the walkthrough', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough');
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get started with Tox' }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await page.locator('.gettingStartedContainer', { hasText: 'Create or unlock your profile' }).first().waitFor({ timeout: 15_000 });
    await shot('walkthrough');
  });
});
