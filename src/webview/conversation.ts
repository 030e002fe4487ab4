// One conversation: header (who, presence, fingerprint), the virtualised message list,
// the typing line and the composer. Every peer string goes through render.ts.

import type { LinkPolicy } from '../common/links';
import type { ChatMessage, DeliveryState, PeerView, TransferView } from '../protocol/webview';
import { formatBytes, formatEta } from '../common/units';
import { button, el, iconButton } from './dom';
import type { DraftSends, SendReply } from './draft';
import { post } from './host';
import { renderMessageBody, safeText } from './render';
import { continuesGroup, dayLabel, fullTime, isLong, joinSplit, joinSplits, shortTime, startsDay } from './timeline';
import { type ImageMessage, InlinePictures } from './inlineImage';
import { GifComposer } from './gifComposer';
import { STATE_LABEL, STATE_MARK, TRANSFER_LABEL } from './stateLabels';
import { UnreadMarks } from './unreadMarks';
import { VirtualList } from './vlist';

const TYPING_IDLE_MS = 3000;

/** The uri-list VS Code puts on a drag from its Explorer (comments and blanks dropped). */
export function urisFromDrop(data: string): string[] {
  return data
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .slice(0, 100);
}

export class ConversationView {
  readonly root = el('div', 'conversation');
  private readonly header = el('header', 'peer');
  private readonly viewport = el('div', 'messages');
  private readonly typingLine = el('div', 'typing');
  private readonly hint = el('p', 'empty');
  /** Why the last send was refused (the composer kept the text). */
  private readonly sendError = el('p', 'send-error');
  private readonly list: VirtualList<ChatMessage>;
  private readonly marks: UnreadMarks;
  private readonly transfers = new Map<string, TransferView>();
  /** Long messages the user expanded ("Show more"), by id. */
  private readonly expanded = new Set<string>();
  private readonly fingerprint = el('div', 'fingerprint');
  private readonly pictures = new InlinePictures();
  /** The GIF button's inline composer (webviewMain.ts hands it the host's replies). */
  readonly gifs = new GifComposer(
    () => this.peer.key,
    () => this.input.focus(),
  );
  private readonly input: HTMLElement & { value: string };
  private peer: PeerView;
  private typingSent = false;
  private typingTimer: number | undefined;

