// One conversation webview bound to the chat model (the views that hold them are in
// conversationViews.ts). The ConversationBinding validates everything the webview posts and
// sends it only plain strings. Webview-supplied strings never reach executeCommand.

import * as vscode from 'vscode';
import { check } from '../protocol/guard';
import { fromWebview, type FromWebview, type PeerView, type ToWebview } from '../protocol/webview';
import type { ChatChange } from '../core/chat/chatModel';
import type { TransferChange } from '../core/chat/fileTransfers';
import { transferView } from '../core/chat/transferState';
import { actionTarget, type Target } from './webviewTarget';
import { acceptOffer, saveOfferAs, shareFiles } from './fileShare';
import { openPeerLink } from './openLink';
import type { ToxService } from './toxService';
import { makeNonce, webviewHtml } from './webviewHtml';
import { invalidSendReply, refusedSendReply, sendReply } from './sendReply';
import { labelText, noticeText } from './surfaceText';
import { toxyncSettings } from './config';
import { errorCode } from './logText';
import type { InlineImages } from './inlineImages';
import type { GifMaker } from './gifMaker';
import { GifPreviews } from './gifPreviews';

export type { Target } from './webviewTarget';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

export class ConversationBinding implements vscode.Disposable {
  /** The page's width as it last reported it (0: not yet). */
  width = 0;
  private readonly subs: vscode.Disposable[] = [];
  private readonly unsubscribe: () => void;
  private readonly unsubscribeFiles: () => void;
  private readonly unsubscribeAvatars: () => void;
  private readonly unsubscribeImages: () => void;
  private target: Target = null;
  private unreadAtOpen = 0;
  private ready = false;
  /** The inline GIF composer's previews (the one on screen is what its Send offers). */
  private readonly gifs: GifPreviews;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly mode: 'view' | 'panel',
    private readonly service: ToxService,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly openInEditor: (key: string) => void,
    private readonly isShown: () => boolean,
    private readonly images: InlineImages,
    gifMaker: GifMaker,
  ) {
    webview.options = webviewOptions(extensionUri);
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'style.css')).toString(),
      nonce: makeNonce(),
      title: 'Tox conversation',
    });
    this.subs.push(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.unsubscribe = service.model.onChange((c) => this.onModel(c));
    this.unsubscribeFiles = service.files.onChange((c) => this.onTransfer(c));
    this.unsubscribeAvatars = service.avatars.onChange((key) => this.onModel({ kind: 'peer', key }));
    this.unsubscribeImages = images.follow((key, msg) => key === this.key && this.post(msg));
    this.gifs = new GifPreviews({ make: (o) => gifMaker.make(o), send: (key, style, gif) => gifMaker.send(service, key, style, gif) }, (msg) => this.post(msg));
  }

  private onTransfer(c: TransferChange): void {
    const t = this.target;
    if (t?.kind === 'friend' && t.key === c.transfer.key) this.post({ type: 'transfer', key: c.transfer.key, transfer: transferView(c.transfer) });
  }

  /** The peer as the webview shows it, with their (node-checked) avatar if any. */
  private peerWithAvatar(key: string): PeerView | null {
    const peer = this.service.model.peerView(key);
    if (!peer) return null;
    const avatar = this.service.avatars.get(key);
    return avatar ? { ...peer, avatar } : peer;
  }

  get key(): string | null {
    return this.target?.key ?? null;
  }

  show(target: Target): void {
    const wasVisible = this.target?.kind === 'friend' ? this.target.key : null;
    this.target = target;
    // Taken before the conversation counts as read: the webview draws "New messages" above them.
    this.unreadAtOpen = target?.kind === 'friend' ? (this.service.model.contacts.get(target.key)?.unread ?? 0) : 0;
    this.gifs.clear();
    if (wasVisible) this.updateVisibility(wasVisible);
    this.render();
  }

  /** Tells the model whether this binding's conversation is on screen (for unread counts). */
  updateVisibility(previous?: string): void {
    const m = this.service.model;
    if (previous && previous !== this.key) m.setVisible(previous, false);
    if (this.target?.kind === 'friend') m.setVisible(this.target.key, this.isShown());
  }

  private post(msg: ToWebview): void {
    if (this.ready) void this.webview.postMessage(msg);
  }

  private render(): void {
    if (!this.ready) return;
    const m = this.service.model;
    const t = this.target;
    if (t?.kind === 'friend') {
      const peer = this.peerWithAvatar(t.key);
      if (peer) {
        const transfers = this.service.files.of(t.key).map(transferView);
        this.post({ type: 'conversation', peer, messages: m.messages(t.key), transfers, unread: this.unreadAtOpen });
        return this.images.replay(t.key, (msg) => this.post(msg));
      }
    }
    if (t?.kind === 'request') {
      const request = m.requestView(t.key);
      if (request) return this.post({ type: 'request', request });
    }
    this.post({
      type: 'empty',
      hint: this.service.started ? 'Select a contact to chat, or add a friend with “Tox: Add Friend”.' : 'Tox is not running. Run “Tox: Start” to go online.',
    });
  }

  private onModel(c: ChatChange): void {
    const t = this.target;
    switch (c.kind) {
      case 'append':
        if (t?.kind === 'friend' && t.key === c.key) this.post({ type: 'append', key: c.key, messages: c.messages });
        break;
      case 'state':
        if (t?.kind === 'friend' && t.key === c.key) this.post({ type: 'state', key: c.key, id: c.id, state: c.state });
        break;
      case 'peer': {
        const peer = t?.kind === 'friend' && t.key === c.key ? this.peerWithAvatar(c.key) : null;
        if (peer) this.post({ type: 'peer', peer });
        break;
      }
      case 'contacts':
        if (t?.kind === 'friend' && !this.service.model.contacts.has(t.key)) this.show(null);
        break;
      case 'requests':
        if (t?.kind === 'request' && !this.service.model.requests.has(t.key)) {
          this.show(this.service.model.contacts.has(t.key) ? { kind: 'friend', key: t.key } : null);
        }
        break;
      case 'self':
        this.render();
        break;
    }
  }

  private receive(raw: unknown): void {
    const parsed = check(fromWebview, raw);
    if (!parsed.ok) {
      this.log.warn('dropped an invalid message from a webview');
      const reply = invalidSendReply(raw, parsed.error);
      if (reply) this.post(reply);
      return;
    }
    this.handle(parsed.value).catch((e: unknown) => {
      const text = e instanceof Error ? e.message : String(e);
      this.log.warn(`webview action ${parsed.value.type} failed: ${errorCode(e)}`);
      this.post({ type: 'notice', level: 'error', text: text.slice(0, 4000) });
    });
  }

  private async handle(msg: FromWebview): Promise<void> {
    const m = this.service.model;
    // The view's own target, never the key the webview names (model/webviewTarget.ts).
    const allowed = actionTarget(this.target, msg);
    if (!allowed.ok) {
      this.log.warn(`dropped a webview ${msg.type} message: ${allowed.code}`);
      if (msg.type === 'send') this.post(refusedSendReply(msg.request_id, allowed.code));
      return;
    }
    const key = allowed.key ?? '';
    switch (msg.type) {
      case 'viewport':
        this.width = msg.width;
        return;
      case 'ready': {
        this.ready = true;
        const s = toxyncSettings();
        this.post({
          type: 'init',
          mode: this.mode,
          conti_base_url: s.contiBaseUrl,
          trusted_hosts: s.trustedHosts,
          self_name: m.self?.name ?? '',
        });
        this.render();
        return;
      }
      case 'send':
        this.post(sendReply(msg.request_id, () => m.send(key, msg.text)));
        return;
      case 'typing': {
        const c = m.contacts.get(key);
        if (!c || c.connection === 'none' || !this.service.started) return;
        await this.service.request({ cmd: 'typing', friend: c.friend, typing: msg.typing }).catch(() => undefined);
        return;
      }
      case 'open_link':
        await openPeerLink(msg.url, this.log);
        return;
      case 'retry':
        m.retry(key, msg.id);
        return;
      case 'open_in_editor':
        if (m.contacts.has(key)) this.openInEditor(key);
        return;
      case 'request_action': {
        if (msg.action === 'accept') await m.acceptRequest(key);
        else if (msg.action === 'decline') m.declineRequest(key);
        else await m.block(key);
        return;
      }
      case 'file_action':
        await this.fileAction(key, msg.id, msg.action);
        return;
      case 'attach': {
        if (!m.contacts.has(key)) return;
        const uris = await vscode.window.showOpenDialog({
          canSelectMany: true,
          openLabel: 'Send',
          title: `Send files to ${noticeText(m.displayName(key), 60)}`,
        });
        const paths = uris?.filter((u) => u.scheme === 'file').map((u) => u.fsPath) ?? [];
        if (paths.length) await shareFiles(this.service, paths, key);
        return;
      }
      // The key is this view's own target (actionTarget), not the webview's word.
      case 'gif_preview':
        if (m.contacts.has(key)) this.gifs.request(key, msg);
        return;
      case 'gif_send':
        await this.gifs.send(key, msg.request_id);
        return;
      case 'drop_files': {
        if (!m.contacts.has(key)) return;
        // Only local files; the webview's list is untrusted input like any other.
        const paths: string[] = [];
        for (const raw of msg.uris) {
          let uri: vscode.Uri;
          try {
            uri = vscode.Uri.parse(raw, true);
          } catch {
            continue;
          }
          if (uri.scheme === 'file') paths.push(uri.fsPath);
        }
        if (!paths.length) throw new RangeError('only files from this machine can be sent (drag them from the Explorer)');
        await shareFiles(this.service, paths, key, { confirm: true });
        return;
      }
      case 'seen':
        if (this.key === key && this.isShown()) m.markRead(key);
        return;
    }
  }

  private async fileAction(key: string, id: string, action: Extract<FromWebview, { type: 'file_action' }>['action']): Promise<void> {
    const files = this.service.files;
    const t = files.get(id);
    if (!t || t.key !== key) throw new RangeError('this file transfer is no longer available');
    switch (action) {
      case 'accept':
        return acceptOffer(this.service, id);
      case 'save_as':
        return saveOfferAs(this.service, id);
      case 'decline':
        return files.decline(id);
      case 'discard':
        return files.discard(id);
      case 'open_image':
        return this.images.openInEditor(t);
      case 'save_original':
        return this.images.saveOriginal(t);
      default:
        return files.control(id, action);
    }
  }

  dispose(): void {
    if (this.target?.kind === 'friend') this.service.model.setVisible(this.target.key, false);
    this.unsubscribe();
    this.unsubscribeFiles();
    this.unsubscribeAvatars();
    this.unsubscribeImages();
    this.gifs.dispose();
    for (const s of this.subs) s.dispose();
  }
}
