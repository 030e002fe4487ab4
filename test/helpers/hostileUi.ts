// What the e2e chat's hostile peer sends, and the checks that Alice's UI shows it as text:
// corpus payloads for names, status, requests, messages and file names; names aimed at VS
// Code's own surfaces (icon syntax, command links); a CSP-violation listener for the webview
// document and the DOM sinks a payload could create. No import side effects.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { packageRoot } from '../../src/sys/packageRoot';
import { HOSTILE_PAYLOADS } from '../fixtures/hostile-payloads';

export const HOSTILE_NAME = '"><img src=x onerror=__canary()>';
export const HOSTILE_STATUS = '<svg onload=__canary()> javascript:alert(1)';
export const HOSTILE_REQUEST = 'mallory wants in <script>__canary()</script><a href="javascript:__canary()">accept</a>';
export const LAST = 'end of the hostile corpus';
export const IMG = '<img src=x onerror=__canary()>';
export const HOSTILE_FILE = '../../<img src=x onerror=__canary()>\u202Egnp.exe';
export const SAFE_FILE = '_img src=x onerror=__canary()_gnp.exe';
/** Names that try VS Code's own surfaces: icon syntax for pickers (a fake badge, hidden text),
 *  then a command link for notifications and dialogs, with a bidi override. */
export const ICON_NAME = '$(verified-filled) Conti pager Alice$(x)';
export const LINK_NAME = '[Details](command:workbench.action.quit) \u202Eexe';

/** Script-shaped payloads: our own set plus the polyglot list, each a Tox message. */
export function hostileMessages(): string[] {
  const own = HOSTILE_PAYLOADS.filter((p) => /__canary|alert|javascript:/i.test(p.text) && Buffer.byteLength(p.text) < 1300).map((p) => p.text);
  const polyglots = readFileSync(join(packageRoot(), 'test', 'fixtures', 'xss', 'patt-XSS_Polyglots.txt'), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() && Buffer.byteLength(l) < 1300)
    .slice(0, 10);
  return [...own, ...polyglots];
}

type ArmedDocument = Document & { __toxyncArmed?: boolean };

/**
 * Adds a `securitypolicyviolation` listener to the webview's current document. VS Code writes
 * the webview's page with document.open(), which erases listeners an init script added
 * earlier, so this runs once the page is there; the flag lives on the document, so `armed`
 * tells whether that same document is still the one shown.
 */
export async function armWebview(view: FrameLocator): Promise<void> {
  await view.locator('body').evaluate(() => {
    const d = document as ArmedDocument;
    if (d.__toxyncArmed) return;
    d.__toxyncArmed = true;
    const report = (window as unknown as { __toxyncProbeReport?: (k: string, d: string) => void }).__toxyncProbeReport;
    d.addEventListener('securitypolicyviolation', (e) => report?.('violation', `${e.effectiveDirective} ${e.blockedURI} ${e.sample}`.trim()), true);
  });
}

export function armed(view: FrameLocator): Promise<boolean> {
  return view.locator('body').evaluate(() => (document as ArmedDocument).__toxyncArmed === true);
}

/** Links in notification and dialog message texts (action buttons are <a> too, so only the message). */
export const messageLinks = (p: Page): Locator =>
  p.locator('.notifications-toasts .notification-list-item-message a, .monaco-dialog-box .dialog-message-text a, .monaco-dialog-box .dialog-message-detail a');
/** Icons rendered inside quick pick labels (not the row's own buttons). */
export const pickIcons = (row: Locator): Locator => row.locator('.monaco-icon-label .codicon, .monaco-highlighted-label .codicon');

/** The elements and attributes in the webview's #app that a payload could have created (none expected). */
export function injectionSinks(view: FrameLocator): Promise<string[]> {
  return view.locator('body').evaluate(() => {
    const app = document.getElementById('app');
    if (!app) return ['#app is gone'];
    // The GIF composer's preview (gifComposer.ts) is the one picture the renderer keeps in every
    // conversation: allowed as itself only, in its box, empty or with a GIF data: URI.
    const preview = (e: Element) =>
      e.tagName === 'IMG' &&
      e.className === 'gif-preview' &&
      e.parentElement?.className === 'gif-preview-box' &&
      /^(data:image\/gif;base64,[A-Za-z0-9+/]+={0,2})?$/.test(e.getAttribute('src') ?? '');
    const bad = Array.from(app.querySelectorAll('script,iframe,img,svg,object,embed,a,form,style,link,meta,base,math,template,video,audio,input'))
      .filter((e) => !preview(e))
      .map((e) => e.tagName);
    for (const e of Array.from(app.querySelectorAll('*')))
      for (const at of Array.from(e.attributes))
        if (/^on/i.test(at.name) || (/^(href|src|srcdoc|action|formaction)$/i.test(at.name) && !preview(e))) bad.push(`${e.tagName}[${at.name}]`);
    return bad;
  });
}
