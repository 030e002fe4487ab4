// Typed builders for the group events and the `groups` result (protocol/nodeGroups.ts), for
// unit tests that drive the group model by hand, and a node stand-in that answers the group
// commands the way the contract says (test/helpers/events.ts style: defaults plus overrides).

import type { EventOf } from '../../src/protocol/node';
import type { GroupInfo, GroupPeerInfo } from '../../src/protocol/nodeGroups';
import type { NodeLink } from '../../src/core/chat/outbox';

export const CHAT = 'C'.repeat(64);
export const SELF_GROUP_KEY = 'E'.repeat(64);

export function groupPeer(no: number, key: string, name: string, over: Partial<GroupPeerInfo> = {}): GroupPeerInfo {
  return { peer: no, public_key: key, name, role: 'user', status: 'online', connection: 'udp', ...over };
}

export function groupInfo(no: number, peers: GroupPeerInfo[], over: Partial<GroupInfo> = {}): GroupInfo {
  return {
    group: no,
    chat_id: CHAT,
    name: 'ops',
    privacy: 'private',
    topic: '',
    connected: true,
    self_peer: 0,
    self_public_key: SELF_GROUP_KEY,
    self_role: 'founder',
    self_name: 'me',
    peer_limit: 100,
    has_password: false,
    peers,
    ...over,
  };
}

export function groupMessage(group: number, peer: number, key: string, name: string, text: string): EventOf<'group_message'> {
  return { event: 'group_message', group, peer, public_key: key, name, type: 'normal', text, message_id: 1 };
}

export function selfJoin(group: number, chatId = CHAT): EventOf<'group_self_join'> {
  return { event: 'group_self_join', group, chat_id: chatId };
}

export interface FakeGroupNode extends NodeLink {
  sent: { cmd: string; [k: string]: unknown }[];
  groups: GroupInfo[];
  fail: string | null;
}

/** Answers `groups` from `groups`, the others with the contract's result shapes. */
export function fakeGroupNode(groups: GroupInfo[] = []): FakeGroupNode {
  const node: FakeGroupNode = {
    sent: [],
    groups,
    fail: null,
    request: ((body: { cmd: string }) => {
      node.sent.push(body);
      if (node.fail) return Promise.reject(new Error(node.fail));
      switch (body.cmd) {
        case 'groups':
          return Promise.resolve({ groups: node.groups });
        case 'group_new':
          return Promise.resolve({ group: 0, chat_id: CHAT });
        case 'group_join':
        case 'group_invite_accept':
          return Promise.resolve({ group: 0 });
        case 'group_send_message':
          return Promise.resolve({ message_ids: [1] });
        default:
          return Promise.resolve({});
      }
    }) as NodeLink['request'],
  };
  return node;
}
