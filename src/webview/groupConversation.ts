// A group conversation (issue 20): header (group name, privacy, topic, connection), the peer
// list with roles (moderation buttons for founders and moderators), the virtualised message
// list with a sender per message, and the composer. Every peer string goes through
// render.ts. A sender is drawn from the host's SenderLabel: a peer's own name always comes
// in quotes with a "peer" marker and its key tag, so it never looks like "You" or an alias.

import type { LinkPolicy } from '../common/links';
import type { DeliveryState } from '../protocol/webview';
import type { GroupMessageView, GroupPeerView, GroupView, SenderLabel } from '../protocol/webviewGroups';
import { button, el } from './dom';
import type { DraftSends, SendReply } from './draft';
import { post } from './host';
import { renderMessageBody, safeText } from './render';
import { VirtualList } from './vlist';

const STATE_MARK: Record<DeliveryState, string> = { queued: '◷', sending: '…', sent: '✓', delivered: '✓✓', failed: '⚠' };
const STATE_LABEL: Record<DeliveryState, string> = {
  queued: 'queued — goes out when you are connected to the group',
  sending: 'sending…',
  sent: 'sent to the group',
  delivered: 'delivered',
  failed: 'not sent',
};
const ROLE_LABEL: Record<GroupPeerView['role'], string> = { founder: 'founder', moderator: 'moderator', user: 'user', observer: 'observer' };

/** The sender as DOM: `you` and `alias` plain; a peer's name quoted, with marker and tag. */
export function senderNode(s: SenderLabel): HTMLElement {
  switch (s.kind) {
    case 'you':
      return el('span', 'who you', 'You');
    case 'alias': {
      const a = safeText('span', 'who alias', s.text);
      a.title = 'your name for this peer';
      return a;
    }
    case 'peer': {
      const w = el('span', 'who peer');
      w.title = 'the name this peer chose (anyone can choose any name)';
      w.append(el('span', 'peer-marker', 'peer'), document.createTextNode(' “'), safeText('span', 'peer-name', s.name || '(no name)'));
      w.append(document.createTextNode('” '), el('span', 'peer-tag', s.tag));
      return w;
    }
    case 'system':
      return el('span', 'who system', 'toxync');
  }
}

export class GroupConversationView {
  readonly root = el('div', 'conversation group');
  private readonly header = el('header', 'peer group-header');
  private readonly peers = el('details', 'group-peers');
  private readonly viewport = el('div', 'messages');
  private readonly hint = el('p', 'empty');
  private readonly sendError = el('p', 'send-error');
  private readonly list: VirtualList<GroupMessageView>;
  private readonly input: HTMLElement & { value: string };
  private group: GroupView;

