// The question before a link from a peer (or a pager alert) opens: a quick pick whose first,
// active row is Cancel, so Enter keeps the link closed. Not a modal message: VS Code's modal
// (showWarningMessage with modal: true) always focuses its first button that is not the
// close affordance, and puts the close affordance last (MainThreadMessageService and
// Dialog.show in code-server 4.100.3), so Cancel there can never be the focused button.

import * as vscode from 'vscode';
import { labelText } from './surfaceText';

export type LinkChoice = 'open' | 'trust' | undefined;

interface ChoiceItem extends vscode.QuickPickItem {
  choice: LinkChoice;
}

/** Asks; resolves with what the user chose, undefined for Cancel, Escape or closing. */
export function confirmOpenLink(question: string, url: string, host: string, offerTrust: boolean): Promise<LinkChoice> {
  const items: ChoiceItem[] = [
    { label: 'Cancel', description: 'do not open the link', choice: undefined },
    { label: 'Open', description: labelText(`in your browser, host ${host}`, 300), detail: labelText(url, 2048), choice: 'open' },
  ];
  if (offerTrust) {
    items.push({ label: labelText(`Always trust ${host}`, 280), description: 'open this link, and later ones to this host without asking', choice: 'trust' });
  }
  const pick = vscode.window.createQuickPick<ChoiceItem>();
  pick.title = labelText(question);
  pick.placeholder = 'Enter cancels; choose Open to open the link';
  pick.items = items;
  pick.activeItems = [items[0]!];
  pick.matchOnDescription = false;
  // Like a dialog: clicking elsewhere does not answer it.
  pick.ignoreFocusOut = true;
  return new Promise((resolve) => {
    let answer: LinkChoice;
    pick.onDidAccept(() => {
      answer = pick.selectedItems[0]?.choice;
      pick.hide();
    });
    // Hide comes once, after accept or on Escape; the pick and its listeners go with it.
    pick.onDidHide(() => {
      pick.dispose();
      resolve(answer);
    });
    pick.show();
  });
}
