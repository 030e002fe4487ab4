// Opening a link a peer sent. The webview already decided the text was a link, but the
// webview is not trusted: the URL is checked again here, refused if the policy refuses it,
// and for hosts not on the allowlist the user sees the exact URL (host punycoded) first.

import * as vscode from 'vscode';
import { checkLink } from '../common/links';

import { confirmOpenLink } from './linkConfirm';
import { noticeText } from './surfaceText';
import { toxyncSettings } from './config';

export async function openPeerLink(url: string, log: vscode.LogOutputChannel): Promise<void> {
  const s = toxyncSettings();
  const verdict = checkLink(url, { contiBaseUrl: s.contiBaseUrl, trustedHosts: s.trustedHosts });
  if (!verdict.ok) {
    log.warn('refused to open a link from a contact');
    void vscode.window.showWarningMessage(`toxync did not open this link: ${noticeText(verdict.reason)}.`);
    return;
  }
  if (verdict.ask) {
    const pick = await confirmOpenLink('Open a link from a Tox contact?', verdict.url, verdict.host, true);
    if (pick === undefined) return;
    if (pick === 'trust') {
      const hostname = new URL(verdict.url).hostname;
      const cfg = vscode.workspace.getConfiguration('toxync');
      await cfg.update('links.trustedHosts', [...new Set([...s.trustedHosts, hostname])], vscode.ConfigurationTarget.Global);
    }
  }
  // Uri.parse on an already-normalised href; openExternal hands it to the OS browser.
  await vscode.env.openExternal(vscode.Uri.parse(verdict.url, true));
}
