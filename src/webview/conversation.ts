// One conversation: header (who, presence, fingerprint), the virtualised message list,
// the typing line and the composer. Every peer string goes through render.ts.

import type { LinkPolicy } from '../common/links';
import type { ChatMessage, DeliveryState, PeerView } from '../protocol/webview';
import { button, el } from './dom';
import { post } from './host';
import { renderMessageBody, safeText } from './render';
import { VirtualList } from './vlist';

const STATE_LABEL: Record<DeliveryState, string> = {
  queued: 'queued — goes out when they come online',
  sending: 'sending…',
  sent: 'sent',
  delivered: 'delivered',
  failed: 'not sent',
};
const STATE_MARK: Record<DeliveryState, string> = { queued: '◷', sending: '…', sent: '✓', delivered: '✓✓', failed: '⚠' };
const TYPING_IDLE_MS = 3000;

function formatSize(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'unknown size';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export class ConversationView {
  readonly root = el('div', 'conversation');
  private readonly header = el('header', 'peer');
  private readonly viewport = el('div', 'messages');
  private readonly typingLine = el('div', 'typing');
  private readonly hint = el('p', 'empty');
  private readonly list: VirtualList<ChatMessage>;
  private readonly input: HTMLElement & { value: string };
  private peer: PeerView;
  private typingSent = false;
  private typingTimer: number | undefined;

  constructor(
    peer: PeerView,
    private readonly policy: LinkPolicy,
    private readonly mode: 'view' | 'panel',
  ) {
    this.peer = peer;
    this.viewport.id = 'messages';
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'log');
    this.viewport.setAttribute('aria-label', 'Messages');
    this.typingLine.id = 'typing';
    this.typingLine.setAttribute('aria-live', 'polite');
    this.list = new VirtualList(this.viewport, (m) => this.renderRow(m));
    this.input = document.createElement('vscode-textarea') as HTMLElement & { value: string };
    this.input.id = 'composer';
    this.input.setAttribute('placeholder', 'Message');
    this.input.setAttribute('aria-label', 'Message. Enter sends, Shift+Enter adds a line, /me sends an action.');
    this.input.title = 'Enter sends · Shift+Enter new line · /me action';
    this.input.setAttribute('rows', '2');
    this.input.setAttribute('resize', 'vertical');
    this.input.addEventListener('keydown', (ev) => this.onKey(ev as KeyboardEvent));
    this.input.addEventListener('input', () => this.onInput());
    const composer = el('div', 'composer');
    composer.append(this.input, button('Send', () => this.send()));
    this.hint.textContent = 'No messages yet. Tox messages go straight to your friend, end-to-end encrypted; nothing is stored on a server.';
    this.root.append(this.header, this.hint, this.viewport, this.typingLine, composer);
    this.drawHeader();
  }

  get key(): string {
    return this.peer.key;
  }

  private displayName(): string {
    return this.peer.alias ?? this.peer.name;
  }

  setMessages(messages: ChatMessage[]): void {
    this.list.setItems(messages);
    this.hint.hidden = this.list.length > 0;
  }

  append(messages: ChatMessage[]): void {
    this.list.append(messages);
    this.hint.hidden = this.list.length > 0;
  }

  setState(id: string, state: DeliveryState): void {
    const i = this.list.indexWhere((m) => m.id === id);
    const m = this.list.itemAt(i);
    if (m) this.list.refresh(i, { ...m, state });
  }

  setPeer(peer: PeerView): void {
    this.peer = peer;
    this.drawHeader();
    this.typingLine.replaceChildren();
    if (peer.typing) {
      this.typingLine.append(safeText('span', 'who', this.displayName()), document.createTextNode(' is typing…'));
    }
  }

  focus(): void {
    this.input.focus();
  }

  private drawHeader(): void {
    const p = this.peer;
    const title = el('div', 'title');
    const dot = el('span', `presence ${p.presence}`);
    dot.setAttribute('role', 'img');
    dot.setAttribute('aria-label', p.presence);
    dot.title = p.presence;
    const name = safeText('span', 'name', this.displayName());
    name.id = 'peer-title';
    title.append(dot, name);
    if (p.alias !== null) {
      // Names are not identities: the peer's own name stays visible beside the alias.
      const own = el('span', 'own-name', 'calls themself ');
      const n = safeText('span', 'quoted', p.name);
      n.id = 'peer-name';
      own.append(n);
      title.append(own);
    }
    if (this.mode === 'view') title.append(button('Open in editor', () => post({ type: 'open_in_editor', key: p.key }), true));
    const status = safeText('div', 'status-message', p.status_message);
    status.id = 'peer-status';
    const fp = el('div', 'fingerprint', `Key ${p.fingerprint}`);
    fp.id = 'peer-fp';
    fp.title = 'Compare this with your friend over another channel to be sure who you are talking to.';
    this.header.replaceChildren(title, status, fp);
  }

  private renderRow(m: ChatMessage): HTMLElement {
    const row = el('div', `msg ${m.dir} ${m.kind}`);
    row.dataset.id = m.id;
    const meta = el('div', 'meta');
    const who = m.dir === 'out' ? el('span', 'who', 'You') : m.dir === 'in' ? safeText('span', 'who', this.displayName()) : el('span', 'who', 'toxync');
    const time = el('span', 'time', new Date(m.ts).toLocaleString());
    meta.append(who, time);
    if (m.state) {
      const st = el('span', `state ${m.state}`, STATE_MARK[m.state]);
      st.title = STATE_LABEL[m.state];
      st.setAttribute('aria-label', STATE_LABEL[m.state]);
      meta.append(st);
    }
    row.append(meta);
    if (m.kind === 'file') {
      const body = safeText('div', 'body', m.text);
      const info = el('div', 'file-info', `${m.dir === 'in' ? 'Offers a file' : 'File'} · ${formatSize(m.size)}`);
      row.append(info, body);
      if (m.dir === 'in' && m.state === undefined) {
        const actions = el('div', 'actions');
        actions.append(
          button('Save as…', () => post({ type: 'file_action', key: this.peer.key, id: m.id, action: 'accept' })),
          button('Decline', () => post({ type: 'file_action', key: this.peer.key, id: m.id, action: 'decline' }), true),
        );
        row.append(actions);
      }
      return row;
    }
    const body = renderMessageBody(m.text, this.policy, (url) => post({ type: 'open_link', url }));
    if (m.kind === 'action') body.classList.add('action-text');
    row.append(body);
    if (m.state === 'failed') {
      const actions = el('div', 'actions');
      actions.append(button('Retry', () => post({ type: 'retry', key: this.peer.key, id: m.id }), true));
      row.append(actions);
    }
    return row;
  }

  private onKey(ev: KeyboardEvent): void {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      this.send();
    }
  }

  private onInput(): void {
    const has = this.input.value.length > 0;
    if (has && !this.typingSent) {
      this.typingSent = true;
      post({ type: 'typing', key: this.peer.key, typing: true });
    }
    window.clearTimeout(this.typingTimer);
    if (has) this.typingTimer = window.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
    else this.stopTyping();
  }

  private stopTyping(): void {
    window.clearTimeout(this.typingTimer);
    if (!this.typingSent) return;
    this.typingSent = false;
    post({ type: 'typing', key: this.peer.key, typing: false });
  }

  private send(): void {
    const text = this.input.value;
    if (!text.trim()) return;
    post({ type: 'send', key: this.peer.key, text });
    this.input.value = '';
    this.stopTyping();
  }

  dispose(): void {
    this.stopTyping();
  }
}
