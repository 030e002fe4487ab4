// The conversation webviews: the sidebar view (follows the selected contact) and one editor
// panel per contact, each bound to the chat model by a ConversationBinding (conversationPanel.ts).

import * as vscode from 'vscode';
import { ConversationBinding, webviewOptions } from './conversationPanel';
import type { Target } from './webviewTarget';
import type { ToxService } from './toxService';
import { labelText } from './surfaceText';
import { InlineImages } from './inlineImages';
import type { GifMaker } from './gifMaker';

/** Below this width (CSS px) the side bar's conversation is too cramped: open a tab instead. */
const NARROW_PX = 250;

/** The sidebar conversation view plus the editor panels. */
export class Conversations implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'toxync.conversation';
  private view: { view: vscode.WebviewView; binding: ConversationBinding } | null = null;
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; binding: ConversationBinding }>();
  private pending: Target = null;
  private readonly images: InlineImages;

  constructor(
    private readonly service: ToxService,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly gifs: GifMaker,
  ) {
    this.images = new InlineImages(service, extensionUri);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view?.binding.dispose();
    const binding = new ConversationBinding(
      view.webview,
      'view',
      this.service,
      this.extensionUri,
      this.log,
      (k) => this.openPanel(k),
      () => view.visible,
      this.images,
      this.gifs,
    );
    this.view = { view, binding };
    binding.show(this.pending);
    this.describe();
    view.onDidChangeVisibility(() => binding.updateVisibility());
    view.onDidDispose(() => {
      binding.dispose();
      if (this.view?.view === view) this.view = null;
    });
  }

  /** Shows a contact or request in the sidebar view (revealing it). */
  async show(target: Target): Promise<void> {
    // Like VS Code's Chat: a side bar too narrow to read in hands a friend's chat to a tab.
    const w = this.view?.binding.width ?? 0;
    if (target?.kind === 'friend' && this.view?.view.visible && w > 0 && w < NARROW_PX) return void this.openPanel(target.key);
    this.pending = target;
    if (this.view) {
      this.view.binding.show(target);
      this.describe();
      this.view.view.show(true);
    } else {
      await vscode.commands.executeCommand(`${Conversations.viewId}.focus`);
    }
  }

  /** The view's title line names who the conversation is with (plain text, markers shown). */
  private describe(): void {
    if (!this.view) return;
    const t = this.pending;
    this.view.view.description =
      t?.kind === 'friend' ? labelText(this.service.model.displayName(t.key), 40) : t?.kind === 'request' ? 'friend request' : undefined;
  }

  /** Which conversations are on screen right now. */
  isShowing(key: string): boolean {
    if (this.view?.view.visible && this.view.binding.key === key) return true;
    const p = this.panels.get(key);
    return !!p && p.panel.visible;
  }

  openPanel(key: string): void {
    const existing = this.panels.get(key);
    if (existing) return existing.panel.reveal();
    const panel = vscode.window.createWebviewPanel(
      'toxync.chatPanel',
      `Tox: ${labelText(this.service.model.displayName(key), 40)}`,
      vscode.ViewColumn.Active,
      webviewOptions(this.extensionUri),
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'toxync.svg');
    const binding = new ConversationBinding(
      panel.webview,
      'panel',
      this.service,
      this.extensionUri,
      this.log,
      (k) => this.openPanel(k),
      () => panel.visible,
      this.images,
      this.gifs,
    );
    binding.show({ kind: 'friend', key });
    this.panels.set(key, { panel, binding });
    panel.onDidChangeViewState(() => binding.updateVisibility());
    panel.onDidDispose(() => {
      binding.dispose();
      this.panels.delete(key);
    });
  }

  /** Lock: every open chat closes; the sidebar shows nothing. */
  closeAll(): void {
    this.pending = null;
    this.view?.binding.show(null);
    this.describe();
    for (const { panel } of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }

  dispose(): void {
    this.view?.binding.dispose();
    this.view = null;
    for (const { panel } of this.panels.values()) panel.dispose(); // disposes its binding via onDidDispose
    this.panels.clear();
    this.images.dispose();
  }
}
