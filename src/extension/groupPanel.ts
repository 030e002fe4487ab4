// Group conversations in editor panels (issue 20): one panel per group, running the same
// webview bundle as 1:1 chats. Each panel is bound to one chat ID: whatever the webview
// posts is validated (protocol/webview.ts) and acts on that group only, whatever chat ID it
// names; moderation resolves peers by key at the moment it runs (groupActions.ts).

import * as vscode from 'vscode';
import { check } from '../protocol/guard';
import { fromWebview, type FromWebview, type ToWebview } from '../protocol/webview';
import type { GroupChange } from '../core/chat/groupTypes';
import { moderate } from '../core/chat/groupActions';
import { senderFor, senderText } from '../core/chat/groupNames';
import { webviewOptions } from './conversationPanel';
import { makeNonce, webviewHtml } from './webviewHtml';
import { openPeerLink } from './openLink';
import { invalidSendReply, sendReply } from './sendReply';
import { labelText, noticeText } from './surfaceText';
import { toxyncSettings } from './config';
import { errorCode } from './logText';
import { groupMessageView, groupView } from './groupViews';
import type { ToxService } from './toxService';

class GroupPanelBinding implements vscode.Disposable {
  private ready = false;
  private readonly subs: vscode.Disposable[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly chatId: string,
    private readonly service: ToxService,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const webview = panel.webview;
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'style.css')).toString(),
      nonce: makeNonce(),
      title: 'Tox group',
    });
    this.subs.push(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.unsubscribe = service.groups.onChange((c) => this.onChange(c));
  }

  private post(msg: ToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  render(): void {
    const book = this.service.groups;
    const g = book.groups.get(this.chatId);
    if (!g) return this.post({ type: 'empty', hint: 'This group is no longer in your list.' });
    this.panel.title = `Tox group: ${labelText(g.name || 'unnamed', 40)}`;
    this.post({ type: 'group_conversation', group: groupView(book, g), messages: book.messages(this.chatId).map((m) => groupMessageView(book, g, m)) });
  }

  private onChange(c: GroupChange): void {
    const book = this.service.groups;
    const g = book.groups.get(this.chatId);
    switch (c.kind) {
      case 'append':
        if (g && c.chatId === this.chatId)
          this.post({ type: 'group_append', chat_id: c.chatId, messages: c.messages.map((m) => groupMessageView(book, g, m)) });
        break;
      case 'state':
        if (c.chatId === this.chatId) this.post({ type: 'group_state', chat_id: c.chatId, id: c.id, state: c.state });
        break;
      case 'group':
        if (g && c.chatId === this.chatId) this.post({ type: 'group_update', group: groupView(book, g) });
        break;
      case 'groups':
        if (!g) this.render();
        break;
      case 'names':
        this.render();
        break;
      default:
        break;
    }
  }

  updateVisibility(): void {
    this.service.groups.setVisible(this.chatId, this.panel.visible);
  }

  private receive(raw: unknown): void {
    const parsed = check(fromWebview, raw);
    if (!parsed.ok) {
      this.log.warn('dropped an invalid message from a group webview');
      const reply = invalidSendReply(raw, parsed.error);
      if (reply) this.post(reply);
      return;
    }
    this.handle(parsed.value).catch((e: unknown) => {
      this.log.warn(`group webview action ${parsed.value.type} failed: ${errorCode(e)}`);
      this.post({ type: 'notice', level: 'error', text: (e instanceof Error ? e.message : String(e)).slice(0, 4000) });
    });
  }

  private async handle(msg: FromWebview): Promise<void> {
    const book = this.service.groups;
    // The panel's own group, never the one the webview names (see webviewTarget.ts).
    if ('chat_id' in msg && msg.chat_id.toUpperCase() !== this.chatId) {
      this.log.warn(`dropped a group webview ${msg.type} message: chat-mismatch`);
      if (msg.type === 'group_send')
        this.post({ type: 'send_result', request_id: msg.request_id, ok: false, error: 'not sent: this view shows another group' });
      return;
    }
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        const s = toxyncSettings();
        this.post({
          type: 'init',
          mode: 'panel',
          conti_base_url: s.contiBaseUrl,
          trusted_hosts: s.trustedHosts,
          self_name: this.service.model.self?.name ?? '',
        });
        this.render();
        return;
      }
      case 'group_send':
        this.post(sendReply(msg.request_id, () => book.send(this.chatId, msg.text)));
        return;
      case 'group_seen':
        if (this.panel.visible) book.markRead(this.chatId);
        return;
      case 'group_retry':
        book.retry(this.chatId, msg.id);
        return;
      case 'group_moderate':
        return this.moderate(msg.key, msg.action);
      case 'open_link':
        await openPeerLink(msg.url, this.log);
        return;
      default:
        this.log.warn(`dropped a group webview ${msg.type} message: not-a-group-action`);
        return;
    }
  }

  private async moderate(key: string, action: 'kick' | 'moderator' | 'user' | 'observer'): Promise<void> {
    const book = this.service.groups;
    const g = book.groups.get(this.chatId);
    const p = g?.peers.get(key.toUpperCase());
    if (!g || !p) throw new RangeError('that peer is not in the group now');
    const who = senderText(senderFor(p.key, p.name, g.selfKey, (k) => book.alias(k)));
    const go = action === 'kick' ? 'Kick' : `Make ${action}`;
    const pick = await vscode.window.showWarningMessage(
      action === 'kick' ? 'Kick this peer from the group?' : `Change this peer's role to ${action}?`,
      { modal: true, detail: noticeText(who, 120) },
      go,
    );
    if (pick === go) await moderate(book, this.chatId, p.key, action);
  }

  dispose(): void {
    this.service.groups.setVisible(this.chatId, false);
    this.unsubscribe();
    for (const s of this.subs) s.dispose();
  }
}

/** The open group panels, one per chat ID. */
export class GroupPanels implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; binding: GroupPanelBinding }>();

  constructor(
    private readonly service: ToxService,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  open(chatId: string): void {
    const existing = this.panels.get(chatId);
    if (existing) return existing.panel.reveal();
    const g = this.service.groups.groups.get(chatId);
    if (!g) throw new RangeError('no such group');
    const panel = vscode.window.createWebviewPanel(
      'toxync.groupPanel',
      `Tox group: ${labelText(g.name || 'unnamed', 40)}`,
      vscode.ViewColumn.Active,
      webviewOptions(this.extensionUri),
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'toxync.svg');
    const binding = new GroupPanelBinding(panel, chatId, this.service, this.extensionUri, this.log);
    this.panels.set(chatId, { panel, binding });
    binding.updateVisibility();
    panel.onDidChangeViewState(() => binding.updateVisibility());
    panel.onDidDispose(() => {
      binding.dispose();
      this.panels.delete(chatId);
    });
  }

  isShowing(chatId: string): boolean {
    return this.panels.get(chatId)?.panel.visible ?? false;
  }

  /** Lock: every group panel closes. */
  closeAll(): void {
    for (const { panel } of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }

  dispose(): void {
    this.closeAll();
  }
}
