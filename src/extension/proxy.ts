// The proxy manager: choose a preset or a custom proxy, test it, and restart the node when
// the route changes. Removing a proxy asks first (the IP becomes visible); until the user
// says yes, the running node keeps its proxy — fail closed also means "closed while asking".

import * as vscode from 'vscode';
import type { ProxySpec } from '../protocol/node';
import { parseProxyAddress, PRESETS, PROXY_LIMITS, routeName } from './proxyPresets';
import type { ToxService } from './toxService';
import { inputValue, labelText, noticeText } from './surfaceText';
import { toxyncSettings } from './config';

const same = (a: ProxySpec | null, b: ProxySpec | null) => a?.type === b?.type && a?.host === b?.host && a?.port === b?.port;

async function confirmDirect(): Promise<boolean> {
  const go = 'Connect directly';
  const pick = await vscode.window.showWarningMessage(
    'Use Tox without a proxy?',
    { modal: true, detail: 'Your IP address will be visible to your friends and to the Tox DHT.' },
    go,
  );
  return pick === go;
}

async function writeProxy(spec: ProxySpec | null): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('toxync');
  const g = vscode.ConfigurationTarget.Global;
  // Type last: the node restarts on the change that completes the route, never on a half-written one.
  if (spec) {
    await cfg.update('proxy.host', spec.host, g);
    await cfg.update('proxy.port', spec.port, g);
  }
  await cfg.update('proxy.type', spec ? spec.type : 'none', g);
}

export function registerProxy(ctx: vscode.ExtensionContext, service: ToxService, log: vscode.LogOutputChannel): void {
  /** The route the running node was started with (what the settings said when it started). */
  let applied: ProxySpec | null = toxyncSettings().proxy;
  /** Set while our own command writes the three proxy settings, so they apply as one. */
  let writing = false;
  let applying = false;

  const apply = async () => {
    if (writing || applying) return;
    applying = true;
    try {
      // Loop: the settings may change again while the node restarts.
      for (;;) {
        const wanted = toxyncSettings().proxy;
        if (same(wanted, applied)) return;
        if (!wanted && applied && service.started && !(await confirmDirect())) {
          void vscode.window.showWarningMessage(`Tox keeps using ${noticeText(routeName(applied))} until it restarts; the settings now say "no proxy".`);
          return;
        }
        applied = wanted;
        log.info(`proxy route changed to ${wanted ? wanted.type : 'direct'}`);
        if (service.started) await service.restart();
      }
    } finally {
      applying = false;
    }
  };

  ctx.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('toxync.proxy')) void apply();
    }),
    vscode.commands.registerCommand('toxync.proxy.choose', async () => {
      const current = toxyncSettings().proxy;
      type Item = vscode.QuickPickItem & { spec?: ProxySpec | null; custom?: ProxySpec['type'] };
      const mark = (spec: ProxySpec | null) => (same(spec, current) ? '$(check) ' : '');
      const items: Item[] = [
        ...PRESETS.map((p) => ({
          label: `${mark(p.spec)}${labelText(p.name)}`,
          description: labelText(`${p.spec.type.toUpperCase()} ${p.spec.host}:${p.spec.port}`),
          detail: labelText(p.detail),
          spec: p.spec,
        })),
        { label: 'Custom SOCKS5 proxy…', custom: 'socks5' as const },
        { label: 'Custom HTTP CONNECT proxy…', custom: 'http' as const },
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        { label: `${mark(null)}No proxy (direct)`, detail: 'Fastest; your IP address is visible to friends and the DHT.', spec: null },
      ];
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Route Tox through a proxy',
        placeHolder: PROXY_LIMITS,
        matchOnDetail: true,
      });
      if (!pick) return;
      let spec: ProxySpec | null | undefined = pick.spec;
      if (pick.custom) {
        const type = pick.custom;
        const input = await vscode.window.showInputBox({
          title: `Custom ${type === 'socks5' ? 'SOCKS5' : 'HTTP CONNECT'} proxy`,
          prompt: 'IP:PORT of the proxy (an IP address, not a host name)',
          value: inputValue(current?.type === type ? `${current.host}:${current.port}` : '127.0.0.1:'),
          validateInput: (v) => {
            const r = parseProxyAddress(type, v);
            return typeof r === 'string' ? r : null;
          },
        });
        if (input === undefined) return;
        const r = parseProxyAddress(type, input);
        if (typeof r === 'string') throw new RangeError(r);
        spec = r;
      }
      if (spec === undefined) return;
      if (spec === null && current && !(await confirmDirect())) return;
      if (spec === null && applied) applied = null; // confirmed above: no second question
      writing = true;
      try {
        await writeProxy(spec);
      } finally {
        writing = false;
      }
      if (spec === null && service.started && service.proxyLabel() !== null) await service.restart();
      else await apply();
      if (!service.started) await service.start();
    }),
    vscode.commands.registerCommand('toxync.proxy.test', async () => {
      const spec = toxyncSettings().proxy;
      if (!spec)
        return void vscode.window.showInformationMessage(
          'No proxy is set: Tox connects directly. Choose one with [Tox: Choose Proxy…](command:toxync.proxy.choose).',
        );
      if (!service.started || service.proxyLabel() === null) {
        return void vscode.window.showInformationMessage('Start Tox with the proxy first (“Tox: Start”), then test it.');
      }
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing ${noticeText(routeName(spec))}…` }, () =>
        service.request({ cmd: 'proxy_test' }),
      );
      if (r.ok)
        void vscode.window.showInformationMessage(
          `${noticeText(routeName(spec))} works: a tunnel to a Tox TCP relay answered in ${Math.round(r.rtt_ms ?? 0)} ms.`,
        );
      else
        void vscode.window.showErrorMessage(
          `${noticeText(routeName(spec))} does not work: ${noticeText(r.reason ?? 'failed')}${r.message ? ` — ${noticeText(r.message)}` : ''}. Tox stays offline rather than connect directly.`,
        );
    }),
  );
}
