// Read-only questions over a store's loaded history, kept out of the Store class so that it
// holds only what changes the files.

import type { ChatMessage } from '../../protocol/webview';
import { keptBy } from './records';
import type { ConversationData } from './store';

/** What Store.prune(cutoff) would drop, per peer, without dropping it (so the user is asked first). */
export function prunableCounts(convs: readonly ConversationData[], cutoff: number): Map<string, number> {
  const counts = convs.map((c) => [c.peer, c.messages.filter((m) => !keptBy(m, cutoff)).length] as const);
  return new Map(counts.filter(([, n]) => n > 0));
}

/** Case-insensitive substring search over every loaded message, newest first. */
export function searchHistory(convs: readonly ConversationData[], query: string, limit = 200): { peer: string; message: ChatMessage }[] {
  const q = query.toLocaleLowerCase();
  if (!q) return [];
  const hits: { peer: string; message: ChatMessage }[] = [];
  for (const conv of convs) {
    for (const m of conv.messages) if (m.dir !== 'system' && m.text.toLocaleLowerCase().includes(q)) hits.push({ peer: conv.peer, message: m });
  }
  hits.sort((a, b) => b.message.ts - a.message.ts);
  return hits.slice(0, limit);
}
