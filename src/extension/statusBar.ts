// The status-bar item: connection state at a glance, details in the tooltip.

import * as vscode from 'vscode';
import type { ServiceState, ToxService } from './toxService';

const LOOK: Record<ServiceState, { icon: string; text: string; tip: string }> = {
  'not-started': { icon: '$(circle-slash)', text: 'not started', tip: 'Tox is not running. Click to start.' },
  stopped: { icon: '$(circle-slash)', text: 'stopped', tip: 'The Tox node is stopped.' },
  starting: { icon: '$(sync~spin)', text: 'starting', tip: 'Starting the Tox node…' },
  connecting: { icon: '$(sync~spin)', text: 'connecting', tip: 'Looking for the Tox network (DHT bootstrap)…' },
  'online-udp': { icon: '$(pass-filled)', text: 'online', tip: 'Connected to the Tox network over UDP.' },
  'online-tcp': { icon: '$(pass-filled)', text: 'online (TCP)', tip: 'Connected to the Tox network over TCP (UDP is off or not getting through).' },
  offline: { icon: '$(debug-disconnect)', text: 'offline', tip: 'Lost the Tox network; reconnecting…' },
  'crashed-restarting': { icon: '$(warning)', text: 'restarting', tip: 'The Tox node stopped unexpectedly and is being restarted. Nothing you queued is lost.' },
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('toxync.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly service: ToxService) {
    this.item.name = 'Tox connection';
    this.item.command = 'toxync.statusMenu';
    this.subs.push(service.onState(() => this.update()));
    this.subs.push(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('toxync') && this.update()));
    this.update();
    this.item.show();
  }

  update(): void {
    const look = LOOK[this.service.state];
    const proxy = this.service.proxyLabel();
    this.item.text = `${proxy ? '$(shield) ' : ''}${look.icon} Tox: ${look.text}`;
    const tip = new vscode.MarkdownString(undefined, true);
    // Only our own fixed strings and numbers go in here (the tooltip renders markdown).
    tip.appendText(look.tip);
    if (proxy) tip.appendText(`\nVia proxy ${proxy}: no UDP, no direct connections.${this.service.lastProxyStatus ? ` Last check: ${this.service.lastProxyStatus}.` : ''}`);
    const friendsOnline = [...this.service.model.contacts.values()].filter((c) => c.connection !== 'none').length;
    if (this.service.started) tip.appendText(`\n${friendsOnline} of ${this.service.model.contacts.size} friends online.`);
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `Tox ${look.text}${proxy ? ' via proxy' : ''}` };
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