  constructor(
    peer: PeerView,
    private readonly policy: LinkPolicy,
    private readonly mode: 'view' | 'panel',
    private readonly drafts: DraftSends,
  ) {
    this.peer = peer;
    this.viewport.id = 'messages';
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'log');
    this.viewport.setAttribute('aria-label', 'Messages');
    this.typingLine.id = 'typing';
    this.typingLine.setAttribute('aria-live', 'polite');
    this.list = new VirtualList(this.viewport, (m, i) => this.renderRow(m, i));
    this.marks = new UnreadMarks(this.list, this.viewport);
    this.input = document.createElement('vscode-textarea') as HTMLElement & { value: string };
    this.input.id = 'composer';
    this.input.setAttribute('placeholder', 'Message');
    this.input.setAttribute('aria-label', 'Message. Enter sends, Shift+Enter adds a line, /me sends an action.');
    this.input.title = 'Enter sends · Shift+Enter new line · /me action';
    this.input.setAttribute('rows', '1');
    this.input.setAttribute('resize', 'none');
    this.input.addEventListener('keydown', (ev) => this.onKey(ev as KeyboardEvent));
    this.input.addEventListener('input', () => this.onInput());
    const composer = el('div', 'composer');
    // Icons, not words: at a 300 px side bar two text buttons left the text field ~60 px.
    const attach = iconButton({ codicon: 'attach' }, 'Attach files', 'Attach files… (you can also drag them here from the Explorer, holding Shift)', () =>
      post({ type: 'attach', key: this.peer.key }),
    );
    attach.id = 'attach-button';
    const gif = iconButton({ text: 'GIF' }, 'Send a GIF', 'Send a GIF… (pick a style, type the text, preview it)', () => this.gifs.toggle());
    gif.id = 'gif-button';
    const send = button('', () => this.send());
    send.id = 'send-button';
    send.title = 'Send (Enter)';
    send.setAttribute('aria-label', 'Send');
    // The word where there is room, the icon where there is not (style.css, @container).
    const sendIcon = el('span', 'codicon codicon-send');
    sendIcon.setAttribute('aria-hidden', 'true');
    send.append(sendIcon, el('span', 'send-label', 'Send'));
    composer.append(this.input, attach, gif, send);
    this.root.addEventListener('dragover', (ev) => {
      ev.preventDefault();
      this.root.classList.add('drop-target');
    });
    this.root.addEventListener('dragleave', () => this.root.classList.remove('drop-target'));
    this.root.addEventListener('drop', (ev) => this.onDrop(ev));
    this.hint.textContent = 'No messages yet. Tox messages go straight to your friend, end-to-end encrypted; nothing is stored on a server.';
    this.sendError.setAttribute('role', 'alert');
    this.sendError.hidden = true;
    this.root.append(this.header, this.hint, this.viewport, this.marks.jump, this.typingLine, this.gifs.root, composer, this.sendError);
    this.drawHeader();
  }

  get key(): string {
    return this.peer.key;
  }

  private displayName(): string {
    return this.peer.alias ?? this.peer.name;
  }

  setMessages(messages: ChatMessage[], unread = 0): void {
    const joined = joinSplits(messages);
    this.marks.open(joined, unread);
    this.list.setItems(joined);
    this.hint.hidden = this.list.length > 0;
  }

  append(messages: ChatMessage[]): void {
    for (const m of messages) {
      const last = this.list.length - 1;
      const joined = joinSplit(this.list.itemAt(last), m);
      if (joined) this.list.refresh(last, joined);
      else this.list.append([m]);
    }
    this.marks.appended(messages);
    this.hint.hidden = this.list.length > 0;
  }

  setTransfers(list: TransferView[]): void {
    this.transfers.clear();
    for (const t of list) this.transfers.set(t.id, t);
  }

  updateTransfer(t: TransferView): void {
    this.transfers.set(t.id, t);
    const i = this.list.indexWhere((m) => m.id === t.id);
    const m = this.list.itemAt(i);
    if (m) this.list.refresh(i, m);
  }

  /** An inline picture (or why not) arrived for a file message. */
  updateImage(msg: ImageMessage): void {
    this.pictures.set(msg);
    const i = this.list.indexWhere((m) => m.id === msg.id);
    const m = this.list.itemAt(i);
    if (m) this.list.refresh(i, m);
  }

  private onDrop(ev: DragEvent): void {
    ev.preventDefault();
    this.root.classList.remove('drop-target');
    const uris = urisFromDrop(ev.dataTransfer?.getData('text/uri-list') ?? '');
    // A drop from outside VS Code carries file contents but no path: those are not read here.
    if (uris.length) post({ type: 'drop_files', key: this.peer.key, uris });
    else post({ type: 'attach', key: this.peer.key });
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
    if (p.avatar) {
      // Only a node-checked image arrives here (data: URI of PNG/JPEG/GIF/WebP, guarded).
      const img = el('img', 'avatar');
      img.src = p.avatar;
      img.alt = '';
      title.append(img);
    }
    title.append(dot, name);
    if (p.alias !== null) {
      // Names are not identities: the peer's own name stays visible beside the alias.
      const own = el('span', 'own-name', 'calls themself ');
      const n = safeText('span', 'quoted', p.name);
      n.id = 'peer-name';
      own.append(n);
      title.append(own);
    }
    // The short ID tells two friends of one name apart; the full key waits behind "Verify".
    const shortId = el('span', 'short-id', p.key.slice(0, 8));
    shortId.title = 'The start of their public key';
    title.append(shortId);
    const tools = el('span', 'peer-tools');
    const verify = button('Verify', () => this.toggleKey(), true);
    verify.id = 'peer-verify';
    verify.title = 'Show their full key, to compare with your friend over another channel';
    tools.append(verify);
    if (this.mode === 'view') tools.append(button('Open in editor', () => post({ type: 'open_in_editor', key: p.key }), true));
    // Second line: the status message, and the actions at its end (the name keeps line one).
    const sub = el('div', 'peer-sub');
    const status = safeText('div', 'status-message', p.status_message);
    status.id = 'peer-status';
    sub.append(status, tools);
    this.fingerprint.id = 'peer-fp';
    this.fingerprint.textContent = `Key ${p.fingerprint}`;
    this.fingerprint.title = 'Compare this with your friend over another channel to be sure who you are talking to.';
    this.header.replaceChildren(title, sub, this.fingerprint);
  }

  private toggleKey(): void {
    this.fingerprint.classList.toggle('shown');
  }

  /** A day separator, drawn inside the first row of its day (rows are measured whole). */
  private static daySeparator(ts: number): HTMLElement {
    const sep = el('div', 'day-separator');
    sep.setAttribute('role', 'separator');
    sep.append(el('span', undefined, dayLabel(ts)));
    return sep;
  }

  private renderRow(m: ChatMessage, index: number): HTMLElement {
    const prev = this.list.itemAt(index - 1);
    const grouped = continuesGroup(prev, m);
    const row = el('div', `msg ${m.dir} ${m.kind}${grouped ? ' grouped' : ''}`);
    row.dataset.id = m.id;
    if (startsDay(prev, m)) row.append(ConversationView.daySeparator(m.ts));
    const unreadLine = this.marks.dividerFor(m);
    if (unreadLine) row.append(unreadLine);
    const meta = el('div', 'meta');
    const who = m.dir === 'out' ? el('span', 'who', 'You') : m.dir === 'in' ? safeText('span', 'who', this.displayName()) : el('span', 'who', 'toxync');
    const time = el('span', 'time', shortTime(m.ts));
    time.title = fullTime(m.ts);
    meta.append(who, time);
    // A cancelled file says "cancelled" once, on its card: no ⚠ beside it.
    const cancelled = m.kind === 'file' && this.transfers.get(m.id)?.state === 'cancelled';
    if (m.state && !cancelled) {
      const st = el('span', `state ${m.state}`, STATE_MARK[m.state]);
      st.title = STATE_LABEL[m.state];
      st.setAttribute('aria-label', STATE_LABEL[m.state]);
      meta.append(st);
    }
    row.append(meta);
    if (m.kind === 'file') {
      this.renderFile(row, m);
      return row;
    }
    const body = renderMessageBody(m.text, this.policy, (url) => post({ type: 'open_link', url }));
    if (m.kind === 'action') body.classList.add('action-text');
    row.append(body);
    if (isLong(m.text)) this.addShowMore(row, body, m, index);
    if (m.state === 'failed') {
      const actions = el('div', 'actions');
      actions.append(button('Retry', () => post({ type: 'retry', key: this.peer.key, id: m.id }), true));
      row.append(actions);
    }
    return row;
  }

  /** Collapses a long body; "Show more"/"Show less" redraws the row so the list re-measures it. */
  private addShowMore(row: HTMLElement, body: HTMLElement, m: ChatMessage, index: number): void {
    const open = this.expanded.has(m.id);
    body.classList.toggle('collapsed', !open);
    // A span with a button role, like links (render.ts): the page creates no <button>.
    const toggle = el('span', 'show-more', open ? 'Show less' : 'Show more');
    toggle.setAttribute('role', 'button');
    toggle.tabIndex = 0;
    const flip = () => {
      if (open) this.expanded.delete(m.id);
      else this.expanded.add(m.id);
      this.list.refresh(index, this.list.itemAt(index) ?? m);
    };
    toggle.addEventListener('click', flip);
    toggle.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') (ev.preventDefault(), flip());
    });
    row.append(toggle);
  }

  /** A file message: the sender's name (markers for hidden characters), what it is saved
   *  as, progress (bytes, speed, time left) and the actions its state allows. */
  private renderFile(row: HTMLElement, m: ChatMessage): void {
    const t = this.transfers.get(m.id);
    const size = t?.size ?? m.size ?? null;
    const body = safeText('div', 'body file-name', m.text);
    const info = el('div', 'file-info', `${m.dir === 'in' ? 'Offers a file' : 'File'} · ${formatBytes(size)}`);
    row.append(info, body);
    const picture = this.pictures.render(m.id, (action) => post({ type: 'file_action', key: this.peer.key, id: m.id, action }));
    if (picture) row.append(picture);
    if (!t) return;
    if (t.saved_name !== null && t.saved_name !== m.text) row.append(safeText('div', 'file-info saved-as', `saved as ${t.saved_name}`));
    const live = t.state === 'active' || t.state === 'paused' || t.state === 'pending' || t.state === 'interrupted';
    if (live && size !== null) {
      const bar = el('progress', 'file-progress');
      bar.max = Math.max(1, size);
      bar.value = Math.min(t.bytes, size);
      row.append(bar);
    }
    const parts: string[] = [];
    if (live || t.state === 'done') parts.push(`${formatBytes(t.bytes)} of ${formatBytes(size)}`);
    if (t.state === 'active' && t.speed > 0) parts.push(`${formatBytes(t.speed)}/s`);
    const eta = t.state === 'active' ? formatEta(t.eta) : '';
    if (eta) parts.push(eta);
    if (t.state === 'paused') parts.push(t.paused_by_peer && !t.paused_by_us ? 'paused by your friend' : 'paused');
    else if (TRANSFER_LABEL[t.state]) parts.push(TRANSFER_LABEL[t.state]);
    if (t.auto) parts.push('accepted automatically');
    row.append(el('div', 'file-info progress-line', parts.join(' · ')));
    if (t.error && t.state !== 'cancelled') row.append(safeText('div', 'file-info file-error', t.error));
    const act = (label: string, action: 'accept' | 'save_as' | 'decline' | 'pause' | 'resume' | 'cancel' | 'discard', secondary = false) =>
      button(label, () => post({ type: 'file_action', key: this.peer.key, id: m.id, action }), secondary);
    const actions = el('div', 'actions');
    if (t.state === 'offered') actions.append(act('Accept', 'accept'), act('Save as…', 'save_as', true), act('Decline', 'decline', true));
    else if (t.state === 'active' || t.state === 'pending')
      actions.append(...(t.state === 'active' ? [act('Pause', 'pause', true)] : []), act('Cancel', 'cancel', true));
    else if (t.state === 'paused') actions.append(t.paused_by_us ? act('Resume', 'resume') : act('Pause', 'pause', true), act('Cancel', 'cancel', true));
    else if (t.state === 'waiting' || t.state === 'interrupted') actions.append(act('Cancel', 'cancel', true));
    else if (t.state === 'failed' && t.partial) actions.append(act('Delete partial file', 'discard', true));
    if (actions.childElementCount) row.append(actions);
  }

  private onKey(ev: KeyboardEvent): void {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      this.send();
    }
  }

  private onInput(): void {
    this.fitComposer();
    const has = this.input.value.length > 0;
    if (has && !this.typingSent) {
      this.typingSent = true;
      post({ type: 'typing', key: this.peer.key, typing: true });
    }
    window.clearTimeout(this.typingTimer);
    if (has) this.typingTimer = window.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
    else this.stopTyping();
  }

  /** The composer grows with its lines (up to six), so Send stays on its line. */
  private fitComposer(): void {
    const lines = this.input.value.split('\n').length;
    this.input.setAttribute('rows', String(Math.min(6, Math.max(1, lines))));
  }

  private stopTyping(): void {
    window.clearTimeout(this.typingTimer);
    if (!this.typingSent) return;
    this.typingSent = false;
    post({ type: 'typing', key: this.peer.key, typing: false });
  }

  private send(): void {
    const text = this.input.value;
    const request_id = this.drafts.begin(text);
    if (request_id === null) return;
    post({ type: 'send', request_id, key: this.peer.key, text });
  }

  /** The host's answer to our send: the composer is cleared only when the message was taken. */
  sendSettled(reply: SendReply): void {
    const r = this.drafts.settle(reply, this.input.value);
    if (!r) return;
    this.input.value = r.composer;
    this.fitComposer();
    this.sendError.textContent = r.error ?? '';
    this.sendError.hidden = r.error === null;
    if (r.error === null && !r.composer) this.stopTyping();
  }

  dispose(): void {
    this.stopTyping();
    this.gifs.dispose();
  }
}
