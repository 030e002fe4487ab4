// The group model's persistence over the encrypted group store (store/groupStore.ts):
// history and outbox as group logs, the group list (with unread counts) as a sealed
// document. The counterpart of journal.ts for 1:1 chats.

import type { GroupStore, StoredGroupMessage } from '../store/groupStore';
import type { DeliveryState } from '../../protocol/webview';
import type { GroupJournal, GroupMessage, GroupMeta } from './groupTypes';

function stored(m: GroupMessage): StoredGroupMessage {
  const out: StoredGroupMessage = { id: m.id, dir: m.dir, kind: m.kind, text: m.text, ts: m.ts };
  if (m.from) out.from = { key: m.from.key, name: m.from.name };
  if (m.state) out.state = m.state;
  if (m.private) out.private = true;
  return out;
}

export class StoreGroupJournal implements GroupJournal {
  /** `keepHistory`: false writes only outgoing messages (the outbox needs them). */
  constructor(
    private readonly store: GroupStore,
    private readonly keepHistory: () => boolean = () => true,
  ) {}

  append(chatId: string, msg: GroupMessage): void {
    if (msg.dir !== 'out' && !this.keepHistory()) return;
    this.store.append(chatId, [{ t: 'gmsg', m: stored(msg) }]);
  }

  state(chatId: string, id: string, state: DeliveryState): void {
    this.store.setState(chatId, id, state);
  }

  meta(groups: GroupMeta[]): void {
    this.store.setGroups(groups.map((g) => ({ ...g })));
  }

  deleteGroup(chatId: string): void {
    this.store.deleteGroup(chatId);
  }

  restored(): { metas: GroupMeta[]; histories: Map<string, GroupMessage[]> } {
    return { metas: this.store.groups.map((g) => ({ ...g })), histories: this.store.histories() };
  }
}
