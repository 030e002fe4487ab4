// Alerts to a group chat (NGC): `to` is `group:<chat ID>` of a group the pager's own node is
// in. The alert goes out as one ordinary group message in the same wire format as 1:1, so
// every member's client recognises it; NGC has no read receipts, so `sent` is its last state.
// This keeps which of the node's groups can take a message now (connected, someone there).

import type { NodeEvent } from '../protocol/node';
import type { NodePort } from './nodePort';

export const GROUP_PREFIX = 'group:';
const CHAT_ID = /^[0-9A-Fa-f]{64}$/;

/** The chat ID (upper case) of a `group:<64 hex>` recipient; null for any other form;
 *  throws a RangeError for a `group:` one that is not a chat ID. */
export function groupRecipient(to: string): string | null {
  const s = to.trim();
  if (!s.toLowerCase().startsWith(GROUP_PREFIX)) return null;
  const id = s.slice(GROUP_PREFIX.length).trim();
  if (!CHAT_ID.test(id)) throw new RangeError('a group recipient is group:<chat ID> (64 hex characters)');
  return id.toUpperCase();
}

/** Not connected (yet, or any more), or the node restarted: the next flush tries again. */
export function groupSendIsTransient(e: unknown): boolean {
  const code = e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : '';
  return code.includes('DISCONNECTED') || code.includes('FAIL_SEND') || (e instanceof Error && e.name === 'NodeRestartedError');
}

interface Known {
  group: number;
  /** Connected and with at least one other member: a message now reaches someone. */
  ready: boolean;
}

export class PagerGroups {
  private known = new Map<string, Known>();
  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly port: NodePort,
    /** Told the chat IDs that can take messages, after each refresh. */
    private readonly onReady: (chatId: string) => void,
    private readonly log: (message: string) => void,
  ) {}

  has(chatId: string): boolean {
    return this.known.has(chatId);
  }

  /** The node's group number for `chatId` if a message sent now reaches a member. */
  readyGroup(chatId: string): number | null {
    const k = this.known.get(chatId);
    return k?.ready ? k.group : null;
  }

  /** Re-reads the node's groups (one `groups` request at a time; a request meanwhile runs once more after). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = this.port
      .request({ cmd: 'groups' })
      .then((r) => {
        this.known = new Map(r.groups.map((g) => [g.chat_id.toUpperCase(), { group: g.group, ready: g.connected && g.peers.length > 0 }]));
        for (const [chatId, k] of this.known) if (k.ready) this.onReady(chatId);
      })
      // A node without groups support (or a test double) just means no group recipients.
      .catch((e: unknown) => this.log(`reading the groups failed: ${e instanceof Error ? e.name : 'error'}`))
      .finally(() => {
        this.refreshing = null;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.refreshing;
  }

  /** Membership and connection changes make a group (un)able to take messages. */
  onEvent(e: NodeEvent): void {
    if (e.event === 'ready' || e.event === 'group_self_join' || e.event === 'group_peer_join' || e.event === 'group_peer_exit' || e.event === 'group_join_fail')
      void this.refresh();
  }
}
