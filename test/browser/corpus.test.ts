// Hostile text through the real webview: the built bundle, the exact page webviewHtml() serves
// (real CSP, real nonce), in Debian's Chromium. Every payload of the vendored XSS lists and of
// our own set is shown in every place peer text lands — message, action, file name, name
// with and without an alias, status message, typing line, friend request, notice — and after
// each one the light DOM must hold only what the renderer creates, every text must read as
// visibleForm(input), and no script may ever run. Positive controls first, so a silent
// canary or a blind DOM checker cannot make the corpus pass.

import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { visibleForm } from '../../src/common/text';
import { contentSecurityPolicy } from '../../src/extension/webviewHtml';
import { HOSTILE_PAYLOADS } from '../fixtures/hostile-payloads';
import { sleep } from '../helpers/wait';
import { type Probe, type ProbedPage, webviewPages } from '../helpers/browser';
import { CHUNK, findings, INIT, loadCorpus, MAX_ALIAS, msg, peer, preview, ROLES, run, STEPS, stepsFor, type StepResult } from '../helpers/webviewCorpus';

describe('the webview in Chromium under its real CSP', function () {
  this.timeout(120_000);
  const world = webviewPages();
  const server = () => world.server();

  async function webview(): Promise<ProbedPage> {
    const p = await world.open(server().pageUrl);
    await p.page.evaluate((m) => window.postMessage(m, '*'), INIT);
    return p;
  }

  it('serves the exact page: the CSP with its nonce, and the bundle says ready', async () => {
    const p = await webview();
    const csp = await p.page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
    const nonce = await p.page.evaluate(() => document.scripts[0]?.nonce ?? '');
    assert.ok(nonce.length >= 16, 'the bundle script carries a nonce');
    assert.equal(csp, contentSecurityPolicy(server().origin, nonce));
    const posted = await p.probe((probe) => probe.posted);
    // `ready`, then the page's width (a narrow side bar opens friends in an editor tab).
    assert.deepEqual(posted, [{ type: 'ready' }, { type: 'viewport', width: 900 }]);
    assert.deepEqual(await p.probe((probe) => probe.check().problems), []);
    assert.deepEqual(p.pageErrors, []);
  });

  it('positive control: the canary and the dialog listener do catch a script that runs', async () => {
    // A page with the probe and no CSP: injected markup runs there, so the canary must fire.
    const open = await world.open(server().noCspUrl);
    await open.page.evaluate(() => alert(1));
    await open.page.evaluate(() => {
      document.getElementById('app')!.innerHTML = '<img src="/missing.png" onerror="__canary()">';
    });
    await open.page.waitForFunction(() => (window as unknown as { __toxyncProbe: Probe }).__toxyncProbe.fired.length >= 2, undefined, {
      timeout: 5000,
    });
    assert.deepEqual(await open.probe((probe) => probe.fired), ['alert', '__canary']);
    // Without the probe a real dialog opens, and the listener sees it.
    const bare = await world.open(server().noCspUrl, { probe: false });
    await bare.page.evaluate(() => setTimeout(() => alert('dialog control'), 0));
    for (let i = 0; i < 50 && bare.dialogs.length === 0; i++) await sleep(50);
    assert.deepEqual(bare.dialogs, ['alert: dialog control']);
  });

  it('positive control: the DOM checker reports what the renderer never creates, and the CSP blocks an inline handler', async () => {
    const p = await webview();
    await run(p, [{ msg: { type: 'conversation', peer: peer({}), messages: [msg('x', 'normal', 'hello')] }, expect: {} }]);
    assert.deepEqual(await p.probe((probe) => probe.check().problems), []);
    await p.page.evaluate(() => {
      const body = document.querySelector('.msg .body')!;
      // Built with DOM calls from the test (not through the renderer): exactly what a renderer bug would leave.
      const img = document.createElement('img');
      img.setAttribute('src', '/missing.png');
      img.setAttribute('onerror', '__canary()');
      const a = document.createElement('a');
      a.setAttribute('href', 'javascript:__canary()');
      const span = document.createElement('span');
      span.setAttribute('onclick', '__canary()');
      span.setAttribute('style', 'color:red');
      span.setAttribute('data-x', '1');
      // The GIF composer's preview is allowed only as itself: in its box, with a GIF data: URI.
      const box = document.createElement('div');
      box.className = 'gif-preview-box';
      const fake = document.createElement('img');
      fake.className = 'gif-preview';
      fake.setAttribute('src', '/missing.png');
      box.append(fake);
      body.append(img, a, span, box);
    });
    const problems = await p.probe((probe) => probe.check().problems);
    const expected = [
      /element the renderer never creates: <img>/,
      /event handler attribute onerror/,
      /URL attribute src/,
      /<a>/,
      /URL attribute href/,
      /event handler attribute onclick/,
      /style attribute "color:red" on <span>/,
      /attribute data-x/,
      /injection sink/,
      /URL attribute src on <img\.gif-preview>/,
    ];
    for (const re of expected)
      assert.ok(
        problems.some((x) => re.test(x)),
        `checker missed ${re}: ${JSON.stringify(problems)}`,
      );
    // The img fails to load; its inline onerror is refused by script-src and reported.
    for (let i = 0; i < 50 && p.cspConsole.length === 0; i++) await sleep(50);
    assert.ok(p.cspConsole.length > 0, 'the CSP reported the blocked inline handler');
    assert.ok(
      (await p.probe((probe) => probe.violations)).some((v) => v.startsWith('script-src')),
      'securitypolicyviolation for script-src',
    );
    assert.deepEqual(await p.probe((probe) => probe.fired), []);
  });

  it('links: only https and the Conti base become links, and a click only asks the host', async () => {
    const p = await webview();
    const refused = [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'command:x',
      'vscode:x',
      'file:///etc/passwd',
      'data:text/html,x',
      'http://example.org',
      'https://user:pw@example.org/',
    ];
    const messages = [msg('ok', 'normal', 'see https://example.org/x.'), ...refused.map((u, i) => msg(`r${i}`, 'normal', `go ${u} now`))];
    const expect: Record<string, string | null> = {};
    for (const m of messages) expect[`.msg[data-id="${m.id}"] .body`] = visibleForm(m.text);
    const [r] = await run(p, [{ msg: { type: 'conversation', peer: peer({}), messages }, expect }]);
    assert.ok(r);
    assert.deepEqual(findings({ msg: null, expect }, r), []);
    const opened = JSON.stringify({ type: 'open_link', url: 'https://example.org/x' });
    assert.deepEqual(r.links, [{ tag: 'SPAN', cls: 'link', title: 'https://example.org/x', text: 'https://example.org/x', href: false, opened: [opened] }]);
    for (let i = 0; i < refused.length; i++) assert.equal(await p.page.locator(`.msg[data-id="r${i}"] [role="link"]`).count(), 0, refused[i]);

    const link = p.page.locator('.msg[data-id="ok"] span.link');
    await link.click();
    await link.press('Enter');
    const opens = (await p.probe((probe) => probe.posted)).filter((m) => (m as { type?: unknown }).type === 'open_link');
    assert.deepEqual(opens, [
      { type: 'open_link', url: 'https://example.org/x' },
      { type: 'open_link', url: 'https://example.org/x' },
    ]);
    assert.deepEqual(p.navigations, [], 'a click never navigates the webview');

    // A Conti base on plain http: its URLs (and only those) are links, since https alone would not tell.
    const conti = await world.open(server().pageUrl);
    await conti.page.evaluate((m) => window.postMessage({ ...m, conti_base_url: 'http://conti.example.org/base/' }, '*'), INIT);
    await run(conti, [
      {
        msg: {
          type: 'conversation',
          peer: peer({}),
          messages: [msg('c1', 'normal', 'alert http://conti.example.org/base/alerts/42'), msg('c2', 'normal', 'not http://conti.example.org/other')],
        },
        expect: {},
      },
    ]);
    assert.equal(await conti.page.locator('.msg[data-id="c2"] [role="link"]').count(), 0);
    const c1 = conti.page.locator('.msg[data-id="c1"] span.link');
    assert.equal(await c1.count(), 1);
    await c1.click();
    assert.deepEqual(
      (await conti.probe((probe) => probe.posted)).filter((m) => (m as { type?: unknown }).type === 'open_link'),
      [{ type: 'open_link', url: 'http://conti.example.org/base/alerts/42' }],
    );
  });

  it('corpus: every payload in every role renders as inert, visible text', async () => {
    const started = Date.now();
    const { payloads, lines, files } = loadCorpus();
    assert.ok(payloads.length > 2000, `corpus too small: ${payloads.length}`);
    const p = await webview();
    const failures: string[] = [];
    let truncated = 0;
    let links = 0;
    for (let i = 0; i < payloads.length; i += CHUNK) {
      const chunk = payloads.slice(i, i + CHUNK);
      const steps = chunk.flatMap((x) => stepsFor(x.text));
      let results: StepResult[];
      let late: string[];
      try {
        results = await run(p, steps);
        // Custom elements update (and reflect attributes) a microtask or a frame later:
        // check the settled DOM too.
        late = await p.probe((pr) => new Promise<string[]>((resolve) => requestAnimationFrame(() => resolve(pr.check().problems))));
      } catch (e) {
        // The page itself went away: a payload navigated it, or the renderer hung or crashed.
        const what = chunk.map((x) => `${x.source} ${preview(x.text)}`).join('\n  ');
        const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
        throw new Error(`rendering failed (${why}); last navigations: ${JSON.stringify(p.navigations.slice(-3))}; the chunk was:\n  ${what}`);
      }
      links += results.reduce((n, r) => n + r.links.length, 0);
      steps.forEach((s, k) => {
        const payload = chunk[Math.floor(k / STEPS)]!;
        const r = results[k];
        const found = r ? findings(s, r) : ['no result'];
        for (const f of found) failures.push(`${payload.source} ${preview(payload.text)} (step ${k % STEPS}): ${f}`);
      });
      for (const f of late) failures.push(`after the chunk ending with ${preview(chunk[chunk.length - 1]?.text ?? '')}: ${f}`);
      truncated += chunk.filter((x) => x.text.length > MAX_ALIAS).length;
    }
    // Give anything asynchronous (image errors, timers, animations) its chance to fire.
    await sleep(500);
    const probe = await p.probe((pr) => ({ fired: pr.fired, posted: pr.posted, violations: pr.violations.length }));
    const seen = probe.posted.filter((m) => (m as { type?: unknown }).type === 'seen').length;
    const ms = Date.now() - started;
    console.log(
      `      corpus: ${payloads.length} payloads (${lines} lines from ${files} vendored files + ${HOSTILE_PAYLOADS.length} own, duplicates removed; ` +
        `${truncated} cut to field limits) × ${ROLES} roles + notice, ${links} links drawn and clicked, ${probe.fired.length} scripts ran, ` +
        `${p.cspConsole.length} CSP violations blocked, ${ms} ms`,
    );
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} findings`);
    assert.deepEqual(probe.fired, [], 'a payload ran script');
    assert.deepEqual(p.dialogs, [], 'a payload opened a dialog');
    assert.deepEqual(p.navigations, [], 'a payload navigated');
    assert.deepEqual(p.pageErrors, [], 'the webview threw');
    assert.deepEqual(
      p.console.filter((c) => /dropped an invalid message/.test(c)),
      [],
      'a test message was dropped',
    );
    // Every conversation got through the guard (one `seen` each; an append adds one when the
    // page has focus), and no payload made the webview ask the host for anything.
    assert.ok(seen >= payloads.length, `${seen} seen for ${payloads.length} conversations`);
    assert.deepEqual([...new Set(probe.posted.map((m) => (m as { type?: unknown }).type))].sort(), ['ready', 'seen', 'viewport']);
  });
});
