// Webview bundle entry. Runs in a CSP-locked iframe: no Node APIs, no `vscode` import.
// Every message from the host is validated before use; peer strings are rendered only
// through render.ts (textContent and Text nodes, never markup).

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import type { LinkPolicy } from '../common/links';
import { check } from '../protocol/guard';
import { type RequestView, toWebview, type ToWebview } from '../protocol/webview';
import { ConversationView } from './conversation';
import { button, el } from './dom';
import { DraftSends } from './draft';
import { post } from './host';
import { appendSafeText, safeText } from './render';
import { GroupScreen } from './groupScreen';

const app = document.getElementById('app')!;
let policy: LinkPolicy = { contiBaseUrl: '', trustedHosts: [] };
let mode: 'view' | 'panel' = 'view';
let current: ConversationView | null = null;
/** One for the whole webview, so a reply meant for a replaced conversation matches nothing. */
const drafts = new DraftSends();
// Group conversations (issue 20) live in groupScreen.ts.
const groups = new GroupScreen(() => policy, drafts, show);

function show(node: HTMLElement): void {
  current?.dispose();
  current = null;
  groups.clear();
  app.replaceChildren(node);
}

function notice(level: 'info' | 'error', text: string): void {
  const n = el('div', `notice ${level}`);
  n.setAttribute('role', level === 'error' ? 'alert' : 'status');
  // Error texts can quote peer strings (a file name): same markers as everywhere else.
  appendSafeText(n, text);
  document.body.appendChild(n);
  window.setTimeout(() => n.remove(), 6000);
}

function requestCard(r: RequestView): HTMLElement {
  const fp = el('div', 'fingerprint', `Key ${r.fingerprint}`);
  fp.id = 'request-fp';
  const msg = safeText('div', 'request-message', r.message);
  msg.id = 'request-message';
  const actions = el('div', 'actions');
  actions.append(
    button('Accept', () => post({ type: 'request_action', key: r.key, action: 'accept' })),
    button('Decline', () => post({ type: 'request_action', key: r.key, action: 'decline' }), true),
    button('Block', () => post({ type: 'request_action', key: r.key, action: 'block' }), true),
  );
  const card = el('section', 'request');
  card.append(el('h2', undefined, 'Friend request'), fp, el('div', 'label', `Received ${new Date(r.ts).toLocaleString()} with this message:`), msg, actions);
  return card;
}

function handle(m: ToWebview): void {
  switch (m.type) {
    case 'init':
      mode = m.mode;
      policy = { contiBaseUrl: m.conti_base_url, trustedHosts: m.trusted_hosts };
      break;
    case 'empty': {
      show(el('p', 'empty', m.hint));
      break;
    }
    case 'conversation': {
      drafts.reset();
      const view = new ConversationView(m.peer, policy, mode, drafts);
      show(view.root);
      current = view;
      view.setTransfers(m.transfers ?? []);
      view.setMessages(m.messages, m.unread ?? 0);
      view.focus();
      post({ type: 'seen', key: m.peer.key });
      break;
    }
    case 'append':
      if (current?.key === m.key) {
        current.append(m.messages);
        if (document.hasFocus()) post({ type: 'seen', key: m.key });
      }
      break;
    case 'state':
      if (current?.key === m.key) current.setState(m.id, m.state);
      break;
    case 'transfer':
      if (current?.key === m.key) current.updateTransfer(m.transfer);
      break;
    case 'image':
      if (current?.key === m.key) current.updateImage(m);
      break;
    case 'peer':
      if (current?.key === m.peer.key) current.setPeer(m.peer);
      break;
    case 'request':
      show(requestCard(m.request));
      break;
    case 'notice':
      notice(m.level, m.text);
      break;
    case 'gif_previewed':
    case 'gif_sent':
      if (current?.key === m.key) current.gifs.handle(m);
      break;
    case 'send_result':
      current?.sendSettled(m);
      groups.sendSettled(m);
      break;
    default:
      groups.handle(m);
      break;
  }
}

window.addEventListener('message', (ev: MessageEvent) => {
  const parsed = check(toWebview, ev.data);
  if (!parsed.ok) {
    console.warn(`toxync: dropped an invalid message from the host: ${parsed.error}`);
    return;
  }
  handle(parsed.value);
});
window.addEventListener('focus', () => {
  if (current) post({ type: 'seen', key: current.key });
  groups.focused();
});

post({ type: 'ready' });
// Reports the page's width to the host (Conversations.show opens narrow side bars' chats in a tab).
let reportedWidth = -1;
new ResizeObserver(() => {
  const width = Math.round(document.documentElement.clientWidth);
  if (width === reportedWidth) return;
  reportedWidth = width;
  post({ type: 'viewport', width });
}).observe(document.documentElement);
