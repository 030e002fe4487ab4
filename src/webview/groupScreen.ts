// The webview's group side (issue 20): which group conversation is on screen and what the
// host's group_* messages do to it. webviewMain.ts hands it every message it does not
// handle itself and tells it when the screen is replaced.

import type { LinkPolicy } from '../common/links';
import type { ToWebview } from '../protocol/webview';
import type { DraftSends, SendReply } from './draft';
import { GroupConversationView } from './groupConversation';
import { post } from './host';

export class GroupScreen {
  private view: GroupConversationView | null = null;

  constructor(
    private readonly policy: () => LinkPolicy,
    private readonly drafts: DraftSends,
    private readonly show: (node: HTMLElement) => void,
  ) {}

  /** The screen now shows something else. */
  clear(): void {
    this.view?.dispose();
    this.view = null;
  }

  handle(m: ToWebview): void {
    switch (m.type) {
      case 'group_conversation': {
        this.drafts.reset();
        const view = new GroupConversationView(m.group, this.policy(), this.drafts);
        this.show(view.root);
        this.view = view;
        view.setMessages(m.messages);
        view.focus();
        post({ type: 'group_seen', chat_id: m.group.chat_id });
        break;
      }
      case 'group_append':
        if (this.view?.chatId === m.chat_id) {
          this.view.append(m.messages);
          if (document.hasFocus()) post({ type: 'group_seen', chat_id: m.chat_id });
        }
        break;
      case 'group_update':
        if (this.view?.chatId === m.group.chat_id) this.view.update(m.group);
        break;
      case 'group_state':
        if (this.view?.chatId === m.chat_id) this.view.setState(m.id, m.state);
        break;
      default:
        break;
    }
  }

  sendSettled(reply: SendReply): void {
    this.view?.sendSettled(reply);
  }

  focused(): void {
    if (this.view) post({ type: 'group_seen', chat_id: this.view.chatId });
  }
}
