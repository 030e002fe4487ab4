// The pager's VS Code wiring: the status-bar item, "Tox: Show Alerts", "Tox: Do Not
// Disturb", "Tox: Clear Alerts", and the contacts' "Receive Pager Alerts From This Contact"
// toggle. The decisions live in controller.ts and the pure modules beside it; this file only
// asks the user and opens links.

import * as vscode from 'vscode';
import { commandRegistrar } from '../registrar';

import type { ContactNode } from '../contacts';
import type { ToxService } from '../toxService';
import { PagerStatusItem, SHOW_ALERTS_COMMAND } from './statusItem';
import { keyText, labelText, noticeText } from '../surfaceText';
import { toxyncSettings } from '../config';
import { confirmOpenLink } from '../linkConfirm';

/** DND names nobody, so it may live in globalState and hold while the profile is locked. */
const DND_KEY = 'toxync.pager.dnd';

function policy() {
  const s = toxyncSettings();
  return { contiBaseUrl: s.contiBaseUrl, trustedHosts: s.trustedHosts };
}

/** Opens a link resolveAlertLink() allowed; "ask" verdicts (https, another host) ask first. */
async function openAlertLink(url: string, ask: boolean): Promise<void> {
  if (ask) {
    const pick = await confirmOpenLink('Open a link from a pager alert? (not your Conti base URL)', url, new URL(url).host, false);
    if (pick !== 'open') return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
}

function contactArg(service: ToxService, arg: unknown): string | undefined {
  if (!arg || typeof arg !== 'object' || !('type' in arg)) return undefined;
  const n = arg as ContactNode;
  return n.type === 'friend' && service.model.contacts.has(n.contact.key) ? n.contact.key : undefined;
}

export function registerPager(ctx: vscode.ExtensionContext, service: ToxService, log: vscode.LogOutputChannel): void {
  const pager = service.pager;
  pager.alerts.setDnd(ctx.globalState.get<unknown>(DND_KEY) === true);
  const item = new PagerStatusItem(pager.alerts, policy, openAlertLink, (e) => pager.markCopied(e));
  ctx.subscriptions.push(item);

  const reg = commandRegistrar(ctx, log);

  reg(SHOW_ALERTS_COMMAND, async () => {
    if (!pager.unlocked) {
      const unlock = 'Unlock';
      if ((await vscode.window.showInformationMessage('Your Tox profile is locked: pager alerts appear once it is unlocked.', unlock)) === unlock)
        await service.start();
      return;
    }
    await item.showPick();
  });

  reg('toxync.pager.toggleDnd', async () => {
    const on = !pager.alerts.dnd;
    pager.alerts.setDnd(on);
    await ctx.globalState.update(DND_KEY, on);
    void vscode.window.showInformationMessage(on ? 'Do not disturb: only critical pager alerts are announced.' : 'Do not disturb is off.');
  });

  reg('toxync.pager.clearAlerts', () => pager.alerts.clear());

  reg('toxync.contact.pagerSource', async (arg) => {
    if (!(await service.start())) return;
    let key = contactArg(service, arg);
    if (!key) {
      const items = [...service.model.contacts.values()].map((c) => ({
        label: labelText(service.model.displayName(c.key), 60),
        description: pager.isSource(c.key) ? 'pager source' : '',
        detail: `Key ${keyText(c.key)}`,
        key: c.key,
      }));
      key = (
        await vscode.window.showQuickPick(items, {
          placeHolder: 'Receive pager alerts from (or stop receiving from)…',
          matchOnDetail: true,
        })
      )?.key;
    }
    if (!key) return;
    const name = labelText(service.model.displayName(key), 60);
    if (pager.isSource(key)) {
      const stop = 'Stop Receiving Alerts';
      const pick = await vscode.window.showInformationMessage(
        `${name} is a pager source.`,
        {
          modal: true,
          detail: 'Stop treating their alert-formatted messages as pager alerts? Their alerts on screen are dismissed; new ones show as ordinary messages.',
        },
        stop,
      );
      if (pick === stop) pager.setSource(key, false);
      return;
    }
    const receive = 'Receive Pager Alerts';
    const pick = await vscode.window.showWarningMessage(
      `Receive pager alerts from ${name}?`,
      {
        modal: true,
        detail: `Key ${keyText(key)}.\n\nTheir alert-formatted messages will show in the status bar, critical ones as notifications even under Do Not Disturb, and their one-time codes can be copied. Only do this for a service you trust, such as your Conti platform's pager.`,
      },
      receive,
    );
    if (pick === receive) pager.setSource(key, true);
  });
}
