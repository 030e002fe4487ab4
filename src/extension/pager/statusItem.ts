// The VS Code side of pager alerts, kept thin: a status-bar item that copies
// pagerStatusView() onto itself, the quick pick of recent alerts (Open / Dismiss / Copy), and
// the notification for critical alerts. Every decision lives in the pure modules next to it.

import * as vscode from 'vscode';
import { resolveAlertLink } from '../../common/alertLink';
import type { LinkPolicy } from '../../common/links';

import type { AlertEntry, AlertStore } from './alertStore';
import { CodeClipboard } from './clipboard';
import { type AlertAction, alertActions, alertPickItems, pagerStatusText, pagerStatusView } from './statusView';
import { appendPeerLines, labelText, noticeText } from '../surfaceText';

export const SHOW_ALERTS_COMMAND = 'toxync.pager.showAlerts';

const ACTION_LABEL: Record<AlertAction, string> = { open: 'Open', dismiss: 'Dismiss', 'copy-code': 'Copy code', 'copy-text': 'Copy text' };

export class PagerStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('toxync.pager', vscode.StatusBarAlignment.Left, 49);
  private readonly clipboard = new CodeClipboard(vscode.env.clipboard);
  private readonly unsubscribe: () => void;
  private refresh: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly store: AlertStore,
    private readonly policy: () => LinkPolicy,
    /** Opens a link the user confirmed; the caller asks for "ask" verdicts (openLink.ts). */
    private readonly openUrl: (url: string, ask: boolean) => Promise<void>,
    /** "Copy code" was used on this entry (its history line says "copied"). */
    private readonly onCopied: (e: AlertEntry) => void = () => {},
  ) {
    this.item.name = 'Tox pager';
    this.item.command = SHOW_ALERTS_COMMAND;
    this.unsubscribe = store.onChange((c) => {
      if (c.kind === 'added' && c.entry.alert.priority === 'critical') void this.notify(c.entry);
      this.update();
    });
    this.update();
  }

  update(): void {
    if (this.refresh) clearTimeout(this.refresh);
    this.refresh = null;
    const v = pagerStatusView(this.store.list(), Date.now(), this.store.dnd);
    this.item.text = pagerStatusText(this.store.list(), Date.now(), this.store.dnd);
    this.item.backgroundColor = v.background ? new vscode.ThemeColor(v.background) : undefined;
    // No theme-icon support: peer text in the tooltip stays text.
    const tip = new vscode.MarkdownString();
    appendPeerLines(tip, v.tooltipLines);
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: labelText(v.accessibility) };
    if (v.visible) this.item.show();
    else this.item.hide();
    if (v.refreshInMs !== null) this.refresh = setTimeout(() => this.update(), v.refreshInMs);
  }

  private async notify(e: AlertEntry): Promise<void> {
    const text = noticeText(`${e.source}: ${e.alert.kind === 'alert' ? e.alert.title : `code for ${e.alert.service}`}`);
    const actions = alertActions(e, this.policy()).filter((a) => a === 'open' || a === 'dismiss');
    const pick = await vscode.window.showErrorMessage(text, ...actions.map((a) => ACTION_LABEL[a]));
    const action = actions.find((a) => ACTION_LABEL[a] === pick);
    if (action) await this.run(e, action);
  }

  /** The quick pick: an alert, then what to do with it. */
  async showPick(): Promise<void> {
    const items = alertPickItems(this.store.list(), Date.now());
    if (!items.length) {
      void vscode.window.showInformationMessage('No pager alerts.');
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'Pager alerts', matchOnDescription: true, matchOnDetail: true });
    const e = picked && this.store.get(picked.key, picked.id);
    if (!e) return;
    const actions = alertActions(e, this.policy());
    const choice = await vscode.window.showQuickPick(
      actions.map((a) => ({ label: ACTION_LABEL[a], action: a })),
      { title: noticeText(picked.label, 80) },
    );
    if (choice) await this.run(e, choice.action);
  }

  private async run(e: AlertEntry, action: AlertAction): Promise<void> {
    const a = e.alert;
    switch (action) {
      case 'open': {
        const v = resolveAlertLink(a.link, this.policy());
        if (v.kind === 'refuse') return void vscode.window.showWarningMessage(`toxync did not open this link: ${noticeText(v.reason)}.`);
        return this.openUrl(v.url, v.kind === 'ask');
      }
      case 'dismiss':
        this.store.dismiss(e.key, a.id);
        return;
      case 'copy-code':
        if (a.kind === 'code') {
          await this.clipboard.copy(a.code, a.expiresAt);
          this.onCopied(e);
          // The code itself stays off the screen: the toast only confirms and says for how long.
          void vscode.window.showInformationMessage('Code copied. It is cleared from the clipboard in 30 seconds (or when it expires).');
        }
        return;
      case 'copy-text':
        if (a.kind === 'alert') {
          await vscode.env.clipboard.writeText(a.body ? `${a.title}\n${a.body}` : a.title);
          void vscode.window.showInformationMessage('Alert text copied.');
        }
        return;
    }
  }

  dispose(): void {
    if (this.refresh) clearTimeout(this.refresh);
    this.unsubscribe();
    void this.clipboard.dispose();
    this.item.dispose();
  }
}