  constructor(
    group: GroupView,
    private readonly policy: LinkPolicy,
    private readonly drafts: DraftSends,
  ) {
    this.group = group;
    this.viewport.id = 'messages';
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'log');
    this.viewport.setAttribute('aria-label', 'Group messages');
    this.list = new VirtualList(this.viewport, (m) => this.renderRow(m));
    this.input = document.createElement('vscode-textarea') as HTMLElement & { value: string };
    this.input.id = 'composer';
    this.input.setAttribute('placeholder', 'Message the group');
    this.input.setAttribute('aria-label', 'Message to the group. Enter sends, Shift+Enter adds a line, /me sends an action.');
    this.input.setAttribute('rows', '2');
    this.input.setAttribute('resize', 'vertical');
    this.input.addEventListener('keydown', (ev) => {
      const k = ev as KeyboardEvent;
      if (k.key === 'Enter' && !k.shiftKey && !k.isComposing) {
        k.preventDefault();
        this.send();
      }
    });
    const composer = el('div', 'composer');
    composer.append(
      this.input,
      button('Send', () => this.send()),
    );
    this.peers.id = 'group-peers';
    this.hint.textContent = 'No messages yet. Everyone in the group sees what you send here.';
    this.sendError.setAttribute('role', 'alert');
    this.sendError.hidden = true;
    this.root.append(this.header, this.peers, this.hint, this.viewport, composer, this.sendError);
    this.draw();
  }

  get chatId(): string {
    return this.group.chat_id;
  }

  setMessages(messages: GroupMessageView[]): void {
    this.list.setItems(messages);
    this.hint.hidden = this.list.length > 0;
  }

  append(messages: GroupMessageView[]): void {
    this.list.append(messages);
    this.hint.hidden = this.list.length > 0;
  }

  setState(id: string, state: DeliveryState): void {
    const i = this.list.indexWhere((m) => m.id === id);
    const m = this.list.itemAt(i);
    if (m) this.list.refresh(i, { ...m, state });
  }

  update(group: GroupView): void {
    this.group = group;
    this.draw();
  }

  focus(): void {
    this.input.focus();
  }

  private canModerate(): boolean {
    return !this.group.left && (this.group.self_role === 'founder' || this.group.self_role === 'moderator');
  }

  private draw(): void {
    const g = this.group;
    const title = el('div', 'title');
    const icon = el('span', `privacy ${g.privacy}`, g.privacy === 'private' ? 'private' : 'public');
    icon.setAttribute('role', 'img');
    icon.setAttribute('aria-label', `${g.privacy} group`);
    icon.title = g.privacy === 'private' ? 'private group: only invited friends can join' : 'public group: anyone with the chat ID can join';
    const name = safeText('span', 'name', g.name || '(unnamed group)');
    name.id = 'group-title';
    const state = el('span', 'group-state', g.left ? 'you left' : g.connected ? `${g.peers.length + 1} in the group` : 'connecting…');
    title.append(icon, name, state);
    const topic = safeText('div', 'status-message', g.topic);
    topic.id = 'group-topic';
    topic.title = 'the topic (set by a group member)';
    const role = el('div', 'fingerprint', `Your role: ${ROLE_LABEL[g.self_role]}`);
    this.header.replaceChildren(title, topic, role);

    const summary = el('summary', undefined, `Peers (${g.peers.length})`);
    const ul = el('ul', 'peer-list');
    for (const p of g.peers) ul.append(this.peerRow(p));
    this.peers.replaceChildren(summary, ul);
  }

  private peerRow(p: GroupPeerView): HTMLElement {
    const li = el('li', `group-peer ${p.role}`);
    li.dataset.key = p.key;
    li.append(senderNode(p.sender), el('span', 'role', ROLE_LABEL[p.role]));
    if (this.canModerate() && !p.self && p.role !== 'founder') {
      const act = (label: string, action: 'kick' | 'moderator' | 'user' | 'observer') =>
        button(label, () => post({ type: 'group_moderate', chat_id: this.group.chat_id, key: p.key, action }), true);
      const actions = el('span', 'actions');
      if (this.group.self_role === 'founder' && p.role !== 'moderator') actions.append(act('Make moderator', 'moderator'));
      if (p.role !== 'user') actions.append(act('Make user', 'user'));
      if (p.role !== 'observer') actions.append(act('Make observer', 'observer'));
      actions.append(act('Kick', 'kick'));
      li.append(actions);
    }
    return li;
  }

  private renderRow(m: GroupMessageView): HTMLElement {
    const row = el('div', `msg ${m.dir} ${m.kind}${m.private ? ' private' : ''}`);
    row.dataset.id = m.id;
    const meta = el('div', 'meta');
    meta.append(senderNode(m.sender));
    if (m.private) meta.append(el('span', 'private-mark', 'private message'));
    meta.append(el('span', 'time', new Date(m.ts).toLocaleString()));
    if (m.state) {
      const st = el('span', `state ${m.state}`, STATE_MARK[m.state]);
      st.title = STATE_LABEL[m.state];
      st.setAttribute('aria-label', STATE_LABEL[m.state]);
      meta.append(st);
    }
    row.append(meta);
    const body = renderMessageBody(m.text, this.policy, (url) => post({ type: 'open_link', url }));
    if (m.kind === 'action') body.classList.add('action-text');
    row.append(body);
    if (m.state === 'failed') {
      const actions = el('div', 'actions');
      actions.append(button('Retry', () => post({ type: 'group_retry', chat_id: this.group.chat_id, id: m.id }), true));
      row.append(actions);
    }
    return row;
  }

  private send(): void {
    const text = this.input.value;
    const request_id = this.drafts.begin(text);
    if (request_id === null) return;
    post({ type: 'group_send', request_id, chat_id: this.group.chat_id, text });
  }

  sendSettled(reply: SendReply): void {
    const r = this.drafts.settle(reply, this.input.value);
    if (!r) return;
    this.input.value = r.composer;
    this.sendError.textContent = r.error ?? '';
    this.sendError.hidden = r.error === null;
  }

  dispose(): void {
    /* nothing timed */
  }
}
