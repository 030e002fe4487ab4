// The extension's API-level tests (test/in-exthost/*.test.ts) inside code-server's real
// extension host, against the extension installed from the packaged .vsix — the way
// @vscode/test-web does it: the workbench URL carries extensionDevelopmentPath and
// extensionTestsPath in its `payload`, VS Code runs the tests after start and reports the exit
// code through window.codeAutomationExit. Each in-host result becomes a test here. Meanwhile
// the browser records every text of the Tox status-bar item, so the supervisor's restart is
// checked where the user sees it.

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { packageRoot } from '../../src/sys/packageRoot';
import { isResults, type ExtTestResult } from '../in-exthost/results';
import { launchChromium } from '../helpers/browser';
import { CliPeer } from '../helpers/peer';
import { startToxyncHost, type ToxyncHost, writeNodesFile } from '../helpers/vscodeHost';
import { recordStatusBar, statusTexts } from '../helpers/workbench';

describe('extension tests in code-server’s extension host', function () {
  const suite: Mocha.Suite = this;
  this.timeout(300_000);
  const artifacts = join(packageRoot(), 'test-artifacts', 'exthost');
  let seed: CliPeer | undefined;
  let host: ToxyncHost | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let work = '';
  let exitCode: number | null = null;
  let results: ExtTestResult[] = [];
  let seen: string[] = [];
  const consoleLines: string[] = [];

  before(async function () {
    mkdirSync(artifacts, { recursive: true });
    work = mkdtempSync('/tmp/tx-ehw-');
    seed = CliPeer.start('exthost-seed');
    const r = await seed.ready();
    const nodesFile = writeNodesFile(work, r.udp_port!, r.dht_id);
    const resultsFile = join(work, 'results.json');
    host = await startToxyncHost('eh', nodesFile, {
      env: (extensionPath) => ({
        TOXYNC_EXTTEST_RESULTS: resultsFile,
        TOXYNC_EXPECT_NODES_FILE: nodesFile,
        TOXYNC_EXPECT_EXTENSION_PATH: extensionPath,
      }),
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // vscode.env.clipboard in code-server is the browser's clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
    page = await context.newPage();
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    await recordStatusBar(page);
    const exited = new Promise<number>((resolve) => void page!.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    const remote = (p: string) => `vscode-remote://127.0.0.1:${host!.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(host.extensionPath)],
      ['extensionTestsPath', remote(join(packageRoot(), 'out', 'test', 'in-exthost', 'index.js'))],
    ];
    await page.goto(`${host.origin}/?folder=${encodeURIComponent(host.dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer: NodeJS.Timeout | undefined;
    exitCode = await Promise.race([exited, new Promise<null>((r) => (timer = setTimeout(() => r(null), 240_000)))]);
    clearTimeout(timer); // a pending timer would keep mocha from exiting
    seen = await statusTexts(page);
    await page.screenshot({ path: join(artifacts, 'after-tests.png') }).catch(() => undefined);
    if (existsSync(resultsFile)) {
      const parsed: unknown = JSON.parse(readFileSync(resultsFile, 'utf8'));
      if (isResults(parsed)) results = parsed;
    }
    // One test here per test that ran in the extension host, ahead of the checks below.
    const own = suite.tests.splice(0);
    for (const r of results) {
      suite.addTest(
        new Mocha.Test(`[extension host] ${r.title}`, () => {
          if (!r.ok) throw new Error(r.error ?? 'failed');
        }),
      );
    }
    for (const t of own) suite.addTest(t);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await host?.stop();
    await seed?.stop();
    seed?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the extension host ran every test file and exited 0', () => {
    const lines = consoleLines
      .filter((l) => l.includes('[Extension Host]'))
      .slice(-30)
      .join('\n');
    assert.notEqual(exitCode, null, `the tests did not finish within 240 s; extension host said:\n${lines}`);
    assert.ok(results.length >= 6, `only ${results.length} results came back; extension host said:\n${lines}`);
    assert.equal(exitCode, 0, `exit code ${exitCode}`);
  });

  it('the status bar in the browser showed the node restarting, then online again', () => {
    const restart = seen.findIndex((t) => /restarting/.test(t));
    assert.ok(restart >= 0, `the status bar never showed "restarting": ${seen.join(' → ')}`);
    assert.ok(
      seen.slice(restart + 1).some((t) => /Tox \(direct\): online/.test(t)),
      `not online after the restart: ${seen.join(' → ')}`,
    );
  });
});
