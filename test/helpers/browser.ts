// The webview as VS Code serves it, in Debian's Chromium driven by playwright-core: the exact
// page from webviewHtml() (real CSP, real nonce) and the real dist/webview bundle, served by a
// loopback HTTP server. Each page gets a probe installed before any page script runs: the
// `acquireVsCodeApi` stub that records what the webview posts, a canary that records any call
// to alert/confirm/prompt/print/__canary, and a DOM checker that knows the only elements and
// attributes the renderer creates. No import side effects: every .ts under test/ is an entry.

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { packageRoot } from '../../src/sys/packageRoot';
import { makeNonce, webviewHtml } from '../../src/extension/webviewHtml';
import { assertLoopbackOnly } from './netns';

export const CHROMIUM = '/usr/bin/chromium';

/** What the probe exposes as `window.__toxyncProbe` inside the page. */
export interface Probe {
  /** Names of canary functions that were called (alert, confirm, prompt, print, __canary). */
  fired: string[];
  /** Every message the webview posted to the host, as JSON copies. */
  posted: unknown[];
  /** `securitypolicyviolation` events seen by the page: "directive blocked-uri". */
  violations: string[];
  /** Checks the light DOM under #app and the body-level notices; returns what is wrong. */
  check(): DomReport;
}

export interface DomReport {
  /** Elements or attributes the renderer never creates (empty when all is well). */
  problems: string[];
  /** Every title / aria-* / placeholder value under #app: they must hold no invisible code points. */
  attrTexts: string[];
}

export type ProbeWindow = Window & { __toxyncProbe: Probe };

/**
 * Runs inside the page before its own scripts (addInitScript is not subject to the CSP).
 * Self-contained on purpose: playwright sends this function's source text, not a closure.
 */
