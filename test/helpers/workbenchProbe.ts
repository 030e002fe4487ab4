// Watches every frame of a code-server workbench (the workbench itself, and each webview two
// iframes deep) for signs that injected code ran: calls to alert/confirm/prompt/print or our
// __canary(), Content-Security-Policy violations (the `securitypolicyviolation` event in the
// frame, and CSP errors on the console), native dialogs, uncaught page errors. Installed per
// browser context before any page loads: init scripts and bindings arrive through the
// DevTools protocol, so the webviews' own CSP does not stop them.

import type { BrowserContext, Page } from 'playwright-core';

export interface ProbeRecord {
  kind: 'canary' | 'violation' | 'csp-console' | 'dialog' | 'page-error';
  frame: string;
  detail: string;
}

type ReportFn = (kind: string, detail: string) => void;
type ProbeWin = Window & { __toxyncProbeReport?: ReportFn };

/** Runs in every frame before its own scripts; self-contained (only its source text is sent). */
function frameProbe(): void {
  const w = window as ProbeWin;
  const report = (kind: string, detail: string) => {
    try {
      w.__toxyncProbeReport?.(kind, detail);
    } catch {
      /* the binding is being torn down with the frame */
    }
  };
  for (const name of ['alert', 'confirm', 'prompt', 'print', '__canary']) {
    try {
      Object.defineProperty(window, name, { value: () => (report('canary', name), null), configurable: false, writable: false });
    } catch {
      /* already defined non-configurable: keep the native one (its dialog is caught too) */
    }
  }
  document.addEventListener('securitypolicyviolation', (e) => report('violation', `${e.effectiveDirective} ${e.blockedURI} ${e.sample}`.trim()), true);
}

export class WorkbenchProbe {
  readonly records: ProbeRecord[] = [];

  static async install(context: BrowserContext): Promise<WorkbenchProbe> {
    const p = new WorkbenchProbe();
    await context.exposeBinding('__toxyncProbeReport', (source, kind: unknown, detail: unknown) => {
      if (kind === 'canary' || kind === 'violation') p.records.push({ kind, frame: source.frame.url(), detail: String(detail).slice(0, 300) });
    });
    await context.addInitScript(frameProbe);
    return p;
  }

  /** Console CSP errors, dialogs and page errors of one page. */
  watch(page: Page): void {
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
        this.records.push({ kind: 'csp-console', frame: m.location().url, detail: m.text().slice(0, 300) });
    });
    page.on('dialog', (d) => {
      this.records.push({ kind: 'dialog', frame: page.url(), detail: `${d.type()}: ${d.message()}` });
      void d.dismiss().catch(() => undefined);
    });
    page.on('pageerror', (e) => this.records.push({ kind: 'page-error', frame: page.url(), detail: e.message.slice(0, 300) }));
  }

  /** Records from index `from` on that mean injected code ran or was blocked (page errors are kept apart). */
  alarms(from = 0): ProbeRecord[] {
    return this.records.slice(from).filter((r) => r.kind !== 'page-error');
  }
}
