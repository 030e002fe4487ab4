// The reader's place in a conversation, as mature messengers keep it: a "New messages" line
// above the first message that arrived while the conversation was not on screen, and, while
// the user reads further up, a "Jump to latest" button that counts what arrived below.

import type { ChatMessage } from '../protocol/webview';
import { button, el } from './dom';

/** What the marks need of the virtualised list (vlist.ts). */
export interface Scroller {
  atBottom(): boolean;
  scrollToBottom(): void;
}

export class UnreadMarks {
  /** The floating button; hidden while the newest message is in view. */
  readonly jump: HTMLElement;
  private firstUnread: string | null = null;
  private below = 0;

  constructor(
    private readonly list: Scroller,
    viewport: HTMLElement,
  ) {
    this.jump = button('', () => {
      this.list.scrollToBottom();
      this.update();
    });
    this.jump.classList.add('jump-latest');
    this.jump.hidden = true;
    // The list's own scroll listener (added first) has updated atBottom() by now.
    viewport.addEventListener('scroll', () => this.update());
  }

  /** A conversation opened with `unread` messages the user has not seen: the line goes above
   *  the oldest of them (counted from the end, among incoming messages only). */
  open(messages: readonly ChatMessage[], unread: number): void {
    this.firstUnread = null;
    this.below = 0;
    let left = unread;
    for (let i = messages.length - 1; i >= 0 && left > 0; i--) {
      const m = messages[i]!;
      if (m.dir !== 'in') continue;
      left--;
      if (left === 0) this.firstUnread = m.id;
    }
    this.update();
  }

  /** The "New messages" line for the row of `m`, or null. */
  dividerFor(m: ChatMessage): HTMLElement | null {
    if (m.id !== this.firstUnread) return null;
    const line = el('div', 'unread-divider');
    line.setAttribute('role', 'separator');
    line.append(el('span', undefined, 'New messages'));
    return line;
  }

  /** Messages were added at the end: those from the friend count while the user is up the list. */
  appended(messages: readonly ChatMessage[]): void {
    if (!this.list.atBottom()) this.below += messages.filter((m) => m.dir === 'in').length;
    this.update();
  }

  private update(): void {
    if (this.list.atBottom()) this.below = 0;
    this.jump.hidden = this.list.atBottom();
    this.jump.textContent = this.below > 0 ? `↓ ${this.below} new ${this.below === 1 ? 'message' : 'messages'}` : '↓ Jump to latest';
    this.jump.setAttribute('aria-label', this.below > 0 ? `Jump to the latest message (${this.below} new)` : 'Jump to the latest message');
  }
}
