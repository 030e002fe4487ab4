// The chat model's shapes: what it tells its listeners, what it keeps per contact and
// request, and what it asks of the journal that persists it (journal.ts).

import type { ChatMessage, DeliveryState } from '../../protocol/webview';

/** Where the model writes what must survive a restart (the encrypted store; see
 *  journal.ts). Every call is durable when it returns. Without one, nothing persists. */
export interface ChatJournal {
  append(key: string, msg: ChatMessage, dedup?: string): void;
  state(key: string, id: string, state: DeliveryState): void;
  requests(all: FriendRequest[]): void;
  deleteConversation(key: string): void;
}

/** What a journal hands back at unlock. */
export interface RestoredConversation {
  peer: string;
  messages: ChatMessage[];
  /** Received (id:part) dedup tags → the local message id they produced. */
  seen: Map<string, string>;
  /** Our outgoing message id → the dedup id it is (re-)sent with. */
  outDedup: Map<string, string>;
}

export interface Contact {
  key: string;
  friend: number;
  name: string;
  statusMessage: string;
  status: 'online' | 'away' | 'busy';
  connection: 'none' | 'tcp' | 'udp';
  typing: boolean;
  lastActivity: number | null;
  unread: number;
}

export interface FriendRequest {
  key: string;
  message: string;
  ts: number;
}

/** What becomes of an incoming text before it reaches the history: kept as it is, replaced
 *  by a short line (a pager alert: its raw text, a code's digits above all, never reaches
 *  history or disk), or dropped (a repeat of an alert already shown). */
export type IncomingVerdict = { kind: 'plain' } | { kind: 'replace'; text: string } | { kind: 'drop' };
export type IncomingFilter = (key: string, text: string) => IncomingVerdict;

export type ChatChange =
  | { kind: 'self' }
  | { kind: 'contacts' }
  /** `added`: a request to notify about; `flood`: the one summary of a flood (requestFlood.ts). */
  | { kind: 'requests'; added?: FriendRequest; flood?: true }
  | { kind: 'peer'; key: string }
  /** `quiet`: shown elsewhere already (a pager alert): no unread count, no notification. */
  | { kind: 'append'; key: string; messages: ChatMessage[]; incoming: boolean; quiet?: boolean }
  | { kind: 'state'; key: string; id: string; state: DeliveryState };
