// Group-chat steps for tests with real `toxync run` nodes: create, join, and wait until two
// members see each other (peer numbers are per node, so every step says whose number it is).

import { check } from '../../src/protocol/guard';
import { event } from '../../src/protocol/node';
import type { GroupInfo } from '../../src/protocol/nodeGroups';
import type { CliPeer } from './peer';

/** NGC joins on loopback take seconds (DHT announce, then handshake and state sync). */
export const JOIN_MS = 90_000;

export async function groupsOf(p: CliPeer): Promise<GroupInfo[]> {
  return ((await p.command({ cmd: 'groups' })) as { groups: GroupInfo[] }).groups;
}

export async function groupOf(p: CliPeer, group: number): Promise<GroupInfo> {
  const g = (await groupsOf(p)).find((x) => x.group === group);
  if (!g) throw new Error(`${p.name} has no group ${group}`);
  return g;
}

/** Waits (from event index `from`) until `p` has `key` as a peer in `group`; returns its peer number there. */
export async function peerNumber(p: CliPeer, group: number, key: string, from = 0): Promise<number> {
  const e = await p.event('group_peer_join', (x) => x.group === group && x.public_key === key, JOIN_MS, from);
  return e.peer;
}

export interface Member {
  peer: CliPeer;
  group: number;
  /** This member's public key in the group (not its Tox key). */
  key: string;
}

export async function create(p: CliPeer, privacy: 'public' | 'private', name: string, nick?: string): Promise<Member & { chatId: string }> {
  const r = (await p.command({ cmd: 'group_new', privacy, name, ...(nick ? { nick } : {}) })) as { group: number; chat_id: string };
  const info = await groupOf(p, r.group);
  return { peer: p, group: r.group, key: info.self_public_key, chatId: r.chat_id };
}

/** Joins by chat ID and waits until the joiner and `owner` see each other; returns the
 *  new member and the peer numbers each side uses for the other. */
export async function joinById(
  owner: Member,
  joiner: CliPeer,
  chatId: string,
  opts: { password?: string; nick?: string } = {},
): Promise<{ member: Member; ownerSees: number; memberSees: number }> {
  const from = joiner.events.length;
  const ownerFrom = owner.peer.events.length;
  const { group } = (await joiner.command({ cmd: 'group_join', chat_id: chatId, ...opts })) as { group: number };
  await joiner.event('group_self_join', (e) => e.group === group, JOIN_MS, from);
  const key = (await groupOf(joiner, group)).self_public_key;
  const [ownerSees, memberSees] = await Promise.all([peerNumber(owner.peer, owner.group, key, ownerFrom), peerNumber(joiner, group, owner.key, from)]);
  return { member: { peer: joiner, group, key }, ownerSees, memberSees };
}

/** The texts of `group_message` events in `group` from `from` on, once there are `n` of them. */
export async function groupTexts(p: CliPeer, group: number, from: number, n: number, type = 'group_message'): Promise<string[]> {
  const pick = () => p.events.slice(from).filter((e) => e.event === type && e.group === group);
  await p.waitFor(() => pick().length >= n, 60_000, `${n} ${type} events`);
  return pick().map((e) => String(e.text));
}

/** Every event `p` printed passes the protocol's event guard (what the extension host checks
 *  on receipt): an event the node builds wrongly would be dropped there. */
export function assertEventsValid(p: CliPeer): void {
  for (const e of p.events) {
    const r = check(event, e);
    if (!r.ok) throw new Error(`${p.name} printed an event the protocol refuses (${r.error}): ${JSON.stringify(e).slice(0, 300)}`);
  }
}
