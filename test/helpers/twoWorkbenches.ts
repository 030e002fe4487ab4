// The e2e chat's world: a seed Tox node, two code-server hosts (Alice and Bob) with the
// packaged .vsix, and one Chromium with a browser context per side; Alice's carries the
// workbench probe. Screenshots of both sides go to test-artifacts/e2e/, numbered in step order.
// No import side effects (every .ts under test/ is bundled as an entry).

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { packageRoot } from '../../src/sys/packageRoot';
import { launchChromium } from './browser';
import { png } from './images';
import { CliPeer } from './peer';
import { startToxyncHost, type ToxyncHost, writeNodesFile } from './vscodeHost';
import { contextMenuItem, conversationView, explorerRow, recordStatusBar } from './workbench';
import { WorkbenchProbe } from './workbenchProbe';

export const ARTIFACTS = join(packageRoot(), 'test-artifacts', 'e2e');
/** What Alice shares from her Explorer. */
export const SHARED_TEXT = 'meeting-notes.txt';
export const SHARED_BIN = 'design-draft.bin';

export interface Side {
  name: 'Alice' | 'Bob';
  host: ToxyncHost;
  context: BrowserContext;
  page: Page;
  contacts?: Locator;
}

export class TwoWorkbenches {
  readonly sides: Side[] = [];
  seed: CliPeer | undefined;
  browser: Browser | undefined;
  probe!: WorkbenchProbe;
  work = '';
  bobDownloads = '';
  private step = 0;

  /** `artifacts`: where shot() writes; start() empties it first. */
  constructor(private readonly artifacts = ARTIFACTS) {}

  get alice(): Side {
    return this.sides[0]!;
  }

  get bob(): Side {
    return this.sides[1]!;
  }

  /** Starts everything; stop() cleans up whatever a failed start left. */
  async start(): Promise<void> {
    rmSync(this.artifacts, { recursive: true, force: true });
    mkdirSync(this.artifacts, { recursive: true });
    this.work = mkdtempSync('/tmp/tx-e2e-');
    this.seed = CliPeer.start('e2e-seed');
    const r = await this.seed.ready();
    const nodesFile = writeNodesFile(this.work, r.udp_port!, r.dht_id);
    this.bobDownloads = join(this.work, 'bob-downloads');
    mkdirSync(this.bobDownloads);
    const [ha, hb] = await Promise.all([
      startToxyncHost('alice', nodesFile, { settings: { 'explorer.autoReveal': false } }),
      startToxyncHost('bob', nodesFile, { settings: { 'toxync.files.downloadFolder': this.bobDownloads } }),
    ]);
    // What Alice shares from her Explorer: a text file and 3 MiB of random bytes, led by NULs
    // so the click that selects it opens it as binary (as text, random bytes may bring up a
    // modal about unusual line terminators); and her avatar.
    writeFileSync(join(ha.dirs.workspace, SHARED_TEXT), 'Notes from Alice — ünïcödé, shared from the Explorer.\n');
    writeFileSync(join(ha.dirs.workspace, SHARED_BIN), Buffer.concat([Buffer.alloc(64), randomBytes(3 * 2 ** 20 - 64)]));
    writeFileSync(join(ha.dirs.workspace, 'avatar.png'), png(48, 48));
    this.browser = await launchChromium();
    for (const [name, host] of [
      ['Alice', ha],
      ['Bob', hb],
    ] as const) {
      const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
      if (name === 'Alice') this.probe = await WorkbenchProbe.install(context);
      const page = await context.newPage();
      if (name === 'Alice') this.probe.watch(page);
      await recordStatusBar(page);
      this.sides.push({ name, host, context, page });
    }
  }

  /** "Share via Tox…" on a file in Alice's Explorer; returns the quick pick row matching `who`. */
  async sharePicker(who: string): Promise<Locator> {
    const p = this.alice.page;
    const file = await explorerRow(p, SHARED_TEXT);
    await file.click();
    await file.click({ button: 'right' });
    const item = contextMenuItem(p, 'Share via Tox…');
    await item.waitFor({ timeout: 10_000 });
    await item.click();
    const row = p.locator('.quick-input-widget .monaco-list-row', { hasText: who }).first();
    // A click that lands while the menu is still opening only highlights the item: Enter runs it.
    if (
      !(await row.waitFor({ timeout: 3_000 }).then(
        () => true,
        () => false,
      )) &&
      (await item.isVisible())
    )
      await p.keyboard.press('Enter');
    await row.waitFor({ timeout: 10_000 });
    return row;
  }

  /** One screenshot per side, numbered in step order. */
  async shot(name: string): Promise<void> {
    this.step++;
    for (const s of this.sides)
      await s.page
        .screenshot({ path: join(this.artifacts, `${String(this.step).padStart(2, '0')}-${name}-${s.name.toLowerCase()}.png`) })
        .catch(() => undefined);
  }

  /** Stops the browser, both hosts, `peers` and the seed, and removes the work dir. */
  async stop(peers: (CliPeer | undefined)[] = []): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await Promise.all(this.sides.map((s) => s.host.stop()));
    for (const p of [...peers, this.seed]) {
      await p?.stop();
      p?.cleanup();
    }
    if (this.work) rmSync(this.work, { recursive: true, force: true });
  }
}

/** `from` opens the chat with `to`, sends `text`; it must reach `delivered` there and show up on the other side. */
export async function sendAndSee(from: Side, to: Side, text: string): Promise<string> {
  await from.contacts!.locator('.monaco-list-row', { hasText: to.name }).first().click();
  const view = conversationView(from.page);
  await view.locator('#peer-title', { hasText: to.name }).waitFor({ timeout: 20_000 });
  await view.locator('#composer textarea').click();
  await from.page.keyboard.type(text, { delay: 5 });
  await from.page.keyboard.press('Enter');
  const out = view.locator('.msg.out', { hasText: text }).first();
  await out.waitFor({ timeout: 15_000 });
  await out.locator('.state.delivered').waitFor({ timeout: 30_000 });
  const state = `${await out.locator('.state').innerText()} (${await out.locator('.state').getAttribute('title')})`;
  await to.contacts!.locator('.monaco-list-row', { hasText: from.name }).first().click();
  const other = conversationView(to.page);
  await other.locator('#peer-title', { hasText: from.name }).waitFor({ timeout: 20_000 });
  await other.locator('.msg.in .body', { hasText: text }).first().waitFor({ timeout: 30_000 });
  return state;
}