export function installProbe(): void {
  const fired: string[] = [];
  const posted: unknown[] = [];
  const violations: string[] = [];
  // Payloads call alert/prompt/confirm/print, or __canary() in our own set. Any call means a
  // script ran; the override (not a native dialog) also keeps a run from blocking the page.
  for (const name of ['alert', 'confirm', 'prompt', 'print', '__canary']) {
    Object.defineProperty(window, name, {
      value: () => {
        fired.push(name);
        return null;
      },
      writable: false,
      configurable: false,
    });
  }
  Object.defineProperty(window, 'acquireVsCodeApi', {
    value: () => ({
      postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m)) as unknown),
      getState: () => undefined,
      setState: () => undefined,
    }),
  });
  document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));

  // The renderer's vocabulary (src/webview): anything else in the light DOM came from input.
  const tags = new Set(['DIV', 'SPAN', 'STRONG', 'EM', 'HEADER', 'SECTION', 'H2', 'P', 'VSCODE-BUTTON', 'VSCODE-TEXTAREA', 'VSCODE-TEXTFIELD']);
  // data-style, label, maxlength, disabled: the GIF composer's style chips, text field and Send.
  const attrs = new Set([
    'class',
    'id',
    'role',
    'tabindex',
    'title',
    'data-id',
    'secondary',
    'placeholder',
    'rows',
    'resize',
    'hidden',
    'icon-only',
    'data-style',
    'label',
    'maxlength',
    'disabled',
  ]);
  // The one picture the renderer creates in a conversation without inline images: the GIF
  // composer's preview, empty or holding a GIF data: URI the host made (nothing else passes).
  const isGifPreview = (e: Element): boolean => e.tagName === 'IMG' && e.className === 'gif-preview' && e.parentElement?.className === 'gif-preview-box';
  const GIF_DATA = /^data:image\/gif;base64,[A-Za-z0-9+/]+={0,2}$/;
  const urlAttrs = new Set(['href', 'src', 'srcdoc', 'srcset', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'ping']);
  // Subsumed by the tag allowlist; kept so a failure names the classic injection sinks plainly.
  const sinks = 'script,iframe,img,svg,object,embed,a,form,style,link,meta,base,math,template,frame,frameset,video,audio,input,button,textarea';
  const htmlNs = 'http://www.w3.org/1999/xhtml';

  const label = (e: Element): string =>
    `<${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ').join('.')}` : ''}>`;

  const check = (): DomReport => {
    const problems: string[] = [];
    const attrTexts: string[] = [];
    const app = document.getElementById('app');
    if (!app) return { problems: ['#app is gone'], attrTexts };
    // The page itself must be exactly what webviewHtml() produced: one script, the CSP meta.
    if (document.scripts.length !== 1) problems.push(`document has ${document.scripts.length} <script> elements`);
    const head = Array.from(document.head.children, (e) => e.tagName).join(',');
    if (head !== 'META,META,META,LINK,TITLE') problems.push(`<head> changed: ${head}`);
    const extra = document.querySelector('iframe,frame,object,embed,base,form');
    if (extra) problems.push(`document contains ${label(extra)}`);
    const roots: Element[] = [app];
    for (const child of Array.from(document.body.children)) {
      if (child === app || child.tagName === 'SCRIPT') continue;
      if (child.tagName === 'DIV' && child.classList.contains('notice')) roots.push(child);
      else problems.push(`unexpected body child ${label(child)}`);
    }
    for (const root of roots) {
      const sink = Array.from(root.querySelectorAll(sinks)).find((e) => !isGifPreview(e));
      if (sink) problems.push(`injection sink ${label(sink)}`);
      for (const e of [root, ...Array.from(root.querySelectorAll('*'))]) {
        const preview = isGifPreview(e);
        if ((!tags.has(e.tagName) && !preview) || e.namespaceURI !== htmlNs) problems.push(`element the renderer never creates: ${label(e)}`);
        for (const a of Array.from(e.attributes)) {
          const n = a.name.toLowerCase();
          if (n.startsWith('on')) problems.push(`event handler attribute ${n} on ${label(e)}`);
          else if (preview && (n === 'alt' || (n === 'src' && GIF_DATA.test(a.value)))) continue;
          else if (urlAttrs.has(n)) problems.push(`URL attribute ${n} on ${label(e)}`);
          else if (n === 'style') {
            // The virtual list positions rows and sizes its spacer; nothing else has a style.
            const ok = e.classList.contains('vlist-row')
              ? /^transform: translateY\(-?[\d.]+px\);$/
              : e.classList.contains('vlist-spacer')
                ? /^height: [\d.]+px;$/
                : null;
            if (!ok || !ok.test(a.value)) problems.push(`style attribute "${a.value}" on ${label(e)}`);
          } else if (n === 'type') {
            // <vscode-button> and <vscode-textfield> reflect their own default type; the renderer never sets one.
            const own = (e.tagName === 'VSCODE-BUTTON' && a.value === 'button') || (e.tagName === 'VSCODE-TEXTFIELD' && a.value === 'text');
            if (!own) problems.push(`attribute type="${a.value}" on ${label(e)}`);
          } else if (!attrs.has(n) && !n.startsWith('aria-')) problems.push(`attribute ${n} on ${label(e)}`);
          if (n === 'title' || n === 'placeholder' || n.startsWith('aria-')) attrTexts.push(a.value);
        }
      }
    }
    return { problems, attrTexts };
  };

  const probe: Probe = { fired, posted, violations, check };
  Object.defineProperty(window, '__toxyncProbe', { value: probe });
}

export interface WebviewServer {
  /** http://127.0.0.1:PORT — also the page's cspSource. */
  origin: string;
  /** The webview page (a fresh nonce per request, like a fresh webview). */
  pageUrl: string;
  /** A page without any CSP, for the positive control that the canary can fire. */
  noCspUrl: string;
  close(): Promise<void>;
}

/** Serves the exact webviewHtml() output and the built bundle from 127.0.0.1 on a random port. */
export async function startWebviewServer(): Promise<WebviewServer> {
  const dist = join(packageRoot(), 'dist', 'webview');
  const files: Record<string, { type: string; body: Buffer }> = {
    '/webview.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(dist, 'webview.js')) },
    '/style.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(dist, 'style.css')) },
    // style.css loads the codicon font from beside itself (font-src: the webview folder).
    '/codicon.ttf': { type: 'font/ttf', body: readFileSync(join(dist, 'codicon.ttf')) },
  };
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') {
      const html = webviewHtml({
        cspSource: origin,
        scriptUri: `${origin}/webview.js`,
        styleUri: `${origin}/style.css`,
        nonce: makeNonce(),
        title: 'toxync',
      });
      send(200, 'text/html; charset=utf-8', html);
    } else if (path === '/no-csp') {
      send(
        200,
        'text/html; charset=utf-8',
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>no CSP</title></head><body><div id="app"></div></body></html>',
      );
    } else {
      const f = files[path];
      if (f) send(200, f.type, f.body);
      else send(404, 'text/plain', 'not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: `${origin}/`,
    noCspUrl: `${origin}/no-csp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Debian's Chromium, quiet and offline; playwright gives it a fresh temporary profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Nothing but the test server resolves, so no payload can reach anywhere else.
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
}

