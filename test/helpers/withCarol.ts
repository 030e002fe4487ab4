// One code-server workbench befriended with Carol, a `toxync run` peer, her conversation open:
// the world of the look and pictures e2e suites (chat and groups need two workbenches, see
// twoWorkbenches.ts). No import side effects.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { bootstrapArg, CliPeer } from './peer';
import { startToxyncHost, type ToxyncHost, writeNodesFile } from './vscodeHost';
import { addFriendByCommand, conversationView, openToxView, openWorkbench } from './workbench';

export class WorkbenchWithCarol {
  seed: CliPeer | undefined;
  carol: CliPeer | undefined;
  host: ToxyncHost | undefined;
  browser: Browser | undefined;
  page!: Page;
  view!: FrameLocator;
  /** Our friend number on Carol's side. */
  carolSeesUs = -1;
  /** A scratch folder, removed by stop(). */
  work = '';

  /** `carolArgs` and `settings` get the scratch folder, for paths inside it. */
  async start(name: string, o: { carolArgs?: (work: string) => string[]; settings?: (work: string) => Record<string, unknown> } = {}): Promise<void> {
    this.seed = CliPeer.start(`${name}-seed`);
    const r = await this.seed.ready();
    this.work = join('/tmp', `tx-${name}-${process.pid}`);
    mkdirSync(this.work, { recursive: true });
    const nodesFile = writeNodesFile(this.work, r.udp_port!, r.dht_id);
    const carol = (this.carol = CliPeer.start('carol', [...(await bootstrapArg(this.seed)), '--accept-friends', ...(o.carolArgs?.(this.work) ?? [])]));
    await carol.command({ cmd: 'set_name', name: 'Carol' });
    this.host = await startToxyncHost(name, nodesFile, o.settings ? { settings: o.settings(this.work) } : {});
    this.browser = await launchChromium();
    const page = (this.page = await (await this.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage());
    await openWorkbench(page, this.host.origin, this.host.dirs.workspace);
    await page.locator('.statusbar-item', { hasText: 'online' }).first().waitFor({ timeout: 60_000 });
    const contacts = await openToxView(page);
    await addFriendByCommand(page, (await carol.ready()).address);
    const row = contacts.locator('.monaco-list-row[aria-label*="online"]', { hasText: 'Carol' }).first();
    await row.waitFor({ timeout: 90_000 });
    this.carolSeesUs = (await carol.event('friend_connection', (e) => e.status !== 'none', 60_000)).friend;
    await row.click();
    this.view = conversationView(page);
    await this.view.locator('#peer-title', { hasText: 'Carol' }).waitFor({ timeout: 20_000 });
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await this.host?.stop();
    for (const p of [this.carol, this.seed]) {
      await p?.stop();
      p?.cleanup();
    }
    if (this.work) rmSync(this.work, { recursive: true, force: true });
  }
}
