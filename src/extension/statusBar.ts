// The status-bar item: connection state at a glance, details in the tooltip.

import * as vscode from 'vscode';
import { routeName } from './proxyPresets';
import type { ServiceState, ToxService } from './toxService';
import { labelText } from './surfaceText';

const LOOK: Record<ServiceState, { icon: string; text: string; tip: string }> = {
  'not-started': { icon: '$(circle-slash)', text: 'not started', tip: 'Tox is not running. Click to start.' },
  locked: { icon: '$(lock)', text: 'locked', tip: 'Your Tox profile is locked: nothing is readable until you unlock it. Click to unlock.' },
  stopped: { icon: '$(circle-slash)', text: 'stopped', tip: 'The Tox node is stopped.' },
  starting: { icon: '$(sync~spin)', text: 'starting', tip: 'Starting the Tox node…' },
  connecting: { icon: '$(sync~spin)', text: 'connecting', tip: 'Looking for the Tox network (DHT bootstrap)…' },
  'online-udp': { icon: '$(pass-filled)', text: 'online', tip: 'Connected to the Tox network over UDP.' },
  'online-tcp': {
    icon: '$(pass-filled)',
    text: 'online (TCP)',
    tip: 'Connected to the Tox network over TCP (UDP is off or not getting through).',
  },
  offline: { icon: '$(debug-disconnect)', text: 'offline', tip: 'Lost the Tox network; reconnecting…' },
  'crashed-restarting': {
    icon: '$(warning)',
    text: 'restarting',
    tip: 'The Tox node stopped unexpectedly and is being restarted. Nothing you queued is lost.',
  },
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('toxync.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly service: ToxService) {
    this.item.name = 'Tox connection';
    this.item.command = 'toxync.statusMenu';
    this.subs.push(service.onState(() => this.update()));
    this.subs.push(service.onEvent((e) => e.event === 'proxy_status' && this.update()));
    this.subs.push(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('toxync') && this.update()));
    this.update();
    this.item.show();
  }

  /** What the item shows now (for the test API). */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    const look = LOOK[this.service.state];
    const proxy = this.service.proxyLabel();
    const running = this.service.started;
    const proxyDown = proxy !== null && this.service.lastProxyStatus?.ok === false;
    // The route is always visible: "Tox via Tor", or an open lock when the IP is not hidden.
    const route = !running ? 'Tox' : proxy ? `Tox via ${labelText(routeName(proxy), 60)}` : 'Tox (direct)';
    this.item.text =
      `${proxy ? '$(shield)' : running ? '$(unlock)' : ''} ${look.icon} ${route}: ${proxyDown && this.service.state !== 'online-tcp' ? 'proxy down' : look.text}`.trim();
    this.item.backgroundColor = proxyDown ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tip = new vscode.MarkdownString();
    // appendText escapes: only our own strings and numbers, never markup.
    tip.appendText(look.tip);
    if (proxy) {
      tip.appendText(
        `\n\nRoute: ${labelText(`${routeName(proxy)} (${proxy.type.toUpperCase()} ${proxy.host}:${proxy.port})`)}. No UDP, no DNS, no direct connections.`,
      );
      if (this.service.lastProxyStatus) tip.appendText(`\nProxy check: ${labelText(this.service.lastProxyStatus.text)}.`);
      tip.appendText('\nFriends do not see your IP address, but can learn which TCP relay you use.');
    } else if (running) {
      tip.appendText(
        '\n\nDirect connection: your IP address is visible to your friends and the Tox DHT. “Tox: Choose Proxy…” routes Tox through Tor, I2P or Nym.',
      );
    }
    const friendsOnline = [...this.service.model.contacts.values()].filter((c) => c.connection !== 'none').length;
    if (this.service.started) tip.appendText(`\n${friendsOnline} of ${this.service.model.contacts.size} friends online.`);
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `${route} ${look.text}` };
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
