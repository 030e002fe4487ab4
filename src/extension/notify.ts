// Notifications for new messages and friend requests when the conversation is not on
// screen. Peer text in a notification passes noticeText(): VS Code turns
// `[label](target)` in notification texts into links, and a peer must never make one.

import * as vscode from 'vscode';

import type { Conversations } from './conversationViews';
import { REQUEST_FLOOD_NOTICE } from '../core/chat/requestFlood';
import type { ToxService } from './toxService';
import { keyText, noticeText } from './surfaceText';
import { toxyncSettings } from './config';

export class Notifier implements vscode.Disposable {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly service: ToxService,
    private readonly conversations: Conversations,
  ) {
    this.unsubscribe = service.model.onChange((c) => {
      const s = toxyncSettings();
      if (!s.notificationsEnabled) return;
      if (c.kind === 'append' && c.incoming && !c.quiet && !conversations.isShowing(c.key)) {
        const msg = c.messages[0];
        // File offers get their own notification with Accept / Save as… / Decline (files.ts).
        if (!msg || msg.kind === 'file') return;
        const who = noticeText(service.model.displayName(c.key), 60);
        const text = s.notificationsShowContent ? `${who}: ${noticeText(msg.text)}` : `${who} sent a message`;
        void this.offerOpen(text, () => conversations.show({ kind: 'friend', key: c.key }));
      }
      if (c.kind === 'requests' && c.flood) {
        // One notification for a flood instead of one per request (model/requestFlood.ts).
        void this.offerOpen(REQUEST_FLOOD_NOTICE, async () => {
          await vscode.commands.executeCommand('toxync.contacts.focus');
        });
      }
      if (c.kind === 'requests' && c.added) {
        const key = c.added.key;
        // Notifications cannot be withdrawn: by the time "Open" is clicked the request may have
        // been accepted (open the chat) or declined (nothing to show).
        void this.offerOpen(`Friend request from ${keyText(key).slice(0, 19)}…`, async () => {
          const m = service.model;
          if (m.requests.has(key)) await conversations.show({ kind: 'request', key });
          else if (m.contacts.has(key)) await conversations.show({ kind: 'friend', key });
        });
      }
    });
  }

  private async offerOpen(text: string, open: () => Promise<void>): Promise<void> {
    const pick = await vscode.window.showInformationMessage(noticeText(text, 400), 'Open');
    if (pick === 'Open') await open();
  }

  dispose(): void {
    this.unsubscribe();
  }
}
