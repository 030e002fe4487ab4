// `npm start` as a person uses it, minus set-up and packaging (scripts/start.sh does those
// first): dist/start.js with the packaged .vsix. It must print a URL and the echo bot's Tox
// ID; in Chromium at that URL, adding the bot through the UI and writing to it must bring
// the echo back; SIGINT must stop every process it started and remove its temporary files.
// start.js makes its own nested namespace inside the test namespace, as it would on a host.

import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Page } from 'playwright-core';
import { packageRoot } from '../../src/sys/packageRoot';
import { parseToxId } from '../../src/sys/toxAddress';
import { descendants, waitGone } from '../../tools/devhost/procs';
import { launchChromium } from '../helpers/browser';
import { vsixPath } from '../helpers/vscodeHost';
import { conversationView, openToxView, runCommand } from '../helpers/workbench';

describe('npm start (dist/start.js): VS Code with toxync and an echo bot on a local network', function () {
  this.timeout(120_000);
  const artifacts = join(packageRoot(), 'test-artifacts', 'start');
  let proc: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const out: string[] = [];
  let url = '';
  let botId = '';
  let runDir = '';

  before(async function () {
    this.timeout(120_000);
    mkdirSync(artifacts, { recursive: true });
    proc = spawn(process.execPath, [join(packageRoot(), 'dist', 'start.js'), '--vsix', vsixPath(), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: proc.stderr! }).on('line', (l) => out.push(l));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL within 90 s; output:\n${out.slice(-20).join('\n')}`)), 90_000);
      proc!.once('exit', (c) => reject(new Error(`start.js exited (${c}); output:\n${out.slice(-20).join('\n')}`)));
      createInterface({ input: proc!.stdout! }).on('line', (l) => {
        out.push(l);
        url = /VS Code with toxync:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(l)?.[1] ?? url;
        botId = /Tox ID of the echo bot:\s+([0-9A-F]{76})/.exec(l)?.[1] ?? botId;
        runDir = /Temporary files \(removed on exit\): (\S+)/.exec(l)?.[1] ?? runDir;
        if (l.includes('Ctrl-C stops everything')) (clearTimeout(t), resolve());
      });
    });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
  });

  it('prints the URL and a valid Tox ID for the echo bot', () => {
    assert.ok(url, out.join('\n'));
    assert.doesNotThrow(() => parseToxId(botId));
  });

  it('at that URL, the echo bot added through the UI answers a message', async () => {
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.locator('.statusbar-item', { hasText: 'Tox (direct): online' }).first().waitFor({ timeout: 60_000 });
    const contacts = await openToxView(page);
    await runCommand(page, 'Tox: Add Friend');
    await page.locator('.quick-input-widget', { hasText: '76 hexadecimal' }).waitFor({ timeout: 10_000 });
    await page.locator('.quick-input-widget input').fill(botId);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Friend request message' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    const row = contacts.locator('.monaco-list-row[aria-label*="online"]', { hasText: 'Echo bot' }).first();
    await row.waitFor({ timeout: 90_000 });
    await row.click();
    const view = conversationView(page);
    await view.locator('#composer textarea').click();
    await page.keyboard.type('hello, bot');
    await page.keyboard.press('Enter');
    await view.locator('.msg.in .body', { hasText: 'hello, bot' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(artifacts, 'echo.png') });
  });

  it('Ctrl-C (SIGINT) stops every process it started and removes its files', async () => {
    const tree = descendants(proc!.pid!);
    assert.ok(tree.length >= 4, `expected the namespace, code-server and two Tox nodes, found ${tree.length} processes`);
    const exited = new Promise<number | null>((r) => proc!.once('exit', (c) => r(c)));
    proc!.kill('SIGINT');
    assert.equal(await exited, 0);
    // The namespace's init stopped its children itself (not the kernel killing the namespace).
    assert.ok(
      out.some((l) => l.includes('stopped code-server and the Tox nodes')),
      out.slice(-10).join('\n'),
    );
    assert.deepEqual(await waitGone(tree, 5000), [], 'processes left behind');
    assert.ok(runDir && !existsSync(runDir), `temporary folder ${runDir} left behind`);
  });
});