/** One page with the probe installed, and everything the browser reports about it. */
export interface ProbedPage {
  page: Page;
  /** Native dialogs that opened (the probe's overrides should make this impossible). */
  dialogs: string[];
  /** Console errors naming the Content Security Policy (something was blocked). */
  cspConsole: string[];
  /** Other console errors and warnings. */
  console: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Main-frame navigations after the first load, and popups: both would mean a link or script acted. */
  navigations: string[];
  /** Runs `fn` in the page with the probe (and a string argument); `fn` must be self-contained. */
  probe<T>(fn: (p: Probe, arg: string) => T, arg?: string): Promise<T>;
  close(): Promise<void>;
}

export async function openProbedPage(browser: Browser, url: string, opts: { probe?: boolean } = {}): Promise<ProbedPage> {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  const r: ProbedPage = {
    page,
    dialogs: [],
    cspConsole: [],
    console: [],
    pageErrors: [],
    navigations: [],
    probe: async <T>(fn: (p: Probe, arg: string) => T, arg = '') => {
      const h = await page.evaluateHandle(() => (window as unknown as ProbeWindow).__toxyncProbe);
      try {
        return await h.evaluate(fn, arg);
      } finally {
        await h.dispose();
      }
    },
    close: () => context.close(),
  };
  if (opts.probe !== false) await page.addInitScript(installProbe);
  page.on('dialog', (d) => {
    r.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    if (/Content Security Policy/i.test(m.text())) r.cspConsole.push(m.text());
    else r.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => r.pageErrors.push(e.message));
  page.on('popup', (p) => r.navigations.push(`popup ${p.url()}`));
  let loaded = false;
  page.on('framenavigated', (f) => {
    if (f !== page.mainFrame()) r.navigations.push(`subframe ${f.url()}`);
    else if (loaded) r.navigations.push(`navigated to ${f.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  loaded = true;
  return r;
}

/** For a mocha `describe`: the webview server and Chromium start before its tests (with only
 *  loopback to reach), and every page opened through `open` closes after them. */
export function webviewPages(): {
  server: () => WebviewServer;
  open: (url: string, opts?: { probe?: boolean }) => Promise<ProbedPage>;
} {
  let server: WebviewServer | undefined;
  let browser: Browser | undefined;
  const pages: ProbedPage[] = [];
  before(async () => {
    // Chromium must see nothing but loopback: the page and payloads can reach no one.
    assertLoopbackOnly();
    server = await startWebviewServer();
    browser = await launchChromium();
  });
  after(async () => {
    await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
    await browser?.close();
    await server?.close();
  });
  return {
    server: () => server!,
    open: async (url, opts) => {
      const p = await openProbedPage(browser!, url, opts);
      pages.push(p);
      return p;
    },
  };
}
